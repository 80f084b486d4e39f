// Client spans and an operation counter around any DocumentStore backend. A
// span is recorded only inside a traced operation (a request, a relay batch, a
// delivery attempt), never for background polls alone, which would each start
// a trace of their own; the counter counts every operation.
import { hasSpan, inSpan, SpanKind, type Meter } from '@hookline/telemetry';
import { DuplicateKeyError, type DocumentStore, type StoreCollection, type StoredDocument } from './port.js';

const operations = [
  'insertOne',
  'insertMany',
  'findOne',
  'find',
  'countDocuments',
  'updateOne',
  'updateMany',
  'findOneAndUpdate',
  'deleteOne',
  'deleteMany',
  'bulkWrite',
  'createIndexes',
] as const satisfies readonly (keyof StoreCollection<StoredDocument>)[];

export function tracedStore(store: DocumentStore, meter?: Meter): DocumentStore {
  const counter = meter?.createCounter('hookline.store.operations', {
    description: 'Document store operations (MongoDB commands) by collection and operation',
    unit: '{operation}',
  });
  const system = store.backend === 'embedded' ? 'hookline-embedded' : store.backend;
  const wrap = <T extends StoredDocument>(collection: StoreCollection<T>): StoreCollection<T> => {
    const traced: Record<string, unknown> = { name: collection.name };
    for (const operation of operations) {
      const method = (collection[operation] as (...args: unknown[]) => Promise<unknown>).bind(collection);
      traced[operation] = (...args: unknown[]) => {
        counter?.add(1, { 'db.collection.name': collection.name, 'db.operation.name': operation });
        if (!hasSpan()) return method(...args);
        return inSpan(
          `${operation} ${collection.name}`,
          {
            kind: SpanKind.CLIENT,
            attributes: {
              'db.system.name': system,
              'db.collection.name': collection.name,
              'db.operation.name': operation,
            },
          },
          // A duplicate key is an answer the callers expect (claims, idempotent inserts), not a failure.
          (span) =>
            method(...args).catch((error: unknown) => {
              if (error instanceof DuplicateKeyError) span.setAttribute('db.response.status_code', '11000');
              throw error;
            }),
        );
      };
    }
    return traced as unknown as StoreCollection<T>;
  };
  return {
    get backend() {
      return store.backend;
    },
    collection: <T extends StoredDocument>(name: string) => wrap(store.collection<T>(name)),
    ping: () => store.ping(),
    filtersByIndex: () => store.filtersByIndex(),
    close: () => store.close(),
  };
}
