// What the dispatcher adds to a message it dead-letters, built in one place for
// both of its consumers (ingest of the domain topics, the intake of
// hookline.deliveries), and read back by `readDeadLetter`. The human reason
// holds commas, quotes and whatever the producer sent, so tools must not split
// it: the code is a stable machine word beside it, and the issues are JSON.
import type { ValidationIssue } from './envelope.js';

/** Why a message was dead-lettered: the `hookline-dead-letter-code` header. Stable: new codes may be added, none renamed. */
export const deadLetterCodes = {
  empty_value: 'The value is empty, or null (a tombstone).',
  not_structured_mode:
    'The `content-type` header is missing or is not `application/cloudevents+json` (binary mode is not accepted).',
  invalid_utf8: 'The value is not valid UTF-8.',
  invalid_json: 'The value is not JSON.',
  not_an_object: 'The value is JSON but not an object.',
  invalid_envelope:
    'A CloudEvents attribute is missing or invalid (`id`, `specversion`, `source`, `type`, `time`, `subject`, `tenant`, …): the issues name each.',
  unknown_event_type: 'The `type` is neither in the catalog nor registered as a custom event type.',
  invalid_data: '`data` breaks the schema of its type: the issues name each field and rule.',
  missing_key: 'The message has no Kafka key: it must be the subject, or the events of one aggregate lose their order.',
  key_mismatch: 'The Kafka key differs from the subject.',
  invalid_delivery_task: 'hookline.deliveries only: JSON that is not a delivery task the intake can read.',
} as const;
export type DeadLetterCode = keyof typeof deadLetterCodes;

/** Why a message cannot be accepted: a code, a sentence for people, and the broken rules when there are some. */
export interface Rejection {
  code: DeadLetterCode;
  reason: string;
  issues?: ValidationIssue[];
}

export const deadLetterHeaders = {
  code: 'hookline-dead-letter-code',
  reason: 'hookline-dead-letter-reason',
  issues: 'hookline-dead-letter-issues',
  topic: 'hookline-original-topic',
  partition: 'hookline-original-partition',
  offset: 'hookline-original-offset',
} as const;

/** The reason header's bound, in characters. */
export const DEAD_LETTER_REASON_MAX = 1000;
/** The issues header's bound, in bytes: as many whole issues as fit. */
export const DEAD_LETTER_ISSUES_MAX_BYTES = 1000;

/** The issues as a JSON array of `{path, rule, message}`, the first ones that fit in the bound (always a whole array). */
function issuesJson(issues: readonly ValidationIssue[]): string {
  const kept: ValidationIssue[] = [];
  for (const { path, rule, message } of issues) {
    const next = [...kept, { path, rule, message: message.slice(0, 200) }];
    if (Buffer.byteLength(JSON.stringify(next)) > DEAD_LETTER_ISSUES_MAX_BYTES) break;
    kept.push(next.at(-1)!);
  }
  return JSON.stringify(kept);
}

/**
 * The headers of a message's dead-letter copy: its own headers, then the code,
 * the reason (one line, at most 1,000 characters), the issues as JSON (when
 * there are some) and where it was read.
 */
export function deadLetterHeadersFor(
  message: { topic: string; partition: number; offset: string; headers?: Record<string, string> },
  rejection: Rejection,
): Record<string, string> {
  return {
    ...message.headers,
    [deadLetterHeaders.code]: rejection.code,
    [deadLetterHeaders.reason]: rejection.reason.replace(/\s+/g, ' ').slice(0, DEAD_LETTER_REASON_MAX),
    ...(rejection.issues?.length ? { [deadLetterHeaders.issues]: issuesJson(rejection.issues) } : {}),
    [deadLetterHeaders.topic]: message.topic,
    [deadLetterHeaders.partition]: String(message.partition),
    [deadLetterHeaders.offset]: message.offset,
  };
}

export interface DeadLetter {
  /** One of `deadLetterCodes`, or a code added by a newer dispatcher. */
  code: DeadLetterCode | (string & {});
  reason: string;
  issues: ValidationIssue[];
  topic: string;
  partition: number;
  offset: string;
}

/** Reads the dispatcher's headers of a message consumed from hookline.dead-letter; null when they are not there. */
export function readDeadLetter(
  headers: Record<string, string | Buffer | (string | Buffer)[] | undefined> | undefined,
): DeadLetter | null {
  const text = (name: string): string | undefined => {
    const value = headers?.[name];
    const one = Array.isArray(value) ? value.at(-1) : value;
    return one === undefined ? undefined : String(one);
  };
  const code = text(deadLetterHeaders.code);
  if (code === undefined) return null;
  const issues = text(deadLetterHeaders.issues);
  return {
    code,
    reason: text(deadLetterHeaders.reason) ?? '',
    issues: issues === undefined ? [] : (JSON.parse(issues) as ValidationIssue[]),
    topic: text(deadLetterHeaders.topic) ?? '',
    partition: Number(text(deadLetterHeaders.partition)),
    offset: text(deadLetterHeaders.offset) ?? '',
  };
}
