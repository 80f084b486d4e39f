// Runs against the real MongoDB-compatible server provisioned by test/infra (or MONGODB_URI).
import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { documentStoreContract } from '../contract.js';
import { MongoDocumentStore } from './index.js';

const uri = process.env.MONGODB_URI;
if (!uri) throw new Error('MONGODB_URI is not set: the infra global setup should have started the server');

documentStoreContract(
  'mongodb',
  () => new MongoDocumentStore({ uri, database: `contract_${randomUUID().slice(0, 8)}` }),
  (store) => (store as MongoDocumentStore).dropDatabase(),
);

describe('mongodb store specifics', () => {
  it('creates every index on MongoDB; on FerretDB only unique ones and those serving a sort', async () => {
    const store = new MongoDocumentStore({ uri, database: `idx_${randomUUID().slice(0, 8)}` });
    try {
      const things = store.collection<{ _id: string; a: number; b: number; c: number }>('things');
      await things.createIndexes([
        { keys: { a: 1 }, name: 'by_a' },
        { keys: { b: 1 }, name: 'unique_b', unique: true },
        { keys: { c: -1, _id: -1 }, name: 'newest', servesSort: true },
      ]);
      const names = (await store.rawIndexes('things')).map((index) => String(index.name)).sort();
      expect(names).toEqual(
        (await store.isFerretDB()) ? ['_id_', 'newest', 'unique_b'] : ['_id_', 'by_a', 'newest', 'unique_b'],
      );
      await things.insertOne({ _id: '1', a: 1, b: 1, c: 1 });
      await expect(things.insertOne({ _id: '2', a: 2, b: 1, c: 2 })).rejects.toThrow();
    } finally {
      await store.dropDatabase();
      await store.close();
    }
  });

  it('expires TTL-indexed documents, by a sweep where the server has no TTL indexes', async () => {
    const store = new MongoDocumentStore({ uri, database: `ttl_${randomUUID().slice(0, 8)}` });
    try {
      const logs = store.collection<{ _id: string; at: Date }>('logs');
      await logs.createIndexes([{ keys: { at: 1 }, expireAfterSeconds: 60 }]);
      const now = Date.now();
      await logs.insertMany([
        { _id: 'old', at: new Date(now - 120_000) },
        { _id: 'new', at: new Date(now - 10_000) },
      ]);
      if (store.sweptCollections.includes('logs')) {
        await store.sweep(now);
        expect((await logs.find({})).map((d) => d._id)).toEqual(['new']);
      } else {
        // A server with TTL indexes (real MongoDB) expires them itself, within a minute.
        const indexes = await store.rawIndexes('logs');
        expect(indexes.find((i) => i.name === 'at_1')?.expireAfterSeconds).toBe(60);
      }
    } finally {
      await store.dropDatabase();
      await store.close();
    }
  });
});
