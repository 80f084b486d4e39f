// In-memory backend with MongoDB query and update semantics (mingo), unique and
// TTL indexes: the zero-setup mode and fast unit tests. Nothing is persisted.
import { randomUUID } from 'node:crypto';
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
  getPath,
  sameDocument,
  updatedDocument,
  upsertedDocument,
  type AnyDoc,
  type Filter,
  type Update,
} from '../updates.js';
import { insertEach, writeEach, type DocumentWrites } from '../writes.js';

export class EmbeddedDocumentStore implements DocumentStore {
  readonly backend = 'embedded' as const;
  private readonly collections = new Map<string, EmbeddedCollection<StoredDocument>>();
  private closed = false;

  constructor(private readonly now: () => number = Date.now) {}

  collection<T extends StoredDocument>(name: string): StoreCollection<T> {
    let collection = this.collections.get(name);
    if (!collection) {
      collection = new EmbeddedCollection(name, this.now);
      this.collections.set(name, collection);
    }
    return collection as unknown as StoreCollection<T>;
  }

  /** In memory: every filter is a scan, of a store that only tests fill. */
  async filtersByIndex(): Promise<boolean> {
    return true;
  }

  async ping(): Promise<void> {
    if (this.closed) throw new Error('document store is closed');
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

interface UniqueIndex {
  name: string;
  fields: string[];
  /** Serialized key → _id of the document holding it. */
  entries: Map<string, string>;
}

function serializeKey(values: unknown[]): string {
  // A missing field indexes as null, as in MongoDB.
  return JSON.stringify(values.map((v) => (v === undefined ? null : v instanceof Date ? { $date: v.getTime() } : v)));
}

class EmbeddedCollection<T extends StoredDocument> implements StoreCollection<T> {
  private readonly documents = new Map<string, AnyDoc>();
  private readonly unique = new Map<string, UniqueIndex>();
  private readonly ttl: { field: string; seconds: number }[] = [];
  /** The one-document writes insertMany and bulkWrite are made of. */
  private readonly writes: DocumentWrites = {
    insert: (document) => this.insert(document),
    update: (filter, update, upsert) => this.update(filter, update, upsert),
    deleteById: (id) => this.deleteFirst({ _id: id }),
  };

  constructor(
    readonly name: string,
    private readonly now: () => number,
  ) {}

  async insertOne(document: T): Promise<void> {
    this.insert(document as unknown as AnyDoc);
  }

  async insertMany(documents: T[], options: { ordered?: boolean } = {}): Promise<InsertManyResult> {
    return insertEach(documents, options.ordered, this.writes.insert);
  }

  async bulkWrite(writes: WriteById<T>[]): Promise<BulkWriteResult> {
    return writeEach(writes, this.writes);
  }

  async findOne(filter: object, options: FindOptions = {}): Promise<T | null> {
    return this.select(filter as Filter, { ...options, limit: 1 })[0] ?? null;
  }

  async find(filter: object, options: FindOptions = {}): Promise<T[]> {
    return this.select(filter as Filter, options);
  }

  async countDocuments(filter: object): Promise<number> {
    return this.matching(filter as Filter).length;
  }

  async updateOne(filter: object, update: object, options: { upsert?: boolean } = {}): Promise<UpdateResult> {
    return this.update(filter as Filter, update as Update, options.upsert ?? false);
  }

  async updateMany(filter: object, update: object): Promise<UpdateResult> {
    const targets = this.matching(filter as Filter);
    let modifiedCount = 0;
    for (const target of targets) if (this.apply(target, update as Update)) modifiedCount++;
    return { matchedCount: targets.length, modifiedCount, upsertedId: null };
  }

  async findOneAndUpdate(
    filter: object,
    update: object,
    options: { sort?: SortSpec; upsert?: boolean; returnDocument?: 'before' | 'after' } = {},
  ): Promise<T | null> {
    const [target] = options.sort
      ? this.sorted(this.matching(filter as Filter), options.sort)
      : this.matching(filter as Filter);
    const returnAfter = (options.returnDocument ?? 'after') === 'after';
    if (!target) {
      if (!options.upsert) return null;
      const inserted = this.upsert(filter as Filter, update as Update);
      return returnAfter ? (structuredClone(inserted) as unknown as T) : null;
    }
    const before = structuredClone(target);
    this.apply(target, update as Update);
    return structuredClone(returnAfter ? this.documents.get(target._id)! : before) as unknown as T;
  }

  async deleteOne(filter: object): Promise<{ deletedCount: number }> {
    return { deletedCount: this.deleteFirst(filter as Filter) };
  }

  async deleteMany(filter: object): Promise<{ deletedCount: number }> {
    const targets = this.matching(filter as Filter);
    for (const target of targets) this.remove(target);
    return { deletedCount: targets.length };
  }

  async createIndexes(indexes: IndexSpec[]): Promise<void> {
    for (const spec of indexes) {
      const name = indexName(spec);
      if (spec.expireAfterSeconds !== undefined) {
        const field = Object.keys(spec.keys)[0]!;
        if (!this.ttl.some((t) => t.field === field)) this.ttl.push({ field, seconds: spec.expireAfterSeconds });
      }
      if (!spec.unique || this.unique.has(name)) continue;
      const index: UniqueIndex = { name, fields: Object.keys(spec.keys), entries: new Map() };
      for (const document of this.documents.values()) {
        const key = serializeKey(index.fields.map((f) => getPath(document, f)));
        if (index.entries.has(key))
          throw new DuplicateKeyError(this.name, name, `cannot build unique index ${name}: duplicate ${key}`);
        index.entries.set(key, document._id);
      }
      this.unique.set(name, index);
    }
  }

  // ---------- internals (synchronous, so every operation is atomic) ----------

  private expire() {
    if (this.ttl.length === 0) return;
    const now = this.now();
    for (const document of [...this.documents.values()]) {
      for (const { field, seconds } of this.ttl) {
        const value = getPath(document, field);
        if (value instanceof Date && value.getTime() + seconds * 1000 <= now) {
          this.remove(document);
          break;
        }
      }
    }
  }

  private matching(filter: Filter): AnyDoc[] {
    this.expire();
    const id = filter._id;
    if (typeof id === 'string' && Object.keys(filter).length === 1) {
      const document = this.documents.get(id);
      return document ? [document] : [];
    }
    const query = new Query(filter);
    return [...this.documents.values()].filter((d) => query.test(d));
  }

  private sorted(documents: AnyDoc[], sort: SortSpec): AnyDoc[] {
    return mingoFind(documents, {}).sort(sort).all() as AnyDoc[];
  }

  private select(filter: Filter, options: FindOptions): T[] {
    let cursor = mingoFind(this.matching(filter), {}, options.projection);
    if (options.sort) cursor = cursor.sort(options.sort);
    if (options.skip) cursor = cursor.skip(options.skip);
    if (options.limit) cursor = cursor.limit(options.limit);
    return cursor.all().map((d) => structuredClone(d) as unknown as T);
  }

  private checkUnique(candidate: AnyDoc) {
    for (const index of this.unique.values()) {
      const holder = index.entries.get(serializeKey(index.fields.map((f) => getPath(candidate, f))));
      if (holder !== undefined && holder !== candidate._id) {
        throw new DuplicateKeyError(
          this.name,
          index.name,
          `E11000 duplicate key error collection: ${this.name} index: ${index.name}`,
        );
      }
    }
  }

  private index(document: AnyDoc, add: boolean) {
    for (const index of this.unique.values()) {
      const key = serializeKey(index.fields.map((f) => getPath(document, f)));
      if (add) index.entries.set(key, document._id);
      else if (index.entries.get(key) === document._id) index.entries.delete(key);
    }
  }

  private insert(input: AnyDoc): AnyDoc {
    const document = structuredClone({ ...input, _id: input._id ?? randomUUID() }) as AnyDoc;
    if (this.documents.has(document._id)) {
      throw new DuplicateKeyError(this.name, '_id_', `E11000 duplicate key error collection: ${this.name} index: _id_`);
    }
    this.checkUnique(document);
    this.documents.set(document._id, document);
    this.index(document, true);
    return document;
  }

  private remove(document: AnyDoc) {
    this.index(document, false);
    this.documents.delete(document._id);
  }

  /** Applies an update to a stored document; false when nothing changed. */
  private apply(target: AnyDoc, update: Update): boolean {
    const next = updatedDocument(this.name, target, update);
    if (sameDocument(next, target)) return false;
    this.checkUnique(next);
    this.index(target, false);
    this.documents.set(target._id, next);
    this.index(next, true);
    return true;
  }

  private update(filter: Filter, update: Update, upsert: boolean): UpdateResult {
    const [target] = this.matching(filter);
    if (!target) {
      if (!upsert) return { matchedCount: 0, modifiedCount: 0, upsertedId: null };
      const inserted = this.upsert(filter, update);
      return { matchedCount: 0, modifiedCount: 0, upsertedId: inserted._id };
    }
    const modified = this.apply(target, update);
    return { matchedCount: 1, modifiedCount: modified ? 1 : 0, upsertedId: null };
  }

  /** Deletes the first document `filter` matches; how many were deleted (0 or 1). */
  private deleteFirst(filter: Filter): number {
    const [target] = this.matching(filter);
    if (!target) return 0;
    this.remove(target);
    return 1;
  }

  private upsert(filter: Filter, update: Update): AnyDoc {
    return this.insert(upsertedDocument(filter, update));
  }
}
