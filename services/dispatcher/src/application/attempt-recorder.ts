// Records attempt results in batches. Every write to a MongoDB-compatible
// server costs a round trip, and FerretDB's SQLite backend has one writer:
// concurrent per-attempt writes were the bottleneck. Results arriving together
// are written together — the attempts in one insert, the successes in one
// update, their queue entries in one delete — and each caller resumes once its
// result is stored, so nothing is acknowledged before it is durable.
import { randomUUID } from 'node:crypto';
import type { DispatcherCollections } from '../adapters/dispatcher-store.js';
import type { AttemptDocument, AttemptRecord, DeliveryDocument, DeliveryStatus } from '../domain/delivery.js';

export interface AttemptResult {
  delivery: Pick<DeliveryDocument, '_id' | 'connectionId' | 'tenantId' | 'attemptCount'>;
  attempt: AttemptRecord;
  status: DeliveryStatus;
  nextAttemptAt: Date | null;
  reason?: string;
}

interface Waiting {
  result: AttemptResult;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class AttemptRecorder {
  private waiting: Waiting[] = [];
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly collections: DispatcherCollections,
    private readonly now: () => Date,
  ) {}

  record(result: AttemptResult): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ result, resolve, reject });
      if (!this.flushing) this.flushing = this.flushLoop();
    });
  }

  private async flushLoop(): Promise<void> {
    // Let results finishing in the same tick join this batch.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, 500);
      try {
        await this.write(batch.map((entry) => entry.result));
        for (const entry of batch) entry.resolve();
      } catch (error) {
        for (const entry of batch) entry.reject(error);
      }
    }
    this.flushing = undefined;
  }

  private async write(results: AttemptResult[]): Promise<void> {
    const { attempts, deliveries, queue } = this.collections;
    const now = this.now();
    await attempts.insertMany(
      results.map(({ delivery, attempt }): AttemptDocument => ({
        _id: randomUUID(),
        deliveryId: delivery._id,
        connectionId: delivery.connectionId,
        tenantId: delivery.tenantId,
        number: delivery.attemptCount + 1,
        ...attempt,
      })),
    );
    // Successes share one update per HTTP status: measured on FerretDB, one
    // `$in` update of a batch costs about half of one update per delivery.
    const byStatus = new Map<number | undefined, string[]>();
    for (const { delivery, attempt, status } of results) {
      if (status === 'succeeded') byStatus.set(attempt.status, [...(byStatus.get(attempt.status) ?? []), delivery._id]);
    }
    for (const [lastStatus, ids] of byStatus) {
      await deliveries.updateMany(
        { _id: { $in: ids } },
        {
          $set: { status: 'succeeded', nextAttemptAt: null, updatedAt: now, finishedAt: now, ...(lastStatus === undefined ? {} : { lastStatus }) },
          $inc: { attemptCount: 1, roundAttempts: 1 },
        },
      );
    }
    for (const result of results) {
      if (result.status === 'succeeded') continue;
      const finished = result.status === 'failed';
      await deliveries.updateOne(
        { _id: result.delivery._id },
        {
          $set: {
            status: result.status,
            nextAttemptAt: result.nextAttemptAt,
            updatedAt: now,
            ...(result.attempt.status === undefined ? {} : { lastStatus: result.attempt.status }),
            ...(result.attempt.error === undefined ? {} : { lastError: result.attempt.error }),
            ...(finished ? { finishedAt: now } : {}),
            ...(result.reason === undefined ? {} : { reason: result.reason }),
          },
          $inc: { attemptCount: 1, roundAttempts: 1 },
        },
      );
      if (result.nextAttemptAt) await queue.updateOne({ _id: result.delivery._id }, { $set: { nextAttemptAt: result.nextAttemptAt } });
    }
    const done = results.filter((result) => !result.nextAttemptAt).map((result) => result.delivery._id);
    if (done.length > 0) await queue.deleteMany({ _id: { $in: done } });
  }
}
