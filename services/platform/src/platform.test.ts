import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEvent, findEventType, toKafkaMessage } from '@hookline/events';
import type { DispatcherService } from '@hookline/dispatcher';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform } from './index.js';

describe('the platform in one process, on the embedded backends', () => {
  let platform: Awaited<ReturnType<typeof startPlatform>>;
  const dataDir = mkdtempSync(join(tmpdir(), 'hookline-platform-'));
  beforeAll(async () => {
    platform = await startPlatform({
      env: {
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'silent',
        HOOKLINE_URL_ALLOWLIST: '127.0.0.1',
        HOOKLINE_DATA_DIR: dataDir,
      },
      installSignals: false,
    });
  });
  afterAll(async () => {
    await platform.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs on the SQLite bus and store in HOOKLINE_DATA_DIR when no Kafka or MongoDB is configured', () => {
    expect(platform.context.bus.backend).toBe('sqlite');
    expect(platform.context.store.backend).toBe('sqlite');
  });

  it('refuses a second platform on the same data directory, naming it', async () => {
    await expect(
      startPlatform({ env: { PORT: '0', LOG_LEVEL: 'silent', HOOKLINE_DATA_DIR: dataDir }, installSignals: false }),
    ).rejects.toThrow(`HOOKLINE_DATA_DIR ${dataDir} is in use by another Hookline process`);
  });

  it('answers /health and /ready over real HTTP', async () => {
    expect(await (await fetch(`${platform.url}/health`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${platform.url}/ready`);
    expect(ready.status).toBe(200);
    expect(((await ready.json()) as { checks: unknown }).checks).toEqual({
      'bus (sqlite)': 'ok',
      'store (sqlite)': 'ok',
    });
  });

  it('serves every service under its own prefix', async () => {
    const prefixes = {
      marketplace: '/marketplace',
      accounting: '/accounting',
      coworking: '/coworking',
      scheduler: '/scheduler',
      dispatcher: '/v1',
    };
    for (const [name, prefix] of Object.entries(prefixes)) {
      const response = await fetch(`${platform.url}${prefix}`);
      expect(response.status).toBe(200);
      expect(((await response.json()) as { service: string }).service).toBe(name);
    }
  });

  it('renders the OpenAPI reference at /docs, generated from the route schemas', async () => {
    const page = await fetch(`${platform.url}/docs`, { redirect: 'follow' });
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/swagger/i);
    const document = (await (await fetch(`${platform.url}/docs/json`)).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(document.openapi).toMatch(/^3\./);
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/v1/connections',
        '/v1/connections/{id}',
        '/v1/connections/{id}/test',
        '/v1/deliveries',
        '/v1/deliveries/{id}/redeliver',
        '/v1/tenants',
        '/v1/event-types',
      ]),
    );
  });

  it('delivers an event published on the embedded bus to a local receiver', async () => {
    const received: { headers: Record<string, unknown>; body: unknown }[] = [];
    const receiver = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({
          headers: request.headers,
          body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown,
        });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const { dispatcher } = platform.services.find((service) => service.name === 'dispatcher') as DispatcherService;
      await dispatcher.operations.createConnection('tenant-embedded', {
        name: 'local receiver',
        url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`,
        filter: { eventTypes: ['coworking.booking.*'] },
      });
      const event = createEvent({
        type: 'coworking.booking.created',
        subject: 'booking-1',
        tenant: 'tenant-embedded',
        data: structuredClone(findEventType('coworking.booking.created')!.example),
      });
      const message = toKafkaMessage(event);
      await platform.context.bus.publish(message.topic, [
        { key: message.key, value: message.value, headers: message.headers },
      ]);
      const deadline = Date.now() + 10_000;
      while (received.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(received).toHaveLength(1);
      expect(received[0]!.body).toEqual({ type: event.type, timestamp: event.time, data: event.data });
      expect(received[0]!.headers['webhook-signature']).toMatch(/^v1,/);
    } finally {
      await new Promise((resolve) => receiver.close(resolve));
    }
  });

  it("fires the scheduler's timers through the products' HTTP routes with the process's own service credential (HOOKLINE_SERVICE_KEY unset)", async () => {
    // Unset, the process made a random service credential: only its own services know it.
    expect(platform.context.config.HOOKLINE_SERVICE_KEY).toBeUndefined();
    const asSeller = {
      authorization: `Bearer ${platform.context.auth.serviceKey}`,
      'hookline-tenant': 'ten_timers',
      'hookline-actor-role': 'seller',
      'hookline-actor-id': 'usr_seller',
      'content-type': 'application/json',
    };
    const created = await fetch(`${platform.url}/marketplace/projects`, {
      method: 'POST',
      headers: asSeller,
      body: JSON.stringify({ title: 'Expiring', price: 10, currency: 'EUR', deliveryDeadline: '2031-01-31' }),
    });
    expect(created.status).toBe(201);
    const { projectId } = (await created.json()) as { projectId: string };
    const offer = {
      buyer: { id: 'usr_buyer', name: 'Buyer' },
      offerValidUntil: new Date(Date.now() + 1500).toISOString(),
    };
    expect(
      (
        await fetch(`${platform.url}/marketplace/projects/${projectId}/send-offer`, {
          method: 'POST',
          headers: asSeller,
          body: JSON.stringify(offer),
        })
      ).status,
    ).toBe(200);
    const deadline = Date.now() + 20_000;
    let status = '';
    while (status !== 'expired' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      status = (
        (await (await fetch(`${platform.url}/marketplace/projects/${projectId}`, { headers: asSeller })).json()) as {
          status: string;
        }
      ).status;
    }
    expect(status).toBe('expired');
  }, 30_000);
});
