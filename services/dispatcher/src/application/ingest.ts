// Ingest: one consumer group over the domain topics. Each message becomes a
// delivery per matching connection, written to the store before the batch's
// offsets are committed; what cannot be read goes to the dead-letter topic
// with the reason, and the stream carries on.
import { createHash } from 'node:crypto';
import { processMessage, type Batch, type EventBus, type IncomingMessage } from '@hookline/bus';
import { SpanStatusCode, traceHeaders } from '@hookline/telemetry';
import { deadLetterTopic, parseKafkaMessage, type EventDefinition, type HooklineEvent } from '@hookline/events';
import { insertNew } from '@hookline/store';
import type { Logger } from 'pino';
import type { DispatcherCollections, QueueEntry } from '../adapters/dispatcher-store.js';
import type { DeliveryDocument } from '../domain/delivery.js';
import { matchConnections } from '../domain/matching.js';
import type { ConnectionCache } from './connection-cache.js';
import type { DispatcherMetrics } from './metrics.js';
import { shardOf } from './shard-leases.js';

/** One delivery per (event id, connection): a replayed event maps to the same id. */
export function deliveryIdFor(eventId: string, connectionId: string): string {
  return `msg_${createHash('sha256').update(`${eventId}\u0000${connectionId}`).digest('base64url').slice(0, 27)}`;
}

let lastSeq = 0;
/** Strictly increasing within a process: ingest order of deliveries. */
export function nextSeq(now: Date): number {
  lastSeq = Math.max(lastSeq + 1, now.getTime() * 1000);
  return lastSeq;
}

export interface IngestOptions {
  bus: EventBus;
  collections: DispatcherCollections;
  connections: ConnectionCache;
  logger: Logger;
  metrics: DispatcherMetrics;
  now: () => Date;
  lookup: (type: string) => Pick<EventDefinition, 'data'> | undefined;
  /** Told when new work was queued, so sending starts without waiting for a poll. */
  onQueued: () => void;
  /** Reloads types registered at run time; called once before dead-lettering an unknown type. */
  refreshTypes?: () => Promise<void>;
}

export function newDelivery(
  event: HooklineEvent,
  connection: { _id: string; tenantId: string; status: string; retry: { windowSeconds: number } },
  body: object,
  now: Date,
  test = false,
): DeliveryDocument {
  const held = connection.status === 'blocked';
  return {
    _id: deliveryIdFor(event.id, connection._id),
    tenantId: connection.tenantId,
    connectionId: connection._id,
    shard: shardOf(connection._id),
    eventId: event.id,
    eventType: event.type,
    subject: event.subject,
    eventTime: new Date(event.time),
    body: JSON.stringify(body),
    // Attempts continue the trace of the dispatcher's processing when traced, else the event's.
    ...withTraceparent(traceHeaders().traceparent ?? event.traceparent),
    status: held ? 'held' : 'pending',
    ...(held ? { reason: 'connection blocked when the event arrived' } : {}),
    test,
    attemptCount: 0,
    roundAttempts: 0,
    roundDeadline: new Date(now.getTime() + connection.retry.windowSeconds * 1000),
    nextAttemptAt: held ? null : now,
    seq: nextSeq(now),
    createdAt: now,
    updatedAt: now,
  };
}

function withTraceparent(traceparent: string | undefined) {
  return traceparent ? { traceparent } : {};
}

export function queueEntryFor(delivery: DeliveryDocument): QueueEntry {
  return {
    _id: delivery._id,
    shard: delivery.shard,
    connectionId: delivery.connectionId,
    subject: delivery.subject,
    seq: delivery.seq,
    nextAttemptAt: delivery.nextAttemptAt ?? delivery.createdAt,
  };
}

export class Ingest {
  private halted = false;

  constructor(private readonly options: IngestOptions) {}

  /** Simulates a crash (tests): batches fail from now on, so their offsets are never committed. */
  halt(): void {
    this.halted = true;
  }

  async handleBatch(batch: Batch): Promise<void> {
    if (this.halted) throw new Error('dispatcher halted');
    const { collections, metrics } = this.options;
    const now = this.options.now();
    const deliveries: DeliveryDocument[] = [];
    const deadLetters: { message: IncomingMessage; reason: string }[] = [];
    const checkedBlocked = new Set<string>();
    for (const message of batch.messages) {
      metrics.eventsConsumed.add(1, { 'messaging.destination.name': message.topic });
      // A span per message, continuing the producer's trace: parsing, matching, and the deliveries it creates.
      await processMessage(message, {}, async (span) => {
        const raw = { key: message.key, value: message.value, headers: message.headers };
        let parsed = parseKafkaMessage(raw, this.options.lookup);
        if (!parsed.ok && parsed.issues?.some((issue) => issue.rule === 'unknown_event_type') && this.options.refreshTypes) {
          // Maybe registered moments ago on another instance.
          await this.options.refreshTypes();
          parsed = parseKafkaMessage(raw, this.options.lookup);
        }
        if (!parsed.ok) {
          span.setStatus({ code: SpanStatusCode.ERROR, message: `dead-lettered: ${parsed.reason}` });
          deadLetters.push({ message, reason: parsed.reason });
          return;
        }
        span.setAttributes({ 'hookline.event.id': parsed.event.id, 'hookline.event.type': parsed.event.type, 'hookline.tenant': parsed.event.tenant });
        const tenant = parsed.event.tenant;
        let connections = await this.options.connections.forTenant(tenant);
        // Blocked is rare and may just have been lifted: check it at the source
        // before holding, once per tenant and batch.
        if (!checkedBlocked.has(tenant) && connections.some((connection) => connection.status === 'blocked')) {
          checkedBlocked.add(tenant);
          connections = await this.options.connections.forTenant(tenant, { fresh: true });
        }
        const matches = matchConnections(connections, parsed.event);
        span.setAttribute('hookline.matched_connections', matches.length);
        if (matches.length === 0) metrics.eventsUnmatched.add(1);
        for (const match of matches) deliveries.push(newDelivery(parsed.event, match.connection, match.body, now));
      });
    }

    if (deadLetters.length > 0) await this.deadLetter(deadLetters);

    const { inserted, existing } = await insertNew(collections.deliveries, deliveries);
    if (this.halted) throw new Error('dispatcher halted');
    for (const delivery of inserted) metrics.deliveriesCreated.add(1, { status: delivery.status });
    const toQueue = inserted.filter((delivery) => delivery.status === 'pending');
    if (existing.length > 0) {
      // A replay: queue again only what is still pending (a queue entry for a
      // finished delivery would be dropped when read, so erring here is safe).
      const stored = await collections.deliveries.find({ _id: { $in: existing.map((delivery) => delivery._id) }, status: 'pending' });
      toQueue.push(...stored);
    }
    await insertNew(collections.queue, toQueue.map(queueEntryFor));
    if (toQueue.length > 0) this.options.onQueued();
  }

  private async deadLetter(entries: { message: IncomingMessage; reason: string }[]): Promise<void> {
    await this.options.bus.publish(
      deadLetterTopic,
      entries.map(({ message, reason }) => ({
        key: message.key,
        value: message.value,
        headers: {
          ...message.headers,
          'hookline-dead-letter-reason': reason.slice(0, 1000),
          'hookline-original-topic': message.topic,
          'hookline-original-partition': String(message.partition),
          'hookline-original-offset': message.offset,
        },
      })),
    );
    for (const { message, reason } of entries) {
      this.options.metrics.eventsDeadLettered.add(1, { 'messaging.destination.name': message.topic });
      this.options.logger.warn({ topic: message.topic, partition: message.partition, offset: message.offset, reason }, 'event dead-lettered');
    }
  }
}
