// One trace from a marketplace command to the webhook, on the real Kafka and
// MongoDB-compatible servers: the caller's traceparent → HTTP server span →
// command → event store append (→ MongoDB insert) → outbox relay → Kafka send →
// dispatcher processing → webhook attempt → the receiver's traceparent header.
import { createDispatcherService } from '@hookline/dispatcher';
import { installInMemoryTracing, type ReadableSpan } from '@hookline/telemetry/testing';
import { SpanKind, tracer, traceHeaders, context, trace } from '@hookline/telemetry';
import { startWebhookPlatform, until, type Receiver, type WebhookPlatform } from '@hookline/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMarketplaceService } from '../src/index.js';

const tracing = installInMemoryTracing();
let world: WebhookPlatform;
let receiver: Receiver;

beforeAll(async () => {
  world = await startWebhookPlatform({
    name: 'trace-test',
    services: [createMarketplaceService, createDispatcherService],
    topics: ['hookline.marketplace'],
  });
  receiver = await world.connect({ eventTypes: ['marketplace.project.new_draft'] });
});
afterAll(async () => {
  await world.stop();
  await tracing.uninstall();
});

const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

describe('tracing', () => {
  it('follows one command through the event store, the relay, Kafka and the dispatcher to the webhook', async () => {
    // The caller is traced too: its span is the root of the whole trace.
    const client = tracer.startSpan('test client', { kind: SpanKind.CLIENT });
    const headers = traceHeaders(trace.setSpan(context.active(), client));
    const response = await fetch(`${world.platform.url}/marketplace/projects`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...world.asService(world.tenant, { 'hookline-actor-role': 'seller', 'hookline-actor-id': 'usr_trace' }),
        ...headers,
      },
      body: JSON.stringify({ title: 'Traced project', price: 100, currency: 'EUR', deliveryDeadline: '2027-01-31' }),
    });
    client.end();
    expect(response.status, await response.clone().text()).toBe(201);
    const webhook = await until('webhook received', () => receiver.requests[0]);

    const traceId = client.spanContext().traceId;
    const received = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/.exec(String(webhook.headers.traceparent));
    expect(received?.[1], 'the webhook continues the caller’s trace').toBe(traceId);

    // The attempt span ends after the answer is recorded: wait for it.
    const spans = await until('the webhook attempt span', () => {
      const all = tracing.spans().filter((span) => span.spanContext().traceId === traceId);
      return all.some((span) => span.name === 'webhook marketplace.project.new_draft') ? all : undefined;
    });
    const named = (name: string) => {
      const found = spans.filter((span) => span.name === name);
      expect(found, `spans named ${name} in ${spans.map((span) => span.name).join(', ')}`).toHaveLength(1);
      return found[0]!;
    };
    const server = named('POST /marketplace/projects');
    const command = named('command create_draft');
    const append = named('eventstore append');
    const insert = named('insertMany marketplace_events');
    const relay = named('outbox relay');
    const send = named('send hookline.marketplace');
    const process = named('process hookline.marketplace');
    const attempt = named('webhook marketplace.project.new_draft');

    expect(parentOf(server)).toBe(client.spanContext().spanId);
    expect(server.kind).toBe(SpanKind.SERVER);
    expect(server.attributes['http.response.status_code']).toBe(201);
    expect(parentOf(command)).toBe(server.spanContext().spanId);
    expect(parentOf(append)).toBe(command.spanContext().spanId);
    expect(parentOf(insert)).toBe(append.spanContext().spanId);
    expect(insert.attributes['db.system.name']).toBe('mongodb');
    expect(parentOf(relay)).toBe(append.spanContext().spanId);
    expect(parentOf(send)).toBe(relay.spanContext().spanId);
    expect(send.kind).toBe(SpanKind.PRODUCER);
    expect(parentOf(process)).toBe(send.spanContext().spanId);
    expect(process.kind).toBe(SpanKind.CONSUMER);
    expect(process.attributes['hookline.matched_connections']).toBe(1);
    expect(parentOf(attempt)).toBe(process.spanContext().spanId);
    expect(attempt.kind).toBe(SpanKind.CLIENT);
    expect(attempt.attributes['http.response.status_code']).toBe(200);
    expect(received?.[2], 'the receiver’s parent is the attempt span').toBe(attempt.spanContext().spanId);
  });
});
