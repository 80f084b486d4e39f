// What tenants and operators do to connections and deliveries (exposed by the
// management API): create, test, redeliver, recover, unblock.
import { randomUUID } from 'node:crypto';
import type { EventBus } from '@hookline/bus';
import { catalog, createEvent, type EventDefinition, type HooklineEvent } from '@hookline/events';
import { invalid, limitReached, notFound, type DomainError } from '@hookline/errors';
import type { Logger } from 'pino';
import { z } from 'zod';
import { attemptId, type DeliveryStore } from '../adapters/delivery-store.js';
import type { DispatcherCollections } from '../adapters/dispatcher-store.js';
import type { WebhookSender } from '../adapters/http-sender.js';
import { connectionFilterSchema, retryPolicySchema, type ConnectionDocument } from '../domain/connection.js';
import type { AttemptDocument, DeliveryDocument } from '../domain/delivery.js';
import { taskMessage, type DeliveryTask } from '../domain/delivery-task.js';
import { webhookBodyFor } from '../domain/matching.js';
import { generateSecret, generateUniqueKey } from '../domain/signing.js';
import { sampleEventType } from '../domain/test-sample.js';
import { HEADER_NAME, HEADER_VALUE, isReservedHeaderName } from '../domain/webhook-request.js';
import { attemptRecord, sendAttempt } from './attempt.js';
import type { ConnectionCache } from './connection-cache.js';
import { newDeliveryDocument } from './delivery-worker.js';
import { newDelivery } from './ingest.js';
import type { DispatcherMetrics } from './metrics.js';
import { publishPlatformEvent } from './platform-events.js';

/** Bounds of what a tenant may save in a connection besides its filter (`connectionLimits`); a refusal names the bound. */
export const connectionInputLimits = {
  urlLength: 2048,
  headers: 20,
  headerNameLength: 100,
  headerValueLength: 4096,
  headersBytes: 8192,
} as const;
const limits = connectionInputLimits;

export const connectionInputSchema = z.object({
  name: z.string().min(1).max(200),
  description: z.string().max(2000).optional(),
  url: z
    .url({ protocol: /^https?$/ })
    .max(limits.urlLength, `at most ${limits.urlLength} characters`)
    .describe('Receiver URL (Atsako nuoroda): http or https.'),
  active: z.boolean().default(true),
  filter: connectionFilterSchema,
  headers: z
    .record(
      z.string(),
      z
        .string()
        .max(limits.headerValueLength, `at most ${limits.headerValueLength} characters`)
        .regex(
          HEADER_VALUE,
          'an HTTP field value (RFC 9110): no CR, LF, NUL or other control characters, no spaces at either end, nothing past U+00FF',
        ),
    )
    // Names are checked here rather than by a key schema, so that each refusal names the header and the rule.
    .superRefine((headers, ctx) => {
      const entries = Object.entries(headers);
      for (const [name] of entries) {
        const problem =
          name.length > limits.headerNameLength
            ? `at most ${limits.headerNameLength} characters`
            : !HEADER_NAME.test(name)
              ? 'an HTTP header name (letters, digits, hyphens)'
              : isReservedHeaderName(name)
                ? 'a header Hookline sets itself, reserves (hookline-*) or HTTP reserves'
                : undefined;
        if (problem) ctx.addIssue({ code: 'custom', path: [name], message: `header name: ${problem}` });
      }
      if (entries.length > limits.headers)
        ctx.addIssue({
          code: 'too_big',
          origin: 'object',
          maximum: limits.headers,
          inclusive: true,
          input: headers,
          message: `at most ${limits.headers} custom headers`,
        });
      const bytes = entries.reduce((sum, [name, value]) => sum + name.length + value.length, 0);
      if (bytes > limits.headersBytes)
        ctx.addIssue({
          code: 'too_big',
          origin: 'object',
          maximum: limits.headersBytes,
          inclusive: true,
          input: headers,
          message: `at most ${limits.headersBytes} bytes of custom header names and values together`,
        });
    })
    .default({}),
  retry: retryPolicySchema.default(() => retryPolicySchema.parse({})),
  maxInFlight: z.number().int().min(1).max(256).default(10),
  rateLimit: z
    .number()
    .positive()
    .max(10_000)
    .optional()
    .describe(
      'Requests per second at most to this receiver (a token bucket holding one second of requests); none by default.',
    ),
});
export type ConnectionInput = z.input<typeof connectionInputSchema>;

/** What a PATCH may change; every field optional. */
export const connectionPatchSchema = connectionInputSchema.partial().extend({
  rateLimit: connectionInputSchema.shape.rateLimit
    .unwrap()
    .nullable()
    .optional()
    .describe('Requests per second at most; null removes the limit.'),
});
export type ConnectionPatch = z.input<typeof connectionPatchSchema>;

/**
 * The secret rotated out keeps signing beside the new one this long (Standard
 * Webhooks allows several signatures). Only the newest previous one: a second
 * rotation retires the secret before it at once.
 */
export const SECRET_OVERLAP_MS = 24 * 3600 * 1000;

export interface DeliveryFilter {
  connectionId?: string;
  status?: DeliveryDocument['status'];
  eventType?: string;
  since?: Date;
}

interface Cursor {
  t: number;
  id: string;
}

export function encodeCursor(delivery: Pick<DeliveryDocument, 'createdAt' | '_id'>): string {
  return Buffer.from(JSON.stringify({ t: delivery.createdAt.getTime(), id: delivery._id } satisfies Cursor)).toString(
    'base64url',
  );
}

export function decodeCursor(cursor: string): Cursor | null {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Partial<Cursor>;
    return typeof parsed.t === 'number' && typeof parsed.id === 'string' ? { t: parsed.t, id: parsed.id } : null;
  } catch {
    return null;
  }
}

function badCursor(): DomainError {
  return invalid(
    'cursor is not one this API returned',
    { issues: [{ path: 'query.cursor', rule: 'cursor', message: 'not a cursor from a previous page' }] },
    'bad_request',
  );
}

export interface TestResult {
  deliveryId: string;
  status?: number;
  durationMs: number;
  responseBody?: string;
  error?: string;
  ok: boolean;
}

export interface OperationsOptions {
  bus: EventBus;
  logger: Logger;
  metrics: DispatcherMetrics;
  now: () => Date;
  /** Refuses receiver URLs that point inside the network (SSRF); resolves when the URL may be used. */
  checkUrl?: (url: string) => Promise<void>;
  collections: DispatcherCollections;
  connections: ConnectionCache;
  store: DeliveryStore;
  http: WebhookSender;
  lookup: (type: string) => EventDefinition | undefined;
  /** Where the connection's owner (the instance sending for its shard) is told. */
  deliveriesTopic: string;
}

/** Released or redelivered deliveries per hand-off message. */
const REQUEUE_CHUNK = 500;

export class Operations {
  constructor(private readonly options: OperationsOptions) {}

  /**
   * Creates a connection; the returned document is the only time its secret is shown.
   * With `maxConnections`, a tenant that has as many already is refused (two creates
   * at the same moment may both pass the count: the bound is not a transaction).
   */
  async createConnection(
    tenantId: string,
    input: ConnectionInput,
    limits: { maxConnections?: number } = {},
  ): Promise<ConnectionDocument> {
    const parsed = connectionInputSchema.parse(input);
    if (limits.maxConnections !== undefined) {
      const current = await this.options.collections.connections.countDocuments({ tenantId });
      if (current >= limits.maxConnections) {
        throw limitReached(
          `a tenant may have at most ${limits.maxConnections} connections (HOOKLINE_MAX_CONNECTIONS_PER_TENANT): delete one first`,
          {
            limit: 'connections_per_tenant',
            max: limits.maxConnections,
            current,
          },
        );
      }
    }
    await this.options.checkUrl?.(parsed.url);
    const now = this.options.now();
    const connection: ConnectionDocument = {
      _id: `conn_${randomUUID().replaceAll('-', '')}`,
      tenantId,
      name: parsed.name,
      ...(parsed.description === undefined ? {} : { description: parsed.description }),
      url: parsed.url,
      active: parsed.active,
      status: 'active',
      filter: parsed.filter,
      headers: parsed.headers,
      retry: parsed.retry,
      maxInFlight: parsed.maxInFlight,
      ...(parsed.rateLimit === undefined ? {} : { rateLimit: parsed.rateLimit }),
      uniqueKey: generateUniqueKey(),
      secrets: [{ secret: generateSecret(), createdAt: now }],
      consecutiveFailures: 0,
      createdAt: now,
      updatedAt: now,
    };
    await this.options.collections.connections.insertOne(connection);
    this.options.connections.invalidate(connection);
    return connection;
  }

  /** The tenant's connections, oldest first, a page at a time (`cursor`: the previous page's `nextCursor`). */
  async listConnections(
    tenantId: string,
    filter: { status?: 'active' | 'blocked' | 'inactive' },
    page: { cursor?: string; limit: number },
  ): Promise<{ data: ConnectionDocument[]; nextCursor: string | null }> {
    const query: Record<string, unknown> =
      filter.status === 'inactive'
        ? { tenantId, active: false }
        : filter.status
          ? { tenantId, status: filter.status }
          : { tenantId };
    if (page.cursor) {
      const at = decodeCursor(page.cursor);
      if (!at) throw badCursor();
      query.$or = [{ createdAt: { $gt: new Date(at.t) } }, { createdAt: new Date(at.t), _id: { $gt: at.id } }];
    }
    const found = await this.options.collections.connections.find(query, {
      sort: { createdAt: 1, _id: 1 },
      limit: page.limit + 1,
    });
    const data = found.slice(0, page.limit);
    return { data, nextCursor: found.length > page.limit ? encodeCursor(data.at(-1)!) : null };
  }

  async getConnection(tenantId: string, connectionId: string): Promise<ConnectionDocument> {
    return this.connection(tenantId, connectionId);
  }

  async updateConnection(tenantId: string, connectionId: string, patch: ConnectionPatch): Promise<ConnectionDocument> {
    const current = await this.connection(tenantId, connectionId);
    const parsed = connectionPatchSchema.parse(patch);
    if (parsed.url !== undefined) await this.options.checkUrl?.(parsed.url);
    const changes = Object.fromEntries(
      Object.entries(parsed).filter(([, value]) => value !== undefined && value !== null),
    );
    const now = this.options.now();
    await this.options.collections.connections.updateOne(
      { _id: connectionId, tenantId },
      { $set: { ...changes, updatedAt: now }, ...(parsed.rateLimit === null ? { $unset: { rateLimit: '' } } : {}) },
    );
    this.options.connections.invalidate(current);
    await this.tell([{ kind: 'connection', connectionId }]);
    return this.connection(tenantId, connectionId);
  }

  /** Deletes a connection; what was waiting for it (pending or held) is discarded. */
  async deleteConnection(tenantId: string, connectionId: string): Promise<void> {
    const current = await this.connection(tenantId, connectionId);
    await this.options.collections.connections.deleteOne({ _id: connectionId, tenantId });
    this.options.connections.invalidate(current);
    await this.options.store.discardWaiting(connectionId, 'connection deleted');
    // Its owner lets go of what it holds in memory for it.
    await this.tell([{ kind: 'connection', connectionId }]);
  }

  /** A new signing secret, returned in full this once; the one it replaces keeps signing for 24 hours, any older one stops now. */
  async rotateSecret(
    tenantId: string,
    connectionId: string,
  ): Promise<{ connection: ConnectionDocument; secret: string }> {
    const current = await this.connection(tenantId, connectionId);
    const now = this.options.now();
    const secret = generateSecret();
    const overlapEnds = new Date(now.getTime() + SECRET_OVERLAP_MS);
    // secrets[0] is the current one (newest first).
    const replaced = current.secrets[0];
    const previous = replaced
      ? [{ secret: replaced.secret, createdAt: replaced.createdAt, expiresAt: overlapEnds }]
      : [];
    await this.options.collections.connections.updateOne(
      { _id: connectionId, tenantId },
      { $set: { secrets: [{ secret, createdAt: now }, ...previous], updatedAt: now } },
    );
    this.options.connections.invalidate(current);
    return { connection: await this.connection(tenantId, connectionId), secret };
  }

  /** The delivery log, newest first, a page at a time. */
  async listDeliveries(
    tenantId: string,
    filter: DeliveryFilter,
    page: { cursor?: string; limit: number },
  ): Promise<{ data: DeliveryDocument[]; nextCursor: string | null }> {
    const query: Record<string, unknown> = { tenantId };
    if (filter.connectionId) query.connectionId = filter.connectionId;
    if (filter.status) query.status = filter.status;
    if (filter.eventType) query.eventType = filter.eventType;
    if (filter.since) query.createdAt = { $gte: filter.since };
    if (page.cursor) {
      const cursor = decodeCursor(page.cursor);
      if (!cursor) throw badCursor();
      const at = new Date(cursor.t);
      query.$or = [{ createdAt: { $lt: at } }, { createdAt: at, _id: { $lt: cursor.id } }];
    }
    const found = await this.options.collections.deliveries.find(query, {
      sort: { createdAt: -1, _id: -1 },
      limit: page.limit + 1,
    });
    const data = found.slice(0, page.limit);
    return { data, nextCursor: found.length > page.limit ? encodeCursor(data.at(-1)!) : null };
  }

  async getDelivery(
    tenantId: string,
    deliveryId: string,
  ): Promise<{ delivery: DeliveryDocument; attempts: AttemptDocument[] }> {
    const delivery = await this.delivery(tenantId, deliveryId);
    // Attempts are numbered from 1: read by id, not searched for.
    const numbers = Array.from({ length: delivery.attemptCount }, (_, index) => index + 1);
    const found = await Promise.all(
      numbers.map((number) => this.options.collections.attempts.findOne({ _id: attemptId(deliveryId, number) })),
    );
    return { delivery, attempts: found.filter((attempt): attempt is AttemptDocument => attempt !== null) };
  }

  private delivery(tenantId: string, deliveryId: string): Promise<DeliveryDocument> {
    return ofTenant(this.options.collections.deliveries, tenantId, deliveryId, 'delivery');
  }

  private connection(tenantId: string, connectionId: string): Promise<ConnectionDocument> {
    return ofTenant(this.options.collections.connections, tenantId, connectionId, 'connection');
  }

  /**
   * Robolabs "Testuoti atgalinį skambutį": sends the catalog example of a type
   * (chosen, or the connection's natural sample) now, whatever the connection's
   * state, records it as a test delivery and returns the receiver's answer.
   * Test sends do not count towards blocking.
   */
  async sendTest(tenantId: string, connectionId: string, chosenType?: string): Promise<TestResult> {
    const connection = await this.connection(tenantId, connectionId);
    // Without a choice, the connection's natural sample.
    const eventType =
      chosenType ??
      sampleEventType(
        connection.filter,
        catalog.map((definition) => definition.type),
      );
    if (eventType === undefined) {
      throw invalid(
        'name an event type: the connection subscribes to no type this dispatcher knows',
        {
          issues: [
            {
              path: 'body.eventType',
              rule: 'required',
              message: 'no sample for a connection whose patterns match no known type',
            },
          ],
        },
        'bad_request',
      );
    }
    const definition = this.options.lookup(eventType);
    if (!definition)
      throw invalid(
        `no event type ${eventType}`,
        { issues: [{ path: 'body.eventType', rule: 'unknown_event_type', message: `no event type ${eventType}` }] },
        'bad_request',
      );
    const now = this.options.now();
    const event: HooklineEvent = createEvent(
      { type: eventType, subject: 'test', tenant: tenantId, actor: 'system', time: now, data: definition.example },
      this.options.lookup,
    );
    const body = webhookBodyFor({ ...connection.filter, eventTypes: [] }, event) ?? {
      type: event.type,
      timestamp: event.time,
      data: event.data,
    };
    const delivery: DeliveryDocument = {
      ...newDeliveryDocument(newDelivery(event, connection._id, body, now), connection),
      test: true,
      nextAttemptAt: null,
    };
    const sent = await sendAttempt(this.options, connection, delivery);
    const { result, outcome } = sent;
    const finishedAt = this.options.now();
    await this.options.collections.deliveries.insertOne({
      ...delivery,
      status: outcome.ok ? 'succeeded' : 'failed',
      ...(outcome.ok ? {} : { reason: 'test send failed' }),
      ...(result.status === undefined ? {} : { lastStatus: result.status }),
      ...(result.error === undefined ? {} : { lastError: result.error }),
      attemptCount: 1,
      roundAttempts: 1,
      finishedAt,
      updatedAt: finishedAt,
    });
    await this.options.collections.attempts.insertOne({
      _id: attemptId(delivery._id, 1),
      deliveryId: delivery._id,
      connectionId: connection._id,
      tenantId,
      number: 1,
      ...attemptRecord(sent),
    });
    return {
      deliveryId: delivery._id,
      ok: outcome.ok,
      durationMs: result.durationMs,
      ...(result.status === undefined ? {} : { status: result.status }),
      ...(result.responseBody === undefined ? {} : { responseBody: result.responseBody }),
      ...(result.error === undefined ? {} : { error: result.error }),
    };
  }

  /** Starts a new round of attempts for finished or held deliveries, in ingest order, and tells the connection's owner. */
  private async requeue(
    connection: ConnectionDocument,
    deliveries: DeliveryDocument[],
    before: DeliveryTask[] = [],
  ): Promise<number> {
    const ids = await this.options.store.requeue(deliveries, connection.retry);
    const byId = new Map(deliveries.map((delivery) => [delivery._id, delivery]));
    const tasks: DeliveryTask[] = [...before];
    for (let start = 0; start < ids.length; start += REQUEUE_CHUNK) {
      tasks.push({
        kind: 'requeue',
        connectionId: connection._id,
        deliveries: ids
          .slice(start, start + REQUEUE_CHUNK)
          .map((_id) => ({ _id, subject: byId.get(_id)!.subject, seq: byId.get(_id)!.seq })),
      });
    }
    await this.tell(tasks);
    return ids.length;
  }

  /** Messages to the instance sending for the connection, on its shard's partition, in order. */
  private async tell(tasks: DeliveryTask[]): Promise<void> {
    if (tasks.length > 0) await this.options.bus.publish(this.options.deliveriesTopic, tasks.map(taskMessage));
  }

  /** Sends one delivery again (a new round under the connection's retry policy). */
  async redeliver(tenantId: string, deliveryId: string): Promise<void> {
    const delivery = await this.delivery(tenantId, deliveryId);
    if (delivery.status === 'pending') return;
    await this.requeue(await this.connection(tenantId, delivery.connectionId), [delivery]);
  }

  /** Sends again every failed delivery of a connection created since `since`. */
  async recover(tenantId: string, connectionId: string, since: Date): Promise<number> {
    const connection = await this.connection(tenantId, connectionId);
    const failed = await this.options.store.failedSince(connectionId, since);
    return failed.length === 0 ? 0 : this.requeue(connection, failed);
  }

  /** Unblocks a connection: its held deliveries are released in order, or discarded. */
  async unblock(tenantId: string, connectionId: string, held: 'release' | 'discard'): Promise<{ deliveries: number }> {
    const connection = await this.connection(tenantId, connectionId);
    const { collections, store } = this.options;
    const now = this.options.now();
    await collections.connections.updateOne(
      { _id: connectionId },
      { $set: { status: 'active', consecutiveFailures: 0, updatedAt: now }, $unset: { blockedAt: '' } },
    );
    this.options.connections.invalidate(connection);
    const waiting = await store.held(connectionId);
    // The owner reads the connection again first (its lane resumes), then gets what is released.
    const unblocked: DeliveryTask = { kind: 'connection', connectionId };
    if (held === 'release' && waiting.length > 0) {
      await this.requeue(connection, waiting, [unblocked]);
    } else {
      if (waiting.length > 0)
        await store.discardNow(
          waiting.map((delivery) => delivery._id),
          'discarded when the connection was unblocked',
        );
      await this.tell([unblocked]);
    }
    await publishPlatformEvent(
      this.options,
      'hookline.connection.unblocked',
      connection,
      { held, deliveries: waiting.length },
      now,
    );
    return { deliveries: waiting.length };
  }
}

/**
 * A document of this tenant, read by `_id` alone and its tenant checked here (another tenant's answers
 * the same 404): a filter of more than `_id` is a full scan on FerretDB (41 s for one delivery among
 * 300,000 in the bench).
 */
async function ofTenant<T extends { _id: string; tenantId: string }>(
  collection: { findOne(filter: { _id: string }): Promise<T | null> },
  tenantId: string,
  id: string,
  what: string,
): Promise<T> {
  const found = await collection.findOne({ _id: id });
  if (!found || found.tenantId !== tenantId) throw notFound(`no ${what} ${id}`);
  return found;
}
