import { customerCreatedData, customerEditedData, customerSummaryData } from '@hookline/events';
import { describe, expect, it } from 'vitest';
import { customerRef, isCustomerBlocked } from './customer.js';
import { araujoLima, araujoLimaInput, customerHarness, fernandaInput, refusal, savassi } from './testing.js';

const summary = {
  customerId: 1842,
  name: 'Araújo & Lima Consultoria Ltda',
  tradeName: 'Araújo Lima Consultoria',
  firstName: 'Araújo',
  company: savassi,
};

describe('customer (cliente)', () => {
  it('created: the whole registration, first name from the name', () => {
    const h = customerHarness();
    const [event] = h.run(araujoLimaInput);
    expect(event?.type).toBe('coworking.customer.created');
    expect(customerCreatedData.parse(event?.data)).toEqual({
      customerId: 1842,
      name: 'Araújo & Lima Consultoria Ltda',
      tradeName: 'Araújo Lima Consultoria',
      firstName: 'Araújo',
      isJuridicalPerson: true,
      isForeign: false,
      cpf: null,
      cnpj: '11.222.333/0001-81',
      rg: null,
      profession: null,
      birthDate: null,
      foundationDate: '2015-03-02',
      emails: ['contato@araujolima.com.br'],
      emailsFinancialMessages: ['financeiro@araujolima.com.br'],
      cellNumber: '(31) 99876-5432',
      phones: ['(31) 3281-4470'],
      company: savassi,
      website: 'https://www.araujolima.com.br',
      notes: 'Indicado pelo cliente Marcos Tavares.',
      fieldOfActivity: 'Consultoria empresarial',
      createdAt: '2026-11-23T09:00:00-03:00',
    });
    expect(h.state.customer && customerRef(h.state.customer)).toEqual(araujoLima);
  });

  it('edited: the whole record with the change and isActive', () => {
    const h = customerHarness();
    h.run(fernandaInput);
    const [event] = h.run({ type: 'edit_customer', profession: 'Arquiteta e urbanista', isActive: false });
    const data = customerEditedData.parse(event?.data);
    expect(data).toMatchObject({ customerId: 1907, firstName: 'Fernanda', cpf: '529.982.247-25', profession: 'Arquiteta e urbanista', isActive: false });
    expect(data.createdAt).toBe('2026-11-23T09:00:00-03:00');
  });

  it('blocked, unblocked, deleted: the summary; isCustomerBlocked follows', () => {
    const h = customerHarness();
    h.run(araujoLimaInput);
    expect(isCustomerBlocked(h.state)).toBe(false);
    const [blocked] = h.run({ type: 'block_customer' });
    expect(customerSummaryData.parse(blocked?.data)).toEqual(summary);
    expect(isCustomerBlocked(h.state)).toBe(true);
    h.run({ type: 'edit_customer', notes: 'Bloqueado por inadimplência.' });
    expect(isCustomerBlocked(h.state)).toBe(true);
    const [unblocked] = h.run({ type: 'unblock_customer' });
    expect(unblocked?.data).toEqual(summary);
    const [deleted] = h.run({ type: 'delete_customer' });
    expect(deleted?.data).toEqual(summary);
    expect(h.types()).toEqual([
      'coworking.customer.created',
      'coworking.customer.blocked',
      'coworking.customer.edited',
      'coworking.customer.unblocked',
      'coworking.customer.deleted',
    ]);
  });

  it('illegal moves: block a blocked customer, unblock an unblocked one, create twice (409); touch a deleted one (404)', () => {
    const h = customerHarness();
    expect(refusal(h, { type: 'edit_customer', notes: 'x' })).toMatchObject({ code: 'not_found', status: 404 });
    h.run(araujoLimaInput);
    expect(refusal(h, { type: 'unblock_customer' })).toMatchObject({ code: 'illegal_transition', details: { state: 'active' } });
    expect(refusal(h, araujoLimaInput)).toMatchObject({ code: 'illegal_transition' });
    h.run({ type: 'block_customer' });
    expect(refusal(h, { type: 'block_customer' })).toMatchObject({
      code: 'illegal_transition',
      status: 409,
      details: { state: 'blocked', allowed: ['edit_customer', 'delete_customer', 'unblock_customer'] },
    });
    h.run({ type: 'delete_customer' });
    for (const type of ['edit_customer', 'delete_customer', 'block_customer', 'unblock_customer'] as const) {
      expect(refusal(h, { type })).toMatchObject({ code: 'not_found', status: 404, details: { state: 'deleted', id: 1842 } });
    }
  });

  it('individual and legal-entity fields do not mix (400)', () => {
    const h = customerHarness();
    expect(refusal(h, { ...fernandaInput, cnpj: '11.222.333/0001-81' })).toMatchObject({ code: 'invalid' });
    expect(refusal(h, { ...araujoLimaInput, cpf: '529.982.247-25' })).toMatchObject({ code: 'invalid' });
    h.run(fernandaInput);
    expect(refusal(h, { type: 'edit_customer', isJuridicalPerson: true })).toMatchObject({ code: 'invalid' });
  });
});
