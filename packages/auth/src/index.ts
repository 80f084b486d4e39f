export {
  ACTOR_HEADERS,
  TENANT_HEADER,
  TENANT_KEY_ACTOR,
  actingFor,
  actorOf,
  installGate,
  requireCredentials,
  securitySchemes,
  type Access,
  type Acting,
  type Credential,
  type GateOptions,
} from './access.js';
export { API_KEY_PREFIX, ApiKeys, type ApiKeyDocument } from './api-keys.js';
export { Authenticator, type AuthenticatorOptions, type Principal } from './authenticator.js';
export { bearerToken, hashKey, sameSecret } from './credentials.js';
export { addressKey, RateLimiter, type Verdict } from './rate-limiter.js';
