// Issue 18, finding by finding, black-box over real HTTP against the whole
// platform in one process (npm start's services) on the run's real Kafka
// broker and FerretDB server: who may call what (every route of the OpenAPI
// document, with and without each credential), the Host guard, the bounds and
// paging, the rate limit keyed on the caller, secret rotation, header values,
// port-scoped allow-list entries, reserved header names and the SSRF ranges.
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDispatcherService } from '@hookline/dispatcher';
import { startPlatform } from '@hookline/platform';
import { runServices, type RunningPlatform } from '@hookline/runtime';
import { serviceHeaders, startReceiver, testPlatformEnv, until, type Receiver } from '@hookline/testkit';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const id = randomUUID().slice(0, 8);
const adminKey = `security-admin-${randomUUID()}`;
const serviceKey = `security-service-${randomUUID()}`;
let platform: RunningPlatform;
let receiver: Receiver;
let other: Receiver;

beforeAll(async () => {
  // Receivers first: the allow-list names their ports, and nothing else on 127.0.0.1.
  receiver = await startReceiver();
  other = await startReceiver();
  platform = await startPlatform({
    installSignals: false,
    env: {
      ...testPlatformEnv({
        name: 'security',
        id,
        adminKey,
        serviceKey,
        topics: ['hookline.marketplace', 'hookline.accounting', 'hookline.coworking'],
      }),
      HOOKLINE_URL_ALLOWLIST: `127.0.0.1:${new URL(receiver.url).port}`,
      HOOKLINE_MAX_CONNECTIONS_PER_TENANT: '5',
      SCHEDULER_MAX_REMINDER_RULES: '3',
    },
  });
}, 180_000);
afterAll(async () => {
  await platform?.stop();
  await receiver?.close();
  await other?.close();
});

interface Answer {
  status: number;
  headers: Headers;
  json: Record<string, unknown>;
}

/** One call over real HTTP; `key` is sent as a bearer token. */
async function call(
  method: string,
  path: string,
  options: { key?: string; headers?: Record<string, string>; body?: unknown } = {},
): Promise<Answer> {
  const response = await fetch(`${platform.url}${path}`, {
    method,
    headers: {
      ...(options.key ? { authorization: `Bearer ${options.key}` } : {}),
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...options.headers,
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  let json: Record<string, unknown> = {};
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    json = { text };
  }
  return { status: response.status, headers: response.headers, json };
}

async function newTenant(name = 'tenant'): Promise<{ id: string; apiKey: string }> {
  const created = await call('POST', '/v1/tenants', { key: adminKey, body: { name } });
  expect(created.status).toBe(201);
  return created.json as { id: string; apiKey: string };
}

const connection = (url: string, extra: Record<string, unknown> = {}) => ({
  name: 'receiver',
  url,
  filter: { eventTypes: ['accounting.partner.*', 'coworking.lead.*'] },
  retry: { maxAttempts: 1, timeoutMs: 2000 },
  ...extra,
});

describe('finding 1: the product and scheduler routes need a credential that proves the tenant', () => {
  it("a partner written for tenant B without a key, or with tenant A's key, is refused and reaches no receiver; B's own key writes it and B's receiver gets it signed", async () => {
    const a = await newTenant('A');
    const b = await newTenant('B');
    const created = await call('POST', '/v1/connections', { key: b.apiKey, body: connection(receiver.url) });
    expect(created.status).toBe(201);
    const secret = String(created.json.secret);
    const before = receiver.requests.length;

    const anonymous = await call('POST', '/accounting/partners', {
      headers: { 'hookline-tenant': b.id },
      body: { name: 'Forged UAB', email: 'forged@example.com' },
    });
    expect(anonymous.status).toBe(401);
    expect(anonymous.json.error).toBe('unauthorized');
    const withAKey = await call('POST', '/accounting/partners', {
      key: a.apiKey,
      headers: { 'hookline-tenant': b.id },
      body: { name: 'Forged UAB' },
    });
    expect(withAKey.status).toBe(403);
    expect(withAKey.json.error).toBe('tenant_mismatch');
    const forgedActor = await call('POST', '/accounting/partners', {
      key: b.apiKey,
      headers: { 'hookline-actor': 'user:1' },
      body: { name: 'Forged UAB' },
    });
    expect(forgedActor.status).toBe(403);
    expect(forgedActor.json.error).toBe('actor_not_allowed');
    // Nothing was read either.
    expect((await call('GET', '/accounting/partners', { headers: { 'hookline-tenant': b.id } })).status).toBe(401);

    const own = await call('POST', '/accounting/partners', {
      key: b.apiKey,
      body: { name: 'UAB Tikras', email: 'info@tikras.lt' },
    });
    expect(own.status).toBe(201);
    const webhook = await until("B's partner webhook", () =>
      receiver.requests
        .slice(before)
        .find((request) => (request.json as { type?: string }).type === 'accounting.partner.created'),
    );
    const headers = Object.fromEntries(Object.entries(webhook.headers).map(([name, value]) => [name, String(value)]));
    const body = new Webhook(secret).verify(webhook.body, headers) as { data: { after: { name: string } } };
    expect(body.data.after.name).toBe('UAB Tikras');
    // Only B's own write arrived: none of the refused ones.
    expect(receiver.requests.slice(before).filter((request) => request.body.includes('Forged'))).toEqual([]);
    const listed = await call('GET', '/accounting/partners', { key: b.apiKey });
    expect((listed.json.data as { name: string }[]).map((partner) => partner.name)).toEqual(['UAB Tikras']);
    // The tenant key acts as the tenant's own system: the actor recorded is the API key.
    expect((await call('GET', '/accounting/partners', { key: a.apiKey })).json.data).toEqual([]);
  });

  it("a seller's plan is set only by the marketplace itself: not anonymously, not by a seller", async () => {
    const b = await newTenant('marketplace');
    const plan = { name: 'Pro', activeProjects: 100, addonsPerProject: 10, stagesPerProject: 10, commissionRate: 0 };
    expect(
      (
        await call('PUT', '/marketplace/sellers/s1', {
          headers: { 'hookline-tenant': b.id },
          body: { name: 'S1', plan },
        })
      ).status,
    ).toBe(401);
    const asSeller = await call('PUT', '/marketplace/sellers/s1', {
      headers: serviceHeaders(serviceKey, b.id, { 'hookline-actor-role': 'seller', 'hookline-actor-id': 's1' }),
      body: { name: 'S1', plan },
    });
    expect(asSeller.status).toBe(403);
    const bySystem = await call('PUT', '/marketplace/sellers/s1', { key: b.apiKey, body: { name: 'S1', plan } });
    expect(bySystem.status, JSON.stringify(bySystem.json)).toBe(200);
  });

  it('a buyer role is proven by the service credential only: a header alone or on a tenant key is refused', async () => {
    const b = await newTenant('marketplace');
    const seller = serviceHeaders(serviceKey, b.id, {
      'hookline-actor-role': 'seller',
      'hookline-actor-id': 'usr_seller',
    });
    const buyer = { id: 'usr_buyer', name: 'Ilze' };
    const draft = await call('POST', '/marketplace/projects', {
      headers: seller,
      body: { title: 'Skapji', price: 1250, currency: 'EUR', deliveryDeadline: '2030-01-31' },
    });
    expect(draft.status, JSON.stringify(draft.json)).toBe(201);
    const project = String(draft.json.projectId);
    expect(
      (await call('POST', `/marketplace/projects/${project}/send-offer`, { headers: seller, body: { buyer } })).status,
    ).toBe(200);

    const declineAsBuyer = { 'hookline-tenant': b.id, 'hookline-actor-role': 'buyer', 'hookline-actor-id': buyer.id };
    expect(
      (await call('POST', `/marketplace/projects/${project}/decline-offer`, { headers: declineAsBuyer, body: {} }))
        .status,
    ).toBe(401);
    const onTenantKey = await call('POST', `/marketplace/projects/${project}/decline-offer`, {
      key: b.apiKey,
      headers: { 'hookline-actor-role': 'buyer', 'hookline-actor-id': buyer.id },
      body: {},
    });
    expect(onTenantKey.status).toBe(403);
    expect(onTenantKey.json.error).toBe('actor_not_allowed');
    // The tenant key acts as the marketplace's system, which may not decline an offer.
    expect(
      (await call('POST', `/marketplace/projects/${project}/decline-offer`, { key: b.apiKey, body: {} })).json.error,
    ).toBe('wrong_party');
    expect((await call('GET', `/marketplace/projects/${project}`, { key: b.apiKey })).json.status).toBe('sent');

    const declined = await call('POST', `/marketplace/projects/${project}/decline-offer`, {
      headers: serviceHeaders(serviceKey, b.id, { 'hookline-actor-role': 'buyer', 'hookline-actor-id': buyer.id }),
      body: {},
    });
    expect(declined.status, JSON.stringify(declined.json)).toBe(200);
    expect(declined.json.status).toBe('declined');
    expect((declined.json.events as { type: string }[]).map((event) => event.type)).toEqual([
      'marketplace.project.new_declined',
    ]);
    // The service credential must name the tenant it acts for.
    const unnamed = await call('GET', `/marketplace/projects/${project}`, {
      key: serviceKey,
      headers: { 'hookline-actor-role': 'system' },
    });
    expect(unnamed.status).toBe(400);
  });

  it('every route of the OpenAPI document enforces the credentials it states, and no anonymous route changes anything', async () => {
    const tenant = await newTenant('matrix');
    const document = (await call('GET', '/docs/json')).json as {
      paths: Record<string, Record<string, { security?: Record<string, string[]>[] }>>;
      components: { securitySchemes: Record<string, unknown> };
    };
    expect(Object.keys(document.components.securitySchemes).sort()).toEqual(['adminKey', 'serviceKey', 'tenantKey']);
    const credentials: Record<string, { key: string; headers?: Record<string, string> }> = {
      adminKey: { key: adminKey },
      tenantKey: { key: tenant.apiKey },
      serviceKey: { key: serviceKey, headers: { 'hookline-tenant': tenant.id, 'hookline-actor-role': 'system' } },
    };
    const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({
        path,
        method: method.toUpperCase(),
        schemes: (operation.security ?? []).flatMap((requirement) => Object.keys(requirement)),
      })),
    );
    const problems: string[] = [];
    let checked = 0;
    for (const operation of operations) {
      const url = operation.path.replace(/\{[^}]+\}/g, '1');
      const what = `${operation.method} ${operation.path}`;
      const body = ['GET', 'DELETE'].includes(operation.method) ? undefined : {};
      const anonymous = await call(operation.method, url, { body });
      if (operation.schemes.length === 0) {
        if (operation.method !== 'GET') problems.push(`${what}: changes something and states no credential`);
        if (anonymous.status === 401) problems.push(`${what}: states no credential but answers 401`);
        continue;
      }
      checked += 1;
      if (anonymous.status !== 401) problems.push(`${what}: answers ${anonymous.status} without a credential`);
      for (const [scheme, credential] of Object.entries(credentials)) {
        const answer = await call(operation.method, url, {
          key: credential.key,
          headers: credential.headers ?? {},
          body,
        });
        const refused =
          answer.status === 401 || (answer.status === 403 && /^this route needs/.test(String(answer.json.message)));
        if (operation.schemes.includes(scheme) && refused)
          problems.push(`${what}: states ${scheme} but refuses it (${answer.status} ${String(answer.json.message)})`);
        if (!operation.schemes.includes(scheme) && !refused)
          problems.push(`${what}: does not state ${scheme} but accepts it (${answer.status})`);
      }
    }
    expect(problems).toEqual([]);
    // The product, scheduler and management routes were all among them.
    for (const prefix of ['/marketplace/', '/accounting/', '/coworking/', '/scheduler/', '/v1/'])
      expect(
        operations.some((operation) => operation.path.startsWith(prefix) && operation.schemes.length > 0),
        prefix,
      ).toBe(true);
    expect(checked).toBeGreaterThan(100);
  }, 120_000);

  it('answers only the host names it serves (DNS rebinding), and binds to loopback unless HOST says otherwise', async () => {
    const port = new URL(platform.url).port;
    const raw = (host: string) =>
      new Promise<number>((resolve, reject) => {
        const request = httpRequest(
          { host: '127.0.0.1', port, path: '/v1/connections', headers: { host, authorization: `Bearer ${adminKey}` } },
          (response) => {
            response.resume();
            resolve(response.statusCode ?? 0);
          },
        );
        request.on('error', reject);
        request.end();
      });
    expect(await raw(`rebound.attacker.example:${port}`)).toBe(421);
    expect(await raw('rebound.attacker.example')).toBe(421);
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `app.localhost:${port}`, `[::1]:${port}`])
      expect(await raw(host), host).toBe(403);

    const byDefault = await runServices('security-bind', [createDispatcherService], {
      installSignals: false,
      env: { PORT: '0', LOG_LEVEL: 'silent', HOOKLINE_DATA_DIR: ':memory:' },
    });
    try {
      expect((byDefault.app.server.address() as AddressInfo).address).toBe('127.0.0.1');
    } finally {
      await byDefault.stop();
    }
  });
});

describe('finding 2: the operator routes need the admin key', () => {
  it('lists and retries timers for the admin key only', async () => {
    const tenant = await newTenant();
    for (const key of [undefined, tenant.apiKey, serviceKey]) {
      const headers: Record<string, string> = key === serviceKey ? { 'hookline-tenant': tenant.id } : {};
      const list = await call('GET', '/scheduler/timers', { ...(key ? { key } : {}), headers });
      expect(list.status).toBe(key ? 403 : 401);
      const retry = await call('POST', '/scheduler/timers/coworking.reminder%3Ax%2Fy/retry', {
        ...(key ? { key } : {}),
        headers,
      });
      expect(retry.status).toBe(key ? 403 : 401);
    }
    expect((await call('GET', '/scheduler/timers', { key: adminKey })).status).toBe(200);
    expect((await call('POST', '/scheduler/timers/none/retry', { key: adminKey })).status).toBe(404);
  });
});

describe('finding 3: every input is bounded, the connection list is paged, and a limit reached is named', () => {
  it('refuses a tenant its sixth connection (HOOKLINE_MAX_CONNECTIONS_PER_TENANT=5) with 422 naming the limit', async () => {
    const tenant = await newTenant();
    for (let n = 0; n < 5; n++)
      expect(
        (
          await call('POST', '/v1/connections', {
            key: tenant.apiKey,
            body: connection(receiver.url, { name: `c${n}` }),
          })
        ).status,
      ).toBe(201);
    const sixth = await call('POST', '/v1/connections', { key: tenant.apiKey, body: connection(receiver.url) });
    expect(sixth.status).toBe(422);
    expect(sixth.json).toMatchObject({ error: 'limit_reached', limit: 'connections_per_tenant', max: 5, current: 5 });
    expect(String(sixth.json.message)).toContain('HOOKLINE_MAX_CONNECTIONS_PER_TENANT');
    // Another tenant is not affected.
    expect(
      (await call('POST', '/v1/connections', { key: (await newTenant()).apiKey, body: connection(receiver.url) }))
        .status,
    ).toBe(201);
  });

  it('pages GET /v1/connections with a cursor, oldest first, at most 100 a page', async () => {
    const tenant = await newTenant();
    const ids: string[] = [];
    for (let n = 0; n < 5; n++)
      ids.push(
        String(
          (
            await call('POST', '/v1/connections', {
              key: tenant.apiKey,
              body: connection(receiver.url, { name: `c${n}` }),
            })
          ).json.id,
        ),
      );
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await call('GET', `/v1/connections?limit=2${cursor ? `&cursor=${cursor}` : ''}`, {
        key: tenant.apiKey,
      });
      expect((page.json.data as unknown[]).length).toBeLessThanOrEqual(2);
      seen.push(...(page.json.data as { id: string }[]).map((listed) => listed.id));
      cursor = page.json.nextCursor as string | null;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(ids);
    expect((await call('GET', '/v1/connections?limit=101', { key: tenant.apiKey })).status).toBe(400);
    expect((await call('GET', '/v1/connections?cursor=not-a-cursor', { key: tenant.apiKey })).json).toMatchObject({
      issues: [{ path: 'query.cursor' }],
    });
  });

  it('refuses oversized filters, URLs and headers with a 400 naming the bound', async () => {
    const { apiKey } = await newTenant();
    const refused = async (extra: Record<string, unknown>) => {
      const answer = await call('POST', '/v1/connections', { key: apiKey, body: connection(receiver.url, extra) });
      expect(answer.status).toBe(400);
      return (answer.json.issues as { path: string; message: string }[]).map(
        (issue) => `${issue.path}: ${issue.message}`,
      );
    };
    const patterns = Array.from({ length: 5000 }, (_, n) => `coworking.type_${n}.*`);
    expect(await refused({ filter: { eventTypes: patterns } })).toContain(
      'body.filter.eventTypes: at most 100 event type patterns per connection',
    );
    expect(await refused({ url: `${receiver.url}?${'q'.repeat(2100)}` })).toContain(
      'body.url: at most 2048 characters',
    );
    expect(
      await refused({ headers: Object.fromEntries(Array.from({ length: 21 }, (_, n) => [`X-H${n}`, 'v'])) }),
    ).toContain('body.headers: at most 20 custom headers');
    expect(
      await refused({ headers: { 'X-A': 'a'.repeat(4000), 'X-B': 'b'.repeat(4000), 'X-C': 'c'.repeat(1000) } }),
    ).toContain('body.headers: at most 8192 bytes of custom header names and values together');
  });

  it('refuses a tenant its fourth reminder rule (SCHEDULER_MAX_REMINDER_RULES=3), but lets it change the ones it has', async () => {
    const { apiKey } = await newTenant();
    const rule = { daysFromDueDate: -3, unitTimeZone: 'America/Sao_Paulo' };
    for (const ruleId of [1, 2, 3])
      expect((await call('PUT', `/scheduler/reminder-rules/${ruleId}`, { key: apiKey, body: rule })).status).toBe(200);
    const fourth = await call('PUT', '/scheduler/reminder-rules/4', { key: apiKey, body: rule });
    expect(fourth.status).toBe(422);
    expect(fourth.json).toMatchObject({
      error: 'limit_reached',
      limit: 'reminder_rules_per_tenant',
      max: 3,
      current: 3,
    });
    expect(
      (await call('PUT', '/scheduler/reminder-rules/2', { key: apiKey, body: { ...rule, daysFromDueDate: 1 } })).status,
    ).toBe(200);
    expect((await call('GET', '/scheduler/reminder-rules', { key: apiKey })).json.data).toHaveLength(3);
    expect((await call('PUT', '/scheduler/reminder-rules/99999999999', { key: apiKey, body: rule })).status).toBe(400);
  });
});

describe('finding 4: the rate limit is keyed on the caller, counts refused requests, and covers every route', () => {
  let limited: RunningPlatform;
  const limitedCall = (path: string, headers: Record<string, string> = {}, method = 'GET', body?: unknown) =>
    fetch(`${limited.url}${path}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  beforeAll(async () => {
    limited = await startPlatform({
      installSignals: false,
      env: {
        ...testPlatformEnv({ name: 'security-limit', id, adminKey, serviceKey, topics: [`security-${id}.none`] }),
        HOOKLINE_RATE_LIMIT_PER_MINUTE: '5',
        HOOKLINE_SERVICE_RATE_LIMIT_PER_MINUTE: '3',
        // As behind a reverse proxy on this machine: the client address is the one it forwards.
        HOOKLINE_TRUST_PROXY: '127.0.0.1',
      },
    });
  }, 120_000);
  afterAll(() => limited?.stop());

  it('counts every spelling of the Authorization scheme against the same tenant, on product routes too', async () => {
    // The tenant is created before the minute's window matters: windows are fixed, so the test may straddle one; it retries once.
    for (let attempt = 0; ; attempt++) {
      const tenant = (await (
        await limitedCall('/v1/tenants', { authorization: `Bearer ${adminKey}` }, 'POST', { name: `t${attempt}` })
      ).json()) as { apiKey: string };
      const spellings = [
        `Bearer ${tenant.apiKey}`,
        `bearer ${tenant.apiKey}`,
        `BEARER ${tenant.apiKey}`,
        `Bearer  ${tenant.apiKey}`,
        `Bearer\t${tenant.apiKey}`,
        `bEaReR ${tenant.apiKey} `,
      ];
      const statuses: number[] = [];
      for (const [n, authorization] of spellings.entries())
        statuses.push(
          (await limitedCall(n % 2 === 0 ? '/v1/connections' : '/accounting/partners', { authorization })).status,
        );
      if (statuses.slice(0, 5).every((status) => status === 200) || attempt === 1) {
        expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
        break;
      }
    }
  });

  it('counts refused guesses per address before answering 401, while a known key keeps its own budget', async () => {
    for (let attempt = 0; ; attempt++) {
      const tenant = (await (
        await limitedCall('/v1/tenants', { authorization: `Bearer ${adminKey}` }, 'POST', { name: `g${attempt}` })
      ).json()) as { apiKey: string };
      expect((await limitedCall('/v1/connections', { authorization: `Bearer ${tenant.apiKey}` })).status).toBe(200);
      const guesses: number[] = [];
      for (let n = 0; n < 7; n++)
        guesses.push(
          (await limitedCall('/v1/connections', { authorization: `Bearer hk_guess${n}${randomUUID()}` })).status,
        );
      const anonymous = await limitedCall('/marketplace/projects/p1', { 'hookline-tenant': 'someone' });
      const guessedAdmin = await limitedCall('/scheduler/timers', {
        authorization: `Bearer not-the-admin-key-${randomUUID()}`,
      });
      if (guesses.slice(0, 5).every((status) => status === 401) || attempt === 1) {
        expect(guesses).toEqual([401, 401, 401, 401, 401, 429, 429]);
        expect(anonymous.status).toBe(429);
        expect(guessedAdmin.status).toBe(429);
        expect(Number(guessedAdmin.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(await guessedAdmin.json()).toMatchObject({ error: 'rate_limited' });
        // The tenant whose key is known is not held back by the guesses from its address.
        expect((await limitedCall('/v1/connections', { authorization: `Bearer ${tenant.apiKey}` })).status).toBe(200);
        break;
      }
    }
  });

  it('behind a trusted proxy, counts each forwarded client address apart', async () => {
    for (let attempt = 0; ; attempt++) {
      const guess = (client: string) =>
        limitedCall('/v1/connections', { authorization: `Bearer hk_guess${randomUUID()}`, 'x-forwarded-for': client });
      const first: number[] = [];
      for (let n = 0; n < 6; n++) first.push((await guess(`198.51.100.${10 + attempt}`)).status);
      const second = (await guess(`198.51.100.${20 + attempt}`)).status;
      if (first.slice(0, 5).every((status) => status === 401) || attempt === 1) {
        expect(first).toEqual([401, 401, 401, 401, 401, 429]);
        expect(second).toBe(401);
        break;
      }
    }
  });

  it('gives the service credential a budget per tenant acted for', async () => {
    for (let attempt = 0; ; attempt++) {
      const statuses: number[] = [];
      for (let n = 0; n < 4; n++)
        statuses.push((await limitedCall('/coworking/lead/1', serviceHeaders(serviceKey, `svc-a-${attempt}`))).status);
      const otherTenant = (await limitedCall('/coworking/lead/1', serviceHeaders(serviceKey, `svc-b-${attempt}`)))
        .status;
      if (statuses.slice(0, 3).every((status) => status !== 429) || attempt === 1) {
        expect(statuses[3]).toBe(429);
        expect(statuses.slice(0, 3)).not.toContain(429);
        expect(otherTenant).not.toBe(429);
        break;
      }
    }
  });
});

describe('finding 5: the low ones', () => {
  it('a rotation keeps only the newest previous secret signing', async () => {
    const { apiKey } = await newTenant();
    const created = await call('POST', '/v1/connections', { key: apiKey, body: connection(receiver.url) });
    const secrets = [String(created.json.secret)];
    for (let n = 0; n < 3; n++)
      secrets.push(
        String(
          (await call('POST', `/v1/connections/${String(created.json.id)}/rotate-secret`, { key: apiKey })).json.secret,
        ),
      );
    const before = receiver.requests.length;
    const test = await call('POST', `/v1/connections/${String(created.json.id)}/test`, {
      key: apiKey,
      body: { eventType: 'coworking.lead.created' },
    });
    expect(test.json).toMatchObject({ ok: true });
    const request = receiver.requests[before]!;
    const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, String(value)]));
    expect(headers['webhook-signature']!.split(' ')).toHaveLength(2);
    expect(() => new Webhook(secrets[3]!).verify(request.body, headers)).not.toThrow();
    expect(() => new Webhook(secrets[2]!).verify(request.body, headers)).not.toThrow();
    for (const retired of secrets.slice(0, 2))
      expect(() => new Webhook(retired).verify(request.body, headers)).toThrow();
  });

  it('refuses header values with CR, LF or NUL when a connection is saved or changed', async () => {
    const { apiKey } = await newTenant();
    for (const value of ['a\r\nX-Injected: yes', 'line\nfeed', 'nul\u0000']) {
      const answer = await call('POST', '/v1/connections', {
        key: apiKey,
        body: connection(receiver.url, { headers: { 'X-Token': value } }),
      });
      expect(answer.status, JSON.stringify(value)).toBe(400);
      expect(answer.json.issues).toEqual([
        expect.objectContaining({ path: 'body.headers.X-Token', message: expect.stringContaining('RFC 9110') }),
      ]);
    }
    const saved = await call('POST', '/v1/connections', {
      key: apiKey,
      body: connection(receiver.url, { headers: { 'X-Token': 'fine value' } }),
    });
    expect(saved.status).toBe(201);
    expect(
      (
        await call('PATCH', `/v1/connections/${String(saved.json.id)}`, {
          key: apiKey,
          body: { headers: { 'X-Token': 'x\r\ny' } },
        })
      ).status,
    ).toBe(400);
  });

  it("an allow-list entry with a port admits that port only: a connection cannot post to the platform's own routes", async () => {
    const { apiKey } = await newTenant();
    const platformPort = new URL(platform.url).port;
    for (const url of [
      `http://127.0.0.1:${platformPort}/accounting/partners`,
      `http://localhost:${platformPort}/scheduler/reminder-rules/1`,
      other.url,
    ]) {
      const answer = await call('POST', '/v1/connections', { key: apiKey, body: connection(url) });
      expect(answer.status, url).toBe(400);
      expect(answer.json.issues).toEqual([expect.objectContaining({ path: 'body.url' })]);
    }
    expect((await call('POST', '/v1/connections', { key: apiKey, body: connection(receiver.url) })).status).toBe(201);
  });

  it('reserves every hookline-* header name', async () => {
    const { apiKey } = await newTenant();
    for (const name of ['hookline-tenant', 'Hookline-Actor-Role', 'HOOKLINE-ACTOR', 'hookline-anything']) {
      const answer = await call('POST', '/v1/connections', {
        key: apiKey,
        body: connection(receiver.url, { headers: { [name]: 'ten_other' } }),
      });
      expect(answer.status, name).toBe(400);
      expect(answer.json.issues).toEqual([expect.objectContaining({ path: `body.headers.${name}` })]);
    }
  });

  it('refuses IPv4-translated, local-use NAT64 and Teredo addresses when a connection is saved', async () => {
    const { apiKey } = await newTenant();
    for (const url of [
      'http://[::ffff:0:7f00:1]/hook',
      'http://[::ffff:0:a9fe:a9fe]/latest/meta-data',
      'http://[64:ff9b:1::a00:1]/hook',
      'http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/hook',
    ]) {
      const answer = await call('POST', '/v1/connections', { key: apiKey, body: connection(url) });
      expect(answer.status, url).toBe(400);
      expect(answer.json.issues).toEqual([expect.objectContaining({ path: 'body.url' })]);
    }
  });
});
