// The webhook request for one attempt: Standard Webhooks headers, signed
// anew per attempt, the connection's custom headers (never over the ones
// Hookline sets), and the delivery's trace context. Pure.
import type { ConnectionDocument } from './connection.js';
import type { DeliveryDocument } from './delivery.js';
import { signatureHeader } from './signing.js';

export const USER_AGENT = 'Hookline-Webhooks/1.0 (+https://github.com/hookline)';
export const UNIQUE_KEY_HEADER = 'hookline-unique-key';

/** Headers the connection's custom headers may not override. */
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

export function requestHeaders(connection: ConnectionDocument, delivery: Pick<DeliveryDocument, '_id' | 'eventType' | 'body' | 'traceparent'>, now: Date) {
  const timestamp = Math.floor(now.getTime() / 1000);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(connection.headers)) if (!reservedHeaderNames.has(name.toLowerCase())) headers[name.toLowerCase()] = value;
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
