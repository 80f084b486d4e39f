import type { Service, ServiceContext } from '@hookline/runtime';
import { serviceRoutes } from './routes/index.js';

export const description = 'BIYRO freelance marketplace: offers, projects, add-ons, payments and support periods as event-sourced aggregates';

/** The marketplace service. Its domain, routes and adapters grow in later issues. */
export function createMarketplaceService(_context: ServiceContext): Service {
  return { name: 'marketplace', prefix: '/marketplace', routes: serviceRoutes };
}
