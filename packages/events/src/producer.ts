// The producer library other teams' services use to publish catalog events:
// validate, wrap in the CloudEvent envelope, produce with kafkajs.
import { context, propagation } from '@opentelemetry/api';
import { Kafka, logLevel, Partitioners, type KafkaConfig, type Producer } from 'kafkajs';
import { createEvent, toKafkaMessage, type EventInput, type HooklineEvent } from './envelope.js';
import type { EventDefinition } from './define.js';

export interface EventProducerOptions {
  brokers: string[];
  clientId?: string;
  /** CloudEvent `source` of every event, e.g. `/billing-service`; defaults to `/hookline/<domain>`. */
  source?: string;
  /** Looks up types registered beside the catalog; the catalog itself by default. */
  lookup?: (type: string) => Pick<EventDefinition, 'data'> | undefined;
  kafkaConfig?: Partial<KafkaConfig>;
}

export interface EventProducer {
  connect(): Promise<void>;
  /**
   * Validates every event first (nothing is sent if one is invalid: the
   * EventValidationError names the field and the rule), then produces them in
   * one request. Resolves once all in-sync replicas have them.
   */
  publish(events: EventInput | EventInput[]): Promise<HooklineEvent[]>;
  disconnect(): Promise<void>;
}

/** The W3C trace context of the caller's active span, if tracing is on. */
function activeTraceContext(): { traceparent?: string; tracestate?: string } {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return {
    ...(carrier.traceparent ? { traceparent: carrier.traceparent } : {}),
    ...(carrier.tracestate ? { tracestate: carrier.tracestate } : {}),
  };
}

export function createEventProducer(options: EventProducerOptions): EventProducer {
  const kafka = new Kafka({
    clientId: options.clientId ?? 'hookline-producer',
    brokers: options.brokers,
    logLevel: logLevel.WARN,
    ...options.kafkaConfig,
  });
  // Idempotent: a retried send is written once, in order, per partition. The
  // partitioner is named, not left to the default: murmur2 of the key, as the
  // Java client and librdkafka's `murmur2_random` do (docs/producers.md), so
  // every producer puts an aggregate on the same partition.
  const producer: Producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 5,
    allowAutoTopicCreation: true,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  let connected: Promise<void> | undefined;
  const connect = () => (connected ??= producer.connect());

  return {
    connect,
    async publish(input) {
      const trace = activeTraceContext();
      const events = (Array.isArray(input) ? input : [input]).map((event) =>
        createEvent({ ...trace, ...(options.source ? { source: options.source } : {}), ...event }, options.lookup),
      );
      const byTopic = new Map<string, ReturnType<typeof toKafkaMessage>[]>();
      for (const event of events) {
        const message = toKafkaMessage(event);
        byTopic.set(message.topic, [...(byTopic.get(message.topic) ?? []), message]);
      }
      await connect();
      await producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, messages]) => ({
          topic,
          messages: messages.map(({ key, value, headers, timestamp }) => ({ key, value, headers, timestamp })),
        })),
      });
      return events;
    },
    async disconnect() {
      if (connected) await connected.catch(() => undefined);
      connected = undefined;
      await producer.disconnect();
    },
  };
}
