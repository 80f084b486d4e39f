// The store alone: what each query shape the dispatcher (and the delivery
// log's API) issues costs on the MongoDB-compatible server, at 1,000 and at
// 100,000 stored documents. One shape is one entry of `shapes` below.
//
//   npx tsx test/bench/store-probe.ts                       # FerretDB on SQLite and on PostgreSQL, patched
//   npx tsx test/bench/store-probe.ts --servers=sqlite-unpatched,postgresql-unpatched --shapes=id
//   npx tsx test/bench/store-probe.ts --uri=mongodb://host:port/   # any server (e.g. a real MongoDB)
//
// Each server runs in an instance of its own (test/infra, .hookline/store-probe/<server>),
// started clean and stopped at the end: the shared test servers are never touched.
// Prints a markdown table; writes test/bench/results/store-probe-<run>.{json,md}.
// Options: test/bench/README.md.
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BSON, MongoClient, type Collection, type Db, type Document } from 'mongodb';
import type { InfraInstance } from '../infra/infra.js';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..');

// ---------- documents ----------

/** Tenants and connections of the stored deliveries; the probed tenant holds 90 % of them. */
const TENANTS = 10;
const CONNECTIONS_PER_TENANT = 20;
const SHARDS = 32;
const PROBED_TENANT = 'ten_probe0000';
const PROBED_CONNECTION = 'con_probe0000_03';

/** The 700-byte JSON body every delivery carries (a Standard Webhooks payload). */
const deliveryBody = (() => {
  const base = {
    type: 'coworking.charge.generated',
    timestamp: '2026-11-23T16:42:16.123Z',
    data: { chargeId: 55120, personId: 8812, amount: 1410, currency: 'EUR', period: '2026-11', note: '' },
  };
  const note = 700 - JSON.stringify(base).length;
  base.data.note = 'n'.repeat(note);
  return JSON.stringify(base);
})();

const responseBody = JSON.stringify({ ok: true, received: 'msg_2V9cQ8hJ0nqYqj1mJ6f2y2a8Zp1', note: 'r'.repeat(200) });

/** Every stored document has a string `_id`, as the dispatcher's do. */
interface Doc extends Document {
  _id: string;
}

const newId = (prefix: string) => `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 27)}`;

function tenantOf(i: number): string {
  // 9 of 10 documents belong to the probed tenant, the rest to 9 others.
  return i % 10 === 9 ? `ten_other${String(1 + (Math.floor(i / 10) % (TENANTS - 1))).padStart(4, '0')}` : PROBED_TENANT;
}

function connectionOf(tenantId: string, i: number): string {
  return `con_${tenantId.slice(4)}_${String(Math.floor(i / 7) % CONNECTIONS_PER_TENANT).padStart(2, '0')}`;
}

/** 98 % succeeded, 1.5 % failed, 0.5 % pending. */
function statusOf(i: number): 'succeeded' | 'failed' | 'pending' {
  const r = (i * 7919) % 1000;
  return r < 5 ? 'pending' : r < 20 ? 'failed' : 'succeeded';
}

const T0 = Date.parse('2026-11-20T00:00:00Z');

function delivery(i: number): Doc {
  const tenantId = tenantOf(i);
  const createdAt = new Date(T0 + i * 1000);
  const status = statusOf(i);
  return {
    _id: newId('msg'),
    tenantId,
    connectionId: connectionOf(tenantId, i),
    shard: i % SHARDS,
    eventId: newId('evt'),
    eventType: 'coworking.charge.generated',
    subject: `charge-${i % 5000}`,
    eventTime: createdAt,
    body: deliveryBody,
    traceparent: `00-${randomUUID().replace(/-/g, '')}-${randomUUID().replace(/-/g, '').slice(0, 16)}-01`,
    status,
    test: false,
    attemptCount: status === 'failed' ? 3 : 1,
    roundAttempts: status === 'failed' ? 3 : 1,
    roundDeadline: new Date(createdAt.getTime() + 3_600_000),
    nextAttemptAt: status === 'pending' ? new Date(createdAt.getTime() + 60_000) : null,
    seq: i,
    lastStatus: status === 'failed' ? 500 : 200,
    ...(status === 'failed' ? { lastError: 'receiver answered 500', reason: 'all 3 attempts failed' } : {}),
    createdAt,
    updatedAt: createdAt,
    ...(status === 'pending' ? {} : { finishedAt: createdAt }),
  };
}

function attempt(i: number): Doc {
  const tenantId = tenantOf(i);
  const deliveryId = newId('msg');
  return {
    _id: newId('att'),
    deliveryId,
    connectionId: connectionOf(tenantId, i),
    tenantId,
    number: 1,
    startedAt: new Date(T0 + i * 1000),
    durationMs: 37,
    status: 200,
    responseBody,
    requestHeaders: {
      'content-type': 'application/json',
      'user-agent': 'Hookline-Webhooks/0.1',
      'webhook-id': deliveryId,
      'webhook-timestamp': String(Math.floor((T0 + i * 1000) / 1000)),
      'webhook-signature': `v1,${Buffer.from(randomUUID() + randomUUID())
        .toString('base64')
        .slice(0, 44)}`,
      traceparent: `00-${randomUUID().replace(/-/g, '')}-${randomUUID().replace(/-/g, '').slice(0, 16)}-01`,
    },
  };
}

function queueEntry(i: number): Doc {
  const tenantId = tenantOf(i);
  return {
    _id: newId('msg'),
    shard: i % SHARDS,
    connectionId: connectionOf(tenantId, i),
    subject: `charge-${i % 5000}`,
    seq: i,
    nextAttemptAt: new Date(T0 + i * 1000),
  };
}

/** Connection events in a capped collection, read newest first ($natural: -1). */
function connectionEvent(i: number): Doc {
  const tenantId = tenantOf(i);
  return {
    _id: newId('cev'),
    tenantId,
    connectionId: connectionOf(tenantId, i),
    type: 'delivery.exhausted',
    at: new Date(T0 + i * 1000),
    detail: { deliveryId: newId('msg'), attempts: 3 },
  };
}

export const documentSizes = {
  delivery: BSON.calculateObjectSize(delivery(1)),
  attempt: BSON.calculateObjectSize(attempt(1)),
  queueEntry: BSON.calculateObjectSize(queueEntry(1)),
  connectionEvent: BSON.calculateObjectSize(connectionEvent(1)),
};

// ---------- shapes ----------

export interface ProbeContext {
  db: Db;
  size: number;
  deliveries: Collection<Doc>;
  attempts: Collection<Doc>;
  queue: Collection<Doc>;
  events: Collection<Doc>;
  /** `n` random stored delivery ids. */
  pickDeliveries: (n: number) => string[];
}

export interface ProbeShape {
  name: string;
  /** Who issues it, for the table. */
  use: string;
  /** Only `_id`-keyed access (what the FerretDB patch changes). */
  idKeyed: boolean;
  /** Untimed, before each timed run: e.g. the documents a delete removes. */
  prepare?: (ctx: ProbeContext) => Promise<string[]>;
  run: (ctx: ProbeContext, prepared: string[]) => Promise<unknown>;
  /** Untimed, after each run: keeps the collection at its size. */
  cleanup?: (ctx: ProbeContext, prepared: string[], result: unknown) => Promise<void>;
}

const BATCH = 500;
const deleteByIds = async (collection: Collection<Doc>, ids: string[]) => {
  if (ids.length > 0)
    await collection.bulkWrite(
      ids.map((_id) => ({ deleteOne: { filter: { _id } } })),
      { ordered: false },
    );
};
const insertedIds = (result: unknown) => Object.values((result as { insertedIds: Record<number, string> }).insertedIds);
const logPage = (collection: Collection<Doc>, filter: Document) =>
  collection.find(filter).sort({ createdAt: -1, _id: -1 }).limit(51).toArray();

export const shapes: ProbeShape[] = [
  {
    name: `insertMany ${BATCH} deliveries (unordered)`,
    use: 'a consumed batch’s deliveries',
    idKeyed: true,
    run: (ctx) =>
      ctx.deliveries.insertMany(
        Array.from({ length: BATCH }, (_, i) => delivery(ctx.size + i)),
        { ordered: false },
      ),
    cleanup: (ctx, _prepared, result) => deleteByIds(ctx.deliveries, insertedIds(result)),
  },
  {
    name: `insertMany ${BATCH} attempts (unordered)`,
    use: 'the attempt log, one write per flush',
    idKeyed: true,
    run: (ctx) =>
      ctx.attempts.insertMany(
        Array.from({ length: BATCH }, (_, i) => attempt(ctx.size + i)),
        { ordered: false },
      ),
    cleanup: (ctx, _prepared, result) => deleteByIds(ctx.attempts, insertedIds(result)),
  },
  {
    name: `bulkWrite ${BATCH} updateOne by _id`,
    use: 'delivery state changes, batched',
    idKeyed: true,
    prepare: async (ctx) => ctx.pickDeliveries(BATCH),
    run: (ctx, ids) =>
      ctx.deliveries.bulkWrite(
        ids.map((_id) => ({
          updateOne: {
            filter: { _id },
            update: { $set: { lastStatus: 200, updatedAt: new Date() }, $inc: { attemptCount: 1 } },
          },
        })),
        { ordered: false },
      ),
  },
  {
    name: `bulkWrite ${BATCH} deleteOne by _id`,
    use: 'queue entries done',
    idKeyed: true,
    prepare: async (ctx) =>
      insertedIds(
        await ctx.deliveries.insertMany(
          Array.from({ length: BATCH }, (_, i) => delivery(ctx.size + i)),
          { ordered: false },
        ),
      ),
    run: (ctx, ids) => deleteByIds(ctx.deliveries, ids),
  },
  {
    name: '100 concurrent findOne {_id}',
    use: 'reads by id (one round trip each)',
    idKeyed: true,
    prepare: async (ctx) => ctx.pickDeliveries(100),
    run: (ctx, ids) => Promise.all(ids.map((_id) => ctx.deliveries.findOne({ _id }))),
  },
  {
    name: 'find {_id: {$in: 100 ids}}',
    use: 'a batch read by ids',
    idKeyed: true,
    prepare: async (ctx) => ctx.pickDeliveries(100),
    run: (ctx, ids) => ctx.deliveries.find({ _id: { $in: ids } }).toArray(),
  },
  {
    name: `find {shard: 7} (queue, 1/${SHARDS} matches)`,
    use: 'a shard’s queue after a takeover',
    idKeyed: false,
    run: (ctx) => ctx.queue.find({ shard: 7 }).toArray(),
  },
  {
    name: 'log page {tenantId} sort {createdAt: -1, _id: -1} limit 51',
    use: 'GET /v1/deliveries',
    idKeyed: false,
    run: (ctx) => logPage(ctx.deliveries, { tenantId: PROBED_TENANT }),
  },
  {
    name: 'log page {tenantId, connectionId} same sort, limit 51',
    use: 'GET /v1/deliveries?connectionId=',
    idKeyed: false,
    run: (ctx) => logPage(ctx.deliveries, { tenantId: PROBED_TENANT, connectionId: PROBED_CONNECTION }),
  },
  {
    name: "log page {tenantId, status: 'failed'} same sort, limit 51",
    use: 'GET /v1/deliveries?status=failed',
    idKeyed: false,
    run: (ctx) => logPage(ctx.deliveries, { tenantId: PROBED_TENANT, status: 'failed' }),
  },
  {
    name: "countDocuments {status: 'pending'}",
    use: 'a gauge of pending deliveries',
    idKeyed: false,
    run: (ctx) => ctx.deliveries.countDocuments({ status: 'pending' }),
  },
  {
    name: 'capped: {connectionId} sort {$natural: -1} limit 51',
    use: 'newest events of a connection',
    idKeyed: false,
    run: (ctx) => ctx.events.find({ connectionId: PROBED_CONNECTION }).sort({ $natural: -1 }).limit(51).toArray(),
  },
  {
    // The capped collection's $natural order is pushed down (ORDER BY the record id), the limit is not: with no filter, the first 51 rows read are the answer.
    name: 'capped: {} sort {$natural: -1} limit 51',
    use: 'newest entries of a capped log (no filter)',
    idKeyed: false,
    run: (ctx) => ctx.events.find({}).sort({ $natural: -1 }).limit(51).toArray(),
  },
];

// ---------- measuring ----------

export interface ShapeResult {
  /** Timed runs. */
  runs: number;
  medianMs: number | null;
  /** Nearest rank: of 20 runs the 19th fastest, of fewer the slowest. */
  p95Ms: number | null;
  /** The server's CPU (FerretDB, and PostgreSQL's processes) per run, when known. */
  serverCpuMs?: number | null;
  /** Runs abandoned after the timeout (the server was restarted); with no figure, the shape did not finish once. */
  timedOut?: number;
  /** The server's CPU ms during the abandoned runs: near 0 for a hang, the timeout × cores for work that is only slow. */
  timedOutServerCpuMs?: number;
  error?: string;
}

export interface ProbeResult {
  /** What was probed: 'ferretdb-sqlite', 'ferretdb-postgresql (unpatched)', a URI… */
  server: string;
  sizes: number[];
  /** A run taking longer was abandoned. */
  timeoutMs: number;
  fillSeconds: Record<string, number>;
  shapes: { name: string; use: string; idKeyed: boolean; bySize: Record<string, ShapeResult> }[];
}

export interface ProbeOptions {
  sizes?: number[];
  /** Runs per shape and size (at most). */
  repeat?: number;
  /** After this many ms of runs a shape stops repeating (at least 3 runs). */
  budgetMs?: number;
  /** A run taking longer is abandoned. */
  timeoutMs?: number;
  /** Shapes to run (default all). */
  only?: (shape: ProbeShape) => boolean;
  log?: (line: string) => void;
  /** The server's CPU seconds so far, if known. */
  serverCpu?: () => Promise<number | undefined>;
  /** After a timeout: make the server answer again (e.g. restart it); returns its URI. Without it a timeout ends the probe. */
  recover?: () => Promise<string>;
  label?: string;
}

const round1 = (ms: number) => Math.round(ms * 10) / 10;

class Timeout extends Error {}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>(
      (_, reject) => (timer = setTimeout(() => reject(new Timeout(`no answer within ${ms / 1000} s`)), ms)),
    ),
  ]).finally(() => clearTimeout(timer));
}

async function fillTo(ctx: ProbeContext, ids: string[], from: number, to: number) {
  const collections: [Collection<Doc>, (i: number) => Doc][] = [
    [ctx.deliveries, delivery],
    [ctx.attempts, attempt],
    [ctx.queue, queueEntry],
    [ctx.events, connectionEvent],
  ];
  for (let start = from; start < to; start += 1000) {
    const end = Math.min(to, start + 1000);
    for (const [collection, make] of collections) {
      const docs = Array.from({ length: end - start }, (_, k) => make(start + k));
      await collection.insertMany(docs, { ordered: false });
      if (collection === ctx.deliveries) ids.push(...docs.map((doc) => doc._id));
    }
  }
}

async function openContext(
  uri: string,
  database: string,
  ids: string[],
): Promise<{ client: MongoClient; ctx: Omit<ProbeContext, 'size'> }> {
  const client = new MongoClient(uri, { directConnection: true, maxPoolSize: 100 });
  await client.connect();
  const db = client.db(database);
  return {
    client,
    ctx: {
      db,
      deliveries: db.collection<Doc>('deliveries'),
      attempts: db.collection<Doc>('delivery_attempts'),
      queue: db.collection<Doc>('delivery_queue'),
      events: db.collection<Doc>('connection_events'),
      pickDeliveries: (n) => Array.from({ length: n }, () => ids[Math.floor(Math.random() * ids.length)]!),
    },
  };
}

/** Runs every shape at each size on the server at `uri`, in a database of its own (dropped at the end). */
export async function probeStore(uri: string, database: string, options: ProbeOptions = {}): Promise<ProbeResult> {
  const {
    sizes = [1000, 100_000],
    repeat = 20,
    budgetMs = 30_000,
    timeoutMs = 120_000,
    only = () => true,
    log = () => undefined,
    serverCpu,
    recover,
  } = options;
  const selected = shapes.filter(only);
  const ids: string[] = [];
  let { client, ctx: base } = await openContext(uri, database, ids);
  const result: ProbeResult = {
    server: options.label ?? uri,
    sizes,
    timeoutMs,
    fillSeconds: {},
    shapes: selected.map(({ name, use, idKeyed }) => ({ name, use, idKeyed, bySize: {} })),
  };
  try {
    await Promise.all([
      base.deliveries.createIndexes([
        { key: { tenantId: 1, createdAt: -1 }, name: 'log_by_tenant' },
        { key: { createdAt: -1, _id: -1 }, name: 'log_newest' },
        { key: { connectionId: 1, createdAt: -1 }, name: 'log_by_connection' },
        { key: { connectionId: 1, status: 1, seq: 1 }, name: 'by_connection_status' },
        { key: { finishedAt: 1 }, name: 'retention' },
      ]),
      base.attempts.createIndexes([
        { key: { deliveryId: 1, number: 1 }, name: 'by_delivery' },
        { key: { startedAt: 1 }, name: 'retention' },
      ]),
      base.queue.createIndexes([{ key: { shard: 1, nextAttemptAt: 1 }, name: 'due_by_shard' }]),
    ]);
    const largest = Math.max(...sizes);
    await base.db.createCollection('connection_events', {
      capped: true,
      size: Math.max(largest, 1000) * (documentSizes.connectionEvent + 200),
      max: largest,
    });
    for (const size of sizes) {
      const filling = performance.now();
      await fillTo({ ...base, size }, ids, ids.length, size);
      result.fillSeconds[String(size)] = round1((performance.now() - filling) / 1000);
      log(`${size} documents per collection stored (${result.fillSeconds[String(size)]} s)`);
      const ctx: ProbeContext = { ...base, size };
      for (const [index, shape] of selected.entries()) {
        const samples: number[] = [];
        let cpu = 0;
        let timedOut = 0;
        let timedOutCpu = 0;
        let error: string | undefined;
        const started = performance.now();
        while (samples.length < repeat && (samples.length < 3 || performance.now() - started < budgetMs)) {
          let phase = 'prepare';
          let cpuBefore: number | undefined;
          try {
            // The untimed steps have the same timeout: without the patch a cleanup by _id can take hours.
            const prepared = shape.prepare ? await withTimeout(shape.prepare(ctx), timeoutMs) : [];
            phase = 'run';
            cpuBefore = await serverCpu?.();
            const t0 = performance.now();
            const output = await withTimeout(shape.run(ctx, prepared), timeoutMs);
            samples.push(performance.now() - t0);
            const cpuAfter = await serverCpu?.();
            if (cpuBefore !== undefined && cpuAfter !== undefined) cpu += cpuAfter - cpuBefore;
            phase = 'cleanup';
            if (shape.cleanup) await withTimeout(shape.cleanup(ctx, prepared, output), timeoutMs);
          } catch (caught) {
            if (!(caught instanceof Timeout)) {
              error = caught instanceof Error ? caught.message : String(caught);
              break;
            }
            if (phase === 'run') {
              timedOut += 1;
              const cpuAfter = await serverCpu?.();
              if (cpuBefore !== undefined && cpuAfter !== undefined) timedOutCpu += cpuAfter - cpuBefore;
            } else error = `its untimed ${phase} gave ${caught.message}`;
            log(`  ${shape.name}: ${phase}: ${caught.message}`);
            if (!recover) throw new Error(`${shape.name} at ${size} documents: ${caught.message}`);
            await client.close(true).catch(() => undefined);
            ({ client, ctx: base } = await openContext(await recover(), database, ids));
            Object.assign(ctx, base);
            break;
          }
        }
        const sorted = [...samples].sort((a, b) => a - b);
        const entry: ShapeResult = {
          runs: samples.length,
          medianMs: sorted.length ? round1(sorted[Math.floor((sorted.length - 1) / 2)]!) : null,
          p95Ms: sorted.length
            ? round1(sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)]!)
            : null,
          ...(serverCpu ? { serverCpuMs: samples.length ? round1((cpu * 1000) / samples.length) : null } : {}),
          ...(timedOut
            ? { timedOut, ...(serverCpu ? { timedOutServerCpuMs: Math.round(timedOutCpu * 1000) } : {}) }
            : {}),
          ...(error ? { error } : {}),
        };
        result.shapes[index]!.bySize[String(size)] = entry;
        log(`  ${size}: ${shape.name}: ${describe(entry, timeoutMs)}`);
      }
    }
    await base.db.dropDatabase().catch(() => undefined);
  } finally {
    await client.close().catch(() => undefined);
  }
  return result;
}

function describe(entry: ShapeResult, timeoutMs: number): string {
  const abandoned = `no answer within ${timeoutMs / 1000} s (abandoned${entry.timedOutServerCpuMs !== undefined ? `; server CPU meanwhile ${entry.timedOutServerCpuMs} ms` : ''})`;
  if (entry.runs === 0) return entry.error ? `error: ${entry.error}` : abandoned;
  const figures = `median ${entry.medianMs} ms, p95 ${entry.p95Ms} ms over ${entry.runs} runs${entry.serverCpuMs != null ? `, server CPU ${entry.serverCpuMs} ms/run` : ''}`;
  return `${figures}${entry.timedOut ? `; a later run took > ${timeoutMs / 1000} s` : ''}${entry.error ? `; then ${entry.error}` : ''}`;
}

/** The bench's summary rows (test/bench/types.ts): per shape, median and p95 ms by size. */
export interface ProbeRow {
  operation: string;
  medianMs: Record<string, number | null>;
  p95Ms?: Record<string, number | null>;
}

export function probeRows(result: ProbeResult): ProbeRow[] {
  const bySize = (shape: ProbeResult['shapes'][number], key: 'medianMs' | 'p95Ms') =>
    Object.fromEntries(Object.entries(shape.bySize).map(([size, entry]) => [size, entry[key]]));
  return result.shapes.map((shape) => ({
    operation: shape.name,
    medianMs: bySize(shape, 'medianMs'),
    p95Ms: bySize(shape, 'p95Ms'),
  }));
}

// ---------- report ----------

const fmt = (ms: number | null | undefined) =>
  ms == null ? '–' : ms >= 100 ? Math.round(ms).toLocaleString('en') : ms.toFixed(1);

/** `median / p95 ms · server CPU ms`, or why there is no figure. */
function cell(entry: ShapeResult | undefined, timeoutMs: number): string {
  if (!entry) return '';
  const cpuMeanwhile =
    entry.timedOutServerCpuMs !== undefined
      ? ` (server CPU meanwhile ${(entry.timedOutServerCpuMs / 1000).toFixed(1)} s)`
      : '';
  if (entry.runs === 0)
    return entry.error ? `error: ${entry.error.slice(0, 80)}` : `no answer in ${timeoutMs / 1000} s${cpuMeanwhile}`;
  const cpu = entry.serverCpuMs != null ? ` · ${fmt(entry.serverCpuMs)}` : '';
  return `${fmt(entry.medianMs)} / ${fmt(entry.p95Ms)}${cpu}${entry.timedOut ? ` (a later run: no answer in ${timeoutMs / 1000} s)` : ''}${entry.error ? ` (then ${entry.error.slice(0, 80)})` : ''}`;
}

/** One markdown table: a row per shape run on any of `results`, a column per server and size: `median / p95 ms · server CPU ms per run`. */
export function renderProbeTable(results: ProbeResult[]): string {
  const names = [...new Set(results.flatMap((r) => r.shapes.map((s) => s.name)))];
  const columns = results.flatMap((r) => r.sizes.map((size) => ({ r, size })));
  const header = [
    'shape',
    'issued by',
    ...columns.map(({ r, size }) => `${r.server}, ${size.toLocaleString('en')} docs`),
  ];
  const rows = names.map((name) => {
    const use = results.flatMap((r) => r.shapes).find((s) => s.name === name)!.use;
    return [
      name,
      use,
      ...columns.map(({ r, size }) => cell(r.shapes.find((s) => s.name === name)?.bySize[String(size)], r.timeoutMs)),
    ];
  });
  const fills = results.flatMap((r) =>
    r.sizes.map((size) => `${r.server} ${size.toLocaleString('en')}: ${r.fillSeconds[String(size)] ?? '–'} s`),
  );
  return [
    "Each cell: median / p95 ms per operation · the server's CPU ms per operation (FerretDB, plus PostgreSQL's processes).",
    '',
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
    '',
    `Filling each size (deliveries, attempts, queue entries and capped events, insertMany of 1,000 unordered, from the previous size): ${fills.join('; ')}.`,
  ].join('\n');
}

// ---------- standalone ----------

function option(name: string, fallback: string): string {
  const flag = process.argv.find((arg) => arg === `--${name}` || arg.startsWith(`--${name}=`));
  if (flag) return flag.includes('=') ? flag.slice(flag.indexOf('=') + 1) : 'true';
  return process.env[`PROBE_${name.toUpperCase().replace(/-/g, '_')}`] ?? fallback;
}

interface ProbeFile {
  run: string;
  machine: string;
  results: ProbeResult[];
}

/** --render=a.json,b.json: one table of several runs' results (e.g. patched and unpatched). */
function render(
  files: string[],
  out: string | undefined,
  only: (shape: { name: string; idKeyed: boolean }) => boolean,
) {
  const runs = files.map((file) => JSON.parse(readFileSync(file, 'utf8')) as ProbeFile);
  const table = renderProbeTable(
    runs.flatMap((run) => run.results.map((r) => ({ ...r, shapes: r.shapes.filter(only) }))),
  );
  const notes = runs
    .map((run) => `- run ${run.run} (${run.results.map((r) => r.server).join(', ')}): ${run.machine}`)
    .join('\n');
  if (out) writeFileSync(out, `${table}\n\n${notes}\n`);
  process.stdout.write(`${table}\n\n${notes}\n`);
}

async function main() {
  const shapeFilter = option('shapes', 'all');
  const only = (shape: { name: string; idKeyed: boolean }) =>
    shapeFilter === 'all' ||
    (shapeFilter === 'id' ? shape.idKeyed : shapeFilter.split(',').some((part) => shape.name.includes(part)));
  const renderFiles = option('render', '');
  if (renderFiles) return render(renderFiles.split(','), option('out', '') || undefined, only);
  const infra = await import('../infra/infra.js');
  const { cpuModel, cores, loadavgAtStart } = (await import('./proc.js')).machine();
  const runId = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
  const log = (line: string) => process.stderr.write(`[probe ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
  const sizes = option('sizes', '1000,100000').split(',').map(Number);
  const repeat = Number(option('repeat', '20'));
  const budgetMs = Number(option('budget', '30')) * 1000;
  const timeoutMs = Number(option('timeout', '300')) * 1000;
  const uri = option('uri', '');
  const servers = uri ? [uri] : option('servers', 'sqlite,postgresql').split(',').filter(Boolean);
  log(
    `run ${runId}: ${servers.join(', ')}; sizes ${sizes.join(', ')}; ≤ ${repeat} runs per shape (≥ 3, ${budgetMs / 1000} s budget), timeout ${timeoutMs / 1000} s`,
  );
  log(`documents (BSON bytes): ${JSON.stringify(documentSizes)}`);

  const results: ProbeResult[] = [];
  for (const server of servers) {
    const database = `store_probe_${runId.replace(/-/g, '_')}`;
    if (uri) {
      results.push(
        await probeStore(uri, database, {
          sizes,
          repeat,
          budgetMs,
          timeoutMs,
          only,
          log,
          label: uri.replace(/\/\/[^@/]*@/, '//'),
        }),
      );
      continue;
    }
    const match = /^(sqlite|postgresql)(-unpatched)?$/.exec(server);
    if (!match)
      throw new Error(`--servers: sqlite, postgresql, sqlite-unpatched or postgresql-unpatched; got ${server}`);
    const mongoServer = infra.selectedMongoServer(`ferretdb-${match[1]}`);
    const build = match[2] ? 'unpatched' : 'patched';
    const instance: InfraInstance = {
      stateDir: join(repoRoot, '.hookline', 'store-probe', server),
      kafkaPort: 0,
      mongoPort: await infra.freePort(),
      mongoServer,
      ferretdbBuild: build,
    };
    const infraLog = (line: string) => log(`infra: ${line}`);
    await infra.stopMongoServer(instance, infraLog);
    rmSync(instance.stateDir, { recursive: true, force: true });
    const label = `${mongoServer}${build === 'unpatched' ? ' (unpatched)' : ''}`;
    log(`${label}: starting`);
    const serverUri = await infra.startMongoServer(instance, infraLog);
    const serverCpu = async () => {
      const parts = await Promise.all([
        infra.serverCpuSeconds(instance, 'ferretdb'),
        mongoServer === 'ferretdb-postgresql' ? infra.serverCpuSeconds(instance, 'postgresql') : 0,
      ]);
      return parts.some((part) => part === undefined) ? undefined : parts.reduce<number>((sum, part) => sum + part!, 0);
    };
    try {
      results.push(
        await probeStore(serverUri, database, {
          sizes,
          repeat,
          budgetMs,
          timeoutMs,
          only,
          log,
          serverCpu,
          label,
          // A hung command keeps FerretDB busy: kill it and start it again on the same data (on any free port).
          recover: async () => {
            await infra.stopServer(instance, 'ferretdb', 'SIGKILL', infraLog);
            return infra.startMongoServer({ ...instance, mongoPort: await infra.freePort() }, infraLog);
          },
        }),
      );
    } finally {
      await infra.stopMongoServer(instance, infraLog);
      if (option('keep-data', 'false') !== 'true') rmSync(instance.stateDir, { recursive: true, force: true });
    }
  }

  const table = renderProbeTable(results);
  const resultsDir = join(here, 'results');
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `store-probe-${runId}`);
  const machineLine = `${cpuModel}, ${cores} cores, load average ${loadavgAtStart.join(' ')} at the start`;
  writeFileSync(
    `${file}.json`,
    `${JSON.stringify({ run: runId, machine: machineLine, documentSizes, options: { sizes, repeat, budgetMs, timeoutMs, shapes: shapeFilter }, results }, null, 2)}\n`,
  );
  writeFileSync(`${file}.md`, `# Store probe ${runId}\n\n${machineLine}. p95: nearest rank.\n\n${table}\n`);
  process.stdout.write(`${table}\n`);
  log(`results in ${file}.json and .md`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
