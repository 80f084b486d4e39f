import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requireCredentials } from '@hookline/auth';
import { createEventSourcing } from '@hookline/eventsourcing';
import { routesFrom } from '@hookline/http';
import type { Service, ServiceContext } from '@hookline/runtime';
import type { CoworkingOptions } from './api.js';
import { CoworkingRecords } from './application/records.js';
import { loadCoworkingConfig } from './config.js';

export { about } from './about.js';
export { CoworkingRecords } from './application/records.js';
export { coworkingEnv, loadCoworkingConfig, type CoworkingConfig } from './config.js';

export interface CoworkingService extends Service {
  records: CoworkingRecords;
}

/**
 * The coworking service (Conexa): charges, expenses, customers, persons,
 * bookings, customer service, correspondence and leads as event-sourced
 * aggregates; the outbox relay publishes to `hookline.coworking`. Its clock is
 * written as Conexa writes date-times, in COWORKING_TIME_ZONE.
 */
export function createCoworkingService(context: ServiceContext, options: { now?: () => Date } = {}): CoworkingService {
  const config = loadCoworkingConfig(context.env);
  const es = createEventSourcing(context, { collection: 'coworking_events', source: '/hookline/coworking' });
  const records = new CoworkingRecords(es, config.COWORKING_TIME_ZONE, options.now);
  const routeOptions: CoworkingOptions = { context, records };
  return {
    name: 'coworking',
    prefix: '/coworking',
    routes: async (app) => {
      // A tenant API key acts for its own tenant; the service credential for the tenant it names.
      requireCredentials(app, ['tenant', 'service']);
      await app.register(routesFrom(join(dirname(fileURLToPath(import.meta.url)), 'routes'), routeOptions));
    },
    records,
    start: () => es.start(),
    stop: () => es.stop(),
  };
}
