// Bad Kafka input, systematically: one stream mixing valid catalog events with
// every kind of message the dispatcher cannot read. Each bad one must be
// dead-lettered with a reason (and counted), each valid one delivered, and the
// stream must go on. On the shared servers of the run, with a topic, a consumer
// group and a database of its own.
import { randomBytes, randomUUID } from 'node:crypto';
import {
  createEvent,
  deadLetterTopic,
  findEventType,
  readDeadLetter,
  toKafkaMessage,
  type DeadLetterCode,
  type HooklineEvent,
} from '@hookline/events';
import { createDispatcherService } from '@hookline/dispatcher';
import { startWebhookPlatform, until, type Receiver, type WebhookPlatform } from '@hookline/testkit';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const id = randomUUID().slice(0, 8);
/** Dead letters of this run: key → reason and origin (filled by the first test). */
const found = new Map<string, { code: string; reason: string; issues: unknown; topic: string; size: number }>();
let cases: BadCase[] = [];
const topic = `bad-input-${id}.coworking`;
const ce = { 'content-type': 'application/cloudevents+json' };
/** The oversized message's value; its dead-letter copy adds the reason headers (up to ~1.1 KB). */
const OVERSIZED_BYTES = Number(process.env.HOOKLINE_BAD_INPUT_OVERSIZED_BYTES ?? 1_048_000);
const brokers = () => (process.env.KAFKA_BROKERS ?? '').split(',').filter(Boolean);

let world: WebhookPlatform;
let receiver: Receiver;
let producer: Producer;

beforeAll(async () => {
  world = await startWebhookPlatform({ name: `bad-input-${id}`, services: [createDispatcherService], topics: [topic] });
  receiver = await world.connect({ eventTypes: ['*'] });
  producer = new Kafka({ clientId: `bad-input-${id}`, brokers: brokers(), logLevel: logLevel.NOTHING }).producer();
  await producer.connect();
});
afterAll(async () => {
  await producer?.disconnect();
  await world?.stop();
});

function validEvent(n: number, type = 'coworking.person.created'): HooklineEvent {
  return createEvent({
    id: `${id}-valid-${n}`,
    type,
    subject: `person-${n}`,
    tenant: world.tenant,
    data: structuredClone(findEventType(type)!.example),
  });
}

interface BadCase {
  name: string;
  key: string;
  value: Buffer | string | null;
  headers?: Record<string, string>;
  /** Produced with no Kafka key at all (`key` then only names the case: it is the event's subject). */
  keyless?: true;
  /** The dead-letter code it must get (`deadLetterCodes`). */
  code: DeadLetterCode;
  /** What the dead-letter reason must say. */
  reason: RegExp;
}

function badCases(): BadCase[] {
  const base = validEvent(0);
  const envelope = (name: string, change: Record<string, unknown>) => {
    const key = `${id}-${name}`;
    return JSON.stringify({ ...base, id: key, subject: key, ...change });
  };
  const k = (name: string) => `${id}-${name}`;
  const person = base.data as Record<string, unknown>;
  /** The JSON with raw bytes inserted at the start of its `source` string. */
  const withBytesInsideAString = (json: string, bytes: number[]) => {
    const at = json.indexOf('"source":"') + '"source":"'.length;
    return Buffer.concat([Buffer.from(json.slice(0, at)), Buffer.from(bytes), Buffer.from(json.slice(at))]);
  };
  return [
    {
      name: 'random bytes',
      code: 'invalid_json',
      key: k('random-bytes'),
      value: randomBytes(512),
      headers: ce,
      reason: /unparsable/,
    },
    {
      name: 'truncated JSON',
      code: 'invalid_json',
      key: k('truncated'),
      value: envelope('truncated', {}).slice(0, 80),
      headers: ce,
      reason: /unparsable/,
    },
    {
      name: 'JSON that is not an object',
      code: 'not_an_object',
      key: k('array'),
      value: '[1,2,3]',
      headers: ce,
      reason: /not a JSON object/,
    },
    {
      name: 'invalid UTF-8 inside the JSON',
      code: 'invalid_json',
      key: k('bad-utf8'),
      value: Buffer.concat([Buffer.from('{"id":"'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"')]),
      headers: ce,
      reason: /unparsable/,
    },
    { name: 'empty value', code: 'empty_value', key: k('empty'), value: '', headers: ce, reason: /empty/ },
    {
      name: 'tombstone (null value)',
      code: 'empty_value',
      key: k('tombstone'),
      value: null,
      headers: ce,
      reason: /empty/,
    },
    {
      name: 'no content-type',
      code: 'not_structured_mode',
      key: k('no-content-type'),
      value: envelope('no-content-type', {}),
      reason: /content-type is missing/,
    },
    {
      name: 'binary-mode content-type',
      code: 'not_structured_mode',
      key: k('binary-mode'),
      value: envelope('binary-mode', {}),
      headers: { 'content-type': 'application/json' },
      reason: /content-type is "application\/json"/,
    },
    {
      name: 'unknown type',
      code: 'unknown_event_type',
      key: k('unknown-type'),
      value: envelope('unknown-type', { type: 'coworking.spaceship.launched' }),
      headers: ce,
      reason: /coworking\.spaceship\.launched/,
    },
    {
      name: 'unknown domain',
      code: 'unknown_event_type',
      key: k('unknown-domain'),
      value: envelope('unknown-domain', { type: 'nosuchdomain.thing.happened' }),
      headers: ce,
      reason: /nosuchdomain\.thing\.happened/,
    },
    {
      name: 'data missing required fields',
      code: 'invalid_data',
      key: k('missing-fields'),
      value: envelope('missing-fields', { data: {} }),
      headers: ce,
      reason: /data/,
    },
    {
      name: 'data fields of the wrong type',
      code: 'invalid_data',
      key: k('wrong-types'),
      value: envelope('wrong-types', {
        data: Object.fromEntries(Object.keys(person).map((f) => [f, { not: 'this' }])),
      }),
      headers: ce,
      reason: /data/,
    },
    // The CloudEvents SDK would invent an id, and a replay would become a second event.
    {
      name: 'envelope without an id',
      code: 'invalid_envelope',
      key: k('no-id'),
      value: JSON.stringify({ ...base, id: undefined, subject: k('no-id') }),
      headers: ce,
      reason: /id must be a non-empty string/,
    },
    {
      name: 'envelope with a bad time',
      code: 'invalid_envelope',
      key: k('bad-time'),
      value: envelope('bad-time', { time: 'yesterday' }),
      headers: ce,
      reason: /time|unparsable/,
    },
    {
      name: 'envelope without a tenant',
      code: 'invalid_envelope',
      key: k('no-tenant'),
      value: envelope('no-tenant', { tenant: undefined }),
      headers: ce,
      reason: /tenant/,
    },
    {
      name: 'wrong specversion',
      code: 'invalid_envelope',
      key: k('specversion'),
      value: envelope('specversion', { specversion: '0.1' }),
      headers: ce,
      reason: /spec|unparsable|version/i,
    },
    // Valid JSON once decoded (the bad bytes become U+FFFD inside a string): it would be delivered altered.
    {
      name: 'invalid UTF-8 inside a JSON string',
      code: 'invalid_utf8',
      key: k('bad-utf8-string'),
      value: withBytesInsideAString(envelope('bad-utf8-string', {}), [0xff, 0xfe]),
      headers: ce,
      reason: /not valid UTF-8/,
    },
    // A valid event, but no key: its aggregate's order would be lost across partitions.
    {
      name: 'no Kafka key',
      code: 'missing_key',
      key: k('no-key'),
      keyless: true,
      value: envelope('no-key', {}),
      headers: ce,
      reason: /no Kafka key: it must be the event subject/,
    },
    {
      name: 'Kafka key differs from the subject',
      code: 'key_mismatch',
      key: k('other-key'),
      value: envelope('key-mismatch', {}),
      headers: ce,
      reason: /differs from the event subject/,
    },
    // An invalid value just under the broker's 1 MiB limit: the dead-letter copy
    // (same value plus reason headers) must still be accepted, or the stream would stop.
    {
      name: `oversized (${OVERSIZED_BYTES} bytes, under the broker's 1 MiB limit) and invalid`,
      code: 'invalid_data',
      key: k('oversized'),
      value: envelope('oversized', {
        data: {
          ...person,
          name: 0,
          padding: 'x'.repeat(
            OVERSIZED_BYTES - envelope('oversized', { data: { ...person, name: 0, padding: '' } }).length,
          ),
        },
      }),
      headers: ce,
      reason: /data\.name/,
    },
  ];
}

describe('bad Kafka messages', () => {
  it('dead-letters every malformed, oversized, schema-violating and unknown-type message with a reason, counts it, and delivers the valid ones around them', async () => {
    cases = badCases();
    const valid: HooklineEvent[] = [];
    // Valid and bad interleaved in one stream, on one partition (same key order does not matter: the stream must go on).
    let n = 0;
    for (const bad of cases) {
      const event = validEvent(++n);
      valid.push(event);
      const message = toKafkaMessage(event);
      await producer.send({
        topic,
        messages: [{ key: message.key, value: message.value, headers: message.headers, partition: 0 }],
      });
      await producer.send({
        topic,
        messages: [{ key: bad.keyless ? null : bad.key, value: bad.value, headers: bad.headers ?? {}, partition: 0 }],
      });
    }
    const last = validEvent(++n);
    valid.push(last);
    const message = toKafkaMessage(last);
    await producer.send({
      topic,
      messages: [{ key: message.key, value: message.value, headers: message.headers, partition: 0 }],
    });

    // Every valid event delivered, the last one after every bad message.
    await until(
      'every valid event delivered',
      () =>
        valid.every((event) =>
          receiver.requests.some(
            (request) =>
              (request.json as { timestamp?: string; data?: { personId?: unknown } })?.timestamp === event.time,
          ),
        ) && receiver.requests.length >= valid.length,
      60_000,
    );

    // Every bad message in the dead-letter topic with its reason and origin.
    const kafka = new Kafka({ clientId: `bad-input-dlq-${id}`, brokers: brokers(), logLevel: logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: `bad-input-dlq-${id}`, maxBytes: 16 * 1024 * 1024 });
    await consumer.connect();
    await consumer.subscribe({ topic: deadLetterTopic, fromBeginning: true });
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 30_000);
      void consumer.run({
        eachMessage: async ({ message }) => {
          // A keyless message is known by its subject.
          const key = message.key
            ? String(message.key)
            : (/"subject":"([^"]*)"/.exec(message.value?.toString() ?? '')?.[1] ?? '');
          if (!key.startsWith(id)) return;
          const deadLetter = readDeadLetter(message.headers);
          if (!deadLetter) return;
          found.set(key, {
            code: deadLetter.code,
            reason: deadLetter.reason,
            issues: deadLetter.issues,
            topic: deadLetter.topic,
            size: message.value?.length ?? 0,
          });
          if (cases.every((bad) => found.has(bad.key))) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
    await consumer.disconnect();

    const table = cases
      .map(
        (bad) =>
          `${bad.name}: ${found.has(bad.key) ? `dead-lettered ${found.get(bad.key)!.code} — ${found.get(bad.key)!.reason.slice(0, 160)}` : 'NOT dead-lettered'}`,
      )
      .join('\n');
    process.stderr.write(`[bad-input] ${cases.length} bad messages, ${valid.length} valid ones:\n${table}\n`);
    for (const bad of cases) {
      expect(found.get(bad.key), `${bad.name}\n${table}`).toBeDefined();
      expect(found.get(bad.key)!.code, `${bad.name}: ${found.get(bad.key)!.reason}`).toBe(bad.code);
      expect(found.get(bad.key)!.reason, bad.name).toMatch(bad.reason);
      // The issues header is JSON whenever fields or rules are named (readDeadLetter parsed it).
      expect(Array.isArray(found.get(bad.key)!.issues), bad.name).toBe(true);
      expect(found.get(bad.key)!.topic).toBe(topic);
    }
    // Valid events are never dead-lettered, nor bad ones delivered.
    expect(valid.some((event) => found.has(event.subject))).toBe(false);
    expect(receiver.requests).toHaveLength(valid.length);

    // Counted: the dispatcher's dead-letter counter on /metrics.
    await until('dead letters counted', async () => (await deadLettered()) === found.size, 10_000);
  });
});

/** The dispatcher's dead-letter counter on /metrics (Prometheus text), summed over its labels. */
async function deadLettered(): Promise<number> {
  const text = await (await fetch(`${world.platform.url}/metrics`)).text();
  let total = 0;
  for (const match of text.matchAll(
    /^hookline_dispatcher_events_dead_lettered(?:_total)?(?:\{[^}]*\})? ([0-9.e+]+)$/gm,
  ))
    total += Number(match[1]);
  return total;
}
