// The fastify side: one gate per process that identifies the caller and counts
// the request, then per service the credentials each route accepts. The
// OpenAPI document is written from the same declarations, so it states what
// the server enforces.
import { HttpError } from '@hookline/http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Authenticator, Principal } from './authenticator.js';
import { bearerToken, hashKey } from './credentials.js';
import { addressKey, RateLimiter } from './rate-limiter.js';

/** A kind of credential a route accepts. */
export type Credential = Principal['kind'];

/** What a route needs: nothing, or one of these credentials. */
export type Access = 'public' | readonly Credential[];

/** The tenant acted for: `hookline-tenant` with the service credential; a tenant key's own tenant otherwise. */
export const TENANT_HEADER = 'hookline-tenant';
/** What a tenant id may be (the dispatcher makes `ten_` + 32 hex digits; the service credential may name others). */
const TENANT_ID = /^[\x21-\x7E]{1,100}$/;

/**
 * Who acts inside the tenant: the marketplace reads the role and user id, the
 * other products the actor. Only the service credential may say: the products'
 * back ends authenticate their users; a tenant API key acts as the tenant's
 * own system, `TENANT_KEY_ACTOR`.
 */
export const ACTOR_HEADERS = ['hookline-actor', 'hookline-actor-role', 'hookline-actor-id'] as const;
export const TENANT_KEY_ACTOR = 'api-key';

/** The OpenAPI security schemes, one per credential; every route's `security` names the ones it accepts. */
export const securitySchemes = {
  adminKey: {
    type: 'http',
    scheme: 'bearer',
    description: "The admin key (HOOKLINE_ADMIN_KEY): tenants, custom event types, the scheduler's timers.",
  },
  tenantKey: {
    type: 'http',
    scheme: 'bearer',
    description: "A tenant API key (hk_…): that tenant's data only; on product routes it acts as the tenant's system.",
  },
  serviceKey: {
    type: 'http',
    scheme: 'bearer',
    description:
      'The service credential (HOOKLINE_SERVICE_KEY) of internal callers: acts for the tenant named in hookline-tenant, as the user the hookline-actor* headers name.',
  },
} as const;

const schemeOf: Record<Credential, keyof typeof securitySchemes> = {
  admin: 'adminKey',
  tenant: 'tenantKey',
  service: 'serviceKey',
};
const described: Record<Credential, string> = {
  admin: 'the admin key',
  tenant: 'a tenant API key',
  service: 'the service credential',
};

declare module 'fastify' {
  interface FastifyRequest {
    /** The caller, as the gate identified it; null without a valid credential. */
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** The credentials this route accepts; the service's default otherwise. */
    access?: Access;
  }
}

export interface GateOptions {
  authenticator: Authenticator;
  /** Per minute: per tenant, for the admin key, and per address for requests without a valid credential. */
  perMinute: number;
  /** Per minute for the service credential, per tenant acted for. */
  servicePerMinute: number;
  /** Paths neither identified nor counted (probes). */
  exempt?: (path: string) => boolean;
  limiter?: RateLimiter;
}

/**
 * Installs the process's gate: each request's caller is identified, and the
 * request counted against that caller's budget — the tenant (whichever of its
 * keys, however the header is spelled), the admin key, the service credential
 * per tenant — or, without a valid credential, against the client address. It
 * runs before any route decides to answer 401 or 403, so refused requests are
 * counted too, and once an address has spent its budget, keys it sends that
 * are not already known are not even looked up.
 */
export function installGate(app: FastifyInstance, options: GateOptions): void {
  const limiter = options.limiter ?? new RateLimiter();
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request, reply) => {
    if (options.exempt?.(request.url.split('?')[0] ?? '')) return;
    const address = `address:${addressKey(request.ip)}`;
    const token = bearerToken(request.headers.authorization);
    let principal: Principal | null = null;
    if (token !== undefined) {
      const known = options.authenticator.known(token);
      if (known) principal = known;
      else if (!limiter.spent(address, options.perMinute)) principal = await options.authenticator.identify(token);
    }
    request.principal = principal;
    const [bucket, limit, whose] = budgetOf(principal, request, address, options);
    const verdict = limiter.take(bucket, limit);
    const resetSeconds = Math.max(1, Math.ceil(verdict.resetMs / 1000));
    reply
      .header('x-ratelimit-limit', limit)
      .header('x-ratelimit-remaining', verdict.remaining)
      .header('x-ratelimit-reset', resetSeconds);
    if (!verdict.allowed) {
      reply.header('retry-after', resetSeconds);
      throw new HttpError(
        429,
        'rate_limited',
        `more than ${limit} requests in a minute ${whose}: retry in ${resetSeconds} s`,
      );
    }
  });
}

function budgetOf(
  principal: Principal | null,
  request: FastifyRequest,
  address: string,
  options: GateOptions,
): [string, number, string] {
  switch (principal?.kind) {
    case 'tenant':
      return [`tenant:${principal.tenantId}`, options.perMinute, 'for this tenant'];
    case 'admin':
      return ['admin', options.perMinute, 'with the admin key'];
    case 'service': {
      const tenant = request.headers[TENANT_HEADER];
      return [
        `service:${hashKey(typeof tenant === 'string' ? tenant : '')}`,
        options.servicePerMinute,
        'with the service credential for this tenant',
      ];
    }
    default:
      return [address, options.perMinute, 'from this address without a valid credential'];
  }
}

/**
 * The credentials a service's routes accept: `defaults`, unless a route's
 * `config.access` says otherwise. Call it in the service's plugin before its
 * routes are registered. On routes accepting a tenant key or the service
 * credential it also checks what `actingFor` relies on: a tenant key acts for
 * its own tenant only and names no actor; the service credential names the tenant.
 */
export function requireCredentials(app: FastifyInstance, defaults: Access): void {
  app.addHook('onRoute', (route) => {
    const access = route.config?.access ?? defaults;
    route.schema = {
      ...route.schema,
      security: access === 'public' ? [] : access.map((credential) => ({ [schemeOf[credential]]: [] })),
    };
  });
  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config.access ?? defaults;
    if (access === 'public') return;
    const principal = request.principal;
    if (!principal) {
      const sent = request.headers.authorization !== undefined;
      throw new HttpError(
        401,
        'unauthorized',
        sent
          ? `unknown credential: this route needs ${accepted(access)} as Authorization: Bearer <key>`
          : `send ${accepted(access)} as Authorization: Bearer <key>`,
      );
    }
    if (!access.includes(principal.kind))
      throw new HttpError(403, 'forbidden', `this route needs ${accepted(access)}, not ${described[principal.kind]}`);
    if (principal.kind === 'tenant') {
      const named = request.headers[TENANT_HEADER];
      if (named !== undefined && named !== principal.tenantId) {
        throw new HttpError(
          403,
          'tenant_mismatch',
          `a tenant API key acts for its own tenant only: ${TENANT_HEADER} names another`,
        );
      }
      const actor = ACTOR_HEADERS.find((name) => request.headers[name] !== undefined);
      if (actor)
        throw new HttpError(
          403,
          'actor_not_allowed',
          `${actor} needs the service credential: a tenant API key acts as the tenant's own system`,
        );
    }
    if (principal.kind === 'service') {
      const named = request.headers[TENANT_HEADER];
      if (typeof named !== 'string' || named === '') {
        throw new HttpError(
          400,
          'bad_request',
          `the service credential acts for the tenant named in ${TENANT_HEADER}`,
          [{ path: `headers.${TENANT_HEADER}`, rule: 'required', message: `required with the service credential` }],
        );
      }
      if (!TENANT_ID.test(named)) {
        throw new HttpError(400, 'bad_request', `${TENANT_HEADER} is not a tenant id`, [
          { path: `headers.${TENANT_HEADER}`, rule: 'tenant_id', message: 'at most 100 visible ASCII characters' },
        ]);
      }
    }
  });
}

function accepted(access: readonly Credential[]): string {
  const names = access.map((credential) => described[credential]);
  return names.length <= 1 ? (names[0] ?? 'a credential') : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
}

export interface Acting {
  /** The tenant whose data the request reads or writes. */
  tenant: string;
  /** True with the service credential: the actor headers are its word. False with a tenant key, which names no actor. */
  byService: boolean;
}

/** The tenant a request acts for, on a route that accepts a tenant key or the service credential. */
export function actingFor(request: FastifyRequest): Acting {
  const principal = request.principal;
  if (principal?.kind === 'tenant') return { tenant: principal.tenantId, byService: false };
  const named = request.headers[TENANT_HEADER];
  if (principal?.kind === 'service' && typeof named === 'string' && named !== '')
    return { tenant: named, byService: true };
  throw new HttpError(403, 'forbidden', 'this route needs a tenant API key or the service credential');
}

/** The tenant and the actor recorded on its events: the service credential's `asserted` actor (default `system`), or `TENANT_KEY_ACTOR` for a tenant key. */
export function actorOf(request: FastifyRequest, asserted: string | undefined): { tenant: string; actor: string } {
  const acting = actingFor(request);
  return { tenant: acting.tenant, actor: acting.byService ? (asserted ?? 'system') : TENANT_KEY_ACTOR };
}
