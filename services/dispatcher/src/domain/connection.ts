// A connection: one tenant's subscription of one receiver URL — its filter,
// signing secrets, unique key, retry policy and state. The zod schemas are the
// single source for the stored shape, the API (issue 5) and the docs.
import { operations, recordModelNames, recordModels } from '@hookline/events';
import { z } from 'zod';

/**
 * What one connection may hold: a tenant names them, the dispatcher keeps every
 * connection in memory and matches each event against them, and the API lists
 * them, so each is bounded. Each bound is in the schema, and a refusal names it.
 */
export const connectionLimits = {
  eventTypePatterns: 100,
  eventTypePatternLength: 150,
  recordFields: 100,
  backoffSteps: 20,
} as const;

/** Exact type, a `prefix.*` wildcard (any deeper segments), or `*` for everything. */
export const eventTypePatternSchema = z
  .string()
  .max(connectionLimits.eventTypePatternLength, `at most ${connectionLimits.eventTypePatternLength} characters`)
  .regex(/^(\*|[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*(\.\*)?)$/, 'an event type, a prefix ending in .* or *');

/**
 * The filter and retry schemas, bounded (what a tenant may save) or not (what
 * is stored and shown: a connection saved before a bound existed still reads).
 */
function filterSchema(bounded: boolean) {
  const upTo = <T extends z.ZodType>(items: T, max: number, what: string) =>
    bounded ? z.array(items).max(max, `at most ${max} ${what}`) : z.array(items);
  const record = z
    .object({
      model: z.enum(recordModelNames).describe('Record model (Įrašo modelio pavadinimas), e.g. account.invoice.'),
      operations: z.array(z.enum(operations)).min(1).describe('Callback actions: create, update, delete.'),
      fields: upTo(z.string().min(1).max(100), connectionLimits.recordFields, 'fields')
        .min(1)
        .describe('Fields (Laukai) reported in values; an update fires only when one of them changed.'),
    })
    .superRefine((filter, ctx) => {
      const allowed: readonly string[] = recordModels[filter.model].fields;
      filter.fields.forEach((field, index) => {
        if (!allowed.includes(field))
          ctx.addIssue({ code: 'custom', path: ['fields', index], message: `${filter.model} has no field '${field}'` });
      });
    });
  return z
    .object({
      eventTypes: upTo(
        bounded ? eventTypePatternSchema : z.string(),
        connectionLimits.eventTypePatterns,
        'event type patterns per connection',
      )
        .default([])
        .describe('Types received: exact names or wildcards such as coworking.charge.*.'),
      record: record
        .optional()
        .describe('Robolabs record callback: when set, the connection receives callbacks of this model only.'),
      reminderRuleId: z
        .string()
        .min(1)
        .max(100)
        .optional()
        .describe('Conexa charge reminders: only reminders of this rule (Regra de Aviso).'),
    })
    .refine((filter) => filter.eventTypes.length > 0 || filter.record !== undefined, {
      message: 'a filter needs event types or a record callback',
      path: ['eventTypes'],
    });
}

/** Robolabs callback settings: the record model, its operations and the fields reported. */
export const recordFilterSchema = filterSchema(true).shape.record.unwrap();
/** The filter a tenant saves: bounded. */
export const connectionFilterSchema = filterSchema(true);
/** The filter as stored and answered (never refused on the way out). */
export const storedFilterSchema = filterSchema(false);
export type ConnectionFilter = z.infer<typeof connectionFilterSchema>;

function retrySchema(bounded: boolean) {
  const step = z
    .number()
    .min(0)
    .max(24 * 3600);
  return z.object({
    maxAttempts: z.number().int().min(1).max(20).default(3),
    windowSeconds: z
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 3600)
      .default(300),
    timeoutMs: z.number().int().min(50).max(60_000).default(15_000),
    /** Wait before the 2nd, 3rd, … attempt; the last value repeats. */
    backoffSeconds: (bounded
      ? z.array(step).max(connectionLimits.backoffSteps, `at most ${connectionLimits.backoffSteps} steps`)
      : z.array(z.number())
    )
      .min(1)
      .default([30, 120]),
  });
}

/** Defaults are Conexa's rules: 3 attempts within 5 minutes, 15 s per request. */
export const retryPolicySchema = retrySchema(true);
export const storedRetryPolicySchema = retrySchema(false);
export type RetryPolicy = z.infer<typeof retryPolicySchema>;
export const defaultRetryPolicy: RetryPolicy = retryPolicySchema.parse({});

export interface SigningSecret {
  /** `whsec_` + base64 key, as Standard Webhooks defines it. */
  secret: string;
  createdAt: Date;
  /** A rotated-out secret keeps signing until then. */
  expiresAt?: Date;
}

export type ConnectionStatus = 'active' | 'blocked';

export interface ConnectionDocument {
  _id: string;
  tenantId: string;
  name: string;
  description?: string;
  url: string;
  /** Set by the tenant (Robolabs "Aktyvus"): an inactive connection matches no new events. */
  active: boolean;
  status: ConnectionStatus;
  filter: ConnectionFilter;
  headers: Record<string, string>;
  retry: RetryPolicy;
  /** Most requests in flight to this receiver at once. */
  maxInFlight: number;
  /** Most requests per second to this receiver; none by default. */
  rateLimit?: number;
  /** 40 characters, as Robolabs' "Unikalus raktas"; sent in the `hookline-unique-key` header. */
  uniqueKey: string;
  secrets: SigningSecret[];
  consecutiveFailures: number;
  blockedAt?: Date;
  createdAt: Date;
  updatedAt: Date;
}
