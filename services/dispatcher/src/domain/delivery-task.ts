// The hand-off from ingest to sending: one message per delivery on the
// deliveries topic, on the partition of its connection's shard. Kafka's group
// gives each partition to one dispatcher instance at a time, so one instance
// sends all of a connection's deliveries (order, the ramp after failures and
// the blocking count hold), and the partition's committed offset is what
// makes a delivery durable until its first attempt is recorded. Operations on
// other instances (release, redeliver, an unblock) tell the owner through the
// same partition.
import { createHash } from 'node:crypto';
import type { Rejection } from '@hookline/events';
import { z } from 'zod';
import type { DeliveryDocument } from './delivery.js';

export const DELIVERIES_TOPIC = 'hookline.deliveries';

/** Partitions of the deliveries topic: the most instances that can share the sending. */
export const SHARDS = 32;

const knownShards = new Map<string, number>();

export function shardOf(connectionId: string, shards = SHARDS): number {
  if (shards !== SHARDS) return createHash('md5').update(connectionId).digest().readUInt32BE(0) % shards;
  let shard = knownShards.get(connectionId);
  if (shard === undefined) {
    shard = createHash('md5').update(connectionId).digest().readUInt32BE(0) % SHARDS;
    // Hashed once per connection, not per delivery; bounded in case of very many connections.
    if (knownShards.size >= 100_000) knownShards.clear();
    knownShards.set(connectionId, shard);
  }
  return shard;
}

/** A delivery as ingest creates it: the event's body for one connection, nothing attempted yet. */
export type NewDelivery = Pick<
  DeliveryDocument,
  | '_id'
  | 'tenantId'
  | 'connectionId'
  | 'shard'
  | 'eventId'
  | 'eventType'
  | 'subject'
  | 'eventTime'
  | 'body'
  | 'traceparent'
  | 'seq'
  | 'createdAt'
>;

const date = z.iso.datetime().transform((value) => new Date(value));

const newDeliverySchema = z.object({
  _id: z.string().min(1),
  tenantId: z.string().min(1),
  connectionId: z.string().min(1),
  shard: z.number().int().min(0),
  eventId: z.string().min(1),
  eventType: z.string().min(1),
  subject: z.string(),
  eventTime: date,
  body: z.string(),
  traceparent: z.string().optional(),
  seq: z.number(),
  createdAt: date,
});

export const deliveryTaskSchema = z.discriminatedUnion('kind', [
  /** A new delivery: send it (its first attempt starts from this message). */
  z.object({ kind: z.literal('new'), delivery: newDeliverySchema }),
  /** Stored deliveries made pending again (released, redelivered, recovered, or retried by an instance that lost the shard): load and send them. */
  z.object({
    kind: z.literal('requeue'),
    connectionId: z.string().min(1),
    deliveries: z.array(z.object({ _id: z.string().min(1), subject: z.string(), seq: z.number() })).min(1),
  }),
  /** The connection changed elsewhere (unblocked, edited, deleted): read it again. */
  z.object({ kind: z.literal('connection'), connectionId: z.string().min(1) }),
]);
export type DeliveryTask = z.infer<typeof deliveryTaskSchema>;

export function connectionOfTask(task: DeliveryTask): string {
  return task.kind === 'new' ? task.delivery.connectionId : task.connectionId;
}

/** The bus message of a task: keyed by connection, on its shard's partition. */
export function taskMessage(task: DeliveryTask): { key: string; partition: number; value: string } {
  const connectionId = connectionOfTask(task);
  return { key: connectionId, partition: shardOf(connectionId), value: JSON.stringify(task) };
}

export function parseTask(value: Buffer | string): { ok: true; task: DeliveryTask } | ({ ok: false } & Rejection) {
  let json: unknown;
  try {
    json = JSON.parse(value.toString());
  } catch {
    return { ok: false, code: 'invalid_json', reason: 'unparsable delivery task: not JSON' };
  }
  const parsed = deliveryTaskSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({
      path: issue.path.join('.'),
      rule: issue.code,
      message: issue.message,
    }));
    return {
      ok: false,
      code: 'invalid_delivery_task',
      reason: `invalid delivery task: ${issues.map((issue) => `${issue.path || '(root)'} ${issue.message}`).join('; ')}`,
      issues,
    };
  }
  return { ok: true, task: parsed.data as DeliveryTask };
}
