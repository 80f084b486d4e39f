import { EmbeddedEventBus } from './embedded/index.js';
import { KafkaEventBus, type KafkaEventBusOptions } from './kafka/index.js';
import type { EventBus } from './port.js';

export * from './port.js';
export { EmbeddedEventBus, partitionForKey } from './embedded/index.js';
export { KafkaEventBus, type KafkaEventBusOptions } from './kafka/index.js';

export type EventBusConfig = { backend: 'embedded'; partitions?: number } | ({ backend: 'kafka' } & KafkaEventBusOptions);

/** The backend is chosen by configuration: Kafka when brokers are configured, embedded otherwise. */
export function createEventBus(config: EventBusConfig): EventBus {
  return config.backend === 'kafka' ? new KafkaEventBus(config) : new EmbeddedEventBus(config.partitions);
}
