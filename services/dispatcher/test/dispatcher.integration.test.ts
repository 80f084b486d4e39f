// The dispatcher against the real Kafka broker and the real MongoDB-compatible
// server: matching and diffs, retries, blocking, held deliveries, dead letters,
// replays, lanes.
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { Webhook } from 'standardwebhooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConnectionInput } from '../src/index.js';
import { createWorld, example, until, type World } from './harness.js';

let world: World;
beforeEach(async () => {
  world = await createWorld();
});
afterEach(() => world.close());

const fastRetry = { maxAttempts: 3, windowSeconds: 30, timeoutMs: 2000, backoffSeconds: [0.2, 0.4] };

async function connect(url: string, filter: ConnectionInput['filter'], extra: Partial<ConnectionInput> = {}) {
  const dispatcher = world.dispatcher();
  const connection = await dispatcher.operations.createConnection(world.tenant, {
    name: 'test',
    url,
    filter,
    retry: fastRetry,
    ...extra,
  });
  return { dispatcher, connection };
}

function invoiceUpdate(change: Record<string, unknown>) {
  const data = example('accounting.invoice.updated') as {
    before: Record<string, unknown>;
    after: Record<string, unknown>;
    changedFields: string[];
  };
  data.after = { ...data.before, ...change };
  data.changedFields = Object.keys(change);
  return data;
}

describe('matching and diffs', () => {
  it('sends each Robolabs connection its own diff and a signed Standard Webhooks body to a type subscriber', async () => {
    const partnerWatcher = await world.receiver();
    const stateWatcher = await world.receiver();
    const allAccounting = await world.receiver();
    const dispatcher = world.dispatcher();
    const ops = dispatcher.operations;
    const byPartner = await ops.createConnection(world.tenant, {
      name: 'partner',
      url: partnerWatcher.url,
      filter: { record: { model: 'account.invoice', operations: ['update'], fields: ['partner_id', 'amount_total'] } },
    });
    await ops.createConnection(world.tenant, {
      name: 'state',
      url: stateWatcher.url,
      filter: { record: { model: 'account.invoice', operations: ['update'], fields: ['state'] } },
    });
    const typed = await ops.createConnection(world.tenant, {
      name: 'all',
      url: allAccounting.url,
      filter: { eventTypes: ['accounting.*'] },
    });
    // Another tenant's connection never sees this tenant's events.
    const stranger = await world.receiver();
    await ops.createConnection('someone-else', { name: 'x', url: stranger.url, filter: { eventTypes: ['*'] } });
    await dispatcher.start();

    const [event] = await world.publish([
      { type: 'accounting.invoice.updated', subject: 'invoice-4812', data: invoiceUpdate({ partner_id: 218 }) },
    ]);

    await until('partner callback', () => partnerWatcher.requests.length === 1 && allAccounting.requests.length === 1);
    expect(partnerWatcher.requests[0]!.json).toEqual({
      object: 'account.invoice',
      operation: 'update',
      id: 4812,
      values: { partner_id: 218, amount_total: 2517.51 },
      previous_values: { partner_id: 215, amount_total: 2517.51 },
    });
    expect(allAccounting.requests[0]!.json).toEqual({ type: event!.type, timestamp: event!.time, data: event!.data });

    // Signed as Standard Webhooks says, with the connection's unique key.
    const request = partnerWatcher.requests[0]!;
    const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, String(v)]));
    expect(new Webhook(byPartner.secrets[0]!.secret).verify(request.body, headers)).toEqual(request.json);
    expect(() => new Webhook(typed.secrets[0]!.secret).verify(request.body, headers)).toThrow();
    expect(headers['hookline-unique-key']).toBe(byPartner.uniqueKey);
    expect(headers['user-agent']).toMatch(/^Hookline-Webhooks\//);
    expect(headers['hookline-event-type']).toBe('accounting.invoice.updated');

    // Give a wrong send time to show up, then check nobody else got anything.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(stateWatcher.requests).toHaveLength(0);
    expect(stranger.requests).toHaveLength(0);
    expect(partnerWatcher.requests).toHaveLength(1);
  });

  it('sends a charge reminder only to the connection of its reminder rule', async () => {
    const rule1 = await world.receiver();
    const rule2 = await world.receiver();
    const dispatcher = world.dispatcher();
    await dispatcher.operations.createConnection(world.tenant, {
      name: 'r1',
      url: rule1.url,
      filter: { eventTypes: ['coworking.charge.reminder'], reminderRuleId: 'rule-1' },
    });
    await dispatcher.operations.createConnection(world.tenant, {
      name: 'r2',
      url: rule2.url,
      filter: { eventTypes: ['coworking.charge.reminder'], reminderRuleId: 'rule-2' },
    });
    await dispatcher.start();
    await world.publish([
      {
        type: 'coworking.charge.reminder',
        subject: 'charge-1',
        reminderRule: 'rule-2',
        data: example('coworking.charge.reminder'),
      },
    ]);
    await until('reminder', () => rule2.requests.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(rule1.requests).toHaveLength(0);
  });
});

describe('retries', () => {
  it('retries a failing receiver on the policy schedule, recording every attempt', async () => {
    let calls = 0;
    const receiver = await world.receiver(() => (++calls < 3 ? 503 : 200));
    const { dispatcher } = await connect(receiver.url, { eventTypes: ['coworking.charge.*'] });
    await dispatcher.start();
    const [event] = await world.publish([
      { type: 'coworking.charge.generated', subject: 'charge-7', data: example('coworking.charge.generated') },
    ]);

    const delivery = await until('delivery succeeded', async () => {
      const found = await dispatcher.collections.deliveries.findOne({ eventId: event!.id });
      return found?.status === 'succeeded' ? found : null;
    });
    expect(receiver.requests).toHaveLength(3);
    const gaps = receiver.requests.slice(1).map((request, i) => request.at - receiver.requests[i]!.at);
    expect(gaps[0]).toBeGreaterThanOrEqual(190);
    expect(gaps[1]).toBeGreaterThanOrEqual(390);
    expect(new Set(receiver.requests.map((request) => request.headers['webhook-id'])).size).toBe(1);
    const attempts = await dispatcher.collections.attempts.find({ deliveryId: delivery._id }, { sort: { number: 1 } });
    expect(attempts.map((attempt) => [attempt.number, attempt.status])).toEqual([
      [1, 503],
      [2, 503],
      [3, 200],
    ]);
    expect(attempts[0]!.responseBody).toBe('answer 503');
    expect(attempts[0]!.requestHeaders?.['webhook-id']).toBe(delivery._id);
    expect(attempts.every((attempt) => attempt.durationMs >= 0 && attempt.startedAt instanceof Date)).toBe(true);
    expect(delivery.attemptCount).toBe(3);
    expect(delivery.lastStatus).toBe(200);
  });

  it('stops after the last attempt and at 410 Gone, recording why', async () => {
    const failing = await world.receiver(() => 500);
    const gone = await world.receiver(() => 410);
    const dispatcher = world.dispatcher();
    const a = await dispatcher.operations.createConnection(world.tenant, {
      name: 'a',
      url: failing.url,
      filter: { eventTypes: ['coworking.lead.created'] },
      retry: fastRetry,
    });
    const b = await dispatcher.operations.createConnection(world.tenant, {
      name: 'b',
      url: gone.url,
      filter: { eventTypes: ['coworking.lead.created'] },
      retry: fastRetry,
    });
    await dispatcher.start();
    await world.publish([
      { type: 'coworking.lead.created', subject: 'lead-1', data: example('coworking.lead.created') },
    ]);
    const failed = await until('both failed', async () => {
      const all = await dispatcher.collections.deliveries.find({ status: 'failed' });
      return all.length === 2 ? all : null;
    });
    const byConnection = new Map(failed.map((delivery) => [delivery.connectionId, delivery]));
    expect(byConnection.get(a._id)!.attemptCount).toBe(3);
    expect(byConnection.get(a._id)!.reason).toMatch(/3 attempts/);
    expect(byConnection.get(b._id)!.attemptCount).toBe(1);
    expect(byConnection.get(b._id)!.reason).toMatch(/410/);
    expect(failing.requests).toHaveLength(3);
    expect(gone.requests).toHaveLength(1);
    const exhausted = await until('both recorded as exhausted', async () => {
      const found = await dispatcher.collections.connectionEvents.find({ type: 'delivery.exhausted' });
      return found.length === 2 ? found : null;
    });
    expect(exhausted.map((event) => event.connectionId).sort()).toEqual([a._id, b._id].sort());
  });
});

describe('blocking', () => {
  it('blocks after exactly 5 failed requests, holds what matches meanwhile, and releases it in order on unblock', async () => {
    let healthy = false;
    const receiver = await world.receiver(() => (healthy ? 200 : 500));
    const { dispatcher, connection } = await connect(receiver.url, { eventTypes: ['coworking.correspondence.*'] });
    await dispatcher.start();
    const data = example('coworking.correspondence.created');
    const events = await world.publish(
      [1, 2, 3, 4].map((n) => ({
        type: 'coworking.correspondence.created',
        subject: 'mailbox-1',
        id: `mail-${world.id}-${n}`,
        data,
      })),
    );

    await until(
      'blocked',
      async () => (await dispatcher.collections.connections.findOne({ _id: connection._id }))?.status === 'blocked',
    );
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(receiver.requests).toHaveLength(5);
    const stored = await dispatcher.collections.connections.findOne({ _id: connection._id });
    expect(stored!.consecutiveFailures).toBe(5);

    // Matching events keep arriving while blocked: held, never sent, never dropped.
    const later = await world.publish(
      [5, 6].map((n) => ({
        type: 'coworking.correspondence.created',
        subject: 'mailbox-1',
        id: `mail-${world.id}-${n}`,
        data,
      })),
    );
    // Nothing of this connection is left pending: everything not finished is held.
    await until('all held', async () => {
      const [pending, held] = await Promise.all(
        (['pending', 'held'] as const).map((status) =>
          dispatcher.collections.deliveries.countDocuments({ connectionId: connection._id, status }),
        ),
      );
      const heldEvents = (
        await dispatcher.collections.deliveries.find({ connectionId: connection._id, status: 'held' })
      ).map((d) => d.eventId);
      return pending === 0 && held! >= 2 && later.every((event) => heldEvents.includes(event.id));
    });
    expect(receiver.requests).toHaveLength(5);
    const blockedEvents = await dispatcher.collections.connectionEvents.find({
      connectionId: connection._id,
      type: 'connection.blocked',
    });
    expect(blockedEvents).toHaveLength(1);
    const held = await dispatcher.collections.deliveries.find({ connectionId: connection._id, status: 'held' });
    // Both events published while blocked are among them.
    expect(held.map((delivery) => delivery.eventId)).toEqual(expect.arrayContaining(later.map((event) => event.id)));

    healthy = true;
    const before = receiver.requests.length;
    const { deliveries } = await dispatcher.operations.unblock(world.tenant, connection._id, 'release');
    expect(deliveries).toBe(held.length);
    await until('released', () => receiver.requests.length === before + held.length);
    // Released in the order the events happened.
    const eventOfDelivery = new Map(held.map((delivery) => [delivery._id, delivery.eventId]));
    const releasedEvents = receiver.requests
      .slice(before)
      .map((request) => eventOfDelivery.get(String(request.headers['webhook-id'])));
    const publishedOrder = [...events, ...later].map((event) => event.id).filter((id) => releasedEvents.includes(id));
    expect(releasedEvents).toEqual(publishedOrder);
    expect((await dispatcher.collections.connections.findOne({ _id: connection._id }))!.status).toBe('active');
  });

  it('discards held deliveries when the caller chooses to', async () => {
    const receiver = await world.receiver(() => 500);
    const { dispatcher, connection } = await connect(
      receiver.url,
      { eventTypes: ['coworking.lead.*'] },
      { retry: { ...fastRetry, maxAttempts: 10, backoffSeconds: [0.05] } },
    );
    await dispatcher.start();
    await world.publish([
      { type: 'coworking.lead.created', subject: 'lead-9', data: example('coworking.lead.created') },
    ]);
    await until(
      'blocked',
      async () => (await dispatcher.collections.connections.findOne({ _id: connection._id }))?.status === 'blocked',
    );
    expect(receiver.requests).toHaveLength(5);
    await until('held', async () => (await dispatcher.collections.deliveries.countDocuments({ status: 'held' })) === 1);
    expect(await dispatcher.operations.unblock(world.tenant, connection._id, 'discard')).toEqual({ deliveries: 1 });
    expect(await dispatcher.collections.deliveries.countDocuments({ status: 'discarded' })).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.requests).toHaveLength(5);
  });
});

describe('ingest', () => {
  it('dead-letters unparsable, invalid and unknown-type messages with the reason, and carries on', async () => {
    const receiver = await world.receiver();
    const { dispatcher } = await connect(receiver.url, { eventTypes: ['*'] });
    await dispatcher.start();
    const marker = randomUUID();
    const good = example('coworking.customer.created');
    const invalid = {
      specversion: '1.0',
      id: `bad-${marker}`,
      source: '/x',
      type: 'coworking.customer.created',
      time: new Date().toISOString(),
      subject: 's',
      datacontenttype: 'application/json',
      tenant: world.tenant,
      data: { nope: 1 },
    };
    const unknown = { ...invalid, id: `unknown-${marker}`, type: 'coworking.spaceship.launched', data: {} };
    const ce = { 'content-type': 'application/cloudevents+json' };
    await world.publishRaw('coworking', [
      { key: marker, value: '{not json', headers: ce },
      { key: marker, value: JSON.stringify(invalid), headers: ce },
      { key: marker, value: JSON.stringify(unknown), headers: ce },
      { key: marker, value: 'plain text, no content-type' },
    ]);
    const [event] = await world.publish([{ type: 'coworking.customer.created', subject: 'customer-1', data: good }]);
    await until('good event delivered', () =>
      receiver.requests.some((request) => (request.json as { data?: unknown }).data !== undefined),
    );
    expect((receiver.requests[0]!.json as { type: string }).type).toBe(event!.type);

    // The dead-letter topic holds each with its reason and origin.
    const kafka = new Kafka({
      clientId: 'dlq-reader',
      brokers: (process.env.KAFKA_BROKERS ?? '').split(','),
      logLevel: logLevel.NOTHING,
    });
    const consumer = kafka.consumer({ groupId: `dlq-${marker}` });
    await consumer.connect();
    await consumer.subscribe({ topic: 'hookline.dead-letter', fromBeginning: true });
    const reasons: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`dead letters: ${reasons.length}`)), 20_000);
      void consumer.run({
        eachMessage: async ({ message }) => {
          if (String(message.key) !== marker) return;
          reasons.push(String(message.headers?.['hookline-dead-letter-reason']));
          expect(String(message.headers?.['hookline-original-topic'])).toBe(`test-${world.id}.coworking`);
          if (reasons.length === 4) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
    await consumer.disconnect();
    expect(reasons[0]).toMatch(/unparsable/);
    expect(reasons[1]).toMatch(/data/);
    expect(reasons[2]).toMatch(/coworking\.spaceship\.launched/);
    expect(reasons[3]).toMatch(/content-type/);
  });

  it('creates one delivery per event and connection: a replayed event is not sent twice', async () => {
    const receiver = await world.receiver();
    const { dispatcher } = await connect(receiver.url, { eventTypes: ['coworking.booking.*'] });
    await dispatcher.start();
    const input = {
      type: 'coworking.booking.created',
      subject: 'booking-1',
      id: `booking-${world.id}`,
      data: example('coworking.booking.created'),
    };
    await world.publish([input]);
    await until('first delivery', () => receiver.requests.length === 1);
    await world.publish([input, input]);
    // A later event on the same partition proves the replays were consumed.
    await world.publish([{ ...input, id: `booking-${world.id}-next` }]);
    await until('next delivery', () => receiver.requests.length >= 2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.requests).toHaveLength(2);
    expect(await dispatcher.collections.deliveries.countDocuments({})).toBe(2);
  });
});

describe('lanes', () => {
  it('a receiver that never answers does not delay the other connections', async () => {
    const hanging = await world.receiver(() => 'hang');
    const healthy = await world.receiver();
    const dispatcher = world.dispatcher();
    await dispatcher.operations.createConnection(world.tenant, {
      name: 'hangs',
      url: hanging.url,
      filter: { eventTypes: ['coworking.*'] },
    });
    await dispatcher.operations.createConnection(world.tenant, {
      name: 'fine',
      url: healthy.url,
      filter: { eventTypes: ['coworking.*'] },
    });
    await dispatcher.start();
    const started = Date.now();
    const data = example('coworking.person.created');
    await world.publish(
      Array.from({ length: 30 }, (_, n) => ({ type: 'coworking.person.created', subject: `person-${n}`, data })),
    );
    await until('healthy receiver got all 30', () => healthy.requests.length === 30, 14_000);
    // Long before the hanging receiver's 15 s timeout.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(hanging.requests.length).toBeGreaterThan(0);
  });
});

describe('fairness', () => {
  it("a tenant's backlog behind a slow receiver never delays another tenant's deliveries and redeliveries", async () => {
    // Tenant A: 600 deliveries queued for a receiver answering after 20 s, two at a time.
    const slow = await world.receiver(() => ({ status: 200, afterMs: 20_000 }));
    const fast = await world.receiver();
    const dispatcher = world.dispatcher({ spillAfterMs: 300 });
    const noisy = `noisy-${world.id}`;
    await dispatcher.operations.createConnection(noisy, {
      name: 'slow',
      url: slow.url,
      filter: { eventTypes: ['coworking.*'] },
      maxInFlight: 2,
      retry: { ...fastRetry, timeoutMs: 30_000 },
    });
    const quiet = await dispatcher.operations.createConnection(world.tenant, {
      name: 'fast',
      url: fast.url,
      filter: { eventTypes: ['coworking.*'] },
    });
    await dispatcher.start();
    const data = example('coworking.person.created');
    // One delivered and finished for tenant B before the noise, to redeliver during it.
    const [first] = await world.publish([{ type: 'coworking.person.created', subject: 'quiet-0', data }]);
    await until('first delivered', () => fast.requests.length === 1);
    await world.publish(
      Array.from({ length: 600 }, (_, n) => ({
        tenant: noisy,
        type: 'coworking.person.created',
        subject: `noisy-${n}`,
        data,
      })),
    );
    await until(
      'the noisy backlog is queued (stored past its batch time)',
      async () => (await dispatcher.collections.queue.countDocuments({})) >= 500,
      90_000,
    );
    expect(slow.requests.length).toBeLessThanOrEqual(2);

    const sentAt = Date.now();
    await world.publish([{ type: 'coworking.person.created', subject: 'quiet-1', data }]);
    await until('a new delivery of the quiet tenant', () => fast.requests.length === 2, 10_000);
    const newLatency = Date.now() - sentAt;

    const delivery = await until('recorded', async () =>
      dispatcher.collections.deliveries.findOne({ eventId: first!.id, connectionId: quiet._id, status: 'succeeded' }),
    );
    const redeliveredAt = Date.now();
    await dispatcher.operations.redeliver(world.tenant, delivery._id);
    await until('the redelivery of the quiet tenant', () => fast.requests.length === 3, 10_000);
    const redeliveryLatency = Date.now() - redeliveredAt;
    expect(fast.requests[2]!.headers['webhook-id']).toBe(delivery._id);
    // Milliseconds when alone; seconds at most here, on a busy 2-core test machine — never the noisy backlog's minutes.
    expect(newLatency).toBeLessThan(3000);
    expect(redeliveryLatency).toBeLessThan(3000);
    expect(slow.requests.length).toBeLessThanOrEqual(2);
  }, 180_000);

  it("keeps a connection's rate limit without holding up the tenant's other connections", async () => {
    const limited = await world.receiver();
    const free = await world.receiver();
    const dispatcher = world.dispatcher();
    await dispatcher.operations.createConnection(world.tenant, {
      name: 'limited',
      url: limited.url,
      filter: { eventTypes: ['coworking.*'] },
      rateLimit: 5,
    });
    await dispatcher.operations.createConnection(world.tenant, {
      name: 'free',
      url: free.url,
      filter: { eventTypes: ['coworking.*'] },
    });
    await dispatcher.start();
    const data = example('coworking.person.created');
    await world.publish(
      Array.from({ length: 15 }, (_, n) => ({ type: 'coworking.person.created', subject: `person-${n}`, data })),
    );
    await until('all 15 at the limited receiver', () => limited.requests.length === 15, 20_000);
    await until('all 15 at the free receiver', () => free.requests.length === 15);
    const span = (requests: { at: number }[]) => requests.at(-1)!.at - requests[0]!.at;
    // A second's worth at once, then 5 per second: the other 10 take about 2 s.
    expect(span(limited.requests)).toBeGreaterThanOrEqual(1700);
    // In any window of one second after the first burst, at most 5 (plus one at the edge).
    const times = limited.requests.map((request) => request.at);
    for (const start of times.slice(5))
      expect(times.filter((at) => at >= start && at < start + 1000).length).toBeLessThanOrEqual(6);
    // The other connection is neither paced (a tenant-wide limit) nor queued behind the limited one.
    expect(free.requests[14]!.at).toBeLessThan(limited.requests[14]!.at);
    expect(span(free.requests)).toBeLessThan(span(limited.requests));
  }, 60_000);
});

describe('stored state after a recovery', () => {
  it('stores the reset of the failure count when a request succeeds after failures', async () => {
    let calls = 0;
    const receiver = await world.receiver(() => (++calls <= 2 ? 500 : 200));
    const { dispatcher, connection } = await connect(receiver.url, { eventTypes: ['coworking.charge.*'] });
    await dispatcher.start();
    await world.publish([
      { type: 'coworking.charge.generated', subject: 'charge-r', data: example('coworking.charge.generated') },
    ]);
    await until(
      'two failures stored',
      async () =>
        (await dispatcher.collections.connections.findOne({ _id: connection._id }))?.consecutiveFailures === 2,
    );
    await until(
      'succeeded',
      async () =>
        (await dispatcher.collections.deliveries.countDocuments({
          connectionId: connection._id,
          status: 'succeeded',
        })) === 1,
    );
    await until(
      'the reset stored',
      async () =>
        (await dispatcher.collections.connections.findOne({ _id: connection._id }))?.consecutiveFailures === 0,
    );
    // Another instance reading the connection sees no stale count.
    expect((await dispatcher.operations.getConnection(world.tenant, connection._id)).consecutiveFailures).toBe(0);
  });

  /** A receiver failing everything until `failOnceMore` is called, then failing exactly once and succeeding after. */
  function flakyReceiver() {
    let mode: 'failing' | 'once' | 'fine' = 'failing';
    return {
      failOnceMore: () => (mode = 'once'),
      respond: () => {
        if (mode === 'failing') return 500;
        if (mode === 'once') {
          mode = 'fine';
          return 503;
        }
        return 200;
      },
    };
  }
  const shortWindow = { maxAttempts: 3, windowSeconds: 1, timeoutMs: 2000, backoffSeconds: [0.2] };

  it.each(['redeliver', 'recover'] as const)(
    '%s starts a new round with a new window: a receiver failing once is retried after the old window passed',
    async (operation) => {
      const flaky = flakyReceiver();
      const receiver = await world.receiver(flaky.respond);
      const { dispatcher, connection } = await connect(
        receiver.url,
        { eventTypes: ['coworking.lead.*'] },
        { retry: shortWindow },
      );
      await dispatcher.start();
      const since = new Date();
      await world.publish([
        { type: 'coworking.lead.created', subject: 'lead-w', data: example('coworking.lead.created') },
      ]);
      const failed = await until('failed', async () =>
        dispatcher.collections.deliveries.findOne({ connectionId: connection._id, status: 'failed' }),
      );
      // Well past the first round's window.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      flaky.failOnceMore();
      const before = receiver.requests.length;
      if (operation === 'redeliver') await dispatcher.operations.redeliver(world.tenant, failed._id);
      else expect(await dispatcher.operations.recover(world.tenant, connection._id, since)).toBe(1);
      const done = await until('succeeded on the retry', async () => {
        const found = await dispatcher.collections.deliveries.findOne({ _id: failed._id });
        return found?.status === 'succeeded' ? found : null;
      });
      expect(receiver.requests.length - before).toBe(2);
      expect(done.roundDeadline.getTime()).toBeGreaterThan(failed.roundDeadline.getTime() + 1000);
    },
  );

  it('release on unblock starts a new round with a new window: a receiver failing once is retried after the old window passed', async () => {
    const flaky = flakyReceiver();
    const receiver = await world.receiver(flaky.respond);
    const { dispatcher, connection } = await connect(
      receiver.url,
      { eventTypes: ['coworking.lead.*'] },
      { retry: { ...shortWindow, maxAttempts: 10, windowSeconds: 5, backoffSeconds: [0.05] } },
    );
    await dispatcher.start();
    await world.publish([
      { type: 'coworking.lead.created', subject: 'lead-b', data: example('coworking.lead.created') },
    ]);
    await until(
      'blocked',
      async () => (await dispatcher.collections.connections.findOne({ _id: connection._id }))?.status === 'blocked',
    );
    const held = await until('held', async () =>
      dispatcher.collections.deliveries.findOne({ connectionId: connection._id, status: 'held' }),
    );
    // Past the held delivery's first window (5 s from ingest).
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, held.roundDeadline.getTime() - Date.now()) + 300));
    flaky.failOnceMore();
    const before = receiver.requests.length;
    expect(await dispatcher.operations.unblock(world.tenant, connection._id, 'release')).toEqual({ deliveries: 1 });
    await until(
      'succeeded on the retry',
      async () => (await dispatcher.collections.deliveries.findOne({ _id: held._id }))?.status === 'succeeded',
    );
    expect(receiver.requests.length - before).toBe(2);
  }, 30_000);
});

describe('several instances', () => {
  it('loses nothing when an instance dies mid-flight: another takes over its shards and its partitions', async () => {
    // Slow answers, so the crash finds requests in flight and deliveries still queued.
    const receiver = await world.receiver(() => 200);
    const slow = receiver.respond;
    receiver.respond = (request) => {
      const end = Date.now() + 30;
      while (Date.now() < end);
      return slow(request);
    };
    const first = world.dispatcher({ instanceId: 'first' });
    const connection = await first.operations.createConnection(world.tenant, {
      name: 'c',
      url: receiver.url,
      filter: { eventTypes: ['coworking.*'] },
      maxInFlight: 2,
    });
    await first.start();
    const data = example('coworking.person.created');
    const events = await world.publish(
      Array.from({ length: 40 }, (_, n) => ({ type: 'coworking.person.created', subject: `person-${n}`, data })),
    );
    await until('some delivered', () => receiver.requests.length >= 5);
    await first.kill();
    const delivered = receiver.requests.length;
    expect(delivered).toBeLessThan(40);

    const second = world.dispatcher({ instanceId: 'second' });
    await second.start();
    await until(
      'every event delivered',
      async () => {
        const ids = new Set(receiver.requests.map((request) => request.headers['webhook-id']));
        return ids.size === 40;
      },
      40_000,
    );
    // Recorded after the answer arrives (the request slot is freed first): wait for the records.
    await until(
      'all recorded as succeeded',
      async () => (await second.collections.deliveries.countDocuments({ status: 'succeeded' })) === 40,
    );
    const deliveries = await second.collections.deliveries.find({ connectionId: connection._id });
    expect(deliveries).toHaveLength(events.length);
  });

  it('two instances share the work without sending anything twice', async () => {
    const receivers = await Promise.all(Array.from({ length: 8 }, () => world.receiver()));
    const first = world.dispatcher({ instanceId: 'one' });
    const second = world.dispatcher({ instanceId: 'two' });
    for (const [n, receiver] of receivers.entries()) {
      await first.operations.createConnection(world.tenant, {
        name: `c${n}`,
        url: receiver.url,
        filter: { eventTypes: ['marketplace.project.*'] },
      });
    }
    await first.start();
    await second.start();
    const data = example('marketplace.project.new_sent');
    const total = 60;
    for (let batch = 0; batch < 3; batch++) {
      await world.publish(
        Array.from({ length: total / 3 }, (_, n) => ({
          type: 'marketplace.project.new_sent',
          subject: `project-${batch}-${n}`,
          data,
        })),
      );
      await new Promise((resolve) => setTimeout(resolve, 400));
    }
    await until('all delivered', () => receivers.every((receiver) => receiver.requests.length >= total), 40_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const receiver of receivers) {
      const ids = receiver.requests.map((request) => request.headers['webhook-id']);
      expect(new Set(ids).size).toBe(total);
      expect(ids).toHaveLength(total);
    }
    // The shards ended up split, each owned once.
    await until(
      'shards balanced',
      () => first.ownedShards().length === 16 && second.ownedShards().length === 16,
      10_000,
    );
    expect(new Set([...first.ownedShards(), ...second.ownedShards()]).size).toBe(32);
    // 480 deliveries on FerretDB's single SQLite writer: ~25 s on a loaded 2-core machine.
  }, 90_000);
});

describe('operations', () => {
  it('sends a test of a chosen type at once and returns the receiver answer, recorded as a test', async () => {
    const receiver = await world.receiver(() => 202);
    const { dispatcher, connection } = await connect(receiver.url, {
      record: { model: 'account.invoice', operations: ['update'], fields: ['partner_id'] },
    });
    const result = await dispatcher.operations.sendTest(world.tenant, connection._id, 'accounting.invoice.updated');
    expect(result).toMatchObject({ ok: true, status: 202, responseBody: 'answer 202' });
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
    expect(receiver.requests).toHaveLength(1);
    expect(receiver.requests[0]!.json).toMatchObject({
      object: 'account.invoice',
      operation: 'update',
      values: { partner_id: 218 },
      previous_values: { partner_id: 215 },
    });
    const stored = await dispatcher.collections.deliveries.findOne({ _id: result.deliveryId });
    expect(stored).toMatchObject({ test: true, status: 'succeeded', attemptCount: 1, lastStatus: 202 });
    expect(await dispatcher.collections.attempts.countDocuments({ deliveryId: result.deliveryId })).toBe(1);

    const down = await dispatcher.operations.createConnection(world.tenant, {
      name: 'down',
      url: 'http://127.0.0.1:9/nothing',
      filter: { eventTypes: ['*'] },
      retry: fastRetry,
    });
    const failed = await dispatcher.operations.sendTest(world.tenant, down._id, 'coworking.lead.created');
    expect(failed.ok).toBe(false);
    expect(failed.error).toMatch(/ECONNREFUSED/);
    // A test never counts towards blocking.
    expect((await dispatcher.collections.connections.findOne({ _id: down._id }))!.consecutiveFailures).toBe(0);
    await expect(
      dispatcher.operations.sendTest('another-tenant', connection._id, 'coworking.lead.created'),
    ).rejects.toThrow(/no connection/);
  });

  it('redelivers one delivery and recovers every failed delivery since a time', async () => {
    let healthy = false;
    const receiver = await world.receiver(() => (healthy ? 200 : 500));
    const { dispatcher, connection } = await connect(
      receiver.url,
      { eventTypes: ['coworking.lead.*'] },
      { retry: { ...fastRetry, maxAttempts: 1 } },
    );
    await dispatcher.start();
    const since = new Date();
    const data = example('coworking.lead.created');
    await world.publish([1, 2, 3].map((n) => ({ type: 'coworking.lead.created', subject: `lead-${n}`, data })));
    const failed = await until('three failed', async () => {
      const found = await dispatcher.collections.deliveries.find({ connectionId: connection._id, status: 'failed' });
      return found.length === 3 ? found : null;
    });
    healthy = true;
    await dispatcher.operations.redeliver(world.tenant, failed[0]!._id);
    await until(
      'redelivered',
      async () => (await dispatcher.collections.deliveries.findOne({ _id: failed[0]!._id }))?.status === 'succeeded',
    );
    expect(receiver.requests.filter((request) => request.headers['webhook-id'] === failed[0]!._id)).toHaveLength(2);

    expect(await dispatcher.operations.recover(world.tenant, connection._id, since)).toBe(2);
    await until(
      'recovered',
      async () =>
        (await dispatcher.collections.deliveries.countDocuments({
          connectionId: connection._id,
          status: 'succeeded',
        })) === 3,
    );
    expect(receiver.requests).toHaveLength(6);
    // Nothing failed is left to recover.
    expect(await dispatcher.operations.recover(world.tenant, connection._id, since)).toBe(0);
  });
});
