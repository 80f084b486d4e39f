// The correspondence (correspondência) aggregate: mail received for a customer.
// Registering it publishes coworking.correspondence.created, or .created_blocked_customer when the
// customer is blocked (the command's customerBlocked flag). It may then be sent by e-mail (scanned;
// the paper stays), and handed over in person or forwarded to the customer's address (either ends
// it); each publishes its own event. Deleting it publishes coworking.correspondence.deleted.
import { illegalTransition, recordNotFound, unknownCommand, type Decider } from '@hookline/eventsourcing';
import type { CommandName, CommandOf, CorrespondenceCommand } from './commands/index.js';
import {
  event,
  invalidField,
  refreshCustomer,
  sameId,
  type CoworkingEvent,
  type CoworkingEventData,
} from './shared.js';

export type CorrespondenceRecord = CoworkingEventData<'coworking.correspondence.created'>;
export type CorrespondenceStatus =
  'none' | 'received' | 'sent_by_email' | 'delivered_in_person' | 'forwarded_to_address' | 'deleted';
export interface CorrespondenceState {
  status: CorrespondenceStatus;
  correspondence: CorrespondenceRecord | null;
  /** The customer was blocked when the correspondence was registered. */
  forBlockedCustomer: boolean;
}
export type CorrespondenceEvent = CoworkingEvent<
  | 'coworking.correspondence.created'
  | 'coworking.correspondence.created_blocked_customer'
  | 'coworking.correspondence.deleted'
  | 'coworking.correspondence.delivered_in_person'
  | 'coworking.correspondence.sent_by_email'
  | 'coworking.correspondence.forwarded_to_address'
>;

export function initialCorrespondenceState(): CorrespondenceState {
  return { status: 'none', correspondence: null, forBlockedCustomer: false };
}

export function allowedCorrespondenceCommands(state: CorrespondenceState): CommandName[] {
  switch (state.status) {
    case 'none':
      return ['create_correspondence'];
    case 'received':
      return [
        'deliver_correspondence_in_person',
        'send_correspondence_by_email',
        'forward_correspondence_to_address',
        'delete_correspondence',
      ];
    case 'sent_by_email':
      return ['deliver_correspondence_in_person', 'forward_correspondence_to_address', 'delete_correspondence'];
    case 'delivered_in_person':
    case 'forwarded_to_address':
      return ['delete_correspondence'];
    case 'deleted':
      return [];
  }
}

/** The event type of a new correspondence: the blocked-customer variant when the customer is blocked. */
export function correspondenceCreatedType(customerBlocked: boolean) {
  return customerBlocked
    ? ('coworking.correspondence.created_blocked_customer' as const)
    : ('coworking.correspondence.created' as const);
}

function createCorrespondence(
  command: CommandOf<'create_correspondence'>,
  state: CorrespondenceState,
): CorrespondenceEvent[] {
  if (state.status !== 'none') {
    throw illegalTransition(
      `Correspondence ${state.correspondence?.correspondenceId} already exists`,
      state.status,
      allowedCorrespondenceCommands(state),
    );
  }
  sameId('customerId', command.customerId, command.customer);
  const receiptDate = command.receiptDate ?? command.now;
  if (Date.parse(receiptDate) > Date.parse(command.now))
    throw invalidField('receiptDate is in the future', 'receiptDate');
  const data: CorrespondenceRecord = {
    correspondenceId: command.correspondenceId,
    sender: command.sender,
    trackingCode: command.trackingCode,
    receiptDate,
    customer: command.customer,
    messageText: command.messageText,
    company: command.company,
    user: command.user,
    createdAt: command.now,
  };
  return [event(correspondenceCreatedType(command.customerBlocked), data)];
}

type LaterCommand = Exclude<CorrespondenceCommand, { type: 'create_correspondence' }>;

/**
 * A correspondence that exists, is not deleted and may still take the command, with the customer the
 * command brings; and the fields every later event starts (`head`) and ends (`tail`) with.
 */
function existingMail(command: LaterCommand, state: CorrespondenceState) {
  const current = state.correspondence;
  if (current === null || state.status === 'none' || state.status === 'deleted')
    throw recordNotFound('correspondence', state.status, current?.correspondenceId);
  const mail: CorrespondenceRecord = { ...current, customer: refreshCustomer(current.customer, command.customer) };
  if (!allowedCorrespondenceCommands(state).includes(command.type)) {
    const done = state.status.replaceAll('_', ' ');
    throw illegalTransition(
      `Correspondence ${mail.correspondenceId} was already ${done}`,
      state.status,
      allowedCorrespondenceCommands(state),
    );
  }
  const head = { correspondenceId: mail.correspondenceId, sender: mail.sender, trackingCode: mail.trackingCode };
  const tail = {
    customer: mail.customer,
    messageText: mail.messageText,
    company: mail.company,
    user: mail.user,
    createdAt: mail.createdAt,
  };
  return { mail, head, tail };
}

function deleteCorrespondence(
  command: CommandOf<'delete_correspondence'>,
  state: CorrespondenceState,
): CorrespondenceEvent[] {
  const { mail } = existingMail(command, state);
  return [
    event('coworking.correspondence.deleted', {
      correspondenceId: mail.correspondenceId,
      sender: mail.sender,
      customer: mail.customer,
      company: mail.company,
      user: mail.user,
    }),
  ];
}

function deliverCorrespondenceInPerson(
  command: CommandOf<'deliver_correspondence_in_person'>,
  state: CorrespondenceState,
): CorrespondenceEvent[] {
  const { mail, head, tail } = existingMail(command, state);
  sameId('deliveredToPersonId', command.deliveredToPersonId, command.deliveredToPerson);
  return [
    event('coworking.correspondence.delivered_in_person', {
      ...head,
      deliveryBy: command.deliveryBy,
      deliveredToPerson: command.deliveredToPerson,
      receiptDate: mail.receiptDate,
      notes: command.notes,
      ...tail,
    }),
  ];
}

function sendCorrespondenceByEmail(
  command: CommandOf<'send_correspondence_by_email'>,
  state: CorrespondenceState,
): CorrespondenceEvent[] {
  const { mail, head, tail } = existingMail(command, state);
  const recipients = command.recipients ?? mail.customer.emails;
  if (recipients.length === 0)
    throw invalidField(`customer ${mail.customer.id} has no e-mail address: give the recipients`, 'recipients');
  return [
    event('coworking.correspondence.sent_by_email', {
      ...head,
      deliveryBy: command.deliveryBy,
      deliveryInformationByEmail: { recipients, date: command.now },
      receiptDate: mail.receiptDate,
      notes: command.notes,
      ...tail,
    }),
  ];
}

function forwardCorrespondenceToAddress(
  command: CommandOf<'forward_correspondence_to_address'>,
  state: CorrespondenceState,
): CorrespondenceEvent[] {
  const { mail, head, tail } = existingMail(command, state);
  sameId('deliveredToPersonId', command.deliveredToPersonId, command.deliveredToPerson);
  const deliveryDate = command.deliveryDate ?? command.now;
  if (Date.parse(deliveryDate) < Date.parse(mail.receiptDate))
    throw invalidField('deliveryDate is before the correspondence was received', 'deliveryDate');
  return [
    event('coworking.correspondence.forwarded_to_address', {
      ...head,
      deliveryBy: command.deliveryBy,
      deliveredToPerson: command.deliveredToPerson,
      shippingMethod: command.shippingMethod,
      receiptDate: mail.receiptDate,
      deliveryDate,
      ...tail,
    }),
  ];
}

export function decideCorrespondence(
  command: CorrespondenceCommand,
  state: CorrespondenceState,
): CorrespondenceEvent[] {
  const { type } = command;
  switch (type) {
    case 'create_correspondence':
      return createCorrespondence(command, state);
    case 'delete_correspondence':
      return deleteCorrespondence(command, state);
    case 'deliver_correspondence_in_person':
      return deliverCorrespondenceInPerson(command, state);
    case 'send_correspondence_by_email':
      return sendCorrespondenceByEmail(command, state);
    case 'forward_correspondence_to_address':
      return forwardCorrespondenceToAddress(command, state);
    default:
      return unknownCommand(type, 'correspondence');
  }
}

export function evolveCorrespondence(state: CorrespondenceState, e: CorrespondenceEvent): CorrespondenceState {
  const mail = state.correspondence;
  switch (e.type) {
    case 'coworking.correspondence.created':
    case 'coworking.correspondence.created_blocked_customer':
      return {
        status: 'received',
        correspondence: e.data,
        forBlockedCustomer: e.type === 'coworking.correspondence.created_blocked_customer',
      };
    case 'coworking.correspondence.deleted':
      return { ...state, status: 'deleted', correspondence: mail && { ...mail, customer: e.data.customer } };
    case 'coworking.correspondence.delivered_in_person':
      return {
        ...state,
        status: 'delivered_in_person',
        correspondence: mail && { ...mail, customer: e.data.customer },
      };
    case 'coworking.correspondence.sent_by_email':
      return { ...state, status: 'sent_by_email', correspondence: mail && { ...mail, customer: e.data.customer } };
    case 'coworking.correspondence.forwarded_to_address':
      return {
        ...state,
        status: 'forwarded_to_address',
        correspondence: mail && { ...mail, customer: e.data.customer },
      };
  }
}

export const correspondenceDecider: Decider<CorrespondenceCommand, CorrespondenceEvent, CorrespondenceState> = {
  decide: decideCorrespondence,
  evolve: evolveCorrespondence,
  initialState: initialCorrespondenceState,
};
