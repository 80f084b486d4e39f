// The scheduler's collections on the document store (MongoDB/FerretDB or
// embedded) and the indexes behind every query it makes.
import type { DocumentStore, StoreCollection } from '@hookline/store';
import type { TimerKind, TimerParamsByKind, TimerSource, TimerStatus } from '../domain/index.js';

/** A timer: `_id` is its unique key (see `timerId`), so scheduling is an insert that a replay cannot repeat. */
export type TimerDocument = {
  [K in TimerKind]: {
    _id: string;
    kind: K;
    tenant: string;
    subject: string;
    params: TimerParamsByKind[K];
    status: TimerStatus;
    dueAt: Date;
    /** When the next call may go out: `dueAt`, later after a failed call. */
    nextAttemptAt: Date;
    /** Failed calls so far (they set the back-off). */
    failures: number;
    /** Answers recorded (a call cut short by a crash is not). */
    calls: number;
    source: TimerSource;
    createdAt: Date;
    updatedAt: Date;
    firedAt?: Date;
    /** The instance that recorded the final answer. */
    firedBy?: string;
    result?: { request: string; httpStatus?: number; events?: string[] };
    lastError?: string;
    cancelledAt?: Date;
    cancelReason?: string;
  };
}[TimerKind];

/**
 * A claim on a timer: `_id = <timerId>#<n>`. Inserting it is how an instance wins the
 * right to fire the timer (a unique insert is atomic on every backend, FerretDB's
 * findOneAndUpdate is not); a claim whose `until` passed is superseded by inserting
 * `#<n+1>`, never updated. Claims are deleted when their holder is done.
 */
export interface ClaimDocument {
  _id: string;
  timerId: string;
  n: number;
  owner: string;
  at: Date;
  until: Date;
}

export interface ReminderRuleDocument {
  /** `<tenant>/<ruleId>` */
  _id: string;
  tenant: string;
  ruleId: number;
  name: string | null;
  daysFromDueDate: number;
  unitTimeZone: string;
  sendAt: string;
  updatedAt: Date;
}

/** What the scheduler knows of a charge, so a rule set later can schedule its reminders. */
export interface ChargeDocument {
  /** `<tenant>/<subject>` */
  _id: string;
  tenant: string;
  subject: string;
  chargeId: number;
  dueDate: string;
  unitId: number;
  /** False once settled. */
  open: boolean;
  updatedAt: Date;
}

/** Files a project's deliveries attached: one document per delivery event (a replay inserts nothing). */
export interface ProjectFilesDocument {
  /** The event id. */
  _id: string;
  tenant: string;
  subject: string;
  filesCount: number;
}

/** An operator's hold: the clean-up keeps the project's files and records why. */
export interface FileHoldDocument {
  /** `<tenant>/<projectId>` */
  _id: string;
  tenant: string;
  projectId: string;
  reason: string;
  since: Date;
}

export interface SchedulerCollections {
  timers: StoreCollection<TimerDocument>;
  claims: StoreCollection<ClaimDocument>;
  rules: StoreCollection<ReminderRuleDocument>;
  charges: StoreCollection<ChargeDocument>;
  projectFiles: StoreCollection<ProjectFilesDocument>;
  fileHolds: StoreCollection<FileHoldDocument>;
}

export function schedulerCollections(store: DocumentStore): SchedulerCollections {
  return {
    timers: store.collection<TimerDocument>('scheduler_timers'),
    claims: store.collection<ClaimDocument>('scheduler_timer_claims'),
    rules: store.collection<ReminderRuleDocument>('scheduler_reminder_rules'),
    charges: store.collection<ChargeDocument>('scheduler_charges'),
    projectFiles: store.collection<ProjectFilesDocument>('scheduler_project_files'),
    fileHolds: store.collection<FileHoldDocument>('scheduler_file_holds'),
  };
}

export async function ensureSchedulerIndexes(collections: SchedulerCollections): Promise<void> {
  await Promise.all([
    collections.timers.createIndexes([
      { keys: { status: 1, nextAttemptAt: 1 }, name: 'due' },
      { keys: { tenant: 1, subject: 1, kind: 1, status: 1 }, name: 'by_subject' },
      { keys: { tenant: 1, kind: 1, status: 1 }, name: 'by_kind' },
    ]),
    collections.claims.createIndexes([{ keys: { timerId: 1, n: -1 }, name: 'by_timer' }]),
    collections.rules.createIndexes([{ keys: { tenant: 1, ruleId: 1 }, name: 'by_tenant' }]),
    collections.charges.createIndexes([{ keys: { tenant: 1, open: 1 }, name: 'open_by_tenant' }]),
    collections.projectFiles.createIndexes([{ keys: { tenant: 1, subject: 1 }, name: 'by_project' }]),
  ]);
}
