/** BIYRO delivery deadline extension events (izstrādes termiņa pagarināšana). */
import { defineEvent } from '../define.js';
import { buyerActorSample, projectEventData, sampleProject, sellerActorSample } from './data.js';
import { extensionWithStatus } from './objects.js';

const extensionSample = {
  id: 'ext_01JB2C4R9D',
  currentDeadline: '2026-03-20',
  requestedDeadline: '2026-03-31',
  reason: 'Ozolkoka fasāžu piegāde no ražotāja aizkavējas par nedēļu.',
  requestedAt: '2026-03-10T14:05:33Z',
} as const;

export const requestExtension = defineEvent({
  type: 'marketplace.project.request_extension',
  domain: 'marketplace',
  description: "Fires when the seller requests to extend the project's delivery deadlines.",
  sourceName: 'request_extension',
  initiator: 'seller',
  data: projectEventData(
    'seller',
    { extension: extensionWithStatus('requested') },
    'A request by the seller to extend the delivery deadline, waiting for the buyer.',
  ),
  example: {
    project: sampleProject('work'),
    occurredAt: '2026-03-10T14:05:33Z',
    actor: sellerActorSample,
    extension: { ...extensionSample, status: 'requested' },
  },
});

export const requestExtensionDeclined = defineEvent({
  type: 'marketplace.project.request_extension_declined',
  domain: 'marketplace',
  description: 'Fires when the buyer declines the request to extend the delivery deadline.',
  sourceName: 'request_extension_declined',
  initiator: 'buyer',
  data: projectEventData(
    'buyer',
    { extension: extensionWithStatus('declined') },
    'A deadline extension request declined by the buyer; the deadline stays as it was.',
  ),
  example: {
    project: sampleProject('work'),
    occurredAt: '2026-03-11T08:40:12Z',
    actor: buyerActorSample,
    extension: { ...extensionSample, status: 'declined' },
  },
});

export const requestExtensionAccepted = defineEvent({
  type: 'marketplace.project.request_extension_accepted',
  domain: 'marketplace',
  description: "Fires when the buyer approves extending the project's delivery deadlines.",
  sourceName: 'request_extension_accepted',
  initiator: 'buyer',
  data: projectEventData(
    'buyer',
    { extension: extensionWithStatus('accepted') },
    'A deadline extension request approved by the buyer; project.deliveryDeadline is the new deadline.',
  ),
  example: {
    project: sampleProject('work', { deliveryDeadline: '2026-03-31' }),
    occurredAt: '2026-03-11T08:40:12Z',
    actor: buyerActorSample,
    extension: { ...extensionSample, status: 'accepted' },
  },
});
