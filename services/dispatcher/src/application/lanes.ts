// Sending: one lane per connection, each with its own queue, so a slow,
// failing or rate-limited receiver only ever holds up its own deliveries.
// Lanes take turns (round robin) for the instance's request slots, within a
// cap per tenant. A lane bounds its requests in flight and ramps up from one
// (blocking.ts), starts a subject's deliveries in ingest order one at a time,
// honours the connection's rate limit, and frees its slot the moment the
// answer arrives; recording the attempt (batched by the delivery store) comes
// after. Retries wait in memory (retry-timers.ts) and in the store.
import type { Logger } from 'pino';
import type { AttemptToRecord, DeliveryRef, DeliveryStore } from '../adapters/delivery-store.js';
import type { WebhookSender } from '../adapters/http-sender.js';
import { BLOCK_AFTER_FAILURES, failureCount, inFlightWindow } from '../domain/blocking.js';
import type { ConnectionDocument } from '../domain/connection.js';
import type { DeliveryDocument } from '../domain/delivery.js';
import { takeToken } from '../domain/rate-limit.js';
import { nextStep } from '../domain/retry-schedule.js';
import { attemptRecord, sendAttempt, type Sent } from './attempt.js';
import { Lane, type DeliveryJob } from './lane.js';
import type { ConnectionCache } from './connection-cache.js';
import type { DispatcherMetrics } from './metrics.js';
import { publishPlatformEvent, type PlatformEventDeps } from './platform-events.js';
import { RetryTimers } from './retry-timers.js';

export type { DeliveryJob } from './lane.js';

export interface LaneLimits {
  /** Requests in flight on this instance, all lanes. */
  maxInFlight: number;
  /** Requests in flight for one tenant, all its connections. */
  maxInFlightPerTenant: number;
  /** Waiting deliveries a lane keeps whole in memory; beyond it they are stored and kept by reference. */
  documentsPerLane: number;
  /** Writes the store may have waiting before lanes stop starting requests. */
  maxStoreBacklog: number;
  /** A retry due within this keeps its document in memory; a later one is read again when due. */
  keepForRetryMs: number;
  /** How long a cached connection is used before it is read again. */
  connectionTtlMs: number;
}

export const defaultLaneLimits: LaneLimits = {
  maxInFlight: 1024,
  maxInFlightPerTenant: 256,
  documentsPerLane: 2000,
  // Each waiting write holds its delivery and attempt (up to 4 KiB of answer): 5,000 bound that to tens of MB.
  maxStoreBacklog: 5_000,
  keepForRetryMs: 60_000,
  connectionTtlMs: 1000,
};

export interface LanesOptions {
  store: DeliveryStore;
  connections: ConnectionCache;
  http: WebhookSender;
  logger: Logger;
  metrics: DispatcherMetrics;
  now: () => Date;
  platform: PlatformEventDeps;
  /** Whether this instance sends for a shard now. */
  owns: (shard: number) => boolean;
  limits?: Partial<LaneLimits>;
}

type StartResult = 'started' | 'idle' | 'tenant-full';

export class Lanes {
  private readonly lanes = new Map<string, Lane>();
  /** Lanes that may be able to start a request, in turn order. */
  private readonly runnable = new Set<Lane>();
  private readonly inFlightByTenant = new Map<string, number>();
  private readonly running = new Set<Promise<void>>();
  private readonly limits: LaneLimits;
  private readonly timers: RetryTimers<DeliveryJob>;
  private inFlight = 0;
  private pumpScheduled = false;
  private paused = false;
  private halted = false;

  constructor(private readonly options: LanesOptions) {
    this.limits = { ...defaultLaneLimits, ...options.limits };
    this.timers = new RetryTimers(
      (jobs) => this.due(jobs),
      () => this.options.now().getTime(),
    );
  }

  /** Requests in flight on this instance. */
  get busy(): number {
    return this.inFlight;
  }

  /** Deliveries waiting in lanes and retry timers. */
  get waiting(): number {
    let count = this.timers.size;
    for (const lane of this.lanes.values()) count += lane.waiting;
    return count;
  }

  /** Whether a delivery is here already (waiting, in flight or timed). */
  knows(id: string): boolean {
    return this.known.has(id);
  }

  private readonly known = new Set<string>();

  /**
   * New deliveries for a connection, from the hand-off. Held at once when it is
   * blocked, discarded when it no longer exists; else queued in its lane.
   */
  async add(connectionId: string, jobs: DeliveryJob[]): Promise<void> {
    let lane = this.lanes.get(connectionId);
    if (!lane || lane.deleted) {
      const connection = await this.options.connections.get(connectionId);
      if (!connection) {
        await this.park(jobs, 'discarded', 'connection deleted');
        return;
      }
      lane = this.laneFor(connection);
    }
    if (lane.blocked) {
      // Maybe unblocked elsewhere a moment ago: ask the store before holding.
      await this.reload(lane);
      if (lane.deleted) {
        await this.park(jobs, 'discarded', 'connection deleted');
        return;
      }
    }
    if (lane.blocked) {
      this.options.metrics.deliveriesCreated.add(jobs.length, { status: 'held' });
      await this.park(jobs, 'held', 'connection blocked when the event arrived');
      return;
    }
    this.options.metrics.deliveriesCreated.add(jobs.filter((job) => !job.stored).length, { status: 'pending' });
    this.enqueue(lane, jobs);
  }

  /** Stored deliveries to send (released, redelivered, loaded after a takeover): each when due. */
  async addStored(jobs: DeliveryJob[], dueAt: (job: DeliveryJob) => number): Promise<void> {
    const now = this.options.now().getTime();
    const byConnection = new Map<string, DeliveryJob[]>();
    for (const job of jobs) {
      if (this.known.has(job.id)) continue;
      const at = dueAt(job);
      if (at > now) {
        this.known.add(job.id);
        this.timers.schedule(job, at);
        continue;
      }
      byConnection.set(job.connectionId, [...(byConnection.get(job.connectionId) ?? []), job]);
    }
    for (const [connectionId, ofConnection] of byConnection) await this.add(connectionId, ofConnection);
  }

  /**
   * Stores deliveries before their first attempt so their hand-off can be
   * committed: the ones still waiting when their batch's time is up, or past a
   * lane's memory. In flight ones too: their record then updates what is stored.
   */
  /**
   * Of a batch's jobs not yet stored, stores those whose lane waits on its receiver
   * (slow, or rate limited), so that their batch can be committed without them. The
   * others only wait their turn here: they stay in memory and their batch unsettled,
   * which in time pauses the reading of their shard (backpressure) rather than
   * adding a store write and a later update for each of them.
   */
  spillStalled(jobs: DeliveryJob[], afterMs: number): void {
    const now = this.options.now().getTime();
    const verdicts = new Map<string, boolean>();
    const stalled = (connectionId: string) => {
      let verdict = verdicts.get(connectionId);
      if (verdict === undefined) {
        const lane = this.lanes.get(connectionId);
        verdicts.set(connectionId, (verdict = !lane || lane.stalled(now, afterMs)));
      }
      return verdict;
    };
    this.spill(jobs.filter((job) => !job.stored && !job.storing && job.delivery && stalled(job.connectionId)));
  }

  spill(jobs: DeliveryJob[]): void {
    const toStore = jobs.filter((job) => !job.stored && !job.storing && job.delivery);
    if (toStore.length === 0) return;
    const storing = this.options.store.spill(toStore.map((job) => job.delivery!));
    for (const job of toStore) {
      job.storing = storing.then(() => {
        job.stored = true;
        job.storing = undefined;
        job.settle?.();
      });
      job.storing.catch(() => undefined);
    }
  }

  /** The connection changed elsewhere (unblocked, edited, deleted): read it again and act on it. */
  async refresh(connectionId: string): Promise<void> {
    const lane = this.lanes.get(connectionId);
    if (lane) await this.reload(lane);
  }

  /** Shards this instance no longer sends for: their waiting deliveries are left to the new owner (they are stored). */
  forget(lost: ReadonlySet<number>): void {
    for (const [connectionId, lane] of this.lanes) {
      if (!lost.has(lane.shard)) continue;
      for (const job of lane.takeWaiting()) this.known.delete(job.id);
      if (lane.inFlight === 0) {
        this.runnable.delete(lane);
        this.lanes.delete(connectionId);
      }
    }
    for (const job of this.timers.remove((job) => lost.has(job.shard))) this.known.delete(job.id);
  }

  /** Starts nothing new (a rebalance or shutdown), or starts again. */
  pause(paused: boolean): void {
    this.paused = paused;
    if (!paused) {
      for (const lane of this.lanes.values()) if (lane.waiting > 0) this.runnable.add(lane);
      this.schedulePump();
    }
  }

  /** Every waiting delivery not stored yet, stored now (shutdown: nothing in memory only). */
  spillAll(): void {
    const jobs: DeliveryJob[] = [];
    for (const lane of this.lanes.values()) jobs.push(...lane.waitingJobs());
    this.spill(jobs);
  }

  /** Waits for every request in flight and its record. */
  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  /** A simulated crash (tests): requests in flight are abandoned, nothing more is started or written. */
  halt(): void {
    this.halted = true;
    this.paused = true;
    this.timers.stop();
    for (const lane of this.lanes.values()) clearTimeout(lane.tokenTimer);
  }

  stop(): void {
    this.timers.stop();
    for (const lane of this.lanes.values()) clearTimeout(lane.tokenTimer);
  }

  // ---------- lanes ----------

  private laneFor(connection: ConnectionDocument): Lane {
    let lane = this.lanes.get(connection._id);
    if (!lane || lane.deleted) {
      lane = new Lane(connection, this.options.now().getTime());
      this.lanes.set(connection._id, lane);
    }
    return lane;
  }

  private enqueue(lane: Lane, jobs: DeliveryJob[]): void {
    const overflow: DeliveryJob[] = [];
    for (const job of jobs) {
      if (lane.ids.has(job.id)) {
        job.settle?.();
        continue;
      }
      this.known.add(job.id);
      lane.push(job);
      if (job.delivery && lane.documents > this.limits.documentsPerLane) overflow.push(job);
    }
    if (overflow.length > 0) this.shed(lane, overflow);
    this.runnable.add(lane);
    this.schedulePump();
  }

  /** Past a lane's memory: stored, then kept by reference only. */
  private shed(lane: Lane, jobs: DeliveryJob[]): void {
    this.spill(jobs);
    for (const job of jobs) {
      const drop = () => {
        if (job.delivery && lane.ids.has(job.id) && lane.bySubject.get(job.subject)?.includes(job)) {
          job.delivery = undefined;
          lane.documents--;
        }
      };
      if (job.stored) drop();
      else void job.storing?.then(drop, () => undefined);
    }
  }

  /** Reads the connection again: a lane unblocked elsewhere resumes, a deleted one lets its deliveries go. */
  private async reload(lane: Lane): Promise<void> {
    lane.loadedAt = this.options.now().getTime();
    // A block not yet stored reads as active: wait for it, so that only an unblock made elsewhere unblocks.
    await lane.blockSaving;
    const wasBlocked = lane.blocked;
    const fresh = await this.options.connections.get(lane.connection._id, { fresh: true });
    if (!fresh) {
      lane.deleted = true;
      const jobs = [...lane.takeWaiting(), ...this.timers.remove((job) => job.connectionId === lane.connection._id)];
      for (const job of jobs) this.known.delete(job.id);
      this.runnable.delete(lane);
      if (lane.inFlight === 0) this.lanes.delete(lane.connection._id);
      await this.park(jobs, 'discarded', 'connection deleted');
      return;
    }
    lane.connection = fresh;
    if (wasBlocked && lane.blocked && fresh.status === 'active') {
      lane.blocked = false;
      lane.failures = fresh.consecutiveFailures;
      lane.streak = 0;
    }
    if (lane.waiting > 0) {
      this.runnable.add(lane);
      this.schedulePump();
    }
  }

  // ---------- the turn order ----------

  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    queueMicrotask(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  /** Gives free request slots to runnable lanes, one per lane per round. */
  private pump(): void {
    if (this.paused) return;
    for (;;) {
      let started = 0;
      for (const lane of [...this.runnable]) {
        if (this.inFlight >= this.limits.maxInFlight || this.options.store.backlog > this.limits.maxStoreBacklog)
          return;
        const result = this.tryStart(lane);
        if (result === 'started') {
          started++;
          // To the back of the turn order.
          this.runnable.delete(lane);
          this.runnable.add(lane);
        } else if (result === 'idle') {
          this.runnable.delete(lane);
        }
      }
      if (started === 0) return;
    }
  }

  private tryStart(lane: Lane): StartResult {
    if (lane.blocked || lane.deleted || lane.ready.size === 0) return 'idle';
    const { connection } = lane;
    if (lane.inFlight >= inFlightWindow(lane.failures, lane.streak, connection.maxInFlight)) return 'idle';
    const tenantInFlight = this.inFlightByTenant.get(connection.tenantId) ?? 0;
    if (tenantInFlight >= this.limits.maxInFlightPerTenant) return 'tenant-full';
    const now = this.options.now().getTime();
    if (now - lane.loadedAt > this.limits.connectionTtlMs)
      void this.reload(lane).catch((error: unknown) =>
        this.options.logger.warn({ err: error }, 'connection reload failed'),
      );
    if (connection.rateLimit !== undefined) {
      const taken = takeToken(lane.bucket, connection.rateLimit, now);
      lane.bucket = taken.bucket;
      if (!taken.ok) {
        clearTimeout(lane.tokenTimer);
        lane.tokenTimer = setTimeout(() => {
          this.runnable.add(lane);
          this.schedulePump();
        }, taken.waitMs);
        return 'idle';
      }
    }
    const job = lane.next();
    if (!job) return 'idle';
    if (!this.options.owns(job.shard)) {
      // Handed over meanwhile: its new owner sends it (from the store, where it goes first if it is not there yet).
      lane.ids.delete(job.id);
      this.known.delete(job.id);
      if (!job.stored) this.spill([job]);
      return 'started';
    }
    lane.started(job, now);
    this.inFlight++;
    this.inFlightByTenant.set(connection.tenantId, tenantInFlight + 1);
    const run = this.attempt(lane, job)
      .catch((error: unknown) => {
        if (!this.halted) this.options.logger.error({ err: error, deliveryId: job.id }, 'attempt failed to run');
      })
      .finally(() => this.running.delete(run));
    this.running.add(run);
    return 'started';
  }

  /** Frees the job's request slot: the next request may start. */
  private release(lane: Lane, job: DeliveryJob): void {
    lane.finished(job);
    this.inFlight--;
    const tenantId = lane.connection.tenantId;
    const left = (this.inFlightByTenant.get(tenantId) ?? 1) - 1;
    if (left > 0) this.inFlightByTenant.set(tenantId, left);
    else this.inFlightByTenant.delete(tenantId);
    if (lane.deleted && lane.inFlight === 0) this.lanes.delete(lane.connection._id);
    // Lanes that waited on their tenant's cap are still in the turn order.
    this.runnable.add(lane);
    this.schedulePump();
  }

  // ---------- one attempt and what follows ----------

  private async attempt(lane: Lane, job: DeliveryJob): Promise<void> {
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.release(lane, job);
    };
    try {
      const delivery = job.delivery ?? (await this.hydrate(job));
      if (!delivery) {
        this.known.delete(job.id);
        job.settle?.();
        return;
      }
      job.delivery = delivery;
      const connection = lane.connection;
      const sent = await sendAttempt(this.options, connection, delivery);
      release();
      if (this.halted) return;
      await this.afterAttempt(lane, job, delivery, connection, sent);
    } finally {
      release();
    }
  }

  /** A job known by reference: its stored delivery, if it is still waiting to be sent. */
  private async hydrate(job: DeliveryJob): Promise<DeliveryDocument | undefined> {
    const found = (await this.options.store.read([job.id])).get(job.id);
    if (found?.status === 'pending') return found;
    // Discarded, held or finished meanwhile (an operation, another instance): nothing to send.
    if (job.stored) await this.options.store.dropQueueEntries([job.id]);
    return undefined;
  }

  private async afterAttempt(
    lane: Lane,
    job: DeliveryJob,
    delivery: DeliveryDocument,
    connection: ConnectionDocument,
    sent: Sent,
  ): Promise<void> {
    const { store, metrics } = this.options;
    const now = this.options.now();
    const previous = lane.failures;
    const counted = failureCount(previous, sent.outcome, BLOCK_AFTER_FAILURES);
    lane.failures = counted.consecutiveFailures;
    lane.streak = sent.outcome.ok ? lane.streak + 1 : 0;
    const blockNow = counted.block && !lane.blocked;
    if (blockNow) lane.blocked = true;
    // Healthy receivers cost no write here: the count is stored only when it changes (a success after failures stores 0).
    const counters =
      counted.consecutiveFailures !== previous || blockNow
        ? store.saveFailures(connection._id, counted.consecutiveFailures, blockNow ? now : undefined)
        : undefined;
    if (blockNow) lane.blockSaving = counters?.catch(() => undefined);

    const step = nextStep(connection.retry, delivery, sent.outcome, now);
    // A retry of a connection that is now blocked waits, held, for the unblock.
    const status = step.status === 'pending' && lane.blocked ? 'held' : step.status;
    const nextAttemptAt = status === 'pending' && step.status === 'pending' ? step.nextAttemptAt : null;
    const result: AttemptToRecord = {
      delivery,
      stored: job.stored,
      attempt: attemptRecord(sent),
      status,
      nextAttemptAt,
      ...(step.status === 'failed'
        ? { reason: step.reason }
        : status === 'held'
          ? { reason: 'connection blocked' }
          : {}),
    };
    if (job.storing) await job.storing;
    result.stored = job.stored;
    const recording = store.record([result]);
    // Stored by this write: nothing else may store it meanwhile (a spill would leave a stale queue entry).
    if (!job.stored) job.storing = recording;
    await Promise.all([recording, counters]);
    job.storing = undefined;
    job.stored = true;
    job.settle?.();
    this.known.delete(job.id);

    if (step.status === 'succeeded') metrics.deliveriesFinished.add(1, { outcome: 'succeeded' });
    if (nextAttemptAt) this.retryLater(job, delivery, nextAttemptAt);
    if (step.status === 'failed') {
      metrics.deliveriesFinished.add(1, { outcome: 'failed' });
      if (!delivery.test) {
        await publishPlatformEvent(
          this.options.platform,
          'hookline.delivery.exhausted',
          connection,
          {
            deliveryId: delivery._id,
            eventId: delivery.eventId,
            eventType: delivery.eventType,
            attempts: delivery.attemptCount + 1,
            reason: step.reason,
          },
          now,
        );
      }
    }
    if (blockNow) await this.block(lane, connection, counted.consecutiveFailures, sent);
  }

  private retryLater(job: DeliveryJob, sent: DeliveryDocument, at: Date): void {
    const keep = at.getTime() - this.options.now().getTime() <= this.limits.keepForRetryMs;
    const delivery: DeliveryDocument = {
      ...sent,
      status: 'pending',
      attemptCount: sent.attemptCount + 1,
      roundAttempts: sent.roundAttempts + 1,
      nextAttemptAt: at,
    };
    const retry: DeliveryJob = {
      id: job.id,
      connectionId: job.connectionId,
      shard: job.shard,
      subject: job.subject,
      seq: job.seq,
      stored: true,
      ...(keep ? { delivery } : {}),
    };
    this.known.add(job.id);
    this.timers.schedule(retry, at.getTime());
  }

  /** Retries whose time has come: back into their lanes. */
  private due(jobs: DeliveryJob[]): void {
    const byConnection = new Map<string, DeliveryJob[]>();
    for (const job of jobs) {
      this.known.delete(job.id);
      byConnection.set(job.connectionId, [...(byConnection.get(job.connectionId) ?? []), job]);
    }
    for (const [connectionId, ofConnection] of byConnection) {
      void this.add(connectionId, ofConnection).catch((error: unknown) =>
        this.options.logger.error({ err: error, connectionId }, 'retries could not be queued'),
      );
    }
  }

  /** The 5th failure in a row: everything waiting for the connection is held until it is unblocked. */
  private async block(
    lane: Lane,
    connection: ConnectionDocument,
    consecutiveFailures: number,
    sent: Sent,
  ): Promise<void> {
    const now = this.options.now();
    this.options.connections.invalidate(connection);
    this.options.metrics.connectionsBlocked.add(1);
    this.options.logger.warn(
      { connectionId: connection._id, tenantId: connection.tenantId, consecutiveFailures },
      'connection blocked',
    );
    const waiting = [...lane.takeWaiting(), ...this.timers.remove((job) => job.connectionId === connection._id)];
    for (const job of waiting) this.known.delete(job.id);
    await this.park(waiting, 'held', 'connection blocked');
    const lastError =
      sent.result.error ?? (sent.result.status === undefined ? undefined : `HTTP ${sent.result.status}`);
    await publishPlatformEvent(
      this.options.platform,
      'hookline.connection.blocked',
      connection,
      { consecutiveFailures, ...(lastError ? { lastError } : {}) },
      now,
    );
  }

  /** Holds or discards jobs: new ones are stored in that state, stored ones change to it. */
  private async park(jobs: DeliveryJob[], status: 'held' | 'discarded', reason: string): Promise<void> {
    if (jobs.length === 0) return;
    await Promise.all(jobs.map((job) => job.storing?.catch(() => undefined)));
    const refs: DeliveryRef[] = [];
    for (const job of jobs) {
      if (job.stored) refs.push({ stored: true, id: job.id });
      else if (job.delivery) refs.push({ stored: false, delivery: job.delivery });
    }
    const { store } = this.options;
    await (status === 'held' ? store.hold(refs, reason) : store.discard(refs, reason));
    for (const job of jobs) {
      job.stored = true;
      job.settle?.();
    }
  }
}
