// `npm run bench:embedded`: figures for the embedded SQLite backends, printed, not asserted.
// 1. The dispatcher's delivery log and queue queries on the SQLite store, with the
//    dispatcher's own indexes, at 1,000 and 100,000 stored deliveries.
// 2. The resident memory (RSS) of the platform as `npm start` runs it, on a data
//    directory with few and with 100,000 stored deliveries, after the same work.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteDocumentStore } from '@hookline/store';
import { startPlatformProcess } from '@hookline/testkit';
import type { DeliveryDocument } from '@hookline/dispatcher';
import {
  dispatcherCollections,
  ensureDispatcherIndexes,
} from '../../services/dispatcher/src/adapters/dispatcher-store.js';

const print = (line: string) => process.stdout.write(`${line}\n`);
const sizes = (process.env.BENCH_SIZES ?? '1000,100000').split(',').map(Number);
const REPEAT = 30;
const body = JSON.stringify({
  type: 'coworking.charge.generated',
  data: { id: 'chg_1', amount: 1234, description: 'x'.repeat(700) },
});

function median(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function timed(fn: () => Promise<unknown>): Promise<{ median: number; max: number; rows: number }> {
  const times: number[] = [];
  let rows = 0;
  for (let i = 0; i < REPEAT; i++) {
    const t0 = performance.now();
    const result = await fn();
    times.push(performance.now() - t0);
    rows = Array.isArray(result) ? result.length : typeof result === 'number' ? result : result ? 1 : 0;
  }
  return { median: median(times), max: Math.max(...times), rows };
}

/** Stores `count` deliveries: 4 tenants (the first has 70 %), 10 connections each, statuses as a busy log has them. */
async function seed(store: SqliteDocumentStore, count: number, withQueue = true) {
  const collections = dispatcherCollections(store);
  await ensureDispatcherIndexes(collections, 30);
  const start = Date.parse('2026-11-01T00:00:00Z');
  const t0 = performance.now();
  for (let offset = 0; offset < count; offset += 1000) {
    const batch: DeliveryDocument[] = [];
    const queue = [];
    for (let n = offset; n < Math.min(count, offset + 1000); n++) {
      const tenant = n % 10 < 7 ? 0 : (n % 3) + 1;
      const createdAt = new Date(start + n * 1000);
      const status = n % 100 < 90 ? 'succeeded' : n % 100 < 95 ? 'failed' : n % 100 < 99 ? 'pending' : 'held';
      const finished = status === 'succeeded' || status === 'failed';
      const delivery = {
        _id: `msg_${String(n).padStart(8, '0')}`,
        tenantId: `ten_${tenant}`,
        connectionId: `conn_${tenant}_${n % 10}`,
        shard: n % 32,
        eventId: randomUUID(),
        eventType: n % 2 === 0 ? 'coworking.charge.generated' : 'marketplace.project.new_sent',
        subject: `sub_${n % 5000}`,
        eventTime: createdAt,
        body,
        status,
        test: false,
        attemptCount: 1,
        roundAttempts: 1,
        roundDeadline: new Date(createdAt.getTime() + 300_000),
        nextAttemptAt: finished ? null : new Date(createdAt.getTime() + 30_000),
        seq: n,
        lastStatus: status === 'failed' ? 500 : 200,
        createdAt,
        updatedAt: createdAt,
        ...(finished ? { finishedAt: createdAt } : {}),
      } as DeliveryDocument;
      batch.push(delivery);
      // The queue as a backlog: every delivery due (the weakest case for the due poll).
      queue.push({
        _id: delivery._id,
        shard: delivery.shard,
        connectionId: delivery.connectionId,
        subject: delivery.subject,
        seq: n,
        nextAttemptAt: createdAt,
      });
    }
    await collections.deliveries.insertMany(batch);
    if (withQueue) await collections.queue.insertMany(queue);
  }
  return { collections, seconds: (performance.now() - t0) / 1000 };
}

async function queryFigures() {
  print('## Delivery log and queue queries on the SQLite store (median / max of 30 runs, ms)\n');
  print('| query | ' + sizes.map((s) => `${s.toLocaleString('en')} deliveries`).join(' | ') + ' |');
  print('|---|' + sizes.map(() => '---|').join(''));
  const results = new Map<string, string[]>();
  const notes: string[] = [];
  for (const size of sizes) {
    const dir = mkdtempSync(join(tmpdir(), 'hookline-bench-'));
    const store = new SqliteDocumentStore({ path: join(dir, 'hookline.db') });
    const { collections, seconds } = await seed(store, size);
    notes.push(
      `${size.toLocaleString('en')}: seeded in ${seconds.toFixed(1)} s (${Math.round(size / seconds).toLocaleString('en')} deliveries + queue entries per second, batches of 1,000), database ${(statSync(join(dir, 'hookline.db')).size / 1e6).toFixed(0)} MB`,
    );
    const middle = await collections.deliveries.find(
      { tenantId: 'ten_0' },
      { sort: { createdAt: -1, _id: -1 }, skip: Math.floor(size * 0.35), limit: 1 },
    );
    const at = middle[0]!;
    const now = new Date(Date.parse('2026-11-01T00:00:00Z') + size * 1000);
    const queries: [string, () => Promise<unknown>][] = [
      [
        'log, first page (tenant, newest first, 51)',
        () => collections.deliveries.find({ tenantId: 'ten_0' }, { sort: { createdAt: -1, _id: -1 }, limit: 51 }),
      ],
      [
        'log, page from the middle (cursor)',
        () =>
          collections.deliveries.find(
            {
              tenantId: 'ten_0',
              $or: [{ createdAt: { $lt: at.createdAt } }, { createdAt: at.createdAt, _id: { $lt: at._id } }],
            },
            { sort: { createdAt: -1, _id: -1 }, limit: 51 },
          ),
      ],
      [
        'log of one connection, first page',
        () =>
          collections.deliveries.find(
            { tenantId: 'ten_0', connectionId: 'conn_0_3' },
            { sort: { createdAt: -1, _id: -1 }, limit: 51 },
          ),
      ],
      [
        'log, status failed (no index on it), first page',
        () =>
          collections.deliveries.find(
            { tenantId: 'ten_0', status: 'failed' },
            { sort: { createdAt: -1, _id: -1 }, limit: 51 },
          ),
      ],
      ['one delivery by id and tenant', () => collections.deliveries.findOne({ _id: at._id, tenantId: 'ten_0' })],
      [
        'held deliveries of a connection, in order',
        () => collections.deliveries.find({ connectionId: 'conn_1_9', status: 'held' }, { sort: { seq: 1 } }),
      ],
      [
        'queue: due poll of 32 shards (500)',
        () =>
          collections.queue.find(
            { shard: { $in: [...Array(32).keys()] }, nextAttemptAt: { $lte: now } },
            { sort: { nextAttemptAt: 1, seq: 1 }, limit: 500 },
          ),
      ],
      ['count held (metrics)', () => collections.deliveries.countDocuments({ status: 'held' })],
    ];
    for (const [name, query] of queries) {
      const figure = await timed(query);
      results.set(name, [
        ...(results.get(name) ?? []),
        `${figure.median.toFixed(2)} / ${figure.max.toFixed(1)} (${figure.rows} rows)`,
      ]);
    }
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
  for (const [name, cells] of results) print(`| ${name} | ${cells.join(' | ')} |`);
  print('\n' + notes.map((n) => `- ${n}`).join('\n') + '\n');
}

const rssOf = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

const PAGE_REQUESTS = 700;

/**
 * npm start's process on `dataDir`: its RSS 3 s after start, then after the same work
 * whatever is stored: 700 requests of the delivery log in pages of 100, from the newest
 * on and again from the start when the log runs out (RSS after 350 and after 700).
 */
async function platformRss(
  dataDir: string,
  tenantKey: string | undefined,
): Promise<{ idle: number; half: number; full: number; distinct: number }> {
  const { child, url, exited } = await startPlatformProcess({
    HOOKLINE_DATA_DIR: dataDir,
    HOOKLINE_ADMIN_KEY: 'bench-admin-key-0123456789abcdef',
    HOOKLINE_RATE_LIMIT_PER_MINUTE: '100000',
  });
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const idle = rssOf(child.pid!);
  let half = idle;
  const seen = new Set<string>();
  if (tenantKey) {
    let cursor: string | null = null;
    for (let request = 1; request <= PAGE_REQUESTS; request++) {
      const response = await fetch(`${url}/v1/deliveries?limit=100${cursor ? `&cursor=${cursor}` : ''}`, {
        headers: { authorization: `Bearer ${tenantKey}` },
      });
      const page = (await response.json()) as { data: { id: string }[]; nextCursor: string | null };
      if (!response.ok) throw new Error(`log request ${request}: ${response.status} ${JSON.stringify(page)}`);
      for (const delivery of page.data) seen.add(delivery.id);
      cursor = page.nextCursor;
      if (request === PAGE_REQUESTS / 2) half = rssOf(child.pid!);
    }
  }
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const full = rssOf(child.pid!);
  child.kill('SIGTERM');
  await exited;
  return { idle, half, full, distinct: seen.size };
}

async function rssFigures() {
  print('## Resident memory of the embedded platform (npm start), MB\n');
  print(
    `| stored deliveries | RSS 3 s after start | after ${PAGE_REQUESTS / 2} log pages of 100 | after ${PAGE_REQUESTS} | distinct deliveries read |`,
  );
  print('|---|---|---|---|---|');
  for (const size of sizes) {
    const dir = mkdtempSync(join(tmpdir(), 'hookline-bench-rss-'));
    // The platform's own store: a tenant and its key, then the seeded log under that tenant.
    const store = new SqliteDocumentStore({ path: join(dir, 'hookline.db') });
    // No queue: the platform would start sending the seeded deliveries to connections that do not exist.
    await seed(store, size, false);
    await store.close();
    const first = await platformRss(dir, undefined);
    const tenant = await createTenant(dir);
    const run = await platformRss(dir, tenant);
    print(
      `| ${size.toLocaleString('en')} | ${first.idle.toFixed(0)} | ${run.half.toFixed(0)} | ${run.full.toFixed(0)} | ${run.distinct.toLocaleString('en')} |`,
    );
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Creates a tenant through the API and moves the seeded log's first tenant to it; returns its key. */
async function createTenant(dir: string): Promise<string> {
  const { child, url, exited } = await startPlatformProcess({
    HOOKLINE_DATA_DIR: dir,
    HOOKLINE_ADMIN_KEY: 'bench-admin-key-0123456789abcdef',
  });
  const response = await fetch(`${url}/v1/tenants`, {
    method: 'POST',
    headers: { authorization: 'Bearer bench-admin-key-0123456789abcdef', 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Bench' }),
  });
  const tenant = (await response.json()) as { id: string; apiKey: string };
  child.kill('SIGTERM');
  await exited;
  const store = new SqliteDocumentStore({ path: join(dir, 'hookline.db') });
  await store.collection('deliveries').updateMany({ tenantId: 'ten_0' }, { $set: { tenantId: tenant.id } });
  await store.close();
  return tenant.apiKey;
}

if (process.env.BENCH_QUERIES !== '0') await queryFigures();
if (process.env.BENCH_RSS !== '0') await rssFigures();
