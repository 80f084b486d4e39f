// What the scheduler's routes share: their options, the tenant header, and the
// zod schemas of what they answer (the OpenAPI document is generated from them).
import { errorResponse } from '@hookline/http';
import type { ServiceContext } from '@hookline/runtime';
import { z } from 'zod';
import type { TimerDocument } from './adapters/scheduler-store.js';
import type { Scheduler } from './application/scheduler.js';
import { isTimeZone } from '@hookline/events';
import { timerKinds, timerStatuses } from './domain/index.js';

export interface SchedulerRouteOptions {
  context: ServiceContext;
  scheduler: Scheduler;
}

export const tenantHeaders = z.object({
  'hookline-tenant': z
    .string()
    .min(1)
    .max(100)
    .optional()
    .describe(
      "The tenant whose rules or holds these are: required with the service credential; with a tenant API key, the key's own tenant if sent.",
    ),
});

export const errors = { 400: errorResponse, 401: errorResponse, 403: errorResponse, 404: errorResponse };

export const timerViewSchema = z.object({
  id: z.string().describe('The unique key: <kind>:<tenant>/<stream>[:<part>]'),
  kind: z.enum(timerKinds),
  tenant: z.string(),
  subject: z.string().describe('The aggregate stream the deadline belongs to'),
  params: z.record(z.string(), z.unknown()),
  status: z.enum(timerStatuses),
  dueAt: z.iso.datetime(),
  nextAttemptAt: z.iso.datetime(),
  failures: z.number().int(),
  calls: z.number().int().describe('Answers recorded from the owning service'),
  source: z.object({ type: z.string(), eventId: z.string().nullable() }),
  createdAt: z.iso.datetime(),
  firedAt: z.iso.datetime().optional(),
  firedBy: z.string().optional(),
  result: z
    .object({ request: z.string(), httpStatus: z.number().int().optional(), events: z.array(z.string()).optional() })
    .optional(),
  lastError: z.string().optional(),
  cancelledAt: z.iso.datetime().optional(),
  cancelReason: z.string().optional(),
});

export function timerView(timer: TimerDocument): z.infer<typeof timerViewSchema> {
  return {
    id: timer._id,
    kind: timer.kind,
    tenant: timer.tenant,
    subject: timer.subject,
    params: timer.params,
    status: timer.status,
    dueAt: timer.dueAt.toISOString(),
    nextAttemptAt: timer.nextAttemptAt.toISOString(),
    failures: timer.failures,
    calls: timer.calls,
    source: timer.source,
    createdAt: timer.createdAt.toISOString(),
    ...(timer.firedAt ? { firedAt: timer.firedAt.toISOString() } : {}),
    ...(timer.firedBy ? { firedBy: timer.firedBy } : {}),
    ...(timer.result ? { result: timer.result } : {}),
    ...(timer.lastError ? { lastError: timer.lastError } : {}),
    ...(timer.cancelledAt ? { cancelledAt: timer.cancelledAt.toISOString() } : {}),
    ...(timer.cancelReason ? { cancelReason: timer.cancelReason } : {}),
  };
}

export const ruleInputSchema = z.object({
  name: z.string().trim().min(1).max(200).nullable().optional().describe('Name of the rule, e.g. "3 days before".'),
  daysFromDueDate: z
    .number()
    .int()
    .min(-366)
    .max(366)
    .describe(
      'The reminder day relative to the due date: negative before it, 0 on it, positive overdue (5 = five days late).',
    ),
  unitTimeZone: z
    .string()
    .min(1)
    .max(64)
    .refine(isTimeZone, 'an IANA time zone such as America/Sao_Paulo, or a GMT offset such as GMT-03:00')
    .describe("The unit's time zone, in which the reminder day is a calendar day."),
  sendAt: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day as HH:MM')
    .optional()
    .describe('Local time of day the reminder goes out on its day; omitted: 09:00.'),
});

export const ruleViewSchema = z.object({
  ruleId: z.number().int(),
  name: z.string().nullable(),
  daysFromDueDate: z.number().int(),
  unitTimeZone: z.string(),
  sendAt: z.string(),
});

export const ruleParams = z.object({
  id: z.coerce
    .number()
    .int()
    .positive()
    .max(2_147_483_647)
    .describe('The reminder rule (Regra de Aviso) id, as Conexa numbers it.'),
});
