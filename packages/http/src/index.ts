// Fastify bootstrap shared by every service: zod type provider, pino logging
// with secrets redacted, JSON errors that name the field and rule, /health and
// /ready, and graceful shutdown that drains in-flight work.
import { isUtf8 } from 'node:buffer';
import { timingSafeEqual } from 'node:crypto';
import { sep } from 'node:path';
import Fastify, { type FastifyInstance, type FastifyPluginAsync, type FastifyServerOptions } from 'fastify';
import autoload from '@fastify/autoload';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { z, ZodError } from 'zod';
import { DomainError, issuesOf, type ErrorKind } from '@hookline/errors';
import type { Logger } from 'pino';

export type { ZodTypeProvider } from 'fastify-type-provider-zod';
export { createLogger } from './logger.js';
export { requestContext } from './tracing.js';
import { installRequestTracing } from './tracing.js';

export interface ReadinessCheck {
  name: string;
  check: () => Promise<void>;
}

export interface HttpServerOptions {
  logger: Logger;
  /** Dependencies that must answer for /ready to say ready. */
  readiness?: ReadinessCheck[];
  bodyLimit?: number;
  fastify?: Partial<FastifyServerOptions>;
  /**
   * Serve an OpenAPI document derived from the routes' zod schemas, rendered at /docs. Routes state
   * their own `security` (naming these schemes); a route that states none needs no credential.
   */
  openapi?: { title: string; version: string; description?: string; securitySchemes?: Record<string, object> };
  /**
   * Host names this server answers to (the DNS rebinding guard): IP addresses and `localhost` always,
   * plus these names, `.example.com` for a domain and its subdomains, or `*` for any. Others get 421.
   * Unset: any.
   */
  allowedHosts?: readonly string[];
  /** Serve `/metrics` in Prometheus text format; with a token, only to `Authorization: Bearer <token>`. */
  metrics?: { read: () => Promise<string>; token?: string };
}

/** A client error with its status, a stable code and, for bad input, the issues. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly issues?: { path: string; rule: string; message: string }[],
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** The HTTP status of each kind of DomainError. */
const statusByKind: Readonly<Record<ErrorKind, number>> = {
  invalid: 400,
  forbidden: 403,
  not_found: 404,
  illegal: 409,
  conflict: 409,
  unprocessable: 422,
};

/** The status a DomainError answers with. */
export function statusOf(error: DomainError): number {
  return statusByKind[error.kind];
}

/**
 * Every 4xx answer, as the error handler below writes it: a stable code, a
 * message, the issues of bad input, and a domain error's details (current
 * state, allowed commands, limit…) beside them. Routes list it in their schemas.
 */
export const errorResponse = z
  .object({
    error: z.string(),
    message: z.string(),
    issues: z.array(z.object({ path: z.string(), rule: z.string(), message: z.string() })).optional(),
  })
  .loose();

export type HttpServer = FastifyInstance;

/**
 * Loads a folder of routes and plugins by fastify-autoload conventions (a
 * folder is a path segment, `_param` a parameter, `autohooks` applies to a
 * folder). `options` reaches every plugin, which is how routes get the
 * service's domain objects without importing globals.
 */
export function routesFrom<Options extends object>(dir: string, options: Options): FastifyPluginAsync {
  // Running from source (tsx, vitest) autoload sees .ts files; it only
  // imports them when told the loader understands TypeScript.
  if (!dir.includes(`${sep}dist${sep}`)) process.env.FASTIFY_AUTOLOAD_TYPESCRIPT ??= '1';
  return async (app) => {
    await app.register(autoload, {
      dir,
      forceESM: true,
      routeParams: true,
      ignorePattern: /(\.(test|spec)\.[cm]?[jt]s|\.d\.ts|\.map)$/,
      options,
    });
  };
}

export async function createHttpServer(options: HttpServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: options.logger,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    // Idle keep-alive sockets are closed at shutdown; in-flight requests finish first.
    forceCloseConnections: 'idle',
    ...options.fastify,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // JSON must be valid UTF-8 (RFC 8259): decoding with replacement would store U+FFFD where the client sent other bytes.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body: Buffer, done) => {
    if (!isUtf8(body)) return done(new HttpError(400, 'bad_request', 'The body is not valid UTF-8'));
    if (body.length === 0)
      return done(new HttpError(400, 'bad_request', 'The body is empty but content-type is application/json'));
    try {
      done(null, JSON.parse(body.toString('utf8'), rejectProtoKeys));
    } catch (error) {
      done(
        new HttpError(
          400,
          'bad_request',
          `The body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
        ),
      );
    }
  });
  const allowedHosts = options.allowedHosts;
  if (allowedHosts && !allowedHosts.includes('*')) {
    // First of all hooks: a page that rebound its own name to this address gets nothing, not even a count.
    app.addHook('onRequest', async (request) => {
      if (!hostAllowed(request.headers.host, allowedHosts)) {
        throw new HttpError(
          421,
          'misdirected_request',
          `this server does not answer to the host name ${JSON.stringify(String(request.headers.host ?? '').slice(0, 100))}: see HOOKLINE_ALLOWED_HOSTS`,
        );
      }
    });
  }
  // Probes and scrapes are not worth a trace each.
  installRequestTracing(app, { ignore: (path) => path === '/health' || path === '/ready' || path === '/metrics' });

  if (options.openapi) {
    await app.register(swagger, {
      openapi: {
        info: {
          title: options.openapi.title,
          version: options.openapi.version,
          ...(options.openapi.description ? { description: options.openapi.description } : {}),
        },
        components: { securitySchemes: (options.openapi.securitySchemes ?? {}) as never },
      },
      transform: jsonSchemaTransform,
    });
    await app.register(swaggerUi, { routePrefix: '/docs' });
  }

  let draining = false;
  app.decorate('draining', () => draining);
  // preClose runs before the server stops listening: /ready turns 503 and responses
  // ask keep-alive clients to disconnect, so the server can finish closing.
  app.addHook('preClose', async () => {
    draining = true;
  });
  app.addHook('onSend', async (_request, reply) => {
    if (draining) reply.header('connection', 'close');
  });

  app.setErrorHandler((caught: unknown, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(caught)) {
      const validation = caught;
      return reply.status(400).send({
        error: 'bad_request',
        message: `Invalid ${validation.validationContext ?? 'request'}`,
        issues: validation.validation.map((issue) => ({
          path: [validation.validationContext, ...String(issue.instancePath).split('/').filter(Boolean)]
            .filter(Boolean)
            .join('.'),
          rule: String((issue.params as { issue?: { code?: string } } | undefined)?.issue?.code ?? issue.keyword),
          message: issue.message,
        })),
      });
    }
    if (caught instanceof ZodError) {
      return reply
        .status(400)
        .send({ error: 'bad_request', message: 'Invalid body', issues: issuesOf(caught, ['body']) });
    }
    // The domain's refusals, by kind; their details (current state, allowed commands, limit…) are part of the answer.
    if (caught instanceof DomainError) {
      return reply.status(statusOf(caught)).send({ ...caught.details, error: caught.code, message: caught.message });
    }
    if (caught instanceof HttpError) {
      return reply
        .status(caught.statusCode)
        .send({ error: caught.code, message: caught.message, ...(caught.issues ? { issues: caught.issues } : {}) });
    }
    // Fastify's own client errors (bad JSON, body too large, unsupported media type…) carry their status.
    const error = caught as Error & { statusCode?: number; code?: string };
    const status = typeof error.statusCode === 'number' ? error.statusCode : 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed');
      return reply.status(500).send({ error: 'internal_error', message: 'Internal server error' });
    }
    return reply.status(status).send({ error: error.code ?? 'bad_request', message: error.message });
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .send({ error: 'not_found', message: `No route for ${request.method} ${request.url.split('?')[0]}` }),
  );

  app.get('/health', { logLevel: 'warn' }, async () => ({ status: 'ok' }));
  const metrics = options.metrics;
  if (metrics) {
    app.get('/metrics', { logLevel: 'warn', schema: { hide: true } }, async (request, reply) => {
      if (metrics.token && !bearerMatches(request.headers.authorization, metrics.token)) {
        return reply
          .status(401)
          .send({ error: 'unauthorized', message: 'The metrics need the metrics token as a bearer token' });
      }
      return reply.type('text/plain; version=0.0.4; charset=utf-8').send(await metrics.read());
    });
  }
  app.get('/ready', { logLevel: 'warn' }, async (_request, reply) => {
    if (draining) return reply.status(503).send({ status: 'draining', checks: {} });
    const checks: Record<string, string> = {};
    let ready = true;
    await Promise.all(
      (options.readiness ?? []).map(async ({ name, check }) => {
        try {
          await withTimeout(check(), 3_000);
          checks[name] = 'ok';
        } catch (error) {
          ready = false;
          checks[name] = error instanceof Error ? error.message : 'unavailable';
        }
      }),
    );
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'unavailable', checks });
  });
  return app;
}

/**
 * Whether a Host header names this server: an IP address (a page cannot make a
 * browser send another origin's address), `localhost` or a `.localhost` name
 * (which resolve to loopback only, RFC 6761), or one of `allowed`: a name, a
 * `.domain` suffix (the domain and its subdomains) or `*`. The port is ignored.
 */
export function hostAllowed(host: string | undefined, allowed: readonly string[]): boolean {
  if (host === undefined || host === '') return false;
  if (host.startsWith('[')) return /^\[[0-9A-Fa-f:.]+\](:\d+)?$/.test(host);
  const name = host.replace(/:\d+$/, '').toLowerCase().replace(/\.$/, '');
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name) || name === 'localhost' || name.endsWith('.localhost')) return true;
  return allowed.some((entry) => {
    const pattern = entry.toLowerCase().replace(/\.$/, '');
    return (
      pattern === '*' ||
      pattern === name ||
      (pattern.startsWith('.') && (name.endsWith(pattern) || name === pattern.slice(1)))
    );
  });
}

/** As fastify's own parser does: `__proto__` and `constructor.prototype` keys are refused (prototype poisoning). */
function rejectProtoKeys(key: string, value: unknown): unknown {
  if (key === '__proto__') throw new SyntaxError('the key "__proto__" is not allowed');
  if (key === 'constructor' && value !== null && typeof value === 'object' && 'prototype' in value)
    throw new SyntaxError('the key "constructor.prototype" is not allowed');
  return value;
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header?.replace(/^Bearer\s+/i, '') ?? '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/**
 * Stops the process cleanly on SIGTERM/SIGINT: stop accepting requests, let
 * in-flight ones finish, run `onShutdown` (drain consumers, close clients), exit.
 * A second signal or the timeout forces the exit.
 */
export function installGracefulShutdown(
  app: FastifyInstance,
  options: { timeoutMs: number; onShutdown: () => Promise<void>; exit?: (code: number) => void },
) {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let shuttingDown = false;
  const shutdown = async (signal: string) => {
    if (shuttingDown) {
      app.log.warn({ signal }, 'second signal: exiting now');
      return exit(1);
    }
    shuttingDown = true;
    app.log.info({ signal }, 'shutting down: draining in-flight work');
    const timer = setTimeout(() => {
      app.log.error({ timeoutMs: options.timeoutMs }, 'shutdown timed out: exiting');
      exit(1);
    }, options.timeoutMs);
    timer.unref();
    try {
      await app.close();
      await options.onShutdown();
      clearTimeout(timer);
      exit(0);
    } catch (error) {
      app.log.error({ err: error }, 'shutdown failed');
      exit(1);
    }
  };
  const onSignal = (signal: NodeJS.Signals) => void shutdown(signal);
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  return { shutdown, dispose: () => (process.off('SIGTERM', onSignal), process.off('SIGINT', onSignal)) };
}

declare module 'fastify' {
  interface FastifyInstance {
    draining: () => boolean;
  }
}
