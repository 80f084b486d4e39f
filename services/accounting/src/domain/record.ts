// What the three record aggregates share: their state, their events (one per write, the catalog's
// `accounting.<entity>.<created|updated|deleted>` with before/after snapshots), input checks that end in
// DomainErrors, and the decider of a plain record (partner, product): create, update, delete.
import { invalid, issuesOf } from '@hookline/errors';
import {
  applyPatch,
  capitalize,
  illegalTransition,
  recordNotFound,
  unknownCommand,
  type Decider,
  type DomainEvent,
} from '@hookline/eventsourcing';
import { changedFields, recordId, type RecordModel } from '@hookline/events';
import type { z } from 'zod';
import type { RecordCommand, RecordCommandType } from './commands.js';

/** One aggregate per record, one stream per record: `<model>:<id>`, e.g. `account.invoice:4812`. */
export function recordStream(model: RecordModel, id: number): string {
  return `${model}:${id}`;
}

/** A record's life: never created, existing, or deleted (ids are never reused). */
export type RecordState<R> = { status: 'none' } | { status: 'exists'; record: R } | { status: 'deleted'; record: R };

export type Entity = 'invoice' | 'partner' | 'product';

export interface CreatedData<M extends RecordModel, R> {
  object: M;
  operation: 'create';
  id: number;
  before: null;
  after: R;
}
export interface UpdatedData<M extends RecordModel, R, F extends string> {
  object: M;
  operation: 'update';
  id: number;
  before: R;
  after: R;
  changedFields: F[];
}
export interface DeletedData<M extends RecordModel, R> {
  object: M;
  operation: 'delete';
  id: number;
  before: R;
  after: null;
}

export type RecordEvent<E extends Entity, M extends RecordModel, R, F extends string> =
  | DomainEvent<`accounting.${E}.created`, CreatedData<M, R>>
  | DomainEvent<`accounting.${E}.updated`, UpdatedData<M, R, F>>
  | DomainEvent<`accounting.${E}.deleted`, DeletedData<M, R>>;

type Snapshot = { id: number };

export function createdEvent<E extends Entity, M extends RecordModel, R extends Snapshot>(
  entity: E,
  model: M,
  after: R,
) {
  return {
    type: `accounting.${entity}.created` as const,
    data: { object: model, operation: 'create' as const, id: after.id, before: null, after },
  };
}

/** The update event, or null when nothing changed (a no-op write emits no event). */
export function updatedEvent<E extends Entity, M extends RecordModel, R extends Snapshot, F extends string>(
  entity: E,
  model: M,
  fields: readonly F[],
  before: R,
  after: R,
) {
  const changed = changedFields(before, after).filter((field): field is keyof R & F =>
    (fields as readonly string[]).includes(field),
  );
  if (changed.length === 0) return null;
  return {
    type: `accounting.${entity}.updated` as const,
    data: { object: model, operation: 'update' as const, id: after.id, before, after, changedFields: changed as F[] },
  };
}

export function deletedEvent<E extends Entity, M extends RecordModel, R extends Snapshot>(
  entity: E,
  model: M,
  before: R,
) {
  return {
    type: `accounting.${entity}.deleted` as const,
    data: { object: model, operation: 'delete' as const, id: before.id, before, after: null },
  };
}

/** The state after one of a record's events. */
export function evolveRecord<R>(
  state: RecordState<R>,
  event: DomainEvent<string, { after: R | null; before: R | null }>,
): RecordState<R> {
  if (event.type.endsWith('.deleted')) {
    return event.data.before === null ? state : { status: 'deleted', record: event.data.before };
  }
  return event.data.after === null ? state : { status: 'exists', record: event.data.after };
}

// ---------------------------------------------------------------------------
// Input checks
// ---------------------------------------------------------------------------

/** `input` parsed by `schema`, or an `invalid` DomainError listing the issues. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw invalid(`Invalid ${what}`, { issues: issuesOf(parsed.error) });
  return parsed.data;
}

export function parseRecordId(id: unknown, label: string): number {
  const parsed = recordId.safeParse(id);
  if (!parsed.success) throw invalid(`A ${label} id is a positive integer`, { issues: issuesOf(parsed.error, ['id']) });
  return parsed.data;
}

/** `record` as the catalog schema accepts it, or an `invalid` DomainError: an event never carries a bad snapshot. */
export function checkRecord<S extends z.ZodType>(schema: S, record: unknown, label: string): z.output<S> {
  const parsed = schema.safeParse(record);
  if (!parsed.success) throw invalid(`The ${label} would not be valid`, { issues: issuesOf(parsed.error) });
  return parsed.data;
}

function idList(ids: readonly number[]): string {
  return ids.join(', ');
}

/** Invoice ids, sorted and each once. */
export function uniqueIds(ids: readonly number[]): number[] {
  return [...new Set(ids)].sort((a, b) => a - b);
}

// ---------------------------------------------------------------------------
// The decider of a plain record (partner, product)
// ---------------------------------------------------------------------------

export interface PlainRecordSpec<E extends Entity, M extends RecordModel, R extends Snapshot, F extends string> {
  entity: E;
  model: M;
  /** Lower-case English name for messages, e.g. 'partner'. */
  label: string;
  /** The catalog's record schema. */
  record: z.ZodType<R>;
  /** The record fields events may list as changed. */
  fields: readonly F[];
  createBody: z.ZodType<Omit<R, 'id'>>;
  patchBody: z.ZodType<object>;
  /** Why a record used by invoices cannot go, and what to do instead. */
  inUseHint: string;
}

/** The commands a plain record accepts in a state. */
export function allowedRecordCommands(state: RecordState<unknown>): RecordCommandType[] {
  return state.status === 'none' ? ['create'] : state.status === 'exists' ? ['update', 'delete'] : [];
}

/**
 * create (id given by the service) → `created`; update (a patch) → `updated` listing the changed fields, or no
 * event when nothing changes; delete → `deleted`, refused (409) while invoices use the record.
 * Creating an existing or deleted id → illegal_transition; anything else on a missing or deleted record → not_found.
 */
export function plainRecordDecider<
  E extends Entity,
  M extends RecordModel,
  R extends Snapshot,
  F extends string,
  CreateInput,
  Patch,
>(
  spec: PlainRecordSpec<E, M, R, F>,
): Decider<RecordCommand<CreateInput, Patch>, RecordEvent<E, M, R, F>, RecordState<R>> {
  type Command<T extends RecordCommandType> = Extract<RecordCommand<CreateInput, Patch>, { type: T }>;
  type Event = RecordEvent<E, M, R, F>;
  const { entity, model, label } = spec;

  function create(command: Command<'create'>, state: RecordState<R>): Event[] {
    if (state.status !== 'none') {
      throw illegalTransition(
        state.status === 'exists'
          ? `${capitalize(label)} ${state.record.id} already exists`
          : `${capitalize(label)} ${state.record.id} was deleted; ids are not reused`,
        state.status,
        allowedRecordCommands(state),
      );
    }
    const id = parseRecordId(command.id, label);
    const input = parseInput(spec.createBody, command.input, `${label}`);
    return [createdEvent(entity, model, checkRecord(spec.record, { id, ...input }, label))];
  }

  function update(command: Command<'update'>, state: RecordState<R>): Event[] {
    const current = existing(state, label);
    const patch = parseInput(spec.patchBody, command.patch, `${label} update`);
    const next = checkRecord(spec.record, applyPatch(current, patch), label);
    const event = updatedEvent(entity, model, spec.fields, current, next);
    return event ? [event] : [];
  }

  function remove(command: Command<'delete'>, state: RecordState<R>): Event[] {
    const current = existing(state, label);
    const inUseBy = uniqueIds(command.inUseBy);
    if (inUseBy.length > 0) {
      throw illegalTransition(
        `${capitalize(label)} ${current.id} is used by invoice${inUseBy.length > 1 ? 's' : ''} ${idList(inUseBy)}; ${spec.inUseHint}`,
        'in_use',
        ['update'],
        { inUseBy },
      );
    }
    return [deletedEvent(entity, model, current)];
  }

  return {
    initialState: () => ({ status: 'none' }),
    evolve: (state, event) => evolveRecord(state, event),
    decide(command, state) {
      const { type } = command;
      switch (type) {
        case 'create':
          return create(command, state);
        case 'update':
          return update(command, state);
        case 'delete':
          return remove(command, state);
        default:
          return unknownCommand(type, label);
      }
    },
  };
}

/** The record of an existing aggregate; not_found when it was never created or was deleted. */
export function existing<R extends Snapshot>(state: RecordState<R>, label: string): R {
  if (state.status === 'none') throw recordNotFound(label, 'none');
  if (state.status === 'deleted') throw recordNotFound(label, 'deleted', state.record.id);
  return state.record;
}
