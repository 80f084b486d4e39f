// The service's clock, as Conexa writes date-times: Y-m-d\TH:i:sP in COWORKING_TIME_ZONE (Brasília unless set).
import { randomUUID } from 'node:crypto';
import { runServices, type RunningPlatform } from '@hookline/runtime';
import { serviceHeaders } from '@hookline/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { leadInput } from '../src/domain/conexa.fixtures.js';
import { createCoworkingService } from '../src/index.js';

const serviceKey = `service-${randomUUID()}`;
const at = new Date('2026-12-06T20:36:25.509Z');
let platform: RunningPlatform | undefined;
afterEach(() => platform?.stop());

async function start(env: Record<string, string> = {}) {
  platform = await runServices(
    'coworking-clock-test',
    [(context) => createCoworkingService(context, { now: () => at })],
    {
      installSignals: false,
      // In memory: the default data directory is shared with a running platform (its lock) and keeps what tests wrote.
      env: {
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'silent',
        HOOKLINE_SERVICE_KEY: serviceKey,
        HOOKLINE_DATA_DIR: ':memory:',
        ...env,
      },
    },
  );
  return platform;
}

const { type: _type, potentialCustomerId: _id, company, ...lead } = leadInput;
const createLead = (running: RunningPlatform, id: number, body: object = { company, ...lead }) =>
  running.app.inject({
    method: 'POST',
    url: `/coworking/lead/${id}/create-lead`,
    headers: serviceHeaders(serviceKey, 'ten_clock'),
    payload: body,
  });

describe("the coworking service's clock", () => {
  it('writes createdAt as the Conexa document does: Brasília time, whole seconds, -03:00 (not 2026-12-06T20:36:25.509Z)', async () => {
    const created = await createLead(await start(), 982);
    expect(created.statusCode, created.body).toBe(200);
    expect(created.json<{ events: { data: { createdAt: string } }[] }>().events[0]?.data.createdAt).toBe(
      '2026-12-06T17:36:25-03:00',
    );
  });

  it('in the time zone COWORKING_TIME_ZONE names', async () => {
    const created = await createLead(await start({ COWORKING_TIME_ZONE: 'America/Manaus' }), 983);
    expect(created.json<{ events: { data: { createdAt: string } }[] }>().events[0]?.data.createdAt).toBe(
      '2026-12-06T16:36:25-04:00',
    );
  });

  it('refuses to start on a time zone it does not know', async () => {
    await expect(start({ COWORKING_TIME_ZONE: 'Mars/Olympus' })).rejects.toThrow(/COWORKING_TIME_ZONE/);
    platform = undefined;
  });

  it('a date-time a client sends must be a Conexa one too (400 naming the field)', async () => {
    const running = await start();
    const refused = await running.app.inject({
      method: 'POST',
      url: '/coworking/correspondence/15503/create-correspondence',
      headers: serviceHeaders(serviceKey, 'ten_clock'),
      payload: {
        customerId: 1842,
        customer: {
          id: 1842,
          name: 'Araújo & Lima Consultoria Ltda',
          tradeName: null,
          firstName: 'Araújo',
          cellNumber: null,
          phones: [],
          emails: [],
          emailsFinancialMessages: [],
        },
        company,
        user: { id: 21, name: 'Juliana Mendes' },
        sender: 'Receita Federal do Brasil',
        trackingCode: null,
        receiptDate: '2026-11-23T11:20:00.000Z',
        messageText: null,
      },
    });
    expect(refused.statusCode, refused.body).toBe(400);
    expect(refused.json<{ issues: { path: string }[] }>().issues.map((issue) => issue.path)).toContain(
      'body.receiptDate',
    );
  });
});
