// Durable embedded event bus: topics, partitions, messages and the groups'
// committed offsets in a SQLite database (node:sqlite, WAL); consumer groups
// from groups.ts, in this process. One process owns the file at a time.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type * as NodeSqlite from 'node:sqlite';
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { IncomingMessage, OutgoingMessage } from '../port.js';
import { DEFAULT_PARTITIONS } from '../port.js';
import { LogEventBus, type PartitionLog } from '../groups.js';

export interface SqliteEventBusOptions {
  /** The database file (its directory is created), or `:memory:`. */
  path: string;
  /** `full` (default): each publish and commit is fsynced before it resolves; `normal`: survives a killed process, not a power loss. */
  synchronous?: 'full' | 'normal';
  /** Partitions of a topic created without a count. */
  defaultPartitions?: number;
  /**
   * Messages older than this (by timestamp) are deleted once every group that reads
   * their partition has committed past them (Kafka's default retention: 7 days).
   */
  retentionMs?: number;
  /** How often retention runs (and once at open). */
  retentionSweepMs?: number;
}

const HOUR = 3_600_000;

function loadSqlite(): typeof NodeSqlite {
  const sqlite = process.getBuiltinModule?.('node:sqlite') as typeof NodeSqlite | undefined;
  if (!sqlite) {
    throw new Error(
      `the embedded backends need node:sqlite (Node 24); this is Node ${process.version}: run through npm (npm start, npm test), which uses the project's Node 24`,
    );
  }
  return sqlite;
}

class SqliteLog implements PartitionLog {
  readonly db: DatabaseSync;
  private readonly statements = new Map<string, StatementSync>();
  /** topic → partitions, and `${topic}:${partition}` → next offset: read at open, kept in step with every write. */
  private readonly partitions = new Map<string, number>();
  private readonly ends = new Map<string, number>();

  constructor(
    options: SqliteEventBusOptions,
    private readonly defaultPartitions: number,
  ) {
    const { DatabaseSync } = loadSqlite();
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
    this.db = new DatabaseSync(options.path, { timeout: 5_000 });
    this.db.exec(
      `PRAGMA journal_mode = WAL; PRAGMA synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}; PRAGMA journal_size_limit = 67108864;`,
    );
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS bus_topics (name TEXT PRIMARY KEY NOT NULL, partitions INTEGER NOT NULL) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS bus_partitions (topic TEXT NOT NULL, partition INTEGER NOT NULL, next_offset INTEGER NOT NULL, PRIMARY KEY (topic, partition)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS bus_messages (
        topic TEXT NOT NULL, partition INTEGER NOT NULL, offset INTEGER NOT NULL,
        key TEXT, value BLOB NOT NULL, headers TEXT NOT NULL, timestamp INTEGER NOT NULL,
        PRIMARY KEY (topic, partition, offset));
      CREATE TABLE IF NOT EXISTS bus_offsets (group_id TEXT NOT NULL, topic TEXT NOT NULL, partition INTEGER NOT NULL, offset INTEGER NOT NULL, PRIMARY KEY (group_id, topic, partition)) WITHOUT ROWID;
    `);
    for (const row of this.db.prepare('SELECT name, partitions FROM bus_topics').all())
      this.partitions.set(String(row.name), Number(row.partitions));
    for (const row of this.db.prepare('SELECT topic, partition, next_offset FROM bus_partitions').all())
      this.ends.set(`${String(row.topic)}:${Number(row.partition)}`, Number(row.next_offset));
  }

  private statement(sql: string): StatementSync {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private transaction(work: () => void) {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      work();
      this.db.exec('COMMIT');
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
  }

  ensure(topic: string, partitions?: number): boolean {
    if (this.partitions.has(topic)) return false;
    const count = partitions ?? this.defaultPartitions;
    this.transaction(() => {
      this.statement('INSERT INTO bus_topics (name, partitions) VALUES (?, ?)').run(topic, count);
      for (let p = 0; p < count; p++)
        this.statement('INSERT INTO bus_partitions (topic, partition, next_offset) VALUES (?, ?, 0)').run(topic, p);
    });
    this.partitions.set(topic, count);
    for (let p = 0; p < count; p++) this.ends.set(`${topic}:${p}`, 0);
    return true;
  }

  topics(): Map<string, number> {
    return new Map(this.partitions);
  }

  append(
    topic: string,
    messages: OutgoingMessage[],
    partitionOf: (message: OutgoingMessage, partitions: number) => number,
  ): void {
    const count = this.partitions.get(topic)!;
    const ends = new Map<number, number>();
    this.transaction(() => {
      const insert = this.statement(
        'INSERT INTO bus_messages (topic, partition, offset, key, value, headers, timestamp) VALUES (?, ?, ?, ?, ?, ?, ?)',
      );
      for (const message of messages) {
        const partition = partitionOf(message, count);
        const offset = ends.get(partition) ?? this.end(topic, partition);
        const value = Buffer.isBuffer(message.value) ? message.value : Buffer.from(message.value, 'utf8');
        insert.run(
          topic,
          partition,
          offset,
          message.key,
          value,
          JSON.stringify(message.headers ?? {}),
          (message.timestamp ?? new Date()).getTime(),
        );
        ends.set(partition, offset + 1);
      }
      for (const [partition, next] of ends)
        this.statement('UPDATE bus_partitions SET next_offset = ? WHERE topic = ? AND partition = ?').run(
          next,
          topic,
          partition,
        );
    });
    // Only once committed: a failed append leaves the offsets as they were.
    for (const [partition, next] of ends) this.ends.set(`${topic}:${partition}`, next);
  }

  end(topic: string, partition: number): number {
    return this.ends.get(`${topic}:${partition}`) ?? 0;
  }

  read(topic: string, partition: number, from: number, max: number): IncomingMessage[] {
    return this.statement(
      'SELECT offset, key, value, headers, timestamp FROM bus_messages WHERE topic = ? AND partition = ? AND offset >= ? ORDER BY offset LIMIT ?',
    )
      .all(topic, partition, from, max)
      .map((row) => ({
        topic,
        partition,
        offset: String(row.offset),
        key: row.key === null ? null : String(row.key),
        value: Buffer.from(row.value as Uint8Array),
        headers: JSON.parse(String(row.headers)) as Record<string, string>,
        timestamp: new Date(Number(row.timestamp)),
      }));
  }

  committed(group: string, topic: string, partition: number): number | undefined {
    const row = this.statement('SELECT offset FROM bus_offsets WHERE group_id = ? AND topic = ? AND partition = ?').get(
      group,
      topic,
      partition,
    );
    return row === undefined ? undefined : Number(row.offset);
  }

  commit(group: string, topic: string, partition: number, offset: number): void {
    this.statement(
      'INSERT INTO bus_offsets (group_id, topic, partition, offset) VALUES (?, ?, ?, ?) ON CONFLICT (group_id, topic, partition) DO UPDATE SET offset = excluded.offset',
    ).run(group, topic, partition, offset);
  }

  /** Deletes messages older than `before` that every group reading their partition has committed past. */
  retain(before: number): number {
    let deleted = 0;
    for (const [topic, count] of this.partitions) {
      for (let partition = 0; partition < count; partition++) {
        const row = this.statement('SELECT min(offset) AS low FROM bus_offsets WHERE topic = ? AND partition = ?').get(
          topic,
          partition,
        );
        const consumed = row?.low === null || row?.low === undefined ? this.end(topic, partition) : Number(row.low);
        deleted += Number(
          this.statement(
            'DELETE FROM bus_messages WHERE topic = ? AND partition = ? AND offset < ? AND timestamp < ?',
          ).run(topic, partition, consumed, before).changes,
        );
      }
    }
    return deleted;
  }

  close(): void {
    this.statements.clear();
    this.db.close();
  }
}

export class SqliteEventBus extends LogEventBus {
  private readonly sqlite: SqliteLog;
  private readonly retentionTimer: NodeJS.Timeout;

  constructor(private readonly options: SqliteEventBusOptions) {
    const log = new SqliteLog(options, options.defaultPartitions ?? DEFAULT_PARTITIONS);
    super('sqlite', log);
    this.sqlite = log;
    this.retain();
    this.retentionTimer = setInterval(() => this.retain(), options.retentionSweepMs ?? HOUR).unref();
  }

  /** Applies retention now (also every `retentionSweepMs`); returns how many messages went. */
  retain(now = Date.now()): number {
    return this.sqlite.retain(now - (this.options.retentionMs ?? 7 * 24 * HOUR));
  }

  override async close(): Promise<void> {
    clearInterval(this.retentionTimer);
    await super.close();
  }
}
