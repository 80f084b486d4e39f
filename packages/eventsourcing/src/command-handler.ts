// Load, fold, decide, append: the whole of handling a command.
import { inSpan } from '@hookline/telemetry';
import { fold, type Decider, type DomainEvent } from './decider.js';
import type { AppendContext, EventStore } from './event-store.js';

export interface HandleResult<State> {
  state: State;
  events: DomainEvent[];
  version: number;
}

/**
 * Runs a command against a stream. A concurrent write surfaces as
 * ConcurrencyError (409): the caller may retry, and the decider then sees the
 * other writer's events.
 */
export function handleCommand<Command, Event extends DomainEvent, State>(
  store: EventStore,
  decider: Decider<Command, Event, State>,
  stream: string,
  command: Command,
  context: AppendContext,
): Promise<HandleResult<State>> {
  const name = (command as { type?: unknown }).type;
  return inSpan(
    `command ${typeof name === 'string' ? name : 'unnamed'}`,
    { attributes: { 'hookline.stream': stream, 'hookline.tenant': context.tenant } },
    async (span) => {
      const { events: history, version } = await store.load(stream);
      const state = fold(
        decider,
        history.map((event) => ({ type: event.type, data: event.data }) as Event),
      );
      const events = decider.decide(command, state);
      span.setAttribute(
        'hookline.events',
        events.map((event) => event.type),
      );
      await store.append(stream, version, events, context);
      return {
        state: events.reduce((current, event) => decider.evolve(current, event), state),
        events,
        version: version + events.length,
      };
    },
  );
}

/** The current state of a stream. */
export async function loadState<Event extends DomainEvent, State>(
  store: EventStore,
  decider: Pick<Decider<unknown, Event, State>, 'evolve' | 'initialState'>,
  stream: string,
) {
  const { events, version } = await store.load(stream);
  return {
    state: fold(
      decider,
      events.map((event) => ({ type: event.type, data: event.data }) as Event),
    ),
    version,
  };
}
