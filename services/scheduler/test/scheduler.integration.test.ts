// The scheduler on the real servers (Kafka, FerretDB), with an injected clock:
// the real marketplace and coworking services in-process (their commands driven
// over HTTP, their events published by their relays), and a recording coworking
// endpoint that answers itself where a test needs failures, hangs or volume.
import { chargeGenerated } from '@hookline/events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  asService,
  chargeData,
  clock,
  createWorld,
  credentials,
  DAY,
  forwardTo,
  HOUR,
  LEASE_MS,
  MINUTE,
  sleep,
  timersOf,
  until,
  type RecordedCall,
  type SchedulerInstance,
  type World,
} from './harness.js';

let world: World;
let scheduler: SchedulerInstance;

beforeAll(async () => {
  world = await createWorld();
  scheduler = await world.scheduler();
});
afterAll(async () => {
  await world?.close();
});

const buyer = { id: 'usr_3Fh8sL', name: 'Ilze Kalniņa' };
let sellers = 0;

/** A marketplace caller: `call(path, body)` as the seller, the buyer or the system. */
function party(tenant: string, role: 'seller' | 'buyer' | 'system', id: string) {
  return async (path: string, payload: object = {}) => {
    const answer = await world.marketplace.app.inject({
      method: 'POST',
      url: `/marketplace${path}`,
      headers: asService(tenant, { 'hookline-actor-role': role, 'hookline-actor-id': id }),
      payload,
    });
    expect(answer.statusCode, `${path}: ${answer.body}`).toBeLessThan(300);
    return answer.json<{ projectId: string; status: string; events: { type: string }[] }>();
  };
}

/** A new project of its own seller (the free plan allows one active project per seller), sent to the buyer. */
async function sentProject(tenant: string, offer: { offerValidUntil?: string } = {}) {
  const seller = party(tenant, 'seller', `usr_seller_${++sellers}`);
  const asBuyer = party(tenant, 'buyer', buyer.id);
  const { projectId } = await seller('/projects', {
    title: 'Virtuves skapji',
    price: 1250,
    currency: 'EUR',
    deliveryDeadline: clock.date(120),
  });
  await seller(`/projects/${projectId}/send-offer`, { buyer, ...offer });
  return {
    projectId,
    seller,
    buyer: asBuyer,
    command: (command: string, body?: object) => seller(`/projects/${projectId}/${command}`, body),
  };
}

async function projectStatus(
  tenant: string,
  projectId: string,
): Promise<{ status: string; addons: { addon: { id: string; status: string } }[] }> {
  const answer = await world.marketplace.app.inject({
    method: 'GET',
    url: `/marketplace/projects/${projectId}`,
    headers: asService(tenant, { 'hookline-actor-role': 'system', 'hookline-actor-id': 'test' }),
  });
  return answer.json();
}

/** The events the marketplace appended to a project's stream, by type. */
async function marketplaceEvents(tenant: string, projectId: string): Promise<string[]> {
  const stored = await world.marketplace.context.store
    .collection<{ _id: string; stream: string; version: number; envelope: { type: string } }>('marketplace_events')
    .find({ stream: `${tenant}/${projectId}` }, { sort: { version: 1 } });
  return stored.map((event) => event.envelope.type.replace('marketplace.project.', ''));
}

const callsTo = (calls: RecordedCall[], tenant: string, pathPart: string) =>
  calls.filter((call) => call.tenant === tenant && call.path.includes(pathPart));

async function timer(tenant: string, id: string) {
  return (await timersOf(scheduler, { tenant })).find((candidate) => candidate.id === id);
}

async function timerIn(tenant: string, id: string, status: string) {
  return until(async () => {
    const found = await timer(tenant, id);
    return found?.status === status ? found : undefined;
  }, `timer ${id} to be ${status}`);
}

describe('marketplace timers', () => {
  it(
    'fires each timer kind once, at its time: offer expiry, add-on expiry, end of support, files clean-up',
    { timeout: 90_000 },
    async () => {
      const tenant = `mkt-${world.id}`;
      const start = clock.ms;
      // P1: an offer valid for two days.
      const p1 = await sentProject(tenant, { offerValidUntil: new Date(start + 2 * DAY).toISOString() });
      // P2: signed, paid, an add-on valid for a day, delivered with 6 files and approved: 30 days of support.
      const p2 = await sentProject(tenant);
      await p2.buyer(`/projects/${p2.projectId}/sign-offer`);
      await p2.buyer(`/projects/${p2.projectId}/simulate-payment`, { outcome: 'succeeded' });
      await p2.buyer(`/projects/${p2.projectId}/start-work`);
      const addon = await p2.command('propose-addon', {
        title: 'Papildu skapīši',
        price: 180,
        validUntil: new Date(start + DAY).toISOString(),
      });
      const addonId = (addon.events[0] as unknown as { data: { addon: { id: string } } }).data.addon.id;
      await p2.command('deliver', { message: 'Skapji uzstādīti.', filesCount: 6 });
      await p2.buyer(`/projects/${p2.projectId}/approve-stage`);

      const key = (kind: string, projectId: string, ...parts: string[]) =>
        [`marketplace.${kind}:${tenant}/${projectId}`, ...parts].join(':');
      const offerExpiry = await timerIn(tenant, key('offer_expiry', p1.projectId), 'pending');
      expect(offerExpiry.dueAt).toBe(new Date(start + 2 * DAY).toISOString());
      expect((await timerIn(tenant, key('offer_expiry', p2.projectId), 'cancelled')).cancelReason).toBe(
        'active_signed',
      );
      expect((await timerIn(tenant, key('addon_expiry', p2.projectId, addonId), 'pending')).dueAt).toBe(
        new Date(start + DAY).toISOString(),
      );
      expect((await timerIn(tenant, key('support_end', p2.projectId), 'pending')).dueAt).toBe(
        new Date(start + 30 * DAY).toISOString(),
      );

      const calls = () => world.marketplaceProxy.calls.filter((call) => call.tenant === tenant);
      // A second before the add-on's validity ends: nothing.
      clock.set(start + DAY - 1000);
      await sleep(500);
      expect(calls()).toEqual([]);

      clock.set(start + DAY);
      await timerIn(tenant, key('addon_expiry', p2.projectId, addonId), 'fired');
      expect((await projectStatus(tenant, p2.projectId)).addons[0]!.addon.status).toBe('expired');

      clock.set(start + 2 * DAY);
      const expiry = await timerIn(tenant, key('offer_expiry', p1.projectId), 'fired');
      expect(expiry.result).toMatchObject({ httpStatus: 200, events: ['marketplace.project.expired'] });
      expect((await projectStatus(tenant, p1.projectId)).status).toBe('expired');
      // The project ended: its files are cleaned up 30 days later.
      expect((await timerIn(tenant, key('files_cleanup', p1.projectId), 'pending')).dueAt).toBe(
        new Date(start + 32 * DAY).toISOString(),
      );

      clock.set(start + 30 * DAY - 1000);
      await sleep(300);
      expect(callsTo(calls(), tenant, '/finish-support')).toEqual([]);
      clock.set(start + 30 * DAY);
      await timerIn(tenant, key('support_end', p2.projectId), 'fired');
      expect((await projectStatus(tenant, p2.projectId)).status).toBe('finished');
      expect((await timerIn(tenant, key('files_cleanup', p2.projectId), 'pending')).dueAt).toBe(
        new Date(start + 60 * DAY).toISOString(),
      );

      clock.set(start + 32 * DAY);
      await timerIn(tenant, key('files_cleanup', p1.projectId), 'fired');
      clock.set(start + 60 * DAY);
      await timerIn(tenant, key('files_cleanup', p2.projectId), 'fired');

      // Once each, never before its time, and the marketplace emitted each event once.
      await sleep(500);
      const byCommand = (command: string) => calls().filter((call) => call.path.endsWith(`/${command}`));
      expect(byCommand('expire-addon').map((call) => [call.path, call.body, call.at])).toEqual([
        [`/marketplace/projects/${p2.projectId}/expire-addon`, { addonId }, start + DAY],
      ]);
      expect(byCommand('expire-offer').map((call) => [call.path, call.at])).toEqual([
        [`/marketplace/projects/${p1.projectId}/expire-offer`, start + 2 * DAY],
      ]);
      expect(byCommand('finish-support').map((call) => [call.path, call.at])).toEqual([
        [`/marketplace/projects/${p2.projectId}/finish-support`, start + 30 * DAY],
      ]);
      expect(byCommand('record-files-deleted').map((call) => [call.path, call.body])).toEqual([
        [
          `/marketplace/projects/${p1.projectId}/record-files-deleted`,
          { fileCount: 0, totalBytes: 0, scheduledAt: new Date(start + 32 * DAY).toISOString() },
        ],
        [
          `/marketplace/projects/${p2.projectId}/record-files-deleted`,
          { fileCount: 6, totalBytes: 0, scheduledAt: new Date(start + 60 * DAY).toISOString() },
        ],
      ]);
      // As the tenant's system, with the service credential (the marketplace accepts the actor headers from it only).
      for (const call of calls())
        expect(call.headers).toMatchObject({
          authorization: `Bearer ${credentials.service}`,
          'hookline-actor-role': 'system',
          'hookline-actor-id': 'scheduler',
        });
      expect(calls()).toHaveLength(5);
      expect(await marketplaceEvents(tenant, p1.projectId)).toEqual([
        'new_draft',
        'new_sent',
        'expired',
        'files_deleted',
      ]);
      expect(
        (await marketplaceEvents(tenant, p2.projectId)).filter((type) =>
          ['expired_addon', 'support_finished', 'project_finished', 'files_deleted'].includes(type),
        ),
      ).toEqual(['expired_addon', 'support_finished', 'project_finished', 'files_deleted']);
      for (const fired of await timersOf(scheduler, { tenant, status: 'fired' })) expect(fired.calls, fired.id).toBe(1);
    },
  );

  it(
    'cancels: an offer signed before it expires, and a withdrawn add-on, get no call',
    { timeout: 60_000 },
    async () => {
      const tenant = `cancel-${world.id}`;
      const start = clock.ms;
      const project = await sentProject(tenant, { offerValidUntil: new Date(start + HOUR).toISOString() });
      await timerIn(tenant, `marketplace.offer_expiry:${tenant}/${project.projectId}`, 'pending');
      await project.buyer(`/projects/${project.projectId}/sign-offer`);
      await project.buyer(`/projects/${project.projectId}/simulate-payment`, { outcome: 'succeeded' });
      await project.buyer(`/projects/${project.projectId}/start-work`);
      const addon = await project.command('propose-addon', {
        title: 'Plaukti',
        price: 90,
        validUntil: new Date(start + 2 * HOUR).toISOString(),
      });
      const addonId = (addon.events[0] as unknown as { data: { addon: { id: string } } }).data.addon.id;
      await timerIn(tenant, `marketplace.addon_expiry:${tenant}/${project.projectId}:${addonId}`, 'pending');
      await project.command('withdraw-addon', { addonId });

      expect(
        (await timerIn(tenant, `marketplace.offer_expiry:${tenant}/${project.projectId}`, 'cancelled')).cancelReason,
      ).toBe('active_signed');
      expect(
        (await timerIn(tenant, `marketplace.addon_expiry:${tenant}/${project.projectId}:${addonId}`, 'cancelled'))
          .cancelReason,
      ).toBe('withdrawn_addon');
      clock.set(start + 3 * HOUR);
      await scheduler.scheduler.tick();
      await sleep(300);
      expect(world.marketplaceProxy.calls.filter((call) => call.tenant === tenant)).toEqual([]);
      expect((await projectStatus(tenant, project.projectId)).status).toBe('work');
    },
  );

  it(
    "keeps a held project's files (files_not_deleted with the reason) and deletes them once the hold is lifted",
    { timeout: 60_000 },
    async () => {
      const tenant = `hold-${world.id}`;
      const start = clock.ms;
      const project = await sentProject(tenant);
      await project.command('withdraw-offer', { reason: 'Kļūda cenā' });
      const cleanup = `marketplace.files_cleanup:${tenant}/${project.projectId}`;
      await timerIn(tenant, cleanup, 'pending');
      const hold = await scheduler.platform.app.inject({
        method: 'PUT',
        url: `/scheduler/file-holds/${project.projectId}`,
        headers: asService(tenant),
        payload: { reason: 'open_dispute' },
      });
      expect(hold.statusCode, hold.body).toBe(200);
      // Listed a page at a time: three holds, two per page.
      for (const other of ['zz-a', 'zz-b']) {
        await scheduler.platform.app.inject({
          method: 'PUT',
          url: `/scheduler/file-holds/${other}`,
          headers: asService(tenant),
          payload: { reason: 'retention_hold' },
        });
      }
      const list = (after?: string) =>
        scheduler.platform.app
          .inject({
            method: 'GET',
            url: `/scheduler/file-holds?limit=2${after ? `&after=${after}` : ''}`,
            headers: asService(tenant),
          })
          .then((answer) => answer.json<{ data: { projectId: string }[]; next: string | null }>());
      const first = await list();
      const second = await list(first.next!);
      expect([...first.data, ...second.data].map((h) => h.projectId)).toEqual(
        [project.projectId, 'zz-a', 'zz-b'].sort(),
      );
      expect(second.next).toBeNull();
      for (const other of ['zz-a', 'zz-b'])
        await scheduler.platform.app.inject({
          method: 'DELETE',
          url: `/scheduler/file-holds/${other}`,
          headers: asService(tenant),
        });

      clock.set(start + 30 * DAY);
      const kept = await timerIn(tenant, cleanup, 'fired');
      expect(kept.result).toMatchObject({ events: ['marketplace.project.files_not_deleted'] });
      const lifted = await scheduler.platform.app.inject({
        method: 'DELETE',
        url: `/scheduler/file-holds/${project.projectId}`,
        headers: asService(tenant),
      });
      expect(lifted.json()).toEqual({ cleanupRescheduled: true });
      await until(
        async () => (await timer(tenant, cleanup))?.result?.events?.[0] === 'marketplace.project.files_deleted',
        'the clean-up to delete the files',
      );

      const calls = world.marketplaceProxy.calls.filter((call) => call.tenant === tenant);
      expect(calls.map((call) => [call.path.split('/').pop(), call.body.reason])).toEqual([
        ['record-files-not-deleted', 'open_dispute'],
        ['record-files-deleted', undefined],
      ]);
      expect((await marketplaceEvents(tenant, project.projectId)).slice(-2)).toEqual([
        'files_not_deleted',
        'files_deleted',
      ]);
    },
  );
});

describe('coworking charge reminders (fake coworking endpoint)', () => {
  const put = (tenant: string, ruleId: number, body: object) =>
    scheduler.platform.app.inject({
      method: 'PUT',
      url: `/scheduler/reminder-rules/${ruleId}`,
      headers: asService(tenant),
      payload: body,
    });
  const reminders = (tenant: string) =>
    world.coworking.calls
      .filter((call) => call.tenant === tenant)
      .map((call) => `${call.path.split('/')[3]}:${String(call.body.ruleId)}`);

  it(
    "sends one reminder per charge and rule, on the rule's day in the unit's time zone, and none for a charge paid first",
    { timeout: 60_000 },
    async () => {
      const tenant = `cw-${world.id}`;
      clock.set(Date.parse(`${clock.date(1)}T06:00:00Z`));
      const due = clock.date(10);
      const subject = (chargeId: number) => `coworking.charge:${chargeId}`;
      // A charge generated before the rules exist gets its reminders when they are set.
      await world.publishCoworking({
        type: 'coworking.charge.generated',
        tenant,
        subject: subject(901),
        data: chargeData('generated', 901, due),
      });
      const charges = scheduler.platform.context.store.collection<{ _id: string }>('scheduler_charges');
      await until(() => charges.findOne({ _id: `${tenant}/${subject(901)}` }), 'charge 901 to be known');

      // 3 days before, 09:00 in São Paulo (12:00 UTC); 5 days late, 09:00 in Tokyo (00:00 UTC).
      expect(
        (
          await put(tenant, 1, { name: '3 days before', daysFromDueDate: -3, unitTimeZone: 'America/Sao_Paulo' })
        ).json(),
      ).toEqual({
        ruleId: 1,
        name: '3 days before',
        daysFromDueDate: -3,
        unitTimeZone: 'America/Sao_Paulo',
        sendAt: '09:00',
      });
      expect((await put(tenant, 2, { daysFromDueDate: 5, unitTimeZone: 'Asia/Tokyo' })).statusCode).toBe(200);
      expect((await put(tenant, 3, { daysFromDueDate: 5, unitTimeZone: 'Mars/Olympus' })).statusCode).toBe(400);

      const generated = await world.publishCoworking({
        type: 'coworking.charge.generated',
        tenant,
        subject: subject(902),
        data: chargeData('generated', 902, due),
      });
      await world.publishCoworking({
        type: 'coworking.charge.generated',
        tenant,
        subject: subject(903),
        data: chargeData('generated', 903, due),
      });
      // The same generation again (a replay) and once more under a new event id: nothing twice.
      await world.publishCoworking({
        type: generated.type,
        tenant,
        subject: generated.subject,
        data: generated.data,
        id: generated.id,
      });
      await world.publishCoworking({ type: generated.type, tenant, subject: generated.subject, data: generated.data });
      await until(
        async () =>
          (await timersOf(scheduler, { tenant, kind: 'coworking.reminder' })).length === 6 &&
          (await timersOf(scheduler, { tenant, kind: 'coworking.reminder' })),
        '6 reminder timers',
      );
      // Charge 903 is paid before its first reminder.
      await world.publishCoworking({
        type: 'coworking.charge.settled',
        tenant,
        subject: subject(903),
        data: chargeData('settled', 903, due),
      });
      await until(
        async () => (await timersOf(scheduler, { tenant, status: 'cancelled' })).length === 2,
        "charge 903's reminders to be cancelled",
      );

      const timers = await timersOf(scheduler, { tenant, status: 'pending' });
      const dueAt = (chargeId: number, ruleId: number) =>
        timers.find((candidate) => candidate.id === `coworking.reminder:${tenant}/${subject(chargeId)}:${ruleId}`)
          ?.dueAt;
      const threeBefore = Date.parse(`${clock.date(7)}T12:00:00Z`);
      const fiveLate = Date.parse(`${clock.date(15)}T00:00:00Z`);
      expect([dueAt(901, 1), dueAt(902, 1), dueAt(901, 2), dueAt(902, 2)]).toEqual(
        [threeBefore, threeBefore, fiveLate, fiveLate].map((ms) => new Date(ms).toISOString()),
      );

      clock.set(threeBefore - 1000);
      await sleep(400);
      expect(reminders(tenant)).toEqual([]);
      clock.set(threeBefore);
      await until(() => reminders(tenant).length === 2, 'the "3 days before" reminders');
      // 09:00 in Tokyo is the evening before in UTC terms of the São Paulo unit: the rule's own zone decides.
      clock.set(fiveLate - 1000);
      await sleep(400);
      expect(reminders(tenant).sort()).toEqual(['901:1', '902:1']);
      clock.set(fiveLate);
      await until(() => reminders(tenant).length === 4, 'the "5 days late" reminders');

      // Replayed after firing: still one each.
      await world.publishCoworking({
        type: generated.type,
        tenant,
        subject: generated.subject,
        data: generated.data,
        id: generated.id,
      });
      clock.advance(MINUTE);
      await sleep(800);
      expect(reminders(tenant).sort()).toEqual(['901:1', '901:2', '902:1', '902:2']);
      const first = world.coworking.calls.find((call) => call.tenant === tenant)!;
      expect(first.path).toMatch(/^\/coworking\/charge\/90[12]\/send-reminder$/);
      expect(first.headers).toMatchObject({
        authorization: `Bearer ${credentials.service}`,
        'hookline-actor-role': 'system',
        'hookline-actor-id': 'scheduler',
        'content-type': 'application/json',
      });
    },
  );

  it(
    'drives the real coworking service: its reminder once per charge and rule, none for a charge paid first, a cancelled charge declined by the service',
    { timeout: 60_000 },
    async () => {
      const tenant = `real-${world.id}`;
      clock.set(Date.parse(`${clock.date(1)}T06:00:00Z`));
      const due = clock.date(6);
      const coworking = (path: string, body: object) =>
        world.coworkingService.app.inject({
          method: 'POST',
          url: `/coworking${path}`,
          headers: asService(tenant, { 'hookline-actor': 'user:21' }),
          payload: body,
        });
      const example = chargeGenerated.example;
      const invoice = (chargeId: number) =>
        coworking(`/charge/${chargeId}/invoice-charge`, {
          chargeUrl: `https://savassi.conexa.app/index.php?r=fatura/visualizar&id=${chargeId}`,
          company: example.company,
          customerId: example.customer.id,
          customer: example.customer,
          accountId: example.account.id,
          account: example.account,
          receivingMethod: 'Outros',
          chargeType: 'contractual',
          sales: example.sales,
          dueDate: due,
        });
      const respond = world.coworking.respond;
      world.coworking.respond = forwardTo(() => world.coworkingService.url);
      try {
        expect(
          (await put(tenant, 12, { name: '2 days before', daysFromDueDate: -2, unitTimeZone: 'America/Sao_Paulo' }))
            .statusCode,
        ).toBe(200);
        for (const chargeId of [8101, 8102, 8103]) expect((await invoice(chargeId)).statusCode).toBe(200);
        const key = (chargeId: number) => `coworking.reminder:${tenant}/coworking.charge:${chargeId}:12`;
        for (const chargeId of [8101, 8102, 8103]) await timerIn(tenant, key(chargeId), 'pending');
        // Paid (automatically: coworking.charge.settled) before the reminder: cancelled.
        expect(
          (
            await coworking('/charge/8102/settle-charge', {
              source: 'pix',
              paidAmount: 1410,
              paymentDate: clock.date(0),
            })
          ).statusCode,
        ).toBe(200);
        expect((await timerIn(tenant, key(8102), 'cancelled')).cancelReason).toBe('settled');
        // Cancelled: coworking.charge.status_changed does not say to what, so the timer stays and the service declines at firing.
        expect((await coworking('/charge/8103/cancel-charge', { reason: 'Contrato encerrado' })).statusCode).toBe(200);

        const at = Date.parse(`${clock.date(4)}T12:00:00Z`);
        clock.set(at - 1000);
        await sleep(400);
        expect(world.coworking.calls.filter((call) => call.tenant === tenant)).toEqual([]);
        clock.set(at);
        expect((await timerIn(tenant, key(8101), 'fired')).result).toMatchObject({
          httpStatus: 200,
          events: ['coworking.charge.reminder'],
        });
        expect((await timerIn(tenant, key(8103), 'fired')).result).toMatchObject({ httpStatus: 200, events: [] });
        await sleep(500);
        expect(
          world.coworking.calls
            .filter((call) => call.tenant === tenant)
            .map((call) => [call.path, call.body])
            .sort(),
        ).toEqual([
          ['/coworking/charge/8101/send-reminder', { ruleId: 12 }],
          ['/coworking/charge/8103/send-reminder', { ruleId: 12 }],
        ]);
        const stored = await world.coworkingService.context.store
          .collection<{
            _id: string;
            stream: string;
            envelope: { type: string; reminderrule?: string; actor?: string };
          }>('coworking_events')
          .find({ 'envelope.type': 'coworking.charge.reminder', 'envelope.tenant': tenant });
        expect(stored.map((event) => [event.stream, event.envelope.reminderrule, event.envelope.actor])).toEqual([
          [`${tenant}/coworking.charge:8101`, '12', 'system:scheduler'],
        ]);
      } finally {
        world.coworking.respond = respond;
      }
    },
  );

  it('retries a reminder the coworking service could not take (503), with back-off', { timeout: 30_000 }, async () => {
    const tenant = `retry-${world.id}`;
    clock.set(Date.parse(`${clock.date(1)}T06:00:00Z`));
    await put(tenant, 7, { daysFromDueDate: 0, unitTimeZone: 'GMT', sendAt: '07:00' });
    let answers = 0;
    const respond = world.coworking.respond;
    world.coworking.respond = (call) =>
      call.tenant === tenant && answers++ === 0 ? { status: 503, body: '{"error":"busy"}' } : respond(call);
    try {
      await world.publishCoworking({
        type: 'coworking.charge.generated',
        tenant,
        subject: 'coworking.charge:701',
        data: chargeData('generated', 701, clock.date(0)),
      });
      const id = `coworking.reminder:${tenant}/coworking.charge:701:7`;
      await timerIn(tenant, id, 'pending');
      clock.set(Date.parse(`${clock.date(0)}T07:00:00Z`));
      const failed = await until(async () => {
        const found = await timer(tenant, id);
        return found?.failures === 1 ? found : undefined;
      }, 'the first call to fail');
      expect(failed).toMatchObject({
        status: 'pending',
        nextAttemptAt: new Date(clock.ms + 1000).toISOString(),
        lastError: expect.stringContaining('HTTP 503'),
      });
      await sleep(300);
      expect(reminders(tenant)).toHaveLength(1);
      clock.advance(1000);
      expect((await timerIn(tenant, id, 'fired')).calls).toBe(2);
      expect(reminders(tenant)).toHaveLength(2);
    } finally {
      world.coworking.respond = respond;
    }
  });
});

describe('two instances, restarts and downtime', () => {
  const put = (tenant: string, ruleId: number, body: object) =>
    scheduler.platform.app.inject({
      method: 'PUT',
      url: `/scheduler/reminder-rules/${ruleId}`,
      headers: asService(tenant),
      payload: body,
    });

  it('fires each timer once with two scheduler instances polling the same timers', { timeout: 90_000 }, async () => {
    const tenant = `two-${world.id}`;
    clock.set(Date.parse(`${clock.date(1)}T06:00:00Z`));
    const second = await world.scheduler();
    const respond = world.coworking.respond;
    // Slow answers, so both instances have calls in flight at once.
    world.coworking.respond = async (call) => {
      await sleep(40);
      return respond(call);
    };
    try {
      await put(tenant, 1, { daysFromDueDate: -1, unitTimeZone: 'GMT-03:00' });
      const due = clock.date(5);
      for (let chargeId = 1; chargeId <= 30; chargeId++) {
        await world.publishCoworking({
          type: 'coworking.charge.generated',
          tenant,
          subject: `coworking.charge:${chargeId}`,
          data: chargeData('generated', chargeId, due),
        });
      }
      const offers = [];
      for (let i = 0; i < 4; i++)
        offers.push(
          await sentProject(tenant, {
            offerValidUntil: new Date(Date.parse(`${clock.date(4)}T12:00:00Z`)).toISOString(),
          }),
        );
      await until(
        async () => (await timersOf(scheduler, { tenant, status: 'pending' })).length === 34,
        '34 pending timers',
      );

      clock.set(Date.parse(`${clock.date(4)}T12:00:00Z`));
      await until(
        async () => (await timersOf(scheduler, { tenant, status: 'fired' })).length === 34,
        'all 34 timers to fire',
        30_000,
      );
      await sleep(500);

      const reminders = world.coworking.calls.filter((call) => call.tenant === tenant).map((call) => call.path);
      expect(reminders).toHaveLength(30);
      expect(new Set(reminders).size).toBe(30);
      const expiries = world.marketplaceProxy.calls
        .filter((call) => call.tenant === tenant && call.path.endsWith('/expire-offer'))
        .map((call) => call.path);
      expect(expiries.sort()).toEqual(
        offers.map((offer) => `/marketplace/projects/${offer.projectId}/expire-offer`).sort(),
      );
      const fired = await timersOf(scheduler, { tenant, status: 'fired' });
      expect(fired.every((candidate) => candidate.calls === 1)).toBe(true);
      // Both took part.
      expect(new Set(fired.map((candidate) => candidate.firedBy))).toEqual(
        new Set([scheduler.scheduler.instanceId, second.scheduler.instanceId]),
      );
    } finally {
      world.coworking.respond = respond;
      await second.stop();
    }
  });

  it(
    'fires a timer again, exactly once more, after its claim lease ends when the instance died between the call and the mark',
    { timeout: 90_000 },
    async () => {
      const tenant = `crash-${world.id}`;
      clock.set(Date.parse(`${clock.date(1)}T06:00:00Z`));
      await put(tenant, 4, { daysFromDueDate: 0, unitTimeZone: 'UTC', sendAt: '08:00' });
      await world.publishCoworking({
        type: 'coworking.charge.generated',
        tenant,
        subject: 'coworking.charge:401',
        data: chargeData('generated', 401, clock.date(0)),
      });
      const id = `coworking.reminder:${tenant}/coworking.charge:401:4`;
      await timerIn(tenant, id, 'pending');

      const respond = world.coworking.respond;
      let hung = false;
      world.coworking.respond = (call) => {
        if (call.tenant !== tenant || hung) return respond(call);
        hung = true;
        return 'hang';
      };
      const calls = () => world.coworking.calls.filter((call) => call.tenant === tenant);
      try {
        clock.set(Date.parse(`${clock.date(0)}T08:00:00Z`));
        await until(() => calls().length === 1, 'the first call');
        // The instance dies while its call is in flight: the claim is taken, the timer not marked.
        const claims = scheduler.platform.context.store.collection<{ _id: string; until: Date }>(
          'scheduler_timer_claims',
        );
        const claim = await claims.findOne({ _id: `${id}#1` });
        expect(claim?.until.getTime()).toBe(clock.ms + LEASE_MS);
        await scheduler.kill();
        scheduler = await world.scheduler();
        expect((await timer(tenant, id))?.status).toBe('pending');

        // The lease still runs: the new instance leaves the timer alone.
        await sleep(500);
        expect(calls()).toHaveLength(1);
        clock.advance(LEASE_MS - 1000);
        await sleep(300);
        expect(calls()).toHaveLength(1);
        // It ended: fired again, once.
        clock.advance(1000);
        const fired = await timerIn(tenant, id, 'fired');
        expect(fired).toMatchObject({ calls: 1, firedBy: scheduler.scheduler.instanceId });
        await sleep(500);
        clock.advance(LEASE_MS * 2);
        await sleep(300);
        expect(calls()).toHaveLength(2);
        expect(
          await scheduler.platform.context.store.collection('scheduler_timer_claims').countDocuments({ timerId: id }),
        ).toBe(0);
      } finally {
        world.coworking.respond = respond;
      }
    },
  );

  it(
    'catches up after an hour down: every timer that fell due fires once, later ones wait',
    { timeout: 90_000 },
    async () => {
      const tenant = `down-${world.id}`;
      clock.set(Date.parse(`${clock.date(1)}T08:00:00Z`));
      const start = clock.ms;
      await put(tenant, 5, { daysFromDueDate: 0, unitTimeZone: 'UTC', sendAt: '08:20' });
      const p10 = await sentProject(tenant, { offerValidUntil: new Date(start + 10 * MINUTE).toISOString() });
      const p11 = await sentProject(tenant, { offerValidUntil: new Date(start + 50 * MINUTE).toISOString() });
      const p12 = await sentProject(tenant, { offerValidUntil: new Date(start + 2 * HOUR).toISOString() });
      await world.publishCoworking({
        type: 'coworking.charge.generated',
        tenant,
        subject: 'coworking.charge:501',
        data: chargeData('generated', 501, clock.date(0)),
      });
      await until(
        async () => (await timersOf(scheduler, { tenant, status: 'pending' })).length === 4,
        '4 pending timers',
      );

      await scheduler.stop();
      // While the scheduler is down, more deadlines are announced…
      const p13 = await sentProject(tenant, { offerValidUntil: new Date(start + 30 * MINUTE).toISOString() });
      await world.publishCoworking({
        type: 'coworking.charge.generated',
        tenant,
        subject: 'coworking.charge:502',
        data: chargeData('generated', 502, clock.date(0)),
      });
      // …and an hour passes.
      clock.advance(HOUR);
      await sleep(500);
      const calls = () =>
        [...world.marketplaceProxy.calls, ...world.coworking.calls]
          .filter((call) => call.tenant === tenant)
          .map((call) => call.path);
      expect(calls()).toEqual([]);

      scheduler = await world.scheduler();
      const expected = [
        ...[p10, p11, p13].map((project) => `/marketplace/projects/${project.projectId}/expire-offer`),
        '/coworking/charge/501/send-reminder',
        '/coworking/charge/502/send-reminder',
      ].sort();
      await until(() => calls().length >= expected.length, 'the timers that fell due', 30_000);
      await sleep(800);
      expect(calls().sort()).toEqual(expected);
      for (const project of [p10, p11, p13])
        expect((await projectStatus(tenant, project.projectId)).status).toBe('expired');
      expect((await projectStatus(tenant, p12.projectId)).status).toBe('sent');
      expect((await timer(tenant, `marketplace.offer_expiry:${tenant}/${p12.projectId}`))?.status).toBe('pending');
    },
  );
});
