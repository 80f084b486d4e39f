// Add-ons (papildinājumi): new_addon, withdrawn_addon, declined_addon, expired_addon, purchase_new_invoice_addon,
// purchase_addon_payment_succeeded (+ accepted_addon), accepted_addon paid with quotas.
import { round2, type Addon } from '@hookline/events';
import { invalid, notFound } from '@hookline/errors';
import type { CommandOf } from '../commands.js';
import { checkLimit } from '../plans.js';
import type { ProjectEvent } from './events.js';
import { issueInvoice, payment } from './purchase.js';
import { admit, admitUnlessIdle, buyerActor, Emitter, isPast, refuse, sellerActor, systemActor } from './rules.js';
import { ended, liveAddons, type ProjectState } from './state.js';

/** propose_addon → new_addon: extra work inside the running project, within the plan's addonsPerProject. */
export function proposeAddon(command: CommandOf<'propose_addon'>, state: ProjectState): ProjectEvent[] {
  const project = admit(command, state);
  checkLimit(command.sellerPlan, 'addonsPerProject', liveAddons(state).length);
  if (isPast(command.validUntil, command.now))
    throw invalid('the add-on validity must end after now', { field: 'validUntil' });
  return new Emitter(state).emit('marketplace.project.new_addon', {
    project,
    occurredAt: command.now,
    actor: sellerActor(command.actor),
    addon: {
      id: `${project.id}-a${state.addons.length + 1}`,
      title: command.title,
      description: command.description ?? '',
      price: round2(command.price),
      validUntil: command.validUntil,
      status: 'offered',
    },
  }).events;
}

type AddonCommand = CommandOf<
  'withdraw_addon' | 'decline_addon' | 'expire_addon' | 'accept_addon' | 'addon_payment_succeeded'
>;

/** The add-on states each add-on command starts from. */
const addonFrom: Record<AddonCommand['type'], Addon['status'][]> = {
  withdraw_addon: ['offered', 'invoiced'],
  decline_addon: ['offered', 'invoiced'],
  expire_addon: ['offered'],
  accept_addon: ['offered'],
  addon_payment_succeeded: ['invoiced'],
};

/** The add-on the command names, in a status the command starts from; not_found or illegal_transition otherwise. */
function addonFor(command: AddonCommand, state: ProjectState) {
  const entry = state.addons.find((candidate) => candidate.addon.id === command.addonId);
  if (entry === undefined) throw notFound(`no add-on ${command.addonId} in this project`, { addonId: command.addonId });
  const { addon } = entry;
  if (!addonFrom[command.type].includes(addon.status)) {
    throw refuse(state, command.actor.role, `${command.type} is not possible for an add-on in status ${addon.status}`, {
      addon: { id: addon.id, status: addon.status },
    });
  }
  return entry;
}

/** withdraw_addon → withdrawn_addon: the seller takes back an add-on not paid yet. */
export function withdrawAddon(command: CommandOf<'withdraw_addon'>, state: ProjectState): ProjectEvent[] {
  const project = admit(command, state);
  const { addon } = addonFor(command, state);
  return new Emitter(state).emit('marketplace.project.withdrawn_addon', {
    project,
    occurredAt: command.now,
    actor: sellerActor(command.actor),
    addon: { ...addon, status: 'withdrawn' },
  }).events;
}

/** decline_addon → declined_addon. */
export function declineAddon(command: CommandOf<'decline_addon'>, state: ProjectState): ProjectEvent[] {
  const project = admit(command, state);
  const { addon } = addonFor(command, state);
  return new Emitter(state).emit('marketplace.project.declined_addon', {
    project,
    occurredAt: command.now,
    actor: buyerActor(command.actor),
    addon: { ...addon, status: 'declined' },
    reason: command.reason ?? null,
  }).events;
}

/** expire_addon → expired_addon: the timer's; nothing unless the add-on is still offered and its validity has ended. */
export function expireAddon(command: CommandOf<'expire_addon'>, state: ProjectState): ProjectEvent[] {
  const entry = state.addons.find((candidate) => candidate.addon.id === command.addonId);
  const idle =
    entry !== undefined &&
    (ended.includes(state.status) || entry.addon.status !== 'offered' || !isPast(entry.addon.validUntil, command.now));
  const project = admitUnlessIdle(command, state, idle);
  if (project === null) return [];
  const { addon } = addonFor(command, state);
  return new Emitter(state).emit('marketplace.project.expired_addon', {
    project,
    occurredAt: command.now,
    actor: systemActor,
    addon: { ...addon, status: 'expired' },
  }).events;
}

/**
 * accept_addon, within its validity: with money → purchase_new_invoice_addon (accepted once paid);
 * with quotas → accepted_addon at once, when the buyer's balance covers the price.
 */
export function acceptAddon(command: CommandOf<'accept_addon'>, state: ProjectState): ProjectEvent[] {
  const project = admit(command, state);
  const { addon } = addonFor(command, state);
  if (isPast(addon.validUntil, command.now)) {
    throw refuse(state, command.actor.role, 'the add-on validity period has ended', {
      reason: 'addon_expired',
      addon: { id: addon.id, status: addon.status, validUntil: addon.validUntil },
    });
  }
  const actor = buyerActor(command.actor);
  const base = { project, occurredAt: command.now, actor };
  if (command.paymentMethod === 'money') {
    const invoice = issueInvoice(
      state,
      { type: 'addon' as const, addonId: addon.id },
      addon.price,
      command.sellerPlan,
      command.now,
    );
    return new Emitter(state).emit('marketplace.project.purchase_new_invoice_addon', {
      ...base,
      addon: { ...addon, status: 'invoiced' },
      invoice,
    }).events;
  }
  const balance = command.buyerQuotaBalance;
  if (balance === undefined)
    throw invalid("paying with quotas needs the buyer's quota balance", { field: 'buyerQuotaBalance' });
  if (balance + 0.005 < addon.price) {
    throw invalid('the buyer has not enough quotas for this add-on', {
      reason: 'insufficient_quotas',
      balance,
      required: addon.price,
    });
  }
  return new Emitter(state).emit('marketplace.project.accepted_addon', {
    ...base,
    addon: { ...addon, status: 'accepted' },
    paidWith: 'quotas',
    quotas: { spent: addon.price, balance: Math.max(0, round2(balance - addon.price)) },
  }).events;
}

/** addon_payment_succeeded → purchase_addon_payment_succeeded + accepted_addon. */
export function addonPaymentSucceeded(
  command: CommandOf<'addon_payment_succeeded'>,
  state: ProjectState,
): ProjectEvent[] {
  const project = admit(command, state);
  const entry = addonFor(command, state);
  if (entry.invoice === null || entry.invoice.subject.type !== 'addon')
    throw refuse(state, command.actor.role, 'the add-on has no invoice');
  const invoice = { ...entry.invoice, subject: entry.invoice.subject };
  const actor = buyerActor(command.actor);
  const base = { project, occurredAt: command.now, actor };
  const paid = {
    ...payment(invoice, 1, command),
    status: 'succeeded' as const,
    failureReason: null,
    paidAt: command.now,
  };
  const accepted = { ...entry.addon, status: 'accepted' as const };
  return new Emitter(state)
    .emit('marketplace.project.purchase_addon_payment_succeeded', { ...base, addon: accepted, invoice, payment: paid })
    .emit('marketplace.project.accepted_addon', { ...base, addon: accepted, paidWith: 'money', invoice, payment: paid })
    .events;
}
