// Given/when/then for deciders, as Emmett's DeciderSpecification writes them:
// given the events of a stream, when a command is decided, then these events (or
// nothing, or this refusal). Every event, given or emitted, is checked against
// the catalog and folded as the event store gives it back (its parsed data), so
// a decider cannot emit what the store would refuse or rebuild its state from
// fields the catalog drops. Assertions throw node:assert's AssertionError, which
// every test runner reports; nothing here depends on one.
import { AssertionError, deepStrictEqual } from 'node:assert';
import { isDeepStrictEqual } from 'node:util';
import { findEventType, jsonEqual } from '@hookline/events';
import { DomainError } from '@hookline/errors';
import { INTERNAL_EVENT_PREFIX, type Decider, type DomainEvent } from '../decider.js';

/** One decision, for the checks a domain adds (who may send what, which events a command may emit…). */
export interface Decision<Command, Event, State> {
  command: Command;
  /** The state the command was decided in. */
  state: State;
  events: readonly Event[];
}

export interface SpecificationOptions<Command, Event, State> {
  /** Checked after every decision that did not throw; throws to fail the test. */
  invariant?: (decision: Decision<Command, Event, State>) => void;
}

/**
 * The event as the event store keeps it: `{ type, data }` with the data as its catalog schema parses it.
 * Throws unless the catalog defines the type and accepts the data unchanged (no unknown or non-JSON field).
 * An internal event (`internal.*`, never published) must be unknown to the catalog; it is kept as is.
 */
export function storedEvent<Event extends DomainEvent>(event: Event): Event {
  const extra = Object.keys(event).filter((key) => key !== 'type' && key !== 'data' && key !== 'reminderRule');
  if (extra.length > 0) fail(`${event.type}: unexpected properties ${extra.join(', ')}`);
  if (event.type.startsWith(INTERNAL_EVENT_PREFIX)) {
    if (findEventType(event.type)) fail(`${event.type} is internal but in the catalog`);
    return { type: event.type, data: event.data } as Event;
  }
  const definition = findEventType(event.type);
  if (!definition) fail(`no catalog definition for ${event.type}`);
  const parsed = definition.data.safeParse(event.data);
  if (!parsed.success) fail(`${event.type} breaks its catalog schema: ${parsed.error.message}`);
  if (!jsonEqual(parsed.data, JSON.parse(JSON.stringify(event.data)))) {
    fail(`${event.type}: the catalog schema changed the data (unknown or non-JSON fields)`);
  }
  return { type: event.type, data: parsed.data } as Event;
}

/** The catalog's example of an event type, as a given event: the catalog's own fixtures, never copied into tests. */
export function catalogExample<Event extends DomainEvent>(type: Event['type']): Event {
  const definition = findEventType(type);
  if (!definition) fail(`no catalog definition for ${type}`);
  return { type, data: definition.data.parse(structuredClone(definition.example)) } as Event;
}

type Expected<Event, State> = Event | readonly Event[] | ((events: Event[], state: State) => void);

/** The events of a stream and the state they fold into; `when` decides a command in it. */
export class Given<Command, Event extends DomainEvent, State> {
  constructor(
    protected readonly decider: Decider<Command, Event, State>,
    protected readonly options: SpecificationOptions<Command, Event, State>,
    /** The stream's events so far, as the store keeps them. */
    readonly history: readonly Event[],
    readonly state: State,
  ) {}

  when(command: Command): When<Command, Event, State> {
    const before = structuredClone(this.state);
    let outcome: Outcome<Event>;
    try {
      outcome = { events: this.decider.decide(command, this.state) };
    } catch (error) {
      outcome = { error };
    }
    if (!isDeepStrictEqual(this.state, before)) fail(`deciding ${nameOf(command)} changed the state it was given`);
    let history = this.history;
    let state = this.state;
    if ('events' in outcome) {
      const stored = outcome.events.map(storedEvent);
      this.options.invariant?.({ command, state: this.state, events: outcome.events });
      history = [...history, ...stored];
      state = stored.reduce((current, event) => this.decider.evolve(current, event), state);
    }
    return new When(this.decider, this.options, history, state, command, outcome);
  }

  /** The last event of a type so far. */
  last<Type extends Event['type']>(type: Type): Extract<Event, { type: Type }> {
    const found = this.history.findLast((event) => event.type === type);
    if (found === undefined) fail(`no ${type} so far`);
    return found as Extract<Event, { type: Type }>;
  }
}

type Outcome<Event> = { events: Event[] } | { error: unknown };

/**
 * A command decided: `then…` asserts the outcome; `when` decides the next command after it
 * (failing the test if this one was refused). `events`, `state` and `history` are after it.
 */
export class When<Command, Event extends DomainEvent, State> extends Given<Command, Event, State> {
  constructor(
    decider: Decider<Command, Event, State>,
    options: SpecificationOptions<Command, Event, State>,
    history: readonly Event[],
    state: State,
    readonly command: Command,
    private readonly outcome: Outcome<Event>,
  ) {
    super(decider, options, history, state);
  }

  /** The events the command emitted, as the decider emitted them; rethrows its refusal. */
  get events(): Event[] {
    if ('error' in this.outcome) throw this.outcome.error;
    return this.outcome.events;
  }

  override when(command: Command): When<Command, Event, State> {
    void this.events;
    return super.when(command);
  }

  /** Exactly these events, in this order; or a check of them and of the state after. */
  then(expected: Expected<Event, State>): this {
    const events = this.events;
    if (typeof expected === 'function') expected(events, this.state);
    else deepStrictEqual(events, Array.isArray(expected) ? expected : [expected]);
    return this;
  }

  thenNothingHappened(): this {
    deepStrictEqual(this.events, [], `${nameOf(this.command)} emitted events`);
    return this;
  }

  /** The refusal the command raised: a DomainError, which `check` may inspect (return false to fail). */
  thenThrows(check?: (error: DomainError) => boolean | void): DomainError {
    if (!('error' in this.outcome))
      fail(
        `${nameOf(this.command)} was not refused: it emitted ${this.outcome.events.map((e) => e.type).join(', ') || 'nothing'}`,
      );
    const { error } = this.outcome;
    if (!(error instanceof DomainError)) throw error;
    if (check?.(error) === false)
      fail(`${nameOf(this.command)} was refused otherwise: ${error.code}: ${error.message}`);
    return error;
  }
}

/** `given(events)` for a decider: the start of each specification (no events: a new stream). */
export type DeciderSpecification<Command, Event extends DomainEvent, State> = (
  events?: Event | readonly Event[],
) => Given<Command, Event, State>;

export const DeciderSpecification = {
  for<Command, Event extends DomainEvent, State>(
    decider: Decider<Command, Event, State>,
    options: SpecificationOptions<Command, Event, State> = {},
  ): DeciderSpecification<Command, Event, State> {
    return (events = []) => {
      const history = (Array.isArray(events) ? events : [events as Event]).map(storedEvent);
      const state = history.reduce((current, event) => decider.evolve(current, event), decider.initialState());
      return new Given(decider, options, history, state);
    };
  },
};

function nameOf(command: unknown): string {
  const type = (command as { type?: unknown } | null)?.type;
  return typeof type === 'string' ? type : 'the command';
}

function fail(message: string): never {
  throw new AssertionError({ message });
}
