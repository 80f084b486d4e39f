// The event store on the document store port: one document per event,
// `_id = <stream>@<version>`, so two writers appending the same version collide
// on the unique key and one of them gets a ConcurrencyError. Appends validate
// every event against the catalog and store its whole CloudEvent envelope, so
// what the relay publishes later is exactly what was accepted here.
import { inSpan, traceHeaders } from '@hookline/telemetry';
import { createEvent, traceparentPattern, type EventDefinition, type HooklineEvent } from '@hookline/events';
import { DomainError } from '@hookline/errors';
import { DuplicateKeyError, type DocumentStore, type StoreCollection } from '@hookline/store';
import { randomUUID } from 'node:crypto';
import { INTERNAL_EVENT_PREFIX, type DomainEvent } from './decider.js';

export interface StoredEvent {
  /** `${stream}@${version}` */
  _id: string;
  stream: string;
  /** 1 for the first event of the stream. */
  version: number;
  envelope: HooklineEvent;
  /** Set once the relay has published it. */
  published: boolean;
  /** Append order across streams, for the relay. */
  position: number;
  storedAt: Date;
}

/** Another writer appended to the stream first: reload and decide again (a `conflict`, HTTP 409). */
export class ConcurrencyError extends DomainError {
  override readonly name = 'ConcurrencyError';
  constructor(
    readonly stream: string,
    readonly expectedVersion: number,
  ) {
    super('conflict', 'conflict', `stream ${stream} changed since version ${expectedVersion}: reload and retry`);
  }
}

/** Who and what caused the events being appended. */
export interface AppendContext {
  tenant: string;
  actor: string;
  /** CloudEvent source of the producing service, e.g. /hookline/marketplace. */
  source: string;
  time?: Date;
  traceparent?: string;
  tracestate?: string;
}

/** A caller's malformed traceparent is dropped (a new trace starts), as W3C Trace Context says, rather than failing the command. */
function withoutMalformedTrace(context: AppendContext): AppendContext {
  if (context.traceparent === undefined || traceparentPattern.test(context.traceparent)) return context;
  const { traceparent: _malformed, tracestate: _state, ...rest } = context;
  return rest;
}

export class EventStore {
  readonly events: StoreCollection<StoredEvent>;
  private lastPosition = 0;

  constructor(
    store: DocumentStore,
    collectionName = 'events',
    private readonly lookup?: (type: string) => Pick<EventDefinition, 'data'> | undefined,
  ) {
    this.events = store.collection<StoredEvent>(collectionName);
  }

  async ensureIndexes(): Promise<void> {
    await this.events.createIndexes([
      { keys: { stream: 1, version: 1 }, name: 'stream_version', unique: true },
      { keys: { published: 1, position: 1 }, name: 'outbox' },
    ]);
  }

  async load(stream: string): Promise<{ events: HooklineEvent[]; version: number }> {
    const stored = await this.events.find({ stream }, { sort: { version: 1 } });
    return { events: stored.map((event) => event.envelope), version: stored.at(-1)?.version ?? 0 };
  }

  /**
   * Appends after `expectedVersion` (0 for a new stream). Throws
   * ConcurrencyError when the stream moved on, EventValidationError when an
   * event breaks its catalog schema (then nothing is stored).
   */
  append(
    stream: string,
    expectedVersion: number,
    events: readonly DomainEvent[],
    context: AppendContext,
  ): Promise<StoredEvent[]> {
    return inSpan(
      'eventstore append',
      {
        attributes: {
          'hookline.stream': stream,
          'hookline.stream.version': expectedVersion,
          'hookline.events': events.map((event) => event.type),
        },
      },
      () =>
        // The events carry the append's trace context (a child of the command's); without tracing, the caller's traceparent passes through.
        this.appendInContext(stream, expectedVersion, events, { ...withoutMalformedTrace(context), ...traceHeaders() }),
    );
  }

  private async appendInContext(
    stream: string,
    expectedVersion: number,
    events: readonly DomainEvent[],
    context: AppendContext,
  ): Promise<StoredEvent[]> {
    const time = context.time ?? new Date();
    const documents = events.map((event, index): StoredEvent => {
      const version = expectedVersion + index + 1;
      if (event.type.startsWith(INTERNAL_EVENT_PREFIX)) {
        // Kept for the aggregate's state only: marked published so the relay never sends it.
        const envelope = {
          specversion: '1.0',
          id: randomUUID(),
          source: context.source,
          type: event.type,
          time: time.toISOString(),
          subject: stream,
          datacontenttype: 'application/json',
          tenant: context.tenant,
          actor: context.actor,
          data: event.data,
        } as HooklineEvent;
        return {
          _id: `${stream}@${version}`,
          stream,
          version,
          envelope,
          published: true,
          position: this.nextPosition(time),
          storedAt: time,
        };
      }
      const envelope = createEvent(
        {
          type: event.type,
          subject: stream,
          tenant: context.tenant,
          actor: context.actor,
          source: context.source,
          time,
          data: event.data,
          ...(context.traceparent ? { traceparent: context.traceparent } : {}),
          ...(context.tracestate ? { tracestate: context.tracestate } : {}),
          ...(event.reminderRule ? { reminderRule: event.reminderRule } : {}),
        },
        this.lookup,
      );
      return {
        _id: `${stream}@${version}`,
        stream,
        version,
        envelope,
        published: false,
        position: this.nextPosition(time),
        storedAt: time,
      };
    });
    if (documents.length === 0) return [];
    try {
      await this.events.insertMany(documents);
    } catch (error) {
      if (error instanceof DuplicateKeyError) {
        // An ordered insert may have stored a prefix before colliding: take it back.
        const ours = await this.events.find({ _id: { $in: documents.map((document) => document._id) } });
        const mine = ours.filter((stored) =>
          documents.some((document) => document._id === stored._id && document.envelope.id === stored.envelope.id),
        );
        if (mine.length > 0) await this.events.deleteMany({ _id: { $in: mine.map((stored) => stored._id) } });
        throw new ConcurrencyError(stream, expectedVersion);
      }
      throw error;
    }
    return documents;
  }

  private nextPosition(time: Date): number {
    this.lastPosition = Math.max(this.lastPosition + 1, time.getTime() * 1000);
    return this.lastPosition;
  }
}
