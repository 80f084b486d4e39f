import { customerCreatedData, customerEditedData, customerSummaryData } from '@hookline/events';
import { describe, expect, it } from 'vitest';
import {
  answer,
  araujoLima,
  araujoLimaInput,
  clock,
  example,
  fernandaInput,
  givenCustomer,
  publishedTypes,
} from './conexa.fixtures.js';
import { customerRef, isCustomerBlocked } from './customer.js';

// The catalog's blocked/deleted example is the summary of its created one (Araújo & Lima).
const summary = example('coworking.customer.blocked');

describe('customer (cliente)', () => {
  it('created: the whole registration, first name from the name', () => {
    const at = clock();
    const created = givenCustomer().when(at(araujoLimaInput));
    const [event] = created.events;
    expect(event?.type).toBe('coworking.customer.created');
    // The catalog's example, registered at the clock's time.
    expect(customerCreatedData.parse(event?.data)).toEqual({
      ...example('coworking.customer.created'),
      createdAt: '2026-11-23T09:00:00-03:00',
    });
    expect(created.state.customer && customerRef(created.state.customer)).toEqual(araujoLima);
  });

  it('edited: the whole record with the change and isActive', () => {
    const at = clock();
    givenCustomer()
      .when(at(fernandaInput))
      .when(at({ type: 'edit_customer', profession: 'Arquiteta e urbanista', isActive: false }))
      .then(([event]) => {
        const data = customerEditedData.parse(event?.data);
        expect(data).toMatchObject({
          customerId: 1907,
          firstName: 'Fernanda',
          cpf: '529.982.247-25',
          profession: 'Arquiteta e urbanista',
          isActive: false,
        });
        expect(data.createdAt).toBe('2026-11-23T09:00:00-03:00');
      });
  });

  it('blocked, unblocked, deleted: the summary; isCustomerBlocked follows', () => {
    const at = clock();
    const deleted = givenCustomer()
      .when(at(araujoLimaInput))
      .then((_events, state) => expect(isCustomerBlocked(state)).toBe(false))
      .when(at({ type: 'block_customer' }))
      .then(([blocked], state) => {
        expect(customerSummaryData.parse(blocked?.data)).toEqual(summary);
        expect(isCustomerBlocked(state)).toBe(true);
      })
      .when(at({ type: 'edit_customer', notes: 'Bloqueado por inadimplência.' }))
      .then((_events, state) => expect(isCustomerBlocked(state)).toBe(true))
      .when(at({ type: 'unblock_customer' }))
      .then(([unblocked]) => expect(unblocked?.data).toEqual(summary))
      .when(at({ type: 'delete_customer' }))
      .then(([event]) => expect(event?.data).toEqual(summary));
    expect(publishedTypes(deleted.history)).toEqual([
      'coworking.customer.created',
      'coworking.customer.blocked',
      'coworking.customer.edited',
      'coworking.customer.unblocked',
      'coworking.customer.deleted',
    ]);
  });

  it('illegal moves: block a blocked customer, unblock an unblocked one, create twice (409); touch a deleted one (404)', () => {
    const at = clock();
    expect(
      answer(
        givenCustomer()
          .when(at({ type: 'edit_customer', notes: 'x' }))
          .thenThrows(),
      ),
    ).toMatchObject({ code: 'not_found', status: 404 });
    const active = givenCustomer().when(at(araujoLimaInput));
    expect(answer(active.when(at({ type: 'unblock_customer' })).thenThrows())).toMatchObject({
      code: 'illegal_transition',
      details: { state: 'active' },
    });
    expect(answer(active.when(at(araujoLimaInput)).thenThrows())).toMatchObject({ code: 'illegal_transition' });
    const blocked = active.when(at({ type: 'block_customer' }));
    expect(answer(blocked.when(at({ type: 'block_customer' })).thenThrows())).toMatchObject({
      code: 'illegal_transition',
      status: 409,
      details: { state: 'blocked', allowed: ['edit_customer', 'delete_customer', 'unblock_customer'] },
    });
    const deleted = blocked.when(at({ type: 'delete_customer' }));
    for (const type of ['edit_customer', 'delete_customer', 'block_customer', 'unblock_customer'] as const) {
      expect(answer(deleted.when(at({ type })).thenThrows())).toMatchObject({
        code: 'not_found',
        status: 404,
        details: { state: 'deleted', id: 1842 },
      });
    }
  });

  it('individual and legal-entity fields do not mix (400)', () => {
    const at = clock();
    expect(
      answer(
        givenCustomer()
          .when(at({ ...fernandaInput, cnpj: '11.222.333/0001-81' }))
          .thenThrows(),
      ),
    ).toMatchObject({ code: 'invalid' });
    expect(
      answer(
        givenCustomer()
          .when(at({ ...araujoLimaInput, cpf: '529.982.247-25' }))
          .thenThrows(),
      ),
    ).toMatchObject({ code: 'invalid' });
    const fernanda = givenCustomer().when(at(fernandaInput));
    expect(answer(fernanda.when(at({ type: 'edit_customer', isJuridicalPerson: true })).thenThrows())).toMatchObject({
      code: 'invalid',
    });
  });
});
