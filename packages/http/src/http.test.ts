import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fileURLToPath } from 'node:url';
import { conflict, forbidden, illegal, invalid, limitReached, notFound, unprocessable } from '@hookline/errors';
import { createHttpServer, createLogger, hostAllowed, installGracefulShutdown, routesFrom, statusOf } from './index.js';

function captureLogs() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString());
      callback();
    },
  });
  return { lines, logger: createLogger({ name: 'test', level: 'info', destination }) };
}

describe('createHttpServer', () => {
  it('answers /health, and /ready from the dependency checks', async () => {
    let mongoUp = true;
    const app = await createHttpServer({
      logger: captureLogs().logger,
      readiness: [
        { name: 'kafka', check: async () => undefined },
        {
          name: 'mongodb',
          check: async () => {
            if (!mongoUp) throw new Error('connection refused');
          },
        },
      ],
    });
    expect((await app.inject({ url: '/health' })).json()).toEqual({ status: 'ok' });
    const ready = await app.inject({ url: '/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', checks: { kafka: 'ok', mongodb: 'ok' } });
    mongoUp = false;
    const notReady = await app.inject({ url: '/ready' });
    expect(notReady.statusCode).toBe(503);
    expect(notReady.json().checks.mongodb).toBe('connection refused');
    await app.close();
  });

  it('rejects invalid input with a 400 naming the field and the rule', async () => {
    const app = await createHttpServer({ logger: captureLogs().logger });
    app.post(
      '/things',
      { schema: { body: z.object({ name: z.string().min(3), count: z.number().int() }) } },
      async (request) => request.body,
    );
    const bad = await app.inject({ method: 'POST', url: '/things', payload: { name: 'ab', count: 1.5 } });
    expect(bad.statusCode).toBe(400);
    const body = bad.json();
    expect(body.error).toBe('bad_request');
    expect(body.issues.map((i: { path: string }) => i.path).sort()).toEqual(['body.count', 'body.name']);
    const malformed = await app.inject({
      method: 'POST',
      url: '/things',
      headers: { 'content-type': 'application/json' },
      payload: '{"name":',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().message).toMatch(/JSON/i);
    const ok = await app.inject({ method: 'POST', url: '/things', payload: { name: 'abc', count: 2 } });
    expect(ok.json()).toEqual({ name: 'abc', count: 2 });
    await app.close();
  });

  it('refuses JSON bodies that are not UTF-8, empty, or poison the prototype, with a 400', async () => {
    const app = await createHttpServer({ logger: captureLogs().logger });
    app.post('/things', async (request) => request.body);
    const post = (payload: string | Buffer) =>
      app.inject({
        method: 'POST',
        url: '/things',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        payload,
      });
    const latin1 = await post(Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]));
    expect(latin1.statusCode).toBe(400);
    expect(latin1.json()).toMatchObject({ error: 'bad_request', message: 'The body is not valid UTF-8' });
    expect((await post('')).statusCode).toBe(400);
    expect((await post('{"__proto__": {"admin": true}}')).statusCode).toBe(400);
    expect((await post('{"constructor": {"prototype": {"admin": true}}}')).statusCode).toBe(400);
    expect((await post('{"name": "Ilze Kalniņa ✓"}')).json()).toEqual({ name: 'Ilze Kalniņa ✓' });
    await app.close();
  });

  it('answers unknown routes with a JSON 404 and hides internal errors behind a 500', async () => {
    const { logger, lines } = captureLogs();
    const app = await createHttpServer({ logger });
    app.get('/boom', async () => {
      throw new Error('database password is hunter2');
    });
    const missing = await app.inject({ url: '/nope?x=1' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ error: 'not_found', message: 'No route for GET /nope' });
    const boom = await app.inject({ url: '/boom' });
    expect(boom.statusCode).toBe(500);
    expect(boom.body).not.toContain('hunter2');
    expect(lines.join('')).toContain('request failed');
    await app.close();
  });

  it('never logs credentials', async () => {
    const { logger, lines } = captureLogs();
    const app = await createHttpServer({ logger });
    app.get('/private', async () => ({ ok: true }));
    await app.inject({ url: '/private', headers: { authorization: 'Bearer sk_live_abcdef' } });
    logger.info({ connection: { secret: 'whsec_topsecret' } }, 'saved');
    const output = lines.join('');
    expect(output).not.toContain('sk_live_abcdef');
    expect(output).not.toContain('whsec_topsecret');
    expect(output).toContain('[redacted]');
    await app.close();
  });

  it('drains an in-flight request before shutting down', async () => {
    const app = await createHttpServer({ logger: captureLogs().logger });
    let release: () => void = () => undefined;
    app.get('/slow', async () => {
      await new Promise<void>((resolve) => (release = resolve));
      return { done: true };
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const inFlight = fetch(`http://127.0.0.1:${port}/slow`);
    await new Promise((r) => setTimeout(r, 100));
    const events: string[] = [];
    let exitCode: number | undefined;
    const { shutdown, dispose } = installGracefulShutdown(app, {
      timeoutMs: 5_000,
      onShutdown: async () => void events.push('drained'),
      exit: (code) => void (exitCode = code),
    });
    const stopping = shutdown('SIGTERM');
    await new Promise((r) => setTimeout(r, 100));
    expect(events).toEqual([]);
    release();
    const response = await inFlight;
    expect(await response.json()).toEqual({ done: true });
    await stopping;
    expect(events).toEqual(['drained']);
    expect(exitCode).toBe(0);
    dispose();
  });
});

describe('the Host guard (DNS rebinding)', () => {
  it('admits IP addresses, localhost names and the listed names; refuses any other name with 421', async () => {
    const allowed = ['hookline.example.com', '.corp.example'];
    for (const host of [
      '127.0.0.1:3000',
      '10.1.2.3',
      '[::1]:3000',
      '[fe80::1]',
      'localhost:3000',
      'LOCALHOST',
      'app.localhost:8080',
      'hookline.example.com',
      'Hookline.Example.Com.:443',
      'corp.example',
      'api.corp.example:3000',
    ]) {
      expect(hostAllowed(host, allowed), host).toBe(true);
    }
    for (const host of [
      undefined,
      '',
      'attacker.example',
      'attacker.example:3000',
      'hookline.example.com.attacker.example',
      'localhost.attacker.example',
      'xcorp.example',
      '[not-an-ip]',
      '127.0.0.1.attacker.example',
    ]) {
      expect(hostAllowed(host, allowed), String(host)).toBe(false);
    }
    expect(hostAllowed('anything.example', ['*'])).toBe(true);

    const app = await createHttpServer({
      logger: createLogger({ name: 'test', level: 'silent' }),
      allowedHosts: allowed,
    });
    expect(
      (await app.inject({ method: 'GET', url: '/health', headers: { host: 'attacker.example' } })).statusCode,
    ).toBe(421);
    expect(
      (await app.inject({ method: 'GET', url: '/health', headers: { host: 'hookline.example.com' } })).statusCode,
    ).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  });

  it('a limit reached answers 422 naming the limit, its maximum and the count', async () => {
    const app = await createHttpServer({ logger: createLogger({ name: 'test', level: 'silent' }) });
    app.get('/full', async () => {
      throw limitReached('at most 2 things', { limit: 'things', max: 2, current: 2 });
    });
    const answer = await app.inject({ method: 'GET', url: '/full' });
    expect(answer.statusCode).toBe(422);
    expect(answer.json()).toEqual({
      error: 'limit_reached',
      message: 'at most 2 things',
      limit: 'things',
      max: 2,
      current: 2,
    });
  });

  it('answers each kind of DomainError with its status, its code and its details', async () => {
    const app = await createHttpServer({ logger: createLogger({ name: 'test', level: 'silent' }) });
    const thrown = {
      illegal: illegal('not in draft', { state: 'open', allowed: ['cancel'] }),
      invalid: invalid('bad dates', {
        issues: [{ path: 'date_due', rule: 'date_order', message: 'before date_invoice' }],
      }),
      notFound: notFound('no invoice 7'),
      conflict: conflict('the stream moved on'),
      forbidden: forbidden('the seller made the request', { role: 'seller' }, 'wrong_party'),
      unprocessable: unprocessable('no event for this', {}, 'not_supported'),
    };
    for (const [name, error] of Object.entries(thrown)) {
      app.get(`/${name}`, async () => {
        throw error;
      });
    }
    const answers = await Promise.all(
      Object.keys(thrown).map((name) => app.inject({ method: 'GET', url: `/${name}` })),
    );
    expect(answers.map((answer) => [answer.statusCode, answer.json()])).toEqual([
      [409, { error: 'illegal_transition', message: 'not in draft', state: 'open', allowed: ['cancel'] }],
      [
        400,
        {
          error: 'invalid',
          message: 'bad dates',
          issues: [{ path: 'date_due', rule: 'date_order', message: 'before date_invoice' }],
        },
      ],
      [404, { error: 'not_found', message: 'no invoice 7' }],
      [409, { error: 'conflict', message: 'the stream moved on' }],
      [403, { error: 'wrong_party', message: 'the seller made the request', role: 'seller' }],
      [422, { error: 'not_supported', message: 'no event for this' }],
    ]);
    expect(Object.values(thrown).map(statusOf)).toEqual([409, 400, 404, 409, 403, 422]);
  });
});

describe('routesFrom', () => {
  it('serves a folder of routes by autoload conventions, passing options to every route and skipping tests', async () => {
    const app = await createHttpServer({ logger: captureLogs().logger });
    const dir = fileURLToPath(new URL('./test-fixtures/routes', import.meta.url));
    await app.register(routesFrom(dir, { greeting: 'hello' }), { prefix: '/svc' });
    expect((await app.inject({ url: '/svc' })).json()).toEqual({ greeting: 'hello' });
    expect((await app.inject({ url: '/svc/items/42' })).json()).toEqual({ id: '42' });
    expect((await app.inject({ url: '/svc/items' })).statusCode).toBe(404);
  });
});
