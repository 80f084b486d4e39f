// Producer spans and consumer lag around a bus backend (the embedded one here;
// the Kafka path is covered end to end by the marketplace trace test).
import { installInMemoryTracing } from '@hookline/telemetry/testing';
import { createPlatformMetrics, inSpan, SpanKind, traceHeaders } from '@hookline/telemetry';
import { afterAll, describe, expect, it } from 'vitest';
import { createEventBus, processMessage, type IncomingMessage } from './index.js';

const tracing = installInMemoryTracing();
afterAll(() => tracing.uninstall());

describe('tracedBus', () => {
  it('gives each published message a producer span continuing the trace it carries, and the consumer a child of it', async () => {
    const metrics = createPlatformMetrics('bus-test', {});
    const bus = createEventBus({ backend: 'embedded', partitions: 1 }, metrics.meter);
    await bus.ensureTopics([{ name: 'orders' }]);
    let carried = '';
    await inSpan('relay', {}, async () => {
      carried = traceHeaders().traceparent!;
      await bus.publish('orders', [
        { key: 'o1', value: '1', headers: { traceparent: carried } },
        { key: 'o1', value: '2', headers: { traceparent: carried } },
      ]);
    });
    await bus.publish('orders', [{ key: 'o1', value: 'untraced' }]);
    const seen: IncomingMessage[] = [];
    const subscription = await bus.subscribe({
      groupId: 'g1',
      topics: ['orders'],
      fromBeginning: true,
      onBatch: async (batch) => {
        for (const message of batch.messages) await processMessage(message, {}, async () => void seen.push(message));
      },
    });
    const deadline = Date.now() + 5_000;
    while (seen.length < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    await subscription.stop();

    const relay = tracing.spans().find((span) => span.name === 'relay')!;
    const sends = tracing.spans().filter((span) => span.name === 'send orders');
    expect(sends).toHaveLength(2);
    for (const send of sends) {
      expect(send.kind).toBe(SpanKind.PRODUCER);
      expect(send.parentSpanContext?.spanId).toBe(relay.spanContext().spanId);
    }
    expect(seen[0]!.headers.traceparent).toContain(sends[0]!.spanContext().spanId);
    expect(seen[2]!.headers.traceparent, 'no trace to join: no span, no header').toBeUndefined();
    const processed = tracing.spans().filter((span) => span.name === 'process orders');
    expect(processed.map((span) => span.parentSpanContext?.spanId)).toEqual([
      sends[0]!.spanContext().spanId,
      sends[1]!.spanContext().spanId,
      undefined,
    ]);

    // After the batch, the group has read everything: lag 0 on the partition.
    expect(await metrics.prometheus()).toMatch(
      /^hookline_consumer_lag\{messaging_consumer_group_name="g1",messaging_destination_name="orders",messaging_destination_partition_id="0"\} 0$/m,
    );
    await bus.close();
  });
});
