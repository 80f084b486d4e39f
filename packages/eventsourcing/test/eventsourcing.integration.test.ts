// The event store on both document-store backends (one contract), and the
// outbox relay on the real Kafka broker and MongoDB-compatible server.
import { randomUUID } from 'node:crypto';
import { KafkaEventBus } from '@hookline/bus';
import { EventValidationError, findEventType, parseKafkaMessage } from '@hookline/events';
import { createLogger } from '@hookline/http';
import { EmbeddedDocumentStore, MongoDocumentStore, type DocumentStore } from '@hookline/store';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import { illegal, type DomainError } from '@hookline/errors';
import { statusOf } from '@hookline/http';
import {
  ConcurrencyError,
  EventStore,
  handleCommand,
  OutboxRelay,
  type Decider,
  type DomainEvent,
} from '../src/index.js';

const example = (type: string) => structuredClone(findEventType(type)!.example);
const context = { tenant: 'tenant-1', actor: 'seller:1', source: '/hookline/marketplace' };

/** A two-step toy aggregate over real catalog events: a draft is created once, then sent once. */
type ToyCommand = { kind: 'create' } | { kind: 'send' };
type ToyState = { status: 'none' | 'draft' | 'sent' };
const toy: Decider<ToyCommand, DomainEvent, ToyState> = {
  initialState: () => ({ status: 'none' }),
  evolve: (state, event) =>
    event.type === 'marketplace.project.new_draft'
      ? { status: 'draft' }
      : event.type === 'marketplace.project.new_sent'
        ? { status: 'sent' }
        : state,
  decide: (command, state) => {
    if (command.kind === 'create' && state.status === 'none')
      return [{ type: 'marketplace.project.new_draft', data: example('marketplace.project.new_draft') }];
    if (command.kind === 'send' && state.status === 'draft')
      return [{ type: 'marketplace.project.new_sent', data: example('marketplace.project.new_sent') }];
    throw illegal(`cannot ${command.kind} in ${state.status}`, { state: state.status });
  },
};

const stores: [string, () => DocumentStore][] = [
  ['embedded', () => new EmbeddedDocumentStore()],
  [
    'mongodb',
    () => new MongoDocumentStore({ uri: process.env.MONGODB_URI!, database: `es_${randomUUID().slice(0, 8)}` }),
  ],
];

for (const [backend, makeStore] of stores) {
  describe(`event store contract (${backend})`, () => {
    const documents = makeStore();
    const store = new EventStore(documents);
    afterAll(async () => {
      if (documents instanceof MongoDocumentStore) await documents.dropDatabase();
      await documents.close();
    });

    it('appends and loads a stream in version order, with the envelope of each event', async () => {
      await store.ensureIndexes();
      const stream = `project-${randomUUID()}`;
      await handleCommand(store, toy, stream, { kind: 'create' }, context);
      const { state, version } = await handleCommand(store, toy, stream, { kind: 'send' }, context);
      expect(state).toEqual({ status: 'sent' });
      expect(version).toBe(2);
      const loaded = await store.load(stream);
      expect(loaded.version).toBe(2);
      expect(loaded.events.map((event) => [event.type, event.subject, event.tenant, event.actor])).toEqual([
        ['marketplace.project.new_draft', stream, 'tenant-1', 'seller:1'],
        ['marketplace.project.new_sent', stream, 'tenant-1', 'seller:1'],
      ]);
    });

    it('carries the caller’s traceparent into the events, and drops a malformed one instead of failing', async () => {
      const traced = `project-${randomUUID()}`;
      const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
      await handleCommand(store, toy, traced, { kind: 'create' }, { ...context, traceparent, tracestate: 'vendor=1' });
      expect((await store.load(traced)).events[0]).toMatchObject({ traceparent, tracestate: 'vendor=1' });
      const untraced = `project-${randomUUID()}`;
      await handleCommand(
        store,
        toy,
        untraced,
        { kind: 'create' },
        { ...context, traceparent: 'not-a-traceparent', tracestate: 'vendor=1' },
      );
      const [event] = (await store.load(untraced)).events;
      expect(event).not.toHaveProperty('traceparent');
      expect(event).not.toHaveProperty('tracestate');
    });

    it('lets exactly one of two concurrent writers of the same version win; the other gets a ConcurrencyError', async () => {
      const stream = `project-${randomUUID()}`;
      const results = await Promise.allSettled(
        [1, 2, 3].map(() =>
          store.append(
            stream,
            0,
            [{ type: 'marketplace.project.new_draft', data: example('marketplace.project.new_draft') }],
            context,
          ),
        ),
      );
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
      for (const result of results.filter((result) => result.status === 'rejected'))
        expect((result as PromiseRejectedResult).reason).toBeInstanceOf(ConcurrencyError);
      expect((await store.load(stream)).version).toBe(1);
      const late = await store
        .append(
          stream,
          0,
          [{ type: 'marketplace.project.new_sent', data: example('marketplace.project.new_sent') }],
          context,
        )
        .catch((error: unknown) => error);
      expect(late).toBeInstanceOf(ConcurrencyError);
      expect(statusOf(late as DomainError)).toBe(409);
    });

    it('stores nothing of a batch with an event that breaks its schema', async () => {
      const stream = `project-${randomUUID()}`;
      const bad = { ...(example('marketplace.project.new_sent') as object), project: 'not an object' };
      await expect(
        store.append(
          stream,
          0,
          [
            { type: 'marketplace.project.new_draft', data: example('marketplace.project.new_draft') },
            { type: 'marketplace.project.new_sent', data: bad },
          ],
          context,
        ),
      ).rejects.toBeInstanceOf(EventValidationError);
      expect((await store.load(stream)).version).toBe(0);
    });

    it('keeps internal events for the state only (never validated against the catalog nor relayed) and carries the reminder rule', async () => {
      const stream = `charge-${randomUUID()}`;
      await store.append(stream, 0, [{ type: 'internal.charge.settled_manually', data: { by: 'user:3' } }], context);
      await store.append(
        stream,
        1,
        [{ type: 'coworking.charge.reminder', data: example('coworking.charge.reminder'), reminderRule: 'rule-5' }],
        context,
      );
      const loaded = await store.load(stream);
      expect(loaded.events.map((event) => event.type)).toEqual([
        'internal.charge.settled_manually',
        'coworking.charge.reminder',
      ]);
      expect(loaded.events[1]!.reminderrule).toBe('rule-5');
      expect(await store.events.countDocuments({ stream, published: false })).toBe(1);
    });

    it('answers an illegal command with the decider error and appends nothing', async () => {
      const stream = `project-${randomUUID()}`;
      const refused = await handleCommand(store, toy, stream, { kind: 'send' }, context).catch(
        (error: unknown) => error,
      );
      expect(refused).toMatchObject({ kind: 'illegal', code: 'illegal_transition' });
      expect(statusOf(refused as DomainError)).toBe(409);
      expect((await store.load(stream)).version).toBe(0);
    });
  });
}

describe('outbox relay (real Kafka and MongoDB-compatible server)', () => {
  it('publishes every event in order per aggregate, at least once, even when killed between publish and mark', async () => {
    const documents = new MongoDocumentStore({
      uri: process.env.MONGODB_URI!,
      database: `relay_${randomUUID().slice(0, 8)}`,
    });
    const brokers = (process.env.KAFKA_BROKERS ?? '').split(',');
    const bus = new KafkaEventBus({ brokers, clientId: 'relay-test' });
    const logger = createLogger({ name: 'relay-test', level: 'silent' });
    const store = new EventStore(documents);
    await store.ensureIndexes();
    try {
      const streams = Array.from({ length: 5 }, () => `project-${randomUUID()}`);
      for (const stream of streams) {
        await handleCommand(store, toy, stream, { kind: 'create' }, context);
        await handleCommand(store, toy, stream, { kind: 'send' }, context);
      }
      // The first relay dies after publishing, before marking anything.
      const crashing = new OutboxRelay({ store, bus, logger, afterPublish: () => Promise.reject(new Error('killed')) });
      await expect(crashing.relayOnce()).rejects.toThrow('killed');
      expect(await store.events.countDocuments({ published: false, stream: { $in: streams } })).toBe(10);
      // Its successor publishes everything again and marks it.
      const relay = new OutboxRelay({ store, bus, logger });
      expect(await relay.relayOnce()).toBe(10);
      expect(await store.events.countDocuments({ published: false, stream: { $in: streams } })).toBe(0);
      expect(await relay.relayOnce()).toBe(0);

      const kafka = new Kafka({ clientId: 'relay-reader', brokers, logLevel: logLevel.NOTHING });
      const consumer = kafka.consumer({ groupId: `relay-${randomUUID()}` });
      await consumer.connect();
      await consumer.subscribe({ topic: 'hookline.marketplace', fromBeginning: true });
      const received = new Map<string, string[]>();
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('not all events read back')), 30_000);
        void consumer.run({
          eachMessage: async ({ message }) => {
            const parsed = parseKafkaMessage({
              key: message.key,
              value: message.value,
              headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])),
            });
            if (!parsed.ok || !streams.includes(parsed.event.subject)) return;
            received.set(parsed.event.subject, [...(received.get(parsed.event.subject) ?? []), parsed.event.type]);
            if ([...received.values()].reduce((sum, types) => sum + types.length, 0) === 20) {
              clearTimeout(timer);
              resolve();
            }
          },
        });
      });
      await consumer.disconnect();
      // Twice each (at least once), and within each aggregate always draft before sent.
      for (const stream of streams) {
        expect(received.get(stream)).toEqual([
          'marketplace.project.new_draft',
          'marketplace.project.new_sent',
          'marketplace.project.new_draft',
          'marketplace.project.new_sent',
        ]);
      }
    } finally {
      await bus.close();
      await documents.dropDatabase();
      await documents.close();
    }
  });
});
