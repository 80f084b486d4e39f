import { leadData, leadDeletedData } from '@hookline/events';
import { describe, expect, it } from 'vitest';
import { leadHarness, leadInput, refusal, savassi } from './testing.js';

describe('lead (cliente potencial)', () => {
  it('created, edited (the whole record with the changes), deleted', () => {
    const h = leadHarness();
    const [created] = h.run(leadInput);
    const data = leadData.parse(created?.data);
    expect(data).toEqual({
      potentialCustomerId: 982,
      company: savassi,
      status: 'Interested',
      partner: { id: 4, name: 'Contabilidade Horizonte' },
      customerName: 'Beatriz Nogueira Santos',
      phones: ['(31) 99602-3344'],
      interestServices: [
        { id: 1, name: 'Endereço fiscal' },
        { id: 3, name: 'Estação de trabalho rotativa' },
      ],
      fieldOfActivity: [{ id: 17, name: 'Marketing digital' }],
      emails: ['beatriz.nogueira@gmail.com'],
      isReceiveInformativeEmail: true,
      contactMethod: [{ id: 2, name: 'Instagram' }],
      website: null,
      notes: 'Quer visitar o espaço na próxima semana.',
      createdAt: '2026-11-23T09:00:00-03:00',
    });
    const [edited] = h.run({
      type: 'edit_lead',
      status: 'Under Negotiation',
      interestServices: [{ id: 3, name: 'Estação de trabalho rotativa' }],
      notes: 'Visitou o espaço em 26/11; proposta do plano rotativo enviada.',
    });
    expect(leadData.parse(edited?.data)).toEqual({
      ...data,
      status: 'Under Negotiation',
      interestServices: [{ id: 3, name: 'Estação de trabalho rotativa' }],
      notes: 'Visitou o espaço em 26/11; proposta do plano rotativo enviada.',
    });
    const [deleted] = h.run({ type: 'delete_lead' });
    expect(leadDeletedData.parse(deleted?.data)).toEqual({ potentialCustomerId: 982, company: savassi, customerName: 'Beatriz Nogueira Santos' });
  });

  it('a deleted or unknown lead is 404; creating twice is 409', () => {
    const h = leadHarness();
    expect(refusal(h, { type: 'edit_lead', status: 'Won' })).toMatchObject({ code: 'not_found' });
    h.run(leadInput);
    expect(refusal(h, leadInput)).toMatchObject({ code: 'illegal_transition' });
    h.run({ type: 'delete_lead' });
    expect(refusal(h, { type: 'edit_lead', status: 'Won' })).toMatchObject({ code: 'not_found', details: { state: 'deleted', id: 982 } });
    expect(refusal(h, { type: 'delete_lead' })).toMatchObject({ code: 'not_found' });
  });
});
