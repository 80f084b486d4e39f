// The behaviour every EventBus backend must have; run against each backend.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Batch, EventBus, IncomingMessage, Subscription } from './port.js';

export async function eventually<T>(probe: () => T | Promise<T>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      return await probe();
    } catch (error) {
      lastError = error;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw lastError;
}

function collector() {
  const received: IncomingMessage[] = [];
  return { received, onBatch: async (batch: Batch) => void received.push(...batch.messages) };
}

export function eventBusContract(name: string, createBus: () => EventBus | Promise<EventBus>) {
  describe(`EventBus contract: ${name}`, () => {
    let bus: EventBus;
    const subscriptions: Subscription[] = [];
    const unique = (label: string) => `contract-${label}-${randomUUID().slice(0, 8)}`;
    const subscribe = async (...args: Parameters<EventBus['subscribe']>) => {
      const subscription = await bus.subscribe(...args);
      subscriptions.push(subscription);
      return subscription;
    };

    beforeAll(async () => {
      bus = await createBus();
      await bus.ping();
    });
    afterAll(async () => {
      await Promise.all(subscriptions.map((s) => s.stop()));
      await bus.close();
    });

    it('delivers key, value, headers and timestamp of published messages', async () => {
      const topic = unique('roundtrip');
      await bus.ensureTopics([{ name: topic, partitions: 3 }]);
      const at = new Date('2026-01-02T03:04:05.000Z');
      await bus.publish(topic, [
        { key: 'k1', value: '{"hello":"world"}', headers: { 'ce-type': 'x.y.z' }, timestamp: at },
      ]);
      const sink = collector();
      await subscribe({ groupId: unique('g'), topics: [topic], fromBeginning: true, onBatch: sink.onBatch });
      const [message] = await eventually(() => {
        expect(sink.received).toHaveLength(1);
        return sink.received;
      });
      expect(message!.key).toBe('k1');
      expect(message!.value.toString()).toBe('{"hello":"world"}');
      expect(message!.headers['ce-type']).toBe('x.y.z');
      expect(message!.timestamp.toISOString()).toBe(at.toISOString());
      expect(message!.topic).toBe(topic);
    });

    it('keeps the order of messages with the same key, each key on one partition', async () => {
      const topic = unique('order');
      await bus.ensureTopics([{ name: topic, partitions: 3 }]);
      const keys = ['a', 'b', 'c', 'd', 'e'];
      for (let i = 0; i < 20; i++) {
        await bus.publish(
          topic,
          keys.map((key) => ({ key, value: String(i) })),
        );
      }
      const sink = collector();
      await subscribe({ groupId: unique('g'), topics: [topic], fromBeginning: true, onBatch: sink.onBatch });
      await eventually(() => expect(sink.received).toHaveLength(100));
      for (const key of keys) {
        const ofKey = sink.received.filter((m) => m.key === key);
        expect(ofKey.map((m) => Number(m.value.toString()))).toEqual([...Array(20).keys()]);
        expect(new Set(ofKey.map((m) => m.partition)).size).toBe(1);
      }
    });

    it('appends to the partition a message names, whatever its key', async () => {
      const topic = unique('partition');
      await bus.ensureTopics([{ name: topic, partitions: 4 }]);
      await bus.publish(
        topic,
        [0, 1, 2, 3, 3, 2].map((partition, i) => ({ key: 'same-key', partition, value: `${partition}:${i}` })),
      );
      const sink = collector();
      await subscribe({ groupId: unique('g'), topics: [topic], fromBeginning: true, onBatch: sink.onBatch });
      await eventually(() => expect(sink.received).toHaveLength(6));
      for (const message of sink.received)
        expect(message.partition).toBe(Number(message.value.toString().split(':')[0]));
    });

    it('resumes a group from its committed offset, and new groups start at the end unless fromBeginning', async () => {
      const topic = unique('commit');
      await bus.ensureTopics([{ name: topic, partitions: 2 }]);
      const groupId = unique('g');
      await bus.publish(topic, [{ key: 'x', value: 'first' }]);
      const first = collector();
      const subscription = await bus.subscribe({
        groupId,
        topics: [topic],
        fromBeginning: true,
        onBatch: first.onBatch,
      });
      await eventually(() => expect(first.received.map((m) => m.value.toString())).toEqual(['first']));
      await subscription.stop();

      await bus.publish(topic, [{ key: 'x', value: 'second' }]);
      const again = collector();
      await subscribe({ groupId, topics: [topic], fromBeginning: true, onBatch: again.onBatch });
      const latest = collector();
      await subscribe({ groupId: unique('late'), topics: [topic], fromBeginning: false, onBatch: latest.onBatch });
      await eventually(() => expect(again.received.map((m) => m.value.toString())).toEqual(['second']));
      // "The end" is where the new group first reads; keep publishing until it reads something.
      let probes = 0;
      await eventually(async () => {
        await bus.publish(topic, [{ key: 'x', value: `probe-${probes++}` }]);
        await new Promise((r) => setTimeout(r, 200));
        expect(latest.received.length).toBeGreaterThan(0);
      }, 30_000);
      const seenByLate = latest.received.map((m) => m.value.toString());
      expect(seenByLate).not.toContain('first');
      expect(seenByLate).not.toContain('second');
      expect(seenByLate.every((v) => v.startsWith('probe-'))).toBe(true);
      await eventually(() => expect(again.received).toHaveLength(1 + probes));
    });

    it('redelivers a batch whose handler failed, so nothing is lost', async () => {
      const topic = unique('retry');
      await bus.ensureTopics([{ name: topic, partitions: 1 }]);
      await bus.publish(topic, [
        { key: 'k', value: '1' },
        { key: 'k', value: '2' },
      ]);
      let failuresLeft = 2;
      const handled: string[] = [];
      await subscribe({
        groupId: unique('g'),
        topics: [topic],
        fromBeginning: true,
        onBatch: async (batch) => {
          if (failuresLeft-- > 0) throw new Error('receiver down');
          handled.push(...batch.messages.map((m) => m.value.toString()));
        },
      });
      await eventually(() => expect(handled).toEqual(['1', '2']), 30_000);
    });

    it('shares partitions among the members of one group and gives every group every message', async () => {
      const topic = unique('groups');
      await bus.ensureTopics([{ name: topic, partitions: 4 }]);
      const groupId = unique('shared');
      const memberA = collector();
      const memberB = collector();
      const other = collector();
      await subscribe({ groupId, topics: [topic], fromBeginning: true, onBatch: memberA.onBatch });
      await subscribe({ groupId, topics: [topic], fromBeginning: true, onBatch: memberB.onBatch });
      await subscribe({ groupId: unique('other'), topics: [topic], fromBeginning: true, onBatch: other.onBatch });
      const messages = Array.from({ length: 40 }, (_, i) => ({ key: `key-${i}`, value: String(i) }));
      await bus.publish(topic, messages);
      await eventually(() => expect(other.received).toHaveLength(40), 30_000);
      const shared = await eventually(() => {
        const all = [...memberA.received, ...memberB.received].map((m) => m.value.toString());
        expect(new Set(all).size).toBe(40);
        return all;
      }, 30_000);
      // Each message once in the group (a rebalance may repeat a batch at most: at-least-once).
      expect(shared.length).toBeGreaterThanOrEqual(40);
      const partitionsA = new Set(memberA.received.map((m) => m.partition));
      const partitionsB = new Set(memberB.received.map((m) => m.partition));
      expect(partitionsA.size + partitionsB.size).toBeGreaterThanOrEqual(4);
    });

    it('handles the batches of several partitions at once with concurrency, one batch per partition at a time', async () => {
      const topic = unique('concurrent');
      await bus.ensureTopics([{ name: topic, partitions: 4 }]);
      const keys = Array.from({ length: 40 }, (_, i) => `key-${i}`);
      await bus.publish(
        topic,
        keys.map((key) => ({ key, value: key })),
      );
      let running = 0;
      let most = 0;
      const inPartition = new Set<number>();
      let overlapped = false;
      const seen: string[] = [];
      await subscribe({
        groupId: unique('g'),
        topics: [topic],
        fromBeginning: true,
        concurrency: 4,
        onBatch: async (batch) => {
          if (inPartition.has(batch.partition)) overlapped = true;
          inPartition.add(batch.partition);
          most = Math.max(most, ++running);
          // A slow handler: the other partitions must not wait for it.
          await new Promise((r) => setTimeout(r, 300));
          seen.push(...batch.messages.map((m) => m.value.toString()));
          running--;
          inPartition.delete(batch.partition);
        },
      });
      await eventually(() => expect(new Set(seen).size).toBe(40), 30_000);
      expect(most).toBeGreaterThan(1);
      expect(overlapped).toBe(false);
    });

    it('takes a batch in and lets it settle later: other partitions go on meanwhile, its offsets are committed only once settled', async () => {
      const topic = unique('settle');
      await bus.ensureTopics([{ name: topic, partitions: 2 }]);
      const groupId = unique('g');
      await bus.publish(topic, [{ key: 'a', partition: 0, value: 'A' }]);
      const seen: string[] = [];
      let fail: (error: Error) => void = () => undefined;
      const settled = new Promise<void>((_resolve, reject) => (fail = reject));
      settled.catch(() => undefined);
      const first = await bus.subscribe({
        groupId,
        topics: [topic],
        fromBeginning: true,
        concurrency: 2,
        onBatch: async (batch) => {
          seen.push(...batch.messages.map((m) => m.value.toString()));
          return batch.partition === 0 ? { settled } : undefined;
        },
      });
      await eventually(() => expect(seen).toEqual(['A']), 30_000);
      // Published while A is still settling: a handler holding one partition must not hold up another.
      await bus.publish(topic, [{ key: 'b', partition: 1, value: 'B' }]);
      await eventually(() => expect(seen).toEqual(['A', 'B']), 30_000);
      fail(new Error('never handled'));
      await first.stop();
      // A never settled, so it was not committed: the group reads it again; B was.
      const again = collector();
      await subscribe({ groupId, topics: [topic], fromBeginning: true, concurrency: 2, onBatch: again.onBatch });
      await eventually(() => expect(again.received.map((m) => m.value.toString())).toEqual(['A']), 30_000);
      await new Promise((r) => setTimeout(r, 500));
      expect(again.received.map((m) => m.value.toString())).toEqual(['A']);
    }, 90_000);

    it('tells each member the partitions it holds, and [] once it stops', async () => {
      const topic = unique('assign');
      await bus.ensureTopics([{ name: topic, partitions: 4 }]);
      const groupId = unique('g');
      const heldBy = { a: [] as number[], b: [] as number[] };
      const onBatch = async () => undefined;
      const a = await bus.subscribe({
        groupId,
        topics: [topic],
        onBatch,
        onAssignment: (parts) =>
          (heldBy.a = parts
            .filter((p) => p.topic === topic)
            .map((p) => p.partition)
            .sort()),
      });
      await eventually(() => expect(heldBy.a).toEqual([0, 1, 2, 3]), 30_000);
      const b = await subscribe({
        groupId,
        topics: [topic],
        onBatch,
        onAssignment: (parts) =>
          (heldBy.b = parts
            .filter((p) => p.topic === topic)
            .map((p) => p.partition)
            .sort()),
      });
      await eventually(() => {
        expect(heldBy.a.length + heldBy.b.length).toBe(4);
        expect(heldBy.a.length).toBeGreaterThan(0);
        expect(heldBy.b.length).toBeGreaterThan(0);
        expect([...heldBy.a, ...heldBy.b].sort()).toEqual([0, 1, 2, 3]);
      }, 60_000);
      await a.stop();
      expect(heldBy.a).toEqual([]);
      await eventually(() => expect(heldBy.b).toEqual([0, 1, 2, 3]), 60_000);
      await b.stop();
      expect(heldBy.b).toEqual([]);
    });

    it('subscribes by pattern to matching topics', async () => {
      const prefix = unique('pattern');
      await bus.ensureTopics([{ name: `${prefix}.one` }, { name: `${prefix}.two` }, { name: `${prefix}-other` }]);
      const sink = collector();
      await subscribe({
        groupId: unique('g'),
        topics: new RegExp(`^${prefix}\\.`),
        fromBeginning: true,
        onBatch: sink.onBatch,
      });
      await bus.publish(`${prefix}.one`, [{ key: '1', value: 'one' }]);
      await bus.publish(`${prefix}.two`, [{ key: '2', value: 'two' }]);
      await bus.publish(`${prefix}-other`, [{ key: '3', value: 'other' }]);
      await eventually(
        () => expect(sink.received.map((m) => m.value.toString()).sort()).toEqual(['one', 'two']),
        30_000,
      );
    });

    it('creates topics idempotently', async () => {
      const topic = unique('idem');
      await bus.ensureTopics([{ name: topic, partitions: 2 }]);
      await expect(bus.ensureTopics([{ name: topic, partitions: 2 }])).resolves.toBeUndefined();
    });
  });
}
