// Request spans, trace ids in log lines, and /metrics — with spans recorded in memory.
import { Writable } from 'node:stream';
import { installInMemoryTracing } from '@hookline/telemetry/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createHttpServer, createLogger } from './index.js';

const tracing = installInMemoryTracing();
afterAll(() => tracing.uninstall());

function captureLogs() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      callback();
    },
  });
  return { lines, logger: createLogger({ name: 'test', level: 'info', destination }) };
}

describe('request tracing', () => {
  it('records a server span per request that continues the caller’s traceparent, and log lines name it', async () => {
    const { lines, logger } = captureLogs();
    const app = await createHttpServer({ logger });
    app.post('/things/:id', async (request) => {
      request.log.info('handling');
      return { ok: true };
    });
    app.get('/broken', async () => {
      throw new Error('boom');
    });
    const caller = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const answer = await app.inject({
      method: 'POST',
      url: '/things/42?x=1',
      headers: { traceparent: caller },
      payload: { a: 1 },
    });
    expect(answer.statusCode).toBe(200);
    await app.inject({ url: '/broken' });
    await app.inject({ url: '/health' });

    const spans = tracing.spans();
    expect(spans.map((span) => span.name)).toEqual(['POST /things/:id', 'GET /broken']);
    const [post, broken] = spans;
    expect(post!.spanContext().traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(post!.parentSpanContext?.spanId).toBe('b7ad6b7169203331');
    expect(post!.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.route': '/things/:id',
      'url.path': '/things/42',
      'http.response.status_code': 200,
    });
    expect(broken!.status.code).toBe(2);
    expect(broken!.attributes['http.response.status_code']).toBe(500);

    const handling = lines.find((line) => line.msg === 'handling');
    expect(handling).toMatchObject({
      trace_id: '0af7651916cd43dd8448eb211c80319c',
      span_id: post!.spanContext().spanId,
      trace_flags: '01',
    });
    await app.close();
  });

  it('serves /metrics, behind a bearer token when one is configured', async () => {
    const open = await createHttpServer({
      logger: captureLogs().logger,
      metrics: { read: async () => 'hookline_up 1\n' },
    });
    const answer = await open.inject({ url: '/metrics' });
    expect(answer.statusCode).toBe(200);
    expect(answer.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(answer.body).toBe('hookline_up 1\n');
    await open.close();

    const guarded = await createHttpServer({
      logger: captureLogs().logger,
      metrics: { read: async () => 'hookline_up 1\n', token: 'a-metrics-token-of-32-characters' },
    });
    expect((await guarded.inject({ url: '/metrics' })).statusCode).toBe(401);
    expect((await guarded.inject({ url: '/metrics', headers: { authorization: 'Bearer wrong' } })).statusCode).toBe(
      401,
    );
    expect(
      (await guarded.inject({ url: '/metrics', headers: { authorization: 'Bearer a-metrics-token-of-32-characters' } }))
        .body,
    ).toBe('hookline_up 1\n');
    await guarded.close();
  });
});
