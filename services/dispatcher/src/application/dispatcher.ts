// The dispatcher assembled: ingest (the domain topics' consumer group), the
// hand-off to sending (the deliveries topic, one partition per shard), the
// lanes, the delivery store and the operations, around one store and one bus.
import { randomUUID } from 'node:crypto';
import type { EventBus, Subscription } from '@hookline/bus';
import { deadLetterTopic, domainTopics, findEventType, type EventDefinition } from '@hookline/events';
import { invalid } from '@hookline/errors';
import type { DocumentStore } from '@hookline/store';
import type { Meter } from '@hookline/telemetry';
import type { Logger } from 'pino';
import { DeliveryStore } from '../adapters/delivery-store.js';
import {
  dispatcherCollections,
  ensureDispatcherIndexes,
  type DispatcherCollections,
} from '../adapters/dispatcher-store.js';
import { createHttpSender, type WebhookSender } from '../adapters/http-sender.js';
import { createUrlGuard } from '../adapters/url-guard.js';
import { DELIVERIES_TOPIC, SHARDS } from '../domain/delivery-task.js';
import { platformTopic } from '../domain/platform-events.js';
import { ConnectionCache } from './connection-cache.js';
import { DeliveryWorker } from './delivery-worker.js';
import { Ingest } from './ingest.js';
import { Lanes, type LaneLimits } from './lanes.js';
import { createDispatcherMetrics, observeDispatcherState, type DispatcherMetrics } from './metrics.js';
import { Operations } from './operations.js';

/** Partitions of the consumed topics whose batches are handled at the same time. */
const INGEST_CONCURRENCY = 8;

export interface DispatcherOptions {
  bus: EventBus;
  store: DocumentStore;
  logger: Logger;
  /** Topics consumed: names, or a pattern so other teams' topics join without a redeploy. */
  topics?: string[] | RegExp;
  groupId?: string;
  /** The hand-off topic between ingest and sending (one partition per shard). */
  deliveriesTopic?: string;
  instanceId?: string;
  now?: () => Date;
  /** Catalog lookup; types registered at run time are added here. */
  lookup?: (type: string) => EventDefinition | undefined;
  /** Reloads types registered at run time (see EventTypeRegistry). */
  refreshTypes?: () => Promise<void>;
  /** Receivers allowed despite the SSRF guard: host names, addresses, CIDR ranges (e.g. 127.0.0.1 in development). */
  urlAllowlist?: string[];
  /** How long a handed-off delivery may wait unstored before it is stored (so its hand-off can be committed). */
  spillAfterMs?: number;
  connectionCacheMs?: number;
  retentionDays?: number;
  /** Request slots and memory bounds of the lanes (see LaneLimits). */
  lanes?: Partial<LaneLimits>;
  http?: WebhookSender;
  /** Where the dispatcher's metrics go (the platform's meter); none when absent. */
  meter?: Meter;
}

export class Dispatcher {
  readonly metrics: DispatcherMetrics;
  readonly collections: DispatcherCollections;
  readonly connections: ConnectionCache;
  readonly operations: Operations;
  readonly store: DeliveryStore;
  readonly instanceId: string;
  private readonly ingest: Ingest;
  private readonly lanes: Lanes;
  private readonly worker: DeliveryWorker;
  private readonly http: WebhookSender;
  private readonly deliveriesTopic: string;
  private subscription: Subscription | undefined;
  private stopped = true;

  constructor(private readonly options: DispatcherOptions) {
    const now = options.now ?? (() => new Date());
    const logger = options.logger;
    this.instanceId = options.instanceId ?? `dispatcher-${randomUUID().slice(0, 8)}`;
    this.deliveriesTopic = options.deliveriesTopic ?? DELIVERIES_TOPIC;
    this.collections = dispatcherCollections(options.store);
    this.metrics = createDispatcherMetrics(options.meter);
    const connectionCacheMs = options.connectionCacheMs ?? 1000;
    this.connections = new ConnectionCache(this.collections.connections, connectionCacheMs);
    this.store = new DeliveryStore(this.collections, { now, logger });
    const guard = createUrlGuard({ allowlist: options.urlAllowlist ?? [] });
    this.http = options.http ?? createHttpSender({ guard });
    const checkUrl = async (url: string) => {
      const verdict = await guard.check(url);
      if (!verdict.ok)
        throw invalid(
          verdict.reason,
          { issues: [{ path: 'body.url', rule: 'public_url', message: verdict.reason }] },
          'bad_request',
        );
    };
    const lookup = options.lookup ?? findEventType;
    const platform = { bus: options.bus, collections: this.collections, logger };
    this.lanes = new Lanes({
      store: this.store,
      connections: this.connections,
      http: this.http,
      logger,
      metrics: this.metrics,
      now,
      platform,
      owns: (shard) => this.worker.owns(shard),
      limits: { connectionTtlMs: connectionCacheMs, ...options.lanes },
    });
    this.worker = new DeliveryWorker({
      bus: options.bus,
      lanes: this.lanes,
      store: this.store,
      connections: this.connections,
      logger,
      now,
      topic: this.deliveriesTopic,
      groupId: `${options.groupId ?? 'hookline-dispatcher'}.deliveries`,
      spillAfterMs: options.spillAfterMs ?? 1000,
    });
    this.ingest = new Ingest({
      bus: options.bus,
      connections: this.connections,
      logger,
      metrics: this.metrics,
      now,
      lookup,
      deliveriesTopic: this.deliveriesTopic,
      ...(options.refreshTypes ? { refreshTypes: options.refreshTypes } : {}),
    });
    this.operations = new Operations({
      bus: options.bus,
      collections: this.collections,
      connections: this.connections,
      store: this.store,
      http: this.http,
      logger,
      metrics: this.metrics,
      now,
      lookup,
      checkUrl,
      deliveriesTopic: this.deliveriesTopic,
    });
    if (options.meter) {
      const countable = options.store.filtersByIndex().catch(() => false);
      const instance = {
        shards: () => this.worker.ownedShards().length,
        waiting: () => this.lanes.waiting,
        inFlight: () => this.lanes.busy,
      };
      observeDispatcherState(options.meter, this.collections, instance, countable);
    }
  }

  /** Shards (partitions of the deliveries topic) this instance sends for (tests and /ready). */
  ownedShards(): number[] {
    return this.worker.ownedShards();
  }

  async start(): Promise<void> {
    this.stopped = false;
    await ensureDispatcherIndexes(this.collections, this.options.retentionDays ?? 30);
    const topics = this.options.topics ?? Object.values(domainTopics);
    await this.options.bus.ensureTopics([
      ...(Array.isArray(topics) ? topics : []).map((name) => ({ name })),
      { name: this.deliveriesTopic, partitions: SHARDS },
      { name: deadLetterTopic },
      { name: platformTopic },
    ]);
    // Sending first, so handed-off deliveries have somewhere to go.
    await this.worker.start();
    this.subscription = await this.options.bus.subscribe({
      groupId: this.options.groupId ?? 'hookline-dispatcher',
      topics,
      fromBeginning: true,
      // Each partition's batch waits on its hand-off append: let them overlap.
      concurrency: INGEST_CONCURRENCY,
      onBatch: (batch) => this.ingest.handleBatch(batch),
    });
    this.options.logger.info(
      { instanceId: this.instanceId, shards: this.worker.ownedShards().length },
      'dispatcher started',
    );
  }

  /**
   * Stops consuming; deliveries waiting in memory are stored (another instance,
   * or this one restarted, sends them), requests in flight finish and are recorded.
   */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.subscription?.stop();
    this.lanes.pause(true);
    this.lanes.spillAll();
    await this.worker.stop();
    await this.lanes.drain();
    this.lanes.stop();
    await this.store.settled();
    await this.http.close();
  }

  /**
   * Simulates a crash (tests): from now on nothing is written — batches in
   * progress are not committed, requests in flight are not recorded — and the
   * consumers leave their groups.
   */
  async kill(): Promise<void> {
    this.stopped = true;
    this.ingest.halt();
    this.lanes.halt();
    this.store.halt();
    await this.subscription?.stop().catch(() => undefined);
    await this.worker.kill();
  }
}
