// What an event-sourced service wires around its deciders: its event store
// (a collection of its own), the outbox relay started and stopped with the
// service, and command handling that wakes the relay so events leave at once.
import type { EventBus } from '@hookline/bus';
import type { DocumentStore } from '@hookline/store';
import type { Meter } from '@hookline/telemetry';
import type { Logger } from 'pino';
import { handleCommand, loadState } from './command-handler.js';
import type { Decider, DomainEvent } from './decider.js';
import { EventStore, type AppendContext } from './event-store.js';
import { OutboxRelay } from './outbox-relay.js';

export interface EventSourcing {
  store: EventStore;
  relay: OutboxRelay;
  handle<Command, Event extends DomainEvent, State>(
    decider: Decider<Command, Event, State>,
    stream: string,
    command: Command,
    context: Omit<AppendContext, 'source'>,
  ): ReturnType<typeof handleCommand<Command, Event, State>>;
  load<Event extends DomainEvent, State>(
    decider: Pick<Decider<unknown, Event, State>, 'evolve' | 'initialState'>,
    stream: string,
  ): ReturnType<typeof loadState<Event, State>>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createEventSourcing(
  backends: { store: DocumentStore; bus: EventBus; logger: Logger; meter?: Meter },
  options: { collection: string; source: string; relayIntervalMs?: number },
): EventSourcing {
  const store = new EventStore(backends.store, options.collection);
  // Counted at scrape time: events stored but not yet on Kafka (a growing value means the relay is stuck).
  backends.meter
    ?.createObservableGauge('hookline.outbox.backlog', {
      description: 'Stored events not yet published to Kafka',
      unit: '{event}',
    })
    .addCallback(async (result) => {
      result.observe(await store.events.countDocuments({ published: false }), { 'hookline.source': options.source });
    });
  const relay = new OutboxRelay({
    store,
    bus: backends.bus,
    logger: backends.logger,
    ...(options.relayIntervalMs ? { intervalMs: options.relayIntervalMs } : {}),
  });
  return {
    store,
    relay,
    async handle(decider, stream, command, context) {
      const result = await handleCommand(store, decider, stream, command, { ...context, source: options.source });
      if (result.events.length > 0) relay.wake();
      return result;
    },
    load: (decider, stream) => loadState(store, decider, stream),
    async start() {
      await store.ensureIndexes();
      relay.start();
    },
    stop: () => relay.stop(),
  };
}
