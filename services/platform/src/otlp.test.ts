// The platform as `npm start` runs it, in its own process, with the standard
// OTEL_* variables pointing at a local OTLP/HTTP collector: traces and metrics
// arrive there, named after the service, without any code change.
import type { ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serviceHeaders, startPlatformProcess, until } from '@hookline/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const received: { path: string; contentType: string; body: Buffer }[] = [];
const serviceKey = `otlp-service-key-${process.pid}-0123456789abcdef`;
let collector: Server;
let child: ChildProcess;
let url: string;

beforeAll(async () => {
  collector = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        path: request.url ?? '',
        contentType: String(request.headers['content-type']),
        body: Buffer.concat(chunks),
      });
      response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
  const started = await startPlatformProcess({
    HOOKLINE_SERVICE_KEY: serviceKey,
    HOOKLINE_DATA_DIR: ':memory:',
    OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
    OTEL_SERVICE_NAME: 'hookline-otlp-test',
    OTEL_BSP_SCHEDULE_DELAY: '100',
    OTEL_METRIC_EXPORT_INTERVAL: '300',
  });
  child = started.child;
  expect(started.listening.tracing).toBe('OTLP endpoint set');
  url = started.url;
}, 90_000);
afterAll(async () => {
  child?.kill('SIGTERM');
  await new Promise((resolve) => child?.once('exit', resolve));
  await new Promise((resolve) => collector.close(resolve));
});

describe('OpenTelemetry configured by OTEL_* variables', () => {
  it('exports traces and metrics over OTLP/HTTP to the configured endpoint', async () => {
    const created = await fetch(`${url}/marketplace/projects`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...serviceHeaders(serviceKey, 'ten_otlp', { 'hookline-actor-role': 'seller', 'hookline-actor-id': 'usr_otlp' }),
      },
      body: JSON.stringify({ title: 'Exported', price: 10, currency: 'EUR', deliveryDeadline: '2027-01-31' }),
    });
    expect(created.status).toBe(201);
    const traces = await until('spans exported to /v1/traces', () =>
      received.find((request) => request.path === '/v1/traces' && request.body.includes('POST /marketplace/projects')),
    );
    // OTLP over HTTP, protobuf or JSON as OTEL_EXPORTER_OTLP_PROTOCOL says.
    expect(traces.contentType).toMatch(/^application\/(x-protobuf|json)$/);
    expect(traces.body.includes('hookline-otlp-test')).toBe(true);
    const metrics = await until('metrics exported to /v1/metrics', () =>
      received.find((request) => request.path === '/v1/metrics' && request.body.includes('hookline.store.operations')),
    );
    expect(metrics.contentType).toMatch(/^application\/(x-protobuf|json)$/);
    // The same instruments are on /metrics for Prometheus.
    expect(await (await fetch(`${url}/metrics`)).text()).toMatch(/^hookline_store_operations_total\{/m);
  }, 60_000);
});
