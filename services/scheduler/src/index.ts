import type { Service, ServiceContext } from '@hookline/runtime';
import { serviceRoutes } from './routes/index.js';

export const description = 'Time-based events: deadlines learnt from domain events, fired once across restarts and replicas';

/** The scheduler service. Its domain, routes and adapters grow in later issues. */
export function createSchedulerService(_context: ServiceContext): Service {
  return { name: 'scheduler', prefix: '/scheduler', routes: serviceRoutes };
}
