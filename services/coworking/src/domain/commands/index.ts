/**
 * The commands of the Conexa aggregates, one zod schema each (defined in billing.ts, people.ts, bookings.ts,
 * reception.ts), and what is known of them all: their unions per aggregate, senders, events, bodies.
 *
 * Every command is `{ type, now, ...server fields, ...body }`. `now` is the server clock. Server fields
 * are what the service fills in from its own stores (the record's new id, the unit (`company`), the
 * customer / account / person / place snapshots, the logged-in user, whether the customer is blocked):
 * the deciders stay pure and emit them as given. The body is what a client sends: `commandBodies[name]`
 * (also `coworkingCommands[name].body`) validates a REST body; `<aggregate>Command` validates a whole command.
 *
 * Later commands of records that embed a customer (charge, booking, person, customer service,
 * correspondence) accept an optional server field `customer`: the customer as it is now, so that the
 * event carries fresh contact data; omitted, the snapshot taken when the record was created is used.
 */
import { z } from 'zod';
import type { CoworkingAggregate } from '../shared.js';
import {
  invoiceCharge,
  generateBoleto,
  settleCharge,
  editCharge,
  negotiateCharge,
  cancelCharge,
  deleteCharge,
  sendReminder,
  recordExpense,
  confirmExpenseReceipt,
} from './billing.js';
import {
  createCustomer,
  editCustomer,
  deleteCustomer,
  blockCustomer,
  unblockCustomer,
  createPerson,
  editPerson,
  deletePerson,
  blockPerson,
  unblockPerson,
  createLead,
  editLead,
  deleteLead,
} from './people.js';
import { createBooking, cancelBooking, createRecurringBooking } from './bookings.js';
import {
  createCustomerService,
  deleteCustomerService,
  createCorrespondence,
  deleteCorrespondence,
  deliverCorrespondenceInPerson,
  sendCorrespondenceByEmail,
  forwardCorrespondenceToAddress,
} from './reception.js';

export * from './billing.js';
export * from './bookings.js';
export * from './people.js';
export * from './reception.js';

// ---------------------------------------------------------------------------
// All commands
// ---------------------------------------------------------------------------

export const chargeCommand = z
  .discriminatedUnion('type', [
    invoiceCharge.schema,
    generateBoleto.schema,
    settleCharge.schema,
    editCharge.schema,
    negotiateCharge.schema,
    cancelCharge.schema,
    deleteCharge.schema,
    sendReminder.schema,
  ])
  .describe('A command to a charge.');
export type ChargeCommand = z.output<typeof chargeCommand>;

export const expenseCommand = z
  .discriminatedUnion('type', [recordExpense.schema, confirmExpenseReceipt.schema])
  .describe('A command to an expense.');
export type ExpenseCommand = z.output<typeof expenseCommand>;

export const customerCommand = z
  .discriminatedUnion('type', [
    createCustomer.schema,
    editCustomer.schema,
    deleteCustomer.schema,
    blockCustomer.schema,
    unblockCustomer.schema,
  ])
  .describe('A command to a customer.');
export type CustomerCommand = z.output<typeof customerCommand>;

export const personCommand = z
  .discriminatedUnion('type', [
    createPerson.schema,
    editPerson.schema,
    deletePerson.schema,
    blockPerson.schema,
    unblockPerson.schema,
  ])
  .describe('A command to a person.');
export type PersonCommand = z.output<typeof personCommand>;

export const bookingCommand = z
  .discriminatedUnion('type', [createBooking.schema, cancelBooking.schema])
  .describe('A command to a booking.');
export type BookingCommand = z.output<typeof bookingCommand>;

export const recurringBookingCommand = z
  .discriminatedUnion('type', [createRecurringBooking.schema])
  .describe('A command to a recurring booking.');
export type RecurringBookingCommand = z.output<typeof recurringBookingCommand>;

export const customerServiceCommand = z
  .discriminatedUnion('type', [createCustomerService.schema, deleteCustomerService.schema])
  .describe('A command to a customer-service contact.');
export type CustomerServiceCommand = z.output<typeof customerServiceCommand>;

export const correspondenceCommand = z
  .discriminatedUnion('type', [
    createCorrespondence.schema,
    deleteCorrespondence.schema,
    deliverCorrespondenceInPerson.schema,
    sendCorrespondenceByEmail.schema,
    forwardCorrespondenceToAddress.schema,
  ])
  .describe('A command to a correspondence.');
export type CorrespondenceCommand = z.output<typeof correspondenceCommand>;

export const leadCommand = z
  .discriminatedUnion('type', [createLead.schema, editLead.schema, deleteLead.schema])
  .describe('A command to a lead.');
export type LeadCommand = z.output<typeof leadCommand>;

/** A command to any Conexa aggregate (the input of `chargeCommand.parse` etc. for one aggregate). */
export type CoworkingCommand =
  | ChargeCommand
  | ExpenseCommand
  | CustomerCommand
  | PersonCommand
  | BookingCommand
  | RecurringBookingCommand
  | CustomerServiceCommand
  | CorrespondenceCommand
  | LeadCommand;

const definitions = [
  invoiceCharge,
  generateBoleto,
  settleCharge,
  editCharge,
  negotiateCharge,
  cancelCharge,
  deleteCharge,
  sendReminder,
  recordExpense,
  confirmExpenseReceipt,
  createCustomer,
  editCustomer,
  deleteCustomer,
  blockCustomer,
  unblockCustomer,
  createPerson,
  editPerson,
  deletePerson,
  blockPerson,
  unblockPerson,
  createBooking,
  cancelBooking,
  createRecurringBooking,
  createCustomerService,
  deleteCustomerService,
  createCorrespondence,
  deleteCorrespondence,
  deliverCorrespondenceInPerson,
  sendCorrespondenceByEmail,
  forwardCorrespondenceToAddress,
  createLead,
  editLead,
  deleteLead,
] as const;

export type CommandName = CoworkingCommand['type'];
/** The command of a name, as its schema parses it. */
export type CommandOf<N extends CommandName> = Extract<CoworkingCommand, { type: N }>;
export const commandNames = definitions.map((definition) => definition.name) as CommandName[];

/** Who sends each command: a Conexa user, or the system (scheduler, bank, payment provider, recurrence). */
export const commandSenders: Readonly<Record<CommandName, readonly ('user' | 'system')[]>> = {
  invoice_charge: ['user', 'system'],
  generate_boleto: ['system'],
  settle_charge: ['user', 'system'],
  edit_charge: ['user'],
  negotiate_charge: ['user'],
  cancel_charge: ['user'],
  delete_charge: ['user'],
  send_reminder: ['system'],
  record_expense: ['user', 'system'],
  confirm_expense_receipt: ['user'],
  create_customer: ['user', 'system'],
  edit_customer: ['user'],
  delete_customer: ['user'],
  block_customer: ['user'],
  unblock_customer: ['user'],
  create_person: ['user'],
  edit_person: ['user'],
  delete_person: ['user'],
  block_person: ['user'],
  unblock_person: ['user'],
  create_booking: ['user', 'system'],
  cancel_booking: ['user'],
  create_recurring_booking: ['user'],
  create_customer_service: ['user'],
  delete_customer_service: ['user'],
  create_correspondence: ['user'],
  delete_correspondence: ['user'],
  deliver_correspondence_in_person: ['user'],
  send_correspondence_by_email: ['user'],
  forward_correspondence_to_address: ['user'],
  create_lead: ['user'],
  edit_lead: ['user'],
  delete_lead: ['user'],
};

/**
 * The events each command may emit, published (catalog) ones first, then internal ones
 * (stored with the stream, never published); alternatives are listed too.
 */
export const commandEvents = {
  invoice_charge: ['coworking.charge.generated', 'internal.charge.invoiced'],
  generate_boleto: ['coworking.charge.generated'],
  settle_charge: ['coworking.charge.settled', 'internal.charge.settled_manually'],
  edit_charge: ['coworking.charge.status_changed'],
  negotiate_charge: ['coworking.charge.status_changed', 'internal.charge.status_set'],
  cancel_charge: ['coworking.charge.status_changed', 'internal.charge.status_set'],
  delete_charge: ['coworking.charge.status_changed', 'internal.charge.status_set'],
  send_reminder: ['coworking.charge.reminder', 'internal.charge.reminder_recorded'],
  record_expense: ['internal.expense.recorded'],
  confirm_expense_receipt: ['coworking.expense.receipt_confirmed'],
  create_customer: ['coworking.customer.created'],
  edit_customer: ['coworking.customer.edited'],
  delete_customer: ['coworking.customer.deleted'],
  block_customer: ['coworking.customer.blocked'],
  unblock_customer: ['coworking.customer.unblocked'],
  create_person: ['coworking.person.created'],
  edit_person: ['coworking.person.edited'],
  delete_person: ['coworking.person.deleted'],
  block_person: ['coworking.person.blocked'],
  unblock_person: ['coworking.person.unblocked'],
  create_booking: ['coworking.booking.created', 'internal.booking.generated'],
  cancel_booking: ['coworking.booking.cancelled'],
  create_recurring_booking: ['coworking.recurring_booking.created'],
  create_customer_service: [
    'coworking.customer_service.created',
    'coworking.customer_service.created_blocked_customer',
  ],
  delete_customer_service: ['coworking.customer_service.deleted'],
  create_correspondence: ['coworking.correspondence.created', 'coworking.correspondence.created_blocked_customer'],
  delete_correspondence: ['coworking.correspondence.deleted'],
  deliver_correspondence_in_person: ['coworking.correspondence.delivered_in_person'],
  send_correspondence_by_email: ['coworking.correspondence.sent_by_email'],
  forward_correspondence_to_address: ['coworking.correspondence.forwarded_to_address'],
  create_lead: ['coworking.lead.created'],
  edit_lead: ['coworking.lead.edited'],
  delete_lead: ['coworking.lead.deleted'],
} as const satisfies Record<CommandName, readonly string[]>;

type Definition = (typeof definitions)[number];

/** Every command by name: its REST body, its whole schema, its aggregate, who sends it and the events it may emit. */
export const coworkingCommands = Object.fromEntries(
  definitions.map((definition) => [
    definition.name,
    {
      name: definition.name,
      aggregate: definition.aggregate,
      body: definition.body,
      schema: definition.schema,
      senders: commandSenders[definition.name],
      events: commandEvents[definition.name],
    },
  ]),
) as {
  [D in Definition as D['name']]: {
    name: D['name'];
    aggregate: D['aggregate'];
    body: D['body'];
    schema: D['schema'];
    senders: readonly ('user' | 'system')[];
    events: (typeof commandEvents)[D['name']];
  };
};

/** What a client sends for each command (no type, time or server fields). */
export const commandBodies = Object.fromEntries(
  definitions.map((definition) => [definition.name, definition.body]),
) as {
  [D in Definition as D['name']]: D['body'];
};

/** The commands of an aggregate, in lifecycle order. */
export function commandsOf(aggregate: CoworkingAggregate): CommandName[] {
  return definitions.filter((definition) => definition.aggregate === aggregate).map((definition) => definition.name);
}
