import type { Service, ServiceContext } from '@hookline/runtime';
import { serviceRoutes } from './routes/index.js';

export const description = 'Robolabs accounting records (invoices, partners, products) whose every write becomes a field-level change event';

/** The accounting service. Its domain, routes and adapters grow in later issues. */
export function createAccountingService(_context: ServiceContext): Service {
  return { name: 'accounting', prefix: '/accounting', routes: serviceRoutes };
}
