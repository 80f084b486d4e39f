import { EmbeddedDocumentStore } from './embedded/index.js';
import { MongoDocumentStore, type MongoStoreOptions } from './mongodb/index.js';
import type { DocumentStore } from './port.js';
import { tracedStore } from './traced.js';
import type { Meter } from '@hookline/telemetry';

export * from './port.js';
export { insertNew } from './idempotent.js';
export { tracedStore } from './traced.js';
export { EmbeddedDocumentStore } from './embedded/index.js';
export { MongoDocumentStore, type MongoStoreOptions } from './mongodb/index.js';

export type DocumentStoreConfig = { backend: 'embedded' } | ({ backend: 'mongodb' } & MongoStoreOptions);

/**
 * The backend is chosen by configuration: MongoDB when a URI is configured, embedded otherwise.
 * Either way operations are traced and counted (with `meter`).
 */
export function createDocumentStore(config: DocumentStoreConfig, meter?: Meter): DocumentStore {
  return tracedStore(config.backend === 'mongodb' ? new MongoDocumentStore(config) : new EmbeddedDocumentStore(), meter);
}
