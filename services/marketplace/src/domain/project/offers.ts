// The offer, from draft to the buyer's signature: new_draft, new_sent, deleted, new_withdrawn, new_declined,
// expired, active_signed (+ purchase_new_invoice).
import { round2 } from '@hookline/events';
import { invalid } from '@hookline/errors';
import type { CommandOf } from '../commands.js';
import { checkLimit } from '../plans.js';
import type { ProjectEvent } from './events.js';
import { issueInvoice } from './purchase.js';
import {
  addDays,
  admit,
  admitUnlessIdle,
  buyerActor,
  checkRole,
  DEFAULT_OFFER_VALIDITY_DAYS,
  Emitter,
  inTime,
  isPast,
  refuse,
  sellerActor,
  systemActor,
  ymd,
} from './rules.js';
import type { ProjectState } from './state.js';

/** create_draft → new_draft: the seller's project, within the plan's stagesPerProject. */
export function createDraft(command: CommandOf<'create_draft'>, state: ProjectState): ProjectEvent[] {
  checkRole(command);
  if (state.status !== 'none') throw refuse(state, command.actor.role, 'the project exists already');
  const stagesCount = command.stagesCount ?? 1;
  checkLimit(command.sellerPlan, 'stagesPerProject', 0, stagesCount);
  if (Math.round(command.price * 100) < stagesCount) {
    throw invalid('the price is too low to split into the stages (at least 0.01 a stage)', { field: 'price' });
  }
  const deliveryDeadline = command.deliveryDeadline ?? null;
  if (deliveryDeadline !== null && deliveryDeadline < ymd(command.now)) {
    throw invalid('the delivery deadline is in the past', { field: 'deliveryDeadline' });
  }
  const buyer = command.buyer ?? null;
  if (buyer !== null && buyer.id === command.actor.id)
    throw invalid('the seller cannot be the buyer', { field: 'buyer' });
  return new Emitter(state).emit('marketplace.project.new_draft', {
    project: {
      id: command.projectId,
      title: command.title,
      status: 'draft',
      seller: { id: command.actor.id, name: command.sellerName },
      buyer,
      currency: command.currency,
      price: round2(command.price),
      deliveryDeadline,
      offerValidUntil: null,
      stagesCount,
      createdAt: command.now,
    },
    occurredAt: command.now,
    actor: sellerActor(command.actor),
  }).events;
}

/** send_offer → new_sent: to a buyer (the draft's, or named now), valid 7 days unless said otherwise. */
export function sendOffer(command: CommandOf<'send_offer'>, state: ProjectState): ProjectEvent[] {
  const project = admit(command, state);
  const buyer = command.buyer ?? project.buyer;
  if (buyer === null) throw invalid('the offer needs a buyer: name one', { field: 'buyer' });
  if (buyer.id === project.seller.id) throw invalid('the seller cannot be the buyer', { field: 'buyer' });
  const offerValidUntil = command.offerValidUntil ?? addDays(command.now, DEFAULT_OFFER_VALIDITY_DAYS);
  if (isPast(offerValidUntil, command.now))
    throw invalid('the offer validity must end after now', { field: 'offerValidUntil' });
  const deliveryDeadline = command.deliveryDeadline ?? project.deliveryDeadline;
  if (deliveryDeadline !== null && deliveryDeadline < ymd(command.now)) {
    throw invalid('the delivery deadline is in the past', { field: 'deliveryDeadline' });
  }
  return new Emitter(state).emit('marketplace.project.new_sent', {
    project: { ...project, status: 'sent', buyer, offerValidUntil, deliveryDeadline },
    occurredAt: command.now,
    actor: sellerActor(command.actor),
    message: command.message ?? null,
  }).events;
}

/** delete_draft → deleted. */
export function deleteDraft(command: CommandOf<'delete_draft'>, state: ProjectState): ProjectEvent[] {
  const project = admit(command, state);
  return new Emitter(state).emit('marketplace.project.deleted', {
    project: { ...project, status: 'deleted' },
    occurredAt: command.now,
    actor: sellerActor(command.actor),
  }).events;
}

/** withdraw_offer → new_withdrawn. */
export function withdrawOffer(command: CommandOf<'withdraw_offer'>, state: ProjectState): ProjectEvent[] {
  const project = admit(command, state);
  return new Emitter(state).emit('marketplace.project.new_withdrawn', {
    project: { ...project, status: 'withdrawn' },
    occurredAt: command.now,
    actor: sellerActor(command.actor),
    reason: command.reason ?? null,
  }).events;
}

/** decline_offer → new_declined. */
export function declineOffer(command: CommandOf<'decline_offer'>, state: ProjectState): ProjectEvent[] {
  const project = admit(command, state);
  return new Emitter(state).emit('marketplace.project.new_declined', {
    project: { ...project, status: 'declined' },
    occurredAt: command.now,
    actor: buyerActor(command.actor),
    reason: command.reason ?? null,
  }).events;
}

/** expire_offer → expired: the timer's; nothing unless the offer is still sent and its validity has ended. */
export function expireOffer(command: CommandOf<'expire_offer'>, state: ProjectState): ProjectEvent[] {
  const idle = state.status !== 'sent' || !inTime('expire_offer', state, command.now);
  const project = admitUnlessIdle(command, state, idle);
  if (project === null) return [];
  return new Emitter(state).emit('marketplace.project.expired', {
    project: { ...project, status: 'expired' },
    occurredAt: command.now,
    actor: systemActor,
  }).events;
}

/** sign_offer → active_signed + purchase_new_invoice: within the offer's validity and the plan's activeProjects. */
export function signOffer(command: CommandOf<'sign_offer'>, state: ProjectState): ProjectEvent[] {
  const project = admit(command, state);
  if (!inTime('sign_offer', state, command.now)) {
    throw refuse(state, command.actor.role, 'the offer validity period has ended', {
      reason: 'offer_expired',
      offerValidUntil: project.offerValidUntil,
    });
  }
  checkLimit(command.sellerPlan, 'activeProjects', command.sellerActiveProjects);
  const actor = buyerActor(command.actor);
  const out = new Emitter(state).emit('marketplace.project.active_signed', {
    project: { ...project, status: 'signed' },
    occurredAt: command.now,
    actor,
  });
  const invoice = issueInvoice(out.state, { type: 'project' as const }, project.price, command.sellerPlan, command.now);
  return out.emit('marketplace.project.purchase_new_invoice', {
    project: out.project,
    occurredAt: command.now,
    actor,
    invoice,
  }).events;
}
