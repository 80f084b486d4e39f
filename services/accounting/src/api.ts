// What the accounting routes share: their options, the caller (the tenant a
// credential proves, and who acts), and route sets for a record collection and one record.
import { actorOf } from '@hookline/auth';
import { errorResponse } from '@hookline/http';
import type { ServiceContext } from '@hookline/runtime';
import type { RecordModel } from '@hookline/events';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Caller, Records } from './application/records.js';

export interface AccountingOptions {
  context: ServiceContext;
  records: Records;
}

/** The company (tenant) and the user acting: only the service credential (the product's back end) names them. */
export const callerHeaders = z.object({
  'hookline-tenant': z.string().min(1).max(100).optional().describe("The company (Hookline tenant) the records belong to: required with the service credential; with a tenant API key, the key's own tenant if sent."),
  'hookline-actor': z.string().min(1).max(100).optional().describe('Service credential only: who acts, e.g. user:15 (default system); recorded on the events.'),
  traceparent: z.string().max(512).optional().describe('W3C trace context, carried to the events and the webhooks.'),
});

export function callerOf(request: FastifyRequest): Caller {
  const headers = callerHeaders.parse(request.headers);
  return { ...actorOf(request, headers['hookline-actor']), ...(headers.traceparent ? { traceparent: headers.traceparent } : {}) };
}

export const recordParams = z.object({ id: z.coerce.number().int().positive() });
const anyRecord = z.record(z.string(), z.unknown());
const errors = {
  400: errorResponse,
  401: errorResponse,
  403: errorResponse,
  404: errorResponse,
  409: errorResponse.describe('Illegal in the current state: `state` and the `allowed` commands'),
};

/** `POST /` creates (the service allocates the id), `GET /` lists. */
export function collectionRoutes(model: RecordModel, tag: string, createBody: z.ZodType): FastifyPluginAsyncZod<AccountingOptions> {
  return async (app, options) => {
    app.post('', { schema: { tags: [tag], summary: `Create a ${model}`, headers: callerHeaders, body: createBody, response: { 201: anyRecord, ...errors } } }, async (request, reply) =>
      reply.status(201).send(await options.records.create(callerOf(request), model, request.body)),
    );
    app.get('', { schema: { tags: [tag], summary: `List ${model} records`, headers: callerHeaders, response: { 200: z.object({ data: z.array(anyRecord) }) } } }, async (request) => ({
      data: await options.records.list(callerOf(request), model),
    }));
  };
}

/** `GET`, `PATCH` and `DELETE` of one record. */
export function itemRoutes(model: RecordModel, tag: string, patchBody: z.ZodType): FastifyPluginAsyncZod<AccountingOptions> {
  return async (app, options) => {
    app.get('', { schema: { tags: [tag], summary: `One ${model}`, headers: callerHeaders, params: recordParams, response: { 200: anyRecord, ...errors } } }, async (request) =>
      options.records.get(callerOf(request), model, request.params.id),
    );
    app.patch(
      '',
      { schema: { tags: [tag], summary: `Change a ${model}: one ${model} updated event with the fields that changed`, headers: callerHeaders, params: recordParams, body: patchBody, response: { 200: anyRecord, ...errors } } },
      async (request) => options.records.update(callerOf(request), model, request.params.id, request.body),
    );
    app.delete('', { schema: { tags: [tag], summary: `Delete a ${model}`, headers: callerHeaders, params: recordParams, response: { 204: z.null(), ...errors } } }, async (request, reply) => {
      await options.records.delete(callerOf(request), model, request.params.id);
      return reply.status(204).send(null);
    });
  };
}
