// The management API over HTTP (fastify.inject) on the real MongoDB-compatible
// server and the real Kafka broker: tenants, keys, isolation, connections,
// deliveries, custom types, SSRF and bad input.
import { randomUUID } from 'node:crypto';
import { createEvent, toKafkaMessage } from '@hookline/events';
import { runServices, type RunningPlatform } from '@hookline/runtime';
import { MongoDocumentStore } from '@hookline/store';
import { testPlatformEnv } from '@hookline/testkit';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatcherService, type DispatcherService } from '../src/index.js';
import { example, startReceiver, until, type Receiver } from './harness.js';

const adminKey = `admin-${randomUUID()}`;
const id = randomUUID().slice(0, 8);
const topic = `api-${id}.coworking`;
let platform: RunningPlatform;
let receiver: Receiver;
let failing = false;

beforeAll(async () => {
  platform = await runServices('api-test', [createDispatcherService], {
    installSignals: false,
    env: {
      ...testPlatformEnv({ name: 'api', id, adminKey, topics: [topic, `api-${id}.billing`] }),
      // Only this loopback address is admitted: every other internal one stays refused.
      HOOKLINE_URL_ALLOWLIST: '127.0.0.2',
    },
  });
  receiver = await startReceiver(() => (failing ? 500 : 200), '127.0.0.2');
});
afterAll(async () => {
  await receiver.close();
  await platform.stop();
});

const api = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, key: string | null, body?: unknown) =>
  platform.app.inject({
    method,
    url,
    headers: key ? { authorization: `Bearer ${key}` } : {},
    ...(body === undefined ? {} : { payload: body as object }),
  });

async function newTenant(name = 'tenant') {
  const response = await api('POST', '/v1/tenants', adminKey, { name });
  expect(response.statusCode).toBe(201);
  return response.json<{ id: string; apiKey: string }>();
}

const connectionBody = (url: string, extra: Record<string, unknown> = {}) => ({
  name: 'crm',
  url,
  filter: { eventTypes: ['coworking.lead.*', 'billing.*'] },
  headers: { 'X-Receiver-Token': 'receiver-secret-value' },
  retry: { maxAttempts: 1, windowSeconds: 30, timeoutMs: 2000, backoffSeconds: [0.1] },
  ...extra,
});

describe('authentication and tenants', () => {
  it('needs a key, gives tenants a key once and stores only its hash', async () => {
    expect((await api('GET', '/v1/connections', null)).statusCode).toBe(401);
    expect((await api('GET', '/v1/connections', 'not-a-key')).json()).toMatchObject({ error: 'unauthorized' });
    const tenant = await newTenant('Conexa unit 12');
    expect(tenant.apiKey).toMatch(/^hk_/);
    expect((await api('POST', '/v1/tenants', tenant.apiKey, { name: 'x' })).statusCode).toBe(403);
    expect((await api('GET', '/v1/connections', adminKey)).statusCode).toBe(403);
    const stored = await platform.context.store
      .collection<{ _id: string; tenantId: string }>('api_keys')
      .find({ tenantId: tenant.id });
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain(tenant.apiKey);
  });
});

describe('connections', () => {
  it('creates, shows, lists, changes and deletes a connection; the secret is shown at creation only', async () => {
    const { apiKey } = await newTenant();
    const created = await api('POST', '/v1/connections', apiKey, connectionBody(receiver.url));
    expect(created.statusCode).toBe(201);
    const connection = created.json<{
      id: string;
      secret: string;
      uniqueKey: string;
      status: string;
      retry: { maxAttempts: number };
    }>();
    expect(connection.secret).toMatch(/^whsec_/);
    expect(connection.uniqueKey).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(connection).toMatchObject({ status: 'active', retry: { maxAttempts: 1 } });

    const single = (await api('GET', `/v1/connections/${connection.id}`, apiKey)).json<Record<string, unknown>>();
    expect(single.secret).toBeUndefined();
    expect(single.uniqueKey).toBe(connection.uniqueKey);
    expect(single.headers).toEqual({ 'X-Receiver-Token': 'receiver-secret-value' });

    const list = (await api('GET', '/v1/connections', apiKey)).json<{ data: Record<string, unknown>[] }>();
    expect(list.data).toHaveLength(1);
    const listed = JSON.stringify(list.data);
    for (const secretValue of [connection.secret, connection.uniqueKey, 'receiver-secret-value'])
      expect(listed).not.toContain(secretValue);

    const patched = await api('PATCH', `/v1/connections/${connection.id}`, apiKey, {
      active: false,
      name: 'crm (paused)',
    });
    expect(patched.json()).toMatchObject({ active: false, status: 'inactive', name: 'crm (paused)' });
    expect((await api('GET', '/v1/connections?status=inactive', apiKey)).json<{ data: unknown[] }>().data).toHaveLength(
      1,
    );

    expect((await api('DELETE', `/v1/connections/${connection.id}`, apiKey)).statusCode).toBe(204);
    expect((await api('GET', `/v1/connections/${connection.id}`, apiKey)).statusCode).toBe(404);
  });

  it('sends a test and returns the answer; rotating the secret signs with old and new for a day', async () => {
    const { apiKey } = await newTenant();
    const connection = (await api('POST', '/v1/connections', apiKey, connectionBody(receiver.url))).json<{
      id: string;
      secret: string;
    }>();
    const before = receiver.requests.length;
    const test = await api('POST', `/v1/connections/${connection.id}/test`, apiKey, {
      eventType: 'coworking.lead.created',
    });
    expect(test.statusCode).toBe(200);
    expect(test.json()).toMatchObject({ ok: true, status: 200, responseBody: 'answer 200' });
    expect(receiver.requests).toHaveLength(before + 1);

    const rotated = (await api('POST', `/v1/connections/${connection.id}/rotate-secret`, apiKey)).json<{
      secret: string;
    }>();
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(connection.secret);
    await api('POST', `/v1/connections/${connection.id}/test`, apiKey, { eventType: 'coworking.lead.created' });
    const request = receiver.requests.at(-1)!;
    const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, String(value)]));
    expect(headers['webhook-signature']!.split(' ')).toHaveLength(2);
    expect(() => new Webhook(rotated.secret).verify(request.body, headers)).not.toThrow();
    expect(() => new Webhook(connection.secret).verify(request.body, headers)).not.toThrow();

    const unknownType = await api('POST', `/v1/connections/${connection.id}/test`, apiKey, {
      eventType: 'coworking.nothing.here',
    });
    expect(unknownType.statusCode).toBe(400);
    expect(unknownType.json()).toMatchObject({ issues: [{ path: 'body.eventType', rule: 'unknown_event_type' }] });
  });

  it('keeps a rate limit in requests per second, shows it, changes it and removes it with null', async () => {
    const { apiKey } = await newTenant();
    const created = await api('POST', '/v1/connections', apiKey, connectionBody(receiver.url, { rateLimit: 2.5 }));
    expect(created.statusCode).toBe(201);
    const { id: connectionId } = created.json<{ id: string }>();
    expect((await api('GET', `/v1/connections/${connectionId}`, apiKey)).json()).toMatchObject({ rateLimit: 2.5 });
    expect((await api('PATCH', `/v1/connections/${connectionId}`, apiKey, { rateLimit: 40 })).json()).toMatchObject({
      rateLimit: 40,
    });
    const removed = (await api('PATCH', `/v1/connections/${connectionId}`, apiKey, { rateLimit: null })).json<
      Record<string, unknown>
    >();
    expect(removed).not.toHaveProperty('rateLimit');
    const refused = await api('POST', '/v1/connections', apiKey, connectionBody(receiver.url, { rateLimit: 0 }));
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ issues: [{ path: 'body.rateLimit' }] });
  });

  it("sends the connection's natural sample when no type is named (an empty body, or none)", async () => {
    const { apiKey } = await newTenant();
    const typed = (await api('POST', '/v1/connections', apiKey, connectionBody(receiver.url))).json<{ id: string }>();
    const before = receiver.requests.length;
    const empty = await api('POST', `/v1/connections/${typed.id}/test`, apiKey, {});
    expect(empty.statusCode).toBe(200);
    expect(empty.json()).toMatchObject({ ok: true, status: 200 });
    // The first pattern, coworking.lead.*: the first catalog type it matches.
    expect(receiver.requests[before]!.headers['hookline-event-type']).toBe('coworking.lead.created');
    expect((receiver.requests[before]!.json as { type: string }).type).toBe('coworking.lead.created');

    const callback = (
      await api(
        'POST',
        '/v1/connections',
        apiKey,
        connectionBody(receiver.url, {
          filter: { record: { model: 'account.invoice', operations: ['update', 'create'], fields: ['partner_id'] } },
        }),
      )
    ).json<{ id: string }>();
    const none = await platform.app.inject({
      method: 'POST',
      url: `/v1/connections/${callback.id}/test`,
      headers: { authorization: `Bearer ${apiKey}` },
    });
    expect(none.statusCode).toBe(200);
    const request = receiver.requests.at(-1)!;
    expect(request.headers['hookline-event-type']).toBe('accounting.invoice.updated');
    expect(request.json).toMatchObject({
      object: 'account.invoice',
      operation: 'update',
      values: { partner_id: 218 },
      previous_values: { partner_id: 215 },
    });
  });

  it('lists blocked connections and unblocks them, releasing the held deliveries', async () => {
    const { id: tenantId, apiKey } = await newTenant();
    const connection = (await api('POST', '/v1/connections', apiKey, connectionBody(receiver.url))).json<{
      id: string;
    }>();
    failing = true;
    try {
      const data = example('coworking.lead.created');
      const messages = Array.from({ length: 7 }, (_, n) =>
        toKafkaMessage(createEvent({ type: 'coworking.lead.created', subject: `lead-${n}`, tenant: tenantId, data })),
      );
      await platform.context.bus.publish(
        topic,
        messages.map(({ key, value, headers }) => ({ key, value, headers })),
      );
      await until(
        'blocked',
        async () =>
          (await api('GET', '/v1/connections?status=blocked', apiKey)).json<{ data: { id: string }[] }>().data
            .length === 1,
      );
      await until(
        'held',
        async () =>
          (await api('GET', `/v1/deliveries?status=held&connectionId=${connection.id}`, apiKey)).json<{
            data: unknown[];
          }>().data.length === 2,
      );
    } finally {
      failing = false;
    }
    const unblocked = await api('POST', `/v1/connections/${connection.id}/unblock`, apiKey, { releaseHeld: true });
    expect(unblocked.json()).toEqual({ released: 2, discarded: 0 });
    await until(
      'released',
      async () =>
        (await api('GET', `/v1/deliveries?status=succeeded&connectionId=${connection.id}`, apiKey)).json<{
          data: unknown[];
        }>().data.length === 2,
    );
    expect((await api('GET', `/v1/connections/${connection.id}`, apiKey)).json()).toMatchObject({
      status: 'active',
      consecutiveFailures: 0,
    });
    expect(
      (await api('POST', `/v1/connections/${connection.id}/unblock`, apiKey, { releaseHeld: 'yes' })).statusCode,
    ).toBe(400);

    // The five failed deliveries are recovered on request.
    const recovered = await api('POST', `/v1/connections/${connection.id}/recover`, apiKey, {
      since: new Date(Date.now() - 3600_000).toISOString(),
    });
    expect(recovered.json()).toEqual({ recovered: 5 });
    await until(
      'recovered',
      async () =>
        (await api('GET', `/v1/deliveries?status=succeeded&connectionId=${connection.id}`, apiKey)).json<{
          data: unknown[];
        }>().data.length === 7,
    );
  });
});

describe('deliveries', () => {
  it('pages through the log newest first, filters it, shows one delivery with its attempts and redelivers it', async () => {
    const { apiKey } = await newTenant();
    const connection = (await api('POST', '/v1/connections', apiKey, connectionBody(receiver.url))).json<{
      id: string;
    }>();
    for (const type of [
      'coworking.lead.created',
      'coworking.lead.edited',
      'coworking.lead.deleted',
      'coworking.lead.created',
      'coworking.lead.created',
    ]) {
      await api('POST', `/v1/connections/${connection.id}/test`, apiKey, { eventType: type });
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { data: { id: string; createdAt: string }[]; nextCursor: string | null } = (
        await api('GET', `/v1/deliveries?limit=2${cursor ? `&cursor=${cursor}` : ''}`, apiKey)
      ).json();
      seen.push(...page.data.map((delivery) => delivery.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(5);
    const all = (await api('GET', '/v1/deliveries', apiKey)).json<{ data: { id: string; createdAt: string }[] }>().data;
    expect(all.map((delivery) => delivery.id)).toEqual(seen);
    expect([...all].sort((a, b) => b.createdAt.localeCompare(a.createdAt)).map((d) => d.createdAt)).toEqual(
      all.map((d) => d.createdAt),
    );
    expect(
      (await api('GET', '/v1/deliveries?eventType=coworking.lead.created', apiKey)).json<{ data: unknown[] }>().data,
    ).toHaveLength(3);

    const detail = (await api('GET', `/v1/deliveries/${seen[0]}`, apiKey)).json<{
      request: { body: { type: string }; headers: Record<string, string> };
      attemptLog: { status: number }[];
    }>();
    expect(detail.request.body.type).toBe('coworking.lead.created');
    expect(detail.request.headers['webhook-id']).toBe(seen[0]);
    expect(detail.attemptLog).toMatchObject([{ number: 1, status: 200 }]);

    expect((await api('POST', `/v1/deliveries/${seen[0]}/redeliver`, apiKey)).statusCode).toBe(202);
    await until(
      'redelivered',
      async () =>
        (await api('GET', `/v1/deliveries/${seen[0]}`, apiKey)).json<{ attemptLog: unknown[] }>().attemptLog.length ===
        2,
    );
    expect((await api('GET', '/v1/deliveries?cursor=garbage', apiKey)).statusCode).toBe(400);
    expect((await api('GET', '/v1/deliveries?status=lost', apiKey)).statusCode).toBe(400);
  });
});

describe('tenant isolation', () => {
  it("answers 404 for another tenant's connections and deliveries, and never lists them", async () => {
    const a = await newTenant('a');
    const b = await newTenant('b');
    const connection = (await api('POST', '/v1/connections', a.apiKey, connectionBody(receiver.url))).json<{
      id: string;
    }>();
    const test = (
      await api('POST', `/v1/connections/${connection.id}/test`, a.apiKey, { eventType: 'coworking.lead.created' })
    ).json<{ deliveryId: string }>();
    const attempts = [
      api('GET', `/v1/connections/${connection.id}`, b.apiKey),
      api('PATCH', `/v1/connections/${connection.id}`, b.apiKey, { active: false }),
      api('DELETE', `/v1/connections/${connection.id}`, b.apiKey),
      api('POST', `/v1/connections/${connection.id}/test`, b.apiKey, { eventType: 'coworking.lead.created' }),
      api('POST', `/v1/connections/${connection.id}/rotate-secret`, b.apiKey),
      api('POST', `/v1/connections/${connection.id}/unblock`, b.apiKey, { releaseHeld: true }),
      api('POST', `/v1/connections/${connection.id}/recover`, b.apiKey, { since: new Date().toISOString() }),
      api('GET', `/v1/deliveries/${test.deliveryId}`, b.apiKey),
      api('POST', `/v1/deliveries/${test.deliveryId}/redeliver`, b.apiKey),
    ];
    for (const response of await Promise.all(attempts)) expect(response.statusCode).toBe(404);
    expect((await api('GET', '/v1/connections', b.apiKey)).json()).toEqual({ data: [], nextCursor: null });
    expect((await api('GET', `/v1/deliveries?connectionId=${connection.id}`, b.apiKey)).json()).toEqual({
      data: [],
      nextCursor: null,
    });
    expect((await api('GET', `/v1/connections/${connection.id}`, a.apiKey)).json()).toMatchObject({ active: true });
  });
});

describe('SSRF guard', () => {
  it('refuses receiver URLs inside the network when a connection is saved', async () => {
    const { apiKey } = await newTenant();
    for (const url of [
      'http://127.0.0.1:8080/hook',
      'http://localhost:8080/hook',
      'http://10.1.2.3/hook',
      'http://192.168.0.10/hook',
      'http://169.254.169.254/latest/meta-data',
      'http://[::1]/hook',
      'http://0x7f000001/hook',
      'http://0.0.0.0/hook',
      'ftp://example.com/file',
    ]) {
      const response = await api('POST', '/v1/connections', apiKey, connectionBody(url));
      expect(response.statusCode, url).toBe(400);
      expect(response.json<{ issues: { path: string }[] }>().issues[0]!.path).toBe('body.url');
    }
    const connection = (await api('POST', '/v1/connections', apiKey, connectionBody(receiver.url))).json<{
      id: string;
    }>();
    expect(
      (await api('PATCH', `/v1/connections/${connection.id}`, apiKey, { url: 'http://169.254.169.254/' })).statusCode,
    ).toBe(400);
  });
});

describe('custom event types', () => {
  // `$id`, `$defs` and `$ref` are keys a document store refuses: the registry keeps schemas as JSON text.
  const schema = {
    $id: 'https://example.com/schemas/invoice-sent.json',
    type: 'object',
    required: ['invoiceId', 'amount'],
    properties: { invoiceId: { type: 'string' }, amount: { $ref: '#/$defs/money' } },
    $defs: { money: { type: 'number', minimum: 0 } },
  };

  it('are registered by the admin with a JSON Schema and delivered once valid; invalid ones are dead-lettered', async () => {
    const type = `billing.invoice${id.replace(/[^a-z]/g, '')}.sent`;
    const { id: tenantId, apiKey } = await newTenant();
    expect(
      (
        await api('POST', '/v1/event-types', apiKey, {
          type,
          description: 'x',
          schema,
          example: { invoiceId: 'i', amount: 1 },
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await api('POST', '/v1/event-types', adminKey, {
          type,
          description: 'x',
          schema: { type: 'nonsense' },
          example: {},
        })
      ).statusCode,
    ).toBe(400);
    const mismatch = await api('POST', '/v1/event-types', adminKey, {
      type,
      description: 'x',
      schema,
      example: { invoiceId: 'i' },
    });
    expect(mismatch.statusCode).toBe(400);
    expect(mismatch.json<{ issues: { rule: string }[] }>().issues[0]!.rule).toBe('required');
    expect(
      (
        await api('POST', '/v1/event-types', adminKey, {
          type: 'coworking.lead.created',
          description: 'x',
          schema,
          example: {},
        })
      ).statusCode,
    ).toBe(400);
    const created = await api('POST', '/v1/event-types', adminKey, {
      type,
      description: 'An invoice was sent.',
      schema,
      example: { invoiceId: 'inv-1', amount: 10 },
    });
    expect(created.statusCode).toBe(201);
    expect(
      (
        await api('POST', '/v1/event-types', adminKey, {
          type,
          description: 'again',
          schema,
          example: { invoiceId: 'inv-1', amount: 10 },
        })
      ).statusCode,
    ).toBe(409);
    const listed = (await api('GET', '/v1/event-types?domain=billing', apiKey)).json<{
      data: { type: string; custom: boolean; schema: unknown }[];
    }>().data;
    expect(listed).toContainEqual(expect.objectContaining({ type, custom: true, schema }));
    expect(
      (await api('GET', '/v1/event-types', apiKey)).json<{ data: unknown[] }>().data.length,
    ).toBeGreaterThanOrEqual(75);

    await api('POST', '/v1/connections', apiKey, connectionBody(receiver.url));
    const service = platform.services[0] as DispatcherService;
    const deadLettered = async () => {
      const text = (await platform.app.inject({ method: 'GET', url: '/metrics' })).body;
      return [...text.matchAll(/^hookline_dispatcher_events_dead_lettered_total\{[^}]*\} (\d+)$/gm)].reduce(
        (sum, match) => sum + Number(match[1]),
        0,
      );
    };
    const deadBefore = await deadLettered();
    const valid = createEvent(
      { type, subject: 'inv-1', tenant: tenantId, data: { invoiceId: 'inv-1', amount: 10 } },
      service.eventTypes.lookup,
    );
    const message = toKafkaMessage(valid);
    const invalid = JSON.stringify({
      ...(JSON.parse(message.value) as object),
      id: randomUUID(),
      data: { invoiceId: 'inv-2', amount: -5 },
    });
    await platform.context.bus.publish(`api-${id}.billing`, [
      { key: message.key, value: invalid, headers: message.headers },
      { key: message.key, value: message.value, headers: message.headers },
    ]);
    await until('custom event delivered', () =>
      receiver.requests.some((request) => (request.json as { type?: string }).type === type),
    );
    expect(await deadLettered()).toBe(deadBefore + 1);
  });
});

describe('bad input', () => {
  it('answers malformed bodies with a 4xx naming the field and rule, never a 5xx', async () => {
    const { apiKey } = await newTenant();
    const broken = await platform.app.inject({
      method: 'POST',
      url: '/v1/connections',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      payload: '{"name": ',
    });
    expect(broken.statusCode).toBe(400);
    const wrongTypes = await api('POST', '/v1/connections', apiKey, {
      name: 5,
      url: 'not a url',
      filter: { eventTypes: ['NOT A TYPE'] },
      retry: { maxAttempts: 0 },
    });
    expect(wrongTypes.statusCode).toBe(400);
    const paths = wrongTypes.json<{ issues: { path: string; rule: string }[] }>().issues.map((issue) => issue.path);
    expect(paths).toEqual(
      expect.arrayContaining(['body.name', 'body.url', 'body.filter.eventTypes.0', 'body.retry.maxAttempts']),
    );
    expect(
      (
        await api(
          'POST',
          '/v1/connections',
          apiKey,
          connectionBody(receiver.url, { headers: { 'Webhook-Signature': 'forged' } }),
        )
      ).statusCode,
    ).toBe(400);
    const huge = await platform.app.inject({
      method: 'POST',
      url: '/v1/connections',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(huge.statusCode).toBe(413);
    const text = await platform.app.inject({
      method: 'POST',
      url: '/v1/connections',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/xml' },
      payload: '<connection/>',
    });
    expect(text.statusCode).toBe(415);
    expect((await api('GET', '/v1/connections?status=sleeping', apiKey)).statusCode).toBe(400);
  });
});

describe('rate limit', () => {
  it('answers 429 past the per-key limit, counting each key apart', async () => {
    const limited = await runServices('rate-limit-test', [createDispatcherService], {
      installSignals: false,
      env: {
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'silent',
        HOOKLINE_DATA_DIR: ':memory:',
        HOOKLINE_ADMIN_KEY: adminKey,
        HOOKLINE_RATE_LIMIT_PER_MINUTE: '3',
      },
    });
    try {
      const call = (key: string) =>
        limited.app.inject({ method: 'GET', url: '/v1/event-types', headers: { authorization: `Bearer ${key}` } });
      const statuses = [];
      for (let n = 0; n < 4; n++) statuses.push((await call(adminKey)).statusCode);
      expect(statuses).toEqual([200, 200, 200, 429]);
      const limitedAnswer = await call(adminKey);
      expect(limitedAnswer.json()).toMatchObject({ error: 'rate_limited' });
      expect((await call('another-key')).statusCode).toBe(401);
    } finally {
      await limited.stop();
    }
  });
});

describe('metrics', () => {
  it('exposes the dispatcher instruments in Prometheus format on /metrics', async () => {
    const response = await platform.app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    expect(response.body).toMatch(/^# TYPE hookline_dispatcher_attempt_duration histogram$/m);
    const attempts = [
      ...response.body.matchAll(/^hookline_dispatcher_attempt_duration_count\{outcome="ok"\} (\d+)$/gm),
    ].reduce((sum, match) => sum + Number(match[1]), 0);
    expect(attempts).toBeGreaterThan(0);
    for (const name of [
      'hookline_dispatcher_events_consumed_total',
      'hookline_dispatcher_deliveries_created_total',
      'hookline_store_operations_total',
      'hookline_consumer_lag',
    ]) {
      expect(response.body).toMatch(new RegExp(`^${name}(\\{[^}]*\\})? \\d+`, 'm'));
    }
    // The store's counts: made where filters use indexes; on FerretDB, which would read every document, not at all.
    const store = new MongoDocumentStore({ uri: process.env.MONGODB_URI!, database: `metrics_${id}` });
    const countable = await store.filtersByIndex().finally(() => store.close());
    for (const name of [
      'hookline_dispatcher_deliveries_held',
      'hookline_dispatcher_connections_blocked_now',
      'hookline_dispatcher_queue_depth',
    ]) {
      if (countable) expect(response.body).toMatch(new RegExp(`^${name} \\d+`, 'm'));
      else expect(response.body).not.toMatch(new RegExp(`^${name} `, 'm'));
    }
  });
});
