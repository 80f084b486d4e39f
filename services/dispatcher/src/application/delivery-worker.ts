// Sending's intake: the deliveries topic, one partition per shard, consumed by
// one group, so Kafka gives each shard to one instance at a time (and to
// another when that one stops or dies). Each message becomes a job in its
// connection's lane. A batch counts as handled — its offset is committed —
// once every job in it is settled: its first attempt recorded, or it is stored
// held, discarded or pending (jobs still waiting when the batch's time is up
// are stored, so a slow receiver never holds a partition). An instance given a
// shard reads that shard's stored work (retries, stored deliveries) once.
import type { Batch, BatchTaken, EventBus, IncomingMessage, Subscription, TopicPartition } from '@hookline/bus';
import { deadLetterHeadersFor, deadLetterTopic, type Rejection } from '@hookline/events';
import type { Logger } from 'pino';
import type { DeliveryStore } from '../adapters/delivery-store.js';
import type { QueueEntry } from '../adapters/dispatcher-store.js';
import { defaultRetryPolicy, type ConnectionDocument } from '../domain/connection.js';
import type { DeliveryDocument } from '../domain/delivery.js';
import { parseTask, SHARDS, shardOf, type DeliveryTask, type NewDelivery } from '../domain/delivery-task.js';
import type { ConnectionCache } from './connection-cache.js';
import type { DeliveryJob, Lanes } from './lanes.js';

export interface DeliveryWorkerOptions {
  bus: EventBus;
  lanes: Lanes;
  store: DeliveryStore;
  connections: ConnectionCache;
  logger: Logger;
  now: () => Date;
  topic: string;
  groupId: string;
  /** How long a batch's jobs may wait unstored before they are stored so the batch can be committed. */
  spillAfterMs: number;
}

/** The delivery document of a new delivery: pending, nothing attempted, its first round's window from now. */
export function newDeliveryDocument(
  delivery: NewDelivery,
  connection: Pick<ConnectionDocument, 'retry'> | null,
): DeliveryDocument {
  const windowSeconds = (connection?.retry ?? defaultRetryPolicy).windowSeconds;
  return {
    ...delivery,
    status: 'pending',
    test: false,
    attemptCount: 0,
    roundAttempts: 0,
    roundDeadline: new Date(delivery.createdAt.getTime() + windowSeconds * 1000),
    nextAttemptAt: delivery.createdAt,
    updatedAt: delivery.createdAt,
  };
}

function jobOf(delivery: DeliveryDocument): DeliveryJob {
  return {
    id: delivery._id,
    connectionId: delivery.connectionId,
    shard: delivery.shard,
    subject: delivery.subject,
    seq: delivery.seq,
    delivery,
    stored: false,
  };
}

function refOf(entry: Pick<QueueEntry, '_id' | 'connectionId' | 'subject' | 'seq'>): DeliveryJob {
  return {
    id: entry._id,
    connectionId: entry.connectionId,
    shard: shardOf(entry.connectionId),
    subject: entry.subject,
    seq: entry.seq,
    stored: true,
  };
}

/** Retries an operation on the store until it answers (the batch waits: nothing is lost, nothing skipped). */
async function untilDone<T>(logger: Logger, what: string, halted: () => boolean, run: () => Promise<T>): Promise<T> {
  for (let failures = 0; ; failures++) {
    if (halted()) throw new Error('dispatcher halted');
    try {
      return await run();
    } catch (error) {
      if (halted()) throw error;
      const delay = Math.min(5000, 100 * 2 ** Math.min(failures, 6));
      logger.error({ err: error, retryInMs: delay }, `${what} failed; retrying`);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

export class DeliveryWorker {
  private subscription: Subscription | undefined;
  /** Shards this instance sends for now (none during a rebalance). */
  private owned = new Set<number>();
  /** The last shards held: what a new assignment is compared with. */
  private holding = new Set<number>();
  private readonly waitingBatches = new Set<(error: Error) => void>();
  private halted = false;

  constructor(private readonly options: DeliveryWorkerOptions) {}

  owns(shard: number): boolean {
    return this.owned.has(shard);
  }

  ownedShards(): number[] {
    return [...this.owned].sort((a, b) => a - b);
  }

  async start(): Promise<void> {
    this.subscription = await this.options.bus.subscribe({
      groupId: this.options.groupId,
      topics: [this.options.topic],
      fromBeginning: true,
      concurrency: SHARDS,
      // Up to 1,000 deliveries per shard wait to settle in memory; batches of ~170 tasks keep each step small.
      maxBatchBytes: 256 * 1024,
      onBatch: (batch) => this.handleBatch(batch),
      onAssignment: (partitions) => this.assigned(partitions),
    });
  }

  /** Stops taking batches; the one in progress settles (its jobs are stored if need be) and is committed. */
  async stop(): Promise<void> {
    await this.subscription?.stop();
  }

  /** A simulated crash (tests): batches in progress fail, so they are not committed. */
  async kill(): Promise<void> {
    this.halted = true;
    for (const reject of this.waitingBatches) reject(new Error('dispatcher halted'));
    this.waitingBatches.clear();
    await this.subscription?.stop().catch(() => undefined);
  }

  private assigned(partitions: TopicPartition[]): void {
    const mine = partitions.filter((p) => p.topic === this.options.topic).map((p) => p.partition);
    if (mine.length === 0) {
      // A rebalance (every partition is given out again) or a stop: start nothing until told.
      this.owned = new Set();
      this.options.lanes.pause(true);
      return;
    }
    const next = new Set(mine);
    const lost = new Set([...this.holding].filter((shard) => !next.has(shard)));
    const gained = [...next].filter((shard) => !this.holding.has(shard));
    this.owned = next;
    this.holding = next;
    if (lost.size > 0) this.options.lanes.forget(lost);
    this.options.lanes.pause(false);
    if (gained.length > 0) {
      void this.takeOver(gained).catch((error: unknown) => {
        if (!this.halted) this.options.logger.error({ err: error, shards: gained }, 'taking over shards failed');
      });
    }
    this.options.logger.info({ shards: next.size, gained: gained.length, lost: lost.size }, 'delivery shards assigned');
  }

  /** The stored work of shards just given to this instance: retries, stored deliveries, released ones. */
  private async takeOver(shards: number[]): Promise<void> {
    const entries = await untilDone(
      this.options.logger,
      'reading the queue',
      () => this.halted,
      () => this.options.store.queued(shards),
    );
    const mine = entries.filter((entry) => this.owned.has(entry.shard));
    if (mine.length === 0) return;
    const dueAt = new Map(mine.map((entry) => [entry._id, entry.nextAttemptAt.getTime()]));
    await this.options.lanes.addStored(mine.sort((a, b) => a.seq - b.seq).map(refOf), (job) => dueAt.get(job.id) ?? 0);
    this.options.logger.info({ shards: shards.length, deliveries: mine.length }, 'stored deliveries taken over');
  }

  async handleBatch(batch: Batch): Promise<BatchTaken> {
    if (this.halted) throw new Error('dispatcher halted');
    const jobs: DeliveryJob[] = [];
    const deadLetters: { message: IncomingMessage; rejection: Rejection }[] = [];
    let unsettled = 0;
    let done: () => void = () => undefined;
    let fail: (error: Error) => void = () => undefined;
    const settledAll = new Promise<void>((resolve, reject) => {
      done = resolve;
      fail = reject;
    });
    this.waitingBatches.add(fail);
    // Awaited below; a crash may reject it before then.
    settledAll.catch(() => undefined);
    const track = (job: DeliveryJob) => {
      let settled = false;
      unsettled++;
      job.settle = () => {
        if (settled) return;
        settled = true;
        if (--unsettled === 0) done();
      };
      jobs.push(job);
    };
    // Every so often, the jobs still waiting on a slow or rate-limited receiver are stored, so the batch can be committed.
    const spillTimer = setInterval(
      () => this.options.lanes.spillStalled(jobs, this.options.spillAfterMs),
      this.options.spillAfterMs,
    );
    const finish = () => {
      clearInterval(spillTimer);
      this.waitingBatches.delete(fail);
    };
    try {
      let fresh: NewDelivery[] = [];
      for (const message of batch.messages) {
        const parsed = parseTask(message.value);
        if (!parsed.ok) {
          deadLetters.push({ message, rejection: parsed });
          continue;
        }
        if (parsed.task.kind === 'new') {
          fresh.push(parsed.task.delivery as NewDelivery);
          continue;
        }
        // Operations act in order with the deliveries around them (an unblock before its releases).
        await this.startNew(fresh, track);
        fresh = [];
        await this.operate(parsed.task);
      }
      await this.startNew(fresh, track);
      if (deadLetters.length > 0) await this.deadLetter(deadLetters);
    } catch (error) {
      finish();
      throw error;
    }
    if (unsettled === 0) done();
    // Taken in: the shard's next batch may come while these are sent (a slow lane holds
    // up no other batch), and this one is committed once each of its deliveries is settled.
    const settled = settledAll.finally(finish);
    settled.catch(() => undefined);
    return { settled };
  }

  /**
   * New deliveries: a replay of one already taken up (claimed) is sent again
   * only if it was never recorded — its first sender died before recording it.
   */
  private async startNew(deliveries: NewDelivery[], track: (job: DeliveryJob) => void): Promise<void> {
    if (deliveries.length === 0) return;
    const { lanes, store, logger } = this.options;
    const unique = new Map<string, NewDelivery>();
    for (const delivery of deliveries) if (!lanes.knows(delivery._id)) unique.set(delivery._id, delivery);
    if (unique.size === 0) return;
    const halted = () => this.halted;
    const claimedBefore = await untilDone(logger, 'claiming deliveries', halted, () => store.claim([...unique.keys()]));
    if (claimedBefore.size > 0) {
      const recorded = await untilDone(logger, 'reading claimed deliveries', halted, () =>
        store.read([...claimedBefore]),
      );
      for (const id of recorded.keys()) unique.delete(id);
    }
    const byConnection = new Map<string, NewDelivery[]>();
    for (const delivery of unique.values())
      byConnection.set(delivery.connectionId, [...(byConnection.get(delivery.connectionId) ?? []), delivery]);
    await Promise.all(
      [...byConnection].map(async ([connectionId, ofConnection]) => {
        const connection = await untilDone(logger, 'reading a connection', halted, () =>
          this.options.connections.get(connectionId),
        );
        const jobs = ofConnection.map((delivery) => jobOf(newDeliveryDocument(delivery, connection)));
        for (const job of jobs) track(job);
        await untilDone(logger, 'queueing deliveries', halted, () => lanes.add(connectionId, jobs));
      }),
    );
  }

  private async operate(task: Exclude<DeliveryTask, { kind: 'new' }>): Promise<void> {
    const halted = () => this.halted;
    if (task.kind === 'connection') {
      await untilDone(this.options.logger, 'reading a connection', halted, () =>
        this.options.lanes.refresh(task.connectionId),
      );
      return;
    }
    // Released or redelivered: stored already, so they settle at once; sent in ingest order.
    const jobs = task.deliveries.map((delivery) => refOf({ ...delivery, connectionId: task.connectionId }));
    await untilDone(this.options.logger, 'queueing stored deliveries', halted, () =>
      this.options.lanes.addStored(jobs, () => 0),
    );
  }

  private async deadLetter(entries: { message: IncomingMessage; rejection: Rejection }[]): Promise<void> {
    this.options.logger.error(
      { count: entries.length, reason: entries[0]!.rejection.reason },
      'unreadable delivery tasks dead-lettered',
    );
    await this.options.bus.publish(
      deadLetterTopic,
      entries.map(({ message, rejection }) => ({
        key: message.key,
        value: message.value,
        headers: deadLetterHeadersFor(message, rejection),
      })),
    );
  }
}
