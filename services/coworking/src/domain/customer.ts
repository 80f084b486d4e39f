// The customer (cliente) aggregate: created, edited, deleted, blocked, unblocked — one catalog event each.
import { applyPatch, illegalTransition, recordNotFound, unknownCommand, type Decider } from '@hookline/eventsourcing';
import type { CommandName, CommandOf, CustomerCommand } from './commands/index.js';
import {
  event,
  firstWord,
  invalidField,
  type CoworkingEvent,
  type CoworkingEventData,
  type CustomerRef,
} from './shared.js';

/** The customer as the edited event carries it (the created payload plus isActive). */
export type CustomerRecord = CoworkingEventData<'coworking.customer.edited'>;
export type CustomerStatus = 'none' | 'active' | 'blocked' | 'deleted';
export interface CustomerState {
  status: CustomerStatus;
  customer: CustomerRecord | null;
}
export type CustomerEvent = CoworkingEvent<
  | 'coworking.customer.created'
  | 'coworking.customer.edited'
  | 'coworking.customer.deleted'
  | 'coworking.customer.blocked'
  | 'coworking.customer.unblocked'
>;

export function initialCustomerState(): CustomerState {
  return { status: 'none', customer: null };
}

/** The commands that may run in a state. */
export function allowedCustomerCommands(state: CustomerState): CommandName[] {
  switch (state.status) {
    case 'none':
      return ['create_customer'];
    case 'active':
      return ['edit_customer', 'delete_customer', 'block_customer'];
    case 'blocked':
      return ['edit_customer', 'delete_customer', 'unblock_customer'];
    case 'deleted':
      return [];
  }
}

/** The customer object other records embed (charges, bookings, persons, customer service, correspondence). */
export function customerRef(customer: CustomerRecord): CustomerRef {
  return {
    id: customer.customerId,
    name: customer.name,
    tradeName: customer.tradeName,
    firstName: customer.firstName,
    cellNumber: customer.cellNumber,
    phones: customer.phones,
    emails: customer.emails,
    emailsFinancialMessages: customer.emailsFinancialMessages,
  };
}

/** Whether the customer is blocked now: the `customerBlocked` flag of customer-service and correspondence creation. */
export function isCustomerBlocked(state: CustomerState): boolean {
  return state.status === 'blocked';
}

/** Documented: CPF, RG and birth date only for individuals; CNPJ and foundation date only for legal entities. */
function checkKind(customer: CustomerRecord): void {
  const wrong = customer.isJuridicalPerson
    ? (['cpf', 'rg', 'birthDate'] as const).filter((field) => customer[field] !== null)
    : (['cnpj', 'foundationDate'] as const).filter((field) => customer[field] !== null);
  if (wrong.length > 0) {
    const kind = customer.isJuridicalPerson ? 'a legal entity (Pessoa Jurídica)' : 'an individual (Pessoa Física)';
    throw invalidField(`${wrong.join(', ')} must be null for ${kind}`, wrong[0] ?? '');
  }
}

function createdData(customer: CustomerRecord): CoworkingEventData<'coworking.customer.created'> {
  const { isActive: _isActive, ...created } = customer;
  return created;
}

function summary(customer: CustomerRecord): CoworkingEventData<'coworking.customer.deleted'> {
  return {
    customerId: customer.customerId,
    name: customer.name,
    tradeName: customer.tradeName,
    firstName: customer.firstName,
    company: customer.company,
  };
}

function createCustomer(command: CommandOf<'create_customer'>, state: CustomerState): CustomerEvent[] {
  if (state.status !== 'none')
    throw illegalTransition(
      `Customer ${state.customer?.customerId} already exists`,
      state.status,
      allowedCustomerCommands(state),
    );
  const { type: _type, now, customerId, company, firstName, ...fields } = command;
  const customer: CustomerRecord = {
    customerId,
    ...fields,
    firstName: firstName ?? firstWord(fields.name),
    company,
    createdAt: now,
    isActive: true,
  };
  checkKind(customer);
  return [event('coworking.customer.created', createdData(customer))];
}

/** The customer of a record that exists and is not deleted. */
function existingCustomer(state: CustomerState): CustomerRecord {
  const customer = state.customer;
  if (customer === null || state.status === 'none' || state.status === 'deleted')
    throw recordNotFound('customer', state.status, customer?.customerId);
  return customer;
}

function editCustomer(command: CommandOf<'edit_customer'>, state: CustomerState): CustomerEvent[] {
  const customer = existingCustomer(state);
  const { type: _type, now: _now, ...patch } = command;
  const next = applyPatch(customer, patch);
  checkKind(next);
  return [event('coworking.customer.edited', next)];
}

function deleteCustomer(_command: CommandOf<'delete_customer'>, state: CustomerState): CustomerEvent[] {
  return [event('coworking.customer.deleted', summary(existingCustomer(state)))];
}

function blockCustomer(_command: CommandOf<'block_customer'>, state: CustomerState): CustomerEvent[] {
  const customer = existingCustomer(state);
  if (state.status === 'blocked')
    throw illegalTransition(
      `Customer ${customer.customerId} is already blocked`,
      state.status,
      allowedCustomerCommands(state),
    );
  return [event('coworking.customer.blocked', summary(customer))];
}

function unblockCustomer(_command: CommandOf<'unblock_customer'>, state: CustomerState): CustomerEvent[] {
  const customer = existingCustomer(state);
  if (state.status !== 'blocked')
    throw illegalTransition(
      `Customer ${customer.customerId} is not blocked`,
      state.status,
      allowedCustomerCommands(state),
    );
  return [event('coworking.customer.unblocked', summary(customer))];
}

export function decideCustomer(command: CustomerCommand, state: CustomerState): CustomerEvent[] {
  const { type } = command;
  switch (type) {
    case 'create_customer':
      return createCustomer(command, state);
    case 'edit_customer':
      return editCustomer(command, state);
    case 'delete_customer':
      return deleteCustomer(command, state);
    case 'block_customer':
      return blockCustomer(command, state);
    case 'unblock_customer':
      return unblockCustomer(command, state);
    default:
      return unknownCommand(type, 'customer');
  }
}

export function evolveCustomer(state: CustomerState, e: CustomerEvent): CustomerState {
  switch (e.type) {
    case 'coworking.customer.created':
      return { status: 'active', customer: { ...e.data, isActive: true } };
    case 'coworking.customer.edited':
      return { ...state, customer: e.data };
    case 'coworking.customer.deleted':
      return { ...state, status: 'deleted' };
    case 'coworking.customer.blocked':
      return { ...state, status: 'blocked' };
    case 'coworking.customer.unblocked':
      return { ...state, status: 'active' };
  }
}

export const customerDecider: Decider<CustomerCommand, CustomerEvent, CustomerState> = {
  decide: decideCustomer,
  evolve: evolveCustomer,
  initialState: initialCustomerState,
};
