// `npm run infra:start|stop|status`: the test servers by hand, e.g. to keep them
// up between test runs (export the printed variables to reuse them).
// HOOKLINE_MONGO_SERVER=ferretdb-sqlite|ferretdb-postgresql picks the
// MongoDB-compatible server (see README.md).
import { ensureInfra, infraStatus, selectedMongoServer, stopInfra } from './infra.js';

const command = process.argv[2];
if (command === 'start') {
  const server = selectedMongoServer();
  const infra = await ensureInfra();
  process.stderr.write(
    `[infra] MongoDB-compatible server: ${server}${process.env.MONGODB_URI ? ' (not started: MONGODB_URI names a server)' : ''}\n`,
  );
  process.stdout.write(
    `export KAFKA_BROKERS=${infra.kafkaBrokers}\nexport MONGODB_URI=${infra.mongodbUri}\nexport HOOKLINE_MONGO_SERVER=${server}\n`,
  );
} else if (command === 'stop') {
  await stopInfra();
} else if (command === 'status') {
  process.stdout.write(`${JSON.stringify(await infraStatus(), null, 2)}\n`);
} else {
  process.stderr.write('usage: infra start | stop | status\n');
  process.exit(2);
}
