/**
 * The BIYRO project aggregate (offer → project) as a pure decider.
 *
 * One stream per project. Every event is a catalog event of `@hookline/events` whose `data`
 * carries the project as it is after the event, so `evolve` rebuilds the whole state from the
 * catalog data alone (the event store keeps exactly the parsed catalog data). Whatever is not in
 * the catalog data (the seller's plan, the buyer's quota balance across projects, the seller's
 * count of active projects) comes in with the commands that need it: the decider stays pure.
 */
import {
  acceptedAddon,
  activeCancelled,
  activeDelivered,
  activePrepare,
  activeRevisions,
  activeSigned,
  activeWork,
  declinedAddon,
  deleted,
  expired,
  expiredAddon,
  filesDeletedEvent,
  filesNotDeletedEvent,
  newAddon,
  newDeclined,
  newDraft,
  newSent,
  newWithdrawn,
  projectFinished,
  purchaseAddonPaymentSucceeded,
  purchaseNewInvoice,
  purchaseNewInvoiceAddon,
  purchasePaymentFailed,
  purchasePaymentSucceeded,
  quotasAssigned,
  requestCancellationBuyer,
  requestCancellationDeclinedBuyer,
  requestCancellationDeclinedSeller,
  requestCancellationSeller,
  requestExtension,
  requestExtensionAccepted,
  requestExtensionDeclined,
  supportFinished,
  supportStarted,
  withdrawnAddon,
  round2,
  type Addon,
  type Cancellation,
  type Extension,
  type Invoice,
  type Payment,
  type Project,
  type ProjectStatus as CatalogProjectStatus,
  type Stage,
  type SupportPeriod,
} from '@hookline/events';
import { forbidden, illegal, invalid, notFound, type DomainError } from '@hookline/errors';
import type { Decider, DomainEvent } from '@hookline/eventsourcing';
import type { z } from 'zod';
import { commandNames, commandRoles, type CommandActor, type CommandName, type CommandOf, type CommandRole, type ProjectCommand } from './commands.js';
import { checkLimit, type Plan } from './plans.js';

// ---------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------

/** The 35 catalog definitions by type, keeping each one's data schema type. */
const definitions = {
  'marketplace.project.new_draft': newDraft,
  'marketplace.project.new_sent': newSent,
  'marketplace.project.new_declined': newDeclined,
  'marketplace.project.new_withdrawn': newWithdrawn,
  'marketplace.project.deleted': deleted,
  'marketplace.project.files_deleted': filesDeletedEvent,
  'marketplace.project.files_not_deleted': filesNotDeletedEvent,
  'marketplace.project.expired': expired,
  'marketplace.project.active_signed': activeSigned,
  'marketplace.project.purchase_new_invoice': purchaseNewInvoice,
  'marketplace.project.purchase_payment_succeeded': purchasePaymentSucceeded,
  'marketplace.project.purchase_payment_failed': purchasePaymentFailed,
  'marketplace.project.active_work': activeWork,
  'marketplace.project.request_extension': requestExtension,
  'marketplace.project.request_extension_declined': requestExtensionDeclined,
  'marketplace.project.request_extension_accepted': requestExtensionAccepted,
  'marketplace.project.new_addon': newAddon,
  'marketplace.project.withdrawn_addon': withdrawnAddon,
  'marketplace.project.expired_addon': expiredAddon,
  'marketplace.project.declined_addon': declinedAddon,
  'marketplace.project.purchase_new_invoice_addon': purchaseNewInvoiceAddon,
  'marketplace.project.purchase_addon_payment_succeeded': purchaseAddonPaymentSucceeded,
  'marketplace.project.accepted_addon': acceptedAddon,
  'marketplace.project.active_delivered': activeDelivered,
  'marketplace.project.active_revisions': activeRevisions,
  'marketplace.project.quotas_assigned': quotasAssigned,
  'marketplace.project.support_started': supportStarted,
  'marketplace.project.support_finished': supportFinished,
  'marketplace.project.project_finished': projectFinished,
  'marketplace.project.active_prepare': activePrepare,
  'marketplace.project.request_cancellation_seller': requestCancellationSeller,
  'marketplace.project.request_cancellation_buyer': requestCancellationBuyer,
  'marketplace.project.request_cancellation_declined_buyer': requestCancellationDeclinedBuyer,
  'marketplace.project.request_cancellation_declined_seller': requestCancellationDeclinedSeller,
  'marketplace.project.active_cancelled': activeCancelled,
} as const;

type Definitions = typeof definitions;
export type ProjectEventType = keyof Definitions;
/** The `data` of an event type, as the catalog parses it. */
export type ProjectEventData<K extends ProjectEventType> = z.output<Definitions[K]['data']>;
/** An event of the project stream: a catalog type and its data. */
export type ProjectEvent = { [K in ProjectEventType]: DomainEvent<K, ProjectEventData<K>> }[ProjectEventType];
/** The types of the 35 catalog events the aggregate emits. */
export const projectEventTypes = Object.keys(definitions) as ProjectEventType[];

// ---------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------

/** `none` before the draft exists; afterwards the catalog's project status. */
export type ProjectStatus = 'none' | CatalogProjectStatus;

export interface StageState {
  stage: Stage;
  /** Revisions requested for this stage so far. */
  revisionRounds: number;
}

export interface AddonState {
  addon: Addon;
  /** The add-on invoice, once the buyer chose to pay with money. */
  invoice: Invoice | null;
  paidWith: 'money' | 'quotas' | null;
}

export interface ProjectState {
  status: ProjectStatus;
  /** The project as the last event gave it; null before the draft exists. */
  project: Project | null;
  offerMessage: string | null;
  stages: StageState[];
  /** The project invoice, issued when the buyer signs. */
  invoice: { invoice: Invoice; paid: boolean; failedAttempts: number; lastPayment: Payment | null } | null;
  addons: AddonState[];
  /** Invoices issued so far (project and add-ons), for numbering. */
  invoicesIssued: number;
  /** The last deadline extension request (pending when its status is `requested`). */
  extension: Extension | null;
  extensionsRequested: number;
  /** The last cancellation request (pending when its status is `requested`). */
  cancellation: Cancellation | null;
  cancellationsRequested: number;
  /** Quotas assigned to the buyer by this project's approved stages. */
  quotasAssigned: number;
  /** Quotas the buyer spent on this project's add-ons. */
  quotasSpent: number;
  supportPeriod: SupportPeriod | null;
  /** project_finished was emitted. */
  finished: boolean;
  files: { deleted: boolean; cleanupsNotDeleted: number };
}

export function initialState(): ProjectState {
  return {
    status: 'none',
    project: null,
    offerMessage: null,
    stages: [],
    invoice: null,
    addons: [],
    invoicesIssued: 0,
    extension: null,
    extensionsRequested: 0,
    cancellation: null,
    cancellationsRequested: 0,
    quotasAssigned: 0,
    quotasSpent: 0,
    supportPeriod: null,
    finished: false,
    files: { deleted: false, cleanupsNotDeleted: 0 },
  };
}

/** Statuses in which a project counts against the seller plan's `activeProjects` (the document's active_* codes). */
export const activeProjectStatuses = ['signed', 'prepare', 'work', 'delivered', 'revisions'] as const satisfies readonly CatalogProjectStatus[];
/** Statuses in which the work runs: add-ons, extensions, deliveries. */
const ongoing: readonly ProjectStatus[] = ['prepare', 'work', 'delivered', 'revisions'];
/** Statuses in which the project can be cancelled. */
const cancellable: readonly ProjectStatus[] = activeProjectStatuses;
/** Statuses after which nothing happens to the project but the clean-up of its files. */
export const endedProjectStatuses = ['declined', 'withdrawn', 'deleted', 'expired', 'finished', 'cancelled'] as const satisfies readonly CatalogProjectStatus[];
const ended: readonly ProjectStatus[] = endedProjectStatuses;

// ---------------------------------------------------------------------------
// Domain constants
// ---------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

function addDays(iso: string, days: number): string {
  return new Date(Date.parse(iso) + days * DAY_MS).toISOString();
}

function ymd(iso: string): string {
  return new Date(Date.parse(iso)).toISOString().slice(0, 10);
}

function isPast(limit: string, now: string): boolean {
  return Date.parse(now) >= Date.parse(limit);
}

/** The stages a new project is split into: the price shared evenly (the last stage takes the odd cents), the deadline on the last one. */
function initialStages(project: Project): StageState[] {
  const cents = Math.round(project.price * 100);
  const count = project.stagesCount;
  const share = Math.floor(cents / count);
  return Array.from({ length: count }, (_, index) => {
    const number = index + 1;
    const last = number === count;
    return {
      stage: {
        id: `${project.id}-s${number}`,
        number,
        title: count === 1 ? project.title : `${project.title} (${number}/${count})`,
        amount: (last ? cents - share * (count - 1) : share) / 100,
        status: 'pending',
        dueDate: last ? project.deliveryDeadline : null,
      },
      revisionRounds: 0,
    };
  });
}

/** The first stage not approved yet. */
function currentStage(state: ProjectState): StageState | undefined {
  return state.stages.find((entry) => entry.stage.status !== 'approved');
}

function pending<T extends { status: string }>(request: T | null): T | null {
  return request?.status === 'requested' ? request : null;
}

/** Add-ons that count against the plan's addonsPerProject: offered, being paid, or accepted. */
function liveAddons(state: ProjectState): AddonState[] {
  return state.addons.filter((entry) => ['offered', 'invoiced', 'accepted'].includes(entry.addon.status));
}

function projectOf(state: ProjectState): Project {
  if (state.project === null) throw notFound('the project does not exist');
  return state.project;
}

const sellerActor = (actor: CommandActor) => ({ role: 'seller' as const, id: actor.id });
const buyerActor = (actor: CommandActor) => ({ role: 'buyer' as const, id: actor.id });
const systemActor = { role: 'system' as const, id: null };

// ---------------------------------------------------------------------------
// Which commands may run
// ---------------------------------------------------------------------------

/**
 * Whether a command may run in the state for the role (ignoring the clock and command fields).
 * With `anyAddon` false, add-on commands are checked at the project level only (decide then
 * checks the add-on the command names, to answer with its status).
 */
function available(name: CommandName, state: ProjectState, role: CommandRole, anyAddon = true): boolean {
  const s = state.status;
  const cancelling = pending(state.cancellation);
  const free = cancelling === null;
  const stage = currentStage(state);
  const addonIn = (...statuses: Addon['status'][]) => !anyAddon || state.addons.some((entry) => statuses.includes(entry.addon.status));
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
      return free && ongoing.includes(s) && pending(state.extension) === null && state.project?.deliveryDeadline != null;
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
function inTime(name: CommandName, state: ProjectState, now: string): boolean {
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
    (name) => commandRoles[name].includes(role) && available(name, state, role) && (now === undefined || inTime(name, state, now)),
  );
}

/** illegal_transition, with the current status and the commands the caller may send in it. */
function refuse(state: ProjectState, role: CommandRole, message: string, extra: Record<string, unknown> = {}): DomainError {
  return illegal(message, { state: state.status, allowed: allowedCommands(state, role), ...extra });
}

// ---------------------------------------------------------------------------
// decide
// ---------------------------------------------------------------------------

/** Collects the events of one decision, evolving the state after each so later events see it. */
class Emitter {
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

/** Commands that are no-ops (not errors) when their moment has passed or not come: the platform's timers may fire late or twice. */
function isNoop(command: ProjectCommand, state: ProjectState): boolean {
  const s = state.status;
  switch (command.type) {
    case 'expire_offer':
      return s !== 'sent' || !inTime('expire_offer', state, command.now);
    case 'finish_support':
      return s === 'finished' || (s === 'support' && !inTime('finish_support', state, command.now));
    case 'record_files_deleted':
    case 'record_files_not_deleted':
      return state.files.deleted;
    case 'expire_addon': {
      const entry = state.addons.find((candidate) => candidate.addon.id === command.addonId);
      return entry !== undefined && (ended.includes(s) || entry.addon.status !== 'offered' || !isPast(entry.addon.validUntil, command.now));
    }
    default:
      return false;
  }
}

export function decide(command: ProjectCommand, state: ProjectState): ProjectEvent[] {
  const { actor } = command;
  if (!commandRoles[command.type].includes(actor.role)) {
    throw forbidden(
      `${command.type} is for the ${commandRoles[command.type].join(' or ')}, not the ${actor.role}`,
      { role: actor.role, allowedRoles: commandRoles[command.type] },
      'wrong_party',
    );
  }
  if (command.type === 'create_draft') return createDraftDecision(command, state);

  const project = projectOf(state);
  if (actor.role === 'seller' && actor.id !== project.seller.id) {
    throw forbidden('only the seller of this project may do this', { role: actor.role }, 'wrong_party');
  }
  if (actor.role === 'buyer' && actor.id !== project.buyer?.id) {
    throw forbidden('only the buyer of this project may do this', { role: actor.role }, 'wrong_party');
  }
  if (isNoop(command, state)) return [];
  if (!available(command.type, state, actor.role, false)) {
    const cancelling = pending(state.cancellation);
    if ((command.type === 'accept_cancellation' || command.type === 'decline_cancellation') && cancelling?.requestedBy === actor.role) {
      throw forbidden(`the ${actor.role} made the cancellation request: the other party answers it`, { role: actor.role }, 'wrong_party');
    }
    const why = cancelling !== null ? ' while a cancellation request is pending' : '';
    throw refuse(state, actor.role, `${command.type} is not possible in status ${state.status}${why}`);
  }

  const out = new Emitter(state);
  switch (command.type) {
    case 'send_offer':
      return sendOfferDecision(command, out);
    case 'delete_draft':
      return out.emit('marketplace.project.deleted', { project: { ...project, status: 'deleted' }, occurredAt: command.now, actor: sellerActor(actor) }).events;
    case 'withdraw_offer':
      return out.emit('marketplace.project.new_withdrawn', {
        project: { ...project, status: 'withdrawn' },
        occurredAt: command.now,
        actor: sellerActor(actor),
        reason: command.reason ?? null,
      }).events;
    case 'decline_offer':
      return out.emit('marketplace.project.new_declined', {
        project: { ...project, status: 'declined' },
        occurredAt: command.now,
        actor: buyerActor(actor),
        reason: command.reason ?? null,
      }).events;
    case 'expire_offer':
      return out.emit('marketplace.project.expired', { project: { ...project, status: 'expired' }, occurredAt: command.now, actor: systemActor }).events;
    case 'sign_offer':
      return signOfferDecision(command, out);
    case 'project_payment_failed':
    case 'project_payment_succeeded':
      return projectPaymentDecision(command, out);
    case 'start_work': {
      const next = currentStage(state);
      if (next === undefined) throw refuse(state, actor.role, 'every stage is approved');
      return out.emit('marketplace.project.active_work', {
        project: { ...project, status: 'work' },
        occurredAt: command.now,
        actor: buyerActor(actor),
        stage: { ...next.stage, status: 'in_progress' },
      }).events;
    }
    case 'request_extension':
      return requestExtensionDecision(command, out);
    case 'accept_extension':
    case 'decline_extension':
      return answerExtensionDecision(command, out);
    case 'propose_addon':
      return proposeAddonDecision(command, out);
    case 'withdraw_addon':
    case 'decline_addon':
    case 'expire_addon':
    case 'accept_addon':
    case 'addon_payment_succeeded':
      return addonDecision(command, out);
    case 'deliver':
    case 'request_revisions':
    case 'approve_stage':
      return stageDecision(command, out);
    case 'finish_support': {
      const period = state.supportPeriod;
      if (period === null) throw refuse(state, actor.role, 'the support period has not started');
      out.emit('marketplace.project.support_finished', {
        project: { ...project, status: 'finished' },
        occurredAt: command.now,
        actor: systemActor,
        supportPeriod: period,
      });
      return out.emit('marketplace.project.project_finished', { project: out.project, occurredAt: command.now, actor: systemActor }).events;
    }
    case 'record_files_deleted':
      return out.emit('marketplace.project.files_deleted', {
        project,
        occurredAt: command.now,
        actor: systemActor,
        files: {
          outcome: 'deleted',
          fileCount: command.fileCount,
          totalBytes: command.totalBytes,
          scheduledAt: command.scheduledAt,
          deletedAt: command.now,
          reason: null,
        },
      }).events;
    case 'record_files_not_deleted':
      return out.emit('marketplace.project.files_not_deleted', {
        project,
        occurredAt: command.now,
        actor: systemActor,
        files: {
          outcome: 'not_deleted',
          fileCount: command.fileCount,
          totalBytes: command.totalBytes,
          scheduledAt: command.scheduledAt,
          deletedAt: null,
          reason: command.reason,
        },
      }).events;
    case 'request_cancellation':
    case 'accept_cancellation':
    case 'decline_cancellation':
      return cancellationDecision(command, out);
  }
}

function createDraftDecision(command: CommandOf<'create_draft'>, state: ProjectState): ProjectEvent[] {
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
  if (buyer !== null && buyer.id === command.actor.id) throw invalid('the seller cannot be the buyer', { field: 'buyer' });
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

function sendOfferDecision(command: CommandOf<'send_offer'>, out: Emitter): ProjectEvent[] {
  const project = out.project;
  const buyer = command.buyer ?? project.buyer;
  if (buyer === null) throw invalid('the offer needs a buyer: name one', { field: 'buyer' });
  if (buyer.id === project.seller.id) throw invalid('the seller cannot be the buyer', { field: 'buyer' });
  const offerValidUntil = command.offerValidUntil ?? addDays(command.now, DEFAULT_OFFER_VALIDITY_DAYS);
  if (isPast(offerValidUntil, command.now)) throw invalid('the offer validity must end after now', { field: 'offerValidUntil' });
  const deliveryDeadline = command.deliveryDeadline ?? project.deliveryDeadline;
  if (deliveryDeadline !== null && deliveryDeadline < ymd(command.now)) {
    throw invalid('the delivery deadline is in the past', { field: 'deliveryDeadline' });
  }
  return out.emit('marketplace.project.new_sent', {
    project: { ...project, status: 'sent', buyer, offerValidUntil, deliveryDeadline },
    occurredAt: command.now,
    actor: sellerActor(command.actor),
    message: command.message ?? null,
  }).events;
}

function issueInvoice<S extends Invoice['subject']>(state: ProjectState, subject: S, amount: number, sellerPlan: Plan, now: string) {
  const project = projectOf(state);
  const n = state.invoicesIssued + 1;
  const commissionAmount = round2(amount * sellerPlan.commissionRate);
  return {
    id: `${project.id}-i${n}`,
    number: `BIY-${project.id}-${n}`,
    subject,
    currency: project.currency,
    amount,
    commissionRate: sellerPlan.commissionRate,
    commissionAmount,
    sellerAmount: round2(amount - commissionAmount),
    issuedAt: now,
    dueDate: ymd(addDays(now, INVOICE_DUE_DAYS)),
  };
}

function signOfferDecision(command: CommandOf<'sign_offer'>, out: Emitter): ProjectEvent[] {
  const project = out.project;
  if (!inTime('sign_offer', out.state, command.now)) {
    throw refuse(out.state, command.actor.role, 'the offer validity period has ended', { reason: 'offer_expired', offerValidUntil: project.offerValidUntil });
  }
  checkLimit(command.sellerPlan, 'activeProjects', command.sellerActiveProjects);
  const actor = buyerActor(command.actor);
  out.emit('marketplace.project.active_signed', { project: { ...project, status: 'signed' }, occurredAt: command.now, actor });
  const invoice = issueInvoice(out.state, { type: 'project' as const }, project.price, command.sellerPlan, command.now);
  return out.emit('marketplace.project.purchase_new_invoice', { project: out.project, occurredAt: command.now, actor, invoice }).events;
}

function payment(invoice: Invoice, attempt: number, command: { paymentId?: string | undefined; method?: 'card' | 'bank_transfer' | undefined }) {
  return {
    id: command.paymentId ?? `${invoice.id}-p${attempt}`,
    invoiceId: invoice.id,
    amount: invoice.amount,
    currency: invoice.currency,
    method: command.method ?? 'card',
  };
}

function projectPaymentDecision(command: CommandOf<'project_payment_failed' | 'project_payment_succeeded'>, out: Emitter): ProjectEvent[] {
  const billed = out.state.invoice;
  if (billed === null) throw refuse(out.state, command.actor.role, 'no project invoice');
  const invoice = { ...billed.invoice, subject: { type: 'project' as const } };
  const attempt = payment(invoice, billed.failedAttempts + 1, command);
  const actor = buyerActor(command.actor);
  if (command.type === 'project_payment_failed') {
    return out.emit('marketplace.project.purchase_payment_failed', {
      project: out.project,
      occurredAt: command.now,
      actor,
      invoice,
      payment: { ...attempt, status: 'failed', failureReason: command.failureReason, paidAt: null },
    }).events;
  }
  out.emit('marketplace.project.purchase_payment_succeeded', {
    project: out.project,
    occurredAt: command.now,
    actor,
    invoice,
    payment: { ...attempt, status: 'succeeded', failureReason: null, paidAt: command.now },
  });
  return out.emit('marketplace.project.active_prepare', { project: { ...out.project, status: 'prepare' }, occurredAt: command.now, actor }).events;
}

function requestExtensionDecision(command: CommandOf<'request_extension'>, out: Emitter): ProjectEvent[] {
  const project = out.project;
  const currentDeadline = project.deliveryDeadline;
  if (currentDeadline === null) throw refuse(out.state, command.actor.role, 'the project has no delivery deadline');
  if (command.requestedDeadline <= currentDeadline) {
    throw invalid('the requested deadline must be later than the current one', { field: 'requestedDeadline', currentDeadline });
  }
  return out.emit('marketplace.project.request_extension', {
    project,
    occurredAt: command.now,
    actor: sellerActor(command.actor),
    extension: {
      id: `${project.id}-e${out.state.extensionsRequested + 1}`,
      currentDeadline,
      requestedDeadline: command.requestedDeadline,
      reason: command.reason,
      requestedAt: command.now,
      status: 'requested',
    },
  }).events;
}

function answerExtensionDecision(command: CommandOf<'accept_extension' | 'decline_extension'>, out: Emitter): ProjectEvent[] {
  const request = pending(out.state.extension);
  if (request === null) throw refuse(out.state, command.actor.role, 'no pending extension request');
  const project = out.project;
  const actor = buyerActor(command.actor);
  if (command.type === 'decline_extension') {
    return out.emit('marketplace.project.request_extension_declined', {
      project,
      occurredAt: command.now,
      actor,
      extension: { ...request, status: 'declined' },
    }).events;
  }
  return out.emit('marketplace.project.request_extension_accepted', {
    project: { ...project, deliveryDeadline: request.requestedDeadline },
    occurredAt: command.now,
    actor,
    extension: { ...request, status: 'accepted' },
  }).events;
}

function proposeAddonDecision(command: CommandOf<'propose_addon'>, out: Emitter): ProjectEvent[] {
  checkLimit(command.sellerPlan, 'addonsPerProject', liveAddons(out.state).length);
  if (isPast(command.validUntil, command.now)) throw invalid('the add-on validity must end after now', { field: 'validUntil' });
  const project = out.project;
  return out.emit('marketplace.project.new_addon', {
    project,
    occurredAt: command.now,
    actor: sellerActor(command.actor),
    addon: {
      id: `${project.id}-a${out.state.addons.length + 1}`,
      title: command.title,
      description: command.description ?? '',
      price: round2(command.price),
      validUntil: command.validUntil,
      status: 'offered',
    },
  }).events;
}

/** The add-on states each add-on command starts from. */
const addonFrom: Record<'withdraw_addon' | 'decline_addon' | 'expire_addon' | 'accept_addon' | 'addon_payment_succeeded', Addon['status'][]> = {
  withdraw_addon: ['offered', 'invoiced'],
  decline_addon: ['offered', 'invoiced'],
  expire_addon: ['offered'],
  accept_addon: ['offered'],
  addon_payment_succeeded: ['invoiced'],
};

function addonDecision(
  command: CommandOf<'withdraw_addon' | 'decline_addon' | 'expire_addon' | 'accept_addon' | 'addon_payment_succeeded'>,
  out: Emitter,
): ProjectEvent[] {
  const state = out.state;
  const entry = state.addons.find((candidate) => candidate.addon.id === command.addonId);
  if (entry === undefined) throw notFound(`no add-on ${command.addonId} in this project`, { addonId: command.addonId });
  const { addon } = entry;
  if (!addonFrom[command.type].includes(addon.status)) {
    throw refuse(state, command.actor.role, `${command.type} is not possible for an add-on in status ${addon.status}`, {
      addon: { id: addon.id, status: addon.status },
    });
  }
  const project = out.project;
  const base = { project, occurredAt: command.now };
  switch (command.type) {
    case 'withdraw_addon':
      return out.emit('marketplace.project.withdrawn_addon', { ...base, actor: sellerActor(command.actor), addon: { ...addon, status: 'withdrawn' } }).events;
    case 'decline_addon':
      return out.emit('marketplace.project.declined_addon', {
        ...base,
        actor: buyerActor(command.actor),
        addon: { ...addon, status: 'declined' },
        reason: command.reason ?? null,
      }).events;
    case 'expire_addon':
      return out.emit('marketplace.project.expired_addon', { ...base, actor: systemActor, addon: { ...addon, status: 'expired' } }).events;
    case 'accept_addon': {
      if (isPast(addon.validUntil, command.now)) {
        throw refuse(state, command.actor.role, 'the add-on validity period has ended', {
          reason: 'addon_expired',
          addon: { id: addon.id, status: addon.status, validUntil: addon.validUntil },
        });
      }
      const actor = buyerActor(command.actor);
      if (command.paymentMethod === 'money') {
        const invoice = issueInvoice(state, { type: 'addon' as const, addonId: addon.id }, addon.price, command.sellerPlan, command.now);
        return out.emit('marketplace.project.purchase_new_invoice_addon', { ...base, actor, addon: { ...addon, status: 'invoiced' }, invoice }).events;
      }
      const balance = command.buyerQuotaBalance;
      if (balance === undefined) throw invalid("paying with quotas needs the buyer's quota balance", { field: 'buyerQuotaBalance' });
      if (balance + 0.005 < addon.price) {
        throw invalid('the buyer has not enough quotas for this add-on', { reason: 'insufficient_quotas', balance, required: addon.price });
      }
      return out.emit('marketplace.project.accepted_addon', {
        ...base,
        actor,
        addon: { ...addon, status: 'accepted' },
        paidWith: 'quotas',
        quotas: { spent: addon.price, balance: Math.max(0, round2(balance - addon.price)) },
      }).events;
    }
    case 'addon_payment_succeeded': {
      if (entry.invoice === null || entry.invoice.subject.type !== 'addon') throw refuse(state, command.actor.role, 'the add-on has no invoice');
      const invoice = { ...entry.invoice, subject: entry.invoice.subject };
      const actor = buyerActor(command.actor);
      const paid = { ...payment(invoice, 1, command), status: 'succeeded' as const, failureReason: null, paidAt: command.now };
      const accepted = { ...addon, status: 'accepted' as const };
      out.emit('marketplace.project.purchase_addon_payment_succeeded', { ...base, actor, addon: accepted, invoice, payment: paid });
      return out.emit('marketplace.project.accepted_addon', { ...base, actor, addon: accepted, paidWith: 'money', invoice, payment: paid }).events;
    }
  }
}

function stageDecision(command: CommandOf<'deliver' | 'request_revisions' | 'approve_stage'>, out: Emitter): ProjectEvent[] {
  const state = out.state;
  const entry = currentStage(state);
  if (entry === undefined) throw refuse(state, command.actor.role, 'every stage is approved');
  const project = out.project;
  const { stage } = entry;
  switch (command.type) {
    case 'deliver':
      return out.emit('marketplace.project.active_delivered', {
        project: { ...project, status: 'delivered' },
        occurredAt: command.now,
        actor: sellerActor(command.actor),
        stage: { ...stage, status: 'delivered' },
        message: command.message ?? null,
        filesCount: command.filesCount ?? 0,
      }).events;
    case 'request_revisions':
      return out.emit('marketplace.project.active_revisions', {
        project: { ...project, status: 'revisions' },
        occurredAt: command.now,
        actor: buyerActor(command.actor),
        stage: { ...stage, status: 'revisions' },
        revisions: { round: entry.revisionRounds + 1, comment: command.comment },
      }).events;
    case 'approve_stage': {
      const assigned = Math.max(0.01, round2(stage.amount * QUOTA_RATE));
      out.emit('marketplace.project.quotas_assigned', {
        project,
        occurredAt: command.now,
        actor: systemActor,
        stage: { ...stage, status: 'approved' },
        quotas: { assigned, balance: round2(command.buyerQuotaBalance + assigned) },
      });
      if (currentStage(out.state) !== undefined) return out.events;
      const days = command.supportPeriodDays ?? DEFAULT_SUPPORT_PERIOD_DAYS;
      return out.emit('marketplace.project.support_started', {
        project: { ...out.project, status: 'support' },
        occurredAt: command.now,
        actor: systemActor,
        supportPeriod: { startsAt: command.now, endsAt: addDays(command.now, days) },
      }).events;
    }
  }
}

function cancellationDecision(command: CommandOf<'request_cancellation' | 'accept_cancellation' | 'decline_cancellation'>, out: Emitter): ProjectEvent[] {
  const project = out.project;
  const role = command.actor.role;
  const base = { project, occurredAt: command.now };
  if (command.type === 'request_cancellation') {
    const request = { id: `${project.id}-c${out.state.cancellationsRequested + 1}`, reason: command.reason, requestedAt: command.now, status: 'requested' as const };
    if (role === 'seller') {
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
  const request = pending(out.state.cancellation);
  if (request === null) throw refuse(out.state, role, 'no pending cancellation request');
  const { id, reason, requestedAt } = request;
  if (command.type === 'decline_cancellation') {
    if (request.requestedBy === 'seller') {
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
  const cancelled = { ...project, status: 'cancelled' as const };
  if (request.requestedBy === 'seller') {
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

// ---------------------------------------------------------------------------
// evolve
// ---------------------------------------------------------------------------

function withStage(stages: StageState[], stage: Stage, revisionRounds?: number): StageState[] {
  return stages.map((entry) => (entry.stage.id === stage.id ? { stage, revisionRounds: revisionRounds ?? entry.revisionRounds } : entry));
}

function withAddon(addons: AddonState[], addon: Addon, changes: Partial<Omit<AddonState, 'addon'>> = {}): AddonState[] {
  return addons.map((entry) => (entry.addon.id === addon.id ? { ...entry, ...changes, addon } : entry));
}

export function evolve(state: ProjectState, event: ProjectEvent): ProjectState {
  const project = event.data.project;
  const next: ProjectState = { ...state, project, status: project.status };
  switch (event.type) {
    case 'marketplace.project.new_draft':
      return { ...initialState(), project, status: project.status, stages: initialStages(project) };
    case 'marketplace.project.new_sent': {
      const stages = next.stages.map((entry, index) =>
        index === next.stages.length - 1 ? { ...entry, stage: { ...entry.stage, dueDate: project.deliveryDeadline } } : entry,
      );
      return { ...next, stages, offerMessage: event.data.message };
    }
    case 'marketplace.project.purchase_new_invoice':
      return { ...next, invoice: { invoice: event.data.invoice, paid: false, failedAttempts: 0, lastPayment: null }, invoicesIssued: state.invoicesIssued + 1 };
    case 'marketplace.project.purchase_payment_failed':
      return state.invoice === null
        ? next
        : { ...next, invoice: { ...state.invoice, failedAttempts: state.invoice.failedAttempts + 1, lastPayment: event.data.payment } };
    case 'marketplace.project.purchase_payment_succeeded':
      return state.invoice === null ? next : { ...next, invoice: { ...state.invoice, paid: true, lastPayment: event.data.payment } };
    case 'marketplace.project.active_work':
    case 'marketplace.project.active_delivered':
      return { ...next, stages: withStage(state.stages, event.data.stage) };
    case 'marketplace.project.active_revisions':
      return { ...next, stages: withStage(state.stages, event.data.stage, event.data.revisions.round) };
    case 'marketplace.project.quotas_assigned':
      return {
        ...next,
        stages: withStage(state.stages, event.data.stage),
        quotasAssigned: round2(state.quotasAssigned + event.data.quotas.assigned),
      };
    case 'marketplace.project.request_extension':
      return { ...next, extension: event.data.extension, extensionsRequested: state.extensionsRequested + 1 };
    case 'marketplace.project.request_extension_declined':
      return { ...next, extension: event.data.extension };
    case 'marketplace.project.request_extension_accepted': {
      const { currentDeadline, requestedDeadline } = event.data.extension;
      const stages = state.stages.map((entry) =>
        entry.stage.status !== 'approved' && entry.stage.dueDate === currentDeadline ? { ...entry, stage: { ...entry.stage, dueDate: requestedDeadline } } : entry,
      );
      return { ...next, extension: event.data.extension, stages };
    }
    case 'marketplace.project.new_addon':
      return { ...next, addons: [...state.addons, { addon: event.data.addon, invoice: null, paidWith: null }] };
    case 'marketplace.project.withdrawn_addon':
    case 'marketplace.project.expired_addon':
    case 'marketplace.project.declined_addon':
      return { ...next, addons: withAddon(state.addons, event.data.addon) };
    case 'marketplace.project.purchase_new_invoice_addon':
      return { ...next, addons: withAddon(state.addons, event.data.addon, { invoice: event.data.invoice }), invoicesIssued: state.invoicesIssued + 1 };
    case 'marketplace.project.purchase_addon_payment_succeeded':
      return { ...next, addons: withAddon(state.addons, event.data.addon, { paidWith: 'money' }) };
    case 'marketplace.project.accepted_addon': {
      const data = event.data;
      if (data.paidWith === 'quotas') {
        return { ...next, addons: withAddon(state.addons, data.addon, { paidWith: 'quotas' }), quotasSpent: round2(state.quotasSpent + data.quotas.spent) };
      }
      return { ...next, addons: withAddon(state.addons, data.addon, { paidWith: 'money' }) };
    }
    case 'marketplace.project.support_started':
    case 'marketplace.project.support_finished':
      return { ...next, supportPeriod: event.data.supportPeriod };
    case 'marketplace.project.project_finished':
      return { ...next, finished: true };
    case 'marketplace.project.files_deleted':
      return { ...next, files: { ...state.files, deleted: true } };
    case 'marketplace.project.files_not_deleted':
      return { ...next, files: { ...state.files, cleanupsNotDeleted: state.files.cleanupsNotDeleted + 1 } };
    case 'marketplace.project.request_cancellation_seller':
    case 'marketplace.project.request_cancellation_buyer':
      return { ...next, cancellation: event.data.cancellation, cancellationsRequested: state.cancellationsRequested + 1 };
    case 'marketplace.project.request_cancellation_declined_buyer':
    case 'marketplace.project.request_cancellation_declined_seller':
    case 'marketplace.project.active_cancelled':
      return { ...next, cancellation: event.data.cancellation };
    case 'marketplace.project.new_declined':
    case 'marketplace.project.new_withdrawn':
    case 'marketplace.project.deleted':
    case 'marketplace.project.expired':
    case 'marketplace.project.active_signed':
    case 'marketplace.project.active_prepare':
      return next;
  }
}

/** The project aggregate. */
export const projectDecider: Decider<ProjectCommand, ProjectEvent, ProjectState> = { decide, evolve, initialState };
