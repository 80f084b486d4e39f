// The dispatcher's collections and the indexes behind every query it makes.
// `deliveries` is the log (one document per event and connection, with its
// attempts); `delivery_queue` is a small index of the work still to do, so
// polling never scans the log. The delivery document is the truth: a queue
// entry whose delivery says otherwise is corrected when it is read.
import type { DocumentStore, StoreCollection } from '@hookline/store';
import type { ConnectionDocument } from '../domain/connection.js';
import type { AttemptDocument, DeliveryDocument } from '../domain/delivery.js';

export interface QueueEntry {
  /** The delivery id. */
  _id: string;
  shard: number;
  connectionId: string;
  subject: string;
  seq: number;
  nextAttemptAt: Date;
}

export interface LeaseDocument {
  /** `${shard}:${term}`: a unique insert is how an instance wins a term. */
  _id: string;
  shard: number;
  term: number;
  owner: string;
  until: Date;
}

export interface InstanceDocument {
  _id: string;
  until: Date;
}

/** Blocking, unblocking and exhausted retries, for operators and the console. */
export interface ConnectionEventDocument {
  _id: string;
  tenantId: string;
  connectionId: string;
  type: 'connection.blocked' | 'connection.unblocked' | 'delivery.exhausted';
  at: Date;
  detail: Record<string, unknown>;
}

export interface DispatcherCollections {
  connections: StoreCollection<ConnectionDocument>;
  deliveries: StoreCollection<DeliveryDocument>;
  attempts: StoreCollection<AttemptDocument>;
  queue: StoreCollection<QueueEntry>;
  leases: StoreCollection<LeaseDocument>;
  instances: StoreCollection<InstanceDocument>;
  connectionEvents: StoreCollection<ConnectionEventDocument>;
}

export function dispatcherCollections(store: DocumentStore): DispatcherCollections {
  return {
    connections: store.collection<ConnectionDocument>('connections'),
    deliveries: store.collection<DeliveryDocument>('deliveries'),
    attempts: store.collection<AttemptDocument>('delivery_attempts'),
    queue: store.collection<QueueEntry>('delivery_queue'),
    leases: store.collection<LeaseDocument>('dispatcher_leases'),
    instances: store.collection<InstanceDocument>('dispatcher_instances'),
    connectionEvents: store.collection<ConnectionEventDocument>('connection_events'),
  };
}

export async function ensureDispatcherIndexes(collections: DispatcherCollections, retentionDays: number): Promise<void> {
  const retention = Math.round(retentionDays * 24 * 3600);
  await Promise.all([
    collections.connections.createIndexes([
      { keys: { tenantId: 1, createdAt: 1 }, name: 'by_tenant' },
      { keys: { uniqueKey: 1 }, name: 'unique_key', unique: true },
      { keys: { tenantId: 1, status: 1 }, name: 'by_tenant_status' },
    ]),
    collections.deliveries.createIndexes([
      { keys: { tenantId: 1, createdAt: -1 }, name: 'log_by_tenant' },
      { keys: { connectionId: 1, createdAt: -1 }, name: 'log_by_connection' },
      { keys: { connectionId: 1, status: 1, seq: 1 }, name: 'by_connection_status' },
      { keys: { finishedAt: 1 }, name: 'retention', expireAfterSeconds: retention },
    ]),
    collections.attempts.createIndexes([
      { keys: { deliveryId: 1, number: 1 }, name: 'by_delivery' },
      { keys: { startedAt: 1 }, name: 'retention', expireAfterSeconds: retention },
    ]),
    collections.queue.createIndexes([{ keys: { shard: 1, nextAttemptAt: 1 }, name: 'due_by_shard' }]),
    collections.leases.createIndexes([{ keys: { shard: 1, term: -1 }, name: 'latest_term' }]),
    collections.instances.createIndexes([{ keys: { until: 1 }, name: 'live' }]),
    collections.connectionEvents.createIndexes([
      { keys: { connectionId: 1, at: -1 }, name: 'by_connection' },
      { keys: { tenantId: 1, at: -1 }, name: 'by_tenant' },
    ]),
  ]);
}
