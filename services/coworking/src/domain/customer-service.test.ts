import { customerServiceCreatedData, customerServiceDeletedData } from '@hookline/events';
import { describe, expect, it } from 'vitest';
import { isCustomerBlocked } from './customer.js';
import { araujoLima, araujoLimaInput, customerHarness, customerServiceHarness, customerServiceInput, juliana, refusal, savassi, snapshotOf, thiago } from './testing.js';

describe('customer service (atendimento)', () => {
  it('for a customer that is not blocked: created, with the record values', () => {
    const h = customerServiceHarness();
    const [event, ...rest] = h.run(customerServiceInput(false));
    expect(rest).toEqual([]);
    expect(event?.type).toBe('coworking.customer_service.created');
    expect(customerServiceCreatedData.parse(event?.data)).toEqual({
      customerServiceId: 6120,
      type: 'Phone Call',
      customer: araujoLima,
      requester: { name: 'Rafael Souza Lima', phones: ['(31) 99711-2233'], email: 'rafael.lima@araujolima.com.br', company: 'Araújo & Lima Consultoria' },
      company: savassi,
      user: juliana,
      messageText: 'Solicitou a segunda via do boleto de novembro e a troca da sala fixa para o 3º andar.',
      createdAt: '2026-11-23T09:00:00-03:00',
    });
    expect(h.state.forBlockedCustomer).toBe(false);
  });

  it('for a blocked customer: the blocked-customer variant, same payload', () => {
    const h = customerServiceHarness();
    const input = customerServiceInput(true, {
      customerServiceId: 6121,
      customerId: thiago.id,
      customer: thiago,
      contactType: 'Face-to-face Visit',
      requester: { name: thiago.name, phones: ['(31) 98455-0071'], email: null, company: null },
      messageText: 'Compareceu à recepção para negociar as mensalidades em atraso.',
    });
    const [event] = h.run(input);
    expect(event?.type).toBe('coworking.customer_service.created_blocked_customer');
    expect(customerServiceCreatedData.parse(event?.data)).toMatchObject({ customerServiceId: 6121, type: 'Face-to-face Visit', customer: thiago });
    expect(h.state.forBlockedCustomer).toBe(true);
  });

  it('the variant follows the customer aggregate: blocked → blocked variant, unblocked → created', () => {
    const customers = customerHarness();
    customers.run(araujoLimaInput);
    customers.run({ type: 'block_customer' });
    const whileBlocked = customerServiceHarness();
    const customer = snapshotOf(customers.state.customer);
    expect(whileBlocked.run(customerServiceInput(isCustomerBlocked(customers.state), { customer })).map((e) => e.type)).toEqual([
      'coworking.customer_service.created_blocked_customer',
    ]);
    customers.run({ type: 'unblock_customer' });
    const afterwards = customerServiceHarness();
    expect(afterwards.run(customerServiceInput(isCustomerBlocked(customers.state), { customerServiceId: 6122, customer })).map((e) => e.type)).toEqual([
      'coworking.customer_service.created',
    ]);
  });

  it('deleted: the contact without its message; then gone (404)', () => {
    const h = customerServiceHarness();
    h.run(customerServiceInput(true));
    const [event] = h.run({ type: 'delete_customer_service' });
    expect(customerServiceDeletedData.parse(event?.data)).toEqual({
      customerServiceId: 6120,
      type: 'Phone Call',
      customer: araujoLima,
      requester: { name: 'Rafael Souza Lima', phones: ['(31) 99711-2233'], email: 'rafael.lima@araujolima.com.br', company: 'Araújo & Lima Consultoria' },
      company: savassi,
      user: juliana,
    });
    expect(refusal(h, { type: 'delete_customer_service' })).toMatchObject({ code: 'not_found', details: { state: 'deleted' } });
    expect(refusal(h, customerServiceInput(false))).toMatchObject({ code: 'illegal_transition' });
    expect(refusal(customerServiceHarness(), customerServiceInput(false, { customerId: 1907 }))).toMatchObject({ code: 'invalid' });
  });
});
