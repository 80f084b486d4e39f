// The dispatcher assembled: ingest (consumer group), leases, the sending loop
// and the operations, around one store and one bus.
import { randomUUID } from 'node:crypto';
import type { EventBus, Subscription } from '@hookline/bus';
import { deadLetterTopic, domainTopics, findEventType, type EventDefinition } from '@hookline/events';
import { SerialPass } from '@hookline/runtime';
import type { DocumentStore } from '@hookline/store';
import type { Logger } from 'pino';
import { dispatcherCollections, ensureDispatcherIndexes, type DispatcherCollections } from '../adapters/dispatcher-store.js';
import { HttpError } from '@hookline/http';
import { createHttpSender, type WebhookSender } from '../adapters/http-sender.js';
import { createUrlGuard } from '../adapters/url-guard.js';
import { platformTopic } from '../domain/platform-events.js';
import { AttemptRecorder } from './attempt-recorder.js';
import { ConnectionCache } from './connection-cache.js';
import { Ingest } from './ingest.js';
import { createDispatcherMetrics, observeDispatcherState, type DispatcherMetrics } from './metrics.js';
import type { Meter } from '@hookline/telemetry';
import { Operations } from './operations.js';
import { Sender } from './sender.js';
import { ShardLeases } from './shard-leases.js';

export interface DispatcherOptions {
  bus: EventBus;
  store: DocumentStore;
  logger: Logger;
  /** Topics consumed: names, or a pattern so other teams' topics join without a redeploy. */
  topics?: string[] | RegExp;
  groupId?: string;
  instanceId?: string;
  now?: () => Date;
  /** Catalog lookup; types registered at run time are added here. */
  lookup?: (type: string) => EventDefinition | undefined;
  /** Reloads types registered at run time (see EventTypeRegistry). */
  refreshTypes?: () => Promise<void>;
  /** Receivers allowed despite the SSRF guard: host names, addresses, CIDR ranges (e.g. 127.0.0.1 in development). */
  urlAllowlist?: string[];
  pollIntervalMs?: number;
  pollBatch?: number;
  leaseTtlMs?: number;
  leaseRenewMs?: number;
  connectionCacheMs?: number;
  retentionDays?: number;
  http?: WebhookSender;
  /** Where the dispatcher's metrics go (the platform's meter); none when absent. */
  meter?: Meter;
}

export class Dispatcher {
  readonly metrics: DispatcherMetrics;
  readonly collections: DispatcherCollections;
  readonly connections: ConnectionCache;
  readonly operations: Operations;
  readonly instanceId: string;
  private readonly ingest: Ingest;
  private readonly sender: Sender;
  private readonly leases: ShardLeases;
  private readonly http: WebhookSender;
  private readonly now: () => Date;
  private subscription: Subscription | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private leaseTimer: NodeJS.Timeout | undefined;
  /** The sender's poll, one at a time, woken by the timer and by ingest. */
  private readonly poller = new SerialPass(() => this.sender.poll(), {
    onError: (error) => this.options.logger.error({ err: error }, 'poll failed'),
    enabled: () => !this.stopped,
  });
  private ticking: Promise<void> | undefined;
  private stopped = true;

  constructor(private readonly options: DispatcherOptions) {
    this.now = options.now ?? (() => new Date());
    this.instanceId = options.instanceId ?? `dispatcher-${randomUUID().slice(0, 8)}`;
    this.collections = dispatcherCollections(options.store);
    this.metrics = createDispatcherMetrics(options.meter);
    if (options.meter) observeDispatcherState(options.meter, this.collections, () => this.leases.ownedShards().length);
    this.connections = new ConnectionCache(this.collections.connections, options.connectionCacheMs ?? 1000);
    const guard = createUrlGuard({ allowlist: options.urlAllowlist ?? [] });
    this.http = options.http ?? createHttpSender({ guard });
    const checkUrl = async (url: string) => {
      const verdict = await guard.check(url);
      if (!verdict.ok) throw new HttpError(400, 'bad_request', verdict.reason, [{ path: 'body.url', rule: 'public_url', message: verdict.reason }]);
    };
    const lookup = options.lookup ?? findEventType;
    const onQueued = () => this.wake();
    this.ingest = new Ingest({
      bus: options.bus,
      collections: this.collections,
      connections: this.connections,
      logger: options.logger,
      metrics: this.metrics,
      now: this.now,
      lookup,
      onQueued,
      ...(options.refreshTypes ? { refreshTypes: options.refreshTypes } : {}),
    });
    this.sender = new Sender({
      bus: options.bus,
      collections: this.collections,
      connections: this.connections,
      http: this.http,
      logger: options.logger,
      metrics: this.metrics,
      now: this.now,
      ownedShards: () => this.leases.ownedShards(),
      pollBatch: options.pollBatch ?? 500,
      recorder: new AttemptRecorder(this.collections, this.now),
    });
    this.leases = new ShardLeases(this.collections, {
      instanceId: this.instanceId,
      ttlMs: options.leaseTtlMs ?? 30_000,
      now: this.now,
      logger: options.logger,
      inFlight: (shard) => this.sender.inFlight(shard),
    });
    this.operations = new Operations({
      bus: options.bus,
      collections: this.collections,
      connections: this.connections,
      http: this.http,
      logger: options.logger,
      now: this.now,
      lookup,
      onQueued,
      checkUrl,
    });
  }

  /** Shards this instance sends for (tests and /ready). */
  ownedShards(): number[] {
    return this.leases.ownedShards();
  }

  async start(): Promise<void> {
    this.stopped = false;
    await ensureDispatcherIndexes(this.collections, this.options.retentionDays ?? 30);
    const topics = this.options.topics ?? Object.values(domainTopics);
    await this.options.bus.ensureTopics([
      ...(Array.isArray(topics) ? topics : []).map((name) => ({ name })),
      { name: deadLetterTopic },
      { name: platformTopic },
    ]);
    await this.leases.tick();
    const renewMs = this.options.leaseRenewMs ?? Math.max(200, Math.floor((this.options.leaseTtlMs ?? 30_000) / 6));
    this.leaseTimer = setInterval(() => {
      if (this.ticking) return;
      this.ticking = this.leases
        .tick()
        .then(() => this.sender.forgetShards(this.leases.ownedShards()))
        .catch((error: unknown) => this.options.logger.error({ err: error }, 'lease renewal failed'))
        .finally(() => (this.ticking = undefined));
    }, renewMs);
    this.pollTimer = setInterval(() => this.wake(), this.options.pollIntervalMs ?? 100);
    this.subscription = await this.options.bus.subscribe({
      groupId: this.options.groupId ?? 'hookline-dispatcher',
      topics,
      fromBeginning: true,
      onBatch: (batch) => this.ingest.handleBatch(batch),
    });
    this.options.logger.info({ instanceId: this.instanceId, shards: this.leases.ownedShards().length }, 'dispatcher started');
  }

  /** Runs a poll now (or right after the one running). */
  private wake(): void {
    this.poller.wake();
  }

  /** Stops consuming, lets requests in flight finish and record, then gives the leases up. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.pollTimer);
    clearInterval(this.leaseTimer);
    await this.subscription?.stop();
    await this.poller.settled();
    await this.sender.drain();
    await this.leases.releaseAll().catch((error: unknown) => this.options.logger.warn({ err: error }, 'lease release failed'));
    await this.http.close();
  }

  /**
   * Simulates a crash (tests): from now on nothing is written — batches in
   * progress are not committed, requests in flight are not recorded, leases
   * are not renewed nor released — and the consumer leaves the group.
   */
  async kill(): Promise<void> {
    this.stopped = true;
    this.ingest.halt();
    this.sender.halt();
    clearInterval(this.pollTimer);
    clearInterval(this.leaseTimer);
    await this.subscription?.stop().catch(() => undefined);
  }
}
