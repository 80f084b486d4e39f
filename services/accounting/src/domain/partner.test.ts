import { findEventType, robolabsCallbackFor } from '@hookline/events';
import { statusOf } from '@hookline/http';
import { describe, expect, it } from 'vitest';
import type { PartnerCommand, PartnerCreateInput, PartnerPatch } from './commands.js';
import { allowedRecordCommands } from './record.js';
import { after, examplePartner, givenPartner, one, record } from './records.fixtures.js';

const balmed = examplePartner.input;

const create = (input: PartnerCreateInput = balmed, id = examplePartner.id): PartnerCommand => ({
  type: 'create',
  id,
  input,
});
const update = (patch: PartnerPatch): PartnerCommand => ({ type: 'update', patch });
const remove = (inUseBy: number[] = []): PartnerCommand => ({ type: 'delete', inUseBy });

const states = {
  none: () => givenPartner(),
  exists: () => after(givenPartner(), create()),
  deleted: () => after(givenPartner(), create(), remove()),
};

describe('partner', () => {
  it('creates the partner of the catalog example', () => {
    const event = one(states.none().when(create()));
    expect(event).toEqual({
      type: 'accounting.partner.created',
      data: findEventType('accounting.partner.created')!.example,
    });
  });

  it('fills defaults: a person, active, unknown contact details', () => {
    const event = one(states.none().when(create({ name: 'Jonas Jonaitis' }, 9)));
    expect(event.data.after).toEqual({
      id: 9,
      name: 'Jonas Jonaitis',
      is_company: false,
      vat: null,
      email: null,
      phone: null,
      street: null,
      city: null,
      zip: null,
      country_code: null,
      active: true,
    });
  });

  it('refuses bad input with the issues', () => {
    const cases: Array<[PartnerCommand, string, string]> = [
      [create({ ...balmed, email: 'not-an-email' }), 'email', 'invalid_format'],
      [create({ ...balmed, country_code: 'lt' }), 'country_code', 'invalid_format'],
      [create({ ...balmed, name: ' ' }), 'name', 'too_small'],
      [create({ ...balmed, vat: '' }), 'vat', 'too_small'],
      [create({ ...balmed, id: 3 } as PartnerCreateInput), '', 'unrecognized_keys'],
      [create(balmed, -1), 'id', 'too_small'],
    ];
    for (const [command, path, rule] of cases) {
      const error = states.none().when(command).thenThrows();
      expect(error.code, path).toBe('invalid');
      expect(statusOf(error)).toBe(400);
      expect(error.details.issues).toEqual([expect.objectContaining({ path, rule })]);
    }
  });

  it('refuses to create a partner that exists or existed (409)', () => {
    const exists = states.exists().when(create()).thenThrows();
    expect(exists.code).toBe('illegal_transition');
    expect(exists.message).toBe('Partner 215 already exists');
    expect(exists.details).toEqual({ state: 'exists', allowed: ['update', 'delete'] });
    const deleted = states.deleted().when(create()).thenThrows();
    expect(deleted.message).toBe('Partner 215 was deleted; ids are not reused');
    expect(deleted.details).toEqual({ state: 'deleted', allowed: [] });
  });

  it('updates contact details, listing exactly the changed fields (the catalog example)', () => {
    const event = one(states.exists().when(update({ phone: '+370 612 34567', email: 'saskaitos@balmed.lt' })));
    expect(event).toEqual({
      type: 'accounting.partner.updated',
      data: findEventType('accounting.partner.updated')!.example,
    });
    if (event.type !== 'accounting.partner.updated') throw new Error('not an update');
    expect(event.data.changedFields).toEqual(['email', 'phone']);
    expect(robolabsCallbackFor(event.data, ['email'])).toEqual({
      object: 'res.partner',
      operation: 'update',
      id: 215,
      values: { email: 'saskaitos@balmed.lt' },
      previous_values: { email: 'buhalterija@balmed.lt' },
    });
  });

  it('clears a field with null and archives with active: false', () => {
    const event = one(states.exists().when(update({ vat: null, active: false })));
    expect(event.data).toMatchObject({ changedFields: ['vat', 'active'], after: { vat: null, active: false } });
  });

  it('emits nothing when nothing changes', () => {
    for (const patch of [{}, { name: balmed.name }, { email: balmed.email, active: true }, { phone: undefined }]) {
      expect(states.exists().when(update(patch)).events, JSON.stringify(patch)).toEqual([]);
    }
  });

  it('refuses an invalid patch, and fields that are not editable', () => {
    expect(
      states
        .exists()
        .when(update({ email: 'x' }))
        .thenThrows().details.issues,
    ).toEqual([expect.objectContaining({ path: 'email' })]);
    expect(
      states
        .exists()
        .when(update({ name: null } as never))
        .thenThrows().code,
    ).toBe('invalid');
    expect(
      states
        .exists()
        .when(update({ id: 216 } as never))
        .thenThrows().details.issues,
    ).toEqual([expect.objectContaining({ rule: 'unrecognized_keys' })]);
  });

  it('deletes a partner no invoice uses, with its last snapshot', () => {
    const state = after(givenPartner(), create(), update({ city: 'Kaunas' }));
    const event = one(state.when(remove()));
    expect(event).toEqual({
      type: 'accounting.partner.deleted',
      data: { object: 'res.partner', operation: 'delete', id: 215, before: record(state), after: null },
    });
  });

  it('refuses to delete a partner used by invoices (409), naming them', () => {
    const error = states
      .exists()
      .when(remove([4813, 4812, 4813]))
      .thenThrows();
    expect(error.code).toBe('illegal_transition');
    expect(statusOf(error)).toBe(409);
    expect(error.message).toBe('Partner 215 is used by invoices 4812, 4813; archive it (active: false) instead');
    expect(error.details).toEqual({ state: 'in_use', allowed: ['update'], inUseBy: [4812, 4813] });
    expect(
      states
        .exists()
        .when(remove([4812]))
        .thenThrows().message,
    ).toBe('Partner 215 is used by invoice 4812; archive it (active: false) instead');
  });

  it('answers not_found to update and delete of a partner never created or deleted', () => {
    for (const state of [states.none(), states.deleted()]) {
      for (const command of [update({ city: 'Kaunas' }), remove(), remove([1])]) {
        const error = state.when(command).thenThrows();
        expect(error.code).toBe('not_found');
        expect(statusOf(error)).toBe(404);
      }
    }
    expect(states.none().when(remove()).thenThrows().message).toBe('No such partner');
    expect(states.deleted().when(remove()).thenThrows().message).toBe('Partner 215 was deleted');
  });

  it('accepts exactly the allowed commands in every state', () => {
    const samples: PartnerCommand[] = [create(), update({ city: 'Kaunas' }), remove()];
    for (const [name, make] of Object.entries(states)) {
      const allowed = allowedRecordCommands(make().state);
      for (const command of samples) {
        if (allowed.includes(command.type)) {
          expect(make().when(command).events, `${name} ${command.type}`).toHaveLength(1);
        } else {
          expect(['illegal_transition', 'not_found'], `${name} ${command.type}`).toContain(
            make().when(command).thenThrows().code,
          );
        }
      }
    }
  });

  it('refuses an unknown command rather than guessing', () => {
    const error = states
      .exists()
      .when({ type: 'archive' } as never)
      .thenThrows();
    expect(error.code).toBe('invalid');
    expect(error.message).toBe('Unknown partner command "archive"');
  });

  it('replays its stream into the same state', () => {
    const { state, history: events } = after(
      givenPartner(),
      create(),
      update({ city: 'Kaunas' }),
      update({ active: false }),
      remove(),
    );
    expect(events.map((e) => e.type)).toEqual([
      'accounting.partner.created',
      'accounting.partner.updated',
      'accounting.partner.updated',
      'accounting.partner.deleted',
    ]);
    expect(state).toEqual({ status: 'deleted', record: expect.objectContaining({ city: 'Kaunas', active: false }) });
  });
});
