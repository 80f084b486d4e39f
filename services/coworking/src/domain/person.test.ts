import { personCreatedData, personEditedData, personSummaryData } from '@hookline/events';
import { describe, expect, it } from 'vitest';
import { araujoLima, personHarness, rafaelInput, refusal, savassi } from './testing.js';

describe('person (pessoa)', () => {
  it('created with its customer and unit; edited with isActive; blocked/unblocked/deleted with the summary', () => {
    const h = personHarness();
    const [created] = h.run(rafaelInput);
    expect(personCreatedData.parse(created?.data)).toEqual({
      personId: 4415,
      name: 'Rafael Souza Lima',
      customer: araujoLima,
      company: savassi,
      isForeign: false,
      foreignData: null,
      cpf: '390.533.447-05',
      rg: 'MG-17.654.321',
      maritalStatus: 'married',
      profession: 'Consultor financeiro',
      birthDate: '1986-02-09',
      emails: ['rafael.lima@araujolima.com.br'],
      cellPhone: '(31) 99711-2233',
      phones: ['(31) 3281-4470'],
      notes: null,
      briefResume: 'Economista pela UFMG, 12 anos em consultoria para pequenas empresas.',
    });
    const [blocked] = h.run({ type: 'block_person' });
    expect(personSummaryData.parse(blocked?.data)).toEqual({ personId: 4415, name: 'Rafael Souza Lima', customer: araujoLima, company: savassi });
    const [edited] = h.run({ type: 'edit_person', notes: 'Acesso suspenso.' });
    expect(personEditedData.parse(edited?.data)).toMatchObject({ notes: 'Acesso suspenso.', isActive: false, cpf: '390.533.447-05' });
    h.run({ type: 'unblock_person' });
    const [reedited] = h.run({ type: 'edit_person', cellPhone: '(31) 99711-0000' });
    expect(personEditedData.parse(reedited?.data)).toMatchObject({ isActive: true, cellPhone: '(31) 99711-0000' });
    h.run({ type: 'delete_person' });
    expect(h.types()).toEqual([
      'coworking.person.created',
      'coworking.person.blocked',
      'coworking.person.edited',
      'coworking.person.unblocked',
      'coworking.person.edited',
      'coworking.person.deleted',
    ]);
  });

  it('a foreign person carries foreign data', () => {
    const h = personHarness();
    const foreignData = {
      id: 58,
      document: 'AAF482913',
      country: 'Argentina',
      city: 'Córdoba',
      state: 'Córdoba',
      street: 'Avenida Colón',
      number: '1450',
      additionalDetails: 'Piso 3, Depto B',
      neighborhood: 'Alberdi',
      zipcode: 'X5000',
    };
    expect(refusal(h, { ...rafaelInput, isForeign: true, cpf: null, rg: null })).toMatchObject({ code: 'invalid' });
    const [event] = h.run({ ...rafaelInput, personId: 4416, name: 'Lucía Fernández', isForeign: true, foreignData, cpf: null, rg: null });
    expect(personCreatedData.parse(event?.data)).toMatchObject({ isForeign: true, foreignData });
  });

  it('illegal: block twice, unblock an active person (409); a deleted person (404); the customer must match (400)', () => {
    const h = personHarness();
    expect(refusal(h, { ...rafaelInput, customerId: 1907 })).toMatchObject({ code: 'invalid' });
    h.run(rafaelInput);
    expect(refusal(h, { type: 'unblock_person' })).toMatchObject({ code: 'illegal_transition' });
    h.run({ type: 'block_person' });
    expect(refusal(h, { type: 'block_person' })).toMatchObject({ code: 'illegal_transition', details: { state: 'blocked' } });
    h.run({ type: 'delete_person' });
    expect(refusal(h, { type: 'edit_person', notes: 'x' })).toMatchObject({ code: 'not_found' });
  });

  it('later events carry the fresh customer the service passes', () => {
    const h = personHarness();
    h.run(rafaelInput);
    const customer = { ...araujoLima, phones: ['(31) 3281-4470', '(31) 3281-4499'] };
    const [event] = h.run({ type: 'delete_person', customer });
    expect(personSummaryData.parse(event?.data).customer).toEqual(customer);
  });
});
