// How the MongoDB-compatible server answers the query shapes the dispatcher
// uses, as the collection grows: the same operations on a collection of 1,000
// and of 5,000 delivery-like documents (median of several runs). On FerretDB
// v1's SQLite backend only a filter that is exactly `{_id: <string>}` becomes a
// SQL WHERE; anything else reads the whole table and filters in Go, so its
// cost grows with the collection.
import { randomUUID } from 'node:crypto';
import { MongoClient, type Collection, type Document } from 'mongodb';

export interface ProbeRow {
  operation: string;
  /** Median milliseconds per operation, by collection size. */
  medianMs: Record<string, number>;
}

interface ProbeDoc extends Document {
  _id: string;
  shard: number;
  status: string;
  nextAttemptAt: Date;
  seq: number;
  body: string;
}

const body = JSON.stringify({ type: 'coworking.charge.generated', timestamp: new Date().toISOString(), data: { chargeId: 55120, amount: 1410, note: 'x'.repeat(500) } });

async function median(times: number, fn: () => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    await fn();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return Math.round(samples[Math.floor(samples.length / 2)]! * 10) / 10;
}

async function fill(collection: Collection<ProbeDoc>, from: number, to: number): Promise<string[]> {
  const ids: string[] = [];
  for (let start = from; start < to; start += 1000) {
    const docs: ProbeDoc[] = [];
    for (let i = start; i < Math.min(to, start + 1000); i++) {
      const id = `msg_${randomUUID().replace(/-/g, '').slice(0, 27)}`;
      ids.push(id);
      docs.push({ _id: id, shard: i % 32, status: 'pending', nextAttemptAt: new Date(Date.now() + (i % 2 === 0 ? -1000 : 3_600_000)), seq: i, body });
    }
    await collection.insertMany(docs, { ordered: false });
  }
  return ids;
}

export async function probeStore(uri: string, database: string, log: (line: string) => void = () => undefined, sizes = [1000, 5000], repeat = 5): Promise<ProbeRow[]> {
  const client = new MongoClient(uri, { directConnection: true });
  await client.connect();
  const rows = new Map<string, Record<string, number>>();
  const put = (operation: string, size: number, ms: number) => {
    log(`  ${size} documents: ${operation}: ${ms} ms`);
    rows.set(operation, { ...(rows.get(operation) ?? {}), [String(size)]: ms });
  };
  try {
    const db = client.db(database);
    const collection = db.collection<ProbeDoc>('probe');
    await collection.createIndex({ shard: 1, nextAttemptAt: 1 });
    const ids: string[] = [];
    for (const size of sizes) {
      const filling = Date.now();
      ids.push(...(await fill(collection, ids.length, size)));
      log(`  ${size} documents stored (${((Date.now() - filling) / 1000).toFixed(1)} s)`);
      const pick = (n: number) => Array.from({ length: n }, () => ids[Math.floor(Math.random() * ids.length)]!);
      put('find {_id: id} (one document)', size, await median(repeat, () => collection.findOne({ _id: pick(1)[0]! })));
      put('find {_id: {$in: [1 id]}}', size, await median(repeat, () => collection.find({ _id: { $in: pick(1) } }).toArray()));
      put('find {_id: {$in: [100 ids]}} (sender.poll)', size, await median(repeat, () => collection.find({ _id: { $in: pick(100) } }).toArray()));
      put('updateMany {_id: {$in: [100 ids]}} (attempt-recorder)', size, await median(repeat, () => collection.updateMany({ _id: { $in: pick(100) } }, { $set: { status: 'succeeded' }, $inc: { seq: 1 } })));
      put('updateOne {_id: id} (one document)', size, await median(repeat, () => collection.updateOne({ _id: pick(1)[0]! }, { $set: { status: 'succeeded' }, $inc: { seq: 1 } })));
      put(
        'find {shard: {$in: 32 shards}, nextAttemptAt: {$lte: now}} sort, limit 500 (queue poll)',
        size,
        await median(repeat, () =>
          collection
            .find({ shard: { $in: Array.from({ length: 32 }, (_, i) => i) }, nextAttemptAt: { $lte: new Date() } })
            .sort({ nextAttemptAt: 1, seq: 1 })
            .limit(500)
            .toArray(),
        ),
      );
      put('insertMany of 100 new documents', size, await median(repeat, async () => void (await fill(collection, 0, 100))));
    }
    await db.dropDatabase();
  } finally {
    await client.close();
  }
  return [...rows].map(([operation, medianMs]) => ({ operation, medianMs }));
}
