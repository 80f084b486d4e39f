import type { StoreCollection, StoredDocument } from './port.js';

/**
 * Inserts what is new and reports what already existed, in one unordered write:
 * the write of a consumer that may see the same input twice (at-least-once
 * delivery, replays).
 */
export async function insertNew<T extends StoredDocument>(
  collection: StoreCollection<T>,
  documents: T[],
): Promise<{ inserted: T[]; existing: T[] }> {
  if (documents.length === 0) return { inserted: [], existing: [] };
  const { duplicateIds } = await collection.insertMany(documents, { ordered: false });
  if (duplicateIds.length === 0) return { inserted: documents, existing: [] };
  const duplicates = new Set(duplicateIds);
  return {
    inserted: documents.filter((d) => !duplicates.has(d._id)),
    existing: documents.filter((d) => duplicates.has(d._id)),
  };
}
