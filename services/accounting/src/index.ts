import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { routesFrom } from '@hookline/http';
import type { Service, ServiceContext } from '@hookline/runtime';

export { about } from './about.js';

/** The accounting service: routes under `src/routes/` by folder (fastify-autoload). */
export function createAccountingService(context: ServiceContext): Service {
  const routes = join(dirname(fileURLToPath(import.meta.url)), 'routes');
  return { name: 'accounting', prefix: '/accounting', routes: routesFrom(routes, { context }) };
}
