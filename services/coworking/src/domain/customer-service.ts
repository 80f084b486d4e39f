// The customer-service contact (atendimento) aggregate. Registering one publishes
// coworking.customer_service.created, or .created_blocked_customer when the customer is blocked
// (the command's customerBlocked flag, which the service reads from the customer's state); the
// payload is the same. Deleting it publishes coworking.customer_service.deleted.
import { illegalTransition, recordNotFound, unknownCommand, type Decider } from '@hookline/eventsourcing';
import type { CommandName, CommandOf, CustomerServiceCommand } from './commands/index.js';
import { event, refreshCustomer, sameId, type CoworkingEvent, type CoworkingEventData } from './shared.js';

export type CustomerServiceRecord = CoworkingEventData<'coworking.customer_service.created'>;
export interface CustomerServiceState {
  status: 'none' | 'registered' | 'deleted';
  customerService: CustomerServiceRecord | null;
  /** The customer was blocked when the contact was registered. */
  forBlockedCustomer: boolean;
}
export type CustomerServiceEvent = CoworkingEvent<
  | 'coworking.customer_service.created'
  | 'coworking.customer_service.created_blocked_customer'
  | 'coworking.customer_service.deleted'
>;

export function initialCustomerServiceState(): CustomerServiceState {
  return { status: 'none', customerService: null, forBlockedCustomer: false };
}

export function allowedCustomerServiceCommands(state: CustomerServiceState): CommandName[] {
  return state.status === 'none'
    ? ['create_customer_service']
    : state.status === 'registered'
      ? ['delete_customer_service']
      : [];
}

/** The event type of a new contact: the blocked-customer variant when the customer is blocked. */
export function customerServiceCreatedType(customerBlocked: boolean) {
  return customerBlocked
    ? ('coworking.customer_service.created_blocked_customer' as const)
    : ('coworking.customer_service.created' as const);
}

function createCustomerService(
  command: CommandOf<'create_customer_service'>,
  state: CustomerServiceState,
): CustomerServiceEvent[] {
  if (state.status !== 'none') {
    throw illegalTransition(
      `Customer-service contact ${state.customerService?.customerServiceId} already exists`,
      state.status,
      allowedCustomerServiceCommands(state),
    );
  }
  sameId('customerId', command.customerId, command.customer);
  const data: CustomerServiceRecord = {
    customerServiceId: command.customerServiceId,
    type: command.contactType,
    customer: command.customer,
    requester: command.requester,
    company: command.company,
    user: command.user,
    messageText: command.messageText,
    createdAt: command.now,
  };
  return [event(customerServiceCreatedType(command.customerBlocked), data)];
}

function deleteCustomerService(
  command: CommandOf<'delete_customer_service'>,
  state: CustomerServiceState,
): CustomerServiceEvent[] {
  const record = state.customerService;
  if (record === null || state.status !== 'registered')
    throw recordNotFound('customer-service contact', state.status, record?.customerServiceId);
  return [
    event('coworking.customer_service.deleted', {
      customerServiceId: record.customerServiceId,
      type: record.type,
      customer: refreshCustomer(record.customer, command.customer),
      requester: record.requester,
      company: record.company,
      user: record.user,
    }),
  ];
}

export function decideCustomerService(
  command: CustomerServiceCommand,
  state: CustomerServiceState,
): CustomerServiceEvent[] {
  const { type } = command;
  switch (type) {
    case 'create_customer_service':
      return createCustomerService(command, state);
    case 'delete_customer_service':
      return deleteCustomerService(command, state);
    default:
      return unknownCommand(type, 'customer-service');
  }
}

export function evolveCustomerService(state: CustomerServiceState, e: CustomerServiceEvent): CustomerServiceState {
  switch (e.type) {
    case 'coworking.customer_service.created':
    case 'coworking.customer_service.created_blocked_customer':
      return {
        status: 'registered',
        customerService: e.data,
        forBlockedCustomer: e.type === 'coworking.customer_service.created_blocked_customer',
      };
    case 'coworking.customer_service.deleted':
      return {
        ...state,
        status: 'deleted',
        customerService: state.customerService && { ...state.customerService, customer: e.data.customer },
      };
  }
}

export const customerServiceDecider: Decider<CustomerServiceCommand, CustomerServiceEvent, CustomerServiceState> = {
  decide: decideCustomerService,
  evolve: evolveCustomerService,
  initialState: initialCustomerServiceState,
};
