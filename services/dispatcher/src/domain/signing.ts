// Standard Webhooks signatures (https://www.standardwebhooks.com): HMAC-SHA256
// of `${webhook-id}.${webhook-timestamp}.${body}` keyed by the base64 secret
// after its `whsec_` prefix, sent as `v1,<base64>`, space-separated when
// several secrets are valid (rotation).
import { createHmac, randomBytes } from 'node:crypto';
import type { SigningSecret } from './connection.js';

const SECRET_PREFIX = 'whsec_';

export function generateSecret(): string {
  return SECRET_PREFIX + randomBytes(24).toString('base64');
}

const keyAlphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** 40 letters and digits, like Robolabs' "Unikalus raktas". */
export function generateUniqueKey(): string {
  const bytes = randomBytes(40);
  return Array.from(bytes, (byte) => keyAlphabet[byte % keyAlphabet.length]).join('');
}

export function signature(secret: string, messageId: string, timestampSeconds: number, body: string): string {
  const key = Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');
  return `v1,${createHmac('sha256', key).update(`${messageId}.${timestampSeconds}.${body}`).digest('base64')}`;
}

/** The current secret and the one it replaced, during the overlap: never more, whatever is stored. */
export const MAX_SIGNATURES = 2;

/** The `webhook-signature` value: one signature per secret still valid at `now` (newest first, at most `MAX_SIGNATURES`). */
export function signatureHeader(
  secrets: readonly SigningSecret[],
  messageId: string,
  timestampSeconds: number,
  body: string,
  now: Date,
): string {
  return secrets
    .filter((secret) => !secret.expiresAt || secret.expiresAt.getTime() > now.getTime())
    .slice(0, MAX_SIGNATURES)
    .map((secret) => signature(secret.secret, messageId, timestampSeconds, body))
    .join(' ');
}
