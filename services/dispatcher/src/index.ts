import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requireCredentials } from '@hookline/auth';
import { routesFrom } from '@hookline/http';
import type { Service, ServiceContext } from '@hookline/runtime';
import type { FastifyPluginAsync } from 'fastify';
import type { ApiOptions } from './api.js';
import { Dispatcher } from './application/dispatcher.js';
import { EventTypeRegistry } from './application/event-types.js';
import { Tenants } from './application/tenants.js';
import { loadDispatcherConfig } from './config.js';

export { about } from './about.js';
export { Dispatcher, type DispatcherOptions } from './application/dispatcher.js';
export { EventTypeRegistry } from './application/event-types.js';
export { Tenants } from './application/tenants.js';
export { connectionInputSchema, type ConnectionInput, type TestResult } from './application/operations.js';
export * from './domain/connection.js';
export * from './domain/delivery.js';
export { platformEvents, platformTopic } from './domain/platform-events.js';
export { USER_AGENT, UNIQUE_KEY_HEADER } from './domain/webhook-request.js';

export interface DispatcherService extends Service {
  dispatcher: Dispatcher;
  tenants: Tenants;
  eventTypes: EventTypeRegistry;
}

/**
 * The dispatcher service: consumes the domain topics and delivers webhooks,
 * and serves the management API under /v1 (routes by folder in `src/routes/`).
 */
export function createDispatcherService(context: ServiceContext): DispatcherService {
  const config = loadDispatcherConfig(context.env);
  const eventTypes = new EventTypeRegistry(context.store);
  const tenants = new Tenants(context.store, context.auth.apiKeys);
  const dispatcher = new Dispatcher({
    bus: context.bus,
    store: context.store,
    logger: context.logger.child({ component: 'dispatcher' }),
    topics: config.DISPATCHER_TOPIC_PATTERN ? new RegExp(config.DISPATCHER_TOPIC_PATTERN) : config.DISPATCHER_TOPICS,
    groupId: config.DISPATCHER_GROUP_ID,
    deliveriesTopic: config.DISPATCHER_DELIVERIES_TOPIC,
    ...(config.DISPATCHER_INSTANCE_ID ? { instanceId: config.DISPATCHER_INSTANCE_ID } : {}),
    spillAfterMs: config.DISPATCHER_SPILL_AFTER_MS,
    lanes: {
      maxInFlight: config.DISPATCHER_MAX_IN_FLIGHT,
      maxInFlightPerTenant: config.DISPATCHER_MAX_IN_FLIGHT_PER_TENANT,
    },
    retentionDays: config.DELIVERY_RETENTION_DAYS,
    urlAllowlist: config.HOOKLINE_URL_ALLOWLIST,
    lookup: eventTypes.lookup,
    refreshTypes: () => eventTypes.refresh(),
    meter: context.meter,
  });
  const options: ApiOptions = { context, dispatcher, tenants, eventTypes, config };
  const routes: FastifyPluginAsync = async (app) => {
    // Tenant keys, each for its own tenant; the admin routes say so themselves. (Counted by the process's gate.)
    requireCredentials(app, ['tenant']);
    await app.register(routesFrom(join(dirname(fileURLToPath(import.meta.url)), 'routes'), options));
  };
  return {
    name: 'dispatcher',
    prefix: '/v1',
    routes,
    dispatcher,
    tenants,
    eventTypes,
    start: async () => {
      await tenants.ensureIndexes();
      await eventTypes.refresh();
      await dispatcher.start();
    },
    stop: () => dispatcher.stop(),
  };
}
