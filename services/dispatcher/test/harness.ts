// Test plumbing for the dispatcher against the real servers: a database and
// topics of its own per test, local receivers that record what they get, and
// events published as the domain services publish them.
import { randomUUID } from 'node:crypto';
import { KafkaEventBus, type EventBus } from '@hookline/bus';
import { createEvent, findEventType, toKafkaMessage, type EventInput, type HooklineEvent } from '@hookline/events';
import { createLogger } from '@hookline/http';
import { MongoDocumentStore } from '@hookline/store';
import { startReceiver, type Receiver } from '@hookline/testkit';
import { Dispatcher, type DispatcherOptions } from '../src/index.js';

export const logger = createLogger({ name: 'dispatcher-test', level: process.env.TEST_LOG_LEVEL ?? 'silent' });

export { startReceiver, until, type Receiver, type ReceivedRequest } from '@hookline/testkit';

/** An isolated world: its own database, topics and consumer group on the real servers. */
export async function createWorld() {
  const id = randomUUID().slice(0, 8);
  const brokers = (process.env.KAFKA_BROKERS ?? '').split(',').filter(Boolean);
  const uri = process.env.MONGODB_URI;
  if (brokers.length === 0 || !uri) throw new Error('KAFKA_BROKERS and MONGODB_URI must point at the test servers');
  const store = new MongoDocumentStore({ uri, database: `dispatcher_${id}` });
  const bus: EventBus = new KafkaEventBus({ brokers, clientId: `dispatcher-test-${id}`, defaultPartitions: 2 });
  const topic = (domain: string) => `test-${id}.${domain}`;
  const topics = ['marketplace', 'accounting', 'coworking'].map(topic);
  const deliveriesTopic = `test-${id}.deliveries`;
  await bus.ensureTopics(topics.map((name) => ({ name, partitions: 2 })));
  const dispatchers: Dispatcher[] = [];
  const receivers: Receiver[] = [];

  return {
    id,
    store,
    bus,
    topics,
    tenant: `tenant-${id}`,
    dispatcher(options: Partial<DispatcherOptions> = {}) {
      const dispatcher = new Dispatcher({
        bus,
        store,
        logger,
        topics,
        groupId: `dispatcher-${id}`,
        deliveriesTopic,
        connectionCacheMs: 1000,
        urlAllowlist: ['127.0.0.1'],
        ...options,
      });
      dispatchers.push(dispatcher);
      return dispatcher;
    },
    async receiver(respond?: Receiver['respond']) {
      const receiver = await startReceiver(respond);
      receivers.push(receiver);
      return receiver;
    },
    /** Publishes catalog events to this world's topic of their domain. */
    async publish(inputs: (Omit<EventInput, 'tenant'> & { tenant?: string })[]): Promise<HooklineEvent[]> {
      const events = inputs.map((input) => createEvent({ tenant: `tenant-${id}`, ...input }));
      // One append per topic, in order (the order of a key holds within it).
      const byTopic = new Map<string, { key: string | null; value: string; headers: Record<string, string> }[]>();
      for (const event of events) {
        const message = toKafkaMessage(event);
        const name = topic(event.type.split('.')[0]!);
        byTopic.set(name, [
          ...(byTopic.get(name) ?? []),
          { key: message.key, value: message.value, headers: message.headers },
        ]);
      }
      for (const [name, messages] of byTopic) await bus.publish(name, messages);
      return events;
    },
    async publishRaw(
      domain: string,
      messages: { key: string | null; value: string; headers?: Record<string, string> }[],
    ) {
      await bus.publish(topic(domain), messages);
    },
    async close() {
      // Receivers first: a hanging one would hold the dispatcher's drain.
      for (const receiver of receivers) await receiver.close();
      for (const dispatcher of dispatchers) await dispatcher.stop().catch(() => undefined);
      await store.dropDatabase().catch(() => undefined);
      await bus.close();
      await store.close();
    },
  };
}
export type World = Awaited<ReturnType<typeof createWorld>>;

export function example(type: string): unknown {
  const definition = findEventType(type);
  if (!definition) throw new Error(`no type ${type}`);
  return structuredClone(definition.example);
}
