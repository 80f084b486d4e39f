// Who a bearer token belongs to: the operators (the admin key), a tenant (one
// of its API keys) or an internal caller (the service credential).
import { randomBytes } from 'node:crypto';
import type { ApiKeys } from './api-keys.js';
import { sameSecret } from './credentials.js';

export type Principal = { kind: 'admin' } | { kind: 'tenant'; tenantId: string } | { kind: 'service' };

export interface AuthenticatorOptions {
  apiKeys: ApiKeys;
  /** HOOKLINE_ADMIN_KEY; unset, nobody is admin. */
  adminKey?: string | undefined;
  /** HOOKLINE_SERVICE_KEY; unset, a random one only this process knows (for its in-process calls). */
  serviceKey?: string | undefined;
  /** HOOKLINE_SERVICE_KEY_PREVIOUS: still accepted while the callers move to the new one. */
  previousServiceKey?: string | undefined;
}

export class Authenticator {
  readonly apiKeys: ApiKeys;
  /** The service credential this process sends when it calls another service. */
  readonly serviceKey: string;
  private readonly adminKey: string | undefined;
  private readonly serviceKeys: string[];

  constructor(options: AuthenticatorOptions) {
    this.apiKeys = options.apiKeys;
    this.adminKey = options.adminKey;
    this.serviceKey = options.serviceKey ?? `hks_${randomBytes(32).toString('base64url')}`;
    this.serviceKeys = [this.serviceKey, ...(options.previousServiceKey ? [options.previousServiceKey] : [])];
  }

  /** What is known without a lookup: the admin key, the service credential, a recently verified tenant key; undefined otherwise. */
  known(token: string): Principal | undefined {
    if (this.adminKey !== undefined && sameSecret(token, this.adminKey)) return { kind: 'admin' };
    if (this.serviceKeys.some((key) => sameSecret(token, key))) return { kind: 'service' };
    const tenantId = this.apiKeys.cached(token);
    return tenantId === undefined ? undefined : { kind: 'tenant', tenantId };
  }

  /** The principal of a token, or null when it is no credential of this platform. */
  async identify(token: string): Promise<Principal | null> {
    const known = this.known(token);
    if (known) return known;
    const tenantId = await this.apiKeys.tenantOf(token);
    return tenantId === null ? null : { kind: 'tenant', tenantId };
  }
}
