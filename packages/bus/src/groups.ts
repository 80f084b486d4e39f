// Consumer groups of an in-process bus over any partition log: the embedded
// backends (in memory, SQLite) share it. Keys pick partitions by hash, a group's
// members share its partitions, each partition's batches are handled one at a
// time, and the offset is committed after each handled batch (at-least-once).
import { createHash } from 'node:crypto';
import type {
  Batch,
  EventBus,
  IncomingMessage,
  OutgoingMessage,
  SubscribeOptions,
  Subscription,
  TopicSpec,
} from './port.js';

export const MAX_BATCH = 500;
const RETRY_BACKOFF_MS = [100, 250, 500, 1000, 2000, 5000];

/** Where the messages and the groups' committed offsets live. */
export interface PartitionLog {
  /** Creates a topic with `partitions` (or the default) unless it exists; true when created. */
  ensure(topic: string, partitions?: number): boolean;
  /** Existing topics and their partition counts. */
  topics(): Map<string, number>;
  /** Appends messages (each to the partition `partition` picks); durable when it returns. */
  append(
    topic: string,
    messages: OutgoingMessage[],
    partition: (message: OutgoingMessage, partitions: number) => number,
  ): void;
  /** The offset the partition's next message will get. */
  end(topic: string, partition: number): number;
  /** Up to `max` messages of a partition from offset `from` on, in offset order. */
  read(topic: string, partition: number, from: number, max: number): IncomingMessage[];
  committed(group: string, topic: string, partition: number): number | undefined;
  commit(group: string, topic: string, partition: number, offset: number): void;
  close(): void;
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

export class LogEventBus implements EventBus {
  private readonly groups = new Map<string, Group>();
  private closed = false;
  private roundRobin = 0;

  constructor(
    readonly backend: 'embedded' | 'sqlite',
    protected readonly log: PartitionLog,
  ) {}

  async ensureTopics(topics: TopicSpec[]): Promise<void> {
    this.assertOpen();
    for (const spec of topics) this.topic(spec.name, spec.partitions);
  }

  async publish(topicName: string, messages: OutgoingMessage[]): Promise<void> {
    this.assertOpen();
    this.topic(topicName);
    this.log.append(topicName, messages, (message, partitions) =>
      message.partition !== undefined
        ? message.partition % partitions
        : message.key === null
          ? this.roundRobin++ % partitions
          : partitionForKey(message.key, partitions),
    );
    this.wakeAll();
  }

  async subscribe(options: SubscribeOptions): Promise<Subscription> {
    this.assertOpen();
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
        const timer = Number.isFinite(nextRetry)
          ? setTimeout(() => wakeUp(), Math.max(0, nextRetry - Date.now()))
          : undefined;
        await sleeping;
        if (timer) clearTimeout(timer);
      }
      await Promise.allSettled([...member.running.values()]);
    })();
    const currentGroup = group;
    return {
      groupId: options.groupId,
      stop: async () => {
        if (member.stopped) return;
        member.stopped = true;
        member.wake();
        await member.loop;
        currentGroup.members = currentGroup.members.filter((m) => m !== member);
        if (!this.closed) this.rebalance(currentGroup);
        options.onAssignment?.([]);
      },
    };
  }

  async ping(): Promise<void> {
    this.assertOpen();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const members = [...this.groups.values()].flatMap((g) => g.members);
    for (const member of members) {
      member.stopped = true;
      member.wake();
    }
    await Promise.all(members.map((m) => m.loop));
    this.log.close();
  }

  private assertOpen() {
    if (this.closed) throw new Error('event bus is closed');
  }

  private topic(name: string, partitions?: number) {
    // A pattern subscription picks up topics created after it.
    if (this.log.ensure(name, partitions)) for (const group of this.groups.values()) this.rebalance(group);
  }

  private subscribedTopics(options: SubscribeOptions): string[] {
    const pattern = options.topics;
    if (pattern instanceof RegExp) return [...this.log.topics().keys()].filter((name) => pattern.test(name));
    for (const name of pattern) this.topic(name);
    return pattern;
  }

  /** Range-free round-robin assignment of every subscribed partition over the group's members. */
  private rebalance(group: Group) {
    const members = group.members.filter((m) => !m.stopped);
    // Named topics are created first (which may rebalance): then the assignment is computed once.
    const subscribed = new Map(members.map((m) => [m, new Set(this.subscribedTopics(m.options))]));
    for (const member of members) member.assigned.clear();
    if (members.length === 0) return;
    const partitions = this.log.topics();
    const keys = new Set<string>();
    for (const topics of subscribed.values()) {
      for (const topic of topics) for (let p = 0; p < (partitions.get(topic) ?? 0); p++) keys.add(`${topic}:${p}`);
    }
    [...keys].sort().forEach((key, index) => {
      const [topic, partition] = splitKey(key);
      // Only members subscribed to the topic may take its partitions.
      const candidates = members.filter((m) => subscribed.get(m)!.has(topic));
      if (candidates.length === 0) return;
      const member = candidates[index % candidates.length]!;
      member.assigned.add(key);
      if (!group.committed.has(key)) {
        let from = this.log.committed(group.id, topic, partition);
        if (from === undefined) {
          // The group's starting point is kept at once, so a restart does not move "the end".
          from = member.options.fromBeginning ? 0 : this.log.end(topic, partition);
          this.log.commit(group.id, topic, partition, from);
        }
        group.committed.set(key, from);
      }
    });
    for (const member of members) {
      member.options.onAssignment?.(
        [...member.assigned].sort().map((key) => {
          const [topic, partition] = splitKey(key);
          return { topic, partition };
        }),
      );
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
      const from = group.committed.get(key) ?? 0;
      const end = this.log.end(topicName, partition);
      if (from >= end) continue;
      const messages = this.log.read(topicName, partition, from, MAX_BATCH);
      if (messages.length === 0) {
        // Retention removed what lay between: move on to what is left.
        group.committed.set(key, end);
        continue;
      }
      const batch: Batch = { topic: topicName, partition, messages, highWatermark: String(end) };
      const next = Number(messages.at(-1)!.offset) + 1;
      group.busy.add(key);
      const handled = (async () => {
        try {
          // A batch settling later keeps its partition busy here until it has: partitions are
          // handled independently (up to the member's concurrency), so no other partition waits.
          const taken = await member.options.onBatch(batch);
          if (taken) await taken.settled;
          this.log.commit(group.id, topicName, partition, next);
          group.committed.set(key, next);
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
