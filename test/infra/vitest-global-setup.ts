// Vitest global setup for projects with integration tests: the real servers,
// started once (or taken from KAFKA_BROKERS / MONGODB_URI), their addresses
// passed to the test workers through the environment.
import { ensureInfra, stopInfra } from './infra.js';

export default async function setup() {
  const infra = await ensureInfra();
  process.env.KAFKA_BROKERS = infra.kafkaBrokers;
  process.env.MONGODB_URI = infra.mongodbUri;
  return async () => {
    if (process.env.HOOKLINE_KEEP_INFRA === '1') return;
    if (infra.started.kafka || infra.started.mongo) await stopInfra(infra.started);
  };
}
