import { describe, it, expect } from 'vitest';
import { marketplaceEvents, freeSellerPlan, sellerPlan, invoice } from './index.js';
import { clone, undescribed } from '../testing.js';

/** The 35 project codes of the BIYRO document, in its order, with the party the document names. */
const documentCodes = [
  ['new_draft', 'Izpildītājs'],
  ['new_sent', 'Izpildītājs'],
  ['new_declined', 'Pasūtītājs'],
  ['new_withdrawn', 'Izpildītājs'],
  ['deleted', 'Izpildītājs'],
  ['files_deleted', 'Sistēma'],
  ['files_not_deleted', 'Sistēma'],
  ['expired', 'Sistēma'],
  ['active_signed', 'Pasūtītājs'],
  ['purchase_new_invoice', 'Pasūtītājs'],
  ['purchase_payment_succeeded', 'Pasūtītājs'],
  ['purchase_payment_failed', 'Pasūtītājs'],
  ['active_work', 'Pasūtītājs'],
  ['request_extension', 'Izpildītājs'],
  ['request_extension_declined', 'Pasūtītājs'],
  ['request_extension_accepted', 'Pasūtītājs'],
  ['new_addon', 'Izpildītājs'],
  ['withdrawn_addon', 'Izpildītājs'],
  ['expired_addon', 'Sistēma'],
  ['declined_addon', 'Pasūtītājs'],
  ['purchase_new_invoice_addon', 'Pasūtītājs'],
  ['purchase_addon_payment_succeeded', 'Pasūtītājs'],
  ['accepted_addon', 'Pasūtītājs'],
  ['active_delivered', 'Izpildītājs'],
  ['active_revisions', 'Pasūtītājs'],
  ['quotas_assigned', 'Sistēma'],
  ['support_started', 'Sistēma'],
  ['support_finished', 'Sistēma'],
  ['project_finished', 'Sistēma'],
  ['active_prepare', 'Pasūtītājs'],
  ['request_cancellation_seller', 'Izpildītājs'],
  ['request_cancellation_buyer', 'Pasūtītājs'],
  ['request_cancellation_declined_buyer', 'Pasūtītājs'],
  ['request_cancellation_declined_seller', 'Izpildītājs'],
  ['active_cancelled', 'Izpildītājs un pasūtītājs'],
] as const;

const initiatorOf = {
  Izpildītājs: 'seller',
  Pasūtītājs: 'buyer',
  Sistēma: 'system',
  'Izpildītājs un pasūtītājs': 'seller_or_buyer',
} as const;

const byCode = new Map(marketplaceEvents.map((e) => [e.sourceName, e]));

function get(code: string) {
  const event = byCode.get(code);
  if (!event) throw new Error(`no definition for ${code}`);
  return event;
}

describe('BIYRO marketplace events', () => {
  it('defines exactly the 35 codes of the document, in its order', () => {
    expect(documentCodes).toHaveLength(35);
    expect(marketplaceEvents.map((e) => e.sourceName)).toEqual(documentCodes.map(([code]) => code));
  });

  it.each(documentCodes)('%s: type, domain and initiator as the document gives them', (code, party) => {
    const event = get(code);
    expect(event.type).toBe(`marketplace.project.${code}`);
    expect(event.domain).toBe('marketplace');
    expect(event.initiator).toBe(initiatorOf[party]);
    expect(event.description.length).toBeGreaterThan(20);
  });

  it.each(documentCodes)('%s: the example parses and its actor is the initiator', (code) => {
    const event = get(code);
    const result = event.data.safeParse(event.example);
    expect(result.error).toBeUndefined();
    const actor = (event.example as { actor: { role: string } }).actor;
    if (event.initiator === 'seller_or_buyer') expect(['seller', 'buyer']).toContain(actor.role);
    else expect(actor.role).toBe(event.initiator);
  });

  it.each(documentCodes)('%s: an example without project, or with the wrong actor, is rejected', (code) => {
    const event = get(code);
    const noProject = clone(event.example);
    delete noProject.project;
    expect(event.data.safeParse(noProject).success).toBe(false);

    const wrongActor = clone(event.example);
    wrongActor.actor =
      event.initiator === 'system' ? { role: 'buyer', id: 'usr_3Fh8sL' } : { role: 'system', id: null };
    expect(event.data.safeParse(wrongActor).success).toBe(false);
  });

  it.each(documentCodes)('%s: every field is described', (code) => {
    expect(undescribed(get(code).data)).toEqual([]);
  });

  it('rejects a failed payment without a failure reason', () => {
    const event = get('purchase_payment_failed');
    const broken = clone(event.example);
    (broken.payment as Record<string, unknown>).failureReason = null;
    expect(event.data.safeParse(broken).success).toBe(false);
  });

  it('rejects a successful payment passed off as a failed one', () => {
    const failed = get('purchase_payment_failed');
    const succeeded = get('purchase_payment_succeeded');
    const broken = clone(failed.example);
    broken.payment = (succeeded.example as { payment: unknown }).payment;
    expect(failed.data.safeParse(broken).success).toBe(false);
  });

  it('checks the commission on invoices', () => {
    const event = get('purchase_new_invoice');
    const example = event.example as { invoice: { amount: number; commissionRate: number; commissionAmount: number } };
    expect(example.invoice.commissionRate).toBe(freeSellerPlan.commissionRate);
    expect(example.invoice.commissionAmount).toBeCloseTo(example.invoice.amount * 0.2, 2);
    const broken = clone(event.example);
    (broken.invoice as Record<string, unknown>).commissionAmount = 100;
    expect(event.data.safeParse(broken).success).toBe(false);
    // an add-on invoice is not a project invoice
    const addonInvoice = (get('purchase_new_invoice_addon').example as { invoice: unknown }).invoice;
    expect(invoice.safeParse(addonInvoice).success).toBe(true);
    broken.invoice = addonInvoice;
    expect(event.data.safeParse(broken).success).toBe(false);
  });

  it('accepted_addon: paid with money or with quotas, each with its details', () => {
    const event = get('accepted_addon');
    const withQuotas = clone(event.example);
    delete withQuotas.invoice;
    delete withQuotas.payment;
    withQuotas.paidWith = 'quotas';
    withQuotas.quotas = { spent: 20, balance: 5 };
    expect(event.data.safeParse(withQuotas).error).toBeUndefined();
    delete withQuotas.quotas;
    expect(event.data.safeParse(withQuotas).success).toBe(false);
    const noWay = clone(event.example);
    noWay.paidWith = 'barter';
    expect(event.data.safeParse(noWay).success).toBe(false);
  });

  it('fixes the status of add-ons, requests and cancellations per event', () => {
    const newAddon = get('new_addon');
    const wrongAddon = clone(newAddon.example);
    (wrongAddon.addon as Record<string, unknown>).status = 'accepted';
    expect(newAddon.data.safeParse(wrongAddon).success).toBe(false);

    const accepted = get('request_extension_accepted');
    const earlier = clone(accepted.example);
    (earlier.extension as Record<string, unknown>).requestedDeadline = '2026-03-01';
    expect(accepted.data.safeParse(earlier).success).toBe(false);

    const declinedBySeller = get('request_cancellation_declined_seller');
    const wrongSide = clone(declinedBySeller.example);
    (wrongSide.cancellation as Record<string, unknown>).requestedBy = 'seller';
    expect(declinedBySeller.data.safeParse(wrongSide).success).toBe(false);

    const cancelled = get('active_cancelled');
    const buyerActor = clone(cancelled.example);
    buyerActor.actor = { role: 'buyer', id: 'usr_3Fh8sL' };
    expect(cancelled.data.safeParse(buyerActor).success).toBe(true);
    const notAccepted = clone(cancelled.example);
    (notAccepted.cancellation as Record<string, unknown>).status = 'requested';
    expect(cancelled.data.safeParse(notAccepted).success).toBe(false);
  });

  it('exports the free seller plan of the document', () => {
    expect(freeSellerPlan).toEqual({
      activeProjects: 1,
      addonsPerProject: 1,
      stagesPerProject: 1,
      commissionRate: 0.2,
    });
    expect(sellerPlan.parse(freeSellerPlan)).toEqual(freeSellerPlan);
    expect(
      sellerPlan.safeParse({ activeProjects: null, addonsPerProject: 10, stagesPerProject: 5, commissionRate: 0.1 })
        .success,
    ).toBe(true);
    expect(sellerPlan.safeParse({ ...freeSellerPlan, commissionRate: 20 }).success).toBe(false);
    expect(undescribed(sellerPlan)).toEqual([]);
  });
});
