// What the coworking routes share: their options, the caller (the tenant a
// credential proves, and who acts), and the schemas of a record's routes.
import { actorOf } from '@hookline/auth';
import { errorResponse } from '@hookline/http';
import type { ServiceContext } from '@hookline/runtime';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { idFields, type Caller, type CommandName, type CoworkingRecords } from './application/records.js';
import { coworkingCommands, type CoworkingAggregate } from './domain/index.js';

export interface CoworkingOptions {
  context: ServiceContext;
  records: CoworkingRecords;
}

/** Only the service credential (the product's back end) names the tenant and the user. */
export const callerHeaders = z.object({
  'hookline-tenant': z
    .string()
    .min(1)
    .max(100)
    .optional()
    .describe(
      "The Conexa customer account (Hookline tenant) whose connections receive the events: required with the service credential; with a tenant API key, the key's own tenant if sent.",
    ),
  'hookline-actor': z
    .string()
    .min(1)
    .max(100)
    .optional()
    .describe('Service credential only: who acts, e.g. user:21 (default system); recorded on the events.'),
  traceparent: z.string().max(512).optional(),
});

export function callerOf(request: FastifyRequest): Caller {
  const headers = callerHeaders.parse(request.headers);
  return {
    ...actorOf(request, headers['hookline-actor']),
    ...(headers.traceparent ? { traceparent: headers.traceparent } : {}),
  };
}

/** A record's Conexa id, the `:id` of every route. */
export const recordParams = z.object({ id: z.coerce.number().int().positive() });
const errors = {
  400: errorResponse,
  401: errorResponse,
  403: errorResponse,
  404: errorResponse,
  409: errorResponse.describe('Not allowed in the current state: `state` and `allowed`'),
};
const result = z.object({
  aggregate: z.string(),
  id: z.number(),
  events: z.array(z.object({ type: z.string(), data: z.unknown() })),
});

/** The schema of `GET /coworking/<aggregate>/:id`: the record's state and the commands allowed. */
export function stateRoute(aggregate: CoworkingAggregate) {
  return {
    schema: {
      tags: [aggregate],
      summary: `A ${aggregate} and the commands allowed on it`,
      headers: callerHeaders,
      params: recordParams,
      response: { 200: z.object({ state: z.unknown(), allowed: z.array(z.string()) }), ...errors },
    },
  };
}

/**
 * The schema of `POST /coworking/<aggregate>/:id/<command>`: the command's zod schema without what the service
 * fills in (type, clock, the id from the path); whether the customer is blocked may be left to the service.
 */
export function commandRoute(name: CommandName) {
  const definition = coworkingCommands[name];
  const shape: Record<string, z.ZodType> = { ...(definition.schema as unknown as z.ZodObject).shape };
  delete shape.type;
  delete shape.now;
  delete shape[idFields[definition.aggregate as CoworkingAggregate]];
  if (shape.customerBlocked)
    shape.customerBlocked = (shape.customerBlocked as z.ZodBoolean)
      .optional()
      .describe('Omitted: read from the customer.');
  return {
    schema: {
      tags: [definition.aggregate],
      summary: definition.body.description ?? name,
      headers: callerHeaders,
      params: recordParams,
      body: z.strictObject(shape),
      response: { 200: result, ...errors },
    },
  };
}

/** The handler of a Conexa command: the caller's command on the record of the path, with the body the route's schema validated. */
export function runCommand(records: CoworkingRecords, name: CommandName) {
  return async (request: FastifyRequest) =>
    records.run(
      callerOf(request),
      name,
      (request.params as { id: number }).id,
      request.body as Record<string, unknown>,
    );
}
