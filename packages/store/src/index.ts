import { EmbeddedDocumentStore } from './embedded/index.js';
import { MongoDocumentStore, type MongoStoreOptions } from './mongodb/index.js';
import { SqliteDocumentStore, type SqliteStoreOptions } from './sqlite/index.js';
import type { DocumentStore } from './port.js';
import { tracedStore } from './traced.js';
import type { Meter } from '@hookline/telemetry';

export * from './port.js';
export { insertNew } from './idempotent.js';
export { tracedStore } from './traced.js';
export { EmbeddedDocumentStore } from './embedded/index.js';
export { MongoDocumentStore, type MongoStoreOptions } from './mongodb/index.js';
export { SqliteDocumentStore, loadSqlite, type SqliteStoreOptions } from './sqlite/index.js';

export type DocumentStoreConfig =
  { backend: 'embedded' } | ({ backend: 'sqlite' } & SqliteStoreOptions) | ({ backend: 'mongodb' } & MongoStoreOptions);

/**
 * The backend is chosen by configuration: MongoDB when a URI is configured, else SQLite in the
 * data directory, or in memory (embedded) for tests.
 * Either way operations are traced and counted (with `meter`).
 */
export function createDocumentStore(config: DocumentStoreConfig, meter?: Meter): DocumentStore {
  const store =
    config.backend === 'mongodb'
      ? new MongoDocumentStore(config)
      : config.backend === 'sqlite'
        ? new SqliteDocumentStore(config)
        : new EmbeddedDocumentStore();
  return tracedStore(store, meter);
}
