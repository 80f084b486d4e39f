// What the Conexa domain tests share: the given/when/then specification of each aggregate (every event
// checked against the catalog by @hookline/eventsourcing/testing; here, that a command which emits was
// allowed, emits only the events `commandEvents` lists, and that only reminders carry `reminderRule`),
// commands stamped with a Brasília-time clock, and the records involved, taken from the catalog's examples.
import { AssertionError } from 'node:assert';
import type { DomainError } from '@hookline/errors';
import { catalogExample, DeciderSpecification, type Decision } from '@hookline/eventsourcing/testing';
import type { DomainEvent } from '@hookline/eventsourcing';
import { statusOf } from '@hookline/http';
import type { z } from 'zod';
import {
  allowedBookingCommands,
  allowedRecurringBookingCommands,
  bookingDecider,
  recurringBookingDecider,
} from './booking.js';
import { allowedChargeCommands, chargeDecider } from './charge.js';
import { commandEvents, coworkingCommands, type CommandName, type CommandOf } from './commands/index.js';
import { allowedCorrespondenceCommands, correspondenceDecider } from './correspondence.js';
import { allowedCustomerServiceCommands, customerServiceDecider } from './customer-service.js';
import { allowedCustomerCommands, customerDecider, customerRef, type CustomerRecord } from './customer.js';
import { allowedExpenseCommands, expenseDecider } from './expense.js';
import { allowedLeadCommands, leadDecider } from './lead.js';
import { allowedPersonCommands, personDecider } from './person.js';
import { publishedEvents, type CoworkingEventData, type CoworkingEventType, type CustomerRef } from './shared.js';

// ---------------------------------------------------------------------------
// given/when/then
// ---------------------------------------------------------------------------

/** What every Conexa decision must respect besides the catalog. */
function invariant<S>(allowed: (state: S) => CommandName[]) {
  return ({ command, state, events }: Decision<{ type: CommandName }, DomainEvent & { reminderRule?: string }, S>) => {
    const fail = (message: string) => {
      throw new AssertionError({ message });
    };
    if (events.length > 0 && !allowed(state).includes(command.type))
      fail(`${command.type} emitted events but the state allows [${allowed(state).join(', ')}]`);
    for (const event of events) {
      if (!(commandEvents[command.type] as readonly string[]).includes(event.type))
        fail(`${command.type} may not emit ${event.type}`);
      const isReminder = event.type === 'coworking.charge.reminder';
      if (isReminder && !event.reminderRule) fail('a reminder carries its reminderRule');
      if (!isReminder && 'reminderRule' in event)
        fail(`${event.type}: reminderRule is for coworking.charge.reminder only`);
    }
  };
}

export const givenCharge = DeciderSpecification.for(chargeDecider, { invariant: invariant(allowedChargeCommands) });
export const givenExpense = DeciderSpecification.for(expenseDecider, { invariant: invariant(allowedExpenseCommands) });
export const givenCustomer = DeciderSpecification.for(customerDecider, {
  invariant: invariant(allowedCustomerCommands),
});
export const givenPerson = DeciderSpecification.for(personDecider, { invariant: invariant(allowedPersonCommands) });
export const givenBooking = DeciderSpecification.for(bookingDecider, { invariant: invariant(allowedBookingCommands) });
export const givenRecurringBooking = DeciderSpecification.for(recurringBookingDecider, {
  invariant: invariant(allowedRecurringBookingCommands),
});
export const givenCustomerService = DeciderSpecification.for(customerServiceDecider, {
  invariant: invariant(allowedCustomerServiceCommands),
});
export const givenCorrespondence = DeciderSpecification.for(correspondenceDecider, {
  invariant: invariant(allowedCorrespondenceCommands),
});
export const givenLead = DeciderSpecification.for(leadDecider, { invariant: invariant(allowedLeadCommands) });

const HOUR = 3_600_000;

/** An instant as Conexa writes it: Brasília time, e.g. 2026-11-23T09:00:00-03:00. */
export function brasilia(ms: number): string {
  return `${new Date(ms - 3 * HOUR).toISOString().slice(0, 19)}-03:00`;
}

type Input<N extends CommandName> = Omit<z.input<(typeof coworkingCommands)[N]['schema']>, 'now'> & {
  type: N;
  now?: string;
};

/**
 * A clock for one test: each call builds a whole command as the API would (validated by its schema,
 * defaults applied) at the clock's time, then moves the clock an hour on.
 */
export function clock(start = '2026-11-23T09:00:00-03:00') {
  let at = Date.parse(start);
  return <N extends CommandName>(input: Input<N>): CommandOf<N> => {
    const command = (coworkingCommands[input.type].schema as z.ZodType).parse({
      now: brasilia(at),
      ...input,
    }) as CommandOf<N>;
    at += HOUR;
    return command;
  };
}

/** A refusal as the API answers it: the code, the HTTP status, the message and the details. */
export function answer(error: DomainError) {
  return { code: error.code, status: statusOf(error), message: error.message, details: error.details };
}

/** The types of the published (catalog) events among `events`. */
export function publishedTypes(events: readonly { type: string }[]): string[] {
  return publishedEvents(events).map((event) => event.type);
}

// ---------------------------------------------------------------------------
// The records involved: the catalog's examples
// ---------------------------------------------------------------------------

/** The `data` of the catalog's example of an event type (parsed, a fresh copy): what a test expects a decider to publish. */
export const example = <K extends CoworkingEventType>(type: K): CoworkingEventData<K> =>
  catalogExample<DomainEvent<K, CoworkingEventData<K>>>(type).data;

const generated = example('coworking.charge.generated');
const contact = example('coworking.customer_service.created');
const blockedContact = example('coworking.customer_service.created_blocked_customer');
const booked = example('coworking.booking.created');
const registered = example('coworking.person.created');

/** The unit (Conexa Coworking Savassi), the user at its reception and the account charges go to. */
export const savassi = generated.company;
export const juliana = contact.user;
export const bancoDoBrasil = generated.account;
/** Customers: Araújo & Lima (a legal entity), Fernanda (an individual), Thiago (blocked in the catalog's examples). */
export const araujoLima: CustomerRef = generated.customer;
export const fernanda: CustomerRef = booked.customer;
export const thiago: CustomerRef = blockedContact.customer;
export const rafael = { id: registered.personId, name: registered.name };
export const salaPampulha = booked.place;
export const novemberSales = generated.sales;
export const digitableLine = generated.billetDigitableLine!;

/** invoice_charge of the catalog's charge (Araújo & Lima's November, R$ 1.410,00), receiving method "Outros" unless overridden. */
export function invoiceInput(overrides: Partial<Input<'invoice_charge'>> = {}): Input<'invoice_charge'> {
  const chargeId = overrides.chargeId ?? generated.chargeId;
  return {
    type: 'invoice_charge',
    chargeId,
    chargeUrl: `https://savassi.conexa.app/index.php?r=fatura/visualizar&id=${chargeId}`,
    company: savassi,
    customerId: araujoLima.id,
    customer: araujoLima,
    accountId: bancoDoBrasil.id,
    account: bancoDoBrasil,
    receivingMethod: 'Outros',
    chargeType: generated.type,
    sales: novemberSales,
    dueDate: generated.dueDate,
    competenceDate: generated.competenceDate,
    notes: generated.notes,
    ...overrides,
  };
}

/** generate_boleto of the catalog's charge, by remittance file. */
export function boletoInput(chargeId = generated.chargeId): Input<'generate_boleto'> {
  return {
    type: 'generate_boleto',
    via: 'remittance_file',
    billetDigitableLine: digitableLine,
    billetUrl: `https://savassi.conexa.app/index.php?r=boleto/imprimir&id=${chargeId}`,
  };
}

const { createdAt: _customerCreatedAt, ...customerCreated } = example('coworking.customer.created');
/** create_customer of the catalog's customer, Araújo & Lima (a legal entity). */
export const araujoLimaInput: Input<'create_customer'> = { type: 'create_customer', ...customerCreated };

/** create_customer for Fernanda (an individual). */
export const fernandaInput: Input<'create_customer'> = {
  type: 'create_customer',
  customerId: fernanda.id,
  company: savassi,
  name: fernanda.name,
  isJuridicalPerson: false,
  cpf: '529.982.247-25',
  rg: 'MG-14.325.678',
  profession: 'Arquiteta',
  birthDate: '1990-07-14',
  emails: fernanda.emails,
  emailsFinancialMessages: fernanda.emailsFinancialMessages,
  cellNumber: fernanda.cellNumber,
  fieldOfActivity: 'Arquitetura',
};

/** create_person of the catalog's person, Rafael, of Araújo & Lima. */
export const rafaelInput: Input<'create_person'> = {
  type: 'create_person',
  customerId: registered.customer.id,
  ...registered,
};

/** create_booking of the catalog's booking: Fernanda in the Pampulha room. */
export function bookingInput(overrides: Partial<Input<'create_booking'>> = {}): Input<'create_booking'> {
  const { type: bookingType, ...fields } = booked;
  return {
    type: 'create_booking',
    ...fields,
    bookingType,
    placeId: booked.place.id,
    customerId: booked.customer.id,
    personId: booked.person.id,
    ...overrides,
  };
}

const {
  occurrenceAmount: _occurrences,
  resume: _resume,
  createdAt: _recurringCreatedAt,
  ...recurring
} = example('coworking.recurring_booking.created');
/** create_recurring_booking of the catalog's recurring booking (Tuesdays and Thursdays, Plano Flex 40h). */
export const recurringInput: Input<'create_recurring_booking'> = {
  type: 'create_recurring_booking',
  ...recurring,
  contractId: recurring.contract.id,
  customerId: recurring.customer.id,
  placeId: recurring.place.id,
  personId: recurring.person.id,
};

/** create_customer_service of the catalog's contact (a phone call for Araújo & Lima). */
export function customerServiceInput(
  customerBlocked: boolean,
  overrides: Partial<Input<'create_customer_service'>> = {},
): Input<'create_customer_service'> {
  const { type: contactType, createdAt: _createdAt, ...fields } = contact;
  return {
    type: 'create_customer_service',
    ...fields,
    contactType,
    customerId: contact.customer.id,
    customerBlocked,
    ...overrides,
  };
}

/** create_correspondence of the catalog's correspondence (a registered letter for Araújo & Lima), received before the clock starts. */
export function correspondenceInput(
  customerBlocked: boolean,
  overrides: Partial<Input<'create_correspondence'>> = {},
): Input<'create_correspondence'> {
  const { createdAt: _createdAt, ...fields } = example('coworking.correspondence.created');
  return {
    type: 'create_correspondence',
    ...fields,
    receiptDate: '2026-11-23T08:20:00-03:00',
    customerId: fields.customer.id,
    customerBlocked,
    ...overrides,
  };
}

const { createdAt: _leadCreatedAt, ...lead } = example('coworking.lead.created');
/** create_lead of the catalog's lead (Beatriz, interested in a fiscal address). */
export const leadInput: Input<'create_lead'> = { type: 'create_lead', ...lead };

const {
  status: _status,
  documentCreatedAt: _documentCreatedAt,
  createdAt: _expenseCreatedAt,
  ...expense
} = example('coworking.expense.receipt_confirmed');
/** record_expense of the catalog's expense (November's energy bill). */
export const energyBillInput: Input<'record_expense'> = {
  type: 'record_expense',
  ...expense,
  accountId: expense.account.id,
  supplierId: expense.supplier.id,
  subcategoryId: expense.subcategory.id,
  recurrentBillId: expense.recurrentBill?.id ?? null,
};

/** The customer snapshot of a customer record (what the service passes as `customer`). */
export function snapshotOf(record: CustomerRecord | null): CustomerRef {
  if (record === null) throw new AssertionError({ message: 'no customer' });
  return customerRef(record);
}
