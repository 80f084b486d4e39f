// What the accounting routes share: their options, the caller (the tenant a
// credential proves, and who acts), and the schemas of a record collection's and one record's routes.
import { actorOf } from '@hookline/auth';
import { errorResponse } from '@hookline/http';
import type { ServiceContext } from '@hookline/runtime';
import type { RecordModel } from '@hookline/events';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Caller, Records } from './application/records.js';

export interface AccountingOptions {
  context: ServiceContext;
  records: Records;
}

/** The company (tenant) and the user acting: only the service credential (the product's back end) names them. */
export const callerHeaders = z.object({
  'hookline-tenant': z
    .string()
    .min(1)
    .max(100)
    .optional()
    .describe(
      "The company (Hookline tenant) the records belong to: required with the service credential; with a tenant API key, the key's own tenant if sent.",
    ),
  'hookline-actor': z
    .string()
    .min(1)
    .max(100)
    .optional()
    .describe('Service credential only: who acts, e.g. user:15 (default system); recorded on the events.'),
  traceparent: z.string().max(512).optional().describe('W3C trace context, carried to the events and the webhooks.'),
});

export function callerOf(request: FastifyRequest): Caller {
  const headers = callerHeaders.parse(request.headers);
  return {
    ...actorOf(request, headers['hookline-actor']),
    ...(headers.traceparent ? { traceparent: headers.traceparent } : {}),
  };
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

/** The schema of `POST /accounting/<records>`: create a record (the service allocates the id). */
export function createRoute(model: RecordModel, tag: string, body: z.ZodType) {
  return {
    schema: {
      tags: [tag],
      summary: `Create a ${model}`,
      headers: callerHeaders,
      body,
      response: { 201: anyRecord, ...errors },
    },
  };
}

/** The schema of `GET /accounting/<records>`: the records of the model. */
/** A page of a list: up to `limit` records by id, those after the id `after` (the previous page's `next`). */
export const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100).describe('Records per page (1–1000, default 100).'),
  after: z.coerce.number().int().min(0).optional().describe("The previous page's `next`: records with a greater id."),
});

export function listRoute(model: RecordModel, tag: string) {
  return {
    schema: {
      tags: [tag],
      summary: `List ${model} records, by id, a page at a time`,
      headers: callerHeaders,
      querystring: listQuery,
      response: {
        200: z.object({
          data: z.array(anyRecord),
          next: z.number().int().nullable().describe('Pass as `after` for the next page; null on the last.'),
        }),
        ...errors,
      },
    },
  };
}

/** The schema of `GET /accounting/<records>/:id`. */
export function getRoute(model: RecordModel, tag: string) {
  return {
    schema: {
      tags: [tag],
      summary: `One ${model}`,
      headers: callerHeaders,
      params: recordParams,
      response: { 200: anyRecord, ...errors },
    },
  };
}

/** The schema of `PATCH /accounting/<records>/:id`: one updated event with the fields that changed. */
export function patchRoute(model: RecordModel, tag: string, body: z.ZodType) {
  const summary = `Change a ${model}: one ${model} updated event with the fields that changed`;
  return {
    schema: {
      tags: [tag],
      summary,
      headers: callerHeaders,
      params: recordParams,
      body,
      response: { 200: anyRecord, ...errors },
    },
  };
}

/** The schema of `DELETE /accounting/<records>/:id`. */
export function deleteRoute(model: RecordModel, tag: string) {
  return {
    schema: {
      tags: [tag],
      summary: `Delete a ${model}`,
      headers: callerHeaders,
      params: recordParams,
      response: { 204: z.null(), ...errors },
    },
  };
}
