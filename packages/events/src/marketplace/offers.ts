/** BIYRO offer events: a project from draft to the buyer's signature. */
import { z } from 'zod';
import { defineEvent } from '../define.js';
import { buyerActorSample, projectEventData, sampleProject, sellerActorSample, systemActorSample } from './data.js';

const optionalReason = (who: string) =>
  z.string().min(1).nullable().describe(`Reason the ${who} gave, if any; null when none was given.`);

export const newDraft = defineEvent({
  type: 'marketplace.project.new_draft',
  domain: 'marketplace',
  description: 'Fires when the seller saves a new project as a draft.',
  sourceName: 'new_draft',
  initiator: 'seller',
  data: projectEventData('seller', {}, 'A new project saved as a draft by the seller.'),
  example: {
    project: sampleProject('draft', { buyer: null, offerValidUntil: null }),
    occurredAt: '2026-01-28T09:12:40Z',
    actor: sellerActorSample,
  },
});

export const newSent = defineEvent({
  type: 'marketplace.project.new_sent',
  domain: 'marketplace',
  description: 'Fires when the seller has sent the new project (the offer) to the buyer.',
  sourceName: 'new_sent',
  initiator: 'seller',
  data: projectEventData(
    'seller',
    { message: z.string().nullable().describe('Message the seller sent with the offer; null when none.') },
    'A new project (offer) sent by the seller to the buyer; project.offerValidUntil tells when the offer expires.',
  ),
  example: {
    project: sampleProject('sent'),
    occurredAt: '2026-01-28T10:03:17Z',
    actor: sellerActorSample,
    message: 'Labdien! Pievienoju piedāvājumu virtuves skapjiem pēc mūsu sarunas. Cenā iekļauta uzstādīšana.',
  },
});

export const newDeclined = defineEvent({
  type: 'marketplace.project.new_declined',
  domain: 'marketplace',
  description: 'Fires when the buyer declines the new project.',
  sourceName: 'new_declined',
  initiator: 'buyer',
  data: projectEventData('buyer', { reason: optionalReason('buyer') }, 'A new project (offer) declined by the buyer.'),
  example: {
    project: sampleProject('declined'),
    occurredAt: '2026-01-30T17:45:02Z',
    actor: buyerActorSample,
    reason: 'Izvēlējāmies citu izpildītāju ar īsāku izpildes termiņu.',
  },
});

export const newWithdrawn = defineEvent({
  type: 'marketplace.project.new_withdrawn',
  domain: 'marketplace',
  description: 'Fires when the seller withdraws the new project.',
  sourceName: 'new_withdrawn',
  initiator: 'seller',
  data: projectEventData(
    'seller',
    { reason: optionalReason('seller') },
    'A new project (offer) withdrawn by the seller.',
  ),
  example: {
    project: sampleProject('withdrawn'),
    occurredAt: '2026-01-29T08:20:55Z',
    actor: sellerActorSample,
    reason: null,
  },
});

export const deleted = defineEvent({
  type: 'marketplace.project.deleted',
  domain: 'marketplace',
  description: 'Fires when the seller deletes a draft.',
  sourceName: 'deleted',
  initiator: 'seller',
  data: projectEventData(
    'seller',
    {},
    'A draft project deleted by the seller; the project is the draft as it was last saved.',
  ),
  example: {
    project: sampleProject('deleted', { buyer: null, offerValidUntil: null }),
    occurredAt: '2026-01-28T09:30:00Z',
    actor: sellerActorSample,
  },
});

export const expired = defineEvent({
  type: 'marketplace.project.expired',
  domain: 'marketplace',
  description: "Fires when the validity period of the project's offer has ended.",
  sourceName: 'expired',
  initiator: 'system',
  data: projectEventData(
    'system',
    {},
    'A project offer whose validity period (project.offerValidUntil) has ended without a signature.',
  ),
  example: {
    project: sampleProject('expired'),
    occurredAt: '2026-02-06T22:00:04Z',
    actor: systemActorSample,
  },
});

export const activeSigned = defineEvent({
  type: 'marketplace.project.active_signed',
  domain: 'marketplace',
  description: 'Fires when the buyer has approved (signed) the project.',
  sourceName: 'active_signed',
  initiator: 'buyer',
  data: projectEventData(
    'buyer',
    {},
    'A project approved (signed) by the buyer; payment of the project invoice follows.',
  ),
  example: {
    project: sampleProject('signed'),
    occurredAt: '2026-02-02T12:31:08Z',
    actor: buyerActorSample,
  },
});
