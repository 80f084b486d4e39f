import { EmbeddedEventBus } from './embedded/index.js';
import { KafkaEventBus, type KafkaEventBusOptions } from './kafka/index.js';
import { SqliteEventBus, type SqliteEventBusOptions } from './sqlite/index.js';
import type { EventBus } from './port.js';
import { tracedBus } from './traced.js';
import type { Meter } from '@hookline/telemetry';

export * from './port.js';
export { EmbeddedEventBus, partitionForKey } from './embedded/index.js';
export { KafkaEventBus, type KafkaEventBusOptions } from './kafka/index.js';
export { SqliteEventBus, type SqliteEventBusOptions } from './sqlite/index.js';
export { tracedBus, processMessage, messageTraceContext } from './traced.js';

export type EventBusConfig =
  | { backend: 'embedded'; partitions?: number }
  | ({ backend: 'sqlite' } & SqliteEventBusOptions)
  | ({ backend: 'kafka' } & KafkaEventBusOptions);

/**
 * The backend is chosen by configuration: Kafka when brokers are configured, else SQLite in the
 * data directory, or in memory (embedded) for tests.
 * Either way publishing is traced and consumer lag is measured (with `meter`).
 */
export function createEventBus(config: EventBusConfig, meter?: Meter): EventBus {
  const bus =
    config.backend === 'kafka'
      ? new KafkaEventBus(config)
      : config.backend === 'sqlite'
        ? new SqliteEventBus(config)
        : new EmbeddedEventBus(config.partitions);
  return tracedBus(bus, meter);
}
