// What the coworking routes share: their options and the caller, from headers.
import type { ServiceContext } from '@hookline/runtime';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Caller, CoworkingRecords } from './application/records.js';

export interface CoworkingOptions {
  context: ServiceContext;
  records: CoworkingRecords;
}

export const callerHeaders = z.object({
  'hookline-tenant': z.string().min(1).max(100).describe('The Conexa customer account (Hookline tenant) whose connections receive the events.'),
  'hookline-actor': z.string().min(1).max(100).default('system').describe('Who acts, e.g. user:21; recorded on the events.'),
  traceparent: z.string().optional(),
});

export function callerOf(request: FastifyRequest): Caller {
  const headers = callerHeaders.parse(request.headers);
  return { tenant: headers['hookline-tenant'], actor: headers['hookline-actor'], ...(headers.traceparent ? { traceparent: headers.traceparent } : {}) };
}
