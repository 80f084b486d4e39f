import { findEventType, robolabsCallbackFor, type PartnerRecord } from '@hookline/events';
import { describe, expect, it } from 'vitest';
import { statusOf } from '@hookline/http';
import type { PartnerCommand, PartnerCreateInput, PartnerPatch } from './commands.js';
import { partnerDecider, type PartnerEvent, type PartnerState } from './partner.js';
import { allowedRecordCommands } from './record.js';
import { decideChecked, refusal, run } from './testing.js';

const balmed: PartnerCreateInput = {
  name: 'UAB "Baltijos medienos prekyba"',
  is_company: true,
  vat: 'LT100004567812',
  email: 'buhalterija@balmed.lt',
  phone: '+370 5 210 4455',
  street: 'Savanorių pr. 178',
  city: 'Vilnius',
  zip: 'LT-03154',
  country_code: 'LT',
  active: true,
};

const create = (input: PartnerCreateInput = balmed, id = 215): PartnerCommand => ({ type: 'create', id, input });
const update = (patch: PartnerPatch): PartnerCommand => ({ type: 'update', patch });
const remove = (inUseBy: number[] = []): PartnerCommand => ({ type: 'delete', inUseBy });

const given = (...commands: PartnerCommand[]) => run(partnerDecider, commands).state;
const states = {
  none: () => partnerDecider.initialState(),
  exists: () => given(create()),
  deleted: () => given(create(), remove()),
};

function decideOne(state: PartnerState, command: PartnerCommand): PartnerEvent {
  const events = decideChecked(partnerDecider, state, command);
  expect(events).toHaveLength(1);
  return events[0]!;
}

function record(state: PartnerState): PartnerRecord {
  if (state.status !== 'exists') throw new Error(`no partner: ${state.status}`);
  return state.record;
}

describe('partner', () => {
  it('creates the partner of the catalog example', () => {
    const event = decideOne(states.none(), create());
    expect(event).toEqual({ type: 'accounting.partner.created', data: findEventType('accounting.partner.created')!.example });
  });

  it('fills defaults: a person, active, unknown contact details', () => {
    const event = decideOne(states.none(), create({ name: 'Jonas Jonaitis' }, 9));
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
      const error = refusal(partnerDecider, states.none(), command);
      expect(error.code, path).toBe('invalid');
      expect(statusOf(error)).toBe(400);
      expect(error.details.issues).toEqual([expect.objectContaining({ path, rule })]);
    }
  });

  it('refuses to create a partner that exists or existed (409)', () => {
    const exists = refusal(partnerDecider, states.exists(), create());
    expect(exists.code).toBe('illegal_transition');
    expect(exists.message).toBe('Partner 215 already exists');
    expect(exists.details).toEqual({ state: 'exists', allowed: ['update', 'delete'] });
    const deleted = refusal(partnerDecider, states.deleted(), create());
    expect(deleted.message).toBe('Partner 215 was deleted; ids are not reused');
    expect(deleted.details).toEqual({ state: 'deleted', allowed: [] });
  });

  it('updates contact details, listing exactly the changed fields (the catalog example)', () => {
    const event = decideOne(states.exists(), update({ phone: '+370 612 34567', email: 'saskaitos@balmed.lt' }));
    expect(event).toEqual({ type: 'accounting.partner.updated', data: findEventType('accounting.partner.updated')!.example });
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
    const event = decideOne(states.exists(), update({ vat: null, active: false }));
    expect(event.data).toMatchObject({ changedFields: ['vat', 'active'], after: { vat: null, active: false } });
  });

  it('emits nothing when nothing changes', () => {
    for (const patch of [{}, { name: balmed.name }, { email: balmed.email, active: true }, { phone: undefined }]) {
      expect(decideChecked(partnerDecider, states.exists(), update(patch)), JSON.stringify(patch)).toEqual([]);
    }
  });

  it('refuses an invalid patch, and fields that are not editable', () => {
    expect(refusal(partnerDecider, states.exists(), update({ email: 'x' })).details.issues).toEqual([expect.objectContaining({ path: 'email' })]);
    expect(refusal(partnerDecider, states.exists(), update({ name: null } as never)).code).toBe('invalid');
    expect(refusal(partnerDecider, states.exists(), update({ id: 216 } as never)).details.issues).toEqual([
      expect.objectContaining({ rule: 'unrecognized_keys' }),
    ]);
  });

  it('deletes a partner no invoice uses, with its last snapshot', () => {
    const state = given(create(), update({ city: 'Kaunas' }));
    const event = decideOne(state, remove());
    expect(event).toEqual({
      type: 'accounting.partner.deleted',
      data: { object: 'res.partner', operation: 'delete', id: 215, before: record(state), after: null },
    });
  });

  it('refuses to delete a partner used by invoices (409), naming them', () => {
    const error = refusal(partnerDecider, states.exists(), remove([4813, 4812, 4813]));
    expect(error.code).toBe('illegal_transition');
    expect(statusOf(error)).toBe(409);
    expect(error.message).toBe('Partner 215 is used by invoices 4812, 4813; archive it (active: false) instead');
    expect(error.details).toEqual({ state: 'in_use', allowed: ['update'], inUseBy: [4812, 4813] });
    expect(refusal(partnerDecider, states.exists(), remove([4812])).message).toBe('Partner 215 is used by invoice 4812; archive it (active: false) instead');
  });

  it('answers not_found to update and delete of a partner never created or deleted', () => {
    for (const state of [states.none(), states.deleted()]) {
      for (const command of [update({ city: 'Kaunas' }), remove(), remove([1])]) {
        const error = refusal(partnerDecider, state, command);
        expect(error.code).toBe('not_found');
        expect(statusOf(error)).toBe(404);
      }
    }
    expect(refusal(partnerDecider, states.none(), remove()).message).toBe('No such partner');
    expect(refusal(partnerDecider, states.deleted(), remove()).message).toBe('Partner 215 was deleted');
  });

  it('accepts exactly the allowed commands in every state', () => {
    const samples: PartnerCommand[] = [create(), update({ city: 'Kaunas' }), remove()];
    for (const [name, make] of Object.entries(states)) {
      const allowed = allowedRecordCommands(make());
      for (const command of samples) {
        if (allowed.includes(command.type)) {
          expect(decideChecked(partnerDecider, make(), command), `${name} ${command.type}`).toHaveLength(1);
        } else {
          expect(['illegal_transition', 'not_found'], `${name} ${command.type}`).toContain(refusal(partnerDecider, make(), command).code);
        }
      }
    }
  });

  it('refuses an unknown command rather than guessing', () => {
    const error = refusal(partnerDecider, states.exists(), { type: 'archive' } as never);
    expect(error.code).toBe('invalid');
    expect(error.message).toBe('Unknown partner command "archive"');
  });

  it('replays its stream into the same state', () => {
    const { state, events } = run(partnerDecider, [create(), update({ city: 'Kaunas' }), update({ active: false }), remove()]);
    expect(events.map((e) => e.type)).toEqual([
      'accounting.partner.created',
      'accounting.partner.updated',
      'accounting.partner.updated',
      'accounting.partner.deleted',
    ]);
    expect(state).toEqual({ status: 'deleted', record: expect.objectContaining({ city: 'Kaunas', active: false }) });
  });
});
