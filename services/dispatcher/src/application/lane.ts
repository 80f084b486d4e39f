// One connection's lane: its waiting deliveries by subject (oldest first, one
// in flight per subject), its requests in flight, its ramp and failure count,
// its rate-limit bucket. Lanes (lanes.ts) decides when a lane may start one.
import type { ConnectionDocument } from '../domain/connection.js';
import type { DeliveryDocument } from '../domain/delivery.js';
import { shardOf } from '../domain/delivery-task.js';
import type { TokenBucket } from '../domain/rate-limit.js';

/** A delivery on its way through this instance. */
export interface DeliveryJob {
  readonly id: string;
  readonly connectionId: string;
  readonly shard: number;
  readonly subject: string;
  readonly seq: number;
  /** The delivery as it is (or will be) stored; absent for one known by reference, read from the store before it is sent. */
  delivery?: DeliveryDocument;
  /** Whether `deliveries` holds it (stored before its first attempt, or retried, released, taken over). */
  stored: boolean;
  /** The write storing it, while on its way: later writes of this delivery wait for it. */
  storing?: Promise<void>;
  /** Called once, when its hand-off message may be committed: it is recorded, stored or let go. */
  settle?: () => void;
}

export class Lane {
  /** Waiting jobs per subject, oldest first. */
  readonly bySubject = new Map<string, DeliveryJob[]>();
  /** Subjects with a waiting job and none in flight. */
  readonly ready = new Set<string>();
  readonly subjectsInFlight = new Set<string>();
  /** When each request in flight started (ms), by job id. */
  readonly startedAt = new Map<string, number>();
  /** Every job of this lane, waiting or in flight. */
  readonly ids = new Set<string>();
  waiting = 0;
  /** Waiting jobs that hold their whole document. */
  documents = 0;
  inFlight = 0;
  /** Successes in a row: the in-flight window grows with them. */
  streak = 0;
  failures: number;
  blocked: boolean;
  /** The store's write of this lane's block, until it is stored (a read before it would still say active). */
  blockSaving: Promise<void> | undefined;
  deleted = false;
  bucket: TokenBucket | undefined;
  tokenTimer: NodeJS.Timeout | undefined;
  loadedAt: number;
  /** All of a connection's deliveries are on its shard. */
  readonly shard: number;

  constructor(
    public connection: ConnectionDocument,
    now: number,
  ) {
    this.failures = connection.consecutiveFailures;
    this.blocked = connection.status === 'blocked';
    this.loadedAt = now;
    this.shard = shardOf(connection._id);
  }

  push(job: DeliveryJob): void {
    this.ids.add(job.id);
    this.waiting++;
    if (job.delivery) this.documents++;
    let jobs = this.bySubject.get(job.subject);
    if (!jobs) this.bySubject.set(job.subject, (jobs = []));
    // Usually the newest; a retry or a released delivery goes back to its place.
    let at = jobs.length;
    while (at > 0 && jobs[at - 1]!.seq > job.seq) at--;
    jobs.splice(at, 0, job);
    if (!this.subjectsInFlight.has(job.subject)) this.ready.add(job.subject);
  }

  /** The next job to start: the oldest of the first subject with nothing in flight. */
  next(): DeliveryJob | undefined {
    for (const subject of this.ready) {
      this.ready.delete(subject);
      const jobs = this.bySubject.get(subject);
      const job = jobs?.shift();
      if (!job) continue;
      if (jobs!.length === 0) this.bySubject.delete(subject);
      this.waiting--;
      if (job.delivery) this.documents--;
      return job;
    }
    return undefined;
  }

  /** Every waiting job, taken out (in flight ones stay). */
  takeWaiting(): DeliveryJob[] {
    const jobs = [...this.bySubject.values()].flat();
    this.bySubject.clear();
    this.ready.clear();
    for (const job of jobs) this.ids.delete(job.id);
    this.waiting = 0;
    this.documents = 0;
    return jobs;
  }

  waitingJobs(): DeliveryJob[] {
    return [...this.bySubject.values()].flat();
  }

  /** A request starts: its job leaves the waiting ones. */
  started(job: DeliveryJob, now: number): void {
    this.inFlight++;
    this.subjectsInFlight.add(job.subject);
    this.startedAt.set(job.id, now);
  }

  /**
   * Whether what waits here waits on the receiver: a request in flight for
   * `afterMs` or more, or a rate limit with more than that long's worth waiting.
   */
  stalled(now: number, afterMs: number): boolean {
    for (const at of this.startedAt.values()) if (now - at >= afterMs) return true;
    const rate = this.connection.rateLimit;
    return rate !== undefined && this.waiting > (rate * afterMs) / 1000;
  }

  finished(job: DeliveryJob): void {
    this.startedAt.delete(job.id);
    this.inFlight--;
    this.subjectsInFlight.delete(job.subject);
    this.ids.delete(job.id);
    if (this.bySubject.has(job.subject)) this.ready.add(job.subject);
  }
}
