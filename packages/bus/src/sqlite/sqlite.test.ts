import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eventBusContract, eventually } from '../contract.js';
import type { Batch, IncomingMessage } from '../port.js';
import { SqliteEventBus } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'hookline-sqlite-bus-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

eventBusContract('sqlite', () => new SqliteEventBus({ path: join(dir, 'contract.db') }));

describe('sqlite bus specifics', () => {
  it('keeps topics, messages and committed offsets across a close and reopen: a group resumes where it committed', async () => {
    const path = join(dir, 'reopen.db');
    const first = new SqliteEventBus({ path });
    await first.ensureTopics([{ name: 'orders', partitions: 2 }]);
    await first.publish('orders', [
      { key: 'a', value: '1', headers: { 'ce-id': 'e1' } },
      { key: 'a', value: '2' },
    ]);
    const seen: string[] = [];
    const subscription = await first.subscribe({
      groupId: 'g',
      topics: ['orders'],
      fromBeginning: true,
      onBatch: async (batch: Batch) => void seen.push(...batch.messages.map((m) => m.value.toString())),
    });
    await eventually(() => expect(seen).toEqual(['1', '2']));
    await subscription.stop();
    await first.publish('orders', [{ key: 'a', value: '3' }]);
    await first.close();

    const second = new SqliteEventBus({ path });
    const again: IncomingMessage[] = [];
    await second.subscribe({
      groupId: 'g',
      topics: ['orders'],
      fromBeginning: true,
      onBatch: async (batch) => void again.push(...batch.messages),
    });
    const fresh: string[] = [];
    await second.subscribe({
      groupId: 'fresh',
      topics: ['orders'],
      fromBeginning: true,
      onBatch: async (batch) => void fresh.push(...batch.messages.map((m) => m.value.toString())),
    });
    await eventually(() => expect(again.map((m) => m.value.toString())).toEqual(['3']));
    expect(again[0]!.offset).toBe('2');
    await eventually(() => expect(fresh).toEqual(['1', '2', '3']));
    await second.close();
  });

  it("keeps a new group's starting point, so messages published before its first commit are not skipped after a restart", async () => {
    const path = join(dir, 'latest.db');
    const first = new SqliteEventBus({ path });
    await first.ensureTopics([{ name: 'late', partitions: 1 }]);
    await first.publish('late', [{ key: 'k', value: 'before' }]);
    await first.subscribe({
      groupId: 'g',
      topics: ['late'],
      fromBeginning: false,
      onBatch: () => new Promise(() => undefined),
    });
    await first.publish('late', [{ key: 'k', value: 'after' }]);
    // Closing would wait for the handler that never ends: this is a process that died.
    const second = new SqliteEventBus({ path });
    const seen: string[] = [];
    await second.subscribe({
      groupId: 'g',
      topics: ['late'],
      onBatch: async (batch) => void seen.push(...batch.messages.map((m) => m.value.toString())),
    });
    await eventually(() => expect(seen).toEqual(['after']));
    await second.close();
  });

  it('deletes old messages only once every group reading the partition has committed past them', async () => {
    const bus = new SqliteEventBus({ path: join(dir, 'retention.db'), retentionMs: 60_000 });
    await bus.ensureTopics([{ name: 'kept', partitions: 1 }]);
    const old = new Date(Date.now() - 120_000);
    await bus.publish(
      'kept',
      [1, 2, 3].map((n) => ({ key: 'k', value: String(n), timestamp: old })),
    );
    expect(bus.retain()).toBe(3); // nobody reads it yet
    await bus.publish(
      'kept',
      [4, 5, 6].map((n) => ({ key: 'k', value: String(n), timestamp: old })),
    );
    let release: () => void = () => undefined;
    const seen: string[] = [];
    await bus.subscribe({
      groupId: 'slow',
      topics: ['kept'],
      fromBeginning: true,
      onBatch: async (batch) => {
        await new Promise<void>((resolve) => (release = resolve));
        seen.push(...batch.messages.map((m) => m.value.toString()));
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(bus.retain()).toBe(0); // the group has not committed them
    release();
    await eventually(() => expect(seen).toEqual(['4', '5', '6']));
    await eventually(() => expect(bus.retain()).toBe(3));
    await bus.close();
  });
});
