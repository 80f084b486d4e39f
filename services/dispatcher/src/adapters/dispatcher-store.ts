// The dispatcher's collections and the indexes behind the queries it makes.
// `deliveries` is the log (one document per event and connection, written once
// when its first attempt is recorded), `delivery_attempts` one document per
// request, `delivery_queue` the stored work still to do (retries, deliveries
// stored before their first attempt, released and redelivered ones), and
// `delivery_claims` the ids of deliveries taken up for sending, so a replayed
// event is never sent again. The delivery document is the truth: a queue
// entry whose delivery says otherwise is dropped when read.
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

/** A delivery taken up for sending (see DeliveryStore.claim). */
export interface ClaimDocument {
  /** The delivery id. */
  _id: string;
  at: Date;
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
  claims: StoreCollection<ClaimDocument>;
  connectionEvents: StoreCollection<ConnectionEventDocument>;
}

export function dispatcherCollections(store: DocumentStore): DispatcherCollections {
  return {
    connections: store.collection<ConnectionDocument>('connections'),
    deliveries: store.collection<DeliveryDocument>('deliveries'),
    attempts: store.collection<AttemptDocument>('delivery_attempts'),
    queue: store.collection<QueueEntry>('delivery_queue'),
    claims: store.collection<ClaimDocument>('delivery_claims'),
    connectionEvents: store.collection<ConnectionEventDocument>('connection_events'),
  };
}

export async function ensureDispatcherIndexes(
  collections: DispatcherCollections,
  retentionDays: number,
): Promise<void> {
  const retention = Math.round(retentionDays * 24 * 3600);
  await Promise.all([
    collections.connections.createIndexes([
      { keys: { tenantId: 1, createdAt: 1 }, name: 'by_tenant' },
      { keys: { uniqueKey: 1 }, name: 'unique_key', unique: true },
      { keys: { tenantId: 1, status: 1 }, name: 'by_tenant_status' },
    ]),
    collections.deliveries.createIndexes([
      { keys: { tenantId: 1, createdAt: -1 }, name: 'log_by_tenant' },
      // The log's order on its own: a server that filters after reading (FerretDB) walks it newest first and stops at the page.
      { keys: { createdAt: -1, _id: -1 }, name: 'log_newest', servesSort: true },
      { keys: { connectionId: 1, createdAt: -1 }, name: 'log_by_connection' },
      { keys: { tenantId: 1, status: 1, createdAt: -1 }, name: 'log_by_status' },
      { keys: { connectionId: 1, status: 1, seq: 1 }, name: 'by_connection_status' },
      { keys: { finishedAt: 1 }, name: 'retention', expireAfterSeconds: retention },
    ]),
    collections.attempts.createIndexes([
      { keys: { deliveryId: 1, number: 1 }, name: 'by_delivery' },
      { keys: { startedAt: 1 }, name: 'retention', expireAfterSeconds: retention },
    ]),
    collections.queue.createIndexes([
      { keys: { shard: 1 }, name: 'by_shard' },
      { keys: { connectionId: 1 }, name: 'by_connection' },
    ]),
    collections.claims.createIndexes([{ keys: { at: 1 }, name: 'retention', expireAfterSeconds: retention }]),
    collections.connectionEvents.createIndexes([
      { keys: { connectionId: 1, at: -1 }, name: 'by_connection' },
      { keys: { tenantId: 1, at: -1 }, name: 'by_tenant' },
    ]),
  ]);
}
