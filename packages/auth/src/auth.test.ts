import { createDocumentStore } from '@hookline/store';
import { createHttpServer, createLogger } from '@hookline/http';
import { describe, expect, it } from 'vitest';
import {
  actingFor,
  ApiKeys,
  Authenticator,
  addressKey,
  bearerToken,
  installGate,
  RateLimiter,
  requireCredentials,
} from './index.js';

describe('bearerToken', () => {
  it('reads the token whatever the scheme case and the blanks around it', () => {
    for (const header of [
      'Bearer k1',
      'bearer k1',
      'BEARER k1',
      'Bearer  k1',
      'Bearer\tk1',
      ' bEaReR k1 ',
      'Bearer k1\t',
    ])
      expect(bearerToken(header), JSON.stringify(header)).toBe('k1');
  });

  it('is no credential otherwise', () => {
    for (const header of [undefined, '', 'k1', 'Basic k1', 'Bearer', 'Bearer ', 'Bearer k1 k2', 'Bearerk1', 'Token k1'])
      expect(bearerToken(header), JSON.stringify(header)).toBeUndefined();
    expect(bearerToken(['Bearer a', 'Bearer b'])).toBeUndefined();
  });
});

describe('RateLimiter', () => {
  it('counts per key in fixed windows and starts again when the window ends', () => {
    let now = 60_000 * 10 + 5_000;
    const limiter = new RateLimiter(60_000, 100, () => now);
    expect([1, 2, 3].map(() => limiter.take('a', 2).allowed)).toEqual([true, true, false]);
    expect(limiter.take('b', 2)).toMatchObject({ allowed: true, remaining: 1, limit: 2, resetMs: 55_000 });
    expect(limiter.spent('a', 2)).toBe(true);
    now += 55_000;
    expect(limiter.spent('a', 2)).toBe(false);
    expect(limiter.take('a', 2).allowed).toBe(true);
  });

  it('keeps at most maxKeys counts: further keys share one', () => {
    const limiter = new RateLimiter(60_000, 2, () => 0);
    limiter.take('a', 1);
    limiter.take('b', 1);
    expect(limiter.take('c', 1).allowed).toBe(true);
    expect(limiter.take('d', 1).allowed).toBe(false);
    expect(limiter.take('a', 5).allowed).toBe(true);
  });
});

describe('addressKey', () => {
  it('keys IPv4 as is (mapped too) and IPv6 by its /64', () => {
    expect(addressKey('203.0.113.9')).toBe('203.0.113.9');
    expect(addressKey('::ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:2:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
  });
});

describe('the gate and the credentials a route accepts', () => {
  async function app() {
    const store = createDocumentStore({ backend: 'embedded' });
    const apiKeys = new ApiKeys(store);
    const tenantKey = await apiKeys.issue('ten_a', new Date());
    const authenticator = new Authenticator({
      apiKeys,
      adminKey: 'admin-key-of-at-least-24-chars',
      serviceKey: 'service-key-of-at-least-32-characters!!',
    });
    const server = await createHttpServer({ logger: createLogger({ name: 'auth-test', level: 'silent' }) });
    installGate(server, { authenticator, perMinute: 100, servicePerMinute: 100 });
    await server.register(async (scoped) => {
      requireCredentials(scoped, ['tenant', 'service']);
      scoped.get('/data', async (request) => actingFor(request));
      scoped.get('/about', { config: { access: 'public' } }, async () => ({ ok: true }));
      scoped.get('/ops', { config: { access: ['admin'] } }, async () => ({ ok: true }));
    });
    return { server, tenantKey };
  }

  it('answers 401 without a credential, 403 with the wrong one, and gives the route the tenant acted for', async () => {
    const { server, tenantKey } = await app();
    const get = (url: string, headers: Record<string, string> = {}) => server.inject({ method: 'GET', url, headers });
    expect((await get('/data')).statusCode).toBe(401);
    expect((await get('/data', { authorization: 'Bearer hk_unknown' })).json()).toMatchObject({
      error: 'unauthorized',
    });
    expect((await get('/about')).statusCode).toBe(200);
    expect((await get('/data', { authorization: `bearer  ${tenantKey}` })).json()).toEqual({
      tenant: 'ten_a',
      byService: false,
    });
    expect(
      (await get('/data', { authorization: `Bearer ${tenantKey}`, 'hookline-tenant': 'ten_b' })).json(),
    ).toMatchObject({ error: 'tenant_mismatch' });
    expect(
      (await get('/data', { authorization: `Bearer ${tenantKey}`, 'hookline-actor': 'user:1' })).json(),
    ).toMatchObject({ error: 'actor_not_allowed' });
    const service = { authorization: 'Bearer service-key-of-at-least-32-characters!!' };
    expect((await get('/data', service)).statusCode).toBe(400);
    expect((await get('/data', { ...service, 'hookline-tenant': 'ten_b' })).json()).toEqual({
      tenant: 'ten_b',
      byService: true,
    });
    expect((await get('/data', { ...service, 'hookline-tenant': 'ten b' })).json()).toMatchObject({
      issues: [{ path: 'headers.hookline-tenant', rule: 'tenant_id' }],
    });
    expect((await get('/data', { ...service, 'hookline-tenant': 't'.repeat(101) })).statusCode).toBe(400);
    expect((await get('/data', { authorization: 'Bearer admin-key-of-at-least-24-chars' })).statusCode).toBe(403);
    expect((await get('/ops', { authorization: `Bearer ${tenantKey}` })).statusCode).toBe(403);
    expect((await get('/ops', { authorization: 'Bearer admin-key-of-at-least-24-chars' })).statusCode).toBe(200);
    expect(
      (await get('/ops', { authorization: 'Bearer admin-key-of-at-least-24-chars' })).headers['x-ratelimit-limit'],
    ).toBe('100');
  });

  it('stores only the hash of a key, and looks up only tokens shaped like one', async () => {
    const store = createDocumentStore({ backend: 'embedded' });
    const apiKeys = new ApiKeys(store);
    const key = await apiKeys.issue('ten_a', new Date());
    expect(key).toMatch(/^hk_[A-Za-z0-9_-]{32}$/);
    expect(JSON.stringify(await apiKeys.keys.find({}))).not.toContain(key);
    expect(await apiKeys.tenantOf(key)).toBe('ten_a');
    expect(apiKeys.cached(key)).toBe('ten_a');
    expect(await apiKeys.tenantOf('not-a-key')).toBeNull();
    expect(await apiKeys.tenantOf(`hk_${'x'.repeat(200)}`)).toBeNull();
  });
});
