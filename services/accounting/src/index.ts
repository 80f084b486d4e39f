import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requireCredentials } from '@hookline/auth';
import { createEventSourcing } from '@hookline/eventsourcing';
import { routesFrom } from '@hookline/http';
import type { Service, ServiceContext } from '@hookline/runtime';
import type { AccountingOptions } from './api.js';
import { Records } from './application/records.js';

export { about } from './about.js';
export { Records } from './application/records.js';

export interface AccountingService extends Service {
  records: Records;
}

/**
 * The accounting service (Robolabs): partners, products and invoices whose
 * every write appends an event with the record before and after; the outbox
 * relay publishes them to `hookline.accounting`. Routes under `src/routes/`.
 */
export function createAccountingService(context: ServiceContext): AccountingService {
  const es = createEventSourcing(context, { collection: 'accounting_events', source: '/hookline/accounting' });
  const records = new Records(es, context.store);
  const options: AccountingOptions = { context, records };
  return {
    name: 'accounting',
    prefix: '/accounting',
    routes: async (app) => {
      // A tenant API key acts for its own tenant; the service credential for the tenant it names.
      requireCredentials(app, ['tenant', 'service']);
      await app.register(routesFrom(join(dirname(fileURLToPath(import.meta.url)), 'routes'), options));
    },
    records,
    start: async () => {
      await records.ensureIndexes();
      await es.start();
    },
    stop: () => es.stop(),
  };
}
