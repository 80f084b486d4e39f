// Every change of a delivery's state goes through here, by name: record an
// attempt, spill (store before the first attempt), hold, discard, release,
// requeue. Sending's writes are batched: what arrives while one write is on
// its way goes out together in the next, as one unordered `_id`-keyed bulk per
// collection — the only shapes the weakest MongoDB-compatible server answers
// in time independent of the collection's size. A failed write is retried
// until it lands (every write here can be repeated: inserts report duplicates,
// updates set absolute values), so a result is never lost to a store outage.
import type { BulkWriteResult, StoredDocument, UpdateFilter, WriteById } from '@hookline/store';
import type { Logger } from 'pino';
import type { ConnectionDocument, RetryPolicy } from '../domain/connection.js';
import type { AttemptDocument, AttemptRecord, DeliveryDocument, DeliveryStatus } from '../domain/delivery.js';
import type { DispatcherCollections, QueueEntry } from './dispatcher-store.js';

/** One request's result and where it leaves its delivery. */
export interface AttemptToRecord {
  /** The delivery as it was sent: counts from before this attempt. */
  delivery: DeliveryDocument;
  /** Whether `deliveries` already holds it (else this write creates it). */
  stored: boolean;
  attempt: AttemptRecord;
  status: DeliveryStatus;
  nextAttemptAt: Date | null;
  reason?: string;
}

/** A delivery to hold or discard: a new one (its whole document) or a stored one (its id is enough). */
export type DeliveryRef = { stored: false; delivery: DeliveryDocument } | { stored: true; id: string };

export function attemptId(deliveryId: string, number: number): string {
  return `${deliveryId}:${number}`;
}

export function queueEntryOf(
  delivery: Pick<DeliveryDocument, '_id' | 'shard' | 'connectionId' | 'subject' | 'seq'>,
  nextAttemptAt: Date,
): QueueEntry {
  return { _id: delivery._id, ...queueFields(delivery, nextAttemptAt) };
}

/** A queue entry's fields but its id: what an upsert sets. */
function queueFields(
  delivery: Pick<DeliveryDocument, 'shard' | 'connectionId' | 'subject' | 'seq'>,
  nextAttemptAt: Date,
): Omit<QueueEntry, '_id'> {
  return {
    shard: delivery.shard,
    connectionId: delivery.connectionId,
    subject: delivery.subject,
    seq: delivery.seq,
    nextAttemptAt,
  };
}

interface Pending {
  deliveries: WriteById<DeliveryDocument>[];
  /** Update to apply instead when an insert finds the delivery already stored (a replay that slipped through). */
  ifStored: Map<string, UpdateFilter<DeliveryDocument>>;
  attempts: AttemptDocument[];
  queue: WriteById<QueueEntry>[];
  connections: WriteById<ConnectionDocument>[];
  waiters: { resolve: () => void; reject: (error: unknown) => void }[];
}

const empty = (): Pending => ({
  deliveries: [],
  ifStored: new Map(),
  attempts: [],
  queue: [],
  connections: [],
  waiters: [],
});

export interface DeliveryStoreOptions {
  now: () => Date;
  logger: Logger;
  /** Writes in one flush at most (a bigger backlog goes out in several). */
  maxBatch?: number;
}

export class DeliveryStore {
  private next: Pending = empty();
  private size = 0;
  private flushing: Promise<void> | undefined;
  private halted = false;
  /** Writes accepted but not yet stored: sending slows down when the store falls behind. */
  backlog = 0;

  constructor(
    readonly collections: DispatcherCollections,
    private readonly options: DeliveryStoreOptions,
  ) {}

  // ---------- sending's writes, batched ----------

  /** Records attempts: the attempt documents, and each delivery's new state (created with it on a first attempt). */
  record(results: AttemptToRecord[]): Promise<void> {
    const now = this.options.now();
    return this.enqueue((pending) => {
      for (const result of results) {
        const { delivery, attempt, status, nextAttemptAt } = result;
        const number = delivery.attemptCount + 1;
        const finished = status === 'succeeded' || status === 'failed';
        pending.attempts.push({
          _id: attemptId(delivery._id, number),
          deliveryId: delivery._id,
          connectionId: delivery.connectionId,
          tenantId: delivery.tenantId,
          number,
          ...attempt,
        });
        const state = {
          status,
          attemptCount: number,
          roundAttempts: delivery.roundAttempts + 1,
          nextAttemptAt,
          updatedAt: now,
          ...(attempt.status === undefined ? {} : { lastStatus: attempt.status }),
          ...(attempt.error === undefined ? {} : { lastError: attempt.error }),
          ...(result.reason === undefined ? {} : { reason: result.reason }),
          ...(finished ? { finishedAt: now } : {}),
        };
        this.put(pending, delivery, result.stored, state);
        this.queueAfter(pending, delivery, nextAttemptAt, result.stored);
      }
    }, results.length);
  }

  /** Stores new deliveries as pending before their first attempt, with queue entries: durable before it is made. */
  spill(deliveries: DeliveryDocument[]): Promise<void> {
    const now = this.options.now();
    return this.enqueue((pending) => {
      for (const delivery of deliveries) {
        pending.deliveries.push({ insertOne: { document: { ...delivery, status: 'pending', nextAttemptAt: now } } });
        pending.queue.push({ insertOne: { document: queueEntryOf(delivery, now) } });
      }
    }, deliveries.length);
  }

  /** Holds deliveries (their connection is blocked) until it is unblocked; nothing is sent meanwhile. */
  hold(refs: DeliveryRef[], reason: string): Promise<void> {
    return this.park(refs, { status: 'held', reason });
  }

  /** Ends deliveries that must not be sent (their connection was deleted). */
  discard(refs: DeliveryRef[], reason: string): Promise<void> {
    return this.park(refs, { status: 'discarded', reason, finishedAt: this.options.now() });
  }

  /** Stores a connection's count of consecutive failures, and its block when `blockedAt` is given. */
  saveFailures(connectionId: string, consecutiveFailures: number, blockedAt?: Date): Promise<void> {
    return this.enqueue((pending) => {
      const $set = blockedAt
        ? { consecutiveFailures, status: 'blocked' as const, blockedAt, updatedAt: blockedAt }
        : { consecutiveFailures };
      pending.connections.push({ updateOne: { filter: { _id: connectionId }, update: { $set } } });
    }, 1);
  }

  /** Forgets queue entries whose delivery is no longer pending. */
  dropQueueEntries(ids: string[]): Promise<void> {
    return this.enqueue((pending) => {
      for (const id of ids) pending.queue.push({ deleteOne: { filter: { _id: id } } });
    }, ids.length);
  }

  // ---------- reads ----------

  /**
   * Claims deliveries for sending: returns the ids claimed before (by this or
   * another instance, now or earlier), which the caller must not simply send again.
   */
  async claim(ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const at = this.options.now();
    const { duplicateIds } = await this.collections.claims.insertMany(
      ids.map((_id) => ({ _id, at })),
      { ordered: false },
    );
    return new Set(duplicateIds);
  }

  /** Stored deliveries by id, each read through the `_id` index. */
  async read(ids: readonly string[]): Promise<Map<string, DeliveryDocument>> {
    const found = await Promise.all(ids.map((_id) => this.collections.deliveries.findOne({ _id })));
    return new Map(found.filter((d): d is DeliveryDocument => d !== null).map((d) => [d._id, d]));
  }

  /** The stored work of some shards: read when an instance takes them over. */
  async queued(shards: readonly number[]): Promise<QueueEntry[]> {
    if (shards.length === 0) return [];
    return this.collections.queue.find(shards.length === 1 ? { shard: shards[0]! } : { shard: { $in: [...shards] } });
  }

  // ---------- operations (the management API), written at once ----------

  /**
   * A new round for stored deliveries (redelivered, recovered, released): pending
   * again with a fresh retry window and queue entries, oldest first. Returns their ids in that order.
   */
  async requeue(deliveries: DeliveryDocument[], policy: Pick<RetryPolicy, 'windowSeconds'>): Promise<string[]> {
    const now = this.options.now();
    const roundDeadline = new Date(now.getTime() + policy.windowSeconds * 1000);
    const sorted = [...deliveries].sort((a, b) => a.seq - b.seq);
    await this.bulk(
      this.collections.deliveries,
      sorted.map((delivery) => ({
        updateOne: {
          filter: { _id: delivery._id },
          update: {
            $set: { status: 'pending', roundAttempts: 0, roundDeadline, nextAttemptAt: now, updatedAt: now },
            $unset: { finishedAt: '', reason: '' },
          },
        },
      })),
    );
    await this.bulk(
      this.collections.queue,
      sorted.map((delivery) => ({
        updateOne: { filter: { _id: delivery._id }, update: { $set: queueFields(delivery, now) }, upsert: true },
      })),
    );
    return sorted.map((delivery) => delivery._id);
  }

  /** A connection's held deliveries, oldest first. */
  held(connectionId: string): Promise<DeliveryDocument[]> {
    return this.collections.deliveries.find({ connectionId, status: 'held' }, { sort: { seq: 1 } });
  }

  /** A connection's failed deliveries (test sends aside) created since a time. */
  failedSince(connectionId: string, since: Date): Promise<DeliveryDocument[]> {
    return this.collections.deliveries.find({
      connectionId,
      status: 'failed',
      test: false,
      createdAt: { $gte: since },
    });
  }

  /** Discards stored deliveries at once (an operation, not sending: no batching). */
  async discardNow(ids: string[], reason: string): Promise<void> {
    const now = this.options.now();
    await this.bulk(
      this.collections.deliveries,
      ids.map((_id) => ({
        updateOne: {
          filter: { _id },
          update: { $set: { status: 'discarded', reason, nextAttemptAt: null, finishedAt: now, updatedAt: now } },
        },
      })),
    );
    await this.bulk(
      this.collections.queue,
      ids.map((_id) => ({ deleteOne: { filter: { _id } } })),
    );
  }

  /** Everything still waiting for a deleted connection, pending or held, is discarded. */
  async discardWaiting(connectionId: string, reason: string): Promise<void> {
    const now = this.options.now();
    await this.collections.deliveries.updateMany(
      { connectionId, status: { $in: ['pending', 'held'] } },
      { $set: { status: 'discarded', reason, nextAttemptAt: null, finishedAt: now, updatedAt: now } },
    );
    await this.collections.queue.deleteMany({ connectionId });
  }

  // ---------- plumbing ----------

  /** A simulated crash (tests): nothing more is written, and whoever waits is told so. */
  halt(): void {
    this.halted = true;
    const waiting = this.next.waiters;
    this.next = empty();
    for (const waiter of waiting) waiter.reject(new Error('dispatcher halted'));
  }

  /** Resolves once everything accepted so far is stored. */
  async settled(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private park(
    refs: DeliveryRef[],
    state: { status: 'held' | 'discarded'; reason: string; finishedAt?: Date },
  ): Promise<void> {
    const now = this.options.now();
    return this.enqueue((pending) => {
      for (const ref of refs) {
        if (ref.stored) {
          pending.deliveries.push({
            updateOne: { filter: { _id: ref.id }, update: { $set: { ...state, nextAttemptAt: null, updatedAt: now } } },
          });
          pending.queue.push({ deleteOne: { filter: { _id: ref.id } } });
        } else {
          this.put(pending, ref.delivery, false, { ...state, nextAttemptAt: null, updatedAt: now });
        }
      }
    }, refs.length);
  }

  /** A delivery's new state: the whole document when it is new, else an update of those fields. */
  private put(pending: Pending, delivery: DeliveryDocument, stored: boolean, state: Partial<DeliveryDocument>) {
    const update: UpdateFilter<DeliveryDocument> = { $set: state };
    if (stored) {
      pending.deliveries.push({ updateOne: { filter: { _id: delivery._id }, update } });
    } else {
      pending.deliveries.push({ insertOne: { document: { ...delivery, ...state } } });
      pending.ifStored.set(delivery._id, update);
    }
  }

  /** After an attempt: a retry keeps (or gets) its queue entry with the new time; anything else leaves the queue. */
  private queueAfter(pending: Pending, delivery: DeliveryDocument, nextAttemptAt: Date | null, stored: boolean) {
    if (nextAttemptAt) {
      pending.queue.push({
        updateOne: {
          filter: { _id: delivery._id },
          update: { $set: queueFields(delivery, nextAttemptAt) },
          upsert: true,
        },
      });
    } else if (stored) {
      pending.queue.push({ deleteOne: { filter: { _id: delivery._id } } });
    }
  }

  private enqueue(add: (pending: Pending) => void, count: number): Promise<void> {
    if (this.halted) return Promise.reject(new Error('dispatcher halted'));
    return new Promise<void>((resolve, reject) => {
      add(this.next);
      this.next.waiters.push({ resolve, reject });
      this.size += count;
      this.backlog += count;
      this.flushing ??= this.flushLoop();
    });
  }

  private async flushLoop(): Promise<void> {
    // Let writes arriving in the same tick join this one.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.next.waiters.length > 0 && !this.halted) {
      const batch = this.next;
      const count = this.size;
      this.next = empty();
      this.size = 0;
      await this.writeUntilStored(batch);
      this.backlog -= count;
      if (this.halted) break;
      for (const waiter of batch.waiters) waiter.resolve();
    }
    this.flushing = undefined;
  }

  private async writeUntilStored(batch: Pending): Promise<void> {
    for (let failures = 0; !this.halted; failures++) {
      try {
        await this.write(batch);
        return;
      } catch (error) {
        const delay = Math.min(5000, 100 * 2 ** Math.min(failures, 6));
        this.options.logger.error({ err: error, retryInMs: delay }, 'delivery store write failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  private async write(batch: Pending): Promise<void> {
    const { collections } = this;
    const [deliveries] = await Promise.all([
      this.bulk(collections.deliveries, batch.deliveries),
      batch.attempts.length > 0 ? collections.attempts.insertMany(batch.attempts, { ordered: false }) : undefined,
      this.bulk(collections.queue, batch.queue),
      this.bulk(collections.connections, batch.connections),
    ]);
    // Inserts of deliveries that turned out to be stored already become updates.
    const again = deliveries.duplicateIds.flatMap((_id) => {
      const update = batch.ifStored.get(_id);
      return update ? [{ updateOne: { filter: { _id }, update } }] : [];
    });
    if (again.length > 0) {
      this.options.logger.warn(
        { deliveries: again.length },
        'deliveries recorded twice (a replay sent again); their stored state updated',
      );
      await this.bulk(collections.deliveries, again);
    }
    // A retry of this write after a partial failure finds its attempts there already: fine.
  }

  private async bulk<T extends StoredDocument>(
    collection: { bulkWrite(writes: WriteById<T>[]): Promise<BulkWriteResult> },
    writes: WriteById<T>[],
  ): Promise<BulkWriteResult> {
    const result: BulkWriteResult = {
      insertedCount: 0,
      matchedCount: 0,
      modifiedCount: 0,
      deletedCount: 0,
      upsertedCount: 0,
      duplicateIds: [],
    };
    const step = this.options.maxBatch ?? 1000;
    for (let start = 0; start < writes.length; start += step) {
      const part = await collection.bulkWrite(writes.slice(start, start + step));
      result.insertedCount += part.insertedCount;
      result.matchedCount += part.matchedCount;
      result.modifiedCount += part.modifiedCount;
      result.deletedCount += part.deletedCount;
      result.upsertedCount += part.upsertedCount;
      result.duplicateIds.push(...part.duplicateIds);
    }
    return result;
  }
}
