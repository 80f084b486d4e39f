// Events the dispatcher itself publishes (topic `hookline.platform`), so
// operators can be told, as Svix does with endpoint.disabled and
// message.attempt.exhausted.
import { z } from 'zod';

export const platformTopic = 'hookline.platform';

const connectionRef = { tenantId: z.string(), connectionId: z.string(), url: z.string() };

export const platformEvents = {
  'hookline.connection.blocked': {
    data: z.object({ ...connectionRef, consecutiveFailures: z.number().int(), lastError: z.string().optional() }),
  },
  'hookline.connection.unblocked': {
    data: z.object({ ...connectionRef, held: z.enum(['release', 'discard']), deliveries: z.number().int() }),
  },
  'hookline.delivery.exhausted': {
    data: z.object({
      ...connectionRef,
      deliveryId: z.string(),
      eventId: z.string(),
      eventType: z.string(),
      attempts: z.number().int(),
      reason: z.string(),
    }),
  },
} as const;
export type PlatformEventType = keyof typeof platformEvents;

export function findPlatformEvent(type: string) {
  return platformEvents[type as PlatformEventType];
}
