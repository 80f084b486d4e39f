// Cancellation, asked by either party and answered by the other: request_cancellation_seller / _buyer,
// request_cancellation_declined_buyer / _seller, active_cancelled.
import type { CommandOf } from '../commands.js';
import type { ProjectEvent } from './events.js';
import { admit, buyerActor, Emitter, refuse, sellerActor } from './rules.js';
import { pending, type ProjectState } from './state.js';

/** request_cancellation → request_cancellation_seller or request_cancellation_buyer, by who asks. */
export function requestCancellation(command: CommandOf<'request_cancellation'>, state: ProjectState): ProjectEvent[] {
  const project = admit(command, state);
  const base = { project, occurredAt: command.now };
  const request = {
    id: `${project.id}-c${state.cancellationsRequested + 1}`,
    reason: command.reason,
    requestedAt: command.now,
    status: 'requested' as const,
  };
  const out = new Emitter(state);
  if (command.actor.role === 'seller') {
    return out.emit('marketplace.project.request_cancellation_seller', {
      ...base,
      actor: sellerActor(command.actor),
      cancellation: { ...request, requestedBy: 'seller' },
    }).events;
  }
  return out.emit('marketplace.project.request_cancellation_buyer', {
    ...base,
    actor: buyerActor(command.actor),
    cancellation: { ...request, requestedBy: 'buyer' },
  }).events;
}

/** The pending request the other party answers. */
function pendingCancellation(command: CommandOf<'accept_cancellation' | 'decline_cancellation'>, state: ProjectState) {
  const request = pending(state.cancellation);
  if (request === null) throw refuse(state, command.actor.role, 'no pending cancellation request');
  return request;
}

/** decline_cancellation → request_cancellation_declined_buyer (the buyer declines the seller's request) or _seller. */
export function declineCancellation(command: CommandOf<'decline_cancellation'>, state: ProjectState): ProjectEvent[] {
  const project = admit(command, state);
  const { id, reason, requestedAt, requestedBy } = pendingCancellation(command, state);
  const base = { project, occurredAt: command.now };
  const out = new Emitter(state);
  if (requestedBy === 'seller') {
    return out.emit('marketplace.project.request_cancellation_declined_buyer', {
      ...base,
      actor: buyerActor(command.actor),
      cancellation: { id, reason, requestedAt, requestedBy: 'seller', status: 'declined' },
    }).events;
  }
  return out.emit('marketplace.project.request_cancellation_declined_seller', {
    ...base,
    actor: sellerActor(command.actor),
    cancellation: { id, reason, requestedAt, requestedBy: 'buyer', status: 'declined' },
  }).events;
}

/** accept_cancellation → active_cancelled: the project is cancelled. */
export function acceptCancellation(command: CommandOf<'accept_cancellation'>, state: ProjectState): ProjectEvent[] {
  const project = admit(command, state);
  const { id, reason, requestedAt, requestedBy } = pendingCancellation(command, state);
  const cancelled = { ...project, status: 'cancelled' as const };
  const out = new Emitter(state);
  if (requestedBy === 'seller') {
    return out.emit('marketplace.project.active_cancelled', {
      project: cancelled,
      occurredAt: command.now,
      actor: buyerActor(command.actor),
      cancellation: { id, reason, requestedAt, requestedBy: 'seller', status: 'accepted' },
    }).events;
  }
  return out.emit('marketplace.project.active_cancelled', {
    project: cancelled,
    occurredAt: command.now,
    actor: sellerActor(command.actor),
    cancellation: { id, reason, requestedAt, requestedBy: 'buyer', status: 'accepted' },
  }).events;
}
