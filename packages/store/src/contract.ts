// The behaviour every DocumentStore backend must have; run against each backend.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentStore } from './port.js';
import { DuplicateKeyError } from './port.js';

interface Order {
  _id: string;
  tenant: string;
  status: 'new' | 'paid' | 'cancelled';
  total: number;
  createdAt: Date;
  customer: { name: string; country: string };
  tags: string[];
  attempts?: number;
  lease?: { owner: string; until: Date } | null;
}

const order = (id: string, overrides: Partial<Order> = {}): Order => ({
  _id: id,
  tenant: 't1',
  status: 'new',
  total: 10,
  createdAt: new Date('2026-01-01T00:00:00Z'),
  customer: { name: 'Ana', country: 'BR' },
  tags: [],
  ...overrides,
});

export function documentStoreContract(
  name: string,
  createStore: () => DocumentStore | Promise<DocumentStore>,
  cleanup?: (store: DocumentStore) => Promise<void>,
) {
  describe(`DocumentStore contract: ${name}`, () => {
    let store: DocumentStore;
    const collectionName = (label: string) => `${label}_${randomUUID().slice(0, 8)}`;

    beforeAll(async () => {
      store = await createStore();
      await store.ping();
    });
    afterAll(async () => {
      await cleanup?.(store);
      await store.close();
    });

    it('inserts and finds documents with filters, sort, skip, limit and projection', async () => {
      const orders = store.collection<Order>(collectionName('orders'));
      await orders.insertMany([
        order('o1', { total: 30, createdAt: new Date('2026-01-03T00:00:00Z'), tags: ['vip'] }),
        order('o2', { total: 10, status: 'paid', customer: { name: 'Bruno', country: 'PT' } }),
        order('o3', { total: 20, createdAt: new Date('2026-01-02T00:00:00Z'), tenant: 't2' }),
      ]);
      expect((await orders.findOne({ _id: 'o2' }))?.customer.name).toBe('Bruno');
      expect(await orders.findOne({ _id: 'missing' })).toBeNull();
      expect((await orders.find({}, { sort: { total: -1 } })).map((o) => o._id)).toEqual(['o1', 'o3', 'o2']);
      expect((await orders.find({}, { sort: { total: 1 }, skip: 1, limit: 1 })).map((o) => o._id)).toEqual(['o3']);
      expect((await orders.find({ 'customer.country': 'PT' })).map((o) => o._id)).toEqual(['o2']);
      expect((await orders.find({ status: { $in: ['paid', 'cancelled'] } })).map((o) => o._id)).toEqual(['o2']);
      expect(
        (await orders.find({ createdAt: { $gt: new Date('2026-01-01T12:00:00Z') } }, { sort: { _id: 1 } })).map(
          (o) => o._id,
        ),
      ).toEqual(['o1', 'o3']);
      expect(
        (await orders.find({ $or: [{ tenant: 't2' }, { tags: 'vip' }] }, { sort: { _id: 1 } })).map((o) => o._id),
      ).toEqual(['o1', 'o3']);
      expect((await orders.find({ attempts: { $exists: false } })).length).toBe(3);
      expect(await orders.countDocuments({ tenant: 't1' })).toBe(2);
      const [projected] = await orders.find({ _id: 'o1' }, { projection: { total: 1 } });
      expect(projected).toEqual({ _id: 'o1', total: 30 });
    });

    it('keeps dates as dates', async () => {
      const orders = store.collection<Order>(collectionName('dates'));
      const at = new Date('2026-05-06T07:08:09.123Z');
      await orders.insertOne(order('d1', { createdAt: at }));
      const found = await orders.findOne({ _id: 'd1' });
      expect(found?.createdAt).toBeInstanceOf(Date);
      expect(found?.createdAt.toISOString()).toBe(at.toISOString());
    });

    it('applies update operators and reports matched and modified counts', async () => {
      const orders = store.collection<Order>(collectionName('updates'));
      await orders.insertMany([order('u1'), order('u2'), order('u3', { status: 'paid' })]);
      const one = await orders.updateOne(
        { _id: 'u1' },
        { $set: { status: 'paid' }, $inc: { attempts: 1 }, $push: { tags: 'x' } },
      );
      expect(one).toMatchObject({ matchedCount: 1, modifiedCount: 1, upsertedId: null });
      expect(await orders.findOne({ _id: 'u1' })).toMatchObject({ status: 'paid', attempts: 1, tags: ['x'] });
      const none = await orders.updateOne({ _id: 'nope' }, { $set: { status: 'paid' } });
      expect(none.matchedCount).toBe(0);
      const many = await orders.updateMany(
        { status: 'paid' },
        { $set: { status: 'cancelled' }, $unset: { attempts: '' } },
      );
      expect(many).toMatchObject({ matchedCount: 2, modifiedCount: 2 });
      expect(await orders.findOne({ _id: 'u1' })).not.toHaveProperty('attempts');
      expect(await orders.countDocuments({ status: 'cancelled' })).toBe(2);
    });

    it('upserts with $setOnInsert only on insert', async () => {
      const counters = store.collection<{ _id: string; count: number; createdBy?: string }>(collectionName('counters'));
      const first = await counters.updateOne(
        { _id: 'c1' },
        { $inc: { count: 1 }, $setOnInsert: { createdBy: 'first' } },
        { upsert: true },
      );
      expect(first.upsertedId).toBe('c1');
      await counters.updateOne(
        { _id: 'c1' },
        { $inc: { count: 1 }, $setOnInsert: { createdBy: 'second' } },
        { upsert: true },
      );
      expect(await counters.findOne({ _id: 'c1' })).toEqual({ _id: 'c1', count: 2, createdBy: 'first' });
    });

    it('upserts and updates with $set of a whole document, _id included and unchanged', async () => {
      const summaries = store.collection<{ _id: string; title: string }>(collectionName('summaries'));
      const inserted = await summaries.updateOne(
        { _id: 's1' },
        { $set: { _id: 's1', title: 'first' } },
        { upsert: true },
      );
      expect(inserted.upsertedId).toBe('s1');
      await summaries.updateOne({ _id: 's1' }, { $set: { _id: 's1', title: 'second' } }, { upsert: true });
      expect(await summaries.find({})).toEqual([{ _id: 's1', title: 'second' }]);
    });

    it('findOneAndUpdate updates the first match in sort order and returns it before or after', async () => {
      const jobs = store.collection<Order>(collectionName('jobs'));
      await jobs.insertMany([
        order('j1', { createdAt: new Date('2026-01-02T00:00:00Z'), lease: null }),
        order('j2', { createdAt: new Date('2026-01-01T00:00:00Z'), lease: null }),
      ]);
      const until = new Date('2030-01-01T00:00:00Z');
      const first = await jobs.findOneAndUpdate(
        { lease: null },
        { $set: { lease: { owner: 'a', until } } },
        { sort: { createdAt: 1 } },
      );
      expect(first?._id).toBe('j2');
      expect(first?.lease?.owner).toBe('a');
      const second = await jobs.findOneAndUpdate(
        { lease: null },
        { $set: { lease: { owner: 'b', until } } },
        { sort: { createdAt: 1 } },
      );
      expect(second?._id).toBe('j1');
      expect(await jobs.findOneAndUpdate({ lease: null }, { $set: { total: 1 } })).toBeNull();
      const before = await jobs.findOneAndUpdate({ _id: 'j1' }, { $set: { total: 99 } }, { returnDocument: 'before' });
      expect(before?.total).toBe(10);
      expect((await jobs.findOne({ _id: 'j1' }))?.total).toBe(99);
    });

    // Mutual exclusion between processes rests on this, not on findOneAndUpdate:
    // FerretDB's findAndModify is not atomic under concurrency, a unique key is.
    it('lets exactly one of many concurrent inserts of the same key succeed', async () => {
      const claims = store.collection<{ _id: string; owner: string }>(collectionName('claims'));
      for (let round = 0; round < 5; round++) {
        const results = await Promise.allSettled(
          Array.from({ length: 8 }, (_, i) => claims.insertOne({ _id: `job-${round}`, owner: `worker-${i}` })),
        );
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(DuplicateKeyError);
      }
    });

    it('enforces unique indexes with DuplicateKeyError code 11000 on insert, update and upsert', async () => {
      const deliveries = store.collection<{ _id: string; eventId: string; connectionId: string }>(
        collectionName('uniq'),
      );
      await deliveries.createIndexes([{ keys: { eventId: 1, connectionId: 1 }, unique: true }]);
      await deliveries.createIndexes([{ keys: { eventId: 1, connectionId: 1 }, unique: true }]);
      await deliveries.insertOne({ _id: 'd1', eventId: 'e1', connectionId: 'c1' });
      await deliveries.insertOne({ _id: 'd2', eventId: 'e1', connectionId: 'c2' });
      const duplicate = await deliveries
        .insertOne({ _id: 'd3', eventId: 'e1', connectionId: 'c1' })
        .catch((e: unknown) => e);
      expect(duplicate).toBeInstanceOf(DuplicateKeyError);
      expect((duplicate as DuplicateKeyError).code).toBe(11000);
      await expect(deliveries.insertOne({ _id: 'd1', eventId: 'e9', connectionId: 'c9' })).rejects.toMatchObject({
        code: 11000,
      });
      await expect(deliveries.updateOne({ _id: 'd2' }, { $set: { connectionId: 'c1' } })).rejects.toMatchObject({
        code: 11000,
      });
      await expect(
        deliveries.updateOne({ _id: 'd4' }, { $set: { eventId: 'e1', connectionId: 'c2' } }, { upsert: true }),
      ).rejects.toMatchObject({ code: 11000 });
      expect(await deliveries.countDocuments({})).toBe(2);
    });

    it('inserts unordered: every new document goes in, duplicates are reported, not thrown', async () => {
      const orders = store.collection<Order>(collectionName('unordered'));
      await orders.createIndexes([{ keys: { tenant: 1, total: 1 }, unique: true }]);
      await orders.insertOne(order('n1'));
      const result = await orders.insertMany(
        [
          order('n2', { total: 2 }),
          order('n1', { total: 3 }),
          order('n3', { total: 4 }),
          order('n4', { total: 2 }),
          order('n5', { total: 5 }),
        ],
        { ordered: false },
      );
      expect(result.duplicateIds.sort()).toEqual(['n1', 'n4']);
      expect((await orders.find({}, { sort: { _id: 1 } })).map((o) => [o._id, o.total])).toEqual([
        ['n1', 10],
        ['n2', 2],
        ['n3', 4],
        ['n5', 5],
      ]);
      expect(await orders.insertMany([order('n6', { total: 6 })], { ordered: false })).toEqual({ duplicateIds: [] });
      await expect(orders.insertMany([order('n7', { total: 7 }), order('n1', { total: 8 })])).rejects.toBeInstanceOf(
        DuplicateKeyError,
      );
    });

    it('writes in bulk by _id: inserts, updates, upserts and deletes in one call, duplicates reported', async () => {
      const orders = store.collection<Order>(collectionName('bulk'));
      await orders.insertMany([order('b1'), order('b2'), order('b3')]);
      const result = await orders.bulkWrite([
        { insertOne: { document: order('b4', { total: 40 }) } },
        { insertOne: { document: order('b1', { total: 99 }) } },
        { updateOne: { filter: { _id: 'b2' }, update: { $set: { status: 'paid' }, $inc: { attempts: 1 } } } },
        { updateOne: { filter: { _id: 'missing' }, update: { $set: { status: 'paid' } } } },
        { updateOne: { filter: { _id: 'b5' }, update: { $set: { tenant: 't9', total: 5 } }, upsert: true } },
        { deleteOne: { filter: { _id: 'b3' } } },
        { deleteOne: { filter: { _id: 'gone' } } },
      ]);
      expect(result).toEqual({
        insertedCount: 1,
        matchedCount: 1,
        modifiedCount: 1,
        deletedCount: 1,
        upsertedCount: 1,
        duplicateIds: ['b1'],
      });
      expect((await orders.find({}, { sort: { _id: 1 } })).map((o) => [o._id, o.total, o.status ?? null])).toEqual([
        ['b1', 10, 'new'],
        ['b2', 10, 'paid'],
        ['b4', 40, 'new'],
        ['b5', 5, null],
      ]);
      expect((await orders.findOne({ _id: 'b2' }))?.attempts).toBe(1);
      expect(await orders.bulkWrite([])).toEqual({
        insertedCount: 0,
        matchedCount: 0,
        modifiedCount: 0,
        deletedCount: 0,
        upsertedCount: 0,
        duplicateIds: [],
      });
    });

    it('answers a bulk of more _id-keyed updates than a server connection pool holds', async () => {
      const items = store.collection<{ _id: string; n: number }>(collectionName('bulkmany'));
      await items.insertMany(Array.from({ length: 300 }, (_, n) => ({ _id: `i${n}`, n })));
      const result = await items.bulkWrite(
        Array.from({ length: 300 }, (_, n) => ({
          updateOne: { filter: { _id: `i${n}` }, update: { $inc: { n: 1 } } },
        })),
      );
      expect(result.modifiedCount).toBe(300);
      expect((await items.findOne({ _id: 'i299' }))?.n).toBe(300);
    });

    it('deletes one or many documents', async () => {
      const orders = store.collection<Order>(collectionName('deletes'));
      await orders.insertMany([order('x1'), order('x2', { tenant: 't2' }), order('x3', { tenant: 't2' })]);
      expect(await orders.deleteOne({ _id: 'x1' })).toEqual({ deletedCount: 1 });
      expect(await orders.deleteMany({ tenant: 't2' })).toEqual({ deletedCount: 2 });
      expect(await orders.countDocuments({})).toBe(0);
    });

    it('accepts TTL indexes', async () => {
      const logs = store.collection<{ _id: string; at: Date }>(collectionName('ttl'));
      await expect(logs.createIndexes([{ keys: { at: 1 }, expireAfterSeconds: 3600 }])).resolves.toBeUndefined();
    });
  });
}
