import type { Filter, UpdateFilter } from 'mongodb';

// The query and update languages are MongoDB's: both backends accept the same
// filters and update operators, so code written against the port runs on either.
export type { Filter, UpdateFilter } from 'mongodb';

/** Every stored document has a string `_id` chosen by the caller (no ObjectIds). */
export interface StoredDocument {
  _id: string;
}

export type SortSpec = Record<string, 1 | -1>;

export interface FindOptions {
  sort?: SortSpec;
  skip?: number;
  limit?: number;
  /** Inclusion (1) or exclusion (0) of fields, as in MongoDB. */
  projection?: Record<string, 0 | 1>;
}

export interface IndexSpec {
  keys: Record<string, 1 | -1>;
  name?: string;
  unique?: boolean;
  /** TTL: documents expire this many seconds after the date in the (single) indexed field. */
  expireAfterSeconds?: number;
  /**
   * The index's order serves a sort the application issues. A server that filters
   * without indexes (FerretDB) may still read such an index in order; the others,
   * there, would only cost every write, and are not created.
   */
  servesSort?: boolean;
}

/**
 * One write of a bulk: an insert, or an update or delete of one document by its
 * `_id`. Only `_id`-keyed writes, the one shape every MongoDB-compatible server
 * answers through its `_id` index whatever the collection's size.
 */
export type WriteById<T extends StoredDocument> =
  | { insertOne: { document: T } }
  | { updateOne: { filter: { _id: string }; update: UpdateFilter<T>; upsert?: boolean } }
  | { deleteOne: { filter: { _id: string } } };

export interface BulkWriteResult {
  insertedCount: number;
  matchedCount: number;
  modifiedCount: number;
  deletedCount: number;
  upsertedCount: number;
  /** `_id`s of inserts (and upserts) refused by a unique index: reported, not thrown. */
  duplicateIds: string[];
}

export interface InsertManyResult {
  /** With `ordered: false`, the `_id`s of documents refused by a unique index (none are thrown). */
  duplicateIds: string[];
}

export interface UpdateResult {
  matchedCount: number;
  modifiedCount: number;
  upsertedId: string | null;
}

/** A unique index refused a write (MongoDB error code 11000). */
export class DuplicateKeyError extends Error {
  readonly code = 11000;
  constructor(
    readonly collection: string,
    readonly index: string,
    message?: string,
  ) {
    super(message ?? `duplicate key in ${collection} (index ${index})`);
    this.name = 'DuplicateKeyError';
  }
}

export interface StoreCollection<T extends StoredDocument> {
  readonly name: string;
  insertOne(document: T): Promise<void>;
  /**
   * Ordered (the default): stops at the first duplicate and throws DuplicateKeyError.
   * `ordered: false`: inserts every document it can in one round trip and reports the
   * duplicates in `duplicateIds` instead of throwing.
   */
  insertMany(documents: T[], options?: { ordered?: boolean }): Promise<InsertManyResult>;
  findOne(filter: Filter<T>, options?: FindOptions): Promise<T | null>;
  find(filter: Filter<T>, options?: FindOptions): Promise<T[]>;
  countDocuments(filter: Filter<T>): Promise<number>;
  /**
   * On FerretDB an update reads the document and writes it whole: two clients
   * updating one document at once can lose one update. Writers that race on a
   * document serialize through a unique-key claim first (see the scheduler).
   */
  updateOne(filter: Filter<T>, update: UpdateFilter<T>, options?: { upsert?: boolean }): Promise<UpdateResult>;
  updateMany(filter: Filter<T>, update: UpdateFilter<T>): Promise<UpdateResult>;
  /**
   * Updates the first match (in `sort` order) and returns it before or after the update.
   * Atomic on MongoDB and embedded, but NOT under concurrency on FerretDB: for mutual
   * exclusion between processes, insert a document with a unique key (a claim) instead.
   */
  findOneAndUpdate(
    filter: Filter<T>,
    update: UpdateFilter<T>,
    options?: { sort?: SortSpec; upsert?: boolean; returnDocument?: 'before' | 'after' },
  ): Promise<T | null>;
  deleteOne(filter: Filter<T>): Promise<{ deletedCount: number }>;
  /**
   * Unordered `_id`-keyed writes in one round trip (MongoDB's bulkWrite): every write is
   * tried, duplicates are reported in `duplicateIds`, any other failure throws. Not a
   * transaction: writes that succeeded before a failure stay.
   */
  bulkWrite(writes: WriteById<T>[]): Promise<BulkWriteResult>;
  deleteMany(filter: Filter<T>): Promise<{ deletedCount: number }>;
  createIndexes(indexes: IndexSpec[]): Promise<void>;
}

/** The document store port: collections of documents with MongoDB semantics. */
export interface DocumentStore {
  /** `embedded`: in memory; `sqlite`: the durable embedded store on disk. */
  readonly backend: 'mongodb' | 'embedded' | 'sqlite';
  collection<T extends StoredDocument>(name: string): StoreCollection<T>;
  /** Resolves when the store answers (readiness). */
  ping(): Promise<void>;
  /**
   * Whether a filter is answered from indexes (MongoDB, the SQLite store, memory) rather
   * than by reading every document (FerretDB): there, a count costs the whole collection.
   */
  filtersByIndex(): Promise<boolean>;
  close(): Promise<void>;
}

export function indexName(spec: IndexSpec): string {
  return (
    spec.name ??
    Object.entries(spec.keys)
      .map(([field, direction]) => `${field}_${direction}`)
      .join('_')
  );
}
