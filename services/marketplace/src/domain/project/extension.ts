// Deadline extensions: request_extension, request_extension_declined, request_extension_accepted.
import { invalid } from '@hookline/errors';
import type { CommandOf } from '../commands.js';
import type { ProjectEvent } from './events.js';
import { admit, buyerActor, Emitter, refuse, sellerActor } from './rules.js';
import { pending, type ProjectState } from './state.js';

/** request_extension → request_extension: a later delivery deadline, asked by the seller. */
export function requestExtension(command: CommandOf<'request_extension'>, state: ProjectState): ProjectEvent[] {
  const project = admit(command, state);
  const currentDeadline = project.deliveryDeadline;
  if (currentDeadline === null) throw refuse(state, command.actor.role, 'the project has no delivery deadline');
  if (command.requestedDeadline <= currentDeadline) {
    throw invalid('the requested deadline must be later than the current one', {
      field: 'requestedDeadline',
      currentDeadline,
    });
  }
  return new Emitter(state).emit('marketplace.project.request_extension', {
    project,
    occurredAt: command.now,
    actor: sellerActor(command.actor),
    extension: {
      id: `${project.id}-e${state.extensionsRequested + 1}`,
      currentDeadline,
      requestedDeadline: command.requestedDeadline,
      reason: command.reason,
      requestedAt: command.now,
      status: 'requested',
    },
  }).events;
}

/** The pending extension request the buyer answers. */
function pendingExtension(command: CommandOf<'accept_extension' | 'decline_extension'>, state: ProjectState) {
  const request = pending(state.extension);
  if (request === null) throw refuse(state, command.actor.role, 'no pending extension request');
  return request;
}

/** decline_extension → request_extension_declined. */
export function declineExtension(command: CommandOf<'decline_extension'>, state: ProjectState): ProjectEvent[] {
  const project = admit(command, state);
  const request = pendingExtension(command, state);
  return new Emitter(state).emit('marketplace.project.request_extension_declined', {
    project,
    occurredAt: command.now,
    actor: buyerActor(command.actor),
    extension: { ...request, status: 'declined' },
  }).events;
}

/** accept_extension → request_extension_accepted: the project (and its stages due then) get the new deadline. */
export function acceptExtension(command: CommandOf<'accept_extension'>, state: ProjectState): ProjectEvent[] {
  const project = admit(command, state);
  const request = pendingExtension(command, state);
  return new Emitter(state).emit('marketplace.project.request_extension_accepted', {
    project: { ...project, deliveryDeadline: request.requestedDeadline },
    occurredAt: command.now,
    actor: buyerActor(command.actor),
    extension: { ...request, status: 'accepted' },
  }).events;
}
