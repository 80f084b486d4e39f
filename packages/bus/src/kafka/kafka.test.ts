// Runs against the real Kafka broker provisioned by test/infra (or KAFKA_BROKERS).
import { eventBusContract } from '../contract.js';
import { KafkaEventBus } from './index.js';

const brokers = (process.env.KAFKA_BROKERS ?? '').split(',').filter(Boolean);
if (brokers.length === 0) throw new Error('KAFKA_BROKERS is not set: the infra global setup should have started Kafka');

eventBusContract('kafka', () => new KafkaEventBus({ brokers, clientId: 'bus-contract' }));
