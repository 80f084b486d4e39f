// `npm run infra:start|stop|status`: the test servers by hand, e.g. to keep them
// up between test runs (export the printed variables to reuse them).
import { ensureInfra, infraStatus, stopInfra } from './infra.js';

const command = process.argv[2];
if (command === 'start') {
  const infra = await ensureInfra();
  process.stdout.write(`export KAFKA_BROKERS=${infra.kafkaBrokers}\nexport MONGODB_URI=${infra.mongodbUri}\n`);
} else if (command === 'stop') {
  await stopInfra();
} else if (command === 'status') {
  process.stdout.write(`${JSON.stringify(await infraStatus(), null, 2)}\n`);
} else {
  process.stderr.write('usage: infra start | stop | status\n');
  process.exit(2);
}
