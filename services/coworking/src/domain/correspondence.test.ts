import {
  correspondenceCreatedData,
  correspondenceDeletedData,
  correspondenceDeliveredInPersonData,
  correspondenceForwardedToAddressData,
  correspondenceSentByEmailData,
} from '@hookline/events';
import { describe, expect, it } from 'vitest';
import {
  answer,
  araujoLima,
  clock,
  correspondenceInput,
  example,
  givenCorrespondence,
  juliana,
  publishedTypes,
  rafael,
  thiago,
} from './conexa.fixtures.js';

/** The catalog's correspondence as correspondenceInput registers it: received at 08:20, recorded at the clock's 09:00. */
const record = {
  ...example('coworking.correspondence.created'),
  receiptDate: '2026-11-23T08:20:00-03:00',
  createdAt: '2026-11-23T09:00:00-03:00',
};

/** The catalog's correspondence, received at 09:00 on a clock of its own; later commands come an hour apart. */
const received = () => {
  const at = clock();
  return { at, mail: givenCorrespondence().when(at(correspondenceInput(false))) };
};

describe('correspondence (correspondência)', () => {
  it('created for a customer that is not blocked; the blocked-customer variant for a blocked one', () => {
    const [event] = received().mail.events;
    expect(event?.type).toBe('coworking.correspondence.created');
    expect(correspondenceCreatedData.parse(event?.data)).toEqual(record);
    const at = clock();
    givenCorrespondence()
      .when(
        at(
          correspondenceInput(true, {
            correspondenceId: 15504,
            customerId: thiago.id,
            customer: thiago,
            receiptDate: undefined,
          }),
        ),
      )
      .then(([variant]) => {
        expect(variant?.type).toBe('coworking.correspondence.created_blocked_customer');
        expect(correspondenceCreatedData.parse(variant?.data)).toMatchObject({
          customer: thiago,
          receiptDate: '2026-11-23T09:00:00-03:00',
        });
      });
  });

  it('delivered in person: who delivered, to whom, notes', () => {
    const { at, mail } = received();
    const notes = 'Retirada na recepção mediante assinatura do protocolo.';
    mail
      .when(
        at({
          type: 'deliver_correspondence_in_person',
          deliveryBy: juliana,
          deliveredToPersonId: rafael.id,
          deliveredToPerson: rafael,
          notes,
        }),
      )
      .then(([event]) => {
        expect(correspondenceDeliveredInPersonData.parse(event?.data)).toEqual({
          ...record,
          deliveryBy: juliana,
          deliveredToPerson: rafael,
          notes,
        });
      });
  });

  it("sent by e-mail: to the customer's addresses unless recipients are given, dated now", () => {
    const { at, mail } = received();
    mail.when(at({ type: 'send_correspondence_by_email', deliveryBy: juliana })).then(([event]) => {
      expect(correspondenceSentByEmailData.parse(event?.data)).toEqual({
        ...record,
        deliveryBy: juliana,
        deliveryInformationByEmail: { recipients: ['contato@araujolima.com.br'], date: '2026-11-23T10:00:00-03:00' },
        notes: null,
      });
    });
    const other = received();
    other.mail
      .when(
        other.at({
          type: 'send_correspondence_by_email',
          deliveryBy: juliana,
          recipients: ['rafael.lima@araujolima.com.br'],
        }),
      )
      .then(([chosen]) => {
        expect(correspondenceSentByEmailData.parse(chosen?.data).deliveryInformationByEmail.recipients).toEqual([
          'rafael.lima@araujolima.com.br',
        ]);
      });
    const noEmailAt = clock();
    const noEmail = givenCorrespondence().when(
      noEmailAt(correspondenceInput(false, { customer: { ...araujoLima, emails: [] } })),
    );
    expect(
      answer(noEmail.when(noEmailAt({ type: 'send_correspondence_by_email', deliveryBy: juliana })).thenThrows()),
    ).toMatchObject({ code: 'invalid' });
  });

  it('forwarded to the address: the shipping method and delivery date', () => {
    const { at, mail } = received();
    mail
      .when(
        at({
          type: 'forward_correspondence_to_address',
          deliveryBy: juliana,
          deliveredToPersonId: rafael.id,
          deliveredToPerson: rafael,
          shippingMethod: 'Sedex',
          deliveryDate: '2026-11-24T10:15:00-03:00',
        }),
      )
      .then(([event]) => {
        expect(correspondenceForwardedToAddressData.parse(event?.data)).toEqual({
          ...record,
          deliveryBy: juliana,
          deliveredToPerson: rafael,
          shippingMethod: 'Sedex',
          deliveryDate: '2026-11-24T10:15:00-03:00',
        });
      });
  });

  it('deleted: the short payload; after that, 404', () => {
    const { at, mail } = received();
    const deleted = mail.when(at({ type: 'delete_correspondence' }));
    expect(correspondenceDeletedData.parse(deleted.events[0]?.data)).toEqual(
      example('coworking.correspondence.deleted'),
    );
    expect(
      answer(deleted.when(at({ type: 'send_correspondence_by_email', deliveryBy: juliana })).thenThrows()),
    ).toMatchObject({ code: 'not_found' });
  });

  it('an e-mailed correspondence may still be handed over; a handed-over one cannot be delivered again (409)', () => {
    const { at, mail } = received();
    const emailed = mail.when(at({ type: 'send_correspondence_by_email', deliveryBy: juliana }));
    expect(
      answer(emailed.when(at({ type: 'send_correspondence_by_email', deliveryBy: juliana })).thenThrows()),
    ).toMatchObject({ code: 'illegal_transition' });
    const handedOver = emailed.when(
      at({
        type: 'deliver_correspondence_in_person',
        deliveryBy: juliana,
        deliveredToPersonId: rafael.id,
        deliveredToPerson: rafael,
      }),
    );
    const forward = {
      type: 'forward_correspondence_to_address' as const,
      deliveryBy: juliana,
      deliveredToPersonId: rafael.id,
      deliveredToPerson: rafael,
      shippingMethod: 'PAC' as const,
    };
    expect(answer(handedOver.when(at(forward)).thenThrows())).toMatchObject({
      code: 'illegal_transition',
      status: 409,
      details: { state: 'delivered_in_person', allowed: ['delete_correspondence'] },
    });
    const deleted = handedOver.when(at({ type: 'delete_correspondence' }));
    expect(publishedTypes(deleted.history)).toEqual([
      'coworking.correspondence.created',
      'coworking.correspondence.sent_by_email',
      'coworking.correspondence.delivered_in_person',
      'coworking.correspondence.deleted',
    ]);
  });

  it('refuses mismatched references and impossible dates (400)', () => {
    const { at, mail } = received();
    const wrongPerson = {
      type: 'deliver_correspondence_in_person' as const,
      deliveryBy: juliana,
      deliveredToPersonId: 4416,
      deliveredToPerson: rafael,
    };
    expect(answer(mail.when(at(wrongPerson)).thenThrows())).toMatchObject({ code: 'invalid' });
    const backwards = {
      type: 'forward_correspondence_to_address' as const,
      deliveryBy: juliana,
      deliveredToPersonId: rafael.id,
      deliveredToPerson: rafael,
      shippingMethod: 'Mail' as const,
      deliveryDate: '2026-11-22T10:00:00-03:00',
    };
    expect(answer(mail.when(at(backwards)).thenThrows())).toMatchObject({ code: 'invalid' });
    const future = correspondenceInput(false, { receiptDate: '2026-11-30T10:00:00-03:00' });
    expect(answer(givenCorrespondence().when(clock()(future)).thenThrows())).toMatchObject({ code: 'invalid' });
  });
});
