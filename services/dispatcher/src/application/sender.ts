// Sending: the queue entries of the shards this instance leases are polled and
// handed to one lane per connection. A lane bounds its requests in flight (so
// a hanging receiver only ever holds its own lane), starts a subject's
// deliveries in ingest order one at a time, and ramps up from one request in
// flight (at start and after any failure) — so a receiver failing from the
// start is blocked after exactly `BLOCK_AFTER_FAILURES` failed requests; one
// that fails while requests are in flight may see those few fail too.
import { randomUUID } from 'node:crypto';
import type { EventBus } from '@hookline/bus';
import { createEvent, toKafkaMessage } from '@hookline/events';
import { contextFrom, inSpan, SpanKind, SpanStatusCode, traceHeaders, type Span } from '@hookline/telemetry';
import type { Logger } from 'pino';
import type { DispatcherCollections } from '../adapters/dispatcher-store.js';
import type { HttpResult, WebhookSender } from '../adapters/http-sender.js';
import { BLOCK_AFTER_FAILURES, type ConnectionDocument } from '../domain/connection.js';
import { failureCount, nextStep, outcomeOf, type AttemptRecord, type DeliveryDocument } from '../domain/delivery.js';
import { findPlatformEvent, platformTopic, type PlatformEventType } from '../domain/platform-events.js';
import { requestHeaders } from '../domain/webhook-request.js';
import type { AttemptRecorder } from './attempt-recorder.js';
import type { ConnectionCache } from './connection-cache.js';
import type { DispatcherMetrics } from './metrics.js';
import { shardOf } from './shard-leases.js';

/** What is kept of one request: when, how long, the answer's status and first bytes, or the error. */
export function attemptRecord(startedAt: Date, result: HttpResult, requestHeaders: Record<string, string>): AttemptRecord {
  return {
    startedAt,
    durationMs: result.durationMs,
    ...(result.status === undefined ? {} : { status: result.status }),
    ...(result.responseBody === undefined ? {} : { responseBody: result.responseBody }),
    ...(result.error === undefined ? {} : { error: result.error }),
    requestHeaders,
  };
}

/** Publishes a platform event and records it for the console. */
export async function recordConnectionEvent(
  deps: { bus: EventBus; collections: DispatcherCollections; logger: Logger },
  type: PlatformEventType,
  connection: Pick<ConnectionDocument, '_id' | 'tenantId' | 'url'>,
  detail: Record<string, unknown>,
  now: Date,
): Promise<void> {
  const data = { tenantId: connection.tenantId, connectionId: connection._id, url: connection.url, ...detail };
  await deps.collections.connectionEvents.insertOne({
    _id: randomUUID(),
    tenantId: connection.tenantId,
    connectionId: connection._id,
    type: type.replace(/^hookline\./, '') as 'connection.blocked',
    at: now,
    detail,
  });
  const event = createEvent(
    { type, subject: connection._id, tenant: connection.tenantId, source: '/hookline/dispatcher', actor: 'system', time: now, data },
    findPlatformEvent,
  );
  const { key, value, headers } = toKafkaMessage(event);
  await deps.bus.publish(platformTopic, [{ key, value, headers }]);
  deps.logger.info({ type, connectionId: connection._id, tenantId: connection.tenantId }, 'platform event');
}

/** The receiver's host only: paths and queries may carry the tenant's secrets. */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'invalid';
  }
}

export interface SenderOptions {
  bus: EventBus;
  collections: DispatcherCollections;
  connections: ConnectionCache;
  http: WebhookSender;
  logger: Logger;
  metrics: DispatcherMetrics;
  now: () => Date;
  ownedShards: () => number[];
  pollBatch: number;
  recorder: AttemptRecorder;
}

class Lane {
  readonly queued: DeliveryDocument[] = [];
  readonly ids = new Set<string>();
  inFlight = 0;
  readonly subjectsInFlight = new Set<string>();
  /** Successes since the last failure: the window of requests in flight grows with it. */
  streak = 0;
  failures: number | undefined;
  blocked = false;
  /** Serializes writes of the connection's counters. */
  writes: Promise<void> = Promise.resolve();

  constructor(
    readonly connectionId: string,
    readonly shard: number,
  ) {}

  push(delivery: DeliveryDocument) {
    if (this.ids.has(delivery._id)) return;
    this.ids.add(delivery._id);
    this.queued.push(delivery);
    this.queued.sort((a, b) => a.seq - b.seq);
  }

  take(delivery: DeliveryDocument) {
    this.queued.splice(this.queued.indexOf(delivery), 1);
  }
}

export class Sender {
  private readonly lanes = new Map<string, Lane>();
  private readonly inFlightByShard = new Map<number, number>();
  private readonly running = new Set<Promise<void>>();
  /** Set by a simulated crash: nothing more is written. */
  private halted = false;

  constructor(private readonly options: SenderOptions) {}

  inFlight(shard: number): number {
    return this.inFlightByShard.get(shard) ?? 0;
  }

  /** Requests in flight right now, all lanes. */
  get busy(): number {
    return this.running.size;
  }

  /** One poll: due queue entries of the owned shards into their lanes. */
  async poll(): Promise<number> {
    const shards = this.options.ownedShards();
    if (shards.length === 0 || this.halted) return 0;
    const { queue, deliveries } = this.options.collections;
    const now = this.options.now();
    const due = await queue.find({ shard: { $in: shards }, nextAttemptAt: { $lte: now } }, { sort: { nextAttemptAt: 1, seq: 1 }, limit: this.options.pollBatch });
    const fresh = due.filter((entry) => !this.lanes.get(entry.connectionId)?.ids.has(entry._id));
    if (fresh.length === 0) return 0;
    const found = new Map((await deliveries.find({ _id: { $in: fresh.map((entry) => entry._id) } })).map((d) => [d._id, d]));
    // Into the lanes first, with no await in between: an attempt finishing
    // meanwhile must not let a stale copy of its delivery back in.
    const stale: typeof fresh = [];
    const early: { id: string; at: Date }[] = [];
    for (const entry of fresh) {
      const delivery = found.get(entry._id);
      if (!delivery || delivery.status !== 'pending' || !delivery.nextAttemptAt) stale.push(entry);
      else if (delivery.nextAttemptAt.getTime() > now.getTime()) early.push({ id: entry._id, at: delivery.nextAttemptAt });
      else this.lane(delivery.connectionId).push(delivery);
    }
    if (stale.length > 0) await queue.deleteMany({ _id: { $in: stale.map((entry) => entry._id) } });
    for (const { id, at } of early) await queue.updateOne({ _id: id }, { $set: { nextAttemptAt: at } });
    for (const connectionId of new Set(fresh.map((entry) => entry.connectionId))) this.pump(connectionId);
    return fresh.length;
  }

  /** Simulates a crash (tests): requests in flight are abandoned, their results never recorded. */
  halt(): void {
    this.halted = true;
  }

  /** Forgets the lanes of shards no longer ours: their counters are re-read from the store by the next owner. */
  forgetShards(owned: readonly number[]): void {
    const keep = new Set(owned);
    for (const [connectionId, lane] of this.lanes) {
      if (!keep.has(lane.shard) && lane.inFlight === 0) this.lanes.delete(connectionId);
    }
  }

  /** Waits for every request in flight (shutdown). */
  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  private lane(connectionId: string): Lane {
    let lane = this.lanes.get(connectionId);
    if (!lane) this.lanes.set(connectionId, (lane = new Lane(connectionId, shardOf(connectionId))));
    return lane;
  }

  private pump(connectionId: string): void {
    const task = this.pumpLane(connectionId).catch((error: unknown) => this.options.logger.error({ err: error, connectionId }, 'lane failed'));
    void task;
  }

  private async pumpLane(connectionId: string): Promise<void> {
    const lane = this.lane(connectionId);
    if (lane.queued.length === 0) return;
    let connection = await this.options.connections.get(connectionId);
    // Holding is rare and an unblock may have just happened elsewhere: confirm at the source.
    if (connection?.status === 'blocked' || !connection) connection = await this.options.connections.get(connectionId, { fresh: true });
    if (!connection) {
      await this.settleQueued(lane, 'discarded', 'connection deleted');
      return;
    }
    if (lane.failures === undefined || (lane.blocked && connection.status === 'active')) {
      lane.failures = connection.consecutiveFailures;
      lane.blocked = false;
    }
    if (connection.status === 'blocked' || lane.blocked) {
      await this.settleQueued(lane, 'held', 'connection blocked');
      return;
    }
    const window = lane.failures > 0 ? 1 : Math.min(connection.maxInFlight, 1 + lane.streak);
    // A shard being handed over sends nothing new: its next owner will.
    if (!this.options.ownedShards().includes(lane.shard)) {
      for (const delivery of lane.queued) lane.ids.delete(delivery._id);
      lane.queued.length = 0;
      return;
    }
    for (const delivery of [...lane.queued]) {
      if (lane.inFlight >= window) break;
      if (lane.subjectsInFlight.has(delivery.subject)) continue;
      lane.take(delivery);
      lane.inFlight++;
      lane.subjectsInFlight.add(delivery.subject);
      this.inFlightByShard.set(delivery.shard, this.inFlight(delivery.shard) + 1);
      const run = this.attempt(lane, connection, delivery)
        .catch((error: unknown) => this.options.logger.error({ err: error, deliveryId: delivery._id }, 'attempt failed to record'))
        .finally(() => {
          lane.inFlight--;
          lane.subjectsInFlight.delete(delivery.subject);
          lane.ids.delete(delivery._id);
          this.inFlightByShard.set(delivery.shard, this.inFlight(delivery.shard) - 1);
          this.running.delete(run);
          // The lane (and its failure count) lives on while its shard is ours.
          if (lane.queued.length > 0) this.pump(connectionId);
        });
      this.running.add(run);
    }
  }

  /** Deliveries waiting in a lane that must not be sent: held (blocked) or discarded (deleted). */
  private async settleQueued(lane: Lane, status: 'held' | 'discarded', reason: string): Promise<void> {
    const ids = lane.queued.map((delivery) => delivery._id);
    lane.queued.length = 0;
    for (const id of ids) lane.ids.delete(id);
    const now = this.options.now();
    await this.options.collections.deliveries.updateMany(
      { _id: { $in: ids }, status: 'pending' },
      { $set: { status, reason, nextAttemptAt: null, updatedAt: now, ...(status === 'discarded' ? { finishedAt: now } : {}) } },
    );
    await this.options.collections.queue.deleteMany({ _id: { $in: ids } });
  }

  private async attempt(lane: Lane, connection: ConnectionDocument, delivery: DeliveryDocument): Promise<void> {
    // A client span per attempt, child of the dispatcher's processing of the event; the
    // webhook's traceparent header is this span, so a traced receiver continues the trace.
    const attributes = {
      'http.request.method': 'POST',
      'server.address': hostOf(connection.url),
      'hookline.delivery.id': delivery._id,
      'hookline.connection.id': connection._id,
      'hookline.event.type': delivery.eventType,
      'hookline.attempt': delivery.attemptCount + 1,
    };
    await inSpan(`webhook ${delivery.eventType}`, { kind: SpanKind.CLIENT, parent: contextFrom({ traceparent: delivery.traceparent }), attributes }, (span) =>
      this.attemptInSpan(lane, connection, delivery, span),
    );
  }

  private async attemptInSpan(lane: Lane, connection: ConnectionDocument, delivery: DeliveryDocument, span: Span): Promise<void> {
    const { metrics } = this.options;
    const startedAt = this.options.now();
    const headers = requestHeaders(connection, { ...delivery, ...traceHeaders() }, startedAt);
    const result = await this.options.http.post(connection.url, headers, delivery.body, connection.retry.timeoutMs);
    if (this.halted) return;
    const outcome = outcomeOf(result.status, result.error);
    if (result.status !== undefined) span.setAttribute('http.response.status_code', result.status);
    if (!outcome.ok) span.setStatus({ code: SpanStatusCode.ERROR, message: result.error ?? `HTTP ${result.status}` });
    metrics.attemptDuration.record(result.durationMs / 1000, { outcome: outcome.ok ? 'ok' : result.status !== undefined ? 'http_error' : /timed? ?out/i.test(result.error ?? '') ? 'timeout' : 'network_error' });

    // The connection's counters first: a block decided here holds this delivery too.
    const previousFailures = lane.failures ?? 0;
    const counted = failureCount(previousFailures, outcome, BLOCK_AFTER_FAILURES);
    lane.failures = counted.consecutiveFailures;
    lane.streak = outcome.ok ? lane.streak + 1 : 0;
    const blockNow = counted.block && !lane.blocked;
    if (blockNow) lane.blocked = true;
    const lastError = result.error ?? (result.status === undefined ? undefined : `HTTP ${result.status}`);
    // Healthy receivers cost no write here: the count is stored only when it changes.
    if (counted.consecutiveFailures !== previousFailures || blockNow) {
      lane.writes = lane.writes.then(() => this.writeCounters(connection, counted.consecutiveFailures, blockNow, lastError));
    }
    await lane.writes;

    const now = this.options.now();
    const step = nextStep(connection.retry, delivery, outcome, now);
    // A retry of a connection that is now blocked waits, held, for the unblock.
    const status = step.status === 'pending' && lane.blocked ? 'held' : step.status;
    const record = attemptRecord(startedAt, result, headers);
    const nextAttemptAt = status === 'pending' && step.status === 'pending' ? step.nextAttemptAt : null;
    await this.options.recorder.record({
      delivery,
      attempt: record,
      status,
      nextAttemptAt,
      ...(step.status === 'failed' ? { reason: step.reason } : status === 'held' ? { reason: 'connection blocked' } : {}),
    });
    if (step.status === 'succeeded') metrics.deliveriesFinished.add(1, { outcome: 'succeeded' });
    if (step.status === 'failed') {
      metrics.deliveriesFinished.add(1, { outcome: 'failed' });
      if (!delivery.test) {
        await recordConnectionEvent(
          this.options,
          'hookline.delivery.exhausted',
          connection,
          { deliveryId: delivery._id, eventId: delivery.eventId, eventType: delivery.eventType, attempts: delivery.attemptCount + 1, reason: step.reason },
          now,
        );
      }
    }
  }

  private async writeCounters(connection: ConnectionDocument, consecutiveFailures: number, block: boolean, lastError: string | undefined) {
    const { collections } = this.options;
    const now = this.options.now();
    if (!block) {
      await collections.connections.updateOne({ _id: connection._id }, { $set: { consecutiveFailures } });
      return;
    }
    await collections.connections.updateOne(
      { _id: connection._id },
      { $set: { consecutiveFailures, status: 'blocked', blockedAt: now, updatedAt: now } },
    );
    this.options.connections.invalidate(connection);
    this.options.metrics.connectionsBlocked.add(1);
    this.options.logger.warn({ connectionId: connection._id, tenantId: connection.tenantId, consecutiveFailures }, 'connection blocked');
    // Everything else queued for it is held until it is unblocked.
    const waiting = await collections.deliveries.find({ connectionId: connection._id, status: 'pending' }, { projection: { _id: 1 } });
    const lane = this.lanes.get(connection._id);
    const inFlight = new Set(lane ? [...lane.ids].filter((id) => !lane.queued.some((d) => d._id === id)) : []);
    const toHold = waiting.map((d) => d._id).filter((id) => !inFlight.has(id));
    await collections.deliveries.updateMany(
      { _id: { $in: toHold }, status: 'pending' },
      { $set: { status: 'held', reason: 'connection blocked', nextAttemptAt: null, updatedAt: now } },
    );
    await collections.queue.deleteMany({ _id: { $in: toHold } });
    if (lane) {
      lane.queued.length = 0;
      for (const id of toHold) lane.ids.delete(id);
    }
    await recordConnectionEvent(this.options, 'hookline.connection.blocked', connection, { consecutiveFailures, ...(lastError ? { lastError } : {}) }, now);
  }
}
