/** BIYRO add-on events: extra work (papildinājums) the seller offers inside a running project. */
import { z } from 'zod';
import { defineEvent } from '../define.js';
import { buyerActorSample, projectEventData, sampleProject, sellerActorSample, systemActorSample } from './data.js';
import { addonInvoice, addonWithStatus, paymentSucceeded, quotasSpent } from './objects.js';

const addonSample = {
  id: 'add_01JA4M8X2P',
  title: 'Papildu augšējie skapīši virs ledusskapja',
  description: 'Divi augšējie skapīši 60 × 40 cm ar ozolkoka fasādēm, ieskaitot uzstādīšanu.',
  price: 180,
  validUntil: '2026-02-27T21:59:59Z',
} as const;

const addonInvoiceSample = {
  id: 'inv_01JA5B1F6T',
  number: 'BIY-2026-000533',
  subject: { type: 'addon', addonId: addonSample.id },
  currency: 'EUR',
  amount: 180,
  commissionRate: 0.2,
  commissionAmount: 36,
  sellerAmount: 144,
  issuedAt: '2026-02-21T10:02:11Z',
  dueDate: '2026-02-28',
} as const;

const addonPaymentSample = {
  id: 'pay_01JA5C9H0E',
  invoiceId: addonInvoiceSample.id,
  amount: 180,
  currency: 'EUR',
  method: 'bank_transfer',
  status: 'succeeded',
  failureReason: null,
  paidAt: '2026-02-22T09:17:45Z',
} as const;

export const newAddon = defineEvent({
  type: 'marketplace.project.new_addon',
  domain: 'marketplace',
  description: 'Fires when the seller has created a new add-on.',
  sourceName: 'new_addon',
  initiator: 'seller',
  data: projectEventData(
    'seller',
    { addon: addonWithStatus('offered') },
    'A new add-on offered by the seller, waiting for the buyer.',
  ),
  example: {
    project: sampleProject('work'),
    occurredAt: '2026-02-20T15:26:03Z',
    actor: sellerActorSample,
    addon: { ...addonSample, status: 'offered' },
  },
});

export const withdrawnAddon = defineEvent({
  type: 'marketplace.project.withdrawn_addon',
  domain: 'marketplace',
  // The document's "atcel" is a typo of "atceļ" (cancels); the code says withdrawn.
  description: 'Fires when the seller withdraws an add-on.',
  sourceName: 'withdrawn_addon',
  initiator: 'seller',
  data: projectEventData('seller', { addon: addonWithStatus('withdrawn') }, 'An add-on withdrawn by the seller.'),
  example: {
    project: sampleProject('work'),
    occurredAt: '2026-02-20T16:02:48Z',
    actor: sellerActorSample,
    addon: { ...addonSample, status: 'withdrawn' },
  },
});

export const expiredAddon = defineEvent({
  type: 'marketplace.project.expired_addon',
  domain: 'marketplace',
  description: 'Fires when the validity period of an add-on has ended.',
  sourceName: 'expired_addon',
  initiator: 'system',
  data: projectEventData(
    'system',
    { addon: addonWithStatus('expired') },
    'An add-on whose validity period (addon.validUntil) ended before the buyer accepted it.',
  ),
  example: {
    project: sampleProject('work'),
    occurredAt: '2026-02-27T22:00:03Z',
    actor: systemActorSample,
    addon: { ...addonSample, status: 'expired' },
  },
});

export const declinedAddon = defineEvent({
  type: 'marketplace.project.declined_addon',
  domain: 'marketplace',
  description: 'Fires when the buyer declines an add-on.',
  sourceName: 'declined_addon',
  initiator: 'buyer',
  data: projectEventData(
    'buyer',
    {
      addon: addonWithStatus('declined'),
      reason: z.string().min(1).nullable().describe('Reason the buyer gave, if any; null when none was given.'),
    },
    'An add-on declined by the buyer.',
  ),
  example: {
    project: sampleProject('work'),
    occurredAt: '2026-02-21T08:11:30Z',
    actor: buyerActorSample,
    addon: { ...addonSample, status: 'declined' },
    reason: 'Pagaidām papildu skapīšus neplānojam.',
  },
});

export const purchaseNewInvoiceAddon = defineEvent({
  type: 'marketplace.project.purchase_new_invoice_addon',
  domain: 'marketplace',
  description: 'Fires when an invoice is issued to the buyer for an add-on the buyer chose to pay with money.',
  sourceName: 'purchase_new_invoice_addon',
  initiator: 'buyer',
  data: projectEventData(
    'buyer',
    { addon: addonWithStatus('invoiced'), invoice: addonInvoice },
    'A new invoice for an add-on, with the platform commission.',
  ),
  example: {
    project: sampleProject('work'),
    occurredAt: '2026-02-21T10:02:11Z',
    actor: buyerActorSample,
    addon: { ...addonSample, status: 'invoiced' },
    invoice: addonInvoiceSample,
  },
});

export const purchaseAddonPaymentSucceeded = defineEvent({
  type: 'marketplace.project.purchase_addon_payment_succeeded',
  domain: 'marketplace',
  description: "Fires when the buyer's payment of an add-on invoice succeeds.",
  sourceName: 'purchase_addon_payment_succeeded',
  initiator: 'buyer',
  data: projectEventData(
    'buyer',
    { addon: addonWithStatus('accepted'), invoice: addonInvoice, payment: paymentSucceeded },
    'A successful payment of an add-on invoice; the add-on is accepted (accepted_addon follows).',
  ),
  example: {
    project: sampleProject('work'),
    occurredAt: '2026-02-22T09:17:46Z',
    actor: buyerActorSample,
    addon: { ...addonSample, status: 'accepted' },
    invoice: addonInvoiceSample,
    payment: addonPaymentSample,
  },
});

const acceptedAddonDescription = 'An add-on paid for by the buyer and added to the project';

export const acceptedAddon = defineEvent({
  type: 'marketplace.project.accepted_addon',
  domain: 'marketplace',
  description: 'Fires when the buyer has paid for an add-on to the project, with money or with quotas.',
  sourceName: 'accepted_addon',
  initiator: 'buyer',
  data: z
    .discriminatedUnion('paidWith', [
      projectEventData(
        'buyer',
        {
          addon: addonWithStatus('accepted'),
          paidWith: z.literal('money').describe('The buyer paid the add-on invoice with money.'),
          invoice: addonInvoice,
          payment: paymentSucceeded,
        },
        `${acceptedAddonDescription}, paid with money.`,
      ),
      projectEventData(
        'buyer',
        {
          addon: addonWithStatus('accepted'),
          paidWith: z.literal('quotas').describe('The buyer paid the add-on with quotas (kvotas).'),
          quotas: quotasSpent,
        },
        `${acceptedAddonDescription}, paid with quotas.`,
      ),
    ])
    .describe(`${acceptedAddonDescription}; paidWith tells whether money (invoice and payment) or quotas were used.`),
  example: {
    project: sampleProject('work'),
    occurredAt: '2026-02-22T09:17:47Z',
    actor: buyerActorSample,
    addon: { ...addonSample, status: 'accepted' },
    paidWith: 'money',
    invoice: addonInvoiceSample,
    payment: addonPaymentSample,
  },
});
