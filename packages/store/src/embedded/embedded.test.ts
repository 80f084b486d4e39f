import { describe, expect, it } from 'vitest';
import { documentStoreContract } from '../contract.js';
import { EmbeddedDocumentStore } from './index.js';

documentStoreContract('embedded', () => new EmbeddedDocumentStore());

describe('embedded store specifics', () => {
  it('expires documents after their TTL on the injected clock', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const store = new EmbeddedDocumentStore(() => now);
    const logs = store.collection<{ _id: string; at: Date }>('logs');
    await logs.createIndexes([{ keys: { at: 1 }, expireAfterSeconds: 60 }]);
    await logs.insertOne({ _id: 'l1', at: new Date(now) });
    now += 59_000;
    expect(await logs.countDocuments({})).toBe(1);
    now += 2_000;
    expect(await logs.countDocuments({})).toBe(0);
  });

  it('returns copies, so callers cannot change stored documents', async () => {
    const store = new EmbeddedDocumentStore();
    const items = store.collection<{ _id: string; tags: string[] }>('items');
    await items.insertOne({ _id: 'i1', tags: ['a'] });
    const found = await items.findOne({ _id: 'i1' });
    found!.tags.push('mutated');
    expect((await items.findOne({ _id: 'i1' }))!.tags).toEqual(['a']);
  });
});
