// Composition root helpers: the backends a process uses are chosen by its
// configuration (Kafka and MongoDB when configured, embedded otherwise), and one
// or several services are served by one fastify instance, each under its prefix.
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { ApiKeys, Authenticator, installGate, securitySchemes } from '@hookline/auth';
import { loadRuntimeConfig, type RuntimeConfig } from '@hookline/config';
import { createEventBus, type EventBus } from '@hookline/bus';
import { createDocumentStore, type DocumentStore } from '@hookline/store';
import { createHttpServer, createLogger, installGracefulShutdown } from '@hookline/http';
import { openDataDir } from './data-dir.js';
import { createPlatformMetrics, startTracing, stopTracing, type Meter } from '@hookline/telemetry';
import type { Logger } from 'pino';

export interface Backends {
  bus: EventBus;
  store: DocumentStore;
}

export interface ServiceContext extends Backends {
  config: RuntimeConfig;
  /** The raw environment, for a service's own variables (parsed with its own zod schema). */
  env: NodeJS.ProcessEnv;
  logger: Logger;
  /** The platform's meter: instruments created from it appear on /metrics (and in OTLP when configured). */
  meter: Meter;
  /** Who is calling: the admin key, tenant API keys (in the shared store), the service credential this process accepts and sends. */
  auth: Authenticator;
}

/** A service as the platform sees it: routes under a prefix, and background work. */
export interface Service {
  name: string;
  /** URL prefix, e.g. `/marketplace`; the same in the all-in-one and standalone modes. */
  prefix: string;
  routes: FastifyPluginAsync;
  start?: () => Promise<void>;
  stop?: () => Promise<void>;
}

export type ServiceFactory = (context: ServiceContext) => Promise<Service> | Service;

/** The backends a process opened, with what it needs to close them (and release the data directory). */
export interface OpenBackends extends Backends {
  /** The embedded backends' data directory, when one is in use. */
  dataDir: string | null;
  close(): Promise<void>;
}

/**
 * Kafka and MongoDB when configured; otherwise the durable embedded backends on SQLite in
 * HOOKLINE_DATA_DIR (one database both share, locked to this process), or in memory with `:memory:`.
 */
export function createBackends(config: RuntimeConfig, logger: Logger, meter?: Meter): OpenBackends {
  const embedded = !config.KAFKA_BROKERS || !config.MONGODB_URI;
  const dataDir =
    embedded && config.HOOKLINE_DATA_DIR !== ':memory:' ? openDataDir(config.HOOKLINE_DATA_DIR) : undefined;
  const synchronous = config.HOOKLINE_DATA_SYNC;
  const bus = config.KAFKA_BROKERS
    ? createEventBus(
        {
          backend: 'kafka',
          brokers: config.KAFKA_BROKERS,
          clientId: config.KAFKA_CLIENT_ID,
          log: (level, message, extra) => logger[level](extra, message),
        },
        meter,
      )
    : dataDir
      ? createEventBus(
          {
            backend: 'sqlite',
            path: dataDir.database,
            synchronous,
            retentionMs: config.HOOKLINE_BUS_RETENTION_HOURS * 3_600_000,
          },
          meter,
        )
      : createEventBus({ backend: 'embedded' }, meter);
  const store = config.MONGODB_URI
    ? createDocumentStore({ backend: 'mongodb', uri: config.MONGODB_URI, database: config.MONGODB_DB }, meter)
    : dataDir
      ? createDocumentStore({ backend: 'sqlite', path: dataDir.database, synchronous }, meter)
      : createDocumentStore({ backend: 'embedded' }, meter);
  return {
    bus,
    store,
    dataDir: dataDir?.path ?? null,
    close: async () => {
      try {
        await bus.close();
        await store.close();
      } finally {
        dataDir?.release();
      }
    },
  };
}

export interface RunningPlatform {
  app: FastifyInstance;
  services: Service[];
  context: ServiceContext;
  url: string;
  stop: () => Promise<void>;
}

/** Starts the given services in one process and one HTTP server. */
export async function runServices(
  name: string,
  factories: ServiceFactory[],
  options: { env?: NodeJS.ProcessEnv; installSignals?: boolean } = {},
): Promise<RunningPlatform> {
  const env = options.env ?? process.env;
  const config = loadRuntimeConfig(env);
  const logger = createLogger({ name, level: config.LOG_LEVEL });
  const tracing = startTracing(name, env);
  const metrics = createPlatformMetrics(name, env);
  const backends = createBackends(config, logger, metrics.meter);
  const auth = new Authenticator({
    apiKeys: new ApiKeys(backends.store),
    adminKey: config.HOOKLINE_ADMIN_KEY,
    serviceKey: config.HOOKLINE_SERVICE_KEY,
    previousServiceKey: config.HOOKLINE_SERVICE_KEY_PREVIOUS,
  });
  const context: ServiceContext = {
    bus: backends.bus,
    store: backends.store,
    config,
    env,
    logger,
    meter: metrics.meter,
    auth,
  };
  const services = await Promise.all(factories.map((factory) => factory(context)));
  const app = await createHttpServer({
    logger,
    allowedHosts: config.HOOKLINE_ALLOWED_HOSTS,
    ...(config.HOOKLINE_TRUST_PROXY === undefined
      ? {}
      : { fastify: { trustProxy: trustProxyOf(config.HOOKLINE_TRUST_PROXY) } }),
    openapi: {
      title: name === 'hookline' ? 'Hookline' : `Hookline ${name.replace(/^hookline-/, '')}`,
      version: '1.0.0',
      description:
        'Webhooks platform API. Generated from the zod schemas of the routes; each route names the credentials it accepts (docs/security.md).',
      securitySchemes,
    },
    metrics: {
      read: () => metrics.prometheus(),
      ...(config.HOOKLINE_METRICS_TOKEN ? { token: config.HOOKLINE_METRICS_TOKEN } : {}),
    },
    readiness: [
      { name: `bus (${backends.bus.backend})`, check: () => backends.bus.ping() },
      { name: `store (${backends.store.backend})`, check: () => backends.store.ping() },
    ],
  });
  // Every request but the probes is identified and counted before any route answers (429 before 401/403).
  installGate(app, {
    authenticator: auth,
    perMinute: config.HOOKLINE_RATE_LIMIT_PER_MINUTE,
    servicePerMinute: config.HOOKLINE_SERVICE_RATE_LIMIT_PER_MINUTE,
    exempt: (path) => path === '/health' || path === '/ready',
  });
  for (const service of services) await app.register(service.routes, { prefix: service.prefix });
  for (const service of services) await service.start?.();
  const stopServices = async () => {
    for (const service of [...services].reverse()) await service.stop?.();
    await backends.close();
    await metrics.shutdown();
    // Flushes the spans still buffered; in-process test platforms leave the process's SDK running.
    if (options.installSignals ?? true) await stopTracing();
  };
  await app.listen({ port: config.PORT, host: config.HOST });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const url = `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${port}`;
  logger.info(
    {
      url,
      bus: backends.bus.backend,
      store: backends.store.backend,
      ...(backends.dataDir ? { dataDir: backends.dataDir } : {}),
      services: services.map((s) => s.prefix),
      tracing: tracing.reason,
    },
    `${name} listening`,
  );
  if (options.installSignals ?? true) {
    installGracefulShutdown(app, { timeoutMs: config.SHUTDOWN_TIMEOUT_MS, onShutdown: stopServices });
  }
  return {
    app,
    services,
    context,
    url,
    stop: async () => {
      await app.close();
      await stopServices();
    },
  };
}
/** HOOKLINE_TRUST_PROXY as fastify takes it: a hop count becomes "the nearest n hops". */
function trustProxyOf(setting: true | number | string): boolean | string | ((address: string, hop: number) => boolean) {
  return typeof setting === 'number' ? (_address, hop) => hop < setting : setting;
}
export { SerialPass } from './serial-pass.js';
export { openDataDir, backupDataDir, DataDirInUseError, type DataDir } from './data-dir.js';
