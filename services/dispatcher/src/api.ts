// What the management API's routes share: their options (the service's
// objects), the caller's tenant, and the zod schemas of what they answer —
// the OpenAPI document is generated from these.
import { forbidden } from '@hookline/errors';
import { errorResponse } from '@hookline/http';
import type { ServiceContext } from '@hookline/runtime';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Dispatcher } from './application/dispatcher.js';
import type { EventTypeRegistry } from './application/event-types.js';
import type { Tenants } from './application/tenants.js';
import type { DispatcherConfig } from './config.js';
import { storedFilterSchema, storedRetryPolicySchema, type ConnectionDocument } from './domain/connection.js';
import type { AttemptDocument, DeliveryDocument } from './domain/delivery.js';

export interface ApiOptions {
  context: ServiceContext;
  dispatcher: Dispatcher;
  tenants: Tenants;
  eventTypes: EventTypeRegistry;
  config: DispatcherConfig;
}

/** The tenant of the key on a tenant route (every /v1 route but the admin ones accepts tenant keys only). */
export function tenantOf(request: FastifyRequest): string {
  const principal = request.principal;
  if (principal?.kind === 'tenant') return principal.tenantId;
  throw forbidden('this route needs a tenant API key');
}

export const errorSchema = errorResponse;

/** Answers every route may give besides its own. */
export const commonErrors = {
  400: errorSchema,
  401: errorSchema,
  403: errorSchema,
  404: errorSchema,
  429: errorSchema,
};

export const idParams = z.object({ id: z.string().min(1).max(100) });

export const connectionViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().optional(),
  url: z.string(),
  active: z.boolean(),
  status: z.enum(['active', 'inactive', 'blocked']).describe('blocked wins over inactive'),
  consecutiveFailures: z.number().int(),
  blockedAt: z.iso.datetime().optional(),
  filter: storedFilterSchema,
  /** Values shown on a single connection only: they may carry the receiver's credentials. */
  headers: z.record(z.string(), z.string()),
  retry: storedRetryPolicySchema,
  maxInFlight: z.number().int(),
  rateLimit: z.number().optional().describe('Requests per second at most; absent: no limit'),
  uniqueKey: z.string().optional().describe('40 characters, sent as hookline-unique-key; on a single connection only'),
  secret: z.string().optional().describe('The signing secret: only in the answer that creates or rotates it'),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type ConnectionView = z.infer<typeof connectionViewSchema>;

export function connectionView(
  connection: ConnectionDocument,
  detail: { single?: boolean; secret?: string } = {},
): ConnectionView {
  return {
    id: connection._id,
    name: connection.name,
    ...(connection.description === undefined ? {} : { description: connection.description }),
    url: connection.url,
    active: connection.active,
    status: connection.status === 'blocked' ? 'blocked' : connection.active ? 'active' : 'inactive',
    consecutiveFailures: connection.consecutiveFailures,
    ...(connection.blockedAt ? { blockedAt: connection.blockedAt.toISOString() } : {}),
    filter: connection.filter,
    headers: detail.single
      ? connection.headers
      : Object.fromEntries(Object.keys(connection.headers).map((name) => [name, '********'])),
    retry: connection.retry,
    maxInFlight: connection.maxInFlight,
    ...(connection.rateLimit === undefined ? {} : { rateLimit: connection.rateLimit }),
    ...(detail.single ? { uniqueKey: connection.uniqueKey } : {}),
    ...(detail.secret ? { secret: detail.secret } : {}),
    createdAt: connection.createdAt.toISOString(),
    updatedAt: connection.updatedAt.toISOString(),
  };
}

export const deliveryStatuses = ['pending', 'held', 'succeeded', 'failed', 'discarded'] as const;

export const deliveryViewSchema = z.object({
  id: z.string().describe('Also the webhook-id header'),
  connectionId: z.string(),
  eventId: z.string(),
  eventType: z.string(),
  subject: z.string(),
  status: z.enum(deliveryStatuses),
  test: z.boolean(),
  attempts: z.number().int(),
  lastStatus: z.number().int().optional(),
  lastError: z.string().optional(),
  reason: z.string().optional(),
  nextAttemptAt: z.iso.datetime().optional(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

export function deliveryView(delivery: DeliveryDocument): z.infer<typeof deliveryViewSchema> {
  return {
    id: delivery._id,
    connectionId: delivery.connectionId,
    eventId: delivery.eventId,
    eventType: delivery.eventType,
    subject: delivery.subject,
    status: delivery.status,
    test: delivery.test,
    attempts: delivery.attemptCount,
    ...(delivery.lastStatus === undefined ? {} : { lastStatus: delivery.lastStatus }),
    ...(delivery.lastError === undefined ? {} : { lastError: delivery.lastError }),
    ...(delivery.reason === undefined ? {} : { reason: delivery.reason }),
    ...(delivery.nextAttemptAt ? { nextAttemptAt: delivery.nextAttemptAt.toISOString() } : {}),
    createdAt: delivery.createdAt.toISOString(),
    updatedAt: delivery.updatedAt.toISOString(),
  };
}

export const attemptViewSchema = z.object({
  number: z.number().int(),
  startedAt: z.iso.datetime(),
  durationMs: z.number(),
  status: z.number().int().optional(),
  responseBody: z.string().optional().describe('First 4 KiB of the answer'),
  error: z.string().optional(),
  requestHeaders: z.record(z.string(), z.string()).optional(),
});

export function attemptView(attempt: AttemptDocument): z.infer<typeof attemptViewSchema> {
  return {
    number: attempt.number,
    startedAt: attempt.startedAt.toISOString(),
    durationMs: attempt.durationMs,
    ...(attempt.status === undefined ? {} : { status: attempt.status }),
    ...(attempt.responseBody === undefined ? {} : { responseBody: attempt.responseBody }),
    ...(attempt.error === undefined ? {} : { error: attempt.error }),
    ...(attempt.requestHeaders ? { requestHeaders: attempt.requestHeaders } : {}),
  };
}
