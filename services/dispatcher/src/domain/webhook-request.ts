// The webhook request for one attempt: Standard Webhooks headers, signed
// anew per attempt, the connection's custom headers (never over the ones
// Hookline sets), and the delivery's trace context. Pure.
import type { ConnectionDocument } from './connection.js';
import type { DeliveryDocument } from './delivery.js';
import { signatureHeader } from './signing.js';

export const USER_AGENT = 'Hookline-Webhooks/1.0 (+https://github.com/hookline)';
export const UNIQUE_KEY_HEADER = 'hookline-unique-key';

/** Headers the connection's custom headers may not override (and every `hookline-*` name: see `isReservedHeaderName`). */
export const reservedHeaderNames: ReadonlySet<string> = new Set([
  'content-type',
  'user-agent',
  'webhook-id',
  'webhook-timestamp',
  'webhook-signature',
  'hookline-event-type',
  UNIQUE_KEY_HEADER,
  'traceparent',
  'tracestate',
  // Hop-by-hop and framing headers: HTTP clients refuse them.
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'expect',
  'te',
  'trailer',
  'proxy-connection',
]);

/**
 * Whether a custom header may not have this name: the ones above, and the whole
 * `hookline-` namespace — Hookline's own headers, and those its services read
 * (`hookline-tenant`, `hookline-actor`…), which a webhook must never carry on a
 * tenant's say-so.
 */
export function isReservedHeaderName(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.startsWith('hookline-') || reservedHeaderNames.has(lower);
}

/** An HTTP field name as custom headers may use it: letters, digits and hyphens (a subset of RFC 9110's token). */
export const HEADER_NAME = /^[A-Za-z0-9-]+$/;

/**
 * An RFC 9110 §5.5 field value: visible characters (and obs-text, 0x80–0xFF),
 * with spaces and tabs inside but not at either end. CR, LF, NUL and the other
 * controls are refused — they would split or break the request — and so are
 * characters past U+00FF, which no HTTP client sends.
 */
export const HEADER_VALUE = /^(?:[\x21-\x7E\x80-\xFF](?:[\t\x20-\x7E\x80-\xFF]*[\x21-\x7E\x80-\xFF])?)?$/;

export function requestHeaders(
  connection: ConnectionDocument,
  delivery: Pick<DeliveryDocument, '_id' | 'eventType' | 'body' | 'traceparent'>,
  now: Date,
) {
  const timestamp = Math.floor(now.getTime() / 1000);
  const headers: Record<string, string> = {};
  // A name or value the API refuses now but a connection saved before may hold is left out, rather than failing every send.
  for (const [name, value] of Object.entries(connection.headers))
    if (!isReservedHeaderName(name) && HEADER_VALUE.test(value)) headers[name.toLowerCase()] = value;
  return {
    ...headers,
    'content-type': 'application/json',
    'user-agent': USER_AGENT,
    'webhook-id': delivery._id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signatureHeader(connection.secrets, delivery._id, timestamp, delivery.body, now),
    'hookline-event-type': delivery.eventType,
    [UNIQUE_KEY_HEADER]: connection.uniqueKey,
    ...(delivery.traceparent ? { traceparent: delivery.traceparent } : {}),
  };
}
