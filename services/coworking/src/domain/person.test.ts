import { personCreatedData, personEditedData, personSummaryData } from '@hookline/events';
import { describe, expect, it } from 'vitest';
import { answer, araujoLima, clock, example, givenPerson, publishedTypes, rafaelInput } from './conexa.fixtures.js';

describe('person (pessoa)', () => {
  it('created with its customer and unit; edited with isActive; blocked/unblocked/deleted with the summary', () => {
    const at = clock();
    const deleted = givenPerson()
      .when(at(rafaelInput))
      .then(([created]) => {
        expect(personCreatedData.parse(created?.data)).toEqual(example('coworking.person.created'));
      })
      .when(at({ type: 'block_person' }))
      .then(([blocked]) => {
        expect(personSummaryData.parse(blocked?.data)).toEqual(example('coworking.person.blocked'));
      })
      .when(at({ type: 'edit_person', notes: 'Acesso suspenso.' }))
      .then(([edited]) => {
        expect(personEditedData.parse(edited?.data)).toEqual({
          ...example('coworking.person.created'),
          notes: 'Acesso suspenso.',
          isActive: false,
        });
      })
      .when(at({ type: 'unblock_person' }))
      .when(at({ type: 'edit_person', cellPhone: '(31) 99711-0000' }))
      .then(([reedited]) =>
        expect(personEditedData.parse(reedited?.data)).toMatchObject({ isActive: true, cellPhone: '(31) 99711-0000' }),
      )
      .when(at({ type: 'delete_person' }));
    expect(publishedTypes(deleted.history)).toEqual([
      'coworking.person.created',
      'coworking.person.blocked',
      'coworking.person.edited',
      'coworking.person.unblocked',
      'coworking.person.edited',
      'coworking.person.deleted',
    ]);
  });

  it('a foreign person carries foreign data', () => {
    const at = clock();
    const { foreignData } = example('coworking.person.edited');
    expect(
      answer(
        givenPerson()
          .when(at({ ...rafaelInput, isForeign: true, cpf: null, rg: null }))
          .thenThrows(),
      ),
    ).toMatchObject({ code: 'invalid' });
    givenPerson()
      .when(
        at({
          ...rafaelInput,
          personId: 4416,
          name: 'Lucía Fernández',
          isForeign: true,
          foreignData,
          cpf: null,
          rg: null,
        }),
      )
      .then(([event]) => expect(personCreatedData.parse(event?.data)).toMatchObject({ isForeign: true, foreignData }));
  });

  it('illegal: block twice, unblock an active person (409); a deleted person (404); the customer must match (400)', () => {
    const at = clock();
    expect(
      answer(
        givenPerson()
          .when(at({ ...rafaelInput, customerId: 1907 }))
          .thenThrows(),
      ),
    ).toMatchObject({ code: 'invalid' });
    const active = givenPerson().when(at(rafaelInput));
    expect(answer(active.when(at({ type: 'unblock_person' })).thenThrows())).toMatchObject({
      code: 'illegal_transition',
    });
    const blocked = active.when(at({ type: 'block_person' }));
    expect(answer(blocked.when(at({ type: 'block_person' })).thenThrows())).toMatchObject({
      code: 'illegal_transition',
      details: { state: 'blocked' },
    });
    const deleted = blocked.when(at({ type: 'delete_person' }));
    expect(answer(deleted.when(at({ type: 'edit_person', notes: 'x' })).thenThrows())).toMatchObject({
      code: 'not_found',
    });
  });

  it('later events carry the fresh customer the service passes', () => {
    const at = clock();
    const customer = { ...araujoLima, phones: ['(31) 3281-4470', '(31) 3281-4499'] };
    givenPerson()
      .when(at(rafaelInput))
      .when(at({ type: 'delete_person', customer }))
      .then(([event]) => expect(personSummaryData.parse(event?.data).customer).toEqual(customer));
  });
});
