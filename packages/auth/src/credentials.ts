// Credentials as they arrive and as they are kept: the bearer token of an
// Authorization header, and the SHA-256 under which keys are stored and compared.
import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * The token of `Authorization: Bearer <token>`. The scheme is case-insensitive
 * and the whitespace around and between the parts is not significant
 * (RFC 9110 §11.1), so `bearer`, `BEARER`, a tab or two spaces all name the
 * same credential. Any other scheme, or more than one token, is no credential.
 */
export function bearerToken(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string') return undefined;
  const match = /^[ \t]*bearer[ \t]+([^\s]+)[ \t]*$/i.exec(header);
  return match?.[1];
}

/** SHA-256 of a key, hex: what is stored, and what keys are looked up by. */
export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** Compares two secrets in constant time (their hashes have the same length whatever the inputs). */
export function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(Buffer.from(hashKey(given)), Buffer.from(hashKey(expected)));
}
