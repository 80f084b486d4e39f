import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { routesFrom } from '@hookline/http';
import type { Service, ServiceContext } from '@hookline/runtime';
import { Dispatcher } from './application/dispatcher.js';
import { loadDispatcherConfig } from './config.js';

export { about } from './about.js';
export { Dispatcher, type DispatcherOptions } from './application/dispatcher.js';
export { connectionInputSchema, NotFoundError, type ConnectionInput, type TestResult } from './application/operations.js';
export * from './domain/connection.js';
export * from './domain/delivery.js';
export { platformEvents, platformTopic } from './domain/platform-events.js';
export { USER_AGENT, UNIQUE_KEY_HEADER } from './application/sender.js';

export interface DispatcherService extends Service {
  dispatcher: Dispatcher;
}

/** The dispatcher service: consumes the domain topics and delivers webhooks; routes under `src/routes/`. */
export function createDispatcherService(context: ServiceContext): DispatcherService {
  const config = loadDispatcherConfig(context.env);
  const dispatcher = new Dispatcher({
    bus: context.bus,
    store: context.store,
    logger: context.logger.child({ component: 'dispatcher' }),
    topics: config.DISPATCHER_TOPIC_PATTERN ? new RegExp(config.DISPATCHER_TOPIC_PATTERN) : config.DISPATCHER_TOPICS,
    groupId: config.DISPATCHER_GROUP_ID,
    ...(config.DISPATCHER_INSTANCE_ID ? { instanceId: config.DISPATCHER_INSTANCE_ID } : {}),
    pollIntervalMs: config.DISPATCHER_POLL_MS,
    retentionDays: config.DELIVERY_RETENTION_DAYS,
  });
  const routes = join(dirname(fileURLToPath(import.meta.url)), 'routes');
  return {
    name: 'dispatcher',
    prefix: '/dispatcher',
    routes: routesFrom(routes, { context, dispatcher }),
    dispatcher,
    start: () => dispatcher.start(),
    stop: () => dispatcher.stop(),
  };
}
