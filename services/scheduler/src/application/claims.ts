// Claims on timers: the only way to change a timer document once it exists.
//
// FerretDB updates a document by reading and rewriting it whole, so two updates
// of one document at once can lose one of them (a cancellation read before a
// firing was recorded would write the timer back as it was, pending). Every
// writer of a timer — the firing loop, cancellations, moves, operators — first
// wins its claim: it inserts `<timerId>#<n>` with a lease, and the unique key
// lets one insert win (atomic on every backend). A claim whose lease has ended
// (its holder died) is superseded by inserting `#<n+1>`, never updated.
import { setTimeout as sleep } from 'node:timers/promises';
import { DuplicateKeyError, type StoreCollection } from '@hookline/store';
import type { ClaimDocument } from '../adapters/scheduler-store.js';

export class Claims {
  constructor(
    private readonly claims: StoreCollection<ClaimDocument>,
    private readonly owner: string,
    private readonly leaseMs: number,
    private readonly now: () => Date,
  ) {}

  /** Wins the timer's next claim, or null while another holder's lease runs (or another won the race). */
  async tryClaim(timerId: string): Promise<ClaimDocument | null> {
    const now = this.now();
    const latest = await this.claims.findOne({ timerId }, { sort: { n: -1 } });
    if (latest && latest.until.getTime() > now.getTime()) return null;
    const n = (latest?.n ?? 0) + 1;
    const claim: ClaimDocument = {
      _id: `${timerId}#${n}`,
      timerId,
      n,
      owner: this.owner,
      at: now,
      until: new Date(now.getTime() + this.leaseMs),
    };
    try {
      await this.claims.insertOne(claim);
      return claim;
    } catch (error) {
      if (error instanceof DuplicateKeyError) return null;
      throw error;
    }
  }

  async release(claim: ClaimDocument): Promise<void> {
    await this.claims.deleteOne({ _id: claim._id, owner: this.owner });
  }

  /** The timer is final: its claims (this holder's, and any a crashed holder left) go. */
  async releaseAll(timerId: string): Promise<void> {
    await this.claims.deleteMany({ timerId });
  }

  /**
   * Runs `change` holding the timer's claim, waiting (up to `waitMs` of real time)
   * while someone else holds it — a firing in flight ends within half a lease.
   * Resolves `{ done: false }` if the claim could not be had in time.
   */
  async withClaim<T>(
    timerId: string,
    change: () => Promise<T>,
    waitMs: number,
  ): Promise<{ done: true; value: T } | { done: false }> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const claim = await this.tryClaim(timerId);
      if (claim) {
        try {
          return { done: true, value: await change() };
        } finally {
          await this.release(claim);
        }
      }
      if (Date.now() >= deadline) return { done: false };
      await sleep(25);
    }
  }
}
