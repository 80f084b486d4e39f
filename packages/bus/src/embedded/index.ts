// In-process event bus: the zero-setup backend. Topics are arrays of partitions,
// keys pick partitions by hash, consumer groups share partitions among members
// and commit offsets. Nothing survives a restart of the process.
import { createHash } from 'node:crypto';
import type { Batch, EventBus, IncomingMessage, OutgoingMessage, SubscribeOptions, Subscription, TopicSpec } from '../port.js';
import { DEFAULT_PARTITIONS } from '../port.js';

const MAX_BATCH = 500;
const RETRY_BACKOFF_MS = [100, 250, 500, 1000, 2000, 5000];

interface Topic {
  name: string;
  partitions: IncomingMessage[][];
  roundRobin: number;
}

interface Group {
  id: string;
  members: Member[];
  /** `${topic}:${partition}` → next offset to read. */
  committed: Map<string, number>;
  /** Partitions being processed right now (never two batches of one partition at once). */
  busy: Set<string>;
}

interface Member {
  group: Group;
  options: SubscribeOptions;
  assigned: Set<string>;
  stopped: boolean;
  wake: () => void;
  loop: Promise<void>;
  failures: Map<string, { count: number; until: number }>;
  /** Batches being handled, by partition key: at most `options.concurrency` (1). */
  running: Map<string, Promise<void>>;
  /** Where the next look for work starts, so every partition gets its turn. */
  turn: number;
}

export function partitionForKey(key: string, partitions: number): number {
  return createHash('md5').update(key).digest().readUInt32BE(0) % partitions;
}

export class EmbeddedEventBus implements EventBus {
  readonly backend = 'embedded' as const;
  private readonly topics = new Map<string, Topic>();
  private readonly groups = new Map<string, Group>();
  private closed = false;

  constructor(private readonly defaultPartitions = DEFAULT_PARTITIONS) {}

  async ensureTopics(topics: TopicSpec[]): Promise<void> {
    for (const spec of topics) this.topic(spec.name, spec.partitions);
  }

  async publish(topicName: string, messages: OutgoingMessage[]): Promise<void> {
    if (this.closed) throw new Error('event bus is closed');
    const topic = this.topic(topicName);
    for (const message of messages) {
      const partition =
        message.partition !== undefined
          ? message.partition % topic.partitions.length
          : message.key === null
          ? topic.roundRobin++ % topic.partitions.length
          : partitionForKey(message.key, topic.partitions.length);
      const log = topic.partitions[partition]!;
      log.push({
        topic: topicName,
        partition,
        offset: String(log.length),
        key: message.key,
        value: Buffer.isBuffer(message.value) ? Buffer.from(message.value) : Buffer.from(message.value, 'utf8'),
        headers: { ...(message.headers ?? {}) },
        timestamp: message.timestamp ?? new Date(),
      });
    }
    this.wakeAll();
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    if (this.closed) throw new Error('event bus is closed');
    let group = this.groups.get(options.groupId);
    if (!group) {
      group = { id: options.groupId, members: [], committed: new Map(), busy: new Set() };
      this.groups.set(options.groupId, group);
    }
    let wakeUp: () => void = () => undefined;
    let woken = false;
    const member: Member = {
      group,
      options,
      assigned: new Set(),
      stopped: false,
      wake: () => {
        woken = true;
        wakeUp();
      },
      loop: Promise.resolve(),
      failures: new Map(),
      running: new Map(),
      turn: 0,
    };
    group.members.push(member);
    this.rebalance(group);
    member.loop = (async () => {
      while (!member.stopped) {
        const sleeping = new Promise<void>((resolve) => {
          wakeUp = resolve;
        });
        woken = false;
        this.launch(member);
        if (woken) continue;
        const nextRetry = Math.min(...[...member.failures.values()].map((f) => f.until), Infinity);
        const timer = Number.isFinite(nextRetry) ? setTimeout(() => wakeUp(), Math.max(0, nextRetry - Date.now())) : undefined;
        await sleeping;
        if (timer) clearTimeout(timer);
      }
      await Promise.allSettled([...member.running.values()]);
    })();
    return {
      groupId: options.groupId,
      stop: async () => {
        if (member.stopped) return;
        member.stopped = true;
        member.wake();
        await member.loop;
        group.members = group.members.filter((m) => m !== member);
        this.rebalance(group);
        options.onAssignment?.([]);
      },
    };
  }

  async ping(): Promise<void> {
    if (this.closed) throw new Error('event bus is closed');
  }

  async close(): Promise<void> {
    this.closed = true;
    const members = [...this.groups.values()].flatMap((g) => g.members);
    for (const member of members) {
      member.stopped = true;
      member.wake();
    }
    await Promise.all(members.map((m) => m.loop));
  }

  private topic(name: string, partitions?: number): Topic {
    let topic = this.topics.get(name);
    if (!topic) {
      const count = partitions ?? this.defaultPartitions;
      topic = { name, partitions: Array.from({ length: count }, () => []), roundRobin: 0 };
      this.topics.set(name, topic);
      // A pattern subscription picks up topics created after it.
      for (const group of this.groups.values()) this.rebalance(group);
    }
    return topic;
  }

  private subscribedTopics(options: SubscribeOptions): Topic[] {
    const pattern = options.topics;
    if (pattern instanceof RegExp) return [...this.topics.values()].filter((t) => pattern.test(t.name));
    return pattern.map((name) => this.topic(name));
  }

  /** Range-free round-robin assignment of every subscribed partition over the group's members. */
  private rebalance(group: Group) {
    const members = group.members.filter((m) => !m.stopped);
    for (const member of members) member.assigned.clear();
    if (members.length === 0) return;
    const keys = new Set<string>();
    for (const member of members) {
      for (const topic of this.subscribedTopics(member.options)) {
        topic.partitions.forEach((_, p) => keys.add(`${topic.name}:${p}`));
      }
    }
    [...keys].sort().forEach((key, index) => {
      // Only members subscribed to the topic may take its partitions.
      const candidates = members.filter((m) => this.subscribedTopics(m.options).some((t) => key.startsWith(`${t.name}:`)));
      if (candidates.length === 0) return;
      const member = candidates[index % candidates.length]!;
      member.assigned.add(key);
      if (!group.committed.has(key)) {
        const [topicName, p] = splitKey(key);
        const length = this.topics.get(topicName)!.partitions[p]!.length;
        group.committed.set(key, member.options.fromBeginning ? 0 : length);
      }
    });
    for (const member of members) {
      member.options.onAssignment?.([...member.assigned].sort().map((key) => {
        const [topic, partition] = splitKey(key);
        return { topic, partition };
      }));
      member.wake();
    }
  }

  /**
   * Starts a batch for each assigned partition with messages to read, that no
   * member is handling and that is not backing off after a failure, up to the
   * member's concurrency. A finished batch wakes the member for the next one.
   */
  private launch(member: Member): void {
    const { group } = member;
    const keys = [...member.assigned];
    const limit = Math.max(1, member.options.concurrency ?? 1);
    for (let i = 0; i < keys.length && member.running.size < limit && !member.stopped; i++) {
      const key = keys[(member.turn + i) % keys.length]!;
      if (group.busy.has(key)) continue;
      const failure = member.failures.get(key);
      if (failure && failure.until > Date.now()) continue;
      const [topicName, partition] = splitKey(key);
      const log = this.topics.get(topicName)?.partitions[partition];
      const from = group.committed.get(key) ?? 0;
      if (!log || from >= log.length) continue;
      const batch: Batch = { topic: topicName, partition, messages: log.slice(from, from + MAX_BATCH).map(copyMessage), highWatermark: String(log.length) };
      group.busy.add(key);
      const handled = (async () => {
        try {
          await member.options.onBatch(batch);
          group.committed.set(key, from + batch.messages.length);
          member.failures.delete(key);
        } catch {
          const count = (failure?.count ?? 0) + 1;
          const delay = RETRY_BACKOFF_MS[Math.min(count - 1, RETRY_BACKOFF_MS.length - 1)]!;
          member.failures.set(key, { count, until: Date.now() + delay });
        } finally {
          group.busy.delete(key);
          member.running.delete(key);
          member.wake();
        }
      })();
      member.running.set(key, handled);
    }
    member.turn++;
  }

  private wakeAll() {
    for (const group of this.groups.values()) for (const member of group.members) member.wake();
  }
}

function splitKey(key: string): [string, number] {
  const at = key.lastIndexOf(':');
  return [key.slice(0, at), Number(key.slice(at + 1))];
}

function copyMessage(message: IncomingMessage): IncomingMessage {
  return { ...message, value: Buffer.from(message.value), headers: { ...message.headers } };
}
