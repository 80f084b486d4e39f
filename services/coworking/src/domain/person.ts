// The person (pessoa) aggregate: someone linked to a customer. Created, edited, deleted, blocked
// (deactivated), unblocked (reactivated) — one catalog event each; isActive is false while blocked.
import { applyPatch, illegalTransition, recordNotFound, unknownCommand, type Decider } from '@hookline/eventsourcing';
import type { CommandName, CommandOf, PersonCommand } from './commands/index.js';
import {
  event,
  invalidField,
  refreshCustomer,
  sameId,
  type CoworkingEvent,
  type CoworkingEventData,
} from './shared.js';

/** The person as the edited event carries it (the created payload plus isActive). */
export type PersonRecord = CoworkingEventData<'coworking.person.edited'>;
export type PersonStatus = 'none' | 'active' | 'blocked' | 'deleted';
export interface PersonState {
  status: PersonStatus;
  person: PersonRecord | null;
}
export type PersonEvent = CoworkingEvent<
  | 'coworking.person.created'
  | 'coworking.person.edited'
  | 'coworking.person.deleted'
  | 'coworking.person.blocked'
  | 'coworking.person.unblocked'
>;

export function initialPersonState(): PersonState {
  return { status: 'none', person: null };
}

export function allowedPersonCommands(state: PersonState): CommandName[] {
  switch (state.status) {
    case 'none':
      return ['create_person'];
    case 'active':
      return ['edit_person', 'delete_person', 'block_person'];
    case 'blocked':
      return ['edit_person', 'delete_person', 'unblock_person'];
    case 'deleted':
      return [];
  }
}

/** The person reference bookings and correspondence deliveries embed. */
export function personRef(person: PersonRecord): { id: number; name: string } {
  return { id: person.personId, name: person.name };
}

/** A foreign person has foreign data; a Brazilian one has none. */
function checkForeign(person: PersonRecord): void {
  if (person.isForeign !== (person.foreignData !== null)) {
    throw invalidField(
      person.isForeign ? 'a foreign person needs foreignData' : 'foreignData is only for a foreign person',
      'foreignData',
    );
  }
}

function summary(person: PersonRecord): CoworkingEventData<'coworking.person.deleted'> {
  return { personId: person.personId, name: person.name, customer: person.customer, company: person.company };
}

function createPerson(command: CommandOf<'create_person'>, state: PersonState): PersonEvent[] {
  if (state.status !== 'none')
    throw illegalTransition(
      `Person ${state.person?.personId} already exists`,
      state.status,
      allowedPersonCommands(state),
    );
  const { type: _type, now: _now, personId, customerId, customer, company, ...fields } = command;
  sameId('customerId', customerId, customer);
  const { name, ...details } = fields;
  const person: PersonRecord = { personId, name, customer, company, ...details, isActive: true };
  checkForeign(person);
  const { isActive: _isActive, ...created } = person;
  return [event('coworking.person.created', created)];
}

/** The person of a record that exists and is not deleted, with the customer the command brings. */
function existingPerson(command: Exclude<PersonCommand, { type: 'create_person' }>, state: PersonState): PersonRecord {
  const current = state.person;
  if (current === null || state.status === 'none' || state.status === 'deleted')
    throw recordNotFound('person', state.status, current?.personId);
  return { ...current, customer: refreshCustomer(current.customer, command.customer) };
}

function editPerson(command: CommandOf<'edit_person'>, state: PersonState): PersonEvent[] {
  const person = existingPerson(command, state);
  const { type: _type, now: _now, customer: _customer, ...patch } = command;
  const next = applyPatch(person, patch);
  checkForeign(next);
  return [event('coworking.person.edited', next)];
}

function deletePerson(command: CommandOf<'delete_person'>, state: PersonState): PersonEvent[] {
  return [event('coworking.person.deleted', summary(existingPerson(command, state)))];
}

function blockPerson(command: CommandOf<'block_person'>, state: PersonState): PersonEvent[] {
  const person = existingPerson(command, state);
  if (state.status === 'blocked')
    throw illegalTransition(`Person ${person.personId} is already blocked`, state.status, allowedPersonCommands(state));
  return [event('coworking.person.blocked', summary(person))];
}

function unblockPerson(command: CommandOf<'unblock_person'>, state: PersonState): PersonEvent[] {
  const person = existingPerson(command, state);
  if (state.status !== 'blocked')
    throw illegalTransition(`Person ${person.personId} is not blocked`, state.status, allowedPersonCommands(state));
  return [event('coworking.person.unblocked', summary(person))];
}

export function decidePerson(command: PersonCommand, state: PersonState): PersonEvent[] {
  const { type } = command;
  switch (type) {
    case 'create_person':
      return createPerson(command, state);
    case 'edit_person':
      return editPerson(command, state);
    case 'delete_person':
      return deletePerson(command, state);
    case 'block_person':
      return blockPerson(command, state);
    case 'unblock_person':
      return unblockPerson(command, state);
    default:
      return unknownCommand(type, 'person');
  }
}

export function evolvePerson(state: PersonState, e: PersonEvent): PersonState {
  const person = state.person;
  switch (e.type) {
    case 'coworking.person.created':
      return { status: 'active', person: { ...e.data, isActive: true } };
    case 'coworking.person.edited':
      return { ...state, person: e.data };
    case 'coworking.person.deleted':
      return { status: 'deleted', person: person && { ...person, customer: e.data.customer } };
    case 'coworking.person.blocked':
      return { status: 'blocked', person: person && { ...person, customer: e.data.customer, isActive: false } };
    case 'coworking.person.unblocked':
      return { status: 'active', person: person && { ...person, customer: e.data.customer, isActive: true } };
  }
}

export const personDecider: Decider<PersonCommand, PersonEvent, PersonState> = {
  decide: decidePerson,
  evolve: evolvePerson,
  initialState: initialPersonState,
};
