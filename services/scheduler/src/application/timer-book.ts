// The timers as a book: scheduling is a unique-key insert (a replayed event
// finds its timer there already and changes nothing); cancelling, moving and
// retrying change one timer at a time under its claim (see claims.ts) and touch
// pending timers only, so nothing that has fired is undone or repeated.
import { insertNew, type Filter, type UpdateFilter } from '@hookline/store';
import type { ServiceContext } from '@hookline/runtime';
import type { SchedulerCollections, TimerDocument } from '../adapters/scheduler-store.js';
import type { TimerCancel, TimerChanges, TimerKind, TimerSpec, TimerStatus } from '../domain/index.js';
import type { Claims } from './claims.js';

export function timerDocument(spec: TimerSpec, now: Date): TimerDocument {
  return {
    _id: spec.id,
    kind: spec.kind,
    tenant: spec.tenant,
    subject: spec.subject,
    params: spec.params,
    status: 'pending',
    dueAt: spec.dueAt,
    nextAttemptAt: spec.dueAt,
    failures: 0,
    calls: 0,
    source: spec.source,
    createdAt: now,
    updatedAt: now,
  } as TimerDocument;
}

export interface TimerQuery {
  status?: TimerStatus;
  kind?: TimerKind;
  tenant?: string;
  subject?: string;
  limit?: number;
}

export class TimerBook {
  constructor(
    private readonly collections: SchedulerCollections,
    private readonly claims: Claims,
    private readonly now: () => Date,
    private readonly logger: ServiceContext['logger'],
    /** How long a change waits for a timer being fired (its call ends within half a lease). */
    private readonly waitMs: number,
  ) {}

  /** Schedules what is new, then cancels; returns the specs actually inserted. */
  async apply(changes: TimerChanges): Promise<{ scheduled: TimerSpec[]; cancelled: number }> {
    const now = this.now();
    // The first of several specs of one key wins (an event and its duplicate in one batch).
    const keys = new Set<string>();
    const specs = changes.schedule.filter((spec) => !keys.has(spec.id) && keys.add(spec.id));
    const { inserted } = await insertNew(
      this.collections.timers,
      specs.map((spec) => timerDocument(spec, now)),
    );
    const scheduledIds = new Set(inserted.map((document) => document._id));
    let cancelled = 0;
    for (const cancel of changes.cancel) cancelled += await this.cancel(cancel);
    return { scheduled: specs.filter((spec) => scheduledIds.has(spec.id)), cancelled };
  }

  /** Cancels pending timers (fired ones stay as they are); returns how many. */
  async cancel(cancel: TimerCancel): Promise<number> {
    const filter: Filter<TimerDocument> =
      'id' in cancel
        ? { _id: cancel.id, status: 'pending' }
        : { tenant: cancel.tenant, subject: cancel.subject, kind: cancel.kind, status: 'pending' };
    let cancelled = 0;
    for (const timer of await this.collections.timers.find(filter, { projection: { _id: 1 } })) {
      const now = this.now();
      if (
        await this.change(
          timer._id,
          { $set: { status: 'cancelled', cancelledAt: now, cancelReason: cancel.reason, updatedAt: now } },
          'cancel',
        )
      )
        cancelled++;
    }
    return cancelled;
  }

  /** Moves a pending timer to a new time (a charge's due date or a rule changed). */
  async move(id: string, dueAt: Date, params?: TimerDocument['params']): Promise<boolean> {
    return this.change(
      id,
      { $set: { dueAt, nextAttemptAt: dueAt, updatedAt: this.now(), ...(params ? { params } : {}) } },
      'move',
    );
  }

  async get(id: string): Promise<TimerDocument | null> {
    return this.collections.timers.findOne({ _id: id });
  }

  /** For operators: by status, kind, tenant, subject; soonest first. */
  async list(query: TimerQuery): Promise<TimerDocument[]> {
    const filter: Filter<TimerDocument> = {};
    if (query.status) filter.status = query.status;
    if (query.kind) filter.kind = query.kind;
    if (query.tenant) filter.tenant = query.tenant;
    if (query.subject) filter.subject = query.subject;
    return this.collections.timers.find(filter, { sort: { dueAt: 1, _id: 1 }, limit: query.limit ?? 100 });
  }

  /** Pends a final timer again, due now: an operator's retry (failed, skipped) or a lifted hold (fired). */
  async again(
    id: string,
    from: TimerStatus[],
    accept: (timer: TimerDocument) => boolean = () => true,
  ): Promise<TimerDocument | null> {
    const result = await this.claims.withClaim(
      id,
      async () => {
        const timer = await this.get(id);
        if (!timer || !from.includes(timer.status) || !accept(timer)) return null;
        const now = this.now();
        await this.collections.timers.updateOne(
          { _id: id },
          { $set: { status: 'pending', nextAttemptAt: now, failures: 0, updatedAt: now } },
        );
        return this.get(id);
      },
      this.waitMs,
    );
    return result.done ? result.value : null;
  }

  /** Updates one pending timer under its claim. */
  private async change(id: string, update: object, what: string): Promise<boolean> {
    const result = await this.claims.withClaim(
      id,
      async () =>
        (await this.collections.timers.updateOne({ _id: id, status: 'pending' }, update as UpdateFilter<TimerDocument>))
          .modifiedCount > 0,
      this.waitMs,
    );
    if (!result.done)
      this.logger.warn(
        { timerId: id },
        `timer ${what} gave up: its claim stayed taken (the owning service decides when it fires)`,
      );
    return result.done && result.value;
  }
}
