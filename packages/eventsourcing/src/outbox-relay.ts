// The outbox relay: stored events reach their Kafka topic in order per
// aggregate and at least once. The event store is the outbox: an event is
// published, then marked; a crash in between publishes it again (receivers
// deduplicate on the CloudEvent id). A stream whose publish fails is not
// advanced past the failure, so its later events never overtake it.
import type { EventBus } from '@hookline/bus';
import { SerialPass } from '@hookline/runtime';
import { toKafkaMessage } from '@hookline/events';
import { contextFrom, recordFailure, SpanKind, trace, traceHeaders, tracer, type Span } from '@hookline/telemetry';
import type { Logger } from 'pino';
import type { EventStore, StoredEvent } from './event-store.js';

export interface OutboxRelayOptions {
  store: EventStore;
  bus: EventBus;
  logger: Logger;
  batchSize?: number;
  intervalMs?: number;
  /** Called after each publish, before marking (tests kill the relay here). */
  afterPublish?: (events: StoredEvent[]) => Promise<void> | void;
}

export class OutboxRelay {
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;
  private readonly passes = new SerialPass(() => this.relayOnce(), {
    onError: (error) => this.options.logger.error({ err: error }, 'outbox relay pass failed'),
    enabled: () => !this.stopped,
  });
  constructor(private readonly options: OutboxRelayOptions) {}

  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => this.wake(), this.options.intervalMs ?? 200);
  }

  /** Runs a pass now (e.g. right after an append), or right after the one running. */
  wake(): void {
    this.passes.wake();
  }

  /** Publishes what is unpublished, oldest first; returns how many were published. */
  async relayOnce(): Promise<number> {
    const pending = await this.options.store.events.find(
      { published: false },
      { sort: { position: 1 }, limit: this.options.batchSize ?? 500 },
    );
    if (pending.length === 0) return 0;
    // Per stream, in version order; one stream's failure leaves the others going.
    const byStream = new Map<string, StoredEvent[]>();
    for (const event of pending) byStream.set(event.stream, [...(byStream.get(event.stream) ?? []), event]);
    let count = 0;
    const byTopic = new Map<string, StoredEvent[]>();
    for (const events of byStream.values()) {
      events.sort((a, b) => a.version - b.version);
      for (const event of events) {
        const topic = toKafkaMessage(event.envelope).topic;
        byTopic.set(topic, [...(byTopic.get(topic) ?? []), event]);
      }
    }
    for (const [topic, events] of byTopic) {
      // One span per event, continuing the trace of the command that stored it; the
      // message's traceparent header becomes that span, so Kafka and the dispatcher follow on.
      const spans: Span[] = [];
      const messages = events.map((event) => {
        const { key, value, headers } = toKafkaMessage(event.envelope);
        const parent = contextFrom({ traceparent: event.envelope.traceparent, tracestate: event.envelope.tracestate });
        const span = tracer.startSpan(
          'outbox relay',
          {
            kind: SpanKind.INTERNAL,
            attributes: {
              'hookline.event.id': event.envelope.id,
              'hookline.event.type': event.envelope.type,
              'hookline.stream': event.stream,
              'messaging.destination.name': topic,
            },
          },
          parent,
        );
        spans.push(span);
        return { key, value, headers: { ...headers, ...traceHeaders(trace.setSpan(parent, span)) } };
      });
      try {
        await this.options.bus.publish(topic, messages);
      } catch (error) {
        for (const span of spans) recordFailure(span, error);
        throw error;
      } finally {
        for (const span of spans) span.end();
      }
      await this.options.afterPublish?.(events);
      await this.options.store.events.updateMany(
        { _id: { $in: events.map((event) => event._id) } },
        { $set: { published: true } },
      );
      count += events.length;
    }
    return count;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.passes.settled();
  }
}
