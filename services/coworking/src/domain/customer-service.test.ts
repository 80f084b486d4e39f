import { customerServiceCreatedData, customerServiceDeletedData } from '@hookline/events';
import { describe, expect, it } from 'vitest';
import {
  answer,
  araujoLima,
  araujoLimaInput,
  clock,
  customerServiceInput,
  givenCustomer,
  givenCustomerService,
  juliana,
  savassi,
  snapshotOf,
  thiago,
} from './conexa.fixtures.js';
import { isCustomerBlocked } from './customer.js';

describe('customer service (atendimento)', () => {
  it('for a customer that is not blocked: created, with the record values', () => {
    const at = clock();
    const created = givenCustomerService().when(at(customerServiceInput(false)));
    const [event, ...rest] = created.events;
    expect(rest).toEqual([]);
    expect(event?.type).toBe('coworking.customer_service.created');
    expect(customerServiceCreatedData.parse(event?.data)).toEqual({
      customerServiceId: 6120,
      type: 'Phone Call',
      customer: araujoLima,
      requester: {
        name: 'Rafael Souza Lima',
        phones: ['(31) 99711-2233'],
        email: 'rafael.lima@araujolima.com.br',
        company: 'Araújo & Lima Consultoria',
      },
      company: savassi,
      user: juliana,
      messageText: 'Solicitou a segunda via do boleto de novembro e a troca da sala fixa para o 3º andar.',
      createdAt: '2026-11-23T09:00:00-03:00',
    });
    expect(created.state.forBlockedCustomer).toBe(false);
  });

  it('for a blocked customer: the blocked-customer variant, same payload', () => {
    const at = clock();
    const input = customerServiceInput(true, {
      customerServiceId: 6121,
      customerId: thiago.id,
      customer: thiago,
      contactType: 'Face-to-face Visit',
      requester: { name: thiago.name, phones: ['(31) 98455-0071'], email: null, company: null },
      messageText: 'Compareceu à recepção para negociar as mensalidades em atraso.',
    });
    const created = givenCustomerService().when(at(input));
    const [event] = created.events;
    expect(event?.type).toBe('coworking.customer_service.created_blocked_customer');
    expect(customerServiceCreatedData.parse(event?.data)).toMatchObject({
      customerServiceId: 6121,
      type: 'Face-to-face Visit',
      customer: thiago,
    });
    expect(created.state.forBlockedCustomer).toBe(true);
  });

  it('the variant follows the customer aggregate: blocked → blocked variant, unblocked → created', () => {
    const at = clock();
    const blocked = givenCustomer()
      .when(at(araujoLimaInput))
      .when(at({ type: 'block_customer' }));
    const customer = snapshotOf(blocked.state.customer);
    givenCustomerService()
      .when(at(customerServiceInput(isCustomerBlocked(blocked.state), { customer })))
      .then((events) =>
        expect(events.map((e) => e.type)).toEqual(['coworking.customer_service.created_blocked_customer']),
      );
    const unblocked = blocked.when(at({ type: 'unblock_customer' }));
    givenCustomerService()
      .when(at(customerServiceInput(isCustomerBlocked(unblocked.state), { customerServiceId: 6122, customer })))
      .then((events) => expect(events.map((e) => e.type)).toEqual(['coworking.customer_service.created']));
  });

  it('deleted: the contact without its message; then gone (404)', () => {
    const at = clock();
    const deleted = givenCustomerService()
      .when(at(customerServiceInput(true)))
      .when(at({ type: 'delete_customer_service' }));
    expect(customerServiceDeletedData.parse(deleted.events[0]?.data)).toEqual({
      customerServiceId: 6120,
      type: 'Phone Call',
      customer: araujoLima,
      requester: {
        name: 'Rafael Souza Lima',
        phones: ['(31) 99711-2233'],
        email: 'rafael.lima@araujolima.com.br',
        company: 'Araújo & Lima Consultoria',
      },
      company: savassi,
      user: juliana,
    });
    expect(answer(deleted.when(at({ type: 'delete_customer_service' })).thenThrows())).toMatchObject({
      code: 'not_found',
      details: { state: 'deleted' },
    });
    expect(answer(deleted.when(at(customerServiceInput(false))).thenThrows())).toMatchObject({
      code: 'illegal_transition',
    });
    expect(
      answer(
        givenCustomerService()
          .when(at(customerServiceInput(false, { customerId: 1907 })))
          .thenThrows(),
      ),
    ).toMatchObject({ code: 'invalid' });
  });
});
