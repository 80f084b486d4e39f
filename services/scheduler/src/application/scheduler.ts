// The scheduler assembled: the consumer group that learns deadlines, the timer
// book, the reminder rules, and the firing loop that polls for due timers.
import { randomUUID } from 'node:crypto';
import type { EventBus, Subscription } from '@hookline/bus';
import { SerialPass } from '@hookline/runtime';
import type { DocumentStore } from '@hookline/store';
import { createOwnerClient, type OwnerClient } from '../adapters/owner-client.js';
import {
  ensureSchedulerIndexes,
  schedulerCollections,
  type SchedulerCollections,
} from '../adapters/scheduler-store.js';
import { Claims } from './claims.js';
import { FileHolds } from './file-holds.js';
import { FiringLoop, type FiringOptions } from './firing-loop.js';
import { Ingest } from './ingest.js';
import { Reminders } from './reminders.js';
import { TimerBook } from './timer-book.js';

/** The firing loop's settings pass through; the rest is the scheduler's own. */
export interface SchedulerOptions extends Pick<
  FiringOptions,
  | 'logger'
  | 'baseUrl'
  | 'leaseMs'
  | 'callTimeoutMs'
  | 'batchSize'
  | 'concurrency'
  | 'maxAttempts'
  | 'retryBaseMs'
  | 'retryMaxMs'
  | 'meter'
> {
  bus: EventBus;
  store: DocumentStore;
  now?: () => Date;
  topics: string[];
  groupId: string;
  instanceId?: string;
  pollMs: number;
  filesRetentionDays: number;
  /** Reminder rules one tenant may have. */
  maxReminderRules?: number;
  /** The service credential the calls to the owning services carry (unused with `client`). */
  credential?: string;
  client?: OwnerClient;
}

export class Scheduler {
  readonly instanceId: string;
  readonly collections: SchedulerCollections;
  readonly timers: TimerBook;
  readonly reminders: Reminders;
  readonly fileHolds: FileHolds;
  readonly ingest: Ingest;
  readonly firing: FiringLoop;
  private readonly now: () => Date;
  private readonly client: OwnerClient;
  private subscription: Subscription | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  /** Firing passes, one at a time, woken by the timer and by newly scheduled timers. */
  private readonly passes = new SerialPass(() => this.firing.runDue(), {
    onError: (error) => this.options.logger.error({ err: error }, 'firing pass failed'),
    enabled: () => !this.stopped,
  });
  private stopped = true;

  constructor(private readonly options: SchedulerOptions) {
    this.now = options.now ?? (() => new Date());
    this.instanceId = options.instanceId ?? `scheduler-${randomUUID().slice(0, 8)}`;
    this.collections = schedulerCollections(options.store);
    const claims = new Claims(this.collections.claims, this.instanceId, options.leaseMs, this.now);
    // A change waits at most for one call to end (calls are cut at half a lease).
    const waitMs = Math.min(options.callTimeoutMs, Math.floor(options.leaseMs / 2)) + 2_000;
    this.timers = new TimerBook(this.collections, claims, this.now, options.logger, waitMs);
    this.reminders = new Reminders(this.collections, this.timers, this.now, options.maxReminderRules);
    this.fileHolds = new FileHolds(this.collections, this.timers, this.now);
    this.client = options.client ?? createOwnerClient({ credential: options.credential });
    this.ingest = new Ingest({
      collections: this.collections,
      book: this.timers,
      reminders: this.reminders,
      settings: { filesRetentionDays: options.filesRetentionDays },
      logger: options.logger,
      onScheduled: () => this.wake(),
    });
    const {
      logger,
      baseUrl,
      leaseMs,
      callTimeoutMs,
      batchSize,
      concurrency,
      maxAttempts,
      retryBaseMs,
      retryMaxMs,
      meter,
    } = options;
    this.firing = new FiringLoop({
      collections: this.collections,
      claims,
      client: this.client,
      now: this.now,
      instanceId: this.instanceId,
      ...{ logger, baseUrl, leaseMs, callTimeoutMs, batchSize, concurrency, maxAttempts, retryBaseMs, retryMaxMs },
      ...(meter ? { meter } : {}),
    });
    // Counted at scrape time: due timers that stay high mean firing is stuck or owners fail.
    options.meter
      ?.createObservableGauge('hookline.scheduler.timers.due', {
        description: 'Pending timers whose time has come',
        unit: '{timer}',
      })
      .addCallback(async (result) => {
        result.observe(
          await this.collections.timers.countDocuments({ status: 'pending', nextAttemptAt: { $lte: this.now() } }),
        );
      });
    options.meter
      ?.createObservableGauge('hookline.scheduler.timers.pending', {
        description: 'Pending timers, due or not',
        unit: '{timer}',
      })
      .addCallback(async (result) => {
        result.observe(await this.collections.timers.countDocuments({ status: 'pending' }));
      });
  }

  /** Indexes only (the routes work before `start`). */
  async prepare(): Promise<void> {
    await ensureSchedulerIndexes(this.collections);
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.prepare();
    await this.options.bus.ensureTopics(this.options.topics.map((name) => ({ name })));
    this.subscription = await this.options.bus.subscribe({
      groupId: this.options.groupId,
      topics: this.options.topics,
      fromBeginning: true,
      onBatch: (batch) => this.ingest.handleBatch(batch),
    });
    // Whatever fell due while no scheduler ran fires on the first poll, one interval
    // from now (the platform starts its services before it listens, and the owners may
    // be served by this very process).
    this.pollTimer = setInterval(() => this.wake(), this.options.pollMs);
    this.options.logger.info({ instanceId: this.instanceId, topics: this.options.topics }, 'scheduler started');
  }

  /** Runs a pass over the due timers now (or right after the one running). */
  wake(): void {
    this.passes.wake();
  }

  /** Fires what is due now and resolves when done (tests, operators). */
  async tick(): Promise<number> {
    await this.passes.settled();
    const handled = await this.firing.runDue();
    // A pass that started meanwhile may hold timers this one passed over.
    await this.passes.settled();
    return handled;
  }

  /** Stops consuming and polling; calls in flight finish and are recorded. */
  async stop(): Promise<void> {
    if (this.stopped) {
      await this.client.close().catch(() => undefined);
      return;
    }
    this.stopped = true;
    clearInterval(this.pollTimer);
    await this.subscription?.stop();
    await this.passes.settled();
    await this.client.close();
    this.options.logger.info({ instanceId: this.instanceId }, 'scheduler stopped');
  }

  /**
   * Simulates a crash (tests): nothing more is written — calls in flight are cut
   * and not recorded, their claims stay until their leases end, batches in
   * progress are not committed — and the consumer leaves the group.
   */
  async kill(): Promise<void> {
    this.stopped = true;
    this.firing.halt();
    this.ingest.halt();
    clearInterval(this.pollTimer);
    await this.subscription?.stop().catch(() => undefined);
  }
}
