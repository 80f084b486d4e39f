import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { routesFrom } from '@hookline/http';
import type { Service, ServiceContext } from '@hookline/runtime';

export { about } from './about.js';

/** The scheduler service: routes under `src/routes/` by folder (fastify-autoload). */
export function createSchedulerService(context: ServiceContext): Service {
  const routes = join(dirname(fileURLToPath(import.meta.url)), 'routes');
  return { name: 'scheduler', prefix: '/scheduler', routes: routesFrom(routes, { context }) };
}
