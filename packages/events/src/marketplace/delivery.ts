/** BIYRO work and delivery events: preparation, work, deliveries, revisions and quotas. */
import { z } from 'zod';
import { defineEvent } from '../define.js';
import { buyerActorSample, projectEventData, sampleProject, sellerActorSample, systemActorSample } from './data.js';
import { quotas, revisions, stage } from './objects.js';

const stageSample = {
  id: 'stg_01J9ZW0A5R',
  number: 1,
  title: 'Skapju izgatavošana un uzstādīšana',
  amount: 1250,
  dueDate: '2026-03-31',
} as const;

export const activePrepare = defineEvent({
  type: 'marketplace.project.active_prepare',
  domain: 'marketplace',
  description: 'Fires when the project is approved and paid and the seller starts preparing for it.',
  sourceName: 'active_prepare',
  initiator: 'buyer',
  data: projectEventData(
    'buyer',
    {},
    'A project approved and paid by the buyer, for which the seller starts preparing.',
  ),
  example: {
    project: sampleProject('prepare'),
    occurredAt: '2026-02-03T07:58:42Z',
    actor: buyerActorSample,
  },
});

export const activeWork = defineEvent({
  type: 'marketplace.project.active_work',
  domain: 'marketplace',
  description: 'Fires when the work has started, the payment having been received.',
  sourceName: 'active_work',
  initiator: 'buyer',
  data: projectEventData(
    'buyer',
    { stage: stage.describe('The stage whose work has started.') },
    'A paid project whose work has started.',
  ),
  example: {
    project: sampleProject('work'),
    occurredAt: '2026-02-05T06:30:00Z',
    actor: buyerActorSample,
    stage: { ...stageSample, dueDate: '2026-03-20', status: 'in_progress' },
  },
});

export const activeDelivered = defineEvent({
  type: 'marketplace.project.active_delivered',
  domain: 'marketplace',
  description: 'Fires when the seller has delivered the completed work.',
  sourceName: 'active_delivered',
  initiator: 'seller',
  data: projectEventData(
    'seller',
    {
      stage: stage.describe('The stage whose work was delivered.'),
      message: z.string().nullable().describe('Message the seller sent with the delivery; null when none.'),
      filesCount: z.number().int().nonnegative().describe('Number of files attached to the delivery.'),
    },
    'Work delivered by the seller, for the buyer to approve or to ask revisions.',
  ),
  example: {
    project: sampleProject('delivered', { deliveryDeadline: '2026-03-31' }),
    occurredAt: '2026-03-28T16:44:19Z',
    actor: sellerActorSample,
    stage: { ...stageSample, status: 'delivered' },
    message: 'Skapji uzstādīti, pievienoju fotogrāfijas un kopšanas instrukciju.',
    filesCount: 6,
  },
});

export const activeRevisions = defineEvent({
  type: 'marketplace.project.active_revisions',
  domain: 'marketplace',
  description: 'Fires when the buyer has requested revisions.',
  sourceName: 'active_revisions',
  initiator: 'buyer',
  data: projectEventData(
    'buyer',
    { stage: stage.describe('The delivered stage the buyer wants revised.'), revisions },
    'Revisions (korekcijas) requested by the buyer after a delivery.',
  ),
  example: {
    project: sampleProject('revisions', { deliveryDeadline: '2026-03-31' }),
    occurredAt: '2026-03-29T10:05:51Z',
    actor: buyerActorSample,
    stage: { ...stageSample, status: 'revisions' },
    revisions: { round: 1, comment: 'Lūdzu noregulēt kreisās durvis, tās neaizveras līdz galam.' },
  },
});

export const quotasAssigned = defineEvent({
  type: 'marketplace.project.quotas_assigned',
  domain: 'marketplace',
  description: 'Fires when quotas are assigned to the buyer after a stage is approved.',
  sourceName: 'quotas_assigned',
  initiator: 'system',
  data: projectEventData(
    'system',
    { stage: stage.describe('The approved stage that earned the quotas.'), quotas },
    'Quotas (kvotas) assigned to the buyer after the approval of a stage; they can pay add-ons.',
  ),
  example: {
    project: sampleProject('support', { deliveryDeadline: '2026-03-31' }),
    occurredAt: '2026-04-02T09:00:02Z',
    actor: systemActorSample,
    stage: { ...stageSample, status: 'approved' },
    quotas: { assigned: 25, balance: 25 },
  },
});
