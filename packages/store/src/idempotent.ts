import { DuplicateKeyError, type StoreCollection, type StoredDocument } from './port.js';

/**
 * Inserts what is new and reports what already existed: the write of a consumer
 * that may see the same input twice (at-least-once delivery, replays).
 * `existing` may include documents the failed ordered batch wrote just before
 * the duplicate: callers must treat "existing" as "already stored", not as
 * "stored by someone else".
 */
export async function insertNew<T extends StoredDocument>(collection: StoreCollection<T>, documents: T[]): Promise<{ inserted: T[]; existing: T[] }> {
  if (documents.length === 0) return { inserted: [], existing: [] };
  try {
    await collection.insertMany(documents);
    return { inserted: documents, existing: [] };
  } catch (error) {
    if (!(error instanceof DuplicateKeyError)) throw error;
  }
  // Some were there already (and an ordered batch stopped at the first): one by one.
  const inserted: T[] = [];
  const existing: T[] = [];
  for (const document of documents) {
    try {
      await collection.insertOne(document);
      inserted.push(document);
    } catch (error) {
      if (!(error instanceof DuplicateKeyError)) throw error;
      existing.push(document);
    }
  }
  return { inserted, existing };
}
