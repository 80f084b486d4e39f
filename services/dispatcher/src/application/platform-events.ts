// Telling operators what happened to a connection: each platform event is
// published on `hookline.platform` and recorded for the console.
import { randomUUID } from 'node:crypto';
import type { EventBus } from '@hookline/bus';
import { createEvent, toKafkaMessage } from '@hookline/events';
import type { Logger } from 'pino';
import type { DispatcherCollections } from '../adapters/dispatcher-store.js';
import type { ConnectionDocument } from '../domain/connection.js';
import { findPlatformEvent, platformTopic, type PlatformEventType } from '../domain/platform-events.js';

export interface PlatformEventDeps {
  bus: EventBus;
  collections: Pick<DispatcherCollections, 'connectionEvents'>;
  logger: Logger;
}

export async function publishPlatformEvent(
  deps: PlatformEventDeps,
  type: PlatformEventType,
  connection: Pick<ConnectionDocument, '_id' | 'tenantId' | 'url'>,
  detail: Record<string, unknown>,
  now: Date,
): Promise<void> {
  const data = { tenantId: connection.tenantId, connectionId: connection._id, url: connection.url, ...detail };
  await deps.collections.connectionEvents.insertOne({
    _id: randomUUID(),
    tenantId: connection.tenantId,
    connectionId: connection._id,
    type: type.replace(/^hookline\./, '') as 'connection.blocked',
    at: now,
    detail,
  });
  const event = createEvent(
    {
      type,
      subject: connection._id,
      tenant: connection.tenantId,
      source: '/hookline/dispatcher',
      actor: 'system',
      time: now,
      data,
    },
    findPlatformEvent,
  );
  const { key, value, headers } = toKafkaMessage(event);
  await deps.bus.publish(platformTopic, [{ key, value, headers }]);
  deps.logger.info({ type, connectionId: connection._id, tenantId: connection.tenantId }, 'platform event');
}
