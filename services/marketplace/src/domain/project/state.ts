// The project's state, as its events make it: `initialState` and `evolve`, and what the state tells
// (the current stage, pending requests, live add-ons).
import {
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
import { notFound } from '@hookline/errors';
import type { ProjectEvent } from './events.js';

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
export const activeProjectStatuses = [
  'signed',
  'prepare',
  'work',
  'delivered',
  'revisions',
] as const satisfies readonly CatalogProjectStatus[];
/** Statuses in which the work runs: add-ons, extensions, deliveries. */
export const ongoing: readonly ProjectStatus[] = ['prepare', 'work', 'delivered', 'revisions'];
/** Statuses in which the project can be cancelled. */
export const cancellable: readonly ProjectStatus[] = activeProjectStatuses;
/** Statuses after which nothing happens to the project but the clean-up of its files. */
export const endedProjectStatuses = [
  'declined',
  'withdrawn',
  'deleted',
  'expired',
  'finished',
  'cancelled',
] as const satisfies readonly CatalogProjectStatus[];
export const ended: readonly ProjectStatus[] = endedProjectStatuses;

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
export function currentStage(state: ProjectState): StageState | undefined {
  return state.stages.find((entry) => entry.stage.status !== 'approved');
}

/** The request if it is still pending (status `requested`). */
export function pending<T extends { status: string }>(request: T | null): T | null {
  return request?.status === 'requested' ? request : null;
}

/** Add-ons that count against the plan's addonsPerProject: offered, being paid, or accepted. */
export function liveAddons(state: ProjectState): AddonState[] {
  return state.addons.filter((entry) => ['offered', 'invoiced', 'accepted'].includes(entry.addon.status));
}

export function projectOf(state: ProjectState): Project {
  if (state.project === null) throw notFound('the project does not exist');
  return state.project;
}

function withStage(stages: StageState[], stage: Stage, revisionRounds?: number): StageState[] {
  return stages.map((entry) =>
    entry.stage.id === stage.id ? { stage, revisionRounds: revisionRounds ?? entry.revisionRounds } : entry,
  );
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
        index === next.stages.length - 1
          ? { ...entry, stage: { ...entry.stage, dueDate: project.deliveryDeadline } }
          : entry,
      );
      return { ...next, stages, offerMessage: event.data.message };
    }
    case 'marketplace.project.purchase_new_invoice':
      return {
        ...next,
        invoice: { invoice: event.data.invoice, paid: false, failedAttempts: 0, lastPayment: null },
        invoicesIssued: state.invoicesIssued + 1,
      };
    case 'marketplace.project.purchase_payment_failed':
      return state.invoice === null
        ? next
        : {
            ...next,
            invoice: {
              ...state.invoice,
              failedAttempts: state.invoice.failedAttempts + 1,
              lastPayment: event.data.payment,
            },
          };
    case 'marketplace.project.purchase_payment_succeeded':
      return state.invoice === null
        ? next
        : { ...next, invoice: { ...state.invoice, paid: true, lastPayment: event.data.payment } };
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
        entry.stage.status !== 'approved' && entry.stage.dueDate === currentDeadline
          ? { ...entry, stage: { ...entry.stage, dueDate: requestedDeadline } }
          : entry,
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
      return {
        ...next,
        addons: withAddon(state.addons, event.data.addon, { invoice: event.data.invoice }),
        invoicesIssued: state.invoicesIssued + 1,
      };
    case 'marketplace.project.purchase_addon_payment_succeeded':
      return { ...next, addons: withAddon(state.addons, event.data.addon, { paidWith: 'money' }) };
    case 'marketplace.project.accepted_addon': {
      const data = event.data;
      if (data.paidWith === 'quotas') {
        return {
          ...next,
          addons: withAddon(state.addons, data.addon, { paidWith: 'quotas' }),
          quotasSpent: round2(state.quotasSpent + data.quotas.spent),
        };
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
      return {
        ...next,
        cancellation: event.data.cancellation,
        cancellationsRequested: state.cancellationsRequested + 1,
      };
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
