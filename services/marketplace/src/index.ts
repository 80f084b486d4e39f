import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requireCredentials } from '@hookline/auth';
import { createEventSourcing } from '@hookline/eventsourcing';
import { routesFrom } from '@hookline/http';
import type { Service, ServiceContext } from '@hookline/runtime';
import type { MarketplaceOptions } from './api.js';
import { Projects } from './application/projects.js';

export { about } from './about.js';
export { Projects } from './application/projects.js';

export interface MarketplaceService extends Service {
  projects: Projects;
}

/**
 * The marketplace service (BIYRO): the project lifecycle as an event-sourced
 * aggregate; the outbox relay publishes its events to `hookline.marketplace`.
 * Routes under `src/routes/`.
 */
export function createMarketplaceService(
  context: ServiceContext,
  options: { now?: () => Date } = {},
): MarketplaceService {
  const es = createEventSourcing(context, { collection: 'marketplace_events', source: '/hookline/marketplace' });
  const projects = new Projects(es, context.store, options.now);
  const routeOptions: MarketplaceOptions = { context, projects };
  return {
    name: 'marketplace',
    prefix: '/marketplace',
    routes: async (app) => {
      // A tenant API key acts for its own tenant; the service credential for the tenant it names.
      requireCredentials(app, ['tenant', 'service']);
      await app.register(routesFrom(join(dirname(fileURLToPath(import.meta.url)), 'routes'), routeOptions));
    },
    projects,
    start: async () => {
      await projects.ensureIndexes();
      await es.start();
    },
    stop: () => es.stop(),
  };
}
