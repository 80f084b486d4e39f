// The consumer group over the domain topics: each event becomes timers scheduled
// or cancelled, written before the batch's offsets are committed (at least once).
// Every write is keyed, so a batch delivered again changes nothing. What cannot
// be read is logged and passed over: the dispatcher dead-letters it already.
import type { Batch } from '@hookline/bus';
import { parseKafkaMessage, type HooklineEvent } from '@hookline/events';
import type { ServiceContext } from '@hookline/runtime';
import { insertNew } from '@hookline/store';
import type { ProjectFilesDocument, SchedulerCollections } from '../adapters/scheduler-store.js';
import {
  chargeFactOf,
  deliveredFiles,
  marketplaceTimerChanges,
  type MarketplaceSettings,
  type TimerChanges,
} from '../domain/index.js';
import type { Reminders } from './reminders.js';
import type { TimerBook } from './timer-book.js';

export interface IngestOptions {
  collections: SchedulerCollections;
  book: TimerBook;
  reminders: Reminders;
  settings: MarketplaceSettings;
  logger: ServiceContext['logger'];
  /** Told after a batch scheduled something, so a timer already due fires without waiting for a poll. */
  onScheduled: () => void;
}

export class Ingest {
  private halted = false;
  eventsHandled = 0;

  constructor(private readonly options: IngestOptions) {}

  /** Simulates a crash (tests): batches fail from now on, so their offsets are never committed. */
  halt(): void {
    this.halted = true;
  }

  async handleBatch(batch: Batch): Promise<void> {
    const events: HooklineEvent[] = [];
    for (const message of batch.messages) {
      const parsed = parseKafkaMessage({ key: message.key, value: message.value, headers: message.headers });
      if (parsed.ok) events.push(parsed.event);
      else
        this.options.logger.warn(
          { topic: message.topic, partition: message.partition, offset: message.offset, reason: parsed.reason },
          'event passed over',
        );
    }
    if (this.halted) throw new Error('scheduler halted');
    // Marketplace timers in one go: every insert, then every cancellation in event
    // order (a timer is always scheduled by an earlier event of its stream than the
    // one that cancels it, so this is what one event at a time would do).
    const marketplace = events.filter((event) => event.type.startsWith('marketplace.'));
    const changes: TimerChanges = { schedule: [], cancel: [] };
    const files: ProjectFilesDocument[] = [];
    for (const event of marketplace) {
      const derived = marketplaceTimerChanges(event, this.options.settings);
      changes.schedule.push(...derived.schedule);
      changes.cancel.push(...derived.cancel);
      const count = deliveredFiles(event);
      if (count !== null)
        files.push({ _id: event.id, tenant: event.tenant, subject: event.subject, filesCount: count });
    }
    await insertNew(this.options.collections.projectFiles, files);
    const { scheduled, cancelled } = await this.options.book.apply(changes);
    if (scheduled.length > 0 || cancelled > 0)
      this.options.logger.debug({ scheduled: scheduled.map((spec) => spec.id), cancelled }, 'timers changed');
    let woken = scheduled.length;
    // Charges one at a time: each reads what the one before wrote.
    for (const event of events) {
      if (this.halted) throw new Error('scheduler halted');
      const fact = chargeFactOf(event);
      if (!fact) continue;
      await this.options.reminders.onCharge(fact, event);
      woken++;
    }
    if (this.halted) throw new Error('scheduler halted');
    this.eventsHandled += events.length;
    if (woken > 0) this.options.onScheduled();
  }
}
