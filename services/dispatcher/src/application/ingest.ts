// Ingest: one consumer group over the domain topics. Each event becomes a
// delivery per matching connection, handed to sending on the deliveries
// topic (on its connection's shard) before the batch's offsets are committed;
// what cannot be read goes to the dead-letter topic with the reason, and the
// stream carries on. Nothing is written to the store here.
import { createHash } from 'node:crypto';
import { processMessage, type Batch, type EventBus, type IncomingMessage } from '@hookline/bus';
import {
  deadLetterHeadersFor,
  deadLetterTopic,
  parseKafkaMessage,
  type EventDefinition,
  type HooklineEvent,
  type Rejection,
} from '@hookline/events';
import { SpanStatusCode, traceHeaders } from '@hookline/telemetry';
import type { Logger } from 'pino';
import { shardOf, taskMessage, type NewDelivery } from '../domain/delivery-task.js';
import { matchConnections } from '../domain/matching.js';
import type { ConnectionCache } from './connection-cache.js';
import type { DispatcherMetrics } from './metrics.js';

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
  connections: ConnectionCache;
  logger: Logger;
  metrics: DispatcherMetrics;
  now: () => Date;
  lookup: (type: string) => Pick<EventDefinition, 'data'> | undefined;
  /** Where deliveries go to be sent. */
  deliveriesTopic: string;
  /** Reloads types registered at run time; called once before dead-lettering an unknown type. */
  refreshTypes?: () => Promise<void>;
}

/** The delivery of an event to one connection, as ingest creates it. */
export function newDelivery(event: HooklineEvent, connectionId: string, body: object, now: Date): NewDelivery {
  // Attempts continue the trace of the dispatcher's processing when traced, else the event's.
  const traceparent = traceHeaders().traceparent ?? event.traceparent;
  return {
    _id: deliveryIdFor(event.id, connectionId),
    tenantId: event.tenant,
    connectionId,
    shard: shardOf(connectionId),
    eventId: event.id,
    eventType: event.type,
    subject: event.subject,
    eventTime: new Date(event.time),
    body: JSON.stringify(body),
    ...(traceparent ? { traceparent } : {}),
    seq: nextSeq(now),
    createdAt: now,
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
    const { metrics } = this.options;
    const now = this.options.now();
    const deliveries = new Map<string, NewDelivery>();
    const deadLetters: { message: IncomingMessage; rejection: Rejection }[] = [];
    for (const message of batch.messages) {
      metrics.eventsConsumed.add(1, { 'messaging.destination.name': message.topic });
      // A span per message, continuing the producer's trace: parsing, matching, and the deliveries it creates.
      await processMessage(message, {}, async (span) => {
        const raw = { key: message.key, value: message.value, headers: message.headers };
        let parsed = parseKafkaMessage(raw, this.options.lookup);
        if (
          !parsed.ok &&
          parsed.issues?.some((issue) => issue.rule === 'unknown_event_type') &&
          this.options.refreshTypes
        ) {
          // Maybe registered moments ago on another instance.
          await this.options.refreshTypes();
          parsed = parseKafkaMessage(raw, this.options.lookup);
        }
        if (!parsed.ok) {
          span.setStatus({ code: SpanStatusCode.ERROR, message: `dead-lettered: ${parsed.reason}` });
          deadLetters.push({ message, rejection: parsed });
          return;
        }
        const event = parsed.event;
        span.setAttributes({
          'hookline.event.id': event.id,
          'hookline.event.type': event.type,
          'hookline.tenant': event.tenant,
        });
        // Cached briefly: a connection created, edited or switched off elsewhere is seen within the cache's time.
        const connections = await this.options.connections.forTenant(event.tenant);
        const matches = matchConnections(connections, event);
        span.setAttribute('hookline.matched_connections', matches.length);
        if (matches.length === 0) metrics.eventsUnmatched.add(1);
        // A replay inside the batch (same event id twice) makes the same delivery once.
        for (const match of matches) {
          const delivery = newDelivery(event, match.connection._id, match.body, now);
          if (!deliveries.has(delivery._id)) deliveries.set(delivery._id, delivery);
        }
      });
    }

    if (deadLetters.length > 0) await this.deadLetter(deadLetters);
    await this.options.bus.publish(
      this.options.deliveriesTopic,
      [...deliveries.values()].map((delivery) => taskMessage({ kind: 'new', delivery })),
    );
    if (this.halted) throw new Error('dispatcher halted');
  }

  private async deadLetter(entries: { message: IncomingMessage; rejection: Rejection }[]): Promise<void> {
    await this.options.bus.publish(
      deadLetterTopic,
      entries.map(({ message, rejection }) => ({
        key: message.key,
        value: message.value,
        headers: deadLetterHeadersFor(message, rejection),
      })),
    );
    for (const { message, rejection } of entries) {
      this.options.metrics.eventsDeadLettered.add(1, { 'messaging.destination.name': message.topic });
      this.options.logger.warn(
        { topic: message.topic, partition: message.partition, offset: message.offset, reason: rejection.reason },
        'event dead-lettered',
      );
    }
  }
}
