import { customerServiceCreatedData, customerServiceDeletedData } from '@hookline/events';
import { describe, expect, it } from 'vitest';
import {
  answer,
  araujoLimaInput,
  clock,
  customerServiceInput,
  example,
  givenCustomer,
  givenCustomerService,
  snapshotOf,
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
      ...example('coworking.customer_service.created'),
      createdAt: '2026-11-23T09:00:00-03:00',
    });
    expect(created.state.forBlockedCustomer).toBe(false);
  });

  it('for a blocked customer: the blocked-customer variant, same payload', () => {
    const at = clock();
    const {
      type: contactType,
      createdAt: _createdAt,
      ...visit
    } = example('coworking.customer_service.created_blocked_customer');
    const input = customerServiceInput(true, { ...visit, contactType, customerId: visit.customer.id });
    const created = givenCustomerService().when(at(input));
    const [event] = created.events;
    expect(event?.type).toBe('coworking.customer_service.created_blocked_customer');
    expect(customerServiceCreatedData.parse(event?.data)).toEqual({
      ...example('coworking.customer_service.created_blocked_customer'),
      createdAt: '2026-11-23T09:00:00-03:00',
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
    expect(customerServiceDeletedData.parse(deleted.events[0]?.data)).toEqual(
      example('coworking.customer_service.deleted'),
    );
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
