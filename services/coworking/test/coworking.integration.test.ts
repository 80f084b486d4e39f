// Conexa on the real servers: commands over HTTP → event store → relay →
// Kafka → dispatcher → a Conexa connection, which receives a charge settlement;
// a manual settlement publishes nothing.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDispatcherService } from '@hookline/dispatcher';
import { findEventType } from '@hookline/events';
import { runServices, type RunningPlatform } from '@hookline/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invoiceInput } from '../src/domain/testing.js';
import { createCoworkingService } from '../src/index.js';

const adminKey = `admin-${randomUUID()}`;
let platform: RunningPlatform;
let tenant: string;
const received: { type: string; data: Record<string, unknown> }[] = [];
let closeReceiver: () => Promise<void>;

beforeAll(async () => {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as (typeof received)[number]);
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closeReceiver = () => new Promise((resolve) => server.close(() => resolve()));
  const id = randomUUID().slice(0, 8);
  platform = await runServices('coworking-test', [createCoworkingService, createDispatcherService], {
    installSignals: false,
    env: {
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      KAFKA_BROKERS: process.env.KAFKA_BROKERS,
      MONGODB_URI: process.env.MONGODB_URI,
      MONGODB_DB: `coworking_${id}`,
      HOOKLINE_ADMIN_KEY: adminKey,
      HOOKLINE_URL_ALLOWLIST: '127.0.0.1',
      DISPATCHER_TOPICS: 'hookline.coworking',
      DISPATCHER_GROUP_ID: `coworking-${id}`,
      DISPATCHER_POLL_MS: '50',
    },
  });
  const created = (await platform.app.inject({ method: 'POST', url: '/v1/tenants', headers: { authorization: `Bearer ${adminKey}` }, payload: { name: 'Conexa Savassi' } })).json<{ id: string; apiKey: string }>();
  tenant = created.id;
  const connection = await platform.app.inject({
    method: 'POST',
    url: '/v1/connections',
    headers: { authorization: `Bearer ${created.apiKey}` },
    payload: { name: 'Conexão cobranças', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/conexa`, filter: { eventTypes: ['coworking.charge.*'] } },
  });
  expect(connection.statusCode).toBe(201);
});
afterAll(async () => {
  await platform.stop();
  await closeReceiver();
});

const command = (path: string, body: object) =>
  platform.app.inject({ method: 'POST', url: `/coworking${path}`, headers: { 'hookline-tenant': tenant, 'hookline-actor': 'user:21' }, payload: body });

function chargeBody(chargeId: number) {
  const { type: _type, chargeId: _id, ...body } = invoiceInput({ chargeId });
  return body;
}

async function eventsOf(chargeId: number, count: number) {
  const deadline = Date.now() + 20_000;
  const mine = () => received.filter((body) => body.data.chargeId === chargeId);
  while (mine().length < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  await new Promise((resolve) => setTimeout(resolve, 300));
  return mine();
}

describe('Conexa charges end to end', () => {
  it('delivers the generation and the automatic settlement of a charge to a Conexa connection', async () => {
    const invoiced = await command('/charge/71001/invoice-charge', chargeBody(71001));
    expect(invoiced.statusCode, invoiced.body).toBe(200);
    const settled = await command('/charge/71001/settle-charge', { source: 'pix', paidAmount: 1410, paymentDate: '2026-12-09' });
    expect(settled.statusCode, settled.body).toBe(200);
    const events = await eventsOf(71001, 2);
    expect(events.map((event) => event.type)).toEqual(['coworking.charge.generated', 'coworking.charge.settled']);
    expect(events[0]!.data).toMatchObject({ chargeId: 71001, status: 'unpaid', receivingMethod: 'Outros', amount: 1410 });
    expect(() => findEventType('coworking.charge.settled')!.data.parse(events[1]!.data)).not.toThrow();
    expect(events[1]!.data).toMatchObject({ chargeId: 71001, paidAmount: 1410 });
  });

  it('publishes nothing for a manual settlement, and a boleto charge only once its boleto exists', async () => {
    await command('/charge/71002/invoice-charge', chargeBody(71002));
    expect((await command('/charge/71002/settle-charge', { source: 'manual', paidAmount: 1410, paymentDate: '2026-12-09' })).json()).toMatchObject({ events: [] });
    await eventsOf(71002, 1);
    // Time for a wrongly published settlement to arrive too.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await eventsOf(71002, 1)).map((event) => event.type)).toEqual(['coworking.charge.generated']);

    const boleto = await command('/charge/71003/invoice-charge', { ...chargeBody(71003), receivingMethod: 'Boleto' });
    expect(boleto.json()).toMatchObject({ events: [] });
    const generated = await command('/charge/71003/generate-boleto', { via: 'api', billetDigitableLine: '00190.00009 03456.789012 34567.890127 8 16560000141000', billetUrl: 'https://savassi.conexa.app/boleto/71003' });
    expect(generated.json<{ events: { type: string }[] }>().events.map((event) => event.type)).toEqual(['coworking.charge.generated']);
    expect((await command('/charge/71003/generate-boleto', { via: 'api', billetDigitableLine: 'x', billetUrl: 'https://savassi.conexa.app/boleto/71003' })).statusCode).toBe(409);
    expect((await command('/charge/99999/settle-charge', { source: 'pix', paidAmount: 1, paymentDate: '2026-12-09' })).statusCode).toBe(404);
    expect((await command('/charge/71004/invoice-charge', { receivingMethod: 'Outros' })).statusCode).toBe(400);
  });
});
