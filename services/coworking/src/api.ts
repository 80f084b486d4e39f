// What the coworking routes share: their options and the caller (the tenant a
// credential proves, and who acts).
import { actorOf } from '@hookline/auth';
import type { ServiceContext } from '@hookline/runtime';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Caller, CoworkingRecords } from './application/records.js';

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
    .describe("The Conexa customer account (Hookline tenant) whose connections receive the events: required with the service credential; with a tenant API key, the key's own tenant if sent."),
  'hookline-actor': z.string().min(1).max(100).optional().describe('Service credential only: who acts, e.g. user:21 (default system); recorded on the events.'),
  traceparent: z.string().max(512).optional(),
});

export function callerOf(request: FastifyRequest): Caller {
  const headers = callerHeaders.parse(request.headers);
  return { ...actorOf(request, headers['hookline-actor']), ...(headers.traceparent ? { traceparent: headers.traceparent } : {}) };
}
