// Who may send which command when: the roles, the party checks, the statuses each command needs and the
// validity periods (`allowedCommands`, and `admit`, which every decision but create_draft passes first);
// the domain's constants and the Emitter decisions collect their events with.
import type { Addon, Project } from '@hookline/events';
import { forbidden, illegal, type DomainError } from '@hookline/errors';
import {
  commandNames,
  commandRoles,
  type CommandActor,
  type CommandName,
  type CommandRole,
  type ProjectCommand,
} from '../commands.js';
import type { ProjectEvent, ProjectEventData, ProjectEventType } from './events.js';
import { cancellable, currentStage, ended, evolve, ongoing, pending, projectOf, type ProjectState } from './state.js';

/** Offer validity when the seller gives none. */
export const DEFAULT_OFFER_VALIDITY_DAYS = 7;
/** Days the buyer has to pay an invoice. */
export const INVOICE_DUE_DAYS = 7;
/** Support period after the last stage, when the command gives none. */
export const DEFAULT_SUPPORT_PERIOD_DAYS = 30;
/**
 * Quotas (kvotas) an approved stage earns the buyer, as a fraction of the stage amount
 * (the catalog's example: 25 for a 1250 EUR stage). One quota pays one unit of the project currency.
 */
export const QUOTA_RATE = 0.02;

const DAY_MS = 86_400_000;

export function addDays(iso: string, days: number): string {
  return new Date(Date.parse(iso) + days * DAY_MS).toISOString();
}

export function ymd(iso: string): string {
  return new Date(Date.parse(iso)).toISOString().slice(0, 10);
}

export function isPast(limit: string, now: string): boolean {
  return Date.parse(now) >= Date.parse(limit);
}

export const sellerActor = (actor: CommandActor) => ({ role: 'seller' as const, id: actor.id });
export const buyerActor = (actor: CommandActor) => ({ role: 'buyer' as const, id: actor.id });
export const systemActor = { role: 'system' as const, id: null };

/**
 * Whether a command may run in the state for the role (ignoring the clock and command fields).
 * With `anyAddon` false, add-on commands are checked at the project level only (the decision then
 * checks the add-on the command names, to answer with its status).
 */
function available(name: CommandName, state: ProjectState, role: CommandRole, anyAddon = true): boolean {
  const s = state.status;
  const cancelling = pending(state.cancellation);
  const free = cancelling === null;
  const stage = currentStage(state);
  const addonIn = (...statuses: Addon['status'][]) =>
    !anyAddon || state.addons.some((entry) => statuses.includes(entry.addon.status));
  switch (name) {
    case 'create_draft':
      return s === 'none';
    case 'send_offer':
    case 'delete_draft':
      return s === 'draft';
    case 'withdraw_offer':
    case 'decline_offer':
    case 'expire_offer':
    case 'sign_offer':
      return s === 'sent';
    case 'project_payment_failed':
    case 'project_payment_succeeded':
      return free && s === 'signed' && state.invoice !== null && !state.invoice.paid;
    case 'start_work':
      return free && (s === 'prepare' || (s === 'delivered' && stage?.stage.status === 'pending'));
    case 'request_extension':
      return (
        free && ongoing.includes(s) && pending(state.extension) === null && state.project?.deliveryDeadline != null
      );
    case 'accept_extension':
    case 'decline_extension':
      return free && ongoing.includes(s) && pending(state.extension) !== null;
    case 'propose_addon':
      return free && ongoing.includes(s);
    case 'accept_addon':
      return free && ongoing.includes(s) && addonIn('offered');
    case 'withdraw_addon':
    case 'decline_addon':
      return free && (ongoing.includes(s) || s === 'support') && addonIn('offered', 'invoiced');
    case 'addon_payment_succeeded':
      return free && (ongoing.includes(s) || s === 'support') && addonIn('invoiced');
    case 'expire_addon':
      return !ended.includes(s) && addonIn('offered');
    case 'deliver':
      return free && (s === 'work' || s === 'revisions');
    case 'request_revisions':
    case 'approve_stage':
      return free && s === 'delivered' && stage?.stage.status === 'delivered';
    case 'finish_support':
      return s === 'support';
    case 'record_files_deleted':
    case 'record_files_not_deleted':
      return ended.includes(s) && !state.files.deleted;
    case 'request_cancellation':
      return free && cancellable.includes(s);
    case 'accept_cancellation':
    case 'decline_cancellation':
      return cancelling !== null && cancelling.requestedBy !== role;
  }
}

/** Whether a command that may run would also be in time at `now` (validity periods, support period). */
export function inTime(name: CommandName, state: ProjectState, now: string): boolean {
  const project = state.project;
  switch (name) {
    case 'sign_offer':
      return project?.offerValidUntil == null || !isPast(project.offerValidUntil, now);
    case 'expire_offer':
      return project?.offerValidUntil != null && isPast(project.offerValidUntil, now);
    case 'accept_addon':
      return state.addons.some((entry) => entry.addon.status === 'offered' && !isPast(entry.addon.validUntil, now));
    case 'expire_addon':
      return state.addons.some((entry) => entry.addon.status === 'offered' && isPast(entry.addon.validUntil, now));
    case 'finish_support':
      return state.supportPeriod !== null && isPast(state.supportPeriod.endsAt, now);
    default:
      return true;
  }
}

/**
 * The commands `role` may send in `state`, in lifecycle order. With `now`, commands bound to a
 * validity period are left out when out of time (an offer past its validity cannot be signed,
 * an add-on cannot be expired before its validity ends, …).
 */
export function allowedCommands(state: ProjectState, role: CommandRole, now?: string): CommandName[] {
  return commandNames.filter(
    (name) =>
      commandRoles[name].includes(role) &&
      available(name, state, role) &&
      (now === undefined || inTime(name, state, now)),
  );
}

/** illegal_transition, with the current status and the commands the caller may send in it. */
export function refuse(
  state: ProjectState,
  role: CommandRole,
  message: string,
  extra: Record<string, unknown> = {},
): DomainError {
  return illegal(message, { state: state.status, allowed: allowedCommands(state, role), ...extra });
}

/** wrong_party unless the command is one the caller's role may send. */
export function checkRole(command: ProjectCommand): void {
  const { actor } = command;
  if (commandRoles[command.type].includes(actor.role)) return;
  throw forbidden(
    `${command.type} is for the ${commandRoles[command.type].join(' or ')}, not the ${actor.role}`,
    { role: actor.role, allowedRoles: commandRoles[command.type] },
    'wrong_party',
  );
}

/** The project, when the caller's role may send the command and the caller is the project's seller or buyer (as the role says). */
function party(command: ProjectCommand, state: ProjectState): Project {
  checkRole(command);
  const project = projectOf(state);
  const { actor } = command;
  if (actor.role === 'seller' && actor.id !== project.seller.id) {
    throw forbidden('only the seller of this project may do this', { role: actor.role }, 'wrong_party');
  }
  if (actor.role === 'buyer' && actor.id !== project.buyer?.id) {
    throw forbidden('only the buyer of this project may do this', { role: actor.role }, 'wrong_party');
  }
  return project;
}

/** Refuses a command the state does not allow: the other party answers a cancellation request; nothing else moves while one is pending. */
function checkAvailable(command: ProjectCommand, state: ProjectState): void {
  const role = command.actor.role;
  if (available(command.type, state, role, false)) return;
  const cancelling = pending(state.cancellation);
  if (
    (command.type === 'accept_cancellation' || command.type === 'decline_cancellation') &&
    cancelling?.requestedBy === role
  ) {
    throw forbidden(`the ${role} made the cancellation request: the other party answers it`, { role }, 'wrong_party');
  }
  const why = cancelling !== null ? ' while a cancellation request is pending' : '';
  throw refuse(state, role, `${command.type} is not possible in status ${state.status}${why}`);
}

/**
 * The checks every command but create_draft passes first, in this order: the caller's role, the project
 * exists, the caller is its seller or buyer, the state allows the command. Returns the project.
 */
export function admit(command: ProjectCommand, state: ProjectState): Project {
  const project = party(command, state);
  checkAvailable(command, state);
  return project;
}

/**
 * As `admit`, for the platform's timers, which may fire late or twice: when `idle` (their moment has
 * passed or not come), the command is a no-op (null) rather than refused.
 */
export function admitUnlessIdle(command: ProjectCommand, state: ProjectState, idle: boolean): Project | null {
  const project = party(command, state);
  if (idle) return null;
  checkAvailable(command, state);
  return project;
}

/** Collects the events of one decision, evolving the state after each so later events see it. */
export class Emitter {
  readonly events: ProjectEvent[] = [];
  constructor(public state: ProjectState) {}

  get project(): Project {
    return projectOf(this.state);
  }

  emit<K extends ProjectEventType>(type: K, data: ProjectEventData<K>): this {
    const event = { type, data } as ProjectEvent;
    this.events.push(event);
    this.state = evolve(this.state, event);
    return this;
  }
}
