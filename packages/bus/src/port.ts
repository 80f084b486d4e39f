/** A message to append to a topic. Messages with the same key keep their order. */
export interface OutgoingMessage {
  key: string | null;
  /** The partition to append to; by default the key's hash picks it (round robin without a key). */
  partition?: number;
  value: string | Buffer;
  headers?: Record<string, string>;
  timestamp?: Date;
}

/** A message read from a topic partition. */
export interface IncomingMessage {
  topic: string;
  partition: number;
  /** Position in the partition, as a decimal string (Kafka offsets exceed 2^53). */
  offset: string;
  key: string | null;
  value: Buffer;
  headers: Record<string, string>;
  timestamp: Date;
}

export interface Batch {
  topic: string;
  partition: number;
  /** In offset order. */
  messages: IncomingMessage[];
  /** The offset the partition's next message will get, when the backend knows it (for consumer lag). */
  highWatermark?: string;
}

/** A batch taken in whose handling ends later: its offsets are committed when `settled` resolves. */
export interface BatchTaken {
  settled: Promise<void>;
}

export interface SubscribeOptions {
  groupId: string;
  /** Topic names, or a pattern matched against existing topics. */
  topics: string[] | RegExp;
  /** Where a group with no committed offset starts: the oldest message, or only new ones. */
  fromBeginning?: boolean;
  /**
   * Handles one partition's batch. Offsets are committed only after it resolves
   * (at-least-once); if it throws, the same batch is delivered again after a back-off.
   * Batches of one partition are handed over one after another, so per-key order holds.
   *
   * A handler that takes a batch in at once but finishes it later (a webhook still
   * to send) resolves with `{ settled }`: the partition's next batch may come
   * before `settled` resolves, and the offsets are committed once it has, in order
   * (after every earlier batch of the partition). If `settled` rejects, the
   * partition's uncommitted batches are delivered again after a back-off. Once
   * `maxUnsettled` messages of a partition wait to settle, the partition waits.
   */
  onBatch: (batch: Batch) => Promise<void | BatchTaken>;
  /** Messages per partition taken in but not yet settled, at most, about (default 1,000; counted in whole batches). */
  maxUnsettled?: number;
  /** Bytes of messages per partition in one batch, about (Kafka's fetch size; default 1 MiB). */
  maxBatchBytes?: number;
  /**
   * How many partitions' batches may be handled at the same time (default 1). A handler
   * that waits on something slow (a webhook) must not hold up the other partitions.
   */
  concurrency?: number;
  /**
   * Told the partitions this member holds, whenever the group hands them out again
   * (a member joined or left), and `[]` when the member stops holding any (it stops,
   * or a rebalance takes every partition away until the next assignment). A holder
   * is the only member of the group handling those partitions' batches.
   */
  onAssignment?: (partitions: TopicPartition[]) => void;
}

export interface TopicPartition {
  topic: string;
  partition: number;
}

export interface Subscription {
  readonly groupId: string;
  /**
   * Stops consuming; a batch in progress finishes and is committed first, and batches
   * taken in get a few seconds to settle (what does not is read again by the next holder).
   */
  stop(): Promise<void>;
}

export interface TopicSpec {
  name: string;
  partitions?: number;
}

/** The event bus port: a partitioned, ordered, replayable log with consumer groups. */
export interface EventBus {
  /** `embedded`: in memory; `sqlite`: the durable embedded bus on disk. */
  readonly backend: 'kafka' | 'embedded' | 'sqlite';
  /** Creates missing topics; existing ones are left as they are. */
  ensureTopics(topics: TopicSpec[]): Promise<void>;
  /** Appends messages; resolves once they are durably accepted. */
  publish(topic: string, messages: OutgoingMessage[]): Promise<void>;
  subscribe(options: SubscribeOptions): Promise<Subscription>;
  /** Resolves when the bus is reachable (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Partitions of a topic created without an explicit count. */
export const DEFAULT_PARTITIONS = 3;
