// The CloudEvents 1.0 envelope every Hookline event travels in on Kafka.
//
// Structured content mode, one way only: the Kafka value is the whole event as
// JSON (`content-type: application/cloudevents+json`), so a message is
// self-describing wherever it is copied (dead-letter topic, console tools,
// replays) and nothing depends on headers surviving. The Kafka key is the
// subject, `<tenant id>/<aggregate>` (subject.ts; also the `partitionkey`
// extension), so one aggregate's events stay in order on one partition.
// `traceparent` is both the CloudEvents distributed-tracing extension and a
// Kafka header, where OpenTelemetry's Kafka propagation looks for it.
import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import { CloudEvent, Kafka } from 'cloudevents';
import { z } from 'zod';
import { issuesOf, type Issue } from '@hookline/errors';
import { findEventType, topicFor } from './catalog.js';
import type { Rejection } from './dead-letter.js';
import type { EventDefinition } from './define.js';

export const cloudEventsContentType = 'application/cloudevents+json';

export const traceparentPattern = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

/** The envelope's attributes; `data` is checked separately against the event type's schema. */
export const envelopeSchema = z.object({
  specversion: z.literal('1.0'),
  id: z
    .string({ error: 'id must be a non-empty string' })
    .min(1, 'id must be a non-empty string')
    .describe(
      'Unique per event, and the same when the event is sent again: the dispatcher makes one delivery per event id and connection, and receivers deduplicate on it.',
    ),
  source: z.string().min(1).describe('The producing service, e.g. /hookline/marketplace.'),
  type: z.string().regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*){2,}$/, 'a <domain>.<entity>.<action> type'),
  time: z.iso.datetime({ offset: true }).describe('When it happened, ISO 8601.'),
  subject: z
    .string()
    .min(1)
    .describe(
      "The aggregate, as <tenant id>/<aggregate> (e.g. ten_…/account.invoice:4812): also the Kafka key and the producing service's event-store stream.",
    ),
  datacontenttype: z.literal('application/json'),
  tenant: z
    .string()
    .min(1)
    .describe(
      'Extension: the id of the tenant whose connections may receive the event (ten_…, as POST /v1/tenants answers it), not its name.',
    ),
  actor: z.string().min(1).optional().describe('Extension: who caused it, e.g. seller:42, buyer:7, user:15, system.'),
  traceparent: z.string().regex(traceparentPattern, 'a W3C traceparent').optional(),
  tracestate: z.string().optional(),
  partitionkey: z.string().optional(),
  reminderrule: z
    .string()
    .min(1)
    .optional()
    .describe(
      'Extension, coworking.charge.reminder only: the reminder rule (Regra de Aviso) that fired, so only connections linked to it receive the reminder.',
    ),
  data: z.unknown(),
});
export type Envelope = z.infer<typeof envelopeSchema>;

/** A catalog event in its envelope, its `data` typed by the definition. */
export type HooklineEvent<Data = unknown> = Omit<Envelope, 'data'> & { data: Data };

/** What a producer states; the rest of the envelope is filled in. */
export interface EventInput<Data = unknown> {
  type: string;
  /** The aggregate id. */
  subject: string;
  tenant: string;
  data: Data;
  actor?: string;
  id?: string;
  time?: Date | string;
  source?: string;
  traceparent?: string;
  tracestate?: string;
  /** coworking.charge.reminder: the reminder rule that fired. */
  reminderRule?: string;
}

/** A broken rule of an event: its dotted path from the envelope's root (e.g. `data.project.price`), the rule, the message. */
export type ValidationIssue = Issue;

/** An event that breaks its schema; the message names every field and rule. */
export class EventValidationError extends Error {
  override readonly name = 'EventValidationError';
  constructor(
    readonly eventType: string,
    readonly issues: ValidationIssue[],
  ) {
    super(
      `invalid ${eventType || 'event'}: ${issues.map((issue) => `${issue.path || '(root)'}: ${issue.message} [${issue.rule}]`).join('; ')}`,
    );
  }
}

/**
 * Checks an envelope and its data against the catalog (or `lookup`, for types
 * registered at run time) and returns it with the data as parsed.
 */
export function validateEvent(
  candidate: unknown,
  lookup: (type: string) => Pick<EventDefinition, 'data'> | undefined = findEventType,
): HooklineEvent {
  const envelope = envelopeSchema.safeParse(candidate);
  const type = typeof (candidate as { type?: unknown })?.type === 'string' ? (candidate as { type: string }).type : '';
  if (!envelope.success) throw new EventValidationError(type, issuesOf(envelope.error));
  const definition = lookup(envelope.data.type);
  if (!definition) {
    throw new EventValidationError(type, [
      { path: 'type', rule: 'unknown_event_type', message: `no event type "${type}" in the catalog` },
    ]);
  }
  const data = definition.data.safeParse(envelope.data.data);
  if (!data.success) throw new EventValidationError(type, issuesOf(data.error, ['data']));
  return { ...envelope.data, data: data.data };
}

/** Builds and validates the envelope of an event a service is about to publish. */
export function createEvent(input: EventInput, lookup?: Parameters<typeof validateEvent>[1]): HooklineEvent {
  const time = input.time instanceof Date ? input.time.toISOString() : (input.time ?? new Date().toISOString());
  const domain = input.type.split('.', 1)[0];
  return validateEvent(
    {
      specversion: '1.0',
      id: input.id ?? randomUUID(),
      source: input.source ?? `/hookline/${domain}`,
      type: input.type,
      time,
      subject: input.subject,
      datacontenttype: 'application/json',
      tenant: input.tenant,
      ...(input.actor === undefined ? {} : { actor: input.actor }),
      ...(input.traceparent === undefined ? {} : { traceparent: input.traceparent }),
      ...(input.tracestate === undefined ? {} : { tracestate: input.tracestate }),
      ...(input.reminderRule === undefined ? {} : { reminderrule: input.reminderRule }),
      partitionkey: input.subject,
      data: input.data,
    },
    lookup,
  );
}

export interface EnvelopeKafkaMessage {
  topic: string;
  key: string;
  value: string;
  headers: Record<string, string>;
  timestamp: string;
}

/** The Kafka message for an event: structured mode through the cloudevents Kafka binding. */
export function toKafkaMessage(event: HooklineEvent): EnvelopeKafkaMessage {
  const message = Kafka.structured(new CloudEvent({ ...event, partitionkey: event.subject }));
  const headers: Record<string, string> = { 'content-type': cloudEventsContentType };
  if (event.traceparent) headers.traceparent = event.traceparent;
  if (event.tracestate) headers.tracestate = event.tracestate;
  return {
    topic: topicFor(event.type),
    key: event.subject,
    value: String(message.value),
    headers,
    timestamp: String(Date.parse(event.time)),
  };
}

export type ParseResult = { ok: true; event: HooklineEvent } | ({ ok: false } & Rejection);

const reject = (code: Rejection['code'], reason: string, issues?: ValidationIssue[]): ParseResult => ({
  ok: false,
  code,
  reason,
  ...(issues ? { issues } : {}),
});

/** What kind of JSON value it is, for a reason. */
function jsonKind(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

/**
 * Reads a consumed Kafka message back into a validated event; never throws,
 * so a consumer can dead-letter the message with the code and reason and
 * carry on. Checked in this order: a value, structured mode, JSON, UTF-8, an
 * object, the envelope, the type, the data, then the key (present, and equal to
 * the subject). The event's `time` comes back normalized to UTC.
 */
export function parseKafkaMessage(
  message: {
    key?: string | Buffer | null;
    value: string | Buffer | null;
    headers?: Record<string, string | Buffer | undefined>;
  },
  lookup?: Parameters<typeof validateEvent>[1],
): ParseResult {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {}))
    if (value !== undefined) headers[name.toLowerCase()] = String(value);
  if (message.value === null || message.value.length === 0) return reject('empty_value', 'empty message value');
  if (!headers['content-type']?.startsWith(cloudEventsContentType)) {
    return reject(
      'not_structured_mode',
      `not a structured-mode CloudEvent: content-type is ${headers['content-type'] ? `"${headers['content-type']}"` : 'missing'}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(String(message.value));
  } catch (error) {
    return reject('invalid_json', `unparsable CloudEvent: ${error instanceof Error ? error.message : String(error)}`);
  }
  // Decoding replaced invalid bytes with U+FFFD; the event would be delivered altered.
  if (typeof message.value !== 'string' && !isUtf8(message.value))
    return reject('invalid_utf8', 'unparsable CloudEvent: the value is not valid UTF-8');
  if (json === null || typeof json !== 'object' || Array.isArray(json))
    return reject('not_an_object', `not a CloudEvent: the value is ${jsonKind(json)}, not a JSON object`);
  const candidate = json as Record<string, unknown>;
  const envelope = envelopeSchema.safeParse(candidate);
  if (!envelope.success) {
    const error = new EventValidationError(
      typeof candidate.type === 'string' ? candidate.type : '',
      issuesOf(envelope.error),
    );
    return reject('invalid_envelope', error.message, error.issues);
  }
  const key = message.key == null ? '' : String(message.key);
  let event: HooklineEvent;
  try {
    event = validateEvent(
      { ...candidate, time: new Date(envelope.data.time).toISOString(), partitionkey: key },
      lookup,
    );
  } catch (error) {
    if (!(error instanceof EventValidationError)) throw error;
    return reject(
      error.issues.some((issue) => issue.rule === 'unknown_event_type') ? 'unknown_event_type' : 'invalid_data',
      error.message,
      error.issues,
    );
  }
  if (key === '') return reject('missing_key', `no Kafka key: it must be the event subject "${event.subject}"`);
  if (key !== event.subject)
    return reject('key_mismatch', `Kafka key "${key}" differs from the event subject "${event.subject}"`);
  return { ok: true, event };
}
