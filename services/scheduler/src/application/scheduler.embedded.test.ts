// The scheduler on the embedded backends (the all-in-one, zero-setup mode): the
// same timers, claims and firing as on the real servers, with a fake owner.
import { EmbeddedEventBus } from '@hookline/bus';
import { createEvent, domainTopics, findEventType, toKafkaMessage } from '@hookline/events';
import { createLogger } from '@hookline/http';
import { EmbeddedDocumentStore } from '@hookline/store';
import { afterEach, describe, expect, it } from 'vitest';
import type { OwnerCall, OwnerClient } from '../adapters/owner-client.js';
import { Scheduler } from './scheduler.js';

const logger = createLogger({ name: 'scheduler-embedded-test', level: 'silent' });
let ms = Date.parse('2026-02-01T10:00:00Z');
const now = () => new Date(ms);

function fakeOwner(
  answer: (call: OwnerCall) => Promise<{ status?: number; body?: string }> = async () => ({
    status: 200,
    body: '{"events":[]}',
  }),
) {
  const calls: OwnerCall[] = [];
  const client: OwnerClient = {
    call: async (call) => {
      calls.push(call);
      return answer(call);
    },
    close: async () => undefined,
  };
  return { calls, client };
}

const running: Scheduler[] = [];
function scheduler(bus: EmbeddedEventBus, store: EmbeddedDocumentStore, client: OwnerClient, pollMs = 20) {
  const instance = new Scheduler({
    bus,
    store,
    logger,
    now,
    client,
    topics: [domainTopics.marketplace, domainTopics.coworking],
    groupId: 'scheduler',
    baseUrl: (service) => `http://${service}.test`,
    pollMs,
    leaseMs: 10_000,
    callTimeoutMs: 1_000,
    batchSize: 5,
    concurrency: 4,
    maxAttempts: 3,
    retryBaseMs: 1_000,
    retryMaxMs: 10_000,
    filesRetentionDays: 30,
  });
  running.push(instance);
  return instance;
}

afterEach(async () => {
  for (const instance of running.splice(0)) await instance.stop();
});

async function publishOffer(bus: EmbeddedEventBus, tenant: string, projectId: string, validUntil: string, id?: string) {
  const example = structuredClone(findEventType('marketplace.project.new_sent')!.example) as {
    project: Record<string, unknown>;
  };
  const event = createEvent({
    type: 'marketplace.project.new_sent',
    tenant,
    subject: `${tenant}/${projectId}`,
    data: { ...example, project: { ...example.project, id: projectId, offerValidUntil: validUntil } },
    ...(id ? { id } : {}),
  });
  const message = toKafkaMessage(event);
  await bus.publish(domainTopics.marketplace, [{ key: message.key, value: message.value, headers: message.headers }]);
  return event;
}

async function until(probe: () => Promise<boolean> | boolean, what: string) {
  const deadline = Date.now() + 5_000;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('the scheduler on the embedded backends', () => {
  it('learns deadlines from the bus and, with two instances, fires each once at its time; replays schedule nothing twice', async () => {
    const bus = new EmbeddedEventBus();
    const store = new EmbeddedDocumentStore();
    const owner = fakeOwner(async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return { status: 200, body: '{"events":[{"type":"marketplace.project.expired"}]}' };
    });
    const [a, b] = [scheduler(bus, store, owner.client), scheduler(bus, store, owner.client)];
    await a.start();
    await b.start();
    const validUntil = new Date(ms + 3_600_000).toISOString();
    const events = [];
    for (let i = 0; i < 12; i++) events.push(await publishOffer(bus, 'emb', `prj_${i}`, validUntil));
    await publishOffer(bus, 'emb', 'prj_0', validUntil, events[0]!.id);
    await until(
      async () => (await a.timers.list({ tenant: 'emb', status: 'pending' })).length === 12,
      '12 pending timers',
    );

    ms += 3_600_000 - 1;
    await a.tick();
    expect(owner.calls).toEqual([]);
    ms += 1;
    await Promise.all([a.tick(), b.tick()]);
    await until(async () => (await a.timers.list({ tenant: 'emb', status: 'fired' })).length === 12, '12 fired timers');
    expect(owner.calls.map((call) => call.url).sort()).toEqual(
      Array.from({ length: 12 }, (_, i) => `http://marketplace.test/marketplace/projects/prj_${i}/expire-offer`).sort(),
    );
    expect(owner.calls[0]).toMatchObject({ tenant: 'emb', body: {}, timeoutMs: 1_000 });

    await publishOffer(bus, 'emb', 'prj_0', validUntil, events[0]!.id);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await Promise.all([a.tick(), b.tick()]);
    expect(owner.calls).toHaveLength(12);
  });

  it('supersedes the claim of a holder that died after its call, once the lease has ended', async () => {
    const bus = new EmbeddedEventBus();
    const store = new EmbeddedDocumentStore();
    // The first call never answers: its instance is killed meanwhile.
    let first = true;
    const owner = fakeOwner(
      (call) =>
        new Promise((resolve) => {
          if (!first) return resolve({ status: 200, body: '{}' });
          first = false;
          call.signal?.addEventListener('abort', () => resolve({ error: 'aborted' } as never));
        }),
    );
    const a = scheduler(bus, store, owner.client, 60_000);
    await a.start();
    await publishOffer(bus, 'crash', 'prj_1', new Date(ms + 1000).toISOString());
    await until(async () => (await a.timers.list({ tenant: 'crash' })).length === 1, 'the timer');
    ms += 1000;
    a.wake();
    await until(() => owner.calls.length === 1, 'the first call');
    await a.kill();

    const b = scheduler(bus, store, owner.client, 60_000);
    await b.start();
    await b.tick();
    expect(owner.calls).toHaveLength(1);
    ms += 10_000;
    await b.tick();
    expect(owner.calls).toHaveLength(2);
    const [timer] = await b.timers.list({ tenant: 'crash' });
    expect(timer).toMatchObject({ status: 'fired', calls: 1, firedBy: b.instanceId });
    ms += 60_000;
    await b.tick();
    expect(owner.calls).toHaveLength(2);
  });

  it('retries with back-off and marks the timer failed when the attempts run out', async () => {
    const bus = new EmbeddedEventBus();
    const store = new EmbeddedDocumentStore();
    const owner = fakeOwner(async () => ({ status: 503, body: 'busy' }));
    const a = scheduler(bus, store, owner.client, 60_000);
    await a.prepare();
    await publishOffer(bus, 'retry', 'prj_1', new Date(ms + 1000).toISOString());
    await a.start();
    await until(async () => (await a.timers.list({ tenant: 'retry' })).length === 1, 'the timer');
    ms += 1000;
    await a.tick();
    let [timer] = await a.timers.list({ tenant: 'retry' });
    expect(timer).toMatchObject({ status: 'pending', failures: 1, nextAttemptAt: new Date(ms + 1000) });
    ms += 1000;
    await a.tick();
    [timer] = await a.timers.list({ tenant: 'retry' });
    expect(timer).toMatchObject({ status: 'pending', failures: 2, nextAttemptAt: new Date(ms + 2000) });
    ms += 2000;
    await a.tick();
    [timer] = await a.timers.list({ tenant: 'retry' });
    expect(timer).toMatchObject({ status: 'failed', failures: 3, calls: 3, lastError: 'HTTP 503: busy' });
    expect(owner.calls).toHaveLength(3);
    // An operator sends it again.
    expect(await a.timers.again(timer!._id, ['failed'])).toMatchObject({ status: 'pending', failures: 0 });
  });

  it("keeps a charge's reminders in line with its due date and the tenant's rules", async () => {
    const bus = new EmbeddedEventBus();
    const store = new EmbeddedDocumentStore();
    const owner = fakeOwner();
    const a = scheduler(bus, store, owner.client, 60_000);
    await a.start();
    const charge = async (type: string, dueDate: string) => {
      const example = structuredClone(findEventType(type)!.example) as Record<string, unknown>;
      const event = createEvent({
        type,
        tenant: 'cw',
        subject: 'coworking.charge:77',
        data: { ...example, chargeId: 77, dueDate },
        time: now(),
      });
      const message = toKafkaMessage(event);
      await bus.publish(domainTopics.coworking, [{ key: message.key, value: message.value, headers: message.headers }]);
    };
    const pending = async () =>
      Object.fromEntries(
        (await a.timers.list({ tenant: 'cw', status: 'pending' })).map((timer) => [
          (timer.params as { ruleId: number }).ruleId,
          timer.dueAt.toISOString(),
        ]),
      );

    await a.reminders.putRule('cw', 1, { daysFromDueDate: -2, unitTimeZone: 'GMT-03:00' });
    await charge('coworking.charge.generated', '2026-02-20');
    await until(async () => Object.keys(await pending()).length === 1, 'the first reminder');
    expect(await pending()).toEqual({ 1: '2026-02-18T12:00:00.000Z' });

    // A rule set later covers the open charge; a changed rule moves its reminders.
    await a.reminders.putRule('cw', 2, { daysFromDueDate: 3, unitTimeZone: 'UTC', sendAt: '10:30' });
    await a.reminders.putRule('cw', 1, { daysFromDueDate: -1, unitTimeZone: 'GMT-03:00' });
    expect(await pending()).toEqual({ 1: '2026-02-19T12:00:00.000Z', 2: '2026-02-23T10:30:00.000Z' });

    // The due date moves (a negotiation): so do the reminders.
    await charge('coworking.charge.status_changed', '2026-03-05');
    await until(async () => (await pending())[1] === '2026-03-04T12:00:00.000Z', 'the reminders to move');
    expect(await pending()).toEqual({ 1: '2026-03-04T12:00:00.000Z', 2: '2026-03-08T10:30:00.000Z' });

    // A deleted rule's reminders are cancelled; settling cancels the rest.
    expect(await a.reminders.deleteRule('cw', 2)).toBe(true);
    expect(await pending()).toEqual({ 1: '2026-03-04T12:00:00.000Z' });
    await charge('coworking.charge.settled', '2026-03-05');
    await until(async () => Object.keys(await pending()).length === 0, 'the reminders to be cancelled');
    expect(
      (await a.timers.list({ tenant: 'cw', status: 'cancelled' })).map((timer) => timer.cancelReason).sort(),
    ).toEqual(['rule_deleted', 'settled']);
    // A replayed generation does not reopen the paid charge.
    await charge('coworking.charge.generated', '2026-03-05');
    await a.reminders.putRule('cw', 3, { daysFromDueDate: 0, unitTimeZone: 'UTC' });
    expect(await pending()).toEqual({});
  });
});
