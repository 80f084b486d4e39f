import type { Service, ServiceContext } from '@hookline/runtime';
import { serviceRoutes } from './routes/index.js';

export const description = 'Conexa coworking billing and CRM: charges, customers, bookings, correspondence and leads';

/** The coworking service. Its domain, routes and adapters grow in later issues. */
export function createCoworkingService(_context: ServiceContext): Service {
  return { name: 'coworking', prefix: '/coworking', routes: serviceRoutes };
}
