// Kafka backend of the event bus (kafkajs): idempotent producer with acks from
// all in-sync replicas, consumer groups committing after each handled batch.
import { Kafka, logLevel as KafkaLogLevel, type Admin, type Consumer, type KafkaConfig, type Producer } from 'kafkajs';
import type { EventBus, IncomingMessage, OutgoingMessage, SubscribeOptions, Subscription, TopicSpec } from '../port.js';
import { DEFAULT_PARTITIONS } from '../port.js';

export interface KafkaEventBusOptions {
  brokers: string[];
  clientId?: string;
  /** Replication factor for topics this bus creates (1 on a single test broker). */
  replicationFactor?: number;
  defaultPartitions?: number;
  /** kafkajs log lines are forwarded here (warn and error only). */
  log?: (level: 'warn' | 'error', message: string, extra: Record<string, unknown>) => void;
  kafkaConfig?: Partial<KafkaConfig>;
}

export class KafkaEventBus implements EventBus {
  readonly backend = 'kafka' as const;
  private readonly kafka: Kafka;
  private producer: Producer | undefined;
  private producerConnecting: Promise<Producer> | undefined;
  private admin: Admin | undefined;
  private readonly consumers = new Set<Consumer>();
  private readonly knownTopics = new Set<string>();

  constructor(private readonly options: KafkaEventBusOptions) {
    const log = options.log;
    this.kafka = new Kafka({
      clientId: options.clientId ?? 'hookline',
      brokers: options.brokers,
      logLevel: KafkaLogLevel.WARN,
      logCreator: () => (entry) => {
        const { message, ...extra } = entry.log;
        const level = entry.level === KafkaLogLevel.ERROR ? 'error' : 'warn';
        if (log) log(level, `kafkajs ${entry.namespace}: ${message}`, extra);
      },
      retry: { initialRetryTime: 100, retries: 8 },
      ...options.kafkaConfig,
    });
  }

  async ensureTopics(topics: TopicSpec[]): Promise<void> {
    const missing = topics.filter((t) => !this.knownTopics.has(t.name));
    if (missing.length === 0) return;
    const admin = await this.getAdmin();
    const existing = new Set(await admin.listTopics());
    const toCreate = missing.filter((t) => !existing.has(t.name));
    if (toCreate.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: toCreate.map((t) => ({
          topic: t.name,
          numPartitions: t.partitions ?? this.options.defaultPartitions ?? DEFAULT_PARTITIONS,
          replicationFactor: this.options.replicationFactor ?? 1,
        })),
      });
    }
    for (const t of missing) this.knownTopics.add(t.name);
  }

  async publish(topic: string, messages: OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const producer = await this.getProducer();
    // The broker refuses a partition's record batch above its message.max.bytes (1 MiB by default) and kafkajs
    // puts a whole send's messages for one partition in one batch: a large publish goes as several sends, in order.
    for (const chunk of chunksOfBytes(messages, MAX_SEND_BYTES)) {
      await producer.send({
        topic,
        acks: -1,
        messages: chunk.map((m) => ({
          key: m.key,
          ...(m.partition === undefined ? {} : { partition: m.partition }),
          value: m.value,
          headers: m.headers,
          timestamp: String((m.timestamp ?? new Date()).getTime()),
        })),
      });
    }
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    let stopped = false;
    let current: Consumer | undefined;
    let stopping = false;
    let settleBeforeStop: () => Promise<void> = async () => undefined;
    let restartTimer: NodeJS.Timeout | undefined;
    let failures = 0;
    const restartLater = (consumer: Consumer, error: unknown) => {
      this.consumers.delete(consumer);
      if (stopped || stopping) return;
      const delay = Math.min(30_000, 500 * 2 ** Math.min(failures++, 6));
      const reason = error instanceof Error ? error.message : String(error);
      this.options.log?.(
        'error',
        `kafkajs consumer of group ${options.groupId} stopped for good (${reason}); a new one starts in ${delay} ms`,
        { groupId: options.groupId },
      );
      restartTimer = setTimeout(() => {
        void consumer
          .disconnect()
          .catch(() => undefined)
          .then(() => (stopped ? undefined : start()))
          .catch((failure: unknown) => restartLater(current ?? consumer, failure));
      }, delay);
    };
    const start = async (): Promise<void> => {
      const consumer = this.kafka.consumer({
        groupId: options.groupId,
        // A pattern subscription sees new topics after the next metadata refresh.
        metadataMaxAge: options.topics instanceof RegExp ? 5_000 : 300_000,
        retry: { initialRetryTime: 100, retries: 10 },
        // A fetch returns as soon as data arrives; this bounds an idle fetch, and
        // so how long stop() waits for the one in flight (kafkajs default: 5 s).
        maxWaitTimeInMs: 1_000,
        ...(options.maxBatchBytes ? { maxBytesPerPartition: options.maxBatchBytes } : {}),
      });
      current = consumer;
      this.consumers.add(consumer);
      // kafkajs gives up on errors it deems non-retriable (e.g. "Failed to find group
      // coordinator" while a broker restarts) and would leave this subscription consuming
      // nothing for good: start a fresh consumer after a back-off instead.
      consumer.on(consumer.events.CRASH, ({ payload }) => {
        options.onAssignment?.([]);
        if (!payload.restart) restartLater(consumer, payload.error);
      });
      if (options.onAssignment) {
        const tell = options.onAssignment;
        consumer.on(consumer.events.GROUP_JOIN, ({ payload }) =>
          tell(
            Object.entries(payload.memberAssignment).flatMap(([topic, partitions]) =>
              partitions.map((partition) => ({ topic, partition })),
            ),
          ),
        );
        consumer.on(consumer.events.STOP, () => tell([]));
        // kafkajs rebalances eagerly: every partition is taken away until the group is joined again.
        consumer.on(consumer.events.REBALANCING, () => tell([]));
      }
      // subscribe() resolves once this member has joined its group, so callers know it is live.
      const joined = new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 30_000);
        const remove = consumer.on(consumer.events.GROUP_JOIN, () => {
          clearTimeout(timer);
          failures = 0;
          remove();
          resolve();
        });
      });
      await consumer.connect();
      const topics = options.topics instanceof RegExp ? [options.topics] : options.topics;
      await consumer.subscribe({ topics, fromBeginning: options.fromBeginning ?? false });
      // Batches taken in and settling later, per partition (and how many messages): committed in order once settled.
      const unsettled = new Map<string, { tail: Promise<void>; count: number; resume?: () => void }>();
      settleBeforeStop = async () => {
        const topics = [...new Set([...unsettled.keys()].map((key) => key.slice(0, key.lastIndexOf(':'))))];
        if (topics.length === 0) return;
        // Take nothing more, and give what was taken its time to settle and be committed.
        consumer.pause(topics.map((topic) => ({ topic })));
        const waiting = Promise.allSettled([...unsettled.values()].map((entry) => entry.tail));
        await Promise.race([waiting, new Promise((resolve) => setTimeout(resolve, STOP_SETTLE_MS).unref())]);
      };
      const maxUnsettled = Math.max(1, options.maxUnsettled ?? 1_000);
      let settleFailed = false;
      const settleLater = (
        batch: { topic: string; partition: number },
        size: number,
        next: string,
        settled: Promise<void>,
        pause: () => () => void,
      ) => {
        // Awaited in order below, maybe after it fails: not an unhandled rejection meanwhile.
        settled.catch(() => undefined);
        const key = `${batch.topic}:${batch.partition}`;
        let entry = unsettled.get(key);
        if (!entry) unsettled.set(key, (entry = { tail: Promise.resolve(), count: 0 }));
        const mine = entry;
        mine.count += size;
        // Too many waiting: kafkajs stops fetching this partition (and only this one) until some settle.
        if (mine.count >= maxUnsettled && !mine.resume) mine.resume = pause();
        const previous = mine.tail;
        mine.tail = (async () => {
          await previous;
          await settled;
          // Not after a rebalance took the partition: its next holder reads the batch again.
          await consumer
            .commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: next }])
            .catch(() => undefined);
        })();
        mine.tail
          .catch((error: unknown) => {
            // The batch was not handled: read everything uncommitted again, with a fresh consumer.
            if (settleFailed || stopping) return;
            settleFailed = true;
            restartLater(consumer, error);
          })
          .finally(() => {
            mine.count -= size;
            if (mine.count < maxUnsettled && mine.resume) {
              const resume = mine.resume;
              mine.resume = undefined;
              resume();
            }
          });
      };
      await consumer.run({
        partitionsConsumedConcurrently: options.concurrency ?? 1,
        // Committed here, after each batch is handled (or settled): never before.
        autoCommit: false,
        eachBatchAutoResolve: false,
        eachBatch: async ({ batch, resolveOffset, heartbeat, pause, isRunning, isStale }) => {
          if (!isRunning() || isStale() || batch.messages.length === 0) return;
          const messages: IncomingMessage[] = batch.messages.map((m) => ({
            topic: batch.topic,
            partition: batch.partition,
            offset: m.offset,
            key: m.key ? m.key.toString('utf8') : null,
            value: m.value ?? Buffer.alloc(0),
            headers: decodeHeaders(m.headers),
            timestamp: new Date(Number(m.timestamp)),
          }));
          // Throwing here makes kafkajs deliver the same batch again (nothing resolved).
          const taken = await options.onBatch({
            topic: batch.topic,
            partition: batch.partition,
            messages,
            highWatermark: batch.highWatermark,
          });
          const last = batch.messages[batch.messages.length - 1]!.offset;
          const next = String(BigInt(last) + 1n);
          resolveOffset(last);
          if (taken) settleLater(batch, batch.messages.length, next, taken.settled, pause);
          else {
            // In order behind the partition's batches still settling.
            const pending = unsettled.get(`${batch.topic}:${batch.partition}`);
            if (pending && pending.count > 0) settleLater(batch, batch.messages.length, next, Promise.resolve(), pause);
            else await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: next }]);
          }
          await heartbeat();
        },
      });
      await joined;
    };
    await start();
    return {
      groupId: options.groupId,
      stop: async () => {
        if (stopped) return;
        stopping = true;
        clearTimeout(restartTimer);
        await settleBeforeStop().catch(() => undefined);
        stopped = true;
        clearTimeout(restartTimer);
        if (current) {
          this.consumers.delete(current);
          await current.disconnect().catch(() => undefined);
        }
      },
    };
  }

  async ping(): Promise<void> {
    const admin = await this.getAdmin();
    await admin.describeCluster();
  }

  async close(): Promise<void> {
    await Promise.all([...this.consumers].map((c) => c.disconnect()));
    this.consumers.clear();
    await this.producer?.disconnect();
    await this.admin?.disconnect();
    this.producer = undefined;
    this.admin = undefined;
  }

  private async getProducer(): Promise<Producer> {
    if (this.producer) return this.producer;
    this.producerConnecting ??= (async () => {
      const producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 5, allowAutoTopicCreation: true });
      await producer.connect();
      this.producer = producer;
      return producer;
    })().finally(() => {
      this.producerConnecting = undefined;
    });
    return this.producerConnecting;
  }

  private async getAdmin(): Promise<Admin> {
    if (!this.admin) {
      const admin = this.kafka.admin();
      await admin.connect();
      this.admin = admin;
    }
    return this.admin;
  }
}

function decodeHeaders(headers: Record<string, unknown> | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first === undefined || first === null) continue;
    result[name] = Buffer.isBuffer(first) ? first.toString('utf8') : String(first);
  }
  return result;
}

/** How long stop() waits for batches taken in to settle (what has not is read again by the next holder). */
const STOP_SETTLE_MS = 10_000;

/** Bytes of messages per send: well under the broker's default message.max.bytes (1 MiB) with the batch's overhead. */
const MAX_SEND_BYTES = 512 * 1024;

/** Consecutive runs of messages of at most `maxBytes` each (a larger message goes alone). */
export function* chunksOfBytes(messages: OutgoingMessage[], maxBytes: number): Generator<OutgoingMessage[]> {
  let chunk: OutgoingMessage[] = [];
  let bytes = 0;
  for (const message of messages) {
    let size = Buffer.byteLength(message.value) + (message.key === null ? 0 : Buffer.byteLength(message.key)) + 64;
    for (const [name, value] of Object.entries(message.headers ?? {}))
      size += Buffer.byteLength(name) + Buffer.byteLength(value) + 8;
    if (chunk.length > 0 && bytes + size > maxBytes) {
      yield chunk;
      chunk = [];
      bytes = 0;
    }
    chunk.push(message);
    bytes += size;
  }
  if (chunk.length > 0) yield chunk;
}
