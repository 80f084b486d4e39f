/** BIYRO project purchase events: the project invoice and its payment. */
import { defineEvent } from '../define.js';
import { buyerActorSample, projectEventData, sampleProject } from './data.js';
import { paymentFailed, paymentSucceeded, projectInvoice } from './objects.js';

const invoiceSample = {
  id: 'inv_01J9ZQ2B8C',
  number: 'BIY-2026-000417',
  subject: { type: 'project' },
  currency: 'EUR',
  amount: 1250,
  commissionRate: 0.2,
  commissionAmount: 250,
  sellerAmount: 1000,
  issuedAt: '2026-02-02T12:31:09Z',
  dueDate: '2026-02-09',
} as const;

export const purchaseNewInvoice = defineEvent({
  type: 'marketplace.project.purchase_new_invoice',
  domain: 'marketplace',
  description:
    'Fires when the invoice for the project purchase is issued to the buyer after the buyer has signed the project.',
  sourceName: 'purchase_new_invoice',
  initiator: 'buyer',
  data: projectEventData(
    'buyer',
    { invoice: projectInvoice },
    'A new invoice for the project, with the platform commission.',
  ),
  example: {
    project: sampleProject('signed'),
    occurredAt: '2026-02-02T12:31:09Z',
    actor: buyerActorSample,
    invoice: invoiceSample,
  },
});

export const purchasePaymentSucceeded = defineEvent({
  type: 'marketplace.project.purchase_payment_succeeded',
  domain: 'marketplace',
  description: "Fires when the buyer's payment of the project invoice succeeds.",
  sourceName: 'purchase_payment_succeeded',
  initiator: 'buyer',
  data: projectEventData(
    'buyer',
    { invoice: projectInvoice, payment: paymentSucceeded },
    'A successful payment of the project invoice.',
  ),
  example: {
    project: sampleProject('signed'),
    occurredAt: '2026-02-03T07:58:41Z',
    actor: buyerActorSample,
    invoice: invoiceSample,
    payment: {
      id: 'pay_01J9ZV6W3N',
      invoiceId: invoiceSample.id,
      amount: 1250,
      currency: 'EUR',
      method: 'card',
      status: 'succeeded',
      failureReason: null,
      paidAt: '2026-02-03T07:58:40Z',
    },
  },
});

export const purchasePaymentFailed = defineEvent({
  type: 'marketplace.project.purchase_payment_failed',
  domain: 'marketplace',
  description: "Fires when the buyer's payment of the project invoice fails.",
  sourceName: 'purchase_payment_failed',
  initiator: 'buyer',
  data: projectEventData(
    'buyer',
    { invoice: projectInvoice, payment: paymentFailed },
    'A failed payment of the project invoice, with the reason; the invoice stays unpaid.',
  ),
  example: {
    project: sampleProject('signed'),
    occurredAt: '2026-02-02T19:14:22Z',
    actor: buyerActorSample,
    invoice: invoiceSample,
    payment: {
      id: 'pay_01J9ZS1K7Q',
      invoiceId: invoiceSample.id,
      amount: 1250,
      currency: 'EUR',
      method: 'card',
      status: 'failed',
      failureReason: { code: 'insufficient_funds', message: 'Kartē nepietiek līdzekļu.' },
      paidAt: null,
    },
  },
});
