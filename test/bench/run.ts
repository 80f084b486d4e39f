// `npm run bench`: the dispatcher's benchmark (issue 12). Starts Kafka and
// FerretDB (its own instances by default), the receivers, then for each mode —
// the floor (plain kafkajs + undici), one dispatcher, two dispatchers — a
// backlog published at once, a steady rate the mode can sustain and the target
// rate; prints the figures, writes test/bench/results/<timestamp>.json and
// latest.json, and regenerates the tables in docs/performance.md.
// Options: test/bench/README.md.
import { fork, spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  openSync,
  closeSync,
  readFileSync,
  readdirSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { catalog, type Domain } from '@hookline/events';
import { AssignerProtocol, Kafka, Partitioners, logLevel, type Admin, type Producer } from 'kafkajs';
import { timeDeliveryLog, type LogTenant } from './delivery-log.js';
import { EventMix, type BenchMessage } from './events.js';
import { diffStats, startMongoProxy, type MongoProxy } from './mongo-proxy.js';
import { cpuSnapshot, loadavg, machine, peakRssMiB, sampleRss } from './proc.js';
import { summarizeProfile } from './profile.js';
import { probeRows, probeStore, type ProbeRow } from './store-probe.js';
import type { FloorConfig, FloorReply, ReceiverSpec, ReceiversReply, ReceiversRequest } from './protocol.js';
import type { BenchResult, ModeResult, PhaseResult, Resources } from './types.js';
import { renderTables, updatePerformanceDoc } from './report.js';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..');
const log = (line: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Microseconds of the monotonic clock, the clock of the .cpuprofile timestamps. */
const monoUs = () => Number(process.hrtime.bigint() / 1000n);

// ---------- options ----------

function option(name: string, fallback: string): string {
  const flag = process.argv.find((arg) => arg === `--${name}` || arg.startsWith(`--${name}=`));
  if (flag) return flag.includes('=') ? flag.slice(flag.indexOf('=') + 1) : 'true';
  return process.env[`BENCH_${name.toUpperCase().replace(/-/g, '_')}`] ?? fallback;
}
const num = (name: string, fallback: number) => {
  const value = Number(option(name, String(fallback)));
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a number ≥ 0`);
  return value;
};

const options = {
  /** Events published at once before measuring the drain. */
  backlog: num('backlog', 300),
  /** The floor's backlog: the same sequence, longer, so that its drain lasts long enough to be measured. */
  floorBacklog: num('floor-backlog', 10_000),
  /** Target rate of the aim (events/s) and how long it is held. */
  rate: num('rate', 1000),
  rateSeconds: num('rate-seconds', 10),
  /** The sustainable phase runs at this share of the backlog drain rate (capped at --rate). */
  steadyShare: num('steady-share', 0.7),
  steadySeconds: num('steady-seconds', 30),
  /** Seconds to wait for deliveries after publishing stops (steady phases). */
  grace: num('grace', 20),
  /** Longest wait for the backlog to drain. */
  backlogTimeout: num('backlog-timeout', 240),
  instances: option('instances', '1,2').split(',').filter(Boolean).map(Number),
  floor: option('floor', 'true') !== 'false',
  /** --cpu-prof on the single dispatcher. */
  profile: option('profile', 'true') !== 'false',
  subjects: num('subjects', 5000),
  partitions: num('partitions', 4),
  slowMs: num('slow-ms', 200),
  failRate: num('fail-rate', 0.05),
  /** Use the shared test servers (test/infra defaults, or KAFKA_BROKERS / MONGODB_URI) instead of the bench's own. */
  sharedInfra: option('shared-infra', 'false') === 'true',
  keepInfra: option('keep-infra', 'false') === 'true',
  /** Time the dispatcher's query shapes on the store at 1,000 and 5,000 documents. */
  probe: option('probe', 'true') !== 'false',
  /** Write docs/performance.md tables (off for trial runs). */
  writeDoc: option('write-doc', 'true') !== 'false',
  /** Single dispatcher, after the phases above: a backlog of this many events (3 deliveries each) published at once, its drain and RSS; 0 or false: off. */
  drain: option('drain', '33334') === 'false' ? 0 : num('drain', 33_334),
  /** Longest wait for that drain. */
  drainTimeout: num('drain-timeout', 600),
  /** Single dispatcher, after the drain: a second tenant's backlog behind a slow receiver, and the quiet tenant's latency without and with it. */
  noisy: option('noisy', 'true') !== 'false',
  /** The noisy tenant's events (one delivery each, to its one connection). */
  noisyEvents: num('noisy-events', 100_000),
  /** How long the noisy receiver takes to answer 200. */
  noisyDelayMs: num('noisy-delay-ms', 20_000),
  /** Longest wait for the dispatcher to hold the noisy backlog. */
  noisyTimeout: num('noisy-timeout', 300),
  /** The quiet tenant's rate (events/s, 3 deliveries each) and duration, without and with the noisy backlog. */
  quietRate: num('quiet-rate', 300),
  quietSeconds: num('quiet-seconds', 15),
  /** Single dispatcher, last: the delivery log's first page, with and without filters, timed through the API. */
  deliveryLog: option('delivery-log', 'true') !== 'false',
  /** Sequential requests per delivery-log query, no more once the budget (seconds per query) is spent (at least one). */
  deliveryLogRequests: num('delivery-log-requests', 20),
  deliveryLogBudget: num('delivery-log-budget', 60),
};

const FANOUT = 3;
const retryPolicy = { maxAttempts: 3, windowSeconds: 120, timeoutMs: 10_000, backoffSeconds: [1, 2] };

// ---------- receivers ----------

interface Receiver extends ReceiverSpec {
  domain: Domain;
  filter: { eventTypes: string[] };
  headers?: Record<string, string>;
  maxInFlight?: number;
}

function receiverSpecs(): Receiver[] {
  const typesOf = (domain: Domain) =>
    catalog.filter((definition) => definition.domain === domain).map((definition) => definition.type);
  const three = (domain: Domain, third: Partial<Receiver> & { name: string }): Receiver[] => [
    { name: `${domain}-prefix`, domain, filter: { eventTypes: [`${domain}.*`] }, delayMs: 0, failRate: 0 },
    { name: `${domain}-types`, domain, filter: { eventTypes: typesOf(domain) }, delayMs: 0, failRate: 0 },
    { domain, filter: { eventTypes: [`${domain}.*`] }, delayMs: 0, failRate: 0, ...third },
  ];
  return [
    ...three('marketplace', {
      name: 'marketplace-headers',
      headers: { 'X-Api-Key': 'bench-receiver-key', 'X-Tenant-Ref': 'bench' },
    }),
    // Slow: answers after slowMs; its connection may keep 256 requests in flight (the API's most). A connection
    // sends at most maxInFlight ÷ latency per second: with 64 that was 320/s, less than this receiver's share of
    // the target rate (333/s), so the target was out of reach by configuration, whatever the dispatcher.
    ...three('accounting', { name: 'accounting-slow', delayMs: options.slowMs, maxInFlight: 256 }),
    // Failing: a share of its requests answer 500 (retried after 1 s and 2 s).
    ...three('coworking', { name: 'coworking-failing', failRate: options.failRate }),
  ];
}

/** The noisy tenant's receiver: answers 200 after --noisy-delay-ms; its connection takes every event type, 10 requests at a time. */
function noisySpec(): Omit<Receiver, 'domain'> {
  return {
    name: 'noisy-slow',
    filter: { eventTypes: ['*'] },
    delayMs: options.noisyDelayMs,
    failRate: 0,
    maxInFlight: 10,
  };
}

/** Request/answer over IPC, one at a time per child. */
class Rpc<Request, Reply> {
  private readonly waiting: ((reply: Reply) => void)[] = [];
  private chain: Promise<unknown> = Promise.resolve();
  constructor(readonly child: ChildProcess) {
    child.on('message', (message: Reply) => this.waiting.shift()?.(message));
  }
  call(request: Request): Promise<Reply> {
    const next = this.chain.then(
      () =>
        new Promise<Reply>((resolve) => {
          this.waiting.push(resolve);
          this.child.send(request as object);
        }),
    );
    this.chain = next.catch(() => undefined);
    return next;
  }
}

const tsxArgs = ['--conditions=@hookline/source', '--import', 'tsx'];

// ---------- helpers ----------

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await sleep(200);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

function percentile(sorted: number[], total: number, q: number): number | null {
  // Over every expected delivery: the missing ones count as slower than any delivered.
  const index = Math.max(0, Math.ceil(q * total) - 1);
  return index < sorted.length ? sorted[index]! : null;
}

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

function git() {
  const run = (args: string[]) => {
    try {
      return execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8' }).trim();
    } catch {
      return '';
    }
  };
  const dirty = run(['status', '--porcelain', '--', 'services/dispatcher', 'packages']).split('\n').filter(Boolean);
  return {
    commit: run(['rev-parse', 'HEAD']),
    subject: run(['log', '-1', '--format=%s']).slice(0, 120),
    uncommittedInDispatcherOrPackages: dirty,
  };
}

// ---------- phases ----------

interface World {
  brokers: string[];
  mongodbUri: string;
  proxy: MongoProxy;
  producer: Producer;
  kafka: Kafka;
  receivers: Rpc<ReceiversRequest, ReceiversReply>;
  receiverUrls: string[];
  specs: Receiver[];
  /** The noisy tenant's receiver: started with the others, after them (its index), used by the noisy phase only. */
  noisy: { index: number; url: string; spec: Omit<Receiver, 'domain'> };
  infraPids: Record<string, number[]>;
  /** Groups of infraPids read as a process tree (PostgreSQL's backends are children of its postmaster). */
  treeGroups: ReadonlySet<string>;
  runId: string;
  workDir: string;
}

interface Subjects {
  kind: 'floor' | 'dispatcher';
  pids: number[];
}

/** The receivers' tallies: the 9 receivers of the load (the quiet tenant's) summed, the noisy one apart. */
async function counts(world: World) {
  const reply = (await world.receivers.call({ type: 'count' })) as Extract<ReceiversReply, { type: 'count' }>;
  const load = reply.receivers.filter((_, index) => index !== world.noisy.index);
  const sum = (field: 'delivered' | 'attempts' | 'failures') =>
    load.reduce((total, receiver) => total + receiver[field], 0);
  return {
    delivered: sum('delivered'),
    attempts: sum('attempts'),
    failures: sum('failures'),
    noisy: reply.receivers[world.noisy.index]!,
  };
}

async function snapshot(world: World, subjects: Subjects) {
  const count = await counts(world);
  return {
    at: Date.now(),
    mono: monoUs(),
    cpu: cpuSnapshot(
      {
        [subjects.kind]: subjects.pids,
        ...world.infraPids,
        receivers: [world.receivers.child.pid!],
        orchestrator: [process.pid],
      },
      world.treeGroups,
    ),
    mongo: world.proxy.stats(),
    count,
  };
}
type Snapshot = Awaited<ReturnType<typeof snapshot>>;

function resources(before: Snapshot, after: Snapshot): Resources {
  const seconds = (after.at - before.at) / 1000;
  const cpuSeconds: Record<string, number> = {};
  const cores: Record<string, number> = {};
  for (const [name, value] of Object.entries(after.cpu)) {
    cpuSeconds[name] = round(value - (before.cpu[name] ?? 0), 2);
    cores[name] = seconds > 0 ? round((value - (before.cpu[name] ?? 0)) / seconds, 2) : 0;
  }
  return { cpuSeconds, cores };
}

async function publish(producer: Producer, messages: BenchMessage[]) {
  const byTopic = new Map<string, BenchMessage[]>();
  for (const message of messages) byTopic.set(message.topic, [...(byTopic.get(message.topic) ?? []), message]);
  await producer.sendBatch({
    acks: -1,
    topicMessages: [...byTopic].map(([topic, list]) => ({
      topic,
      messages: list.map(({ key, value, headers }) => ({ key, value, headers })),
    })),
  });
}

/** First receipts of the events whose time lies in [from, to), the noisy receiver's left out. */
async function records(world: World, from: number, to: number) {
  const got = (await world.receivers.call({ type: 'records', from, to })) as Extract<
    ReceiversReply,
    { type: 'records' }
  >;
  const keep = got.receiverIndex.map((index) => index !== world.noisy.index);
  if (keep.every(Boolean)) return got;
  const only = (list: number[]) => list.filter((_, i) => keep[i]);
  return {
    ...got,
    eventTimes: only(got.eventTimes),
    receiptTimes: only(got.receiptTimes),
    receiverIndex: only(got.receiverIndex),
    retried: only(got.retried),
  };
}

function phaseResult(
  name: PhaseResult['name'],
  base: { events: number; seconds: number; delivered: number; deliveriesPerSec: number },
  before: Snapshot,
  after: Snapshot,
  kind: Subjects['kind'],
): PhaseResult {
  const mongo = diffStats(before.mongo, after.mongo);
  const delivered = base.delivered;
  return {
    name,
    events: base.events,
    expectedDeliveries: base.events * FANOUT,
    delivered,
    seconds: round(base.seconds, 2),
    publishedPerSec: round(base.events / Math.max(base.seconds, 0.001)),
    deliveriesPerSec: round(base.deliveriesPerSec),
    resources: resources(before, after),
    ...(kind === 'dispatcher'
      ? {
          mongo: {
            ops: mongo.work,
            opsPerDelivery: delivered > 0 ? round(mongo.work / delivered, 2) : null,
            waitMsPerDelivery: delivered > 0 ? round(mongo.workMs / delivered, 1) : null,
            upkeep: mongo.upkeep,
            workMs: mongo.workMs,
            byCommand: mongo.byCommand,
          },
        }
      : {}),
    attempts: after.count.attempts - before.count.attempts,
    failedAttempts: after.count.failures - before.count.failures,
    loadavgAfter: loadavg(),
  };
}

interface Published {
  size: number;
  start: number;
  published: number;
}

async function publishBacklog(world: World, mix: EventMix, size: number, label = 'backlog'): Promise<Published> {
  const start = Date.now();
  for (let sent = 0; sent < size; sent += 1000) {
    const batch: BenchMessage[] = [];
    for (let i = sent; i < Math.min(size, sent + 1000); i++) batch.push(mix.message(new Date()));
    await publish(world.producer, batch);
  }
  const published = Date.now();
  log(`  ${label}: ${size} events published in ${((published - start) / 1000).toFixed(1)} s`);
  return { size, start, published };
}

/**
 * Waits until the store has had no request for `quietMs` (at most `maxMs`):
 * the writes that record a phase's last deliveries belong to its CPU.
 */
async function storeSettled(world: World, quietMs = 1000, maxMs = 15_000): Promise<void> {
  const work = () => diffStats({}, world.proxy.stats()).work;
  const deadline = Date.now() + maxMs;
  let last = work();
  let since = Date.now();
  while (Date.now() < deadline && Date.now() - since < quietMs) {
    await sleep(100);
    const now = work();
    if (now !== last) {
      last = now;
      since = Date.now();
    }
  }
}

/** A backlog or drain with no new delivery for this long is stalled: its wait ends. */
const STALL_SECONDS = 120;

interface BacklogSpec {
  name: 'backlog' | 'drain';
  /** Events published at once. */
  size: number;
  timeoutSeconds: number;
  /** Sample the subject's resident memory every 250 ms. */
  sampleRss?: boolean;
}

/**
 * A backlog's drain. The floor's backlog is published before its consumer
 * starts (`prepublished`): published while it runs, the publisher would share
 * the 2 cores with it and pace it. A dispatcher's is published once its
 * instances own the shards (a second of publishing against minutes of drain).
 */
async function backlogPhase(
  world: World,
  mix: EventMix,
  subjects: Subjects,
  spec: BacklogSpec,
  prepublished?: Published,
): Promise<PhaseResult> {
  const label = spec.name;
  const before = await snapshot(world, subjects);
  const startMono = monoUs();
  const rss = spec.sampleRss ? sampleRss(subjects.pids) : undefined;
  const { size, start, published } = prepublished ?? (await publishBacklog(world, mix, spec.size, label));
  log(`  ${label}: draining…`);
  const expected = size * FANOUT;
  // Receivers were reset before the floor's backlog was published: its consumer may have begun already.
  const base = prepublished ? 0 : before.count.delivered;
  let last = base;
  let lastChange = Date.now();
  let stoppedWaiting: string | undefined;
  let lastLog = Date.now();
  for (;;) {
    await sleep(250);
    const count = await counts(world);
    const delivered = count.delivered - base;
    if (delivered >= expected) break;
    if (count.delivered !== last) {
      last = count.delivered;
      lastChange = Date.now();
    }
    // What retries could not deliver (exhausted after 3 attempts) never comes.
    if (delivered >= expected * 0.99 && Date.now() - lastChange > 8_000) break;
    if (Date.now() - start > spec.timeoutSeconds * 1000) {
      stoppedWaiting = `after ${spec.timeoutSeconds} s (--${spec.name}-timeout)`;
      break;
    }
    // Retries come within seconds and a rebalance within a minute: nothing for this long is a stall.
    if (Date.now() - lastChange > STALL_SECONDS * 1000) {
      stoppedWaiting = `after ${STALL_SECONDS} s without a delivery`;
      break;
    }
    if (Date.now() - lastLog >= 10_000) {
      lastLog = Date.now();
      log(`  ${label}: ${delivered}/${expected} delivered after ${((Date.now() - start) / 1000).toFixed(0)} s`);
    }
  }
  await storeSettled(world);
  const after = await snapshot(world, subjects);
  const got = await records(world, start, published + 1);
  const receipts = [...got.receiptTimes].sort((a, b) => a - b);
  const n = receipts.length;
  const t5 = receipts[Math.floor(n * 0.05)] ?? start;
  const t95 = receipts[Math.max(0, Math.ceil(n * 0.95) - 1)] ?? start;
  const slope = t95 > t5 ? (n * 0.9) / ((t95 - t5) / 1000) : 0;
  const lastReceipt = receipts[n - 1] ?? start;
  const result = phaseResult(
    spec.name,
    { events: size, seconds: (lastReceipt - start) / 1000, delivered: n, deliveriesPerSec: slope },
    before,
    after,
    subjects.kind,
  );
  result.drainSeconds = round((lastReceipt - start) / 1000, 2);
  // Deliveries per second in 10-second steps: does the rate hold as the delivery log grows?
  const buckets: number[] = [];
  for (const receipt of receipts) {
    const bucket = Math.floor((receipt - start) / 10_000);
    while (buckets.length <= bucket) buckets.push(0);
    buckets[bucket]!++;
  }
  result.timeline = buckets.map((n) => round(n / 10));
  result.publishedPerSec = round(size / Math.max((published - start) / 1000, 0.001));
  result.window = { fromMonoUs: startMono, toMonoUs: after.mono };
  if (rss) result.rss = rss.stop();
  if (stoppedWaiting) {
    result.stoppedWaiting = `${stoppedWaiting}, ${n} of ${expected} delivered`;
    log(`  ${label}: stopped waiting ${result.stoppedWaiting}`);
  }
  log(
    `  ${label}: ${n}/${expected} delivered, ${result.deliveriesPerSec} deliveries/s (5–95 %), drained in ${result.drainSeconds} s${result.rss ? `, RSS at most ${result.rss.maxMiB.join(' + ')} MiB` : ''}`,
  );
  return result;
}

async function steadyPhase(
  world: World,
  mix: EventMix,
  subjects: Subjects,
  name: 'sustainable' | 'target' | 'quiet' | 'quiet-noisy',
  rate: number,
  seconds: number,
  withRss = false,
): Promise<PhaseResult> {
  const before = await snapshot(world, subjects);
  const start = Date.now();
  const startMono = monoUs();
  const rss = withRss ? sampleRss(subjects.pids) : undefined;
  let sent = 0;
  const end = start + seconds * 1000;
  // Publish what is due every 10 ms (one request; a slow send is caught up by the next).
  while (Date.now() < end) {
    const due = Math.floor((rate * (Date.now() - start)) / 1000) - sent;
    if (due > 0) {
      const batch: BenchMessage[] = [];
      for (let i = 0; i < due; i++) batch.push(mix.message(new Date()));
      await publish(world.producer, batch);
      sent += due;
    }
    await sleep(10);
  }
  const stopped = Date.now();
  const expected = sent * FANOUT;
  const deadline = stopped + options.grace * 1000;
  while (Date.now() < deadline) {
    const count = await counts(world);
    if (count.delivered - before.count.delivered >= expected) break;
    await sleep(250);
  }
  const after = await snapshot(world, subjects);
  const got = await records(world, start, stopped + 1);
  const latencies = got.eventTimes.map((t, i) => got.receiptTimes[i]! - t).sort((a, b) => a - b);
  // Without the deliveries that needed a retry (the failing receiver's 500s, retried after ≥ 1 s by policy).
  const firstAttempt = got.eventTimes
    .map((t, i) => (got.retried[i] ? -1 : got.receiptTimes[i]! - t))
    .filter((latency) => latency >= 0)
    .sort((a, b) => a - b);
  const retriedCount = got.retried.reduce((sum, r) => sum + r, 0);
  const duringPublishing = got.receiptTimes.filter((t) => t <= stopped).length;
  const publishSeconds = (stopped - start) / 1000;
  const result = phaseResult(
    name,
    {
      events: sent,
      seconds: publishSeconds,
      delivered: latencies.length,
      deliveriesPerSec: duringPublishing / publishSeconds,
    },
    before,
    after,
    subjects.kind,
  );
  result.latencyMs = latencySummary(latencies, expected);
  result.firstAttemptLatencyMs = latencySummary(firstAttempt, expected - retriedCount);
  result.retriedDeliveries = retriedCount;
  result.window = { fromMonoUs: startMono, toMonoUs: after.mono };
  if (rss) result.rss = rss.stop();
  const fmt = (v: number | null) => (v === null ? `>${options.grace}s` : `${v} ms`);
  log(
    `  ${name}: ${sent} events at ${result.publishedPerSec}/s, ${latencies.length}/${expected} delivered (${result.deliveriesPerSec}/s while publishing), p50 ${fmt(result.latencyMs.p50)} p95 ${fmt(result.latencyMs.p95)} p99 ${fmt(result.latencyMs.p99)}; first attempts only: p99 ${fmt(result.firstAttemptLatencyMs.p99)}`,
  );
  return result;
}

async function runPhases(world: World, mode: ModeResult, mix: EventMix, subjects: Subjects, prepublished?: Published) {
  const backlog = await backlogPhase(
    world,
    mix,
    subjects,
    { name: 'backlog', size: options.backlog, timeoutSeconds: options.backlogTimeout },
    prepublished,
  );
  mode.phases.push(backlog);
  // Events/s, to a tenth: a slow mode's share may be below one event per second.
  const sustainable = Math.max(
    0.5,
    Math.min(options.rate, round((options.steadyShare * backlog.deliveriesPerSec) / FANOUT, 1)),
  );
  if (sustainable < options.rate && options.steadySeconds > 0) {
    mode.phases.push(await steadyPhase(world, mix, subjects, 'sustainable', sustainable, options.steadySeconds));
  } else {
    mode.notes.push(
      `${options.steadyShare} × the backlog drain rate is at least the target rate: the sustainable phase is the target phase`,
    );
  }
  if (options.rateSeconds > 0)
    mode.phases.push(await steadyPhase(world, mix, subjects, 'target', options.rate, options.rateSeconds));
}

async function createTopics(world: World, mode: string): Promise<Record<Domain, string>> {
  const topics = {
    marketplace: `bench-${world.runId}-${mode}.marketplace`,
    accounting: `bench-${world.runId}-${mode}.accounting`,
    coworking: `bench-${world.runId}-${mode}.coworking`,
  };
  const admin = world.kafka.admin();
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: Object.values(topics).map((topic) => ({ topic, numPartitions: options.partitions, replicationFactor: 1 })),
  });
  await admin.disconnect();
  return topics;
}

function routesFor(world: World, topics: Record<Domain, string>): Record<string, string[]> {
  const routes: Record<string, string[]> = {};
  for (const [index, spec] of world.specs.entries())
    (routes[topics[spec.domain]] ??= []).push(world.receiverUrls[index]!);
  return routes;
}

// ---------- the floor ----------

async function runFloor(world: World): Promise<ModeResult> {
  const mode: ModeResult = { mode: 'floor', kind: 'floor', instances: 1, phases: [], peakRssMiB: [], notes: [] };
  log('floor: plain kafkajs consumer + undici POSTs, same events and receivers');
  const topics = await createTopics(world, 'floor');
  const config: FloorConfig = {
    brokers: world.brokers,
    groupId: `bench-${world.runId}-floor`,
    topics: Object.values(topics),
    routes: routesFor(world, topics),
    connectionsPerOrigin: 32,
    maxInFlight: 2048,
    backoffMs: retryPolicy.backoffSeconds.map((s) => s * 1000),
  };
  await world.receivers.call({ type: 'reset' });
  const mix = new EventMix('bench-floor-tenant', topics, options.subjects);
  const prepublished = await publishBacklog(world, mix, Math.max(options.backlog, options.floorBacklog));
  const logFd = openSync(join(world.workDir, 'floor.log'), 'a');
  const child = fork(join(here, 'floor.ts'), [], {
    cwd: repoRoot,
    execArgv: tsxArgs,
    env: { ...process.env, BENCH_FLOOR_CONFIG: JSON.stringify(config) },
    stdio: ['ignore', logFd, logFd, 'ipc'],
  });
  closeSync(logFd);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the floor consumer did not join its group in 60 s')), 60_000);
    child.on('message', (message: FloorReply) => {
      if (message.type === 'ready') {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`the floor consumer exited (${code})`)));
  });
  try {
    await runPhases(world, mode, mix, { kind: 'floor', pids: [child.pid!] }, prepublished);
  } finally {
    mode.peakRssMiB = [round(peakRssMiB(child.pid!) ?? 0)];
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  }
  return mode;
}

// ---------- the dispatcher ----------

/** The dispatcher's hand-off topic and its partitions, the shards (services/dispatcher/src/domain/delivery-task.ts; the package does not export them). */
const DELIVERIES_TOPIC = 'hookline.deliveries';
const SHARDS = 32;
const shardOf = (connectionId: string) => createHash('md5').update(connectionId).digest().readUInt32BE(0) % SHARDS;

/**
 * Every mode's dispatchers read the one hand-off topic in a group of their own,
 * which would start at its beginning: at the hand-offs of the modes and runs
 * before (other databases: their connections are unknown here, so they would
 * be discarded one by one). The new group starts at the end instead. Returns
 * how many messages it skips.
 */
async function skipEarlierHandOffs(world: World, groupId: string): Promise<number> {
  const admin = world.kafka.admin();
  await admin.connect();
  try {
    if (!(await admin.listTopics()).includes(DELIVERIES_TOPIC)) return 0;
    const offsets = await admin.fetchTopicOffsets(DELIVERIES_TOPIC);
    const skipped = offsets.reduce((sum, partition) => sum + Number(partition.high) - Number(partition.low), 0);
    if (skipped > 0)
      await admin.setOffsets({
        groupId,
        topic: DELIVERIES_TOPIC,
        partitions: offsets.map(({ partition, high }) => ({ partition, offset: high })),
      });
    return skipped;
  } finally {
    await admin.disconnect();
  }
}

/** Which instance (its Kafka client id) holds each shard of the deliveries group now. */
async function shardOwners(world: World, groupId: string): Promise<Map<number, string>> {
  const admin = world.kafka.admin();
  await admin.connect();
  try {
    const { groups } = await admin.describeGroups([groupId]);
    const owners = new Map<number, string>();
    for (const member of groups[0]?.members ?? []) {
      const assignment = AssignerProtocol.MemberAssignment.decode(member.memberAssignment);
      for (const shard of assignment?.assignment[DELIVERIES_TOPIC] ?? []) owners.set(shard, member.clientId);
    }
    return owners;
  } finally {
    await admin.disconnect();
  }
}

/**
 * The error lines of an instance's log (pino JSON), grouped by message with
 * the numbers left out, most frequent first: a phase that stalls often says
 * why there.
 */
function loggedErrors(file: string, id: string, top = 5): string[] {
  if (!existsSync(file)) return [];
  const byMessage = new Map<string, { count: number; example: string }>();
  let total = 0;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.startsWith('{')) continue;
    let entry: { level?: number; msg?: string; err?: { message?: string }; error?: unknown };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      continue;
    }
    if ((entry.level ?? 0) < 50) continue;
    total++;
    const cause = entry.err?.message ?? (typeof entry.error === 'string' ? entry.error : undefined);
    const text = `${entry.msg ?? ''}${cause ? ` (${cause})` : ''}`;
    const key = text.replace(/\d+/g, '#');
    const seen = byMessage.get(key);
    if (seen) seen.count++;
    else byMessage.set(key, { count: 1, example: text.slice(0, 300) });
  }
  if (total === 0) return [];
  const lines = [...byMessage.values()].sort((a, b) => b.count - a.count);
  return [
    `${id} logged ${total} errors${lines.length > top ? ` (${lines.length} kinds, the ${top} most frequent below)` : ''}`,
    ...lines.slice(0, top).map(({ count, example }) => `${id}: ${count} × ${example}`),
  ];
}

/** Messages of the topics not yet committed by a consumer group (from the beginning where it has committed nothing). */
async function groupLag(admin: Admin, groupId: string, topics: string[]): Promise<number> {
  const committed = await admin.fetchOffsets({ groupId, topics });
  let lag = 0;
  for (const topic of topics) {
    const done = new Map(
      (committed.find((entry) => entry.topic === topic)?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]),
    );
    for (const { partition, high, low } of await admin.fetchTopicOffsets(topic)) {
      const at = done.get(partition) ?? -1;
      lag += Number(high) - (at >= 0 ? at : Number(low));
    }
  }
  return lag;
}

/** An instance's /metrics, each metric's series summed. */
async function scrapeMetrics(port: number, token: string): Promise<Map<string, number>> {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`, {
    headers: { authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(60_000),
  });
  if (!response.ok) throw new Error(`/metrics answered ${response.status}`);
  const sums = new Map<string, number>();
  for (const line of (await response.text()).split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{[^}]*\})? (\S+)/.exec(line);
    if (match) sums.set(match[1]!, (sums.get(match[1]!) ?? 0) + Number(match[2]));
  }
  return sums;
}

interface Instance {
  child: ChildProcess;
  port: number;
  id: string;
  exited: Promise<number | null>;
}

async function runDispatchers(world: World, instances: number, profileDir?: string): Promise<ModeResult> {
  const name = `dispatcher-x${instances}`;
  const mode: ModeResult = { mode: name, kind: 'dispatcher', instances, phases: [], peakRssMiB: [], notes: [] };
  log(`${name}: ${instances} dispatcher instance(s)${profileDir ? ' (CPU profile on)' : ''}`);
  const topics = await createTopics(world, name);
  const database = `bench_${world.runId.replace(/-/g, '_')}_x${instances}`;
  mode.database = database;
  const adminKey = `bench-admin-${randomUUID()}`;
  const metricsToken = `bench-metrics-${randomUUID()}`;
  const groupId = `bench-${world.runId}-${name}`;
  const skipped = await skipEarlierHandOffs(world, `${groupId}.deliveries`);
  if (skipped > 0)
    log(
      `  ${DELIVERIES_TOPIC} holds ${skipped} hand-off messages of earlier modes or runs: this mode's group starts after them`,
    );
  const running: Instance[] = [];
  const cleanEnv = { ...process.env };
  for (const variable of [
    'KAFKA_BROKERS',
    'KAFKA_CLIENT_ID',
    'MONGODB_URI',
    'MONGODB_DB',
    'PORT',
    'HOST',
    'NODE_OPTIONS',
    'HOOKLINE_METRICS_TOKEN',
  ])
    delete cleanEnv[variable];
  for (let i = 0; i < instances; i++) {
    const port = await freePort();
    const id = `${name}-${i + 1}`;
    const logFd = openSync(join(world.workDir, `${id}.log`), 'a');
    const child = spawn(
      process.execPath,
      [
        ...tsxArgs,
        ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
        'services/dispatcher/src/main.ts',
      ],
      {
        cwd: repoRoot,
        env: {
          ...cleanEnv,
          NODE_ENV: 'production',
          KAFKA_BROKERS: world.brokers.join(','),
          MONGODB_URI: `mongodb://127.0.0.1:${world.proxy.port}/?directConnection=true`,
          MONGODB_DB: database,
          HOST: '127.0.0.1',
          PORT: String(port),
          HOOKLINE_ADMIN_KEY: adminKey,
          HOOKLINE_URL_ALLOWLIST: '127.0.0.1',
          HOOKLINE_RATE_LIMIT_PER_MINUTE: '100000',
          DISPATCHER_TOPICS: Object.values(topics).join(','),
          DISPATCHER_GROUP_ID: groupId,
          DISPATCHER_INSTANCE_ID: id,
          // Names the instance's Kafka group members (the deliveries group's assignment says which instance sends for which shard).
          KAFKA_CLIENT_ID: id,
          HOOKLINE_METRICS_TOKEN: metricsToken,
          LOG_LEVEL: 'warn',
          SHUTDOWN_TIMEOUT_MS: '30000',
        },
        stdio: ['ignore', logFd, logFd],
      },
    );
    closeSync(logFd);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    running.push({ child, port, id, exited });
  }
  const api = async <T>(instance: Instance, method: string, path: string, key: string, body?: unknown): Promise<T> => {
    const response = await fetch(`http://127.0.0.1:${instance.port}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return (response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) as T;
  };
  try {
    for (const instance of running) {
      await waitFor(
        `${instance.id} to answer /health (log ${join(world.workDir, `${instance.id}.log`)})`,
        async () => {
          if (instance.child.exitCode !== null)
            throw new Error(`${instance.id} exited with ${instance.child.exitCode}`);
          return (await fetch(`http://127.0.0.1:${instance.port}/health`)).ok;
        },
        180_000,
      );
    }
    const first = running[0]!;
    const tenant = await api<{ id: string; apiKey: string }>(first, 'POST', '/v1/tenants', adminKey, { name: 'bench' });
    const connectionIds: string[] = [];
    for (const [index, spec] of world.specs.entries()) {
      const created = await api<{ id: string }>(first, 'POST', '/v1/connections', tenant.apiKey, {
        name: spec.name,
        url: world.receiverUrls[index],
        filter: spec.filter,
        headers: spec.headers ?? {},
        retry: retryPolicy,
        // The API's most (256) unless the receiver says otherwise: the floor has no limit per receiver, and a
        // connection sends at most maxInFlight ÷ latency a second (with the default 10 and 30 ms under load, 333/s:
        // each connection's share of the target rate).
        maxInFlight: spec.maxInFlight ?? 256,
      });
      connectionIds.push(created.id);
    }
    // Shards: each instance should send for its share of the 32 (partitions of the hand-off topic) before the load starts.
    const owned = () =>
      Promise.all(
        running.map(
          async (instance) =>
            (await scrapeMetrics(instance.port, metricsToken)).get('hookline_dispatcher_shards_owned') ?? 0,
        ),
      );
    await waitFor(
      'the 32 shards to be shared out',
      async () => {
        const shards = await owned();
        return (
          shards.reduce((sum, n) => sum + n, 0) === SHARDS && shards.every((n) => n >= Math.floor(SHARDS / instances))
        );
      },
      60_000,
    ).catch(async (error: unknown) =>
      mode.notes.push(
        `shards not evenly shared before the load (${(await owned().catch(() => [])).join(' + ')}): ${String(error)}`,
      ),
    );
    const perInstance: Record<string, number> = {};
    const owners = await shardOwners(world, `${groupId}.deliveries`).catch((error: unknown) => {
      mode.notes.push(`could not read the deliveries group's assignment: ${String(error)}`);
      return new Map<number, string>();
    });
    for (const id of connectionIds) {
      const owner = owners.get(shardOf(id)) ?? 'none';
      perInstance[owner] = (perInstance[owner] ?? 0) + 1;
    }
    mode.connectionsPerInstance = perInstance;
    log(`  connections per instance (by shard): ${JSON.stringify(perInstance)}`);
    await sleep(1500); // the connection cache (1 s) and the consumers settle
    const mix = new EventMix(tenant.id, topics, options.subjects);
    await world.receivers.call({ type: 'reset' });
    const subjects: Subjects = { kind: 'dispatcher', pids: running.map((instance) => instance.child.pid!) };
    await runPhases(world, mode, mix, subjects);
    if (instances === 1) {
      const single: SingleDispatcher = {
        world,
        mode,
        mix,
        subjects,
        topics,
        database,
        groupId,
        port: first.port,
        metricsToken,
        api: (method, path, key, body) => api(first, method, path, key, body),
        adminKey,
        quiet: { label: 'quiet', tenantId: tenant.id, apiKey: tenant.apiKey, connectionId: connectionIds[0]! },
      };
      // Each on its own: one that fails is a note, the others still run.
      const step = async (what: string, run: () => Promise<void>) => {
        try {
          await run();
        } catch (error) {
          mode.notes.push(`${what} failed: ${error instanceof Error ? error.message : String(error)}`);
          log(`  ${what} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        }
      };
      if (options.drain > 0) {
        await step('drain phase', async () => {
          mode.phases.push(
            await backlogPhase(world, mix, subjects, {
              name: 'drain',
              size: options.drain,
              timeoutSeconds: options.drainTimeout,
              sampleRss: true,
            }),
          );
        });
      }
      if (options.noisy) await step('noisy-tenant phase', () => noisyPhase(single));
      if (options.deliveryLog) {
        await step('delivery-log phase', async () => {
          mode.deliveryLog = await timeDeliveryLog({
            baseUrl: `http://127.0.0.1:${first.port}`,
            mongodbUri: world.mongodbUri,
            database,
            tenants: [single.quiet, ...(single.noisy ? [single.noisy] : [])],
            requests: options.deliveryLogRequests,
            budgetMs: options.deliveryLogBudget * 1000,
            log,
          });
        });
      }
    }
  } finally {
    mode.peakRssMiB = running.map((instance) => round(peakRssMiB(instance.child.pid!) ?? 0));
    for (const instance of running) instance.child.kill('SIGTERM');
    for (const instance of running) {
      const code = await Promise.race([instance.exited, sleep(45_000).then(() => 'timeout' as const)]);
      if (code === 'timeout') {
        instance.child.kill('SIGKILL');
        mode.notes.push(`${instance.id} did not stop within 45 s of SIGTERM: killed`);
      }
    }
    for (const instance of running)
      mode.notes.push(...loggedErrors(join(world.workDir, `${instance.id}.log`), instance.id));
  }
  if (profileDir) {
    // The main thread's profile is the largest (worker threads write their own).
    const file = readdirSync(profileDir)
      .filter((entry) => entry.endsWith('.cpuprofile'))
      .sort((a, b) => statSync(join(profileDir, b)).size - statSync(join(profileDir, a)).size)[0];
    if (file) {
      const path = join(profileDir, file);
      const windowOf = (phase: PhaseResult | undefined) => {
        const window = phase?.window;
        return window ? { fromUs: window.fromMonoUs, toUs: window.toMonoUs } : undefined;
      };
      mode.profile = {
        file: path.slice(repoRoot.length + 1),
        backlog: summarizeProfile(path, repoRoot, windowOf(mode.phases.find((p) => p.name === 'backlog'))),
        target: summarizeProfile(path, repoRoot, windowOf(mode.phases.find((p) => p.name === 'target'))),
      };
    } else mode.notes.push('no .cpuprofile was written (the dispatcher did not exit cleanly)');
  }
  return mode;
}

// ---------- the single dispatcher's further phases ----------

interface SingleDispatcher {
  world: World;
  mode: ModeResult;
  /** The quiet tenant's events (the sequence the other phases published). */
  mix: EventMix;
  subjects: Subjects;
  topics: Record<Domain, string>;
  database: string;
  /** The dispatcher's ingest group; its sending group is `<groupId>.deliveries`. */
  groupId: string;
  port: number;
  metricsToken: string;
  api: <T>(method: string, path: string, key: string, body?: unknown) => Promise<T>;
  adminKey: string;
  quiet: LogTenant;
  /** Set by the noisy phase. */
  noisy?: LogTenant;
}

const gaugeNames = [
  'hookline_dispatcher_lanes_waiting',
  'hookline_dispatcher_queue_depth',
  'hookline_dispatcher_requests_in_flight',
  'hookline_dispatcher_deliveries_held',
];
const gaugesOf = (metrics: Map<string, number>): Record<string, number> =>
  Object.fromEntries(
    gaugeNames
      .filter((name) => metrics.has(name))
      .map((name) => [name.replace('hookline_dispatcher_', ''), metrics.get(name)!]),
  );

/**
 * One tenant never slows another (issue 17, point 5): the quiet tenant's
 * first-attempt latency at --quiet-rate without, then with a second tenant's
 * --noisy-events deliveries held by the dispatcher behind a receiver that
 * answers after --noisy-delay-ms, 10 requests at a time.
 */
async function noisyPhase(single: SingleDispatcher): Promise<void> {
  const { world, mode, mix, subjects } = single;
  const spec = world.noisy.spec;
  // The connection waits for its slow receiver: a timeout would make its requests failures (and block it after 5).
  const timeoutMs = Math.min(60_000, options.noisyDelayMs + 10_000);
  const maxInFlight = spec.maxInFlight ?? 10;
  const tenant = await single.api<{ id: string; apiKey: string }>('POST', '/v1/tenants', single.adminKey, {
    name: 'bench-noisy',
  });
  const connection = await single.api<{ id: string }>('POST', '/v1/connections', tenant.apiKey, {
    name: spec.name,
    url: world.noisy.url,
    filter: spec.filter,
    retry: { ...retryPolicy, timeoutMs },
    maxInFlight,
  });
  single.noisy = { label: 'noisy', tenantId: tenant.id, apiKey: tenant.apiKey, connectionId: connection.id };
  log(
    `noisy tenant: ${options.quietRate} quiet events/s for ${options.quietSeconds} s without, then with ${options.noisyEvents} noisy deliveries held behind a ${options.noisyDelayMs / 1000} s receiver`,
  );

  const baseline = await steadyPhase(world, mix, subjects, 'quiet', options.quietRate, options.quietSeconds, true);
  mode.phases.push(baseline);

  // The noisy backlog: published at once, then held by the dispatcher. Held is read from Kafka, not from
  // /metrics: its gauges count the store at each scrape, which took minutes with the store busy ingesting.
  //  - handed off: the ingest group has committed every domain-topic message (each delivery is on hookline.deliveries);
  //  - settled: the deliveries group has committed every hand-off (each delivery is in its lane and stored pending, or recorded).
  const noisyMix = new EventMix(tenant.id, single.topics, options.subjects, 17);
  const before = await snapshot(world, subjects);
  const rss = sampleRss(subjects.pids);
  const { start, published } = await publishBacklog(world, noisyMix, options.noisyEvents, 'noisy');
  let handedOffAt: number | null = null;
  let settledAt: number | null = null;
  let lags = { ingest: 0, handOff: 0 };
  let lastLog = Date.now();
  let lastLag = -1;
  let lastMove = Date.now();
  let stalled = false;
  const admin = world.kafka.admin();
  await admin.connect();
  try {
    const deadline = start + options.noisyTimeout * 1000;
    while (Date.now() < deadline) {
      lags = {
        ingest: await groupLag(admin, single.groupId, Object.values(single.topics)),
        handOff: await groupLag(admin, `${single.groupId}.deliveries`, [DELIVERIES_TOPIC]),
      };
      if (handedOffAt === null && lags.ingest === 0) handedOffAt = Date.now();
      if (handedOffAt !== null && lags.handOff === 0) {
        settledAt = Date.now();
        break;
      }
      if (lags.ingest + lags.handOff !== lastLag) {
        lastLag = lags.ingest + lags.handOff;
        lastMove = Date.now();
      } else if (Date.now() - lastMove > STALL_SECONDS * 1000) {
        stalled = true;
        break;
      }
      if (Date.now() - lastLog >= 10_000) {
        lastLog = Date.now();
        log(
          `  noisy: after ${((Date.now() - start) / 1000).toFixed(0)} s, ${lags.ingest} events not yet handed off, ${lags.handOff} hand-offs not yet settled`,
        );
      }
      await sleep(250);
    }
  } finally {
    await admin.disconnect();
  }
  const timedOut = settledAt === null;
  const after = await snapshot(world, subjects);
  const ingestRss = rss.stop();
  const seconds = (at: number | null) => (at === null ? null : round((at - start) / 1000, 1));
  log(
    `  noisy: handed off after ${seconds(handedOffAt) ?? `> ${options.noisyTimeout}`} s, settled (in lanes, stored) after ${seconds(settledAt) ?? '—'} s${timedOut ? `: stopped waiting${stalled ? ' (stalled)' : ''} (${JSON.stringify(lags)})` : ''}`,
  );
  if (timedOut) {
    const why = stalled ? `stalled: no progress for ${STALL_SECONDS} s` : `not within ${options.noisyTimeout} s`;
    mode.notes.push(
      `noisy backlog not settled (${why}): ${lags.ingest} events not handed off, ${lags.handOff} hand-offs not settled`,
    );
  }
  // The gauges, once, between the measured windows (a scrape counts the store).
  const scrape = async () => {
    const began = Date.now();
    const gauges = gaugesOf(
      await scrapeMetrics(single.port, single.metricsToken).catch(() => new Map<string, number>()),
    );
    return { gauges, ms: Date.now() - began };
  };
  const atSettled = await scrape();
  log(`  noisy: gauges ${JSON.stringify(atSettled.gauges)} (/metrics answered in ${atSettled.ms} ms)`);

  const quietBefore = await counts(world);
  const withNoise = await steadyPhase(
    world,
    mix,
    subjects,
    'quiet-noisy',
    options.quietRate,
    options.quietSeconds,
    true,
  );
  mode.phases.push(withNoise);
  const end = await counts(world);
  const atEnd = await scrape();
  const p99 = (phase: PhaseResult) => phase.firstAttemptLatencyMs?.p99 ?? null;
  const delta = p99(withNoise) !== null && p99(baseline) !== null ? p99(withNoise)! - p99(baseline)! : null;
  mode.noisy = {
    events: options.noisyEvents,
    receiver: { delayMs: options.noisyDelayMs, maxInFlight, timeoutMs },
    publishSeconds: round((published - start) / 1000, 1),
    handedOffSeconds: seconds(handedOffAt),
    settledSeconds: seconds(settledAt),
    timedOut,
    gauges: { atSettled: atSettled.gauges, atEnd: atEnd.gauges },
    scrapeMs: { atSettled: atSettled.ms, atEnd: atEnd.ms },
    ingest: {
      seconds: round((after.at - before.at) / 1000, 1),
      resources: resources(before, after),
      rss: ingestRss,
      mongoOps: diffStats(before.mongo, after.mongo).work,
    },
    noisyRequests: {
      answered: end.noisy.attempts - before.count.noisy.attempts,
      duringQuietNoisy: end.noisy.attempts - quietBefore.noisy.attempts,
      delivered: end.noisy.delivered - before.count.noisy.delivered,
      peakAtOnce: end.noisy.peakInFlight,
      atOnceAtEnd: end.noisy.inFlight,
    },
    firstAttemptP99DeltaMs: delta,
  };
  log(
    `  noisy: quiet first-attempt p99 ${p99(baseline) ?? '—'} ms without, ${p99(withNoise) ?? '—'} ms with the backlog (${delta === null ? '—' : `${delta > 0 ? '+' : ''}${delta}`} ms); the noisy receiver answered ${mode.noisy.noisyRequests.answered} requests, at most ${end.noisy.peakInFlight} at once`,
  );
}

// ---------- main ----------

async function main() {
  const startedAt = new Date();
  const runId = startedAt.toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
  const workDir = join(repoRoot, '.hookline', 'bench', runId);
  mkdirSync(workDir, { recursive: true });
  log(`run ${runId}; logs and profiles in ${workDir}`);
  log(`options ${JSON.stringify(options)}`);

  // Servers: the bench's own by default, so the load neither disturbs nor is disturbed by other test runs' servers.
  const benchInfraDir = join(repoRoot, '.hookline', 'bench-infra');
  if (!options.sharedInfra) {
    process.env.HOOKLINE_INFRA_DIR = benchInfraDir;
    process.env.HOOKLINE_KAFKA_PORT ??= '49092';
    process.env.HOOKLINE_MONGO_PORT ??= '47017';
    process.env.HOOKLINE_POSTGRES_PORT ??= '45432';
    delete process.env.KAFKA_BROKERS;
    delete process.env.MONGODB_URI;
  }
  const infra = await import('../infra/infra.js');
  if (!options.sharedInfra && infra.stateRoot !== benchInfraDir)
    throw new Error(`expected the bench's own server directory, got ${infra.stateRoot}`);
  const endpoints = await infra.ensureInfra((line) => log(`infra: ${line}`));
  const infraPids: Record<string, number[]> = {};
  const infraNotes: string[] = [];
  let mongoServer: string | undefined;
  // Servers named by KAFKA_BROKERS / MONGODB_URI (--shared-infra) may be elsewhere: their CPU is not read.
  if (!(options.sharedInfra && (process.env.KAFKA_BROKERS || process.env.MONGODB_URI))) {
    const stateOf = (dir: string) => {
      const file = join(infra.stateRoot, dir, 'server.json');
      return existsSync(file)
        ? (JSON.parse(readFileSync(file, 'utf8')) as { pid: number; server?: string; postgresPort?: number })
        : undefined;
    };
    const kafkaState = stateOf('kafka');
    const ferretdbState = stateOf('ferretdb');
    if (kafkaState) infraPids.kafka = [kafkaState.pid];
    if (ferretdbState) infraPids.ferretdb = [ferretdbState.pid];
    // test/infra names FerretDB's backend in its state (HOOKLINE_MONGO_SERVER); without a name it is SQLite.
    mongoServer = ferretdbState?.server ?? 'ferretdb-sqlite';
    if (mongoServer === 'ferretdb-postgresql' || ferretdbState?.postgresPort !== undefined) {
      // FerretDB on PostgreSQL: the postmaster and its backends (its children) are the store too.
      const postgresState = stateOf('postgresql');
      if (postgresState) infraPids.postgresql = [postgresState.pid];
      else
        infraNotes.push(
          `FerretDB runs on PostgreSQL but ${join(infra.stateRoot, 'postgresql', 'server.json')} names no PostgreSQL process: its CPU is not counted in the store's`,
        );
    }
  }
  for (const note of infraNotes) log(`warning: ${note}`);
  const storeGroups = ['ferretdb', 'postgresql'].filter((name) => infraPids[name]);
  const mongoUrl = new URL(endpoints.mongodbUri);
  const proxy = await startMongoProxy({ host: mongoUrl.hostname, port: Number(mongoUrl.port || 27017) });
  const brokers = endpoints.kafkaBrokers.split(',');
  const kafka = new Kafka({ clientId: 'hookline-bench', brokers, logLevel: logLevel.WARN });
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 5,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();

  const specs = receiverSpecs();
  const noisy = noisySpec();
  const receiversLog = openSync(join(workDir, 'receivers.log'), 'a');
  const receiversChild = fork(join(here, 'receivers.ts'), [], {
    cwd: repoRoot,
    execArgv: tsxArgs,
    stdio: ['ignore', receiversLog, receiversLog, 'ipc'],
  });
  closeSync(receiversLog);
  const receivers = new Rpc<ReceiversRequest, ReceiversReply>(receiversChild);
  const started = (await receivers.call({
    type: 'start',
    specs: [...specs, noisy].map(({ name, delayMs, failRate }) => ({ name, delayMs, failRate })),
  })) as Extract<ReceiversReply, { type: 'started' }>;
  const world: World = {
    brokers,
    mongodbUri: endpoints.mongodbUri,
    proxy,
    producer,
    kafka,
    receivers,
    receiverUrls: started.urls.slice(0, specs.length),
    specs,
    noisy: { index: specs.length, url: started.urls[specs.length]!, spec: noisy },
    infraPids,
    treeGroups: new Set(['postgresql']),
    runId,
    workDir,
  };

  const modes: ModeResult[] = [];
  const errors: string[] = [];
  let storeProbe: ProbeRow[] | undefined;
  const attempt = async (what: string, fn: () => Promise<ModeResult>) => {
    try {
      modes.push(await fn());
    } catch (error) {
      errors.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
      log(`${what} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  };
  try {
    if (options.floor) await attempt('floor', () => runFloor(world));
    for (const count of options.instances) {
      const profileDir = options.profile && count === 1 ? join(workDir, 'profile-x1') : undefined;
      if (profileDir) mkdirSync(profileDir, { recursive: true });
      await attempt(`dispatcher-x${count}`, () => runDispatchers(world, count, profileDir));
    }
    if (options.probe) {
      log(
        "store probe: the dispatcher's query shapes at 1,000 and 5,000 documents (100,000: npx tsx test/bench/store-probe.ts)",
      );
      storeProbe = await Promise.race([
        probeStore(endpoints.mongodbUri, `bench_${runId.replace(/-/g, '_')}_probe`, {
          sizes: [1000, 5000],
          repeat: 5,
          budgetMs: 10_000,
          timeoutMs: 60_000,
          log,
        }).then(probeRows),
        sleep(300_000).then(() => Promise.reject(new Error('no answer within 300 s'))),
      ]).catch((error: unknown) => {
        errors.push(`store probe: ${String(error)}`);
        return undefined;
      });
    }
  } finally {
    await producer.disconnect().catch(() => undefined);
    receiversChild.disconnect();
    await proxy.close();
    if (!options.sharedInfra && !options.keepInfra) {
      log('stopping the bench servers (keep them with --keep-infra)');
      await infra.stopInfra({ kafka: true, mongo: true }, (line) => log(`infra: ${line}`));
    }
  }

  const result: BenchResult = {
    run: runId,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    git: git(),
    machine: machine(),
    options,
    infra: {
      own: !options.sharedInfra,
      kafka: endpoints.kafkaBrokers,
      mongodb: endpoints.mongodbUri,
      ...(mongoServer ? { mongoServer } : {}),
      storeGroups,
      ...(infraNotes.length > 0 ? { notes: infraNotes } : {}),
    },
    fanout: FANOUT,
    retryPolicy,
    receivers: [...specs, { ...noisy, domain: 'all (the noisy tenant)' }].map(
      ({ name, domain, filter, delayMs, failRate, maxInFlight, headers }) => ({
        name,
        domain,
        filter: filter.eventTypes.length > 3 ? `${filter.eventTypes.length} exact types` : filter.eventTypes.join(','),
        delayMs,
        failRate,
        maxInFlight: maxInFlight ?? 10,
        customHeaders: Object.keys(headers ?? {}).length,
      }),
    ),
    domainShares: EventMix.domainShares(),
    modes,
    ...(storeProbe ? { storeProbe } : {}),
    errors,
  };
  const resultsDir = join(here, 'results');
  mkdirSync(resultsDir, { recursive: true });
  const json = `${JSON.stringify(result, null, 2)}\n`;
  writeFileSync(join(resultsDir, `${runId}.json`), json);
  writeFileSync(join(resultsDir, 'latest.json'), json);
  process.stdout.write(`\n${renderTables(result)}\n`);
  if (options.writeDoc) {
    updatePerformanceDoc(join(repoRoot, 'docs', 'performance.md'), result);
    log('docs/performance.md tables regenerated');
  }
  log(`results in test/bench/results/${runId}.json and latest.json`);
  if (errors.length > 0) process.exitCode = 1;
}

await main();

/** Percentiles of sorted latencies over the expected count (what never arrived counts as slower than everything). */
function latencySummary(sorted: number[], expected: number) {
  return {
    p50: percentile(sorted, expected, 0.5),
    p95: percentile(sorted, expected, 0.95),
    p99: percentile(sorted, expected, 0.99),
    max: sorted.length === expected ? (sorted[sorted.length - 1] ?? null) : null,
    deliveredShare: expected > 0 ? round(sorted.length / expected, 4) : 0,
  };
}
