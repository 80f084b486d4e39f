// Durable embedded backend: each collection is a SQLite table of JSON documents
// (node:sqlite, WAL). Indexes are real SQLite indexes on a key expression per
// field, so equality, $in, ranges, sort and limit on indexed fields run in SQL;
// whatever the SQL cannot say exactly is checked again with mingo in JS.
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type * as NodeSqlite from 'node:sqlite';
import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import { Query, find as mingoFind } from 'mingo';
import type {
  BulkWriteResult,
  DocumentStore,
  FindOptions,
  IndexSpec,
  InsertManyResult,
  SortSpec,
  StoreCollection,
  StoredDocument,
  UpdateResult,
  WriteById,
} from '../port.js';
import { DuplicateKeyError, indexName } from '../port.js';
import {
  pathMeetsArray,
  sameDocument,
  updatedDocument,
  upsertedDocument,
  type AnyDoc,
  type Filter,
  type Update,
} from '../updates.js';
import { insertEach, writeEach, type DocumentWrites } from '../writes.js';

export interface SqliteStoreOptions {
  /** The database file (its directory is created), or `:memory:`. */
  path: string;
  /**
   * SQLite's `synchronous` in WAL mode. `full` (the default): every commit is fsynced
   * before the write is acknowledged, so it survives a power loss. `normal`: a commit
   * survives the process being killed (the OS has it) but the last ones may be lost
   * in a power loss or OS crash; faster on slow disks.
   */
  synchronous?: 'full' | 'normal';
  /** The clock TTL indexes expire by. */
  now?: () => number;
  /** How often TTL indexes are swept (MongoDB's TTL monitor: every 60 s). */
  ttlSweepMs?: number;
}

/** node:sqlite (Node 22.13+; Hookline runs on Node 24), loaded when a store opens so older Nodes fail with a clear message. */
export function loadSqlite(): typeof NodeSqlite {
  const sqlite = process.getBuiltinModule?.('node:sqlite') as typeof NodeSqlite | undefined;
  if (!sqlite) {
    throw new Error(
      `the embedded backends need node:sqlite (Node 24); this is Node ${process.version}: run through npm (npm start, npm test), which uses the project's Node 24`,
    );
  }
  return sqlite;
}

// ---------- keys: one byte of type, in MongoDB's order of types, then an order-preserving value ----------
const NULL = 0x05;
const NUMBER = 0x10;
const STRING = 0x20;
const OBJECT = 0x30;
const ARRAY = 0x40;
const BOOLEAN = 0x50;
const DATE = 0x60;

function numberKey(type: number, value: number): Buffer {
  const key = Buffer.allocUnsafe(9);
  key[0] = type;
  key.writeDoubleBE(value === 0 ? 0 : value, 1);
  // Flip the sign bit of positives and every bit of negatives: bytes then sort as numbers do.
  if (key[1]! & 0x80) for (let i = 1; i < 9; i++) key[i] = ~key[i]! & 0xff;
  else key[1]! |= 0x80;
  return key;
}

const typed = (type: number, text: string) => Buffer.concat([Buffer.of(type), Buffer.from(text, 'utf8')]);

/** The key of a JS value in a query, or undefined when only mingo can compare it. */
function keyOf(value: unknown): Buffer | undefined {
  if (value === null) return Buffer.of(NULL);
  if (typeof value === 'number') return Number.isFinite(value) ? numberKey(NUMBER, value) : undefined;
  if (typeof value === 'string') return typed(STRING, value);
  if (typeof value === 'boolean') return Buffer.of(BOOLEAN, value ? 1 : 0);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : numberKey(DATE, value.getTime());
  return undefined;
}

/** The SQL function `hk(json_extract(doc, p), json_type(doc, p))`: the key of a stored value, as keyOf makes it. */
function storedKey(value: unknown, type: unknown): Uint8Array {
  switch (type) {
    case null:
    case 'null':
      return Buffer.of(NULL);
    case 'integer':
    case 'real':
      return numberKey(NUMBER, Number(value));
    case 'true':
      return Buffer.of(BOOLEAN, 1);
    case 'false':
      return Buffer.of(BOOLEAN, 0);
    case 'text':
      return typed(STRING, String(value));
    case 'array':
      return typed(ARRAY, String(value));
    default: {
      const text = String(value);
      if (text.startsWith('{"$date":')) {
        const date = dateOf(JSON.parse(text));
        if (date) return numberKey(DATE, date.getTime());
      }
      return typed(OBJECT, text);
    }
  }
}

/** The exclusive upper bound of a type's keys (ranges compare within one type, as MongoDB does). */
const typeEnd = (key: Buffer) => Buffer.of(key[0]! + 1);

// ---------- documents: JSON with dates as {"$date": ISO} ----------
function dateOf(value: unknown): Date | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const keys = Object.keys(value);
  const iso = (value as { $date?: unknown }).$date;
  return keys.length === 1 && typeof iso === 'string' ? new Date(iso) : undefined;
}

export function encodeDocument(document: unknown): string {
  return JSON.stringify(document, function (this: Record<string, unknown>, key, value: unknown) {
    const raw = this[key];
    return raw instanceof Date ? { $date: raw.toISOString() } : value;
  });
}

export function decodeDocument<T>(text: string): T {
  if (!text.includes('"$date"')) return JSON.parse(text) as T;
  return JSON.parse(text, (_key, value: unknown) => dateOf(value) ?? value) as T;
}

const quote = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;
const jsonPath = (field: string) =>
  `'$${field
    .split('.')
    .map((part) => `."${part.replaceAll("'", "''").replaceAll('"', '\\"')}"`)
    .join('')}'`;
/** The SQL expression of a field's key: the same text in an index and in a query, so SQLite matches them. */
const keyExpression = (field: string) =>
  field === '_id' ? 'id' : `hk(json_extract(doc, ${jsonPath(field)}), json_type(doc, ${jsonPath(field)}))`;

const MAX_STATEMENTS = 500;
const TTL_SWEEP_MS = 60_000;

export class SqliteDocumentStore implements DocumentStore {
  readonly backend = 'sqlite' as const;
  readonly db: DatabaseSync;
  private readonly statements = new Map<string, StatementSync>();
  private readonly collections = new Map<string, SqliteCollection<StoredDocument>>();
  private readonly now: () => number;
  private readonly sweepTimer: NodeJS.Timeout;
  private closed = false;

  constructor(options: SqliteStoreOptions) {
    const { DatabaseSync } = loadSqlite();
    if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
    this.db = new DatabaseSync(options.path, { timeout: 5_000 });
    this.db.exec(
      `PRAGMA journal_mode = WAL; PRAGMA synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}; PRAGMA cache_size = -16000; PRAGMA journal_size_limit = 67108864;`,
    );
    this.db.function('hk', { deterministic: true }, storedKey);
    this.db.exec(
      'CREATE TABLE IF NOT EXISTS hookline_multikey (collection TEXT NOT NULL, field TEXT NOT NULL, PRIMARY KEY (collection, field)) WITHOUT ROWID',
    );
    this.now = options.now ?? Date.now;
    this.sweepTimer = setInterval(() => this.sweep(), options.ttlSweepMs ?? TTL_SWEEP_MS).unref();
  }

  collection<T extends StoredDocument>(name: string): StoreCollection<T> {
    if (this.closed) throw new Error('document store is closed');
    let collection = this.collections.get(name);
    if (!collection) {
      collection = new SqliteCollection(this, name);
      this.collections.set(name, collection);
    }
    return collection as unknown as StoreCollection<T>;
  }

  /** Deletes the documents past their TTL (also every `ttlSweepMs`). */
  sweep(now = this.now()): number {
    if (this.closed) return 0;
    let deleted = 0;
    for (const collection of this.collections.values()) deleted += collection.expire(now);
    return deleted;
  }

  async filtersByIndex(): Promise<boolean> {
    return true;
  }

  async ping(): Promise<void> {
    if (this.closed) throw new Error('document store is closed');
    this.statement('SELECT 1').get();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.sweepTimer);
    this.statements.clear();
    this.db.close();
  }

  /** A cached prepared statement. */
  statement(sql: string): StatementSync {
    let statement = this.statements.get(sql);
    if (!statement) {
      if (this.statements.size >= MAX_STATEMENTS) this.statements.clear();
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /** Runs `work` in one transaction, committed even when it throws: like MongoDB's writes, what succeeded stays. */
  transaction<T>(work: () => T): T {
    if (this.db.isTransaction) return work();
    this.db.exec('BEGIN IMMEDIATE');
    try {
      return work();
    } finally {
      this.db.exec('COMMIT');
    }
  }
}

interface Condition {
  sql: string;
  params: SQLInputValue[];
}

interface Plan {
  where: string;
  params: SQLInputValue[];
  /** The SQL says all of the filter: no check in JS. */
  exact: boolean;
}

const RANGE = { $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' } as const;

function isPlainValue(value: unknown): boolean {
  return value === null || typeof value !== 'object' || value instanceof Date;
}

class SqliteCollection<T extends StoredDocument> implements StoreCollection<T> {
  private readonly table: string;
  /** Indexed fields, and which of them hold arrays somewhere (multikey: left to mingo). */
  private readonly indexed = new Set<string>(['_id']);
  private readonly multikey = new Set<string>();
  private readonly ttl: { field: string; seconds: number }[] = [];
  /** The one-document writes insertMany and bulkWrite are made of (run in one transaction). */
  private readonly writes: DocumentWrites = {
    insert: (document) => this.insert(document),
    update: (filter, update, upsert) => this.update(filter, update, upsert),
    deleteById: (id) => this.deleteById(id),
  };

  constructor(
    private readonly store: SqliteDocumentStore,
    readonly name: string,
  ) {
    this.table = quote(`c:${name}`);
    store.db.exec(`CREATE TABLE IF NOT EXISTS ${this.table} (id TEXT PRIMARY KEY NOT NULL, doc TEXT NOT NULL)`);
    for (const row of store.statement('SELECT field FROM hookline_multikey WHERE collection = ?').all(name))
      this.multikey.add(String(row.field));
  }

  async insertOne(document: T): Promise<void> {
    this.insert(document as unknown as AnyDoc);
  }

  async insertMany(documents: T[], options: { ordered?: boolean } = {}): Promise<InsertManyResult> {
    return this.store.transaction(() => insertEach(documents, options.ordered, this.writes.insert));
  }

  async bulkWrite(writes: WriteById<T>[]): Promise<BulkWriteResult> {
    return this.store.transaction(() => writeEach(writes, this.writes));
  }

  async findOne(filter: object, options: FindOptions = {}): Promise<T | null> {
    return (this.select(filter as Filter, { ...options, limit: 1 })[0] as T | undefined) ?? null;
  }

  async find(filter: object, options: FindOptions = {}): Promise<T[]> {
    return this.select(filter as Filter, options) as T[];
  }

  async countDocuments(filter: object): Promise<number> {
    const plan = this.plan(filter as Filter);
    if (plan.exact)
      return Number(
        this.store.statement(`SELECT count(*) AS n FROM ${this.table} WHERE ${plan.where}`).get(...plan.params)!.n,
      );
    const query = new Query(filter as Filter);
    let count = 0;
    for (const row of this.store
      .statement(`SELECT doc FROM ${this.table} WHERE ${plan.where}`)
      .iterate(...plan.params)) {
      if (query.test(decodeDocument(String(row.doc)))) count++;
    }
    return count;
  }

  async updateOne(filter: object, update: object, options: { upsert?: boolean } = {}): Promise<UpdateResult> {
    return this.update(filter as Filter, update as Update, options.upsert ?? false);
  }

  async updateMany(filter: object, update: object): Promise<UpdateResult> {
    return this.store.transaction(() => {
      const targets = this.select(filter as Filter, {});
      let modifiedCount = 0;
      for (const target of targets)
        if (this.replace(target, updatedDocument(this.name, target, update as Update))) modifiedCount++;
      return { matchedCount: targets.length, modifiedCount, upsertedId: null };
    });
  }

  async findOneAndUpdate(
    filter: object,
    update: object,
    options: { sort?: SortSpec; upsert?: boolean; returnDocument?: 'before' | 'after' } = {},
  ): Promise<T | null> {
    const returnAfter = (options.returnDocument ?? 'after') === 'after';
    return this.store.transaction(() => {
      const [target] = this.select(filter as Filter, { ...(options.sort ? { sort: options.sort } : {}), limit: 1 });
      if (!target) {
        if (!options.upsert) return null;
        const inserted = this.insert(upsertedDocument(filter as Filter, update as Update));
        return returnAfter ? (inserted as unknown as T) : null;
      }
      const next = updatedDocument(this.name, target, update as Update);
      this.replace(target, next);
      return (returnAfter ? next : target) as unknown as T;
    });
  }

  async deleteOne(filter: object): Promise<{ deletedCount: number }> {
    const [target] = this.select(filter as Filter, { limit: 1, projection: { _id: 1 } });
    return { deletedCount: target ? this.deleteById(target._id) : 0 };
  }

  async deleteMany(filter: object): Promise<{ deletedCount: number }> {
    const plan = this.plan(filter as Filter);
    if (plan.exact)
      return {
        deletedCount: Number(
          this.store.statement(`DELETE FROM ${this.table} WHERE ${plan.where}`).run(...plan.params).changes,
        ),
      };
    return this.store.transaction(() => {
      let deletedCount = 0;
      for (const target of this.select(filter as Filter, {})) deletedCount += this.deleteById(target._id);
      return { deletedCount };
    });
  }

  async createIndexes(indexes: IndexSpec[]): Promise<void> {
    for (const spec of indexes) {
      const name = indexName(spec);
      const fields = Object.keys(spec.keys);
      const sqlName = quote(`c:${this.name}/${name}`);
      const columns = fields.map((field) => `${keyExpression(field)}${spec.keys[field] === -1 ? ' DESC' : ''}`);
      // A non-unique index ends with the _id, as MongoDB's end with the record id: ties come out in _id order.
      if (!spec.unique && !fields.includes('_id')) columns.push(`id${spec.keys[fields.at(-1)!] === -1 ? ' DESC' : ''}`);
      const existed =
        this.store
          .statement("SELECT 1 AS found FROM sqlite_master WHERE type = 'index' AND name = ?")
          .get(`c:${this.name}/${name}`) !== undefined;
      if (!existed) {
        try {
          this.store.db.exec(
            `CREATE ${spec.unique ? 'UNIQUE ' : ''}INDEX IF NOT EXISTS ${sqlName} ON ${this.table} (${columns.join(', ')})`,
          );
        } catch (error) {
          if (isConstraint(error))
            throw new DuplicateKeyError(
              this.name,
              name,
              `cannot build unique index ${name}: ${(error as Error).message}`,
            );
          throw error;
        }
        // Documents written before the index existed may hold arrays in its fields.
        for (const field of fields) {
          if (field === '_id' || this.multikey.has(field)) continue;
          for (const row of this.store.statement(`SELECT doc FROM ${this.table}`).iterate()) {
            if (pathMeetsArray(decodeDocument(String(row.doc)), field)) {
              this.markMultikey(field);
              break;
            }
          }
        }
      }
      for (const field of fields) this.indexed.add(field);
      if (spec.expireAfterSeconds !== undefined && !this.ttl.some((t) => t.field === fields[0]))
        this.ttl.push({ field: fields[0]!, seconds: spec.expireAfterSeconds });
    }
  }

  /** Deletes the documents whose TTL-indexed date is older than the index's seconds (dates only, as MongoDB). */
  expire(now: number): number {
    let deleted = 0;
    for (const { field, seconds } of this.ttl) {
      const expression = keyExpression(field);
      const cutoff = numberKey(DATE, now - seconds * 1000);
      deleted += Number(
        this.store
          .statement(`DELETE FROM ${this.table} WHERE ${expression} > ? AND ${expression} <= ?`)
          .run(Buffer.of(DATE), cutoff).changes,
      );
    }
    return deleted;
  }

  // ---------- internals: synchronous, so each operation is atomic in this process ----------

  private markMultikey(field: string) {
    this.multikey.add(field);
    this.store
      .statement('INSERT OR IGNORE INTO hookline_multikey (collection, field) VALUES (?, ?)')
      .run(this.name, field);
  }

  private noteArrays(document: AnyDoc) {
    for (const field of this.indexed) {
      if (field !== '_id' && !this.multikey.has(field) && pathMeetsArray(document, field)) this.markMultikey(field);
    }
  }

  /** A field whose key expression gives exact answers: the _id, or an indexed field that never held an array. */
  private keyed(field: string): boolean {
    return field === '_id' || (this.indexed.has(field) && !this.multikey.has(field));
  }

  private condition(field: string, operand: unknown): Condition | undefined {
    const expression = keyExpression(field);
    // The _id column holds the string itself.
    const param = (value: unknown): SQLInputValue | undefined =>
      field === '_id' ? (typeof value === 'string' ? value : undefined) : keyOf(value);
    if (isPlainValue(operand)) {
      const value = param(operand);
      return value === undefined ? undefined : { sql: `${expression} = ?`, params: [value] };
    }
    const operators = Object.entries(operand as Record<string, unknown>);
    if (operators.length === 0) return undefined;
    const parts: Condition[] = [];
    for (const [operator, value] of operators) {
      if (operator === '$eq' && isPlainValue(value)) {
        const key = param(value);
        if (key === undefined) return undefined;
        parts.push({ sql: `${expression} = ?`, params: [key] });
      } else if (operator === '$in' && Array.isArray(value) && value.every(isPlainValue)) {
        const keys = value.map(param);
        if (keys.some((key) => key === undefined)) return undefined;
        parts.push(
          keys.length === 0
            ? { sql: '0', params: [] }
            : { sql: `${expression} IN (${keys.map(() => '?').join(', ')})`, params: keys as SQLInputValue[] },
        );
      } else if (operator in RANGE && value !== null && isPlainValue(value) && typeof value !== 'boolean') {
        const key = param(value);
        if (key === undefined) return undefined;
        const op = RANGE[operator as keyof typeof RANGE];
        if (field === '_id') parts.push({ sql: `id ${op} ?`, params: [key] });
        // Within the operand's type only, as MongoDB compares.
        else if (op.startsWith('>'))
          parts.push({ sql: `${expression} ${op} ? AND ${expression} < ?`, params: [key, typeEnd(key as Buffer)] });
        else
          parts.push({
            sql: `${expression} ${op} ? AND ${expression} >= ?`,
            params: [key, Buffer.of((key as Buffer)[0]!)],
          });
      } else {
        return undefined;
      }
    }
    return { sql: parts.map((p) => p.sql).join(' AND '), params: parts.flatMap((p) => p.params) };
  }

  /** The filter's conditions that SQL can say exactly; the rest is left to mingo. */
  private plan(filter: Filter): Plan {
    const conditions: Condition[] = [];
    let exact = true;
    for (const [field, operand] of Object.entries(filter)) {
      if (field === '$and' && Array.isArray(operand)) {
        for (const part of operand as Filter[]) {
          const sub = this.plan(part);
          if (sub.where !== '1') conditions.push({ sql: `(${sub.where})`, params: sub.params });
          exact &&= sub.exact;
        }
      } else if (field === '$or' && Array.isArray(operand) && operand.length > 0) {
        const branches = (operand as Filter[]).map((branch) => this.plan(branch));
        // A branch SQL cannot narrow makes the whole $or unnarrowable.
        if (branches.some((b) => b.where === '1')) exact = false;
        else {
          conditions.push({
            sql: `(${branches.map((b) => `(${b.where})`).join(' OR ')})`,
            params: branches.flatMap((b) => b.params),
          });
          exact &&= branches.every((b) => b.exact);
        }
      } else if (field.startsWith('$') || !this.keyed(field)) {
        exact = false;
      } else {
        const condition = this.condition(field, operand);
        if (condition) conditions.push(condition);
        else exact = false;
      }
    }
    return {
      where: conditions.length === 0 ? '1' : conditions.map((c) => c.sql).join(' AND '),
      params: conditions.flatMap((c) => c.params),
      exact,
    };
  }

  private select(filter: Filter, options: FindOptions): AnyDoc[] {
    const plan = this.plan(filter);
    const sort = options.sort && Object.keys(options.sort).length > 0 ? options.sort : undefined;
    const fields = sort ? Object.keys(sort) : [];
    // SQL orders by the leading sort fields with exact keys; mingo orders what they leave tied.
    let exactFields = 0;
    while (exactFields < fields.length && this.keyed(fields[exactFields]!)) exactFields++;
    const prefix = fields.slice(0, exactFields);
    const complete = exactFields === fields.length;
    const order =
      prefix.length > 0
        ? ` ORDER BY ${prefix.map((field) => `${keyExpression(field)}${sort![field] === -1 ? ' DESC' : ' ASC'}`).join(', ')}`
        : '';
    const keys = prefix.map((field, i) => `, ${keyExpression(field)} AS k${i}`).join('');
    const skip = options.skip ?? 0;
    const limit = options.limit && options.limit > 0 ? options.limit : Infinity;
    const wanted = skip + limit;
    const keysOf = (row: Record<string, unknown>) => prefix.map((_, i) => row[`k${i}`]);
    const sameKeys = (a: unknown[], b: unknown[]) =>
      a.every((value, i) =>
        value instanceof Uint8Array && b[i] instanceof Uint8Array ? Buffer.compare(value, b[i]) === 0 : value === b[i],
      );
    let documents: AnyDoc[];
    if (plan.exact && complete) {
      const paging = limit !== Infinity || skip > 0 ? ` LIMIT ? OFFSET ?` : '';
      const params = paging ? [...plan.params, limit === Infinity ? -1 : limit, skip] : plan.params;
      return this.project(
        this.store
          .statement(`SELECT doc FROM ${this.table} WHERE ${plan.where}${order}${paging}`)
          .all(...params)
          .map((row) => decodeDocument<AnyDoc>(String(row.doc))),
        options,
      );
    }
    if (plan.exact && prefix.length > 0 && wanted !== Infinity) {
      // The first `wanted` rows in the prefix's order, and every row tied with the last of them.
      let rows = this.store
        .statement(`SELECT doc${keys} FROM ${this.table} WHERE ${plan.where}${order} LIMIT ?`)
        .all(...plan.params, wanted);
      if (rows.length === wanted) {
        const boundary = keysOf(rows.at(-1)!);
        const tied = this.store
          .statement(
            `SELECT doc${keys} FROM ${this.table} WHERE ${plan.where} AND ${prefix.map((field) => `${keyExpression(field)} = ?`).join(' AND ')}`,
          )
          .all(...plan.params, ...(boundary as SQLInputValue[]));
        rows = [...rows.filter((row) => !sameKeys(keysOf(row), boundary)), ...tied];
      }
      documents = rows.map((row) => decodeDocument<AnyDoc>(String(row.doc)));
    } else {
      const query = plan.exact ? undefined : new Query(filter);
      documents = [];
      let skipped = 0;
      let boundary: unknown[] | undefined;
      for (const row of this.store
        .statement(`SELECT doc${keys} FROM ${this.table} WHERE ${plan.where}${order}`)
        .iterate(...plan.params)) {
        if (boundary && !sameKeys(keysOf(row), boundary)) break;
        const document = decodeDocument<AnyDoc>(String(row.doc));
        if (query && !query.test(document)) continue;
        if (!complete) {
          documents.push(document);
          // Past `wanted` matches, only the rows tied with the last one can still come first.
          if (prefix.length > 0 && documents.length === wanted) boundary = keysOf(row);
          continue;
        }
        if (skipped < skip) {
          skipped++;
          continue;
        }
        documents.push(document);
        if (documents.length >= limit) break;
      }
      if (complete) return this.project(documents, options);
    }
    let cursor = mingoFind(documents, {}).sort(sort!);
    if (skip) cursor = cursor.skip(skip);
    if (limit !== Infinity) cursor = cursor.limit(limit);
    return this.project(cursor.all() as AnyDoc[], options);
  }

  private project(documents: AnyDoc[], options: FindOptions): AnyDoc[] {
    return options.projection ? (mingoFind(documents, {}, options.projection).all() as AnyDoc[]) : documents;
  }

  private insert(input: AnyDoc): AnyDoc {
    const document = input._id === undefined ? { ...input, _id: randomUUID() } : input;
    if (typeof document._id !== 'string') throw new Error(`${this.name}: a document needs a string _id`);
    try {
      this.store
        .statement(`INSERT INTO ${this.table} (id, doc) VALUES (?, ?)`)
        .run(document._id, encodeDocument(document));
    } catch (error) {
      throw this.duplicate(error);
    }
    this.noteArrays(document);
    return decodeDocument<AnyDoc>(encodeDocument(document));
  }

  /** Writes `next` over `target`; false when nothing changed. */
  private replace(target: AnyDoc, next: AnyDoc): boolean {
    if (sameDocument(next, target)) return false;
    try {
      this.store.statement(`UPDATE ${this.table} SET doc = ? WHERE id = ?`).run(encodeDocument(next), target._id);
    } catch (error) {
      throw this.duplicate(error);
    }
    this.noteArrays(next);
    return true;
  }

  private update(filter: Filter, update: Update, upsert: boolean): UpdateResult {
    return this.store.transaction(() => {
      const [target] = this.select(filter, { limit: 1 });
      if (!target) {
        if (!upsert) return { matchedCount: 0, modifiedCount: 0, upsertedId: null };
        return { matchedCount: 0, modifiedCount: 0, upsertedId: this.insert(upsertedDocument(filter, update))._id };
      }
      const modified = this.replace(target, updatedDocument(this.name, target, update));
      return { matchedCount: 1, modifiedCount: modified ? 1 : 0, upsertedId: null };
    });
  }

  private deleteById(id: string): number {
    return Number(this.store.statement(`DELETE FROM ${this.table} WHERE id = ?`).run(id).changes);
  }

  /** SQLite's constraint failure as MongoDB's duplicate key error (naming the index); anything else as it is. */
  private duplicate(error: unknown): unknown {
    if (!isConstraint(error)) return error;
    const message = (error as Error).message;
    const index = /index '[^/']*\/([^']+)'/.exec(message)?.[1] ?? (/\.id\b/.test(message) ? '_id_' : 'unknown');
    return new DuplicateKeyError(
      this.name,
      index,
      `E11000 duplicate key error collection: ${this.name} index: ${index}`,
    );
  }
}

function isConstraint(error: unknown): boolean {
  const code = (error as { errcode?: unknown }).errcode;
  // SQLITE_CONSTRAINT_UNIQUE (2067) and SQLITE_CONSTRAINT_PRIMARYKEY (1555).
  return code === 2067 || code === 1555;
}
