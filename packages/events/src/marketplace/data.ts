/** The common fields of every BIYRO project event's `data`, and the helper that builds each event's schema. */
import { z } from 'zod';
import { isoDateTime } from '../common.js';
import { actorFor, project, type MarketplaceInitiator } from './objects.js';

/**
 * `data` of a BIYRO project event: `project`, `occurredAt` and `actor` (whose role is the
 * event's initiator as the document gives it), plus the fields specific to the event.
 */
export function projectEventData<I extends MarketplaceInitiator, S extends z.ZodRawShape>(
  initiator: I,
  shape: S,
  description: string,
) {
  return z
    .object({
      project,
      occurredAt: isoDateTime.describe('When the event happened on BIYRO.'),
      actor: actorFor[initiator],
      ...shape,
    })
    .describe(description);
}

/** Ids and parties reused by the examples, so that they tell one consistent story. */
export const sample = {
  seller: { id: 'usr_7Kq2mD', name: 'SIA "Koka Darbnīca"' },
  buyer: { id: 'usr_3Fh8sL', name: 'Ilze Kalniņa' },
  projectId: 'prj_01J9ZK4T7M',
} as const;

/** A sample project at a given status, for the examples. */
export function sampleProject(
  status: z.input<typeof project>['status'],
  overrides: Partial<z.input<typeof project>> = {},
) {
  return {
    id: sample.projectId,
    title: 'Virtuves skapju izgatavošana un uzstādīšana',
    status,
    seller: { ...sample.seller },
    buyer: { ...sample.buyer },
    currency: 'EUR',
    price: 1250,
    deliveryDeadline: '2026-03-20',
    offerValidUntil: '2026-02-06T21:59:59Z',
    stagesCount: 1,
    createdAt: '2026-01-28T09:12:40Z',
    ...overrides,
  } satisfies z.input<typeof project>;
}

export const sellerActorSample = { role: 'seller', id: sample.seller.id } as const;
export const buyerActorSample = { role: 'buyer', id: sample.buyer.id } as const;
export const systemActorSample = { role: 'system', id: null } as const;
