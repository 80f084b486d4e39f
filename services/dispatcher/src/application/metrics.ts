// The dispatcher's instruments, read on /metrics (Prometheus) and pushed over
// OTLP when configured. Counters count this instance's work; the store's
// gauges are counted in the store, so every instance reports the same
// cluster-wide value for them (alert on max, not sum). A count scans its
// collection, so it runs at most once a minute, in the background of a scrape:
// scrapes never wait for it. On FerretDB, which counts by reading every document
// (seconds at 100,000 deliveries, taken from the sending), they are not counted.
import { createNoopMeter, type Meter } from '@hookline/telemetry';
import type { DispatcherCollections } from '../adapters/dispatcher-store.js';

/** Seconds: webhook receivers answer in milliseconds to the 15 s timeout. */
const attemptBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30];

export function createDispatcherMetrics(meter: Meter = createNoopMeter()) {
  return {
    eventsConsumed: meter.createCounter('hookline.dispatcher.events.consumed', {
      description: 'Messages read from the consumed topics',
      unit: '{event}',
    }),
    eventsDeadLettered: meter.createCounter('hookline.dispatcher.events.dead_lettered', {
      description: 'Messages sent to the dead-letter topic, by reason kind',
      unit: '{event}',
    }),
    eventsUnmatched: meter.createCounter('hookline.dispatcher.events.unmatched', {
      description: 'Events no connection subscribed to',
      unit: '{event}',
    }),
    deliveriesCreated: meter.createCounter('hookline.dispatcher.deliveries.created', {
      description: 'Deliveries created (one per event and connection), by initial status',
      unit: '{delivery}',
    }),
    deliveriesFinished: meter.createCounter('hookline.dispatcher.deliveries.finished', {
      description: 'Deliveries that ended, by outcome (succeeded, failed)',
      unit: '{delivery}',
    }),
    attemptDuration: meter.createHistogram('hookline.dispatcher.attempt.duration', {
      description: 'Webhook request duration, by outcome (ok, http_error, timeout, network_error)',
      unit: 's',
      advice: { explicitBucketBoundaries: attemptBuckets },
    }),
    connectionsBlocked: meter.createCounter('hookline.dispatcher.connections.blocked', {
      description: 'Connections this instance blocked after consecutive failures',
      unit: '{connection}',
    }),
  };
}
export type DispatcherMetrics = ReturnType<typeof createDispatcherMetrics>;

/** How often the store's gauges count their collections. */
export const STORE_GAUGE_INTERVAL_MS = 60_000;

/**
 * A count made at most once per interval: a scrape reads the last one and, when
 * it is older, starts the next without waiting for it (only the very first scrape waits).
 */
export function sampledCount(
  count: () => Promise<number>,
  intervalMs: number,
  now: () => number = Date.now,
): () => Promise<number | undefined> {
  let last: { value: number; at: number } | undefined;
  let counting: Promise<void> | undefined;
  const refresh = () =>
    (counting ??= count()
      .then((value) => void (last = { value, at: now() }))
      .catch(() => undefined)
      .finally(() => (counting = undefined)));
  return async () => {
    if (!last) await refresh();
    else if (now() - last.at >= intervalMs) void refresh();
    return last?.value;
  };
}

/** Gauges of this instance (shards, lanes) and of the store, read at scrape time. */
export function observeDispatcherState(
  meter: Meter,
  collections: DispatcherCollections,
  instance: { shards: () => number; waiting: () => number; inFlight: () => number },
  /** False on a store that filters by reading every document (FerretDB): its counts are not made at all. */
  countable: Promise<boolean>,
) {
  const storeGauge = (name: string, description: string, unit: string, count: () => Promise<number>) => {
    const sample = sampledCount(count, STORE_GAUGE_INTERVAL_MS);
    meter.createObservableGauge(name, { description, unit }).addCallback(async (result) => {
      if (!(await countable)) return;
      const value = await sample();
      if (value !== undefined) result.observe(value);
    });
  };
  storeGauge(
    'hookline.dispatcher.deliveries.held',
    'Deliveries held for blocked connections (counted at most once a minute)',
    '{delivery}',
    () => collections.deliveries.countDocuments({ status: 'held' }),
  );
  storeGauge(
    'hookline.dispatcher.connections.blocked_now',
    'Connections currently blocked (counted at most once a minute)',
    '{connection}',
    () => collections.connections.countDocuments({ status: 'blocked' }),
  );
  storeGauge(
    'hookline.dispatcher.queue.depth',
    'Stored deliveries waiting to be sent: retries, and deliveries stored before their first attempt (counted at most once a minute)',
    '{delivery}',
    () => collections.queue.countDocuments({}),
  );
  meter
    .createObservableGauge('hookline.dispatcher.lanes.waiting', {
      description: "Deliveries waiting in this instance's lanes and retry timers",
      unit: '{delivery}',
    })
    .addCallback((result) => {
      result.observe(instance.waiting());
    });
  meter
    .createObservableGauge('hookline.dispatcher.requests.in_flight', {
      description: 'Webhook requests in flight from this instance',
      unit: '{request}',
    })
    .addCallback((result) => {
      result.observe(instance.inFlight());
    });
  meter
    .createObservableGauge('hookline.dispatcher.shards.owned', {
      description: 'Shards (partitions of the deliveries topic) this instance sends for',
      unit: '{shard}',
    })
    .addCallback((result) => {
      result.observe(instance.shards());
    });
}
