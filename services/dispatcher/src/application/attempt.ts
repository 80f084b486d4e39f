// One attempt: the request signed for now, sent in a client span (the
// webhook's traceparent is that span), timed and classified. Hands back what
// happened; what follows from it (retry, block, record) is the lane's.
import { contextFrom, inSpan, SpanKind, SpanStatusCode, traceHeaders } from '@hookline/telemetry';
import type { HttpResult, WebhookSender } from '../adapters/http-sender.js';
import type { ConnectionDocument } from '../domain/connection.js';
import { outcomeOf, type AttemptOutcome, type AttemptRecord, type DeliveryDocument } from '../domain/delivery.js';
import { requestHeaders } from '../domain/webhook-request.js';
import type { DispatcherMetrics } from './metrics.js';

export interface Sent {
  startedAt: Date;
  headers: Record<string, string>;
  result: HttpResult;
  outcome: AttemptOutcome;
}

/** What is kept of one request: when, how long, the answer's status and first bytes, or the error. */
export function attemptRecord(sent: Pick<Sent, 'startedAt' | 'result' | 'headers'>): AttemptRecord {
  const { startedAt, result, headers } = sent;
  return {
    startedAt,
    durationMs: result.durationMs,
    ...(result.status === undefined ? {} : { status: result.status }),
    ...(result.responseBody === undefined ? {} : { responseBody: result.responseBody }),
    ...(result.error === undefined ? {} : { error: result.error }),
    requestHeaders: headers,
  };
}

/** The receiver's host only: paths and queries may carry the tenant's secrets. */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'invalid';
  }
}

function outcomeLabel(sent: Pick<Sent, 'outcome' | 'result'>): string {
  if (sent.outcome.ok) return 'ok';
  if (sent.result.status !== undefined) return 'http_error';
  return /timed? ?out|no answer within/i.test(sent.result.error ?? '') ? 'timeout' : 'network_error';
}

export function sendAttempt(
  deps: { http: WebhookSender; metrics: DispatcherMetrics; now: () => Date },
  connection: ConnectionDocument,
  delivery: DeliveryDocument,
): Promise<Sent> {
  const attributes = {
    'http.request.method': 'POST',
    'server.address': hostOf(connection.url),
    'hookline.delivery.id': delivery._id,
    'hookline.connection.id': connection._id,
    'hookline.event.type': delivery.eventType,
    'hookline.attempt': delivery.attemptCount + 1,
  };
  // A child of the dispatcher's processing of the event, even for a retry hours later.
  return inSpan(
    `webhook ${delivery.eventType}`,
    { kind: SpanKind.CLIENT, parent: contextFrom({ traceparent: delivery.traceparent }), attributes },
    async (span) => {
      const startedAt = deps.now();
      const headers = requestHeaders(connection, { ...delivery, ...traceHeaders() }, startedAt);
      const result = await deps.http.post(connection.url, headers, delivery.body, connection.retry.timeoutMs);
      const outcome = outcomeOf(result.status, result.error);
      if (result.status !== undefined) span.setAttribute('http.response.status_code', result.status);
      if (!outcome.ok) span.setStatus({ code: SpanStatusCode.ERROR, message: result.error ?? `HTTP ${result.status}` });
      const sent = { startedAt, headers, result, outcome };
      deps.metrics.attemptDuration.record(result.durationMs / 1000, { outcome: outcomeLabel(sent) });
      return sent;
    },
  );
}
