// MongoDB backend: the official driver. Uses only what a standalone MongoDB 6+
// offers (no multi-document transactions, no change streams).
import {
  MongoBulkWriteError,
  MongoClient,
  MongoServerError,
  type AnyBulkWriteOperation,
  type Collection,
  type Db,
  type Document,
} from 'mongodb';
import type {
  BulkWriteResult,
  DocumentStore,
  FindOptions,
  IndexSpec,
  InsertManyResult,
  StoreCollection,
  StoredDocument,
  UpdateResult,
  WriteById,
} from '../port.js';
import { DuplicateKeyError, indexName } from '../port.js';

export interface MongoStoreOptions {
  uri: string;
  database: string;
  appName?: string;
}

export class MongoDocumentStore implements DocumentStore {
  readonly backend = 'mongodb' as const;
  private readonly client: MongoClient;
  private readonly db: Db;
  /** TTL indexes the server refused (FerretDB): expired by a sweep instead, as often as MongoDB's TTL monitor. */
  private readonly sweeps: { collection: string; field: string; seconds: number }[] = [];
  private sweepTimer: NodeJS.Timeout | undefined;
  private ferretdb: Promise<boolean> | undefined;

  constructor(options: MongoStoreOptions) {
    this.client = new MongoClient(options.uri, {
      appName: options.appName ?? 'hookline',
      serverSelectionTimeoutMS: 10_000,
      ignoreUndefined: true,
    });
    this.db = this.client.db(options.database);
  }

  collection<T extends StoredDocument>(name: string): StoreCollection<T> {
    return new MongoCollection<T>(
      this.db.collection(name) as unknown as Collection<T>,
      (field, seconds) => this.sweepInstead(name, field, seconds),
      () => this.isFerretDB(),
    );
  }

  async filtersByIndex(): Promise<boolean> {
    return !(await this.isFerretDB());
  }

  /** Whether the server is FerretDB (its buildInfo says so), which reads no index but `_id`'s to filter. */
  isFerretDB(): Promise<boolean> {
    this.ferretdb ??= this.db
      .admin()
      .command({ buildInfo: 1 })
      .then((info) => 'ferretdbVersion' in info)
      .catch(() => false);
    return this.ferretdb;
  }

  private sweepInstead(collection: string, field: string, seconds: number) {
    if (this.sweeps.some((s) => s.collection === collection && s.field === field)) return;
    this.sweeps.push({ collection, field, seconds });
    this.sweepTimer ??= setInterval(() => void this.sweep().catch(() => undefined), TTL_SWEEP_MS).unref();
  }

  /** Collections whose TTL indexes the server refused and this store sweeps instead. */
  get sweptCollections(): string[] {
    return this.sweeps.map((s) => s.collection);
  }

  /** Deletes documents past their TTL where the server has no TTL indexes. */
  async sweep(now = Date.now()): Promise<void> {
    for (const { collection, field, seconds } of this.sweeps) {
      await this.db.collection(collection).deleteMany({ [field]: { $lt: new Date(now - seconds * 1000) } });
    }
  }

  async ping(): Promise<void> {
    await this.db.command({ ping: 1 });
  }

  async close(): Promise<void> {
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    await this.client.close();
  }

  /** For tests: the server's own description of a collection's indexes. */
  async rawIndexes(collection: string): Promise<Document[]> {
    return this.db.collection(collection).indexes();
  }

  /** For tests: drops the whole database. */
  async dropDatabase(): Promise<void> {
    await this.db.dropDatabase();
  }
}

/** MongoDB's duplicate key code, and FerretDB/SQLite's code 1 "UNIQUE constraint failed" on updates. */
function isDuplicateKey(error: { code?: unknown; errmsg?: unknown; message?: unknown }): boolean {
  const message = String(error.errmsg ?? error.message ?? '');
  return error.code === 11000 || (error.code === 1 && /UNIQUE constraint failed/.test(message));
}

/**
 * An unordered bulk's failures: the duplicates (by the index of the write), or the
 * error itself when anything else failed.
 */
function duplicatesOf(collection: string, error: unknown): number[] {
  if (!(error instanceof MongoBulkWriteError)) translate(collection, error);
  const writeErrors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
  if (writeErrors.length === 0 || error.writeConcernError) throw error;
  const other = writeErrors.find((w) => !isDuplicateKey(w));
  if (other)
    throw new Error(
      `${collection}: write ${other.index} failed: ${other.errmsg ?? 'unknown error'} (code ${other.code})`,
    );
  return writeErrors.map((w) => w.index);
}

function translate(collection: string, error: unknown): never {
  if (error instanceof MongoServerError) {
    // MongoDB answers 11000; FerretDB's SQLite backend answers code 1 with SQLite's own
    // message when an update (not an insert) breaks a unique index.
    const sqliteUnique = error.code === 1 && /UNIQUE constraint failed: index '([^']+)'/.exec(error.message);
    if (error.code === 11000 || sqliteUnique) {
      const index = sqliteUnique ? sqliteUnique[1]! : (/index: (\S+)/.exec(error.message)?.[1] ?? 'unknown');
      throw new DuplicateKeyError(collection, index, error.message);
    }
  }
  throw error;
}

const NOT_IMPLEMENTED = 238;
// The sweep is a deleteMany by range, which FerretDB answers by reading the whole collection: rare, since
// retention is counted in days and a scan every minute kept FerretDB busy for good at 100,000 deliveries.
const TTL_SWEEP_MS = 3_600_000;

class MongoCollection<T extends StoredDocument> implements StoreCollection<T> {
  readonly name: string;
  constructor(
    private readonly collection: Collection<T>,
    private readonly sweepInstead: (field: string, seconds: number) => void,
    private readonly isFerretDB: () => Promise<boolean>,
  ) {
    this.name = collection.collectionName;
  }

  private get raw(): Collection<Document> {
    return this.collection as unknown as Collection<Document>;
  }

  async insertOne(document: T): Promise<void> {
    await this.raw.insertOne({ ...(document as Document) }).catch((e: unknown) => translate(this.name, e));
  }

  async insertMany(documents: T[], options: { ordered?: boolean } = {}): Promise<InsertManyResult> {
    if (documents.length === 0) return { duplicateIds: [] };
    const ordered = options.ordered !== false;
    try {
      await this.raw.insertMany(
        documents.map((d) => ({ ...(d as Document) })),
        { ordered },
      );
      return { duplicateIds: [] };
    } catch (error) {
      if (ordered) translate(this.name, error);
      return { duplicateIds: duplicatesOf(this.name, error).map((index) => documents[index]!._id) };
    }
  }

  async bulkWrite(writes: WriteById<T>[]): Promise<BulkWriteResult> {
    const empty: BulkWriteResult = {
      insertedCount: 0,
      matchedCount: 0,
      modifiedCount: 0,
      deletedCount: 0,
      upsertedCount: 0,
      duplicateIds: [],
    };
    if (writes.length === 0) return empty;
    const idOf = (write: WriteById<T>) =>
      'insertOne' in write
        ? write.insertOne.document._id
        : 'updateOne' in write
          ? write.updateOne.filter._id
          : write.deleteOne.filter._id;
    const operations = writes.map((write) =>
      'insertOne' in write ? { insertOne: { document: { ...(write.insertOne.document as Document) } } } : write,
    ) as AnyBulkWriteOperation<Document>[];
    try {
      const result = await this.raw.bulkWrite(operations, { ordered: false });
      return {
        insertedCount: result.insertedCount,
        matchedCount: result.matchedCount,
        modifiedCount: result.modifiedCount,
        deletedCount: result.deletedCount,
        upsertedCount: result.upsertedCount,
        duplicateIds: [],
      };
    } catch (error) {
      const duplicates = duplicatesOf(this.name, error);
      const partial = (error as MongoBulkWriteError).result;
      return {
        insertedCount: partial?.insertedCount ?? 0,
        matchedCount: partial?.matchedCount ?? 0,
        modifiedCount: partial?.modifiedCount ?? 0,
        deletedCount: partial?.deletedCount ?? 0,
        upsertedCount: partial?.upsertedCount ?? 0,
        duplicateIds: duplicates.map((index) => idOf(writes[index]!)),
      };
    }
  }

  async findOne(filter: Parameters<StoreCollection<T>['findOne']>[0], options: FindOptions = {}): Promise<T | null> {
    const [first] = await this.find(filter, { ...options, limit: 1 });
    return first ?? null;
  }

  async find(filter: Parameters<StoreCollection<T>['find']>[0], options: FindOptions = {}): Promise<T[]> {
    let cursor = this.raw.find(filter as Document);
    if (options.sort) cursor = cursor.sort(options.sort);
    if (options.skip) cursor = cursor.skip(options.skip);
    if (options.limit) cursor = cursor.limit(options.limit);
    if (options.projection) cursor = cursor.project(options.projection);
    return (await cursor.toArray()) as unknown as T[];
  }

  async countDocuments(filter: Parameters<StoreCollection<T>['countDocuments']>[0]): Promise<number> {
    return this.raw.countDocuments(filter as Document);
  }

  async updateOne(
    filter: Parameters<StoreCollection<T>['updateOne']>[0],
    update: Parameters<StoreCollection<T>['updateOne']>[1],
    options: { upsert?: boolean } = {},
  ): Promise<UpdateResult> {
    const result = await this.raw
      .updateOne(filter as Document, update as Document, { upsert: options.upsert ?? false })
      .catch((e: unknown) => translate(this.name, e));
    return {
      matchedCount: result.matchedCount,
      modifiedCount: result.modifiedCount,
      upsertedId: result.upsertedId === null ? null : String(result.upsertedId),
    };
  }

  async updateMany(
    filter: Parameters<StoreCollection<T>['updateMany']>[0],
    update: Parameters<StoreCollection<T>['updateMany']>[1],
  ): Promise<UpdateResult> {
    const result = await this.raw
      .updateMany(filter as Document, update as Document)
      .catch((e: unknown) => translate(this.name, e));
    return { matchedCount: result.matchedCount, modifiedCount: result.modifiedCount, upsertedId: null };
  }

  async findOneAndUpdate(
    filter: Parameters<StoreCollection<T>['findOneAndUpdate']>[0],
    update: Parameters<StoreCollection<T>['findOneAndUpdate']>[1],
    options: { sort?: Record<string, 1 | -1>; upsert?: boolean; returnDocument?: 'before' | 'after' } = {},
  ): Promise<T | null> {
    const result = await this.raw
      .findOneAndUpdate(filter as Document, update as Document, {
        ...(options.sort ? { sort: options.sort } : {}),
        upsert: options.upsert ?? false,
        returnDocument: options.returnDocument ?? 'after',
        includeResultMetadata: false,
      })
      .catch((e: unknown) => translate(this.name, e));
    return (result ?? null) as T | null;
  }

  async deleteOne(filter: Parameters<StoreCollection<T>['deleteOne']>[0]): Promise<{ deletedCount: number }> {
    const result = await this.raw.deleteOne(filter as Document);
    return { deletedCount: result.deletedCount };
  }

  async deleteMany(filter: Parameters<StoreCollection<T>['deleteMany']>[0]): Promise<{ deletedCount: number }> {
    const result = await this.raw.deleteMany(filter as Document);
    return { deletedCount: result.deletedCount };
  }

  async createIndexes(indexes: IndexSpec[]): Promise<void> {
    const ferretdb = await this.isFerretDB();
    for (const spec of indexes) {
      // FerretDB filters in its own code after reading the table (only `_id` goes to SQL), so an index that
      // serves filters only is never read there and costs every write; unique ones enforce, sorting ones are read.
      if (ferretdb && !spec.unique && !spec.servesSort) {
        if (spec.expireAfterSeconds !== undefined)
          this.sweepInstead(Object.keys(spec.keys)[0]!, spec.expireAfterSeconds);
        continue;
      }
      const description = { key: spec.keys, name: indexName(spec), ...(spec.unique ? { unique: true } : {}) };
      if (spec.expireAfterSeconds === undefined) {
        await this.raw.createIndexes([description]);
        continue;
      }
      try {
        await this.raw.createIndexes([{ ...description, expireAfterSeconds: spec.expireAfterSeconds }]);
      } catch (error) {
        if (!(error instanceof MongoServerError && error.code === NOT_IMPLEMENTED)) throw error;
        await this.raw.createIndexes([description]);
        this.sweepInstead(Object.keys(spec.keys)[0]!, spec.expireAfterSeconds);
      }
    }
  }
}
