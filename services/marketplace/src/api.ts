// What the marketplace routes share: their options and the caller, from the
// headers the products' back ends send.
import { errorResponse } from '@hookline/http';
import type { ServiceContext } from '@hookline/runtime';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Caller, Projects } from './application/projects.js';

export interface MarketplaceOptions {
  context: ServiceContext;
  projects: Projects;
}

export const callerHeaders = z.object({
  'hookline-tenant': z.string().min(1).max(100).describe('The marketplace (Hookline tenant) whose connections receive the events.'),
  'hookline-actor-role': z.enum(['seller', 'buyer', 'system']).describe('Who acts: the seller (izpildītājs), the buyer (pasūtītājs) or the platform (sistēma: timers).'),
  'hookline-actor-id': z.string().min(1).max(100).default('system').describe("The seller's or buyer's user id."),
  traceparent: z.string().optional().describe('W3C trace context, carried to the events and the webhooks.'),
});

export function callerOf(request: FastifyRequest): Caller {
  const headers = callerHeaders.parse(request.headers);
  return {
    tenant: headers['hookline-tenant'],
    role: headers['hookline-actor-role'],
    id: headers['hookline-actor-id'],
    ...(headers.traceparent ? { traceparent: headers.traceparent } : {}),
  };
}

export const errors = {
  400: errorResponse,
  403: errorResponse.describe('The wrong party for this command'),
  404: errorResponse,
  409: errorResponse.describe('Not allowed in the current state: `state` and the `allowed` commands'),
  422: errorResponse.describe('A plan limit reached: `limit`, `max`, `current`, `plan`'),
};

export const commandResult = z.object({
  projectId: z.string(),
  status: z.string(),
  events: z.array(z.object({ type: z.string(), data: z.unknown() })).describe('The events this command appended (empty when a timer found nothing to do)'),
  allowed: z.array(z.string()).describe('Commands the caller may send next'),
});
