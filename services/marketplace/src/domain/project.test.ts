import { findEventType, marketplaceEvents } from '@hookline/events';
import { DomainError } from '@hookline/errors';
import { fold } from '@hookline/eventsourcing';
import { describe, expect, it } from 'vitest';
import { statusOf } from '@hookline/http';
import { commandEvents, commandNames, commandRoles, type CommandActor, type CommandName } from './commands.js';
import { freePlan } from './plans.js';
import { allowedCommands, decide, initialState, projectDecider, projectEventTypes, type ProjectEvent } from './project.js';
import { BUYER, buyerActor, DAY, HOUR, parseCatalogData, ProjectHarness, proPlan, scenarios, SELLER, sellerActor, STRANGER, systemActor, unlimitedPlan } from './testing.js';

/** The DomainError a command raises (fails the test when it raises none). */
function failure(h: ProjectHarness, type: CommandName, actor: CommandActor, fields?: object): DomainError {
  const before = structuredClone(h.state);
  try {
    decide(h.command(type, actor, fields as never), h.state);
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect(h.state).toStrictEqual(before);
    return error as DomainError;
  }
  throw new Error(`${type} raised no error`);
}

const catalogTypes = marketplaceEvents.map((definition) => definition.type);

describe('scenarios', () => {
  it.each(scenarios.map((scenario) => [scenario.name, scenario] as const))('%s', (_name, scenario) => {
    const h = new ProjectHarness();
    scenario.run(h);
    expect(h.codes()).toEqual(scenario.codes);
  });

  it('together emit every one of the 35 catalog codes', () => {
    const emitted = new Set<string>();
    for (const scenario of scenarios) {
      const h = new ProjectHarness();
      scenario.run(h);
      for (const event of h.events) emitted.add(event.type);
    }
    expect(catalogTypes).toHaveLength(35);
    expect([...emitted].sort()).toEqual([...catalogTypes].sort());
  });

  it('every emitted event validates against its catalog schema, with the initiator the catalog gives as actor', () => {
    for (const scenario of scenarios) {
      const h = new ProjectHarness();
      scenario.run(h);
      for (const event of h.events) {
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
    for (const scenario of scenarios) {
      const h = new ProjectHarness();
      scenario.run(h);
      for (const { command, type } of h.emittedBy) expect(commandEvents[command] as readonly string[], `${command} → ${type}`).toContain(type);
    }
  });

  it('the decider knows exactly the 35 catalog types', () => {
    expect([...projectEventTypes].sort()).toEqual([...catalogTypes].sort());
  });

  it('the state folds back from the stored (catalog-parsed) events', () => {
    for (const scenario of scenarios) {
      const h = new ProjectHarness();
      scenario.run(h);
      const stored = h.events.map((event) => ({ type: event.type, data: parseCatalogData(event) }) as ProjectEvent);
      expect(fold(projectDecider, stored)).toStrictEqual(h.state);
    }
  });

  it('decide does not touch the state it is given', () => {
    const h = new ProjectHarness().working();
    const before = structuredClone(h.state);
    decide(h.command('deliver', sellerActor, { filesCount: 2 }), h.state);
    expect(h.state).toStrictEqual(before);
  });
});

describe('happy path', () => {
  const h = new ProjectHarness('2026-01-28T09:00:00.000Z');
  h.draft({ buyer: null });
  const draftEvent = h.last('marketplace.project.new_draft');
  const sentAt = h.now;
  h.seller('send_offer', { buyer: { ...BUYER }, message: 'Labdien!' });
  h.buyer('sign_offer', { sellerPlan: freePlan, sellerActiveProjects: 0 });
  h.buyer('project_payment_succeeded');
  h.buyer('start_work');
  h.seller('deliver', { message: 'Gatavs.', filesCount: 6 });
  const approvedAt = h.now;
  h.buyer('approve_stage', { buyerQuotaBalance: 10 });

  it('the draft has the seller, no buyer yet, no offer validity, one stage', () => {
    expect(draftEvent.data).toMatchObject({
      project: { id: 'prj_01J9ZK4T7M', status: 'draft', seller: SELLER, buyer: null, offerValidUntil: null, stagesCount: 1, price: 1250, currency: 'EUR' },
      actor: { role: 'seller', id: SELLER.id },
    });
  });

  it('the sent offer names the buyer and is valid 7 days', () => {
    const sent = h.last('marketplace.project.new_sent');
    expect(sent.data.project).toMatchObject({ status: 'sent', buyer: BUYER, offerValidUntil: new Date(Date.parse(sentAt) + 7 * DAY).toISOString() });
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
    expect(paid.payment).toMatchObject({ invoiceId: paid.invoice.id, amount: 1250, currency: 'EUR', status: 'succeeded', failureReason: null, method: 'card' });
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
    expect(support.supportPeriod).toEqual({ startsAt: approvedAt, endsAt: new Date(Date.parse(approvedAt) + 30 * DAY).toISOString() });
    expect(h.state.quotasAssigned).toBe(25);
  });

  it('the support period ends on time, not before; then the project is finished and its files can be cleaned up once', () => {
    const copy = new ProjectHarness(h.now);
    copy.state = h.state;
    expect(copy.system('finish_support')).toEqual([]);
    expect(allowedCommands(copy.state, 'system', copy.now)).toEqual([]);
    expect(allowedCommands(copy.state, 'system')).toEqual(['finish_support']);
    copy.advance(30 * DAY);
    expect(copy.system('finish_support').map((event) => event.type)).toEqual(['marketplace.project.support_finished', 'marketplace.project.project_finished']);
    expect(copy.state).toMatchObject({ status: 'finished', finished: true });
    expect(copy.system('finish_support')).toEqual([]);
    expect(allowedCommands(copy.state, 'system')).toEqual(['record_files_deleted', 'record_files_not_deleted']);
    expect(allowedCommands(copy.state, 'seller')).toEqual([]);
    expect(allowedCommands(copy.state, 'buyer')).toEqual([]);
    copy.system('record_files_not_deleted', { fileCount: 6, totalBytes: 100, scheduledAt: copy.now, reason: 'storage_error' });
    copy.system('record_files_deleted', { fileCount: 6, totalBytes: 100, scheduledAt: copy.now });
    expect(copy.state.files).toEqual({ deleted: true, cleanupsNotDeleted: 1 });
    expect(copy.system('record_files_deleted', { fileCount: 6, totalBytes: 100, scheduledAt: copy.now })).toEqual([]);
    expect(copy.codes().slice(-4)).toEqual(['support_finished', 'project_finished', 'files_not_deleted', 'files_deleted']);
  });
});

describe('offers', () => {
  it('an expire after the buyer signed is a no-op', () => {
    const h = new ProjectHarness().signed();
    h.advance(10 * DAY);
    expect(h.system('expire_offer')).toEqual([]);
    expect(h.state.status).toBe('signed');
  });

  it('an expire before the validity ends, or of a draft, is a no-op', () => {
    const h = new ProjectHarness().draft();
    expect(h.system('expire_offer')).toEqual([]);
    h.seller('send_offer', { buyer: { ...BUYER }, offerValidUntil: h.at(2 * DAY) });
    expect(h.system('expire_offer')).toEqual([]);
    expect(h.state.status).toBe('sent');
    h.advance(2 * DAY);
    expect(h.system('expire_offer').map((event) => event.type)).toEqual(['marketplace.project.expired']);
    expect(h.last('marketplace.project.expired').data.actor).toEqual({ role: 'system', id: null });
  });

  it('an offer past its validity cannot be signed even before the timer fires', () => {
    const h = new ProjectHarness().sent();
    h.advance(8 * DAY);
    expect(allowedCommands(h.state, 'buyer', h.now)).toEqual(['decline_offer']);
    const error = failure(h, 'sign_offer', buyerActor, { sellerPlan: freePlan, sellerActiveProjects: 0 });
    expect(error.code).toBe('illegal_transition');
    expect(statusOf(error)).toBe(409);
    expect(error.details).toMatchObject({ state: 'sent', reason: 'offer_expired' });
  });

  it('sending needs a buyer; the draft may already name one', () => {
    const h = new ProjectHarness().draft({ buyer: null });
    expect(failure(h, 'send_offer', sellerActor, {}).code).toBe('invalid');
    expect(failure(h, 'send_offer', sellerActor, { buyer: { id: SELLER.id, name: 'Me' } }).code).toBe('invalid');
    expect(failure(h, 'send_offer', sellerActor, { buyer: { ...BUYER }, offerValidUntil: h.at(-HOUR) }).details).toEqual({ field: 'offerValidUntil' });
    expect(failure(h, 'send_offer', sellerActor, { buyer: { ...BUYER }, deliveryDeadline: '2026-01-01' }).details).toEqual({ field: 'deliveryDeadline' });
    const named = new ProjectHarness().draft({ buyer: { ...BUYER } });
    named.seller('send_offer');
    expect(named.last('marketplace.project.new_sent').data).toMatchObject({ project: { buyer: BUYER }, message: null });
  });

  it('a deadline set when sending becomes the last stage due date', () => {
    const h = new ProjectHarness().draft({ deliveryDeadline: null });
    h.seller('send_offer', { buyer: { ...BUYER }, deliveryDeadline: '2026-04-30' });
    expect(h.state.stages.map((entry) => entry.stage.dueDate)).toEqual(['2026-04-30']);
  });

  it('a decline or withdrawal without a reason carries null', () => {
    const declined = new ProjectHarness().sent();
    declined.buyer('decline_offer');
    expect(declined.last('marketplace.project.new_declined').data.reason).toBeNull();
    const withdrawn = new ProjectHarness().sent();
    withdrawn.seller('withdraw_offer', { reason: 'Kļūda cenā.' });
    expect(withdrawn.last('marketplace.project.new_withdrawn').data).toMatchObject({ reason: 'Kļūda cenā.', project: { status: 'withdrawn' } });
  });

  it('a draft is invalid with a deadline in the past or a price too low for its stages', () => {
    const h = new ProjectHarness();
    const base = { projectId: 'p1', sellerName: SELLER.name, sellerPlan: unlimitedPlan, title: 'T', price: 100, currency: 'EUR' };
    expect(failure(h, 'create_draft', sellerActor, { ...base, deliveryDeadline: '2025-12-31' }).details).toEqual({ field: 'deliveryDeadline' });
    expect(failure(h, 'create_draft', sellerActor, { ...base, price: 0.02, stagesCount: 3 }).details).toEqual({ field: 'price' });
    expect(failure(h, 'create_draft', sellerActor, { ...base, buyer: { id: SELLER.id, name: 'Me' } }).details).toEqual({ field: 'buyer' });
  });
});

describe('payments', () => {
  it('a failed payment leaves the invoice unpaid; the next attempt succeeds', () => {
    const h = new ProjectHarness().signed();
    h.buyer('project_payment_failed', { failureReason: { code: 'card_declined', message: 'Karte noraidīta.' }, paymentId: 'pay_1' });
    const failed = h.last('marketplace.project.purchase_payment_failed').data;
    expect(failed.payment).toMatchObject({ id: 'pay_1', status: 'failed', paidAt: null, failureReason: { code: 'card_declined' } });
    expect(h.state).toMatchObject({ status: 'signed', invoice: { paid: false, failedAttempts: 1 } });
    expect(allowedCommands(h.state, 'buyer')).toEqual(['project_payment_failed', 'project_payment_succeeded', 'request_cancellation']);
    h.buyer('project_payment_succeeded');
    const paid = h.last('marketplace.project.purchase_payment_succeeded').data;
    expect(paid.payment.id).toBe(`${paid.invoice.id}-p2`);
    expect(paid.invoice).toEqual(failed.invoice);
    expect(h.state).toMatchObject({ status: 'prepare', invoice: { paid: true } });
    expect(failure(h, 'project_payment_succeeded', buyerActor).code).toBe('illegal_transition');
  });

  it("a paid plan's commission is on the invoice", () => {
    const h = new ProjectHarness().signed({ sellerPlan: proPlan }, proPlan);
    expect(h.last('marketplace.project.purchase_new_invoice').data.invoice).toMatchObject({ amount: 1250, commissionRate: 0.1, commissionAmount: 125, sellerAmount: 1125 });
  });

  it('the commission is rounded to cents and the seller gets the rest', () => {
    const h = new ProjectHarness().signed({ price: 99.99 });
    expect(h.last('marketplace.project.purchase_new_invoice').data.invoice).toMatchObject({ amount: 99.99, commissionAmount: 20, sellerAmount: 79.99 });
  });
});

describe('stages, deliveries and revisions', () => {
  it('a three-stage project: the price split evenly, each stage started by the buyer, quotas per stage, support after the last', () => {
    const h = new ProjectHarness().paid({ sellerPlan: proPlan, stagesCount: 3, price: 1000 }, proPlan);
    expect(h.state.stages.map((entry) => [entry.stage.amount, entry.stage.dueDate])).toEqual([
      [333.33, null],
      [333.33, null],
      [333.34, '2026-03-20'],
    ]);
    let balance = 0;
    for (const number of [1, 2, 3]) {
      h.buyer('start_work');
      expect(h.last('marketplace.project.active_work').data.stage).toMatchObject({ number, status: 'in_progress' });
      h.seller('deliver', { filesCount: number });
      h.buyer('approve_stage', { buyerQuotaBalance: balance });
      const quotas = h.last('marketplace.project.quotas_assigned').data.quotas;
      expect(quotas.assigned).toBe(6.67);
      balance = quotas.balance;
      if (number < 3) {
        expect(h.state.status).toBe('delivered');
        expect(allowedCommands(h.state, 'buyer')).toEqual(['start_work', 'request_cancellation']);
      }
    }
    expect(balance).toBe(20.01);
    expect(h.codes().filter((code) => code === 'support_started')).toHaveLength(1);
    expect(h.state.status).toBe('support');
    expect(h.state.quotasAssigned).toBe(20.01);
  });

  it('revision rounds are counted per stage', () => {
    const h = new ProjectHarness().working();
    h.seller('deliver');
    h.buyer('request_revisions', { comment: 'Pirmā kārta.' });
    expect(allowedCommands(h.state, 'seller')).toEqual(['request_extension', 'propose_addon', 'deliver', 'request_cancellation']);
    h.seller('deliver');
    h.buyer('request_revisions', { comment: 'Otrā kārta.' });
    expect(h.last('marketplace.project.active_revisions').data).toMatchObject({ revisions: { round: 2, comment: 'Otrā kārta.' }, stage: { status: 'revisions' }, project: { status: 'revisions' } });
    h.seller('deliver');
    expect(h.last('marketplace.project.active_delivered').data).toMatchObject({ stage: { status: 'delivered' }, message: null, filesCount: 0 });
  });

  it('the platform may approve a stage (auto-approval)', () => {
    const h = new ProjectHarness().working();
    h.seller('deliver');
    expect(allowedCommands(h.state, 'system')).toEqual(['approve_stage']);
    h.system('approve_stage', { buyerQuotaBalance: 0, supportPeriodDays: 14 });
    const period = h.last('marketplace.project.support_started').data.supportPeriod;
    expect(Date.parse(period.endsAt) - Date.parse(period.startsAt)).toBe(14 * DAY);
  });

  it('nothing can be delivered before the buyer starts the work, nor approved before delivery', () => {
    const h = new ProjectHarness().paid();
    const deliver = failure(h, 'deliver', sellerActor);
    expect(deliver.details).toEqual({ state: 'prepare', allowed: ['request_extension', 'propose_addon', 'request_cancellation'] });
    h.buyer('start_work');
    expect(failure(h, 'approve_stage', buyerActor, { buyerQuotaBalance: 0 }).details).toEqual({
      state: 'work',
      allowed: ['request_cancellation'],
    });
  });
});

describe('deadline extensions', () => {
  it('an accepted extension moves the project deadline and the due date of the stage that had it', () => {
    const h = new ProjectHarness().working();
    h.seller('request_extension', { requestedDeadline: '2026-03-31', reason: 'Piegāde kavējas.' });
    const request = h.last('marketplace.project.request_extension').data.extension;
    expect(request).toMatchObject({ currentDeadline: '2026-03-20', requestedDeadline: '2026-03-31', status: 'requested', requestedAt: h.at(-HOUR) });
    expect(allowedCommands(h.state, 'seller')).toEqual(['propose_addon', 'deliver', 'request_cancellation']);
    expect(allowedCommands(h.state, 'buyer')).toEqual(['accept_extension', 'decline_extension', 'request_cancellation']);
    h.buyer('accept_extension');
    expect(h.last('marketplace.project.request_extension_accepted').data).toMatchObject({ project: { deliveryDeadline: '2026-03-31' }, extension: { status: 'accepted' } });
    h.seller('deliver');
    expect(h.last('marketplace.project.active_delivered').data.stage.dueDate).toBe('2026-03-31');
  });

  it('a declined extension keeps the deadline', () => {
    const h = new ProjectHarness().working();
    h.seller('request_extension', { requestedDeadline: '2026-03-31', reason: 'Piegāde kavējas.' });
    h.buyer('decline_extension');
    expect(h.last('marketplace.project.request_extension_declined').data).toMatchObject({ project: { deliveryDeadline: '2026-03-20' }, extension: { status: 'declined' } });
    expect(h.state.project?.deliveryDeadline).toBe('2026-03-20');
  });

  it('the requested deadline must be later; only one request at a time; none without a deadline', () => {
    const h = new ProjectHarness().working();
    expect(failure(h, 'request_extension', sellerActor, { requestedDeadline: '2026-03-20', reason: 'x' }).code).toBe('invalid');
    h.seller('request_extension', { requestedDeadline: '2026-03-31', reason: 'Piegāde kavējas.' });
    expect(failure(h, 'request_extension', sellerActor, { requestedDeadline: '2026-04-30', reason: 'x' }).code).toBe('illegal_transition');
    const noDeadline = new ProjectHarness().draft({ deliveryDeadline: null });
    noDeadline.seller('send_offer', { buyer: { ...BUYER } });
    noDeadline.buyer('sign_offer', { sellerPlan: freePlan, sellerActiveProjects: 0 });
    noDeadline.buyer('project_payment_succeeded');
    expect(allowedCommands(noDeadline.state, 'seller')).not.toContain('request_extension');
  });
});

describe('add-ons', () => {
  it('paid with money: an invoice with the commission, then payment and acceptance', () => {
    const h = new ProjectHarness().working();
    const addonId = h.addon(freePlan, 180);
    expect(h.last('marketplace.project.new_addon').data.addon).toMatchObject({ id: addonId, status: 'offered', price: 180 });
    h.buyer('accept_addon', { addonId, paymentMethod: 'money', sellerPlan: freePlan });
    const invoiced = h.last('marketplace.project.purchase_new_invoice_addon').data;
    expect(invoiced.addon.status).toBe('invoiced');
    expect(invoiced.invoice).toMatchObject({ subject: { type: 'addon', addonId }, amount: 180, commissionRate: 0.2, commissionAmount: 36, sellerAmount: 144 });
    expect(invoiced.invoice.id).not.toBe(h.last('marketplace.project.purchase_new_invoice').data.invoice.id);
    h.buyer('addon_payment_succeeded', { addonId, paymentId: 'pay_addon' });
    const accepted = h.last('marketplace.project.accepted_addon').data;
    expect(accepted).toMatchObject({ paidWith: 'money', addon: { status: 'accepted' }, payment: { id: 'pay_addon', amount: 180, status: 'succeeded' } });
    expect(h.state.addons[0]).toMatchObject({ paidWith: 'money', addon: { status: 'accepted' } });
  });

  it('paid with quotas: no invoice, the balance goes down; not enough quotas is refused', () => {
    const h = new ProjectHarness().working();
    const addonId = h.addon(freePlan, 20);
    expect(failure(h, 'accept_addon', buyerActor, { addonId, paymentMethod: 'quotas', sellerPlan: freePlan }).details).toEqual({ field: 'buyerQuotaBalance' });
    const poor = failure(h, 'accept_addon', buyerActor, { addonId, paymentMethod: 'quotas', sellerPlan: freePlan, buyerQuotaBalance: 19.99 });
    expect(poor.code).toBe('invalid');
    expect(poor.details).toEqual({ reason: 'insufficient_quotas', balance: 19.99, required: 20 });
    h.buyer('accept_addon', { addonId, paymentMethod: 'quotas', sellerPlan: freePlan, buyerQuotaBalance: 25 });
    expect(h.last('marketplace.project.accepted_addon').data).toMatchObject({ paidWith: 'quotas', quotas: { spent: 20, balance: 5 } });
    expect(h.state.quotasSpent).toBe(20);
  });

  it('cannot be accepted after its validity; expiry waits for it and is idempotent', () => {
    const h = new ProjectHarness().working();
    const addonId = h.addon();
    expect(h.system('expire_addon', { addonId })).toEqual([]);
    expect(allowedCommands(h.state, 'system', h.now)).toEqual([]);
    h.advance(7 * DAY);
    expect(allowedCommands(h.state, 'system', h.now)).toEqual(['expire_addon']);
    const error = failure(h, 'accept_addon', buyerActor, { addonId, paymentMethod: 'money', sellerPlan: freePlan });
    expect(error.details).toMatchObject({ reason: 'addon_expired', addon: { id: addonId, status: 'offered' } });
    h.system('expire_addon', { addonId });
    expect(h.system('expire_addon', { addonId })).toEqual([]);
    expect(h.state.addons[0]?.addon.status).toBe('expired');
  });

  it('an accepted add-on does not expire, cannot be withdrawn or declined; an unknown one is not found', () => {
    const h = new ProjectHarness().working();
    const addonId = h.addon();
    h.buyer('accept_addon', { addonId, paymentMethod: 'quotas', sellerPlan: freePlan, buyerQuotaBalance: 100 });
    h.advance(30 * DAY);
    expect(h.system('expire_addon', { addonId })).toEqual([]);
    const error = failure(h, 'withdraw_addon', sellerActor, { addonId });
    expect(error.code).toBe('illegal_transition');
    expect(error.details).toEqual({ state: 'work', allowed: ['request_extension', 'propose_addon', 'deliver', 'request_cancellation'], addon: { id: addonId, status: 'accepted' } });
    expect(failure(h, 'decline_addon', buyerActor, { addonId }).code).toBe('illegal_transition');
    expect(failure(h, 'expire_addon', systemActor, { addonId: 'nope' }).code).toBe('not_found');
    expect(statusOf(failure(h, 'expire_addon', systemActor, { addonId: 'nope' }))).toBe(404);
  });

  it('an invoiced add-on can still be declined by the buyer or withdrawn by the seller', () => {
    const h = new ProjectHarness().working({ sellerPlan: proPlan }, proPlan);
    const first = h.addon(proPlan);
    h.buyer('accept_addon', { addonId: first, paymentMethod: 'money', sellerPlan: proPlan });
    h.buyer('decline_addon', { addonId: first });
    expect(h.last('marketplace.project.declined_addon').data).toMatchObject({ addon: { status: 'declined' }, reason: null });
    const second = h.addon(proPlan);
    h.buyer('accept_addon', { addonId: second, paymentMethod: 'money', sellerPlan: proPlan });
    h.seller('withdraw_addon', { addonId: second });
    expect(failure(h, 'addon_payment_succeeded', buyerActor, { addonId: second }).details).toMatchObject({ addon: { status: 'withdrawn' } });
  });
});

describe('seller plan limits', () => {
  it('the free plan: a second active project cannot start; a paid plan allows more', () => {
    const h = new ProjectHarness().sent();
    const error = failure(h, 'sign_offer', buyerActor, { sellerPlan: freePlan, sellerActiveProjects: 1 });
    expect(error.code).toBe('limit_reached');
    expect(statusOf(error)).toBe(422);
    expect(error.details).toMatchObject({ limit: 'activeProjects', max: 1 });
    h.buyer('sign_offer', { sellerPlan: proPlan, sellerActiveProjects: 1 });
    expect(h.state.status).toBe('signed');
    const full = new ProjectHarness().sent();
    expect(failure(full, 'sign_offer', buyerActor, { sellerPlan: proPlan, sellerActiveProjects: 5 }).details).toMatchObject({ limit: 'activeProjects', max: 5 });
    full.buyer('sign_offer', { sellerPlan: unlimitedPlan, sellerActiveProjects: 500 });
  });

  it('the free plan: a second add-on is refused while the first is live; a withdrawn one frees the place', () => {
    const h = new ProjectHarness().working();
    const first = h.addon();
    const error = failure(h, 'propose_addon', sellerActor, { sellerPlan: freePlan, title: 'Otrs', price: 10, validUntil: h.at(DAY) });
    expect(error.code).toBe('limit_reached');
    expect(error.details).toMatchObject({ limit: 'addonsPerProject', max: 1 });
    h.seller('withdraw_addon', { addonId: first });
    const second = h.addon();
    h.buyer('accept_addon', { addonId: second, paymentMethod: 'quotas', sellerPlan: freePlan, buyerQuotaBalance: 50 });
    expect(failure(h, 'propose_addon', sellerActor, { sellerPlan: freePlan, title: 'Trešais', price: 10, validUntil: h.at(DAY) }).code).toBe('limit_reached');
  });

  it('a paid plan allows more add-ons, up to its own limit', () => {
    const h = new ProjectHarness().working({ sellerPlan: proPlan }, proPlan);
    h.addon(proPlan);
    h.addon(proPlan);
    h.addon(proPlan);
    expect(failure(h, 'propose_addon', sellerActor, { sellerPlan: proPlan, title: 'Ceturtais', price: 10, validUntil: h.at(DAY) }).details).toMatchObject({
      limit: 'addonsPerProject',
      max: 3,
    });
  });

  it('the free plan: a second stage is refused; a paid plan allows up to its limit; no limit on the unlimited plan', () => {
    const base = { projectId: 'p1', sellerName: SELLER.name, title: 'T', price: 1000, currency: 'EUR' };
    const h = new ProjectHarness();
    const error = failure(h, 'create_draft', sellerActor, { ...base, sellerPlan: freePlan, stagesCount: 2 });
    expect(error.code).toBe('limit_reached');
    expect(error.details).toMatchObject({ limit: 'stagesPerProject', max: 1 });
    expect(failure(h, 'create_draft', sellerActor, { ...base, sellerPlan: proPlan, stagesCount: 5 }).details).toMatchObject({ limit: 'stagesPerProject', max: 4 });
    h.seller('create_draft', { ...base, sellerPlan: proPlan, stagesCount: 4 });
    expect(h.state.project?.stagesCount).toBe(4);
    new ProjectHarness().seller('create_draft', { ...base, sellerPlan: unlimitedPlan, stagesCount: 20 });
  });
});

describe('cancellation', () => {
  it('the seller asks, the buyer declines: the work goes on', () => {
    const h = new ProjectHarness().working();
    h.seller('request_cancellation', { reason: 'Slimība.' });
    expect(h.last('marketplace.project.request_cancellation_seller').data.cancellation).toMatchObject({ requestedBy: 'seller', status: 'requested', reason: 'Slimība.' });
    h.buyer('decline_cancellation');
    expect(h.last('marketplace.project.request_cancellation_declined_buyer').data).toMatchObject({
      actor: { role: 'buyer' },
      cancellation: { requestedBy: 'seller', status: 'declined' },
    });
    expect(h.state.status).toBe('work');
    h.seller('deliver');
  });

  it('the buyer asks, the seller accepts: the project is cancelled, its actor the seller', () => {
    const h = new ProjectHarness().working();
    h.buyer('request_cancellation', { reason: 'Nav vajadzīgs.' });
    h.seller('accept_cancellation');
    expect(h.last('marketplace.project.active_cancelled').data).toMatchObject({
      project: { status: 'cancelled' },
      actor: { role: 'seller', id: SELLER.id },
      cancellation: { requestedBy: 'buyer', status: 'accepted', id: 'prj_01J9ZK4T7M-c1' },
    });
    for (const role of ['seller', 'buyer'] as const) expect(allowedCommands(h.state, role)).toEqual([]);
    expect(allowedCommands(h.state, 'system')).toEqual(['record_files_deleted', 'record_files_not_deleted']);
  });

  it('the seller asks, the buyer accepts; possible before payment too', () => {
    const h = new ProjectHarness().signed();
    h.seller('request_cancellation', { reason: 'Nevaru.' });
    h.buyer('accept_cancellation');
    expect(h.last('marketplace.project.active_cancelled').data).toMatchObject({ actor: { role: 'buyer' }, cancellation: { requestedBy: 'seller' } });
  });

  it('while a request is pending, only the other party may answer it and nothing else moves', () => {
    const h = new ProjectHarness().working();
    h.buyer('request_cancellation', { reason: 'Nav vajadzīgs.' });
    expect(allowedCommands(h.state, 'seller')).toEqual(['accept_cancellation', 'decline_cancellation']);
    expect(allowedCommands(h.state, 'buyer')).toEqual([]);
    expect(failure(h, 'accept_cancellation', buyerActor).code).toBe('wrong_party');
    const blocked = failure(h, 'deliver', sellerActor);
    expect(blocked.code).toBe('illegal_transition');
    expect(blocked.message).toContain('cancellation request is pending');
    expect(blocked.details).toEqual({ state: 'work', allowed: ['accept_cancellation', 'decline_cancellation'] });
    expect(failure(h, 'request_cancellation', sellerActor, { reason: 'Arī es.' }).code).toBe('illegal_transition');
  });

  it('no cancellation once the work is done (support) or before signing', () => {
    const h = new ProjectHarness().working();
    h.seller('deliver');
    h.buyer('approve_stage', { buyerQuotaBalance: 0 });
    expect(failure(h, 'request_cancellation', buyerActor, { reason: 'x' }).details).toEqual({ state: 'support', allowed: [] });
    expect(failure(new ProjectHarness().sent(), 'request_cancellation', sellerActor, { reason: 'x' }).code).toBe('illegal_transition');
  });
});

describe('wrong party (403)', () => {
  it.each([
    ['send_offer', buyerActor, {}],
    ['sign_offer', sellerActor, { sellerPlan: freePlan, sellerActiveProjects: 0 }],
    ['expire_offer', buyerActor, {}],
    ['expire_offer', sellerActor, {}],
    ['decline_offer', systemActor, {}],
    ['finish_support', sellerActor, {}],
    ['record_files_deleted', buyerActor, { fileCount: 1, totalBytes: 1, scheduledAt: '2026-02-01T00:00:00Z' }],
    ['request_cancellation', systemActor, { reason: 'x' }],
  ] as const)('%s by the %s', (type, actor, fields) => {
    const h = new ProjectHarness().sent();
    const error = failure(h, type, actor, fields);
    expect(error.code).toBe('wrong_party');
    expect(statusOf(error)).toBe(403);
  });

  it('another seller, or a buyer who is not the one of the offer', () => {
    const h = new ProjectHarness().sent();
    expect(failure(h, 'withdraw_offer', { role: 'seller', id: STRANGER.id }).code).toBe('wrong_party');
    expect(failure(h, 'sign_offer', { role: 'buyer', id: STRANGER.id }, { sellerPlan: freePlan, sellerActiveProjects: 0 }).code).toBe('wrong_party');
  });

  it('only a seller creates a draft', () => {
    const error = failure(new ProjectHarness(), 'create_draft', buyerActor, {
      projectId: 'p',
      sellerName: 'x',
      sellerPlan: freePlan,
      title: 'T',
      price: 1,
      currency: 'EUR',
    });
    expect(error.code).toBe('wrong_party');
    expect(error.details).toEqual({ role: 'buyer', allowedRoles: ['seller'] });
  });
});

describe('illegal transitions (409) and allowedCommands', () => {
  it('answers with the current status and the commands the caller may send', () => {
    const h = new ProjectHarness().draft();
    const error = failure(h, 'deliver', sellerActor);
    expect(error.code).toBe('illegal_transition');
    expect(statusOf(error)).toBe(409);
    expect(error.details).toEqual({ state: 'draft', allowed: ['send_offer', 'delete_draft'] });
  });

  it('signing twice', () => {
    const h = new ProjectHarness().signed();
    expect(failure(h, 'sign_offer', buyerActor, { sellerPlan: freePlan, sellerActiveProjects: 0 }).details).toEqual({
      state: 'signed',
      allowed: ['project_payment_failed', 'project_payment_succeeded', 'request_cancellation'],
    });
  });

  it('a project that does not exist is not found; a draft cannot be created twice', () => {
    const h = new ProjectHarness();
    expect(failure(h, 'send_offer', sellerActor).code).toBe('not_found');
    h.draft();
    expect(failure(h, 'create_draft', sellerActor, { projectId: 'p', sellerName: 'x', sellerPlan: freePlan, title: 'T', price: 1, currency: 'EUR' }).details).toEqual({
      state: 'draft',
      allowed: ['send_offer', 'delete_draft'],
    });
  });

  it('an ended project accepts nothing from the parties', () => {
    const h = new ProjectHarness().sent();
    h.buyer('decline_offer');
    expect(failure(h, 'sign_offer', buyerActor, { sellerPlan: freePlan, sellerActiveProjects: 0 }).details).toEqual({ state: 'declined', allowed: [] });
    expect(failure(h, 'finish_support', systemActor).code).toBe('illegal_transition');
  });

  it('files are cleaned up only once the project has ended', () => {
    const h = new ProjectHarness().working();
    expect(failure(h, 'record_files_deleted', systemActor, { fileCount: 1, totalBytes: 1, scheduledAt: h.now }).details).toEqual({ state: 'work', allowed: [] });
  });

  it.each([
    ['none', (h: ProjectHarness) => h, { seller: ['create_draft'], buyer: [], system: [] }],
    ['draft', (h: ProjectHarness) => h.draft(), { seller: ['send_offer', 'delete_draft'], buyer: [], system: [] }],
    ['sent', (h: ProjectHarness) => h.sent(), { seller: ['withdraw_offer'], buyer: ['decline_offer', 'sign_offer'], system: ['expire_offer'] }],
    [
      'signed',
      (h: ProjectHarness) => h.signed(),
      { seller: ['request_cancellation'], buyer: ['project_payment_failed', 'project_payment_succeeded', 'request_cancellation'], system: [] },
    ],
    ['prepare', (h: ProjectHarness) => h.paid(), { seller: ['request_extension', 'propose_addon', 'request_cancellation'], buyer: ['start_work', 'request_cancellation'], system: [] }],
    [
      'work with an offered add-on',
      (h: ProjectHarness) => {
        h.working().addon();
        return h;
      },
      {
        seller: ['request_extension', 'propose_addon', 'withdraw_addon', 'deliver', 'request_cancellation'],
        buyer: ['decline_addon', 'accept_addon', 'request_cancellation'],
        system: ['expire_addon'],
      },
    ],
    [
      'delivered',
      (h: ProjectHarness) => h.working().seller('deliver') && h,
      {
        seller: ['request_extension', 'propose_addon', 'request_cancellation'],
        buyer: ['request_revisions', 'approve_stage', 'request_cancellation'],
        system: ['approve_stage'],
      },
    ],
  ] as const)('in %s', (_label, setup, expected) => {
    const h = setup(new ProjectHarness());
    for (const role of ['seller', 'buyer', 'system'] as const) expect(allowedCommands(h.state, role), role).toEqual(expected[role]);
  });

  it('every command listed as allowed is accepted by decide, and every other one is refused (walk of the scenarios)', () => {
    for (const scenario of scenarios) {
      const h = new ProjectHarness();
      scenario.run(h);
      for (const role of ['seller', 'buyer', 'system'] as const) {
        const allowed = allowedCommands(h.state, role);
        const actor = { seller: sellerActor, buyer: buyerActor, system: systemActor }[role];
        for (const name of commandNames) {
          let outcome: string;
          try {
            outcome = decide(h.command(name, actor, sampleFields(name, h)), h.state).length > 0 ? 'events' : 'no-op';
          } catch (error) {
            outcome = (error as DomainError).code;
          }
          if (!commandRoles[name].includes(role)) expect(outcome, `${name} by ${role}`).toBe('wrong_party');
          // A listed command is never refused for the state; an unlisted one is refused or does nothing.
          else if (allowed.includes(name)) expect(['events', 'no-op', 'invalid', 'limit_reached'], `${name} by ${role} in ${scenario.name}`).toContain(outcome);
          else {
            const refusals = ['illegal_transition', 'no-op', 'not_found'];
            // Nobody is the buyer of a project that names none.
            if (role === 'buyer' && h.state.project?.buyer === null) refusals.push('wrong_party');
            expect(refusals, `${name} by ${role} in ${scenario.name}`).toContain(outcome);
          }
        }
      }
    }
  });
});

/** Plausible fields for any command, to probe decide with. */
function sampleFields(name: CommandName, h: ProjectHarness): never {
  const addonId = h.state.addons.at(-1)?.addon.id ?? 'none';
  const fields: Partial<Record<CommandName, object>> = {
    create_draft: { projectId: 'p', sellerName: 'x', sellerPlan: freePlan, title: 'T', price: 1, currency: 'EUR' },
    sign_offer: { sellerPlan: unlimitedPlan, sellerActiveProjects: 0 },
    project_payment_failed: { failureReason: { code: 'x', message: 'y' } },
    request_extension: { requestedDeadline: '2027-01-01', reason: 'x' },
    propose_addon: { sellerPlan: unlimitedPlan, title: 'A', price: 1, validUntil: h.at(DAY) },
    withdraw_addon: { addonId },
    decline_addon: { addonId },
    expire_addon: { addonId },
    accept_addon: { addonId, paymentMethod: 'money', sellerPlan: freePlan },
    addon_payment_succeeded: { addonId },
    request_revisions: { comment: 'x' },
    approve_stage: { buyerQuotaBalance: 0 },
    record_files_deleted: { fileCount: 0, totalBytes: 0, scheduledAt: h.now },
    record_files_not_deleted: { fileCount: 0, totalBytes: 0, scheduledAt: h.now, reason: 'x' },
    request_cancellation: { reason: 'x' },
  };
  return (fields[name] ?? {}) as never;
}

describe('initial state', () => {
  it('has no project', () => {
    expect(initialState()).toMatchObject({ status: 'none', project: null, stages: [], addons: [] });
    expect(projectDecider.initialState()).toStrictEqual(initialState());
  });
});
