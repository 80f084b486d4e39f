import { findEventType, marketplaceEvents } from '@hookline/events';
import { fold } from '@hookline/eventsourcing';
import { statusOf } from '@hookline/http';
import { describe, expect, it } from 'vitest';
import { commandEvents, type CommandActor, type CommandName } from './commands.js';
import { freePlan } from './plans.js';
import {
  BUYER,
  buyerActor,
  codes,
  DAY,
  decisionsOf,
  drafted,
  givenProject,
  HOUR,
  paid,
  proPlan,
  scenarios,
  SELLER,
  sellerActor,
  sent,
  signed,
  Timeline,
  unlimitedPlan,
  working,
  type Project,
} from './project.fixtures.js';
import { allowedCommands, decide, projectDecider, projectEventTypes, type ProjectEvent } from './project/index.js';

/** The refusal a command meets (the specification fails the test when there is none, or when decide changed the state). */
const failure = (project: Project, t: Timeline, type: CommandName, actor: CommandActor, fields?: object) =>
  project.when(t.command(type, actor, fields as never)).thenThrows();

const catalogTypes = marketplaceEvents.map((definition) => definition.type);

describe('scenarios', () => {
  it.each(scenarios.map((scenario) => [scenario.name, scenario] as const))('%s', (_name, scenario) => {
    expect(codes(scenario.run(new Timeline()).history)).toEqual(scenario.codes);
  });

  it('together emit every one of the 35 catalog codes', () => {
    const emitted = new Set<string>();
    for (const scenario of scenarios) {
      for (const event of scenario.run(new Timeline()).history) emitted.add(event.type);
    }
    expect(catalogTypes).toHaveLength(35);
    expect([...emitted].sort()).toEqual([...catalogTypes].sort());
  });

  it('every emitted event validates against its catalog schema, with the initiator the catalog gives as actor', () => {
    for (const scenario of scenarios) {
      for (const event of scenario.run(new Timeline()).history) {
        const definition = findEventType(event.type);
        expect(definition, event.type).toBeDefined();
        expect(() => definition?.data.parse(event.data)).not.toThrow();
        const role = (event.data as { actor: { role: string } }).actor.role;
        if (definition?.initiator === 'seller_or_buyer') expect(['seller', 'buyer']).toContain(role);
        else expect(role).toBe(definition?.initiator);
      }
    }
  });

  it('each command emits only the events commandEvents lists for it', () => {
    const decisions = decisionsOf(() => scenarios.forEach((scenario) => scenario.run(new Timeline())));
    expect(new Set(decisions.flatMap(({ events }) => events.map((event) => event.type))).size).toBe(35);
    for (const { command, events } of decisions) {
      for (const { type } of events)
        expect(commandEvents[command.type] as readonly string[], `${command.type} → ${type}`).toContain(type);
    }
  });

  it('the decider knows exactly the 35 catalog types', () => {
    expect([...projectEventTypes].sort()).toEqual([...catalogTypes].sort());
  });

  it('the state folds back from the stored (catalog-parsed) events', () => {
    for (const scenario of scenarios) {
      const project = scenario.run(new Timeline());
      const stored = project.history.map(
        (event) => ({ type: event.type, data: findEventType(event.type)!.data.parse(event.data) }) as ProjectEvent,
      );
      expect(fold(projectDecider, stored)).toStrictEqual(project.state);
    }
  });

  it('decide does not touch the state it is given', () => {
    const t = new Timeline();
    const h = working(t);
    const before = structuredClone(h.state);
    decide(t.seller('deliver', { filesCount: 2 }), h.state);
    expect(h.state).toStrictEqual(before);
  });
});

describe('happy path', () => {
  const t = new Timeline('2026-01-28T09:00:00.000Z');
  let h = drafted(t, { buyer: null });
  const draftEvent = h.last('marketplace.project.new_draft');
  const sentAt = t.now;
  h = h.when(t.seller('send_offer', { buyer: { ...BUYER }, message: 'Labdien!' }));
  h = h.when(t.buyer('sign_offer', { sellerPlan: freePlan, sellerActiveProjects: 0 }));
  h = h.when(t.buyer('project_payment_succeeded'));
  h = h.when(t.buyer('start_work'));
  h = h.when(t.seller('deliver', { message: 'Gatavs.', filesCount: 6 }));
  const approvedAt = t.now;
  h = h.when(t.buyer('approve_stage', { buyerQuotaBalance: 10 }));

  it('the draft has the seller, no buyer yet, no offer validity, one stage', () => {
    expect(draftEvent.data).toMatchObject({
      project: {
        id: 'prj_01J9ZK4T7M',
        status: 'draft',
        seller: SELLER,
        buyer: null,
        offerValidUntil: null,
        stagesCount: 1,
        price: 1250,
        currency: 'EUR',
      },
      actor: { role: 'seller', id: SELLER.id },
    });
  });

  it('the sent offer names the buyer and is valid 7 days', () => {
    const sent = h.last('marketplace.project.new_sent');
    expect(sent.data.project).toMatchObject({
      status: 'sent',
      buyer: BUYER,
      offerValidUntil: new Date(Date.parse(sentAt) + 7 * DAY).toISOString(),
    });
    expect(sent.data.message).toBe('Labdien!');
  });

  it('signing issues the project invoice with the free plan commission (20%)', () => {
    const invoice = h.last('marketplace.project.purchase_new_invoice').data.invoice;
    expect(invoice).toMatchObject({
      subject: { type: 'project' },
      currency: 'EUR',
      amount: 1250,
      commissionRate: 0.2,
      commissionAmount: 250,
      sellerAmount: 1000,
    });
    expect(h.last('marketplace.project.active_signed').data.actor).toEqual({ role: 'buyer', id: BUYER.id });
  });

  it('the payment pays the invoice; the seller starts preparing', () => {
    const paid = h.last('marketplace.project.purchase_payment_succeeded').data;
    expect(paid.payment).toMatchObject({
      invoiceId: paid.invoice.id,
      amount: 1250,
      currency: 'EUR',
      status: 'succeeded',
      failureReason: null,
      method: 'card',
    });
    expect(paid.project.status).toBe('signed');
    expect(h.last('marketplace.project.active_prepare').data.project.status).toBe('prepare');
  });

  it('work starts on the only stage, which carries the whole price and the deadline', () => {
    expect(h.last('marketplace.project.active_work').data.stage).toEqual({
      id: 'prj_01J9ZK4T7M-s1',
      number: 1,
      title: 'Virtuves skapju izgatavošana un uzstādīšana',
      amount: 1250,
      status: 'in_progress',
      dueDate: '2026-03-20',
    });
  });

  it('approval assigns quotas (2% of the stage) and, the last stage being approved, starts a 30-day support period', () => {
    const quotas = h.last('marketplace.project.quotas_assigned').data;
    expect(quotas.actor).toEqual({ role: 'system', id: null });
    expect(quotas.stage.status).toBe('approved');
    expect(quotas.quotas).toEqual({ assigned: 25, balance: 35 });
    const support = h.last('marketplace.project.support_started').data;
    expect(support.project.status).toBe('support');
    expect(support.supportPeriod).toEqual({
      startsAt: approvedAt,
      endsAt: new Date(Date.parse(approvedAt) + 30 * DAY).toISOString(),
    });
    expect(h.state.quotasAssigned).toBe(25);
  });

  it('the support period ends on time, not before; then the project is finished and its files can be cleaned up once', () => {
    const copyT = new Timeline(t.now);
    let copy = givenProject(h.history);
    expect((copy = copy.when(copyT.system('finish_support'))).events).toEqual([]);
    expect(allowedCommands(copy.state, 'system', copyT.now)).toEqual([]);
    expect(allowedCommands(copy.state, 'system')).toEqual(['finish_support']);
    copyT.advance(30 * DAY);
    expect((copy = copy.when(copyT.system('finish_support'))).events.map((event) => event.type)).toEqual([
      'marketplace.project.support_finished',
      'marketplace.project.project_finished',
    ]);
    expect(copy.state).toMatchObject({ status: 'finished', finished: true });
    expect((copy = copy.when(copyT.system('finish_support'))).events).toEqual([]);
    expect(allowedCommands(copy.state, 'system')).toEqual(['record_files_deleted', 'record_files_not_deleted']);
    expect(allowedCommands(copy.state, 'seller')).toEqual([]);
    expect(allowedCommands(copy.state, 'buyer')).toEqual([]);
    copy = copy.when(
      copyT.system('record_files_not_deleted', {
        fileCount: 6,
        totalBytes: 100,
        scheduledAt: copyT.now,
        reason: 'storage_error',
      }),
    );
    copy = copy.when(copyT.system('record_files_deleted', { fileCount: 6, totalBytes: 100, scheduledAt: copyT.now }));
    expect(copy.state.files).toEqual({ deleted: true, cleanupsNotDeleted: 1 });
    expect(
      (copy = copy.when(
        copyT.system('record_files_deleted', { fileCount: 6, totalBytes: 100, scheduledAt: copyT.now }),
      )).events,
    ).toEqual([]);
    expect(codes(copy.history).slice(-4)).toEqual([
      'support_finished',
      'project_finished',
      'files_not_deleted',
      'files_deleted',
    ]);
  });
});

describe('offers', () => {
  it('an expire after the buyer signed is a no-op', () => {
    const t = new Timeline();
    let h = signed(t);
    t.advance(10 * DAY);
    expect((h = h.when(t.system('expire_offer'))).events).toEqual([]);
    expect(h.state.status).toBe('signed');
  });

  it('an expire before the validity ends, or of a draft, is a no-op', () => {
    const t = new Timeline();
    let h = drafted(t);
    expect((h = h.when(t.system('expire_offer'))).events).toEqual([]);
    h = h.when(t.seller('send_offer', { buyer: { ...BUYER }, offerValidUntil: t.at(2 * DAY) }));
    expect((h = h.when(t.system('expire_offer'))).events).toEqual([]);
    expect(h.state.status).toBe('sent');
    t.advance(2 * DAY);
    expect((h = h.when(t.system('expire_offer'))).events.map((event) => event.type)).toEqual([
      'marketplace.project.expired',
    ]);
    expect(h.last('marketplace.project.expired').data.actor).toEqual({ role: 'system', id: null });
  });

  it('an offer past its validity cannot be signed even before the timer fires', () => {
    const t = new Timeline();
    const h = sent(t);
    t.advance(8 * DAY);
    expect(allowedCommands(h.state, 'buyer', t.now)).toEqual(['decline_offer']);
    const error = failure(h, t, 'sign_offer', buyerActor, { sellerPlan: freePlan, sellerActiveProjects: 0 });
    expect(error.code).toBe('illegal_transition');
    expect(statusOf(error)).toBe(409);
    expect(error.details).toMatchObject({ state: 'sent', reason: 'offer_expired' });
  });

  it('sending needs a buyer; the draft may already name one', () => {
    const t = new Timeline();
    const h = drafted(t, { buyer: null });
    expect(failure(h, t, 'send_offer', sellerActor, {}).code).toBe('invalid');
    expect(failure(h, t, 'send_offer', sellerActor, { buyer: { id: SELLER.id, name: 'Me' } }).code).toBe('invalid');
    expect(
      failure(h, t, 'send_offer', sellerActor, { buyer: { ...BUYER }, offerValidUntil: t.at(-HOUR) }).details,
    ).toEqual({ field: 'offerValidUntil' });
    expect(
      failure(h, t, 'send_offer', sellerActor, { buyer: { ...BUYER }, deliveryDeadline: '2026-01-01' }).details,
    ).toEqual({ field: 'deliveryDeadline' });
    const namedT = new Timeline();
    let named = drafted(namedT, { buyer: { ...BUYER } });
    named = named.when(namedT.seller('send_offer'));
    expect(named.last('marketplace.project.new_sent').data).toMatchObject({ project: { buyer: BUYER }, message: null });
  });

  it('a deadline set when sending becomes the last stage due date', () => {
    const t = new Timeline();
    let h = drafted(t, { deliveryDeadline: null });
    h = h.when(t.seller('send_offer', { buyer: { ...BUYER }, deliveryDeadline: '2026-04-30' }));
    expect(h.state.stages.map((entry) => entry.stage.dueDate)).toEqual(['2026-04-30']);
  });

  it('a decline or withdrawal without a reason carries null', () => {
    const declinedT = new Timeline();
    let declined = sent(declinedT);
    declined = declined.when(declinedT.buyer('decline_offer'));
    expect(declined.last('marketplace.project.new_declined').data.reason).toBeNull();
    const withdrawnT = new Timeline();
    let withdrawn = sent(withdrawnT);
    withdrawn = withdrawn.when(withdrawnT.seller('withdraw_offer', { reason: 'Kļūda cenā.' }));
    expect(withdrawn.last('marketplace.project.new_withdrawn').data).toMatchObject({
      reason: 'Kļūda cenā.',
      project: { status: 'withdrawn' },
    });
  });

  it('a draft is invalid with a deadline in the past or a price too low for its stages', () => {
    const t = new Timeline();
    const h = givenProject();
    const base = {
      projectId: 'p1',
      sellerName: SELLER.name,
      sellerPlan: unlimitedPlan,
      title: 'T',
      price: 100,
      currency: 'EUR',
    };
    expect(failure(h, t, 'create_draft', sellerActor, { ...base, deliveryDeadline: '2025-12-31' }).details).toEqual({
      field: 'deliveryDeadline',
    });
    expect(failure(h, t, 'create_draft', sellerActor, { ...base, price: 0.02, stagesCount: 3 }).details).toEqual({
      field: 'price',
    });
    expect(
      failure(h, t, 'create_draft', sellerActor, { ...base, buyer: { id: SELLER.id, name: 'Me' } }).details,
    ).toEqual({ field: 'buyer' });
  });
});

describe('payments', () => {
  it('a failed payment leaves the invoice unpaid; the next attempt succeeds', () => {
    const t = new Timeline();
    let h = signed(t);
    h = h.when(
      t.buyer('project_payment_failed', {
        failureReason: { code: 'card_declined', message: 'Karte noraidīta.' },
        paymentId: 'pay_1',
      }),
    );
    const failed = h.last('marketplace.project.purchase_payment_failed').data;
    expect(failed.payment).toMatchObject({
      id: 'pay_1',
      status: 'failed',
      paidAt: null,
      failureReason: { code: 'card_declined' },
    });
    expect(h.state).toMatchObject({ status: 'signed', invoice: { paid: false, failedAttempts: 1 } });
    expect(allowedCommands(h.state, 'buyer')).toEqual([
      'project_payment_failed',
      'project_payment_succeeded',
      'request_cancellation',
    ]);
    h = h.when(t.buyer('project_payment_succeeded'));
    const paid = h.last('marketplace.project.purchase_payment_succeeded').data;
    expect(paid.payment.id).toBe(`${paid.invoice.id}-p2`);
    expect(paid.invoice).toEqual(failed.invoice);
    expect(h.state).toMatchObject({ status: 'prepare', invoice: { paid: true } });
    expect(failure(h, t, 'project_payment_succeeded', buyerActor).code).toBe('illegal_transition');
  });

  it("a paid plan's commission is on the invoice", () => {
    const t = new Timeline();
    const h = signed(t, { sellerPlan: proPlan }, proPlan);
    expect(h.last('marketplace.project.purchase_new_invoice').data.invoice).toMatchObject({
      amount: 1250,
      commissionRate: 0.1,
      commissionAmount: 125,
      sellerAmount: 1125,
    });
  });

  it('the commission is rounded to cents and the seller gets the rest', () => {
    const t = new Timeline();
    const h = signed(t, { price: 99.99 });
    expect(h.last('marketplace.project.purchase_new_invoice').data.invoice).toMatchObject({
      amount: 99.99,
      commissionAmount: 20,
      sellerAmount: 79.99,
    });
  });
});

describe('stages, deliveries and revisions', () => {
  it('a three-stage project: the price split evenly, each stage started by the buyer, quotas per stage, support after the last', () => {
    const t = new Timeline();
    let h = paid(t, { sellerPlan: proPlan, stagesCount: 3, price: 1000 }, proPlan);
    expect(h.state.stages.map((entry) => [entry.stage.amount, entry.stage.dueDate])).toEqual([
      [333.33, null],
      [333.33, null],
      [333.34, '2026-03-20'],
    ]);
    let balance = 0;
    for (const number of [1, 2, 3]) {
      h = h.when(t.buyer('start_work'));
      expect(h.last('marketplace.project.active_work').data.stage).toMatchObject({ number, status: 'in_progress' });
      h = h.when(t.seller('deliver', { filesCount: number }));
      h = h.when(t.buyer('approve_stage', { buyerQuotaBalance: balance }));
      const quotas = h.last('marketplace.project.quotas_assigned').data.quotas;
      expect(quotas.assigned).toBe(6.67);
      balance = quotas.balance;
      if (number < 3) {
        expect(h.state.status).toBe('delivered');
        expect(allowedCommands(h.state, 'buyer')).toEqual(['start_work', 'request_cancellation']);
      }
    }
    expect(balance).toBe(20.01);
    expect(codes(h.history).filter((code) => code === 'support_started')).toHaveLength(1);
    expect(h.state.status).toBe('support');
    expect(h.state.quotasAssigned).toBe(20.01);
  });

  it('revision rounds are counted per stage', () => {
    const t = new Timeline();
    let h = working(t);
    h = h.when(t.seller('deliver'));
    h = h.when(t.buyer('request_revisions', { comment: 'Pirmā kārta.' }));
    expect(allowedCommands(h.state, 'seller')).toEqual([
      'request_extension',
      'propose_addon',
      'deliver',
      'request_cancellation',
    ]);
    h = h.when(t.seller('deliver'));
    h = h.when(t.buyer('request_revisions', { comment: 'Otrā kārta.' }));
    expect(h.last('marketplace.project.active_revisions').data).toMatchObject({
      revisions: { round: 2, comment: 'Otrā kārta.' },
      stage: { status: 'revisions' },
      project: { status: 'revisions' },
    });
    h = h.when(t.seller('deliver'));
    expect(h.last('marketplace.project.active_delivered').data).toMatchObject({
      stage: { status: 'delivered' },
      message: null,
      filesCount: 0,
    });
  });

  it('the platform may approve a stage (auto-approval)', () => {
    const t = new Timeline();
    let h = working(t);
    h = h.when(t.seller('deliver'));
    expect(allowedCommands(h.state, 'system')).toEqual(['approve_stage']);
    h = h.when(t.system('approve_stage', { buyerQuotaBalance: 0, supportPeriodDays: 14 }));
    const period = h.last('marketplace.project.support_started').data.supportPeriod;
    expect(Date.parse(period.endsAt) - Date.parse(period.startsAt)).toBe(14 * DAY);
  });

  it('nothing can be delivered before the buyer starts the work, nor approved before delivery', () => {
    const t = new Timeline();
    let h = paid(t);
    const deliver = failure(h, t, 'deliver', sellerActor);
    expect(deliver.details).toEqual({
      state: 'prepare',
      allowed: ['request_extension', 'propose_addon', 'request_cancellation'],
    });
    h = h.when(t.buyer('start_work'));
    expect(failure(h, t, 'approve_stage', buyerActor, { buyerQuotaBalance: 0 }).details).toEqual({
      state: 'work',
      allowed: ['request_cancellation'],
    });
  });
});

describe('deadline extensions', () => {
  it('an accepted extension moves the project deadline and the due date of the stage that had it', () => {
    const t = new Timeline();
    let h = working(t);
    h = h.when(t.seller('request_extension', { requestedDeadline: '2026-03-31', reason: 'Piegāde kavējas.' }));
    const request = h.last('marketplace.project.request_extension').data.extension;
    expect(request).toMatchObject({
      currentDeadline: '2026-03-20',
      requestedDeadline: '2026-03-31',
      status: 'requested',
      requestedAt: t.at(-HOUR),
    });
    expect(allowedCommands(h.state, 'seller')).toEqual(['propose_addon', 'deliver', 'request_cancellation']);
    expect(allowedCommands(h.state, 'buyer')).toEqual([
      'accept_extension',
      'decline_extension',
      'request_cancellation',
    ]);
    h = h.when(t.buyer('accept_extension'));
    expect(h.last('marketplace.project.request_extension_accepted').data).toMatchObject({
      project: { deliveryDeadline: '2026-03-31' },
      extension: { status: 'accepted' },
    });
    h = h.when(t.seller('deliver'));
    expect(h.last('marketplace.project.active_delivered').data.stage.dueDate).toBe('2026-03-31');
  });

  it('a declined extension keeps the deadline', () => {
    const t = new Timeline();
    let h = working(t);
    h = h.when(t.seller('request_extension', { requestedDeadline: '2026-03-31', reason: 'Piegāde kavējas.' }));
    h = h.when(t.buyer('decline_extension'));
    expect(h.last('marketplace.project.request_extension_declined').data).toMatchObject({
      project: { deliveryDeadline: '2026-03-20' },
      extension: { status: 'declined' },
    });
    expect(h.state.project?.deliveryDeadline).toBe('2026-03-20');
  });

  it('the requested deadline must be later; only one request at a time; none without a deadline', () => {
    const t = new Timeline();
    let h = working(t);
    expect(failure(h, t, 'request_extension', sellerActor, { requestedDeadline: '2026-03-20', reason: 'x' }).code).toBe(
      'invalid',
    );
    h = h.when(t.seller('request_extension', { requestedDeadline: '2026-03-31', reason: 'Piegāde kavējas.' }));
    expect(failure(h, t, 'request_extension', sellerActor, { requestedDeadline: '2026-04-30', reason: 'x' }).code).toBe(
      'illegal_transition',
    );
    const noDeadlineT = new Timeline();
    let noDeadline = drafted(noDeadlineT, { deliveryDeadline: null });
    noDeadline = noDeadline.when(noDeadlineT.seller('send_offer', { buyer: { ...BUYER } }));
    noDeadline = noDeadline.when(noDeadlineT.buyer('sign_offer', { sellerPlan: freePlan, sellerActiveProjects: 0 }));
    noDeadline = noDeadline.when(noDeadlineT.buyer('project_payment_succeeded'));
    expect(allowedCommands(noDeadline.state, 'seller')).not.toContain('request_extension');
  });
});
