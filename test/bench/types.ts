// The shape of a benchmark run's results (test/bench/results/*.json).
import type { ProfileSummary } from './profile.js';
import type { ProbeRow } from './store-probe.js';

export interface Resources {
  /** CPU seconds used during the phase, per process group. */
  cpuSeconds: Record<string, number>;
  /** Average cores busy during the phase (CPU seconds ÷ wall seconds). */
  cores: Record<string, number>;
}

export interface Latency {
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
  deliveredShare: number;
}

export interface PhaseResult {
  /** `drain`: the single dispatcher's big backlog; `quiet` / `quiet-noisy`: the quiet tenant's rate without and with the noisy backlog. */
  name: 'backlog' | 'sustainable' | 'target' | 'drain' | 'quiet' | 'quiet-noisy';
  events: number;
  expectedDeliveries: number;
  delivered: number;
  /** Wall seconds of publishing (steady phases) or of the drain (backlog). */
  seconds: number;
  publishedPerSec: number;
  /** Backlog: slope between 5 % and 95 % of the deliveries; steady phases: deliveries received while publishing ÷ seconds. */
  deliveriesPerSec: number;
  /** Backlog: from the first publish until the last delivery. */
  drainSeconds?: number;
  /** Backlog: deliveries per second in each 10-second step of the drain. */
  timeline?: number[];
  /** Event time → first successful receipt, over every expected delivery (null: not delivered within the grace time). */
  latencyMs?: Latency;
  /** The same without the deliveries that needed a retry (retries wait ≥ 1 s by the retry policy). */
  firstAttemptLatencyMs?: Latency;
  retriedDeliveries?: number;
  resources: Resources;
  mongo?: {
    ops: number;
    opsPerDelivery: number | null;
    /** Round trips to the server per delivery, summed (ms). */
    waitMsPerDelivery: number | null;
    upkeep: number;
    workMs: number;
    byCommand: Record<string, { count: number; meanMs: number }>;
  };
  attempts: number;
  failedAttempts: number;
  loadavgAfter: number[];
  /** The phase on the monotonic clock (µs), to cut the CPU profile. */
  window?: { fromMonoUs: number; toMonoUs: number };
  /** Backlog and drain: why the wait ended before every delivery arrived (its timeout, or a stall). */
  stoppedWaiting?: string;
  /** Resident memory (VmRSS) sampled during the phase: the most of each instance. */
  rss?: RssSamples;
}

export interface RssSamples {
  /** At the phase's start. */
  startMiB?: number[];
  maxMiB: number[];
  samples: number;
  intervalMs: number;
}

/** The noisy-tenant phase: a second tenant's backlog behind a slow receiver, and the quiet tenant's latency without and with it. */
export interface NoisyResult {
  events: number;
  receiver: { delayMs: number; maxInFlight: number; timeoutMs: number };
  /**
   * From the first noisy publish: published; handed off (the ingest group committed every event: each delivery is
   * on hookline.deliveries); settled (the deliveries group committed every hand-off: each delivery is in its lane
   * and stored pending, or recorded). Read from Kafka's offsets.
   */
  publishSeconds: number;
  handedOffSeconds: number | null;
  settledSeconds: number | null;
  timedOut: boolean;
  /** The dispatcher's gauges (/metrics) once settled and after the quiet phase with the backlog, and how long each scrape took (they count the store). */
  gauges: { atSettled: Record<string, number>; atEnd: Record<string, number> };
  scrapeMs: { atSettled: number; atEnd: number };
  ingest: { seconds: number; resources: Resources; rss?: RssSamples; mongoOps: number };
  /** The noisy receiver while the backlog was there: requests answered, the most held at once, still held at the end. */
  noisyRequests: {
    answered: number;
    duringQuietNoisy: number;
    delivered: number;
    peakAtOnce: number;
    atOnceAtEnd: number;
  };
  /** First-attempt p99 with the backlog − without (ms). */
  firstAttemptP99DeltaMs: number | null;
}

/** The delivery log's first page through the API, with the store holding many deliveries. */
export interface DeliveryLogResult {
  /** Counted at the phase's start on the bench's database (null: no answer within 300 s). */
  stored: {
    total: number | null;
    countSeconds?: number;
    byTenant: Record<string, { total: number | null; byStatus: Record<string, number> }>;
  };
  /** At most this many requests per query (fewer once the query's time budget was spent: `requests`). */
  requestsPerQuery: number;
  queries: {
    tenant: string;
    query: string;
    /** Deliveries the filter matches (from the direct count), when known. */
    matching: number | null;
    /** Rows on the first page. */
    rows: number;
    /** Requests made (one after another). */
    requests: number;
    p50Ms: number;
    p95Ms: number;
    maxMs: number;
    errors: string[];
  }[];
  /** Queries not made: a request before them got no answer within 300 s. */
  skipped?: string[];
}

export interface ModeResult {
  mode: string;
  kind: 'floor' | 'dispatcher';
  instances: number;
  database?: string;
  /** The bench tenant's connections per instance (the member owning the connection's shard). */
  connectionsPerInstance?: Record<string, number>;
  phases: PhaseResult[];
  peakRssMiB: number[];
  notes: string[];
  profile?: { backlog?: ProfileSummary; target?: ProfileSummary; file: string };
  noisy?: NoisyResult;
  deliveryLog?: DeliveryLogResult;
}

export interface BenchResult {
  run: string;
  startedAt: string;
  finishedAt: string;
  git: { commit: string; subject: string; uncommittedInDispatcherOrPackages: string[] };
  machine: { cpuModel: string; cores: number; memoryGiB: number; node: string; loadavgAtStart: number[] };
  options: Record<string, unknown>;
  /** mongoServer: FerretDB's backend; storeGroups: the process groups counted as the store (CPU per delivery, dispatcher + store). */
  infra: {
    own: boolean;
    kafka: string;
    mongodb: string;
    mongoServer?: string;
    storeGroups?: string[];
    notes?: string[];
  };
  fanout: number;
  retryPolicy: { maxAttempts: number; windowSeconds: number; timeoutMs: number; backoffSeconds: number[] };
  receivers: {
    name: string;
    domain: string;
    filter: string;
    delayMs: number;
    failRate: number;
    maxInFlight: number;
    customHeaders: number;
  }[];
  domainShares: Record<string, number>;
  modes: ModeResult[];
  storeProbe?: ProbeRow[];
  errors: string[];
}
