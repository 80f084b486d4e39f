import { leadData, leadDeletedData } from '@hookline/events';
import { describe, expect, it } from 'vitest';
import { answer, clock, givenLead, leadInput, savassi } from './conexa.fixtures.js';

describe('lead (cliente potencial)', () => {
  it('created, edited (the whole record with the changes), deleted', () => {
    const at = clock();
    const created = givenLead().when(at(leadInput));
    const data = leadData.parse(created.events[0]?.data);
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
    created
      .when(
        at({
          type: 'edit_lead',
          status: 'Under Negotiation',
          interestServices: [{ id: 3, name: 'Estação de trabalho rotativa' }],
          notes: 'Visitou o espaço em 26/11; proposta do plano rotativo enviada.',
        }),
      )
      .then(([edited]) => {
        expect(leadData.parse(edited?.data)).toEqual({
          ...data,
          status: 'Under Negotiation',
          interestServices: [{ id: 3, name: 'Estação de trabalho rotativa' }],
          notes: 'Visitou o espaço em 26/11; proposta do plano rotativo enviada.',
        });
      })
      .when(at({ type: 'delete_lead' }))
      .then(([deleted]) => {
        expect(leadDeletedData.parse(deleted?.data)).toEqual({
          potentialCustomerId: 982,
          company: savassi,
          customerName: 'Beatriz Nogueira Santos',
        });
      });
  });

  it('a deleted or unknown lead is 404; creating twice is 409', () => {
    const at = clock();
    expect(
      answer(
        givenLead()
          .when(at({ type: 'edit_lead', status: 'Won' }))
          .thenThrows(),
      ),
    ).toMatchObject({ code: 'not_found' });
    const created = givenLead().when(at(leadInput));
    expect(answer(created.when(at(leadInput)).thenThrows())).toMatchObject({ code: 'illegal_transition' });
    const deleted = created.when(at({ type: 'delete_lead' }));
    expect(answer(deleted.when(at({ type: 'edit_lead', status: 'Won' })).thenThrows())).toMatchObject({
      code: 'not_found',
      details: { state: 'deleted', id: 982 },
    });
    expect(answer(deleted.when(at({ type: 'delete_lead' })).thenThrows())).toMatchObject({ code: 'not_found' });
  });
});
