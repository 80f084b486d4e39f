import {
  correspondenceCreatedData,
  correspondenceDeletedData,
  correspondenceDeliveredInPersonData,
  correspondenceForwardedToAddressData,
  correspondenceSentByEmailData,
} from '@hookline/events';
import { describe, expect, it } from 'vitest';
import { araujoLima, correspondenceHarness, correspondenceInput, juliana, rafael, refusal, savassi, thiago } from './testing.js';

const record = {
  correspondenceId: 15503,
  sender: 'Receita Federal do Brasil',
  trackingCode: 'BR123456785BR',
  receiptDate: '2026-11-23T08:20:00-03:00',
  customer: araujoLima,
  messageText: 'Carta registrada aguardando retirada na recepção.',
  company: savassi,
  user: juliana,
  createdAt: '2026-11-23T09:00:00-03:00',
};

const received = () => {
  const h = correspondenceHarness();
  h.run(correspondenceInput(false));
  return h;
};

describe('correspondence (correspondência)', () => {
  it('created for a customer that is not blocked; the blocked-customer variant for a blocked one', () => {
    const h = correspondenceHarness();
    const [event] = h.run(correspondenceInput(false));
    expect(event?.type).toBe('coworking.correspondence.created');
    expect(correspondenceCreatedData.parse(event?.data)).toEqual(record);
    const blocked = correspondenceHarness();
    const [variant] = blocked.run(correspondenceInput(true, { correspondenceId: 15504, customerId: thiago.id, customer: thiago, receiptDate: undefined }));
    expect(variant?.type).toBe('coworking.correspondence.created_blocked_customer');
    expect(correspondenceCreatedData.parse(variant?.data)).toMatchObject({ customer: thiago, receiptDate: '2026-11-23T09:00:00-03:00' });
  });

  it('delivered in person: who delivered, to whom, notes', () => {
    const h = received();
    const [event] = h.run({
      type: 'deliver_correspondence_in_person',
      deliveryBy: juliana,
      deliveredToPersonId: rafael.id,
      deliveredToPerson: rafael,
      notes: 'Retirada na recepção mediante assinatura do protocolo.',
    });
    expect(correspondenceDeliveredInPersonData.parse(event?.data)).toEqual({
      ...record,
      deliveryBy: juliana,
      deliveredToPerson: rafael,
      notes: 'Retirada na recepção mediante assinatura do protocolo.',
    });
  });

  it("sent by e-mail: to the customer's addresses unless recipients are given, dated now", () => {
    const h = received();
    const [event] = h.run({ type: 'send_correspondence_by_email', deliveryBy: juliana });
    expect(correspondenceSentByEmailData.parse(event?.data)).toEqual({
      ...record,
      deliveryBy: juliana,
      deliveryInformationByEmail: { recipients: ['contato@araujolima.com.br'], date: '2026-11-23T10:00:00-03:00' },
      notes: null,
    });
    const other = received();
    const [chosen] = other.run({ type: 'send_correspondence_by_email', deliveryBy: juliana, recipients: ['rafael.lima@araujolima.com.br'] });
    expect(correspondenceSentByEmailData.parse(chosen?.data).deliveryInformationByEmail.recipients).toEqual(['rafael.lima@araujolima.com.br']);
    const noEmail = correspondenceHarness();
    noEmail.run(correspondenceInput(false, { customer: { ...araujoLima, emails: [] } }));
    expect(refusal(noEmail, { type: 'send_correspondence_by_email', deliveryBy: juliana })).toMatchObject({ code: 'invalid' });
  });

  it('forwarded to the address: the shipping method and delivery date', () => {
    const h = received();
    const [event] = h.run({
      type: 'forward_correspondence_to_address',
      deliveryBy: juliana,
      deliveredToPersonId: rafael.id,
      deliveredToPerson: rafael,
      shippingMethod: 'Sedex',
      deliveryDate: '2026-11-24T10:15:00-03:00',
    });
    expect(correspondenceForwardedToAddressData.parse(event?.data)).toEqual({
      ...record,
      deliveryBy: juliana,
      deliveredToPerson: rafael,
      shippingMethod: 'Sedex',
      deliveryDate: '2026-11-24T10:15:00-03:00',
    });
  });

  it('deleted: the short payload; after that, 404', () => {
    const h = received();
    const [event] = h.run({ type: 'delete_correspondence' });
    expect(correspondenceDeletedData.parse(event?.data)).toEqual({
      correspondenceId: 15503,
      sender: 'Receita Federal do Brasil',
      customer: araujoLima,
      company: savassi,
      user: juliana,
    });
    expect(refusal(h, { type: 'send_correspondence_by_email', deliveryBy: juliana })).toMatchObject({ code: 'not_found' });
  });

  it('an e-mailed correspondence may still be handed over; a handed-over one cannot be delivered again (409)', () => {
    const h = received();
    h.run({ type: 'send_correspondence_by_email', deliveryBy: juliana });
    expect(refusal(h, { type: 'send_correspondence_by_email', deliveryBy: juliana })).toMatchObject({ code: 'illegal_transition' });
    h.run({ type: 'deliver_correspondence_in_person', deliveryBy: juliana, deliveredToPersonId: rafael.id, deliveredToPerson: rafael });
    const forward = {
      type: 'forward_correspondence_to_address' as const,
      deliveryBy: juliana,
      deliveredToPersonId: rafael.id,
      deliveredToPerson: rafael,
      shippingMethod: 'PAC' as const,
    };
    expect(refusal(h, forward)).toMatchObject({ code: 'illegal_transition', status: 409, details: { state: 'delivered_in_person', allowed: ['delete_correspondence'] } });
    h.run({ type: 'delete_correspondence' });
    expect(h.types()).toEqual([
      'coworking.correspondence.created',
      'coworking.correspondence.sent_by_email',
      'coworking.correspondence.delivered_in_person',
      'coworking.correspondence.deleted',
    ]);
  });

  it('refuses mismatched references and impossible dates (400)', () => {
    const h = received();
    expect(refusal(h, { type: 'deliver_correspondence_in_person', deliveryBy: juliana, deliveredToPersonId: 4416, deliveredToPerson: rafael })).toMatchObject({
      code: 'invalid',
    });
    expect(
      refusal(h, {
        type: 'forward_correspondence_to_address',
        deliveryBy: juliana,
        deliveredToPersonId: rafael.id,
        deliveredToPerson: rafael,
        shippingMethod: 'Mail',
        deliveryDate: '2026-11-22T10:00:00-03:00',
      }),
    ).toMatchObject({ code: 'invalid' });
    expect(refusal(correspondenceHarness(), correspondenceInput(false, { receiptDate: '2026-11-30T10:00:00-03:00' }))).toMatchObject({ code: 'invalid' });
  });
});
