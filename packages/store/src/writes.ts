// insertMany's and bulkWrite's MongoDB semantics over a backend's own one-document writes, shared by
// the backends that apply writes themselves (embedded, sqlite; sqlite runs a batch in one transaction).
import type { BulkWriteResult, InsertManyResult, StoredDocument, UpdateResult, WriteById } from './port.js';
import { DuplicateKeyError } from './port.js';
import type { AnyDoc, Filter, Update } from './updates.js';

/** A backend's synchronous one-document writes, each atomic. */
export interface DocumentWrites {
  insert(document: AnyDoc): unknown;
  update(filter: Filter, update: Update, upsert: boolean): UpdateResult;
  /** How many documents were deleted: 0 or 1. */
  deleteById(id: string): number;
}

/** insertMany: in order; ordered (the default), a failure stops it; unordered, duplicates are reported and the rest go in. */
export function insertEach(
  documents: StoredDocument[],
  ordered: boolean | undefined,
  insert: DocumentWrites['insert'],
): InsertManyResult {
  const duplicateIds: string[] = [];
  for (const document of documents) {
    try {
      insert(document as unknown as AnyDoc);
    } catch (error) {
      if (ordered !== false || !(error instanceof DuplicateKeyError)) throw error;
      duplicateIds.push(document._id);
    }
  }
  return { duplicateIds };
}

/** bulkWrite: every write is tried in order; a duplicate key is reported by `_id`, any other failure throws. */
export function writeEach<T extends StoredDocument>(writes: WriteById<T>[], target: DocumentWrites): BulkWriteResult {
  const result: BulkWriteResult = {
    insertedCount: 0,
    matchedCount: 0,
    modifiedCount: 0,
    deletedCount: 0,
    upsertedCount: 0,
    duplicateIds: [],
  };
  for (const write of writes) {
    try {
      if ('insertOne' in write) {
        target.insert(write.insertOne.document as unknown as AnyDoc);
        result.insertedCount++;
      } else if ('updateOne' in write) {
        const { filter, update, upsert } = write.updateOne;
        const updated = target.update(filter, update as Update, upsert ?? false);
        result.matchedCount += updated.matchedCount;
        result.modifiedCount += updated.modifiedCount;
        if (updated.upsertedId !== null) result.upsertedCount++;
      } else {
        result.deletedCount += target.deleteById(write.deleteOne.filter._id);
      }
    } catch (error) {
      if (!(error instanceof DuplicateKeyError)) throw error;
      result.duplicateIds.push(
        'insertOne' in write
          ? write.insertOne.document._id
          : 'updateOne' in write
            ? write.updateOne.filter._id
            : write.deleteOne.filter._id,
      );
    }
  }
  return result;
}
