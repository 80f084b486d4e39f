// Leases divide sending between dispatcher instances. Connections hash to a
// fixed number of shards; an instance sends only the deliveries of shards it
// leases. A lease is won by inserting `${shard}:${term}` (a unique key, which
// every MongoDB-compatible server enforces atomically — FerretDB's
// findOneAndUpdate is not atomic across clients); the holder renews its own
// term; a term whose `until` passed may be superseded by term + 1. Instances
// announce themselves so each aims at its fair share, and a shard is handed
// over only once nothing of it is in flight, so normal operation sends nothing
// twice.
import { createHash } from 'node:crypto';
import { DuplicateKeyError } from '@hookline/store';
import type { Logger } from 'pino';
import type { DispatcherCollections, LeaseDocument } from '../adapters/dispatcher-store.js';

export const SHARDS = 32;

export function shardOf(connectionId: string, shards = SHARDS): number {
  return createHash('md5').update(connectionId).digest().readUInt32BE(0) % shards;
}

export interface ShardLeaseOptions {
  instanceId: string;
  ttlMs: number;
  shards?: number;
  now: () => Date;
  logger: Logger;
  /** Deliveries of this shard in flight here; a shard is released only at zero. */
  inFlight: (shard: number) => number;
}

export class ShardLeases {
  /** Shards this instance sends. */
  readonly owned = new Map<number, LeaseDocument>();
  /** Shards being handed over: no new work, released when idle. */
  private readonly releasing = new Set<number>();
  private readonly shards: number;

  constructor(
    private readonly collections: DispatcherCollections,
    private readonly options: ShardLeaseOptions,
  ) {
    this.shards = options.shards ?? SHARDS;
  }

  /**
   * Shards to send for now: ours, not being handed over, and with at least
   * half the lease time left. If renewals fail (store unreachable), sending
   * stops half a TTL before anyone else may take the shard over, which leaves
   * requests in flight that long to finish.
   */
  ownedShards(): number[] {
    const now = this.options.now().getTime();
    const margin = this.options.ttlMs / 2;
    return [...this.owned.entries()]
      .filter(([shard, lease]) => !this.releasing.has(shard) && lease.until.getTime() - now > margin)
      .map(([shard]) => shard);
  }

  /** Heartbeat, renew, hand over extras, take free or expired shards up to the fair share. */
  async tick(): Promise<void> {
    const now = this.options.now();
    const until = new Date(now.getTime() + this.options.ttlMs);
    const { instances, leases } = this.collections;
    // Renewal first and in one write: it is what keeps sending safe. Shards
    // being handed over are renewed too until their requests in flight end.
    const renewing = [...this.owned.entries()];
    if (renewing.length > 0) {
      await leases.updateMany({ _id: { $in: renewing.map(([, lease]) => lease._id) }, owner: this.options.instanceId }, { $set: { until } });
      for (const [, lease] of renewing) lease.until = until;
    }
    await instances.updateOne({ _id: this.options.instanceId }, { $set: { until } }, { upsert: true });
    const live = await instances.countDocuments({ until: { $gt: now } });
    const fairShare = Math.ceil(this.shards / Math.max(1, live));

    const latest = new Map<number, LeaseDocument>();
    for (const lease of await leases.find({}, { sort: { shard: 1, term: -1 } })) {
      if (!latest.has(lease.shard)) latest.set(lease.shard, lease);
    }

    for (const [shard, mine] of this.owned) {
      const current = latest.get(shard);
      if (!current || current._id !== mine._id) {
        this.options.logger.warn({ shard }, 'lease lost to another instance');
        this.owned.delete(shard);
        this.releasing.delete(shard);
        continue;
      }
      if (this.releasing.has(shard) && this.options.inFlight(shard) === 0) {
        await leases.updateOne({ _id: mine._id, owner: this.options.instanceId }, { $set: { until: now } });
        this.owned.delete(shard);
        this.releasing.delete(shard);
      }
    }

    const active = this.ownedShards();
    for (const shard of active.slice(fairShare)) this.releasing.add(shard);

    let wanted = fairShare - this.ownedShards().length;
    for (let shard = 0; shard < this.shards && wanted > 0; shard++) {
      if (this.owned.has(shard)) continue;
      const current = latest.get(shard);
      if (current && current.until.getTime() > now.getTime()) continue;
      const lease: LeaseDocument = {
        _id: `${shard}:${(current?.term ?? 0) + 1}`,
        shard,
        term: (current?.term ?? 0) + 1,
        owner: this.options.instanceId,
        until,
      };
      try {
        await leases.insertOne(lease);
        this.owned.set(shard, lease);
        wanted--;
        // Earlier terms are history now.
        if (current) await leases.deleteMany({ shard, term: { $lt: lease.term } });
      } catch (error) {
        if (!(error instanceof DuplicateKeyError)) throw error;
      }
    }
  }

  /** Gives every lease up at once (shutdown after in-flight work finished). */
  async releaseAll(): Promise<void> {
    const now = this.options.now();
    for (const lease of this.owned.values()) {
      await this.collections.leases.updateOne({ _id: lease._id, owner: this.options.instanceId }, { $set: { until: now } });
    }
    this.owned.clear();
    this.releasing.clear();
    await this.collections.instances.deleteOne({ _id: this.options.instanceId });
  }
}
