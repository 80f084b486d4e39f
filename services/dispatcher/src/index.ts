import type { Service, ServiceContext } from '@hookline/runtime';
import { serviceRoutes } from './routes/index.js';

export const description = 'Consumes domain events and delivers them as signed webhooks with retry and blocking';

/** The dispatcher service. Its domain, routes and adapters grow in later issues. */
export function createDispatcherService(_context: ServiceContext): Service {
  return { name: 'dispatcher', prefix: '/dispatcher', routes: serviceRoutes };
}
