import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { documentStoreContract } from '../contract.js';
import { SqliteDocumentStore } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'hookline-sqlite-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

documentStoreContract('sqlite', () => new SqliteDocumentStore({ path: join(dir, 'contract.db') }));

interface Delivery {
  _id: string;
  tenantId: string;
  connectionId: string;
  status: string;
  createdAt: Date;
  finishedAt?: Date | null;
  tags?: string[];
}

describe('sqlite store specifics', () => {
  it('keeps documents, dates and unique indexes across a close and reopen of the file', async () => {
    const path = join(dir, 'reopen.db');
    const first = new SqliteDocumentStore({ path });
    const keys = first.collection<{ _id: string; tenantId: string; createdAt: Date }>('keys');
    await keys.createIndexes([{ keys: { tenantId: 1 }, name: 'by_tenant', unique: true }]);
    const at = new Date('2026-03-04T05:06:07.089Z');
    await keys.insertOne({ _id: 'k1', tenantId: 't1', createdAt: at });
    await first.close();

    const second = new SqliteDocumentStore({ path });
    const reopened = second.collection<{ _id: string; tenantId: string; createdAt: Date }>('keys');
    expect(await reopened.findOne({ _id: 'k1' })).toEqual({ _id: 'k1', tenantId: 't1', createdAt: at });
    await expect(reopened.insertOne({ _id: 'k2', tenantId: 't1', createdAt: at })).rejects.toMatchObject({
      code: 11000,
      index: 'by_tenant',
    });
    await second.close();
  });

  it('expires documents past their TTL when swept, by the injected clock, dates only', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const store = new SqliteDocumentStore({ path: join(dir, 'ttl.db'), now: () => now });
    const logs = store.collection<{ _id: string; at: Date | string | null }>('logs');
    await logs.createIndexes([{ keys: { at: 1 }, expireAfterSeconds: 60 }]);
    await logs.insertMany([
      { _id: 'old', at: new Date(now - 61_000) },
      { _id: 'fresh', at: new Date(now) },
      { _id: 'text', at: '2000-01-01' },
      { _id: 'open', at: null },
    ]);
    expect(store.sweep()).toBe(1);
    now += 60_000;
    expect(store.sweep()).toBe(1);
    expect((await logs.find({}, { sort: { _id: 1 } })).map((d) => d._id)).toEqual(['open', 'text']);
    await store.close();
  });

  it('compares within one type and sorts numbers, dates and strings in order, through the index', async () => {
    const store = new SqliteDocumentStore({ path: ':memory:' });
    const values = store.collection<{ _id: string; v: unknown }>('values');
    await values.createIndexes([{ keys: { v: 1 } }]);
    await values.insertMany([
      { _id: 'n1', v: -2.5 },
      { _id: 'n2', v: 0 },
      { _id: 'n3', v: 10 },
      { _id: 'n4', v: 9.75 },
      { _id: 's1', v: 'b' },
      { _id: 's2', v: '' },
      { _id: 'd1', v: new Date('2026-01-02T00:00:00Z') },
      { _id: 'd2', v: new Date('1969-12-31T00:00:00Z') },
      { _id: 'b1', v: true },
      { _id: 'z1', v: null },
      { _id: 'z2' } as { _id: string; v: unknown },
    ]);
    expect((await values.find({ v: { $gt: -3 } }, { sort: { v: 1 } })).map((d) => d._id)).toEqual([
      'n1',
      'n2',
      'n4',
      'n3',
    ]);
    expect((await values.find({ v: { $lt: 'c' } }, { sort: { v: -1 } })).map((d) => d._id)).toEqual(['s1', 's2']);
    expect((await values.find({ v: { $gte: new Date(0) } })).map((d) => d._id)).toEqual(['d1']);
    expect((await values.find({ v: null }, { sort: { _id: 1 } })).map((d) => d._id)).toEqual(['z1', 'z2']);
    expect((await values.find({ v: { $in: [true, 10, 'b'] } }, { sort: { _id: 1 } })).map((d) => d._id)).toEqual([
      'b1',
      'n3',
      's1',
    ]);
    expect(await values.countDocuments({ v: { $lte: 0 } })).toBe(2);
    await store.close();
  });

  it('still answers arrays in an indexed field (MongoDB multikey) by checking in JS, also after a reopen', async () => {
    const path = join(dir, 'multikey.db');
    const store = new SqliteDocumentStore({ path });
    const items = store.collection<{ _id: string; tags: string[] | string }>('items');
    await items.createIndexes([{ keys: { tags: 1 } }]);
    await items.insertMany([
      { _id: 'a', tags: ['red', 'blue'] },
      { _id: 'b', tags: 'red' },
      { _id: 'c', tags: ['green'] },
    ]);
    expect((await items.find({ tags: 'red' }, { sort: { _id: 1 } })).map((d) => d._id)).toEqual(['a', 'b']);
    await store.close();
    const reopened = new SqliteDocumentStore({ path });
    expect(
      (await reopened.collection<{ _id: string; tags: string[] }>('items').find({ tags: { $in: ['green'] } })).map(
        (d) => d._id,
      ),
    ).toEqual(['c']);
    await reopened.close();
  });

  it('answers the delivery log and queue queries from their indexes, not by scanning the collection', async () => {
    const store = new SqliteDocumentStore({ path: ':memory:' });
    const deliveries = store.collection<Delivery>('deliveries');
    await deliveries.createIndexes([
      { keys: { tenantId: 1, createdAt: -1 }, name: 'log_by_tenant' },
      { keys: { shard: 1, nextAttemptAt: 1 }, name: 'due_by_shard' },
    ]);
    const plans: string[] = [];
    const explain = (sql: string, ...params: unknown[]) =>
      plans.push(
        ...store.db
          .prepare(`EXPLAIN QUERY PLAN ${sql}`)
          .all(...(params as never[]))
          .map((r) => String(r.detail)),
      );
    const prepare = store.db.prepare.bind(store.db);
    store.db.prepare = ((sql: string) => {
      if (sql.startsWith('SELECT doc')) explain(sql, ...Array.from(sql.matchAll(/\?/g), () => null));
      return prepare(sql);
    }) as typeof store.db.prepare;
    const at = new Date('2026-01-01T00:00:00Z');
    await deliveries.find(
      { tenantId: 't1', $or: [{ createdAt: { $lt: at } }, { createdAt: at, _id: { $lt: 'd9' } }] },
      { sort: { createdAt: -1, _id: -1 }, limit: 51 },
    );
    await deliveries.find({ shard: { $in: [0, 1] }, nextAttemptAt: { $lte: at } } as never, {
      sort: { nextAttemptAt: 1 },
      limit: 100,
    });
    expect(plans.join('\n')).toMatch(/USING INDEX "?c:deliveries\/log_by_tenant/);
    expect(plans.join('\n')).toMatch(/USING INDEX "?c:deliveries\/due_by_shard/);
    expect(plans.join('\n')).not.toMatch(/^SCAN "?c:deliveries"?$/m);
    await store.close();
  });
});

describe('sqlite store: sorts on indexed and unindexed fields', () => {
  it('orders by an indexed prefix in SQL and finishes ties in JS, with skip and limit', async () => {
    const store = new SqliteDocumentStore({ path: ':memory:' });
    const queue = store.collection<{ _id: string; shard: number; due: number; seq: number; note?: string }>('queue');
    await queue.createIndexes([{ keys: { shard: 1, due: 1 } }]);
    const entries = Array.from({ length: 60 }, (_, n) => ({
      _id: `q${n}`,
      shard: n % 4,
      due: Math.floor(n / 7),
      seq: 100 - n,
    }));
    await queue.insertMany(entries);
    const expected = [...entries].sort((a, b) => a.due - b.due || a.seq - b.seq).filter((e) => e.shard !== 3);
    for (const [skip, limit] of [
      [0, 5],
      [0, 9],
      [3, 10],
      [0, 100],
    ] as const) {
      const found = await queue.find({ shard: { $in: [0, 1, 2] } }, { sort: { due: 1, seq: 1 }, skip, limit });
      expect(found.map((e) => e._id)).toEqual(expected.slice(skip, skip + limit).map((e) => e._id));
      // The same with a condition SQL cannot say (checked in JS while streaming).
      const streamed = await queue.find(
        { shard: { $in: [0, 1, 2] }, note: { $exists: false } },
        { sort: { due: 1, seq: 1 }, skip, limit },
      );
      expect(streamed.map((e) => e._id)).toEqual(expected.slice(skip, skip + limit).map((e) => e._id));
    }
    expect((await queue.find({}, { sort: { seq: -1 }, limit: 2 })).map((e) => e._id)).toEqual(['q0', 'q1']);
    await store.close();
  });
});
