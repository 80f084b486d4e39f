import type { DomainError } from '@hookline/errors';
import { statusOf } from '@hookline/http';
import { describe, expect, it } from 'vitest';
import { commandNames, commandRoles, type CommandActor, type CommandName } from './commands.js';
import { freePlan } from './plans.js';
import {
  buyerActor,
  drafted,
  givenProject,
  paid,
  proPlan,
  scenarios,
  SELLER,
  sellerActor,
  sent,
  signed,
  STRANGER,
  systemActor,
  Timeline,
  unlimitedPlan,
  withAddon,
  working,
  type Project,
  DAY,
} from './project.fixtures.js';
import { allowedCommands, initialState, projectDecider } from './project/index.js';

/** The refusal a command meets (the specification fails the test when there is none, or when decide changed the state). */
const failure = (project: Project, t: Timeline, type: CommandName, actor: CommandActor, fields?: object) =>
  project.when(t.command(type, actor, fields as never)).thenThrows();

describe('add-ons', () => {
  it('paid with money: an invoice with the commission, then payment and acceptance', () => {
    const t = new Timeline();
    let h = working(t);
    const offered = withAddon(t, h, freePlan, 180);
    const addonId = offered.addonId;
    h = offered.project;
    expect(h.last('marketplace.project.new_addon').data.addon).toMatchObject({
      id: addonId,
      status: 'offered',
      price: 180,
    });
    h = h.when(t.buyer('accept_addon', { addonId, paymentMethod: 'money', sellerPlan: freePlan }));
    const invoiced = h.last('marketplace.project.purchase_new_invoice_addon').data;
    expect(invoiced.addon.status).toBe('invoiced');
    expect(invoiced.invoice).toMatchObject({
      subject: { type: 'addon', addonId },
      amount: 180,
      commissionRate: 0.2,
      commissionAmount: 36,
      sellerAmount: 144,
    });
    expect(invoiced.invoice.id).not.toBe(h.last('marketplace.project.purchase_new_invoice').data.invoice.id);
    h = h.when(t.buyer('addon_payment_succeeded', { addonId, paymentId: 'pay_addon' }));
    const accepted = h.last('marketplace.project.accepted_addon').data;
    expect(accepted).toMatchObject({
      paidWith: 'money',
      addon: { status: 'accepted' },
      payment: { id: 'pay_addon', amount: 180, status: 'succeeded' },
    });
    expect(h.state.addons[0]).toMatchObject({ paidWith: 'money', addon: { status: 'accepted' } });
  });

  it('paid with quotas: no invoice, the balance goes down; not enough quotas is refused', () => {
    const t = new Timeline();
    let h = working(t);
    const offered = withAddon(t, h, freePlan, 20);
    const addonId = offered.addonId;
    h = offered.project;
    expect(
      failure(h, t, 'accept_addon', buyerActor, { addonId, paymentMethod: 'quotas', sellerPlan: freePlan }).details,
    ).toEqual({ field: 'buyerQuotaBalance' });
    const poor = failure(h, t, 'accept_addon', buyerActor, {
      addonId,
      paymentMethod: 'quotas',
      sellerPlan: freePlan,
      buyerQuotaBalance: 19.99,
    });
    expect(poor.code).toBe('invalid');
    expect(poor.details).toEqual({ reason: 'insufficient_quotas', balance: 19.99, required: 20 });
    h = h.when(
      t.buyer('accept_addon', { addonId, paymentMethod: 'quotas', sellerPlan: freePlan, buyerQuotaBalance: 25 }),
    );
    expect(h.last('marketplace.project.accepted_addon').data).toMatchObject({
      paidWith: 'quotas',
      quotas: { spent: 20, balance: 5 },
    });
    expect(h.state.quotasSpent).toBe(20);
  });

  it('cannot be accepted after its validity; expiry waits for it and is idempotent', () => {
    const t = new Timeline();
    let h = working(t);
    const offered = withAddon(t, h);
    const addonId = offered.addonId;
    h = offered.project;
    expect((h = h.when(t.system('expire_addon', { addonId }))).events).toEqual([]);
    expect(allowedCommands(h.state, 'system', t.now)).toEqual([]);
    t.advance(7 * DAY);
    expect(allowedCommands(h.state, 'system', t.now)).toEqual(['expire_addon']);
    const error = failure(h, t, 'accept_addon', buyerActor, { addonId, paymentMethod: 'money', sellerPlan: freePlan });
    expect(error.details).toMatchObject({ reason: 'addon_expired', addon: { id: addonId, status: 'offered' } });
    h = h.when(t.system('expire_addon', { addonId }));
    expect((h = h.when(t.system('expire_addon', { addonId }))).events).toEqual([]);
    expect(h.state.addons[0]?.addon.status).toBe('expired');
  });

  it('an accepted add-on does not expire, cannot be withdrawn or declined; an unknown one is not found', () => {
    const t = new Timeline();
    let h = working(t);
    const offered = withAddon(t, h);
    const addonId = offered.addonId;
    h = offered.project;
    h = h.when(
      t.buyer('accept_addon', { addonId, paymentMethod: 'quotas', sellerPlan: freePlan, buyerQuotaBalance: 100 }),
    );
    t.advance(30 * DAY);
    expect((h = h.when(t.system('expire_addon', { addonId }))).events).toEqual([]);
    const error = failure(h, t, 'withdraw_addon', sellerActor, { addonId });
    expect(error.code).toBe('illegal_transition');
    expect(error.details).toEqual({
      state: 'work',
      allowed: ['request_extension', 'propose_addon', 'deliver', 'request_cancellation'],
      addon: { id: addonId, status: 'accepted' },
    });
    expect(failure(h, t, 'decline_addon', buyerActor, { addonId }).code).toBe('illegal_transition');
    expect(failure(h, t, 'expire_addon', systemActor, { addonId: 'nope' }).code).toBe('not_found');
    expect(statusOf(failure(h, t, 'expire_addon', systemActor, { addonId: 'nope' }))).toBe(404);
  });

  it('an invoiced add-on can still be declined by the buyer or withdrawn by the seller', () => {
    const t = new Timeline();
    let h = working(t, { sellerPlan: proPlan }, proPlan);
    const firstOffered = withAddon(t, h, proPlan);
    const first = firstOffered.addonId;
    h = firstOffered.project;
    h = h.when(t.buyer('accept_addon', { addonId: first, paymentMethod: 'money', sellerPlan: proPlan }));
    h = h.when(t.buyer('decline_addon', { addonId: first }));
    expect(h.last('marketplace.project.declined_addon').data).toMatchObject({
      addon: { status: 'declined' },
      reason: null,
    });
    const secondOffered = withAddon(t, h, proPlan);
    const second = secondOffered.addonId;
    h = secondOffered.project;
    h = h.when(t.buyer('accept_addon', { addonId: second, paymentMethod: 'money', sellerPlan: proPlan }));
    h = h.when(t.seller('withdraw_addon', { addonId: second }));
    expect(failure(h, t, 'addon_payment_succeeded', buyerActor, { addonId: second }).details).toMatchObject({
      addon: { status: 'withdrawn' },
    });
  });
});

describe('seller plan limits', () => {
  it('the free plan: a second active project cannot start; a paid plan allows more', () => {
    const t = new Timeline();
    let h = sent(t);
    const error = failure(h, t, 'sign_offer', buyerActor, { sellerPlan: freePlan, sellerActiveProjects: 1 });
    expect(error.code).toBe('limit_reached');
    expect(statusOf(error)).toBe(422);
    expect(error.details).toMatchObject({ limit: 'activeProjects', max: 1 });
    h = h.when(t.buyer('sign_offer', { sellerPlan: proPlan, sellerActiveProjects: 1 }));
    expect(h.state.status).toBe('signed');
    const fullT = new Timeline();
    let full = sent(fullT);
    expect(
      failure(full, fullT, 'sign_offer', buyerActor, { sellerPlan: proPlan, sellerActiveProjects: 5 }).details,
    ).toMatchObject({ limit: 'activeProjects', max: 5 });
    full = full.when(fullT.buyer('sign_offer', { sellerPlan: unlimitedPlan, sellerActiveProjects: 500 }));
  });

  it('the free plan: a second add-on is refused while the first is live; a withdrawn one frees the place', () => {
    const t = new Timeline();
    let h = working(t);
    const firstOffered = withAddon(t, h);
    const first = firstOffered.addonId;
    h = firstOffered.project;
    const error = failure(h, t, 'propose_addon', sellerActor, {
      sellerPlan: freePlan,
      title: 'Otrs',
      price: 10,
      validUntil: t.at(DAY),
    });
    expect(error.code).toBe('limit_reached');
    expect(error.details).toMatchObject({ limit: 'addonsPerProject', max: 1 });
    h = h.when(t.seller('withdraw_addon', { addonId: first }));
    const secondOffered = withAddon(t, h);
    const second = secondOffered.addonId;
    h = secondOffered.project;
    h = h.when(
      t.buyer('accept_addon', {
        addonId: second,
        paymentMethod: 'quotas',
        sellerPlan: freePlan,
        buyerQuotaBalance: 50,
      }),
    );
    expect(
      failure(h, t, 'propose_addon', sellerActor, {
        sellerPlan: freePlan,
        title: 'Trešais',
        price: 10,
        validUntil: t.at(DAY),
      }).code,
    ).toBe('limit_reached');
  });

  it('a paid plan allows more add-ons, up to its own limit', () => {
    const t = new Timeline();
    let h = working(t, { sellerPlan: proPlan }, proPlan);
    for (let i = 0; i < 3; i++) ({ project: h } = withAddon(t, h, proPlan));
    expect(
      failure(h, t, 'propose_addon', sellerActor, {
        sellerPlan: proPlan,
        title: 'Ceturtais',
        price: 10,
        validUntil: t.at(DAY),
      }).details,
    ).toMatchObject({
      limit: 'addonsPerProject',
      max: 3,
    });
  });

  it('the free plan: a second stage is refused; a paid plan allows up to its limit; no limit on the unlimited plan', () => {
    const base = { projectId: 'p1', sellerName: SELLER.name, title: 'T', price: 1000, currency: 'EUR' };
    const t = new Timeline();
    let h = givenProject();
    const error = failure(h, t, 'create_draft', sellerActor, { ...base, sellerPlan: freePlan, stagesCount: 2 });
    expect(error.code).toBe('limit_reached');
    expect(error.details).toMatchObject({ limit: 'stagesPerProject', max: 1 });
    expect(
      failure(h, t, 'create_draft', sellerActor, { ...base, sellerPlan: proPlan, stagesCount: 5 }).details,
    ).toMatchObject({ limit: 'stagesPerProject', max: 4 });
    h = h.when(t.seller('create_draft', { ...base, sellerPlan: proPlan, stagesCount: 4 }));
    expect(h.state.project?.stagesCount).toBe(4);
    const unlimitedT = new Timeline();
    givenProject()
      .when(unlimitedT.seller('create_draft', { ...base, sellerPlan: unlimitedPlan, stagesCount: 20 }))
      .then(([event]) => expect(event?.type).toBe('marketplace.project.new_draft'));
  });
});

describe('cancellation', () => {
  it('the seller asks, the buyer declines: the work goes on', () => {
    const t = new Timeline();
    let h = working(t);
    h = h.when(t.seller('request_cancellation', { reason: 'Slimība.' }));
    expect(h.last('marketplace.project.request_cancellation_seller').data.cancellation).toMatchObject({
      requestedBy: 'seller',
      status: 'requested',
      reason: 'Slimība.',
    });
    h = h.when(t.buyer('decline_cancellation'));
    expect(h.last('marketplace.project.request_cancellation_declined_buyer').data).toMatchObject({
      actor: { role: 'buyer' },
      cancellation: { requestedBy: 'seller', status: 'declined' },
    });
    expect(h.state.status).toBe('work');
    h = h.when(t.seller('deliver'));
  });

  it('the buyer asks, the seller accepts: the project is cancelled, its actor the seller', () => {
    const t = new Timeline();
    let h = working(t);
    h = h.when(t.buyer('request_cancellation', { reason: 'Nav vajadzīgs.' }));
    h = h.when(t.seller('accept_cancellation'));
    expect(h.last('marketplace.project.active_cancelled').data).toMatchObject({
      project: { status: 'cancelled' },
      actor: { role: 'seller', id: SELLER.id },
      cancellation: { requestedBy: 'buyer', status: 'accepted', id: 'prj_01J9ZK4T7M-c1' },
    });
    for (const role of ['seller', 'buyer'] as const) expect(allowedCommands(h.state, role)).toEqual([]);
    expect(allowedCommands(h.state, 'system')).toEqual(['record_files_deleted', 'record_files_not_deleted']);
  });

  it('the seller asks, the buyer accepts; possible before payment too', () => {
    const t = new Timeline();
    let h = signed(t);
    h = h.when(t.seller('request_cancellation', { reason: 'Nevaru.' }));
    h = h.when(t.buyer('accept_cancellation'));
    expect(h.last('marketplace.project.active_cancelled').data).toMatchObject({
      actor: { role: 'buyer' },
      cancellation: { requestedBy: 'seller' },
    });
  });

  it('while a request is pending, only the other party may answer it and nothing else moves', () => {
    const t = new Timeline();
    let h = working(t);
    h = h.when(t.buyer('request_cancellation', { reason: 'Nav vajadzīgs.' }));
    expect(allowedCommands(h.state, 'seller')).toEqual(['accept_cancellation', 'decline_cancellation']);
    expect(allowedCommands(h.state, 'buyer')).toEqual([]);
    expect(failure(h, t, 'accept_cancellation', buyerActor).code).toBe('wrong_party');
    const blocked = failure(h, t, 'deliver', sellerActor);
    expect(blocked.code).toBe('illegal_transition');
    expect(blocked.message).toContain('cancellation request is pending');
    expect(blocked.details).toEqual({ state: 'work', allowed: ['accept_cancellation', 'decline_cancellation'] });
    expect(failure(h, t, 'request_cancellation', sellerActor, { reason: 'Arī es.' }).code).toBe('illegal_transition');
  });

  it('no cancellation once the work is done (support) or before signing', () => {
    const t = new Timeline();
    let h = working(t);
    h = h.when(t.seller('deliver'));
    h = h.when(t.buyer('approve_stage', { buyerQuotaBalance: 0 }));
    expect(failure(h, t, 'request_cancellation', buyerActor, { reason: 'x' }).details).toEqual({
      state: 'support',
      allowed: [],
    });
    const offerT = new Timeline();
    expect(failure(sent(offerT), offerT, 'request_cancellation', sellerActor, { reason: 'x' }).code).toBe(
      'illegal_transition',
    );
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
    const t = new Timeline();
    const h = sent(t);
    const error = failure(h, t, type, actor, fields);
    expect(error.code).toBe('wrong_party');
    expect(statusOf(error)).toBe(403);
  });

  it('another seller, or a buyer who is not the one of the offer', () => {
    const t = new Timeline();
    const h = sent(t);
    expect(failure(h, t, 'withdraw_offer', { role: 'seller', id: STRANGER.id }).code).toBe('wrong_party');
    expect(
      failure(h, t, 'sign_offer', { role: 'buyer', id: STRANGER.id }, { sellerPlan: freePlan, sellerActiveProjects: 0 })
        .code,
    ).toBe('wrong_party');
  });

  it('only a seller creates a draft', () => {
    const error = failure(givenProject(), new Timeline(), 'create_draft', buyerActor, {
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
    const t = new Timeline();
    const h = drafted(t);
    const error = failure(h, t, 'deliver', sellerActor);
    expect(error.code).toBe('illegal_transition');
    expect(statusOf(error)).toBe(409);
    expect(error.details).toEqual({ state: 'draft', allowed: ['send_offer', 'delete_draft'] });
  });

  it('signing twice', () => {
    const t = new Timeline();
    const h = signed(t);
    expect(failure(h, t, 'sign_offer', buyerActor, { sellerPlan: freePlan, sellerActiveProjects: 0 }).details).toEqual({
      state: 'signed',
      allowed: ['project_payment_failed', 'project_payment_succeeded', 'request_cancellation'],
    });
  });

  it('a project that does not exist is not found; a draft cannot be created twice', () => {
    const t = new Timeline();
    let h = givenProject();
    expect(failure(h, t, 'send_offer', sellerActor).code).toBe('not_found');
    h = drafted(t);
    expect(
      failure(h, t, 'create_draft', sellerActor, {
        projectId: 'p',
        sellerName: 'x',
        sellerPlan: freePlan,
        title: 'T',
        price: 1,
        currency: 'EUR',
      }).details,
    ).toEqual({
      state: 'draft',
      allowed: ['send_offer', 'delete_draft'],
    });
  });

  it('an ended project accepts nothing from the parties', () => {
    const t = new Timeline();
    let h = sent(t);
    h = h.when(t.buyer('decline_offer'));
    expect(failure(h, t, 'sign_offer', buyerActor, { sellerPlan: freePlan, sellerActiveProjects: 0 }).details).toEqual({
      state: 'declined',
      allowed: [],
    });
    expect(failure(h, t, 'finish_support', systemActor).code).toBe('illegal_transition');
  });

  it('files are cleaned up only once the project has ended', () => {
    const t = new Timeline();
    const h = working(t);
    expect(
      failure(h, t, 'record_files_deleted', systemActor, { fileCount: 1, totalBytes: 1, scheduledAt: t.now }).details,
    ).toEqual({ state: 'work', allowed: [] });
  });

  it.each([
    ['none', () => givenProject(), { seller: ['create_draft'], buyer: [], system: [] }],
    ['draft', (t: Timeline) => drafted(t), { seller: ['send_offer', 'delete_draft'], buyer: [], system: [] }],
    [
      'sent',
      (t: Timeline) => sent(t),
      { seller: ['withdraw_offer'], buyer: ['decline_offer', 'sign_offer'], system: ['expire_offer'] },
    ],
    [
      'signed',
      (t: Timeline) => signed(t),
      {
        seller: ['request_cancellation'],
        buyer: ['project_payment_failed', 'project_payment_succeeded', 'request_cancellation'],
        system: [],
      },
    ],
    [
      'prepare',
      (t: Timeline) => paid(t),
      {
        seller: ['request_extension', 'propose_addon', 'request_cancellation'],
        buyer: ['start_work', 'request_cancellation'],
        system: [],
      },
    ],
    [
      'work with an offered add-on',
      (t: Timeline) => withAddon(t, working(t)).project,
      {
        seller: ['request_extension', 'propose_addon', 'withdraw_addon', 'deliver', 'request_cancellation'],
        buyer: ['decline_addon', 'accept_addon', 'request_cancellation'],
        system: ['expire_addon'],
      },
    ],
    [
      'delivered',
      (t: Timeline) => working(t).when(t.seller('deliver')),
      {
        seller: ['request_extension', 'propose_addon', 'request_cancellation'],
        buyer: ['request_revisions', 'approve_stage', 'request_cancellation'],
        system: ['approve_stage'],
      },
    ],
  ] as const)('in %s', (_label, setup, expected) => {
    const h = setup(new Timeline());
    for (const role of ['seller', 'buyer', 'system'] as const)
      expect(allowedCommands(h.state, role), role).toEqual(expected[role]);
  });

  it('every command listed as allowed is accepted by decide, and every other one is refused (walk of the scenarios)', () => {
    for (const scenario of scenarios) {
      const t = new Timeline();
      const h = scenario.run(t);
      for (const role of ['seller', 'buyer', 'system'] as const) {
        const allowed = allowedCommands(h.state, role);
        const actor = { seller: sellerActor, buyer: buyerActor, system: systemActor }[role];
        for (const name of commandNames) {
          let outcome: string;
          try {
            // Every probe at the same time: a timeline of its own, from the scenario's now.
            const probe = new Timeline(t.now).command(name, actor, sampleFields(name, h, t));
            outcome = h.when(probe).events.length > 0 ? 'events' : 'no-op';
          } catch (error) {
            outcome = (error as DomainError).code;
          }
          if (!commandRoles[name].includes(role)) expect(outcome, `${name} by ${role}`).toBe('wrong_party');
          // A listed command is never refused for the state; an unlisted one is refused or does nothing.
          else if (allowed.includes(name))
            expect(['events', 'no-op', 'invalid', 'limit_reached'], `${name} by ${role} in ${scenario.name}`).toContain(
              outcome,
            );
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
function sampleFields(name: CommandName, h: Project, t: Timeline): never {
  const addonId = h.state.addons.at(-1)?.addon.id ?? 'none';
  const fields: Partial<Record<CommandName, object>> = {
    create_draft: { projectId: 'p', sellerName: 'x', sellerPlan: freePlan, title: 'T', price: 1, currency: 'EUR' },
    sign_offer: { sellerPlan: unlimitedPlan, sellerActiveProjects: 0 },
    project_payment_failed: { failureReason: { code: 'x', message: 'y' } },
    request_extension: { requestedDeadline: '2027-01-01', reason: 'x' },
    propose_addon: { sellerPlan: unlimitedPlan, title: 'A', price: 1, validUntil: t.at(DAY) },
    withdraw_addon: { addonId },
    decline_addon: { addonId },
    expire_addon: { addonId },
    accept_addon: { addonId, paymentMethod: 'money', sellerPlan: freePlan },
    addon_payment_succeeded: { addonId },
    request_revisions: { comment: 'x' },
    approve_stage: { buyerQuotaBalance: 0 },
    record_files_deleted: { fileCount: 0, totalBytes: 0, scheduledAt: t.now },
    record_files_not_deleted: { fileCount: 0, totalBytes: 0, scheduledAt: t.now, reason: 'x' },
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
