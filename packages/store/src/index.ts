import { EmbeddedDocumentStore } from './embedded/index.js';
import { MongoDocumentStore, type MongoStoreOptions } from './mongodb/index.js';
import type { DocumentStore } from './port.js';

export * from './port.js';
export { insertNew } from './idempotent.js';
export { EmbeddedDocumentStore } from './embedded/index.js';
export { MongoDocumentStore, type MongoStoreOptions } from './mongodb/index.js';

export type DocumentStoreConfig = { backend: 'embedded' } | ({ backend: 'mongodb' } & MongoStoreOptions);

/** The backend is chosen by configuration: MongoDB when a URI is configured, embedded otherwise. */
export function createDocumentStore(config: DocumentStoreConfig): DocumentStore {
  return config.backend === 'mongodb' ? new MongoDocumentStore(config) : new EmbeddedDocumentStore();
}
