// Conexa on the real servers: commands over HTTP → event store → relay →
// Kafka → dispatcher → a Conexa connection, which receives a charge settlement;
// a manual settlement publishes nothing.
import { createDispatcherService } from '@hookline/dispatcher';
import { findEventType } from '@hookline/events';
import { startWebhookPlatform, type Receiver, type WebhookPlatform } from '@hookline/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invoiceInput } from '../src/domain/conexa.fixtures.js';
import { createCoworkingService } from '../src/index.js';

let world: WebhookPlatform;
let tenant: string;
let receiver: Receiver;
const received = () =>
  receiver.requests.map((request) => request.json as { type: string; data: Record<string, unknown> });

beforeAll(async () => {
  world = await startWebhookPlatform({
    name: 'coworking-test',
    services: [createCoworkingService, createDispatcherService],
    topics: ['hookline.coworking'],
  });
  tenant = world.tenant;
  receiver = await world.connect({ eventTypes: ['coworking.charge.*'] });
});
afterAll(() => world.stop());

const command = (path: string, body: object) =>
  world.platform.app.inject({
    method: 'POST',
    url: `/coworking${path}`,
    headers: world.asService(tenant, { 'hookline-actor': 'user:21' }),
    payload: body,
  });

function chargeBody(chargeId: number) {
  const { type: _type, chargeId: _id, ...body } = invoiceInput({ chargeId });
  return body;
}

async function eventsOf(chargeId: number, count: number) {
  const deadline = Date.now() + 20_000;
  const mine = () => received().filter((body) => body.data.chargeId === chargeId);
  while (mine().length < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  await new Promise((resolve) => setTimeout(resolve, 300));
  return mine();
}

describe('Conexa charges end to end', () => {
  it('delivers the generation and the automatic settlement of a charge to a Conexa connection', async () => {
    const invoiced = await command('/charge/71001/invoice-charge', chargeBody(71001));
    expect(invoiced.statusCode, invoiced.body).toBe(200);
    const settled = await command('/charge/71001/settle-charge', {
      source: 'pix',
      paidAmount: 1410,
      paymentDate: '2026-12-09',
    });
    expect(settled.statusCode, settled.body).toBe(200);
    const events = await eventsOf(71001, 2);
    expect(events.map((event) => event.type)).toEqual(['coworking.charge.generated', 'coworking.charge.settled']);
    expect(events[0]!.data).toMatchObject({
      chargeId: 71001,
      status: 'unpaid',
      receivingMethod: 'Outros',
      amount: 1410,
    });
    // As the Conexa document writes it: Y-m-d\TH:i:sP in the unit's time zone (Brasília unless COWORKING_TIME_ZONE says otherwise).
    expect(events[0]!.data.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}-03:00$/);
    expect(() => findEventType('coworking.charge.settled')!.data.parse(events[1]!.data)).not.toThrow();
    expect(events[1]!.data).toMatchObject({ chargeId: 71001, paidAmount: 1410 });
  });

  it('publishes nothing for a manual settlement, and a boleto charge only once its boleto exists', async () => {
    await command('/charge/71002/invoice-charge', chargeBody(71002));
    expect(
      (
        await command('/charge/71002/settle-charge', { source: 'manual', paidAmount: 1410, paymentDate: '2026-12-09' })
      ).json(),
    ).toMatchObject({ events: [] });
    await eventsOf(71002, 1);
    // Time for a wrongly published settlement to arrive too.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await eventsOf(71002, 1)).map((event) => event.type)).toEqual(['coworking.charge.generated']);

    const boleto = await command('/charge/71003/invoice-charge', { ...chargeBody(71003), receivingMethod: 'Boleto' });
    expect(boleto.json()).toMatchObject({ events: [] });
    const generated = await command('/charge/71003/generate-boleto', {
      via: 'api',
      billetDigitableLine: '00190.00009 03456.789012 34567.890127 8 16560000141000',
      billetUrl: 'https://savassi.conexa.app/boleto/71003',
    });
    expect(generated.json<{ events: { type: string }[] }>().events.map((event) => event.type)).toEqual([
      'coworking.charge.generated',
    ]);
    expect(
      (
        await command('/charge/71003/generate-boleto', {
          via: 'api',
          billetDigitableLine: 'x',
          billetUrl: 'https://savassi.conexa.app/boleto/71003',
        })
      ).statusCode,
    ).toBe(409);
    expect(
      (await command('/charge/99999/settle-charge', { source: 'pix', paidAmount: 1, paymentDate: '2026-12-09' }))
        .statusCode,
    ).toBe(404);
    expect((await command('/charge/71004/invoice-charge', { receivingMethod: 'Outros' })).statusCode).toBe(400);
  });
});
