// Helpers of the domain tests (no test framework here, so the file builds like the rest of src).
import { DomainError } from '@hookline/errors';
import { fold, type Decider, type DomainEvent } from '@hookline/eventsourcing';
import { findEventType, jsonEqual } from '@hookline/events';

/**
 * decide(command, state), with every emitted event checked against the catalog: its type is defined and
 * `findEventType(type).data.parse(data)` accepts the data unchanged. A write emits at most one event.
 */
export function decideChecked<C, E extends DomainEvent, S>(decider: Decider<C, E, S>, state: S, command: C): E[] {
  const events = decider.decide(command, state);
  if (events.length > 1) throw new Error(`a write emits one event, got ${events.length}: ${events.map((e) => e.type).join(', ')}`);
  for (const event of events) checkEvent(event);
  return events;
}

/** Throws unless the catalog defines the event's type and its data schema accepts the data as is. */
export function checkEvent(event: DomainEvent): void {
  const definition = findEventType(event.type);
  if (!definition) throw new Error(`no catalog definition for ${event.type}`);
  const parsed: unknown = definition.data.parse(event.data);
  if (!jsonEqual(parsed, JSON.parse(JSON.stringify(event.data)))) {
    throw new Error(`${event.type}: the catalog schema changed the data (unknown or non-JSON fields)`);
  }
}

/** The state after commands run one by one (each checked as in decideChecked), and all their events. */
export function run<C, E extends DomainEvent, S>(decider: Decider<C, E, S>, commands: readonly C[], from?: S) {
  let state = from ?? decider.initialState();
  const events: E[] = [];
  for (const command of commands) {
    const emitted = decideChecked(decider, state, command);
    events.push(...emitted);
    state = emitted.reduce((current, event) => decider.evolve(current, event), state);
  }
  // From the start of a stream, the state must also be what replaying its events gives.
  if (from === undefined && !jsonEqual(fold(decider, events), state)) throw new Error('replaying the events gives another state');
  return { state, events };
}

/** The DomainError a command causes (checked by decideChecked if it unexpectedly succeeds). */
export function refusal<C, E extends DomainEvent, S>(decider: Decider<C, E, S>, state: S, command: C): DomainError {
  try {
    decideChecked(decider, state, command);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(command)} to be refused`);
}
