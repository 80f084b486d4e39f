// BIYRO through the service's API on the real servers: commands → event store
// → relay → Kafka → dispatcher → a receiver subscribed to marketplace.project.*,
// which gets the seed events in order; and the 409 / 403 / 422 answers.
import { randomUUID } from 'node:crypto';
import { createDispatcherService } from '@hookline/dispatcher';
import { startWebhookPlatform, type Receiver, type WebhookPlatform } from '@hookline/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMarketplaceService } from '../src/index.js';

const DAY = 24 * 3600 * 1000;
let clock = Date.parse('2026-03-01T09:00:00Z');
let world: WebhookPlatform;
let tenant: string;
let receiver: Receiver;
const received = () =>
  receiver.requests.map((request) => request.json as { type: string; data: { project: { id: string } } });

beforeAll(async () => {
  world = await startWebhookPlatform({
    name: 'marketplace-test',
    services: [(context) => createMarketplaceService(context, { now: () => new Date(clock) }), createDispatcherService],
    topics: ['hookline.marketplace'],
  });
  tenant = world.tenant;
  receiver = await world.connect({ eventTypes: ['marketplace.project.*'] });
});
afterAll(() => world.stop());

const seller = { id: 'usr_7Kq2mD', name: 'SIA "Koka Darbnīca"' };
const buyer = { id: 'usr_3Fh8sL', name: 'Ilze Kalniņa' };

function as(
  role: 'seller' | 'buyer' | 'system',
  userId = role === 'seller' ? seller.id : role === 'buyer' ? buyer.id : 'scheduler',
) {
  return (url: string, payload: object = {}) =>
    world.platform.app.inject({
      method: 'POST',
      url: `/marketplace${url}`,
      headers: world.asService(tenant, { 'hookline-actor-role': role, 'hookline-actor-id': userId }),
      payload,
    });
}

async function newProject(): Promise<string> {
  const created = await as('seller')('/projects', {
    title: 'Virtuves skapju izgatavošana',
    price: 1250,
    currency: 'EUR',
    deliveryDeadline: new Date(clock + 20 * DAY).toISOString().slice(0, 10),
  });
  expect(created.statusCode, created.body).toBe(201);
  return created.json<{ projectId: string }>().projectId;
}

describe('the BIYRO project lifecycle over the API', () => {
  it('runs the happy path and the receiver gets the seed events in order', async () => {
    // The marketplace itself (its tenant API key: its system) sets the seller's plan.
    const saved = await world.platform.app.inject({
      method: 'PUT',
      url: `/marketplace/sellers/${seller.id}`,
      headers: { authorization: `Bearer ${world.apiKey}` },
      payload: { name: seller.name },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const project = await newProject();
    const steps: [ReturnType<typeof as>, string, object?][] = [
      [as('seller'), 'send-offer', { buyer }],
      [as('buyer'), 'sign-offer'],
      [as('buyer'), 'simulate-payment', { outcome: 'succeeded' }],
      [as('buyer'), 'start-work'],
      [as('seller'), 'deliver', { message: 'Skapji uzstādīti.', filesCount: 6 }],
      [as('buyer'), 'approve-stage'],
    ];
    for (const [call, command, body] of steps) {
      const answer = await call(`/projects/${project}/${command}`, body);
      expect(answer.statusCode, `${command}: ${answer.body}`).toBe(200);
    }
    // The timers: too early does nothing; after the support period the project finishes.
    expect((await as('system')(`/projects/${project}/finish-support`)).json()).toMatchObject({ events: [] });
    clock += 31 * DAY;
    expect(
      (await as('system')(`/projects/${project}/finish-support`))
        .json<{ events: { type: string }[] }>()
        .events.map((e) => e.type),
    ).toEqual(['marketplace.project.support_finished', 'marketplace.project.project_finished']);
    clock += 30 * DAY;
    const cleanup = await as('system')(`/projects/${project}/record-files-deleted`, {
      fileCount: 14,
      totalBytes: 48_213_504,
      scheduledAt: new Date(clock - 3600_000).toISOString(),
    });
    expect(cleanup.statusCode, cleanup.body).toBe(200);

    const expected = [
      'new_draft',
      'new_sent',
      'active_signed',
      'purchase_new_invoice',
      'purchase_payment_succeeded',
      'active_prepare',
      'active_work',
      'active_delivered',
      'quotas_assigned',
      'support_started',
      'support_finished',
      'project_finished',
      'files_deleted',
    ].map((code) => `marketplace.project.${code}`);
    const deadline = Date.now() + 30_000;
    const ours = () =>
      received()
        .filter((body) => body.data.project.id === project)
        .map((body) => body.type);
    while (ours().length < expected.length && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(ours()).toEqual(expected);
    // The invoice carries the platform's commission (free plan: 20%).
    const invoice = received().find(
      (body) => body.type === 'marketplace.project.purchase_new_invoice' && body.data.project.id === project,
    )!;
    expect(JSON.stringify(invoice.data)).toMatch(/"commissionRate":0\.2/);
  });

  it('answers an illegal command 409 with the state and the allowed commands, the wrong party 403', async () => {
    const project = await newProject();
    const early = await as('buyer')(`/projects/${project}/sign-offer`);
    expect([403, 409]).toContain(early.statusCode);
    const illegal = await as('seller')(`/projects/${project}/deliver`, {});
    expect(illegal.statusCode).toBe(409);
    expect(illegal.json()).toMatchObject({
      error: 'illegal_transition',
      state: 'draft',
      allowed: expect.arrayContaining(['send_offer', 'delete_draft']),
    });
    await as('seller')(`/projects/${project}/send-offer`, { buyer });
    const stranger = await as('buyer', 'usr_someone_else')(`/projects/${project}/sign-offer`);
    expect(stranger.statusCode).toBe(403);
    expect(stranger.json()).toMatchObject({ error: 'wrong_party' });
    const bad = await as('seller')('/projects', { title: '', price: -1, currency: 'euro' });
    expect(bad.statusCode).toBe(400);
    expect(
      (
        await world.platform.app.inject({
          method: 'GET',
          url: `/marketplace/projects/${project}`,
          headers: world.asService(tenant, { 'hookline-actor-role': 'buyer', 'hookline-actor-id': buyer.id }),
        })
      ).json(),
    ).toMatchObject({
      status: 'sent',
      allowed: expect.arrayContaining(['sign_offer', 'decline_offer']),
    });
  });

  it('enforces the free plan: one active project per seller, named in a 422', async () => {
    const other = { id: `usr_${randomUUID().slice(0, 6)}`, name: 'Free seller' };
    const asOther = as('seller', other.id);
    const first = (await asOther('/projects', { title: 'A', price: 100, currency: 'EUR' })).json<{
      projectId: string;
    }>().projectId;
    const second = (await asOther('/projects', { title: 'B', price: 100, currency: 'EUR' })).json<{
      projectId: string;
    }>().projectId;
    for (const project of [first, second]) await asOther(`/projects/${project}/send-offer`, { buyer });
    expect((await as('buyer')(`/projects/${first}/sign-offer`)).statusCode).toBe(200);
    const limited = await as('buyer')(`/projects/${second}/sign-offer`);
    expect(limited.statusCode).toBe(422);
    expect(limited.json()).toMatchObject({ error: 'limit_reached', limit: 'activeProjects', max: 1 });
    const stages = await asOther('/projects', { title: 'C', price: 100, currency: 'EUR', stagesCount: 2 });
    expect(stages.statusCode).toBe(422);
    expect(stages.json()).toMatchObject({ limit: 'stagesPerProject' });
  });
});
