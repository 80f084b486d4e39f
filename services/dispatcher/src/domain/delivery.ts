// A delivery: one event for one connection, with every attempt. Its status
// moves pending → succeeded | failed, or pending → held (connection blocked)
// → pending (released) | discarded. The decisions here are pure.
export type DeliveryStatus = 'pending' | 'held' | 'succeeded' | 'failed' | 'discarded';

/** First bytes of a receiver's answer kept per attempt. */
export const RESPONSE_BODY_LIMIT = 4096;

export interface AttemptRecord {
  startedAt: Date;
  durationMs: number;
  /** HTTP status, absent when no response came (timeout, connection error). */
  status?: number;
  responseBody?: string;
  error?: string;
  /** Request headers as sent (secret-free: signatures only). */
  requestHeaders?: Record<string, string>;
}

/** One request of a delivery, stored apart so recording it is a cheap insert. */
export interface AttemptDocument extends AttemptRecord {
  _id: string;
  deliveryId: string;
  connectionId: string;
  tenantId: string;
  /** 1 for the first attempt of the delivery, counting every round. */
  number: number;
}

export interface DeliveryDocument {
  /** Also the `webhook-id` header: stable across retries of this delivery. */
  _id: string;
  tenantId: string;
  connectionId: string;
  /** Lease shard of the connection: the instance owning it sends this delivery. */
  shard: number;
  eventId: string;
  eventType: string;
  /** The aggregate id: per connection and subject, first attempts start in order. */
  subject: string;
  eventTime: Date;
  /** The exact JSON body signed and sent. */
  body: string;
  traceparent?: string;
  status: DeliveryStatus;
  /** A test send from the management API, not caused by an event. */
  test: boolean;
  attemptCount: number;
  /** Attempts in the current round (reset when released or redelivered). */
  roundAttempts: number;
  /** No attempt of the round starts after this. */
  roundDeadline: Date;
  nextAttemptAt: Date | null;
  /** Ingest order, for ordered release of held deliveries. */
  seq: number;
  /** HTTP status (or error) of the latest attempt, for the log list; each attempt is an AttemptDocument. */
  lastStatus?: number;
  lastError?: string;
  /** Why it failed, was held or discarded. */
  reason?: string;
  createdAt: Date;
  updatedAt: Date;
  /** Set once final; the retention TTL index expires the log entry after it. */
  finishedAt?: Date;
}

export type AttemptOutcome = { ok: true; status: number } | { ok: false; status?: number; error?: string };

/** 2xx is success; any other status (3xx included), a timeout or connection error is a failure. */
export function outcomeOf(status: number | undefined, error?: string): AttemptOutcome {
  if (status !== undefined && status >= 200 && status < 300) return { ok: true, status };
  return { ok: false, ...(status === undefined ? {} : { status }), ...(error ? { error } : {}) };
}
