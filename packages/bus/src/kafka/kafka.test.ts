// Runs against the real Kafka broker provisioned by test/infra (or KAFKA_BROKERS).
import { randomUUID } from 'node:crypto';
import { KafkaJSNonRetriableError } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { eventBusContract } from '../contract.js';
import { chunksOfBytes, KafkaEventBus } from './index.js';

const brokers = (process.env.KAFKA_BROKERS ?? '').split(',').filter(Boolean);
if (brokers.length === 0) throw new Error('KAFKA_BROKERS is not set: the infra global setup should have started Kafka');

eventBusContract('kafka', () => new KafkaEventBus({ brokers, clientId: 'bus-contract' }));

describe('kafka consumer crashes', () => {
  it('starts a new consumer when kafkajs gives up after a non-retriable error, so the subscription goes on', async () => {
    const logged: string[] = [];
    const bus = new KafkaEventBus({ brokers, clientId: 'bus-crash', log: (_level, message) => logged.push(message) });
    const topic = `crash-${randomUUID().slice(0, 8)}`;
    await bus.ensureTopics([{ name: topic, partitions: 1 }]);
    await bus.publish(topic, [{ key: 'k', value: '1' }]);
    let crashes = 1;
    const handled: string[] = [];
    const subscription = await bus.subscribe({
      groupId: `crash-${randomUUID().slice(0, 8)}`,
      topics: [topic],
      fromBeginning: true,
      onBatch: async (batch) => {
        // kafkajs does not retry this error nor restart its consumer (as after "Failed to find group coordinator").
        if (crashes-- > 0) throw new KafkaJSNonRetriableError('simulated non-retriable failure');
        handled.push(...batch.messages.map((m) => m.value.toString()));
      },
    });
    try {
      const deadline = Date.now() + 30_000;
      while (handled.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(handled).toEqual(['1']);
      expect(
        logged.some((line) =>
          /stopped for good \(simulated non-retriable failure\); a new one starts in \d+ ms/.test(line),
        ),
      ).toBe(true);
    } finally {
      await subscription.stop();
      await bus.close();
    }
  }, 60_000);
});

describe('kafka publish', () => {
  it('publishes a batch larger than the broker takes in one request (3 MB to one partition), every message once and in order', async () => {
    const bus = new KafkaEventBus({ brokers, clientId: 'bus-large' });
    const topic = `large-${randomUUID().slice(0, 8)}`;
    await bus.ensureTopics([{ name: topic, partitions: 1 }]);
    const value = (n: number) => `${String(n).padStart(4, '0')}${'x'.repeat(100_000)}`;
    await bus.publish(
      topic,
      Array.from({ length: 30 }, (_, n) => ({ key: 'same', value: value(n) })),
    );
    const seen: string[] = [];
    const subscription = await bus.subscribe({
      groupId: `large-${randomUUID().slice(0, 8)}`,
      topics: [topic],
      fromBeginning: true,
      onBatch: async (batch) => {
        seen.push(...batch.messages.map((m) => m.value.toString().slice(0, 4)));
      },
    });
    try {
      const deadline = Date.now() + 30_000;
      while (seen.length < 30 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(seen).toEqual(Array.from({ length: 30 }, (_, n) => String(n).padStart(4, '0')));
    } finally {
      await subscription.stop();
      await bus.close();
    }
  }, 60_000);

  it('splits by bytes, keeping order, and sends a message larger than the limit alone', () => {
    const message = (size: number) => ({ key: null, value: 'x'.repeat(size) });
    const sizes = [...chunksOfBytes([message(400), message(400), message(400), message(2000), message(10)], 1000)].map(
      (chunk) => chunk.map((m) => m.value.length),
    );
    expect(sizes).toEqual([[400, 400], [400], [2000], [10]]);
  });
});
