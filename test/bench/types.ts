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
  name: 'backlog' | 'sustainable' | 'target';
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
}

export interface ModeResult {
  mode: string;
  kind: 'floor' | 'dispatcher';
  instances: number;
  database?: string;
  /** Shards (partitions of the deliveries topic) each instance sent for. */
  shardsPerInstance?: Record<string, number>;
  phases: PhaseResult[];
  peakRssMiB: number[];
  notes: string[];
  profile?: { backlog?: ProfileSummary; target?: ProfileSummary; file: string };
}


export interface BenchResult {
  run: string;
  startedAt: string;
  finishedAt: string;
  git: { commit: string; subject: string; uncommittedInDispatcherOrPackages: string[] };
  machine: { cpuModel: string; cores: number; memoryGiB: number; node: string; loadavgAtStart: number[] };
  options: Record<string, unknown>;
  infra: { own: boolean; kafka: string; mongodb: string };
  fanout: number;
  retryPolicy: { maxAttempts: number; windowSeconds: number; timeoutMs: number; backoffSeconds: number[] };
  receivers: { name: string; domain: string; filter: string; delayMs: number; failRate: number; maxInFlight: number; customHeaders: number }[];
  domainShares: Record<string, number>;
  modes: ModeResult[];
  storeProbe?: ProbeRow[];
  errors: string[];
}
