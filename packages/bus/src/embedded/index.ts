// In-process event bus in memory: the backend of fast unit tests. Topics are
// arrays of partitions; consumer groups come from groups.ts. Nothing survives a
// restart of the process (the durable embedded bus is sqlite/).
import type { IncomingMessage, OutgoingMessage } from '../port.js';
import { DEFAULT_PARTITIONS } from '../port.js';
import { LogEventBus, type PartitionLog } from '../groups.js';

export { partitionForKey } from '../groups.js';

class MemoryLog implements PartitionLog {
  private readonly partitions = new Map<string, IncomingMessage[][]>();
  private readonly offsets = new Map<string, number>();

  constructor(private readonly defaultPartitions: number) {}

  ensure(topic: string, partitions?: number): boolean {
    if (this.partitions.has(topic)) return false;
    this.partitions.set(
      topic,
      Array.from({ length: partitions ?? this.defaultPartitions }, () => []),
    );
    return true;
  }

  topics(): Map<string, number> {
    return new Map([...this.partitions].map(([name, logs]) => [name, logs.length]));
  }

  append(
    topic: string,
    messages: OutgoingMessage[],
    partitionOf: (message: OutgoingMessage, partitions: number) => number,
  ): void {
    const logs = this.partitions.get(topic)!;
    for (const message of messages) {
      const partition = partitionOf(message, logs.length);
      const log = logs[partition]!;
      log.push({
        topic,
        partition,
        offset: String(log.length),
        key: message.key,
        value: Buffer.isBuffer(message.value) ? Buffer.from(message.value) : Buffer.from(message.value, 'utf8'),
        headers: { ...(message.headers ?? {}) },
        timestamp: message.timestamp ?? new Date(),
      });
    }
  }

  end(topic: string, partition: number): number {
    return this.partitions.get(topic)?.[partition]?.length ?? 0;
  }

  read(topic: string, partition: number, from: number, max: number): IncomingMessage[] {
    const log = this.partitions.get(topic)?.[partition] ?? [];
    return log
      .slice(from, from + max)
      .map((message) => ({ ...message, value: Buffer.from(message.value), headers: { ...message.headers } }));
  }

  committed(group: string, topic: string, partition: number): number | undefined {
    return this.offsets.get(`${group}\u0000${topic}:${partition}`);
  }

  commit(group: string, topic: string, partition: number, offset: number): void {
    this.offsets.set(`${group}\u0000${topic}:${partition}`, offset);
  }

  close(): void {}
}

export class EmbeddedEventBus extends LogEventBus {
  constructor(defaultPartitions = DEFAULT_PARTITIONS) {
    super('embedded', new MemoryLog(defaultPartitions));
  }
}
