import { leadData, leadDeletedData } from '@hookline/events';
import { describe, expect, it } from 'vitest';
import { answer, clock, example, givenLead, leadInput } from './conexa.fixtures.js';

describe('lead (cliente potencial)', () => {
  it('created, edited (the whole record with the changes), deleted', () => {
    const at = clock();
    const created = givenLead().when(at(leadInput));
    const data = leadData.parse(created.events[0]?.data);
    expect(data).toEqual({ ...example('coworking.lead.created'), createdAt: '2026-11-23T09:00:00-03:00' });
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
        expect(leadDeletedData.parse(deleted?.data)).toEqual(example('coworking.lead.deleted'));
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
