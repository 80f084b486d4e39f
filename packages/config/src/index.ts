import { z } from 'zod';

/** One variable that failed validation; the value itself is never echoed (it may be a secret). */
export interface ConfigIssue {
  variable: string;
  problem: string;
}

export class ConfigError extends Error {
  constructor(readonly issues: ConfigIssue[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  - ${i.variable}: ${i.problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses the environment with a zod object schema whose keys are variable names.
 * Every bad or missing variable is reported at once, in one ConfigError.
 */
export function loadConfig<S extends z.ZodObject>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  // Empty strings mean "unset", as in most deployment tools.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    variable: issue.path.length > 0 ? issue.path.join('.') : '(environment)',
    problem: issue.code === 'invalid_type' && issue.input === undefined ? 'is required but not set' : issue.message,
  }));
  throw new ConfigError(issues);
}

/** Environment value types, each with an error message that says what is expected. */
export const env = {
  port: (fallback: number) =>
    z.coerce
      .number({ error: 'must be a port number' })
      .int('must be a whole number')
      .min(0, 'must be between 0 and 65535')
      .max(65535, 'must be between 0 and 65535')
      .default(fallback),
  positiveInt: (fallback: number) =>
    z.coerce
      .number({ error: 'must be a number' })
      .int('must be a whole number')
      .positive('must be positive')
      .default(fallback),
  boolean: (fallback: boolean) =>
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
      .default(fallback ? 'true' : 'false')
      .transform((value) => value === 'true' || value === '1' || value === 'yes'),
  /** Comma-separated list, blanks dropped. */
  list: () =>
    z.string().transform((value) =>
      value
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item.length > 0),
    ),
  url: () => z.url({ error: 'must be a URL' }),
  logLevel: () => z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
};

/**
 * Variables every Hookline process reads. Kafka and MongoDB are used when their
 * variables are set; without them a process runs on the embedded backends.
 */
export const runtimeEnv = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    /** Loopback by default: `npm start` is not reachable from the network until HOST widens it (0.0.0.0 in the images). */
    HOST: z.string().default('127.0.0.1'),
    /**
     * Host names the HTTP server answers to besides IP addresses and localhost (DNS rebinding guard):
     * names, `.example.com` for a domain and its subdomains, or `*` for any.
     */
    HOOKLINE_ALLOWED_HOSTS: env
      .list()
      .pipe(
        z.array(
          z
            .string()
            .regex(/^(\*|\.?[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*\.?)$/, 'must be host names, .domain suffixes or *'),
        ),
      )
      .default([]),
    PORT: env.port(3000),
    LOG_LEVEL: env.logLevel(),
    KAFKA_BROKERS: env
      .list()
      .pipe(z.array(z.string().regex(/^[^:\s]+:\d+$/, 'must be host:port')).min(1))
      .optional(),
    KAFKA_CLIENT_ID: z.string().default('hookline'),
    MONGODB_URI: z
      .string()
      .regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://')
      .optional(),
    MONGODB_DB: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/, 'must be a database name (letters, digits, _ and -)')
      .default('hookline'),
    /**
     * Where the embedded backends keep their data (one SQLite database, `hookline.db`) when
     * KAFKA_BROKERS or MONGODB_URI is unset; relative to the working directory. `:memory:` keeps
     * everything in memory instead: nothing survives a restart (tests, demos).
     */
    HOOKLINE_DATA_DIR: z.string().default('.hookline/data'),
    /**
     * SQLite's `synchronous` for the data directory (WAL mode). `full`: a write is fsynced before it
     * is acknowledged and survives a power loss. `normal`: it survives the process being killed, but
     * the last writes before a power loss or OS crash may be lost.
     */
    HOOKLINE_DATA_SYNC: z.enum(['full', 'normal'], { error: 'must be full or normal' }).default('full'),
    /** How long the embedded bus keeps a message that every consumer group has read (Kafka's default: 7 days). */
    HOOKLINE_BUS_RETENTION_HOURS: env.positiveInt(168),
    SHUTDOWN_TIMEOUT_MS: env.positiveInt(10_000),
    /** When set, `/metrics` answers only to this bearer token (otherwise it is open, like /health). */
    HOOKLINE_METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
    /** Manages tenants and custom event types, and reads the scheduler's timers; unset, no admin route can be used. */
    HOOKLINE_ADMIN_KEY: z.string().min(24, 'must be at least 24 characters').optional(),
    /**
     * The service credential: internal callers (the scheduler, the products' back ends) act for a tenant
     * named in `hookline-tenant` with it. Unset, a process makes a random one for its own in-process calls.
     */
    HOOKLINE_SERVICE_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
    /** The service credential being rotated out: still accepted, never sent. */
    HOOKLINE_SERVICE_KEY_PREVIOUS: z.string().min(32, 'must be at least 32 characters').optional(),
    /**
     * Which proxies' X-Forwarded-For to believe for the client address (fastify's trustProxy): `true`, a
     * number of hops, or comma-separated addresses and CIDR ranges. Unset: none — behind a reverse proxy,
     * every client would then share the proxy's address, and its rate-limit budget.
     */
    HOOKLINE_TRUST_PROXY: z
      .string()
      .regex(
        /^(true|\d{1,2}|[0-9A-Fa-f:.]+(\/\d{1,3})?(\s*,\s*[0-9A-Fa-f:.]+(\/\d{1,3})?)*)$/,
        'must be true, a number of hops, or addresses and CIDR ranges',
      )
      .transform((value) => (value === 'true' ? true : /^\d+$/.test(value) ? Number(value) : value))
      .optional(),
    /** Requests per minute per tenant (any of its keys), for the admin key, and per address for requests without a valid credential. */
    HOOKLINE_RATE_LIMIT_PER_MINUTE: env.positiveInt(600),
    /** Requests per minute the service credential may make for one tenant. */
    HOOKLINE_SERVICE_RATE_LIMIT_PER_MINUTE: env.positiveInt(60_000),
  })
  .superRefine((config, ctx) => {
    const keys = [config.HOOKLINE_ADMIN_KEY, config.HOOKLINE_SERVICE_KEY, config.HOOKLINE_SERVICE_KEY_PREVIOUS].filter(
      (key) => key !== undefined,
    );
    if (new Set(keys).size !== keys.length)
      ctx.addIssue({
        code: 'custom',
        path: ['HOOKLINE_SERVICE_KEY'],
        message: 'must differ from HOOKLINE_ADMIN_KEY and HOOKLINE_SERVICE_KEY_PREVIOUS',
      });
  });
export type RuntimeConfig = z.infer<typeof runtimeEnv>;

export function loadRuntimeConfig(environment: NodeJS.ProcessEnv = process.env): RuntimeConfig {
  return loadConfig(runtimeEnv, environment);
}
