// Tracing and consumer-lag metrics around any EventBus backend. Each published
// message gets a producer span whose parent is the trace context the message
// already carries (the relay puts the event's there) or the active one, and the
// message's `traceparent` header becomes that span, so a consumer's span is its
// child. Messages with no trace to join get no span (no root trace per poll).
import {
  context,
  contextFrom,
  hasSpan,
  inSpan,
  SpanKind,
  trace,
  traceHeaders,
  tracer,
  type Meter,
  type Span,
} from '@hookline/telemetry';
import type { Batch, EventBus, IncomingMessage, OutgoingMessage, SubscribeOptions } from './port.js';

/** The trace context a consumed message carries (W3C headers), to parent a consumer's processing span. */
export function messageTraceContext(message: IncomingMessage) {
  return contextFrom({ traceparent: message.headers.traceparent, tracestate: message.headers.tracestate });
}

function withProducerSpan(
  topic: string,
  message: OutgoingMessage,
): { message: OutgoingMessage; end: (error?: unknown) => void } {
  const carried = message.headers?.traceparent
    ? contextFrom({ traceparent: message.headers.traceparent, tracestate: message.headers.tracestate })
    : context.active();
  if (!hasSpan(carried)) return { message, end: () => undefined };
  const span = tracer.startSpan(
    `send ${topic}`,
    {
      kind: SpanKind.PRODUCER,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.operation.name': 'send',
        'messaging.destination.name': topic,
        ...(message.key ? { 'messaging.kafka.message.key': message.key } : {}),
      },
    },
    carried,
  );
  const headers = { ...message.headers, ...traceHeaders(trace.setSpan(carried, span)) };
  return {
    message: { ...message, headers },
    end: (error) => {
      if (error) span.recordException(error instanceof Error ? error : new Error(String(error)));
      span.end();
    },
  };
}

export function tracedBus(bus: EventBus, meter?: Meter): EventBus {
  // Last known lag per consumer group and partition: messages written but not yet handled.
  const lag = new Map<string, { attributes: Record<string, string | number>; value: number }>();
  meter
    ?.createObservableGauge('hookline.consumer.lag', {
      description: 'Messages in a partition not yet processed by the consumer group (at its last batch)',
      unit: '{message}',
    })
    .addCallback((result) => {
      for (const { attributes, value } of lag.values()) result.observe(value, attributes);
    });
  const recordLag = (groupId: string, batch: Batch) => {
    if (batch.highWatermark === undefined || batch.messages.length === 0) return;
    const next = BigInt(batch.messages[batch.messages.length - 1]!.offset) + 1n;
    const value = Number(BigInt(batch.highWatermark) - next);
    lag.set(`${groupId}\u0000${batch.topic}\u0000${batch.partition}`, {
      attributes: {
        'messaging.consumer.group.name': groupId,
        'messaging.destination.name': batch.topic,
        'messaging.destination.partition.id': batch.partition,
      },
      value: Math.max(0, value),
    });
  };
  return {
    get backend() {
      return bus.backend;
    },
    ensureTopics: (topics) => bus.ensureTopics(topics),
    ping: () => bus.ping(),
    close: () => bus.close(),
    async publish(topic, messages) {
      const traced = messages.map((message) => withProducerSpan(topic, message));
      try {
        await bus.publish(
          topic,
          traced.map((t) => t.message),
        );
        for (const t of traced) t.end();
      } catch (error) {
        for (const t of traced) t.end(error);
        throw error;
      }
    },
    subscribe(options: SubscribeOptions) {
      return bus.subscribe({
        ...options,
        onBatch: async (batch) => {
          const taken = await options.onBatch(batch);
          recordLag(options.groupId, batch);
          return taken;
        },
      });
    },
  };
}

/** Runs a consumer's handling of one message in a span continuing the message's trace. */
export function processMessage<T>(
  message: IncomingMessage,
  attributes: Record<string, string | number>,
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  return inSpan(
    `process ${message.topic}`,
    {
      kind: SpanKind.CONSUMER,
      parent: messageTraceContext(message),
      attributes: {
        'messaging.system': 'kafka',
        'messaging.operation.name': 'process',
        'messaging.destination.name': message.topic,
        'messaging.destination.partition.id': message.partition,
        'messaging.kafka.offset': Number(message.offset),
        ...attributes,
      },
    },
    fn,
  );
}
