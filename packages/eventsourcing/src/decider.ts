// Aggregates as deciders (the way Emmett writes them): pure functions, tested
// without I/O. The event store and the relay are plumbing around them.
import { invalid } from '@hookline/errors';

/**
 * What a decider emits: a catalog event type and its data (the envelope is
 * added by the store). Types starting with `internal.` are state changes the
 * products publish no webhook for (e.g. a manual settlement): stored with
 * the stream, never validated against the catalog nor relayed.
 */
export interface DomainEvent<Type extends string = string, Data = unknown> {
  type: Type;
  data: Data;
  /** coworking.charge.reminder: the reminder rule, the envelope's `reminderrule` extension. */
  reminderRule?: string;
}

export const INTERNAL_EVENT_PREFIX = 'internal.';

export interface Decider<Command, Event extends DomainEvent, State> {
  /** The events a command causes in a state; throws a DomainError (@hookline/errors) when it may not happen. */
  decide(command: Command, state: State): Event[];
  /** The state after an event. */
  evolve(state: State, event: Event): State;
  initialState(): State;
}

/** The state after a stream of events. */
export function fold<Event extends DomainEvent, State>(
  decider: Pick<Decider<unknown, Event, State>, 'evolve' | 'initialState'>,
  events: readonly Event[],
): State {
  return events.reduce((state, event) => decider.evolve(state, event), decider.initialState());
}

/**
 * The end of a decide's `switch (command.type)`: the type is `never` once every
 * command has its case, so a command left out fails the typecheck. A caller that
 * bypassed the types (an unknown `type`) gets `invalid`.
 */
export function unknownCommand(type: never, aggregate: string): never {
  throw invalid(`Unknown ${aggregate} command ${JSON.stringify(type)}`);
}
