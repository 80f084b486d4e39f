/** BIYRO cancellation events: requests to cancel a project (order), their refusal, and the cancellation. */
import { z } from 'zod';
import { defineEvent } from '../define.js';
import { buyerActorSample, projectEventData, sampleProject, sellerActorSample } from './data.js';
import { cancellationWith } from './objects.js';

const sellerRequest = {
  id: 'cnc_01JAQ7T3VB',
  reason: 'Saslimšanas dēļ nevaru pabeigt darbu noteiktajā termiņā.',
  requestedAt: '2026-03-02T11:20:09Z',
} as const;

const buyerRequest = {
  id: 'cnc_01JAQ9D5KM',
  reason: 'Pārdomājām virtuves plānojumu, darbs vairs nav vajadzīgs.',
  requestedAt: '2026-03-03T18:47:26Z',
} as const;

export const requestCancellationSeller = defineEvent({
  type: 'marketplace.project.request_cancellation_seller',
  domain: 'marketplace',
  description: 'Fires when the seller requests to cancel the order.',
  sourceName: 'request_cancellation_seller',
  initiator: 'seller',
  data: projectEventData(
    'seller',
    { cancellation: cancellationWith('seller', 'requested') },
    "The seller's request to cancel the project, waiting for the buyer.",
  ),
  example: {
    project: sampleProject('work'),
    occurredAt: sellerRequest.requestedAt,
    actor: sellerActorSample,
    cancellation: { ...sellerRequest, requestedBy: 'seller', status: 'requested' },
  },
});

export const requestCancellationBuyer = defineEvent({
  type: 'marketplace.project.request_cancellation_buyer',
  domain: 'marketplace',
  description: 'Fires when the buyer requests to cancel the project.',
  sourceName: 'request_cancellation_buyer',
  initiator: 'buyer',
  data: projectEventData(
    'buyer',
    { cancellation: cancellationWith('buyer', 'requested') },
    "The buyer's request to cancel the project, waiting for the seller.",
  ),
  example: {
    project: sampleProject('work'),
    occurredAt: buyerRequest.requestedAt,
    actor: buyerActorSample,
    cancellation: { ...buyerRequest, requestedBy: 'buyer', status: 'requested' },
  },
});

export const requestCancellationDeclinedBuyer = defineEvent({
  type: 'marketplace.project.request_cancellation_declined_buyer',
  domain: 'marketplace',
  description: "Fires when the buyer declines the seller's request to cancel the project.",
  sourceName: 'request_cancellation_declined_buyer',
  initiator: 'buyer',
  data: projectEventData(
    'buyer',
    { cancellation: cancellationWith('seller', 'declined') },
    "The seller's cancellation request declined by the buyer; the project goes on.",
  ),
  example: {
    project: sampleProject('work'),
    occurredAt: '2026-03-02T15:03:44Z',
    actor: buyerActorSample,
    cancellation: { ...sellerRequest, requestedBy: 'seller', status: 'declined' },
  },
});

// The document's sentence for this code ("Kad izpildītājs atceļ termiņu pagarināšanas pieprasījumu":
// when the seller declines the deadline extension request) is an evident copy error: extensions are
// requested by the seller and answered by the buyer (request_extension_declined). By its code and its
// place beside request_cancellation_declined_buyer, this is the seller declining the buyer's
// cancellation request.
export const requestCancellationDeclinedSeller = defineEvent({
  type: 'marketplace.project.request_cancellation_declined_seller',
  domain: 'marketplace',
  description: "Fires when the seller declines the buyer's request to cancel the project.",
  sourceName: 'request_cancellation_declined_seller',
  initiator: 'seller',
  data: projectEventData(
    'seller',
    { cancellation: cancellationWith('buyer', 'declined') },
    "The buyer's cancellation request declined by the seller; the project goes on.",
  ),
  example: {
    project: sampleProject('work'),
    occurredAt: '2026-03-04T07:55:10Z',
    actor: sellerActorSample,
    cancellation: { ...buyerRequest, requestedBy: 'buyer', status: 'declined' },
  },
});

export const activeCancelled = defineEvent({
  type: 'marketplace.project.active_cancelled',
  domain: 'marketplace',
  description: 'Fires when the order has been cancelled.',
  sourceName: 'active_cancelled',
  initiator: 'seller_or_buyer',
  data: projectEventData(
    'seller_or_buyer',
    {
      cancellation: z
        .discriminatedUnion('requestedBy', [
          cancellationWith('seller', 'accepted'),
          cancellationWith('buyer', 'accepted'),
        ])
        .describe('The cancellation request that was accepted, by whichever party made it.'),
    },
    'A cancelled project (order); the actor is the seller or the buyer who accepted the cancellation.',
  ),
  example: {
    project: sampleProject('cancelled'),
    occurredAt: '2026-03-04T07:55:10Z',
    actor: sellerActorSample,
    cancellation: { ...buyerRequest, requestedBy: 'buyer', status: 'accepted' },
  },
});
