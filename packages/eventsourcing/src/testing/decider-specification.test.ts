import { AssertionError } from 'node:assert';
import { illegal } from '@hookline/errors';
import { describe, expect, it } from 'vitest';
import type { Decider, DomainEvent } from '../decider.js';
import { catalogExample, DeciderSpecification, storedEvent } from './decider-specification.js';

// A toy aggregate over the catalog's lead events: create, rename, delete, and a command that emits what it is told.
type Lead = { potentialCustomerId: number; customerName: string } & Record<string, unknown>;
type LeadEvent =
  | DomainEvent<'coworking.lead.created', Lead>
  | DomainEvent<'coworking.lead.edited', Lead>
  | DomainEvent<'coworking.lead.deleted', Lead>
  | DomainEvent<'internal.lead.noted', { note: string }>;
type LeadCommand =
  { type: 'rename'; name: string } | { type: 'delete' } | { type: 'emit'; events: LeadEvent[] } | { type: 'mutate' };
type LeadState = { status: 'none' | 'open' | 'deleted'; lead: Lead | null; notes: number };

const decider: Decider<LeadCommand, LeadEvent, LeadState> = {
  initialState: () => ({ status: 'none', lead: null, notes: 0 }),
  evolve: (state, event) => {
    switch (event.type) {
      case 'coworking.lead.created':
      case 'coworking.lead.edited':
        return { ...state, status: 'open', lead: event.data };
      case 'coworking.lead.deleted':
        return { ...state, status: 'deleted' };
      case 'internal.lead.noted':
        return { ...state, notes: state.notes + 1 };
    }
  },
  decide: (command, state) => {
    switch (command.type) {
      case 'rename':
        if (state.lead === null || state.status !== 'open')
          throw illegal('no open lead', { state: state.status, allowed: [] });
        return command.name === state.lead.customerName
          ? []
          : [{ type: 'coworking.lead.edited', data: { ...state.lead, customerName: command.name } }];
      case 'delete': {
        const lead = state.lead!;
        return [
          {
            type: 'coworking.lead.deleted',
            data: {
              potentialCustomerId: lead.potentialCustomerId,
              company: lead.company,
              customerName: lead.customerName,
            },
          },
        ];
      }
      case 'emit':
        return command.events;
      case 'mutate':
        state.notes += 1;
        return [];
    }
  },
};

const given = DeciderSpecification.for(decider);
const created = catalogExample<Extract<LeadEvent, { type: 'coworking.lead.created' }>>('coworking.lead.created');

describe('DeciderSpecification', () => {
  it('given the catalog example, when a command, then exactly its events; the state folds the stored events', () => {
    const renamed = given(created).when({ type: 'rename', name: 'Beatriz N. Santos' });
    renamed.then([{ type: 'coworking.lead.edited', data: { ...created.data, customerName: 'Beatriz N. Santos' } }]);
    expect(renamed.state).toMatchObject({ status: 'open', lead: { customerName: 'Beatriz N. Santos' } });
    expect(renamed.history.map((event) => event.type)).toEqual(['coworking.lead.created', 'coworking.lead.edited']);
    expect(() => renamed.then([])).toThrow(AssertionError);
  });

  it('then(check) hands over the events and the state; when chains commands; last finds an event of the history', () => {
    const deleted = given(created)
      .when({ type: 'rename', name: 'B.' })
      .when({ type: 'delete' })
      .then((events, state) => {
        expect(events.map((event) => event.type)).toEqual(['coworking.lead.deleted']);
        expect(state.status).toBe('deleted');
      });
    expect(deleted.last('coworking.lead.edited').data.customerName).toBe('B.');
    expect(() => deleted.last('internal.lead.noted')).toThrow(AssertionError);
  });

  it('thenNothingHappened, and thenThrows returning the DomainError (failing when nothing or something else was thrown)', () => {
    given(created).when({ type: 'rename', name: created.data.customerName }).thenNothingHappened();
    expect(() => given(created).when({ type: 'rename', name: 'x' }).thenNothingHappened()).toThrow(AssertionError);
    const refused = given().when({ type: 'rename', name: 'x' });
    expect(refused.thenThrows((error) => error.code === 'illegal_transition').details).toEqual({
      state: 'none',
      allowed: [],
    });
    expect(() => refused.thenThrows((error) => error.code === 'not_found')).toThrow(AssertionError);
    expect(() => refused.events).toThrow('no open lead');
    expect(() => refused.when({ type: 'delete' })).toThrow('no open lead');
    expect(() => given(created).when({ type: 'delete' }).thenThrows()).toThrow(AssertionError);
    expect(() => given().when({ type: 'delete' }).thenThrows()).toThrow(TypeError);
  });

  it('checks every event against the catalog: unknown types, broken or extra data, internal types that are in the catalog', () => {
    const emit = (...events: unknown[]) => given(created).when({ type: 'emit', events: events as LeadEvent[] });
    expect(() => emit({ type: 'coworking.lead.renamed', data: {} })).toThrow('no catalog definition');
    expect(() => emit({ type: 'coworking.lead.edited', data: { ...created.data, customerName: 7 } })).toThrow(
      'breaks its catalog schema',
    );
    expect(() => emit({ type: 'coworking.lead.edited', data: { ...created.data, surprise: true } })).toThrow(
      AssertionError,
    );
    expect(() => emit({ type: 'coworking.lead.edited', data: created.data, extra: 1 })).toThrow(
      'unexpected properties extra',
    );
    expect(() => storedEvent({ type: 'internal.lead.noted', data: {} })).not.toThrow();
    expect(emit({ type: 'internal.lead.noted', data: { note: 'called back' } }).state.notes).toBe(1);
    expect(() => given({ type: 'coworking.lead.created', data: { potentialCustomerId: 'x' } } as never)).toThrow(
      AssertionError,
    );
  });

  it('fails a decider that changes the state it is given, and runs the domain invariant on every decision', () => {
    expect(() => given(created).when({ type: 'mutate' })).toThrow('changed the state it was given');
    const seen: string[] = [];
    const checked = DeciderSpecification.for(decider, {
      invariant: ({ command, state, events }) => seen.push(`${command.type} in ${state.status}: ${events.length}`),
    });
    checked(created).when({ type: 'rename', name: 'x' }).when({ type: 'delete' });
    checked().when({ type: 'rename', name: 'x' });
    expect(seen).toEqual(['rename in open: 1', 'delete in open: 1']);
  });
});
