import type { Server } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requireCredentials } from '@hookline/auth';
import { ConfigError } from '@hookline/config';
import { routesFrom } from '@hookline/http';
import type { Service, ServiceContext } from '@hookline/runtime';
import type { FastifyPluginAsync } from 'fastify';
import type { SchedulerRouteOptions } from './api.js';
import { Scheduler } from './application/scheduler.js';
import { loadSchedulerConfig } from './config.js';
import type { OwningService } from './domain/index.js';

export { about } from './about.js';
export { Scheduler, type SchedulerOptions } from './application/scheduler.js';
export { schedulerEnv, loadSchedulerConfig, type SchedulerConfig } from './config.js';
export type { TimerDocument, ClaimDocument } from './adapters/scheduler-store.js';
export * from './domain/index.js';

export interface SchedulerService extends Service {
  scheduler: Scheduler;
}

/**
 * The scheduler service: learns deadlines from the domain events (a consumer
 * group over `SCHEDULER_TOPICS`), keeps them as timers in the document store, and
 * when one falls due asks the owning service to act. `now` is the clock (tests
 * inject theirs). Routes under `src/routes/`.
 */
export function createSchedulerService(context: ServiceContext, options: { now?: () => Date } = {}): SchedulerService {
  const config = loadSchedulerConfig(context.env);
  // Owning services default to this process: the all-in-one platform serves them all.
  // The address is read when a call goes out, so a port chosen at listen time (PORT=0) is found.
  let server: Server | undefined;
  const selfUrl = () => {
    const address = server?.address();
    const port = address && typeof address === 'object' ? address.port : context.config.PORT;
    const host = ['0.0.0.0', '::', ''].includes(context.config.HOST) ? '127.0.0.1' : context.config.HOST;
    return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  };
  const urls: Record<OwningService, string | undefined> = {
    marketplace: config.SCHEDULER_MARKETPLACE_URL,
    coworking: config.SCHEDULER_COWORKING_URL,
  };
  // Another process accepts the calls only with the service credential both were given; a random one would fail every call.
  if ((urls.marketplace || urls.coworking) && !context.config.HOOKLINE_SERVICE_KEY) {
    throw new ConfigError([
      {
        variable: 'HOOKLINE_SERVICE_KEY',
        problem:
          "is required when SCHEDULER_MARKETPLACE_URL or SCHEDULER_COWORKING_URL is set: the owning services accept the scheduler's calls with it",
      },
    ]);
  }
  const scheduler = new Scheduler({
    bus: context.bus,
    store: context.store,
    logger: context.logger.child({ component: 'scheduler' }),
    ...(options.now ? { now: options.now } : {}),
    topics: config.SCHEDULER_TOPICS,
    groupId: config.SCHEDULER_GROUP_ID,
    ...(config.SCHEDULER_INSTANCE_ID ? { instanceId: config.SCHEDULER_INSTANCE_ID } : {}),
    baseUrl: (service) => urls[service] ?? selfUrl(),
    credential: context.auth.serviceKey,
    pollMs: config.SCHEDULER_POLL_MS,
    leaseMs: config.SCHEDULER_LEASE_MS,
    callTimeoutMs: config.SCHEDULER_CALL_TIMEOUT_MS,
    batchSize: config.SCHEDULER_BATCH,
    concurrency: config.SCHEDULER_CONCURRENCY,
    maxAttempts: config.SCHEDULER_MAX_ATTEMPTS,
    retryBaseMs: config.SCHEDULER_RETRY_BASE_MS,
    retryMaxMs: config.SCHEDULER_RETRY_MAX_MS,
    filesRetentionDays: config.SCHEDULER_FILES_RETENTION_DAYS,
    maxReminderRules: config.SCHEDULER_MAX_REMINDER_RULES,
    meter: context.meter,
  });
  const routeOptions: SchedulerRouteOptions = { context, scheduler };
  const routes: FastifyPluginAsync = async (app) => {
    server = app.server;
    // A tenant's rules and holds: its API key, or the service credential naming it; the timers say admin themselves.
    requireCredentials(app, ['tenant', 'service']);
    await app.register(routesFrom(join(dirname(fileURLToPath(import.meta.url)), 'routes'), routeOptions));
  };
  return {
    name: 'scheduler',
    prefix: '/scheduler',
    routes,
    scheduler,
    start: () => scheduler.start(),
    stop: () => scheduler.stop(),
  };
}
