/**
 * Test support for the Conexa deciders (no test runner inside, so the scenarios can be shared): a
 * harness that validates commands with their schema, checks every emitted event (catalog events
 * against their catalog schema, unchanged; internal events outside the catalog), checks that only
 * allowed commands emit and only the events `commandEvents` lists, and folds the events as the store
 * would give them back (`{ type, data }`, data parsed by the catalog, no `reminderRule`). Realistic
 * Brazilian fixtures, and scenarios that together publish every one of the 30 catalog codes.
 */
import { DomainError } from '@hookline/errors';
import { statusOf } from '@hookline/http';
import type { Decider, DomainEvent } from '@hookline/eventsourcing';
import { findEventType, jsonEqual } from '@hookline/events';
import type { z } from 'zod';
import { allowedBookingCommands, allowedRecurringBookingCommands, bookingDecider, recurringBookingDecider } from './booking.js';
import { allowedChargeCommands, chargeDecider } from './charge.js';
import {
  bookingCommand,
  chargeCommand,
  commandEvents,
  correspondenceCommand,
  customerCommand,
  customerServiceCommand,
  expenseCommand,
  leadCommand,
  personCommand,
  recurringBookingCommand,
  type CommandName,
} from './commands.js';
import { allowedCorrespondenceCommands, correspondenceDecider } from './correspondence.js';
import { allowedCustomerServiceCommands, customerServiceDecider } from './customer-service.js';
import { allowedCustomerCommands, customerDecider, customerRef, type CustomerRecord } from './customer.js';
import { allowedExpenseCommands, expenseDecider } from './expense.js';
import { allowedLeadCommands, leadDecider } from './lead.js';
import { allowedPersonCommands, personDecider } from './person.js';
import { isInternalEvent, type CustomerRef } from './shared.js';

// ---------------------------------------------------------------------------
// Event checks
// ---------------------------------------------------------------------------

/**
 * Throws unless the event is a catalog event whose data the catalog schema accepts unchanged (no
 * unknown or non-JSON field), with no top-level property but `type`, `data` and, on the reminder only,
 * `reminderRule` — or an internal event (type `internal.*`, unknown to the catalog). Returns the data
 * as the catalog parses it (as is for an internal event).
 */
export function checkEvent(event: DomainEvent & { reminderRule?: unknown }): unknown {
  const extra = Object.keys(event).filter((key) => key !== 'type' && key !== 'data' && key !== 'reminderRule');
  if (extra.length > 0) throw new Error(`${event.type}: unexpected properties ${extra.join(', ')}`);
  if (isInternalEvent(event)) {
    if (findEventType(event.type)) throw new Error(`${event.type} is internal but in the catalog`);
    if ('reminderRule' in event) throw new Error(`${event.type}: reminderRule on an internal event`);
    return event.data;
  }
  const definition = findEventType(event.type);
  if (!definition) throw new Error(`no catalog definition for ${event.type}`);
  if (event.type === 'coworking.charge.reminder') {
    if (typeof event.reminderRule !== 'string' || event.reminderRule === '') throw new Error('a reminder carries its reminderRule');
  } else if ('reminderRule' in event) {
    throw new Error(`${event.type}: reminderRule is for coworking.charge.reminder only`);
  }
  const parsed: unknown = definition.data.parse(event.data);
  if (!jsonEqual(parsed, JSON.parse(JSON.stringify(event.data)))) throw new Error(`${event.type}: the catalog schema changed the data (unknown or non-JSON fields)`);
  return parsed;
}

// ---------------------------------------------------------------------------
// Harness
// ---------------------------------------------------------------------------

const HOUR = 3_600_000;
const OFFSET = -3 * HOUR;

/** An instant as Conexa writes it: ISO 8601 in Brasília time, e.g. 2026-11-23T09:00:00-03:00. */
export function brasilia(ms: number): string {
  return `${new Date(ms + OFFSET).toISOString().slice(0, 19)}-03:00`;
}

type WithoutNow<T> = T extends unknown ? Omit<T, 'now'> & { now?: string } : never;

export class Harness<I extends { type: string }, C extends { type: CommandName; now: string }, E extends DomainEvent, S> {
  state: S;
  /** Every event emitted so far (published and internal), as the decider emitted it. */
  readonly events: E[] = [];
  /** The published (catalog) events emitted so far. */
  readonly published: E[] = [];
  /** The command that emitted each event. */
  readonly emittedBy: Array<{ command: CommandName; type: string }> = [];
  private clock: number;

  constructor(
    readonly decider: Decider<C, E, S>,
    readonly schema: z.ZodType<C, I>,
    readonly allowed: (state: S) => CommandName[],
    start = '2026-11-23T09:00:00-03:00',
  ) {
    this.state = decider.initialState();
    this.clock = Date.parse(start);
  }

  get now(): string {
    return brasilia(this.clock);
  }

  /** The whole command as the API would build it (validated by its schema), at the harness's time unless `now` is given. */
  command(input: WithoutNow<I>): C {
    return this.schema.parse({ now: this.now, ...input });
  }

  /** Decides without touching the harness (for refusals). */
  decide(input: WithoutNow<I>): E[] {
    return this.decider.decide(this.command(input), this.state);
  }

  /** Runs a command; returns the events it published (internal ones are folded, not returned). Moves the clock one hour on. */
  run(input: WithoutNow<I>): E[] {
    const command = this.command(input);
    const allowed = this.allowed(this.state);
    const emitted = this.decider.decide(command, this.state);
    if (emitted.length > 0 && !allowed.includes(command.type)) {
      throw new Error(`${command.type} emitted ${emitted.map((e) => e.type).join(', ')} but the state allows [${allowed.join(', ')}]`);
    }
    for (const event of emitted) {
      if (!(commandEvents[command.type] as readonly string[]).includes(event.type)) throw new Error(`${command.type} may not emit ${event.type}`);
      const data = checkEvent(event);
      // What the event store gives back: the type and the (parsed) data, nothing else.
      this.state = this.decider.evolve(this.state, { type: event.type, data } as E);
      this.events.push(event);
      this.emittedBy.push({ command: command.type, type: event.type });
      if (!isInternalEvent(event)) this.published.push(event);
    }
    this.clock += HOUR;
    return emitted.filter((event) => !isInternalEvent(event));
  }

  /** The published event types so far. */
  types(): string[] {
    return this.published.map((event) => event.type);
  }
}

export const chargeHarness = (start?: string) => new Harness(chargeDecider, chargeCommand, allowedChargeCommands, start);
export const expenseHarness = (start?: string) => new Harness(expenseDecider, expenseCommand, allowedExpenseCommands, start);
export const customerHarness = (start?: string) => new Harness(customerDecider, customerCommand, allowedCustomerCommands, start);
export const personHarness = (start?: string) => new Harness(personDecider, personCommand, allowedPersonCommands, start);
export const bookingHarness = (start?: string) => new Harness(bookingDecider, bookingCommand, allowedBookingCommands, start);
export const recurringBookingHarness = (start?: string) =>
  new Harness(recurringBookingDecider, recurringBookingCommand, allowedRecurringBookingCommands, start);
export const customerServiceHarness = (start?: string) =>
  new Harness(customerServiceDecider, customerServiceCommand, allowedCustomerServiceCommands, start);
export const correspondenceHarness = (start?: string) => new Harness(correspondenceDecider, correspondenceCommand, allowedCorrespondenceCommands, start);
export const leadHarness = (start?: string) => new Harness(leadDecider, leadCommand, allowedLeadCommands, start);

// ---------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------

export const savassi = { id: 3, name: 'Conexa Coworking Savassi' };
export const juliana = { id: 21, name: 'Juliana Mendes' };
export const bancoDoBrasil = { id: 7, name: 'Banco do Brasil - CC 45120-3' };

export const araujoLima: CustomerRef = {
  id: 1842,
  name: 'Araújo & Lima Consultoria Ltda',
  tradeName: 'Araújo Lima Consultoria',
  firstName: 'Araújo',
  cellNumber: '(31) 99876-5432',
  phones: ['(31) 3281-4470'],
  emails: ['contato@araujolima.com.br'],
  emailsFinancialMessages: ['financeiro@araujolima.com.br'],
};

export const fernanda: CustomerRef = {
  id: 1907,
  name: 'Fernanda Ribeiro Costa',
  tradeName: null,
  firstName: 'Fernanda',
  cellNumber: '(31) 98123-4567',
  phones: [],
  emails: ['fernanda.costa@gmail.com'],
  emailsFinancialMessages: ['fernanda.costa@gmail.com'],
};

export const thiago: CustomerRef = {
  id: 1730,
  name: 'Thiago Martins Oliveira',
  tradeName: null,
  firstName: 'Thiago',
  cellNumber: '(31) 98455-0071',
  phones: [],
  emails: ['thiago.oliveira@outlook.com'],
  emailsFinancialMessages: ['thiago.oliveira@outlook.com'],
};

export const rafael = { id: 4415, name: 'Rafael Souza Lima' };
export const salaPampulha = { id: 12, name: 'Sala de Reunião Pampulha (8 lugares)' };

export const novemberSales = [
  { id: 90211, price: 1290, product: 'Estação de trabalho fixa - mensal', quantity: 1, referenceDate: '2026-11-01T00:00:00-03:00' },
  { id: 90212, price: 120, product: 'Sala de reunião - pacote 2 horas', quantity: 1, referenceDate: '2026-11-10T14:00:00-03:00' },
];

export const digitableLine = '00190.00009 03456.789012 34567.890127 8 16560000141000';

/** invoice_charge for Araújo & Lima's November sales (R$ 1.410,00), receiving method "Outros" unless overridden. */
export function invoiceInput(overrides: Record<string, unknown> = {}) {
  const chargeId = (overrides.chargeId as number | undefined) ?? 55120;
  return {
    type: 'invoice_charge' as const,
    chargeId,
    chargeUrl: `https://savassi.conexa.app/index.php?r=fatura/visualizar&id=${chargeId}`,
    company: savassi,
    customerId: araujoLima.id,
    customer: araujoLima,
    accountId: bancoDoBrasil.id,
    account: bancoDoBrasil,
    receivingMethod: 'Outros',
    chargeType: 'contractual' as const,
    sales: novemberSales,
    dueDate: '2026-12-10',
    competenceDate: '2026-11-01',
    notes: 'Referente a novembro/2026',
    ...overrides,
  };
}

export function boletoInput(chargeId = 55120) {
  return {
    type: 'generate_boleto' as const,
    via: 'remittance_file' as const,
    billetDigitableLine: digitableLine,
    billetUrl: `https://savassi.conexa.app/index.php?r=boleto/imprimir&id=${chargeId}`,
  };
}

/** create_customer for Araújo & Lima (a legal entity). */
export const araujoLimaInput = {
  type: 'create_customer' as const,
  customerId: araujoLima.id,
  company: savassi,
  name: araujoLima.name,
  tradeName: araujoLima.tradeName,
  isJuridicalPerson: true,
  cnpj: '11.222.333/0001-81',
  foundationDate: '2015-03-02',
  emails: araujoLima.emails,
  emailsFinancialMessages: araujoLima.emailsFinancialMessages,
  cellNumber: araujoLima.cellNumber,
  phones: araujoLima.phones,
  website: 'https://www.araujolima.com.br',
  notes: 'Indicado pelo cliente Marcos Tavares.',
  fieldOfActivity: 'Consultoria empresarial',
};

/** create_customer for Fernanda (an individual). */
export const fernandaInput = {
  type: 'create_customer' as const,
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

export const rafaelInput = {
  type: 'create_person' as const,
  personId: rafael.id,
  customerId: araujoLima.id,
  customer: araujoLima,
  company: savassi,
  name: rafael.name,
  cpf: '390.533.447-05',
  rg: 'MG-17.654.321',
  maritalStatus: 'married' as const,
  profession: 'Consultor financeiro',
  birthDate: '1986-02-09',
  emails: ['rafael.lima@araujolima.com.br'],
  cellPhone: '(31) 99711-2233',
  phones: ['(31) 3281-4470'],
  briefResume: 'Economista pela UFMG, 12 anos em consultoria para pequenas empresas.',
};

export function bookingInput(overrides: Record<string, unknown> = {}) {
  return {
    type: 'create_booking' as const,
    bookingId: 30412,
    sale: { id: 90377, value: 180, seller: juliana.name },
    bookingType: 'room' as const,
    placeId: salaPampulha.id,
    place: salaPampulha,
    customerId: fernanda.id,
    customer: fernanda,
    personId: 4410,
    person: { id: 4410, name: fernanda.name },
    notes: 'Precisa de projetor e café para 6 pessoas.',
    startTime: '2026-11-26T14:00:00-03:00',
    finalTime: '2026-11-26T17:00:00-03:00',
    ...overrides,
  };
}

export const recurringInput = {
  type: 'create_recurring_booking' as const,
  recurringBookingId: 712,
  contractId: 2290,
  contract: { id: 2290, namePlan: 'Plano Flex 40h' },
  customerId: fernanda.id,
  customer: fernanda,
  placeId: salaPampulha.id,
  place: salaPampulha,
  company: savassi,
  personId: 4410,
  person: { id: 4410, name: fernanda.name },
  registeredBy: juliana.name,
  timeZone: 'GMT-03:00',
  repeatType: 'Weekly' as const,
  daysWeek: ['Tuesday' as const, 'Thursday' as const],
  firstOccurrence: '2026-12-01',
  lastOccurrence: '2027-01-28',
  startTime: '09:00',
  finalTime: '11:00',
};

export function customerServiceInput(customerBlocked: boolean, overrides: Record<string, unknown> = {}) {
  return {
    type: 'create_customer_service' as const,
    customerServiceId: 6120,
    customerId: araujoLima.id,
    customer: araujoLima,
    company: savassi,
    user: juliana,
    customerBlocked,
    contactType: 'Phone Call' as const,
    requester: { name: rafael.name, phones: ['(31) 99711-2233'], email: 'rafael.lima@araujolima.com.br', company: 'Araújo & Lima Consultoria' },
    messageText: 'Solicitou a segunda via do boleto de novembro e a troca da sala fixa para o 3º andar.',
    ...overrides,
  };
}

export function correspondenceInput(customerBlocked: boolean, overrides: Record<string, unknown> = {}) {
  return {
    type: 'create_correspondence' as const,
    correspondenceId: 15503,
    customerId: araujoLima.id,
    customer: araujoLima,
    company: savassi,
    user: juliana,
    customerBlocked,
    sender: 'Receita Federal do Brasil',
    trackingCode: 'BR123456785BR',
    receiptDate: '2026-11-23T08:20:00-03:00',
    messageText: 'Carta registrada aguardando retirada na recepção.',
    ...overrides,
  };
}

export const leadInput = {
  type: 'create_lead' as const,
  potentialCustomerId: 982,
  company: savassi,
  status: 'Interested' as const,
  partner: { id: 4, name: 'Contabilidade Horizonte' },
  customerName: 'Beatriz Nogueira Santos',
  phones: ['(31) 99602-3344'],
  interestServices: [
    { id: 1, name: 'Endereço fiscal' },
    { id: 3, name: 'Estação de trabalho rotativa' },
  ],
  fieldOfActivity: [{ id: 17, name: 'Marketing digital' }],
  emails: ['beatriz.nogueira@gmail.com'],
  isReceiveInformativeEmail: true,
  contactMethod: [{ id: 2, name: 'Instagram' }],
  notes: 'Quer visitar o espaço na próxima semana.',
};

export const energyBillInput = {
  type: 'record_expense' as const,
  billId: 8811,
  company: savassi,
  accountId: bancoDoBrasil.id,
  account: bancoDoBrasil,
  supplierId: 145,
  supplier: { id: 145, name: 'CEMIG Distribuição S.A.' },
  subcategoryId: 22,
  subcategory: { id: 22, name: 'Energia elétrica' },
  recurrentBillId: 31,
  recurrentBill: { id: 31, name: 'Energia elétrica - Savassi' },
  amount: 2380.5,
  dueDate: '2026-12-05',
  description: 'Conta de energia elétrica - novembro/2026',
  digitableLine: '83620000023 1 80500138000 5 00012345678 9 20261205000 1',
  documentNumber: '000487123',
  documentDate: '2026-11-20',
};

/** The customer snapshot of a customer record (what the service passes as `customer`). */
export function snapshotOf(record: CustomerRecord | null): CustomerRef {
  if (record === null) throw new Error('no customer');
  return customerRef(record);
}

// ---------------------------------------------------------------------------
// Scenarios
// ---------------------------------------------------------------------------

export interface Scenario {
  name: string;
  /** Runs the commands; returns the published events. */
  run(): readonly (DomainEvent & { reminderRule?: string })[];
  /** The published types, in order. */
  types: string[];
}

/** Event-publishing scenarios: together they publish every one of the 30 catalog codes. */
export const scenarios: Scenario[] = [
  {
    name: 'charge with "Outros": generated at invoicing, edited, two reminder rules, settled by Pix',
    run() {
      const h = chargeHarness();
      h.run(invoiceInput());
      h.run({ type: 'edit_charge', dueDate: '2026-12-15' });
      h.run({ type: 'send_reminder', ruleId: 12 });
      h.run({ type: 'send_reminder', ruleId: 12 });
      h.run({ type: 'send_reminder', ruleId: 14, currentAmount: 1440.55 });
      h.run({ type: 'settle_charge', source: 'pix', paidAmount: 1440.55, paymentDate: '2026-12-20' });
      return h.published;
    },
    types: ['coworking.charge.generated', 'coworking.charge.status_changed', 'coworking.charge.reminder', 'coworking.charge.reminder', 'coworking.charge.settled'],
  },
  {
    name: 'boleto charge: nothing at invoicing, generated with its boleto, then cancelled',
    run() {
      const h = chargeHarness();
      h.run(invoiceInput({ receivingMethod: 'Boleto' }));
      h.run(boletoInput());
      h.run({ type: 'cancel_charge', reason: 'Cobrança emitida em duplicidade.' });
      return h.published;
    },
    types: ['coworking.charge.generated', 'coworking.charge.status_changed'],
  },
  {
    name: 'expense recorded (nothing), then its receipt confirmed',
    run() {
      const h = expenseHarness();
      h.run(energyBillInput);
      h.run({ type: 'confirm_expense_receipt' });
      return h.published;
    },
    types: ['coworking.expense.receipt_confirmed'],
  },
  {
    name: 'customer created, edited, blocked, unblocked, deleted',
    run() {
      const h = customerHarness();
      h.run(araujoLimaInput);
      h.run({ type: 'edit_customer', phones: ['(31) 3281-4470', '(31) 3281-4471'] });
      h.run({ type: 'block_customer' });
      h.run({ type: 'unblock_customer' });
      h.run({ type: 'delete_customer' });
      return h.published;
    },
    types: ['coworking.customer.created', 'coworking.customer.edited', 'coworking.customer.blocked', 'coworking.customer.unblocked', 'coworking.customer.deleted'],
  },
  {
    name: 'person created, edited, blocked, unblocked, deleted',
    run() {
      const h = personHarness();
      h.run(rafaelInput);
      h.run({ type: 'edit_person', maritalStatus: 'divorced' });
      h.run({ type: 'block_person' });
      h.run({ type: 'unblock_person' });
      h.run({ type: 'delete_person' });
      return h.published;
    },
    types: ['coworking.person.created', 'coworking.person.edited', 'coworking.person.blocked', 'coworking.person.unblocked', 'coworking.person.deleted'],
  },
  {
    name: 'one-off booking created, then cancelled',
    run() {
      const h = bookingHarness();
      h.run(bookingInput());
      h.run({ type: 'cancel_booking', cancellationReason: 'Reunião remarcada pelo cliente.' });
      return h.published;
    },
    types: ['coworking.booking.created', 'coworking.booking.cancelled'],
  },
  {
    name: 'recurring booking created',
    run() {
      const h = recurringBookingHarness();
      h.run(recurringInput);
      return h.published;
    },
    types: ['coworking.recurring_booking.created'],
  },
  {
    name: 'customer-service contacts: for an unblocked customer (then deleted) and for a blocked one',
    run() {
      const open = customerServiceHarness();
      open.run(customerServiceInput(false));
      open.run({ type: 'delete_customer_service' });
      const blocked = customerServiceHarness();
      blocked.run(customerServiceInput(true, { customerServiceId: 6121, customerId: thiago.id, customer: thiago, contactType: 'Face-to-face Visit' }));
      return [...open.published, ...blocked.published];
    },
    types: ['coworking.customer_service.created', 'coworking.customer_service.deleted', 'coworking.customer_service.created_blocked_customer'],
  },
  {
    name: 'correspondence: sent by e-mail then delivered in person; forwarded; for a blocked customer then deleted',
    run() {
      const first = correspondenceHarness();
      first.run(correspondenceInput(false));
      first.run({ type: 'send_correspondence_by_email', deliveryBy: juliana, notes: 'Correspondência digitalizada e enviada em PDF.' });
      first.run({ type: 'deliver_correspondence_in_person', deliveryBy: juliana, deliveredToPersonId: rafael.id, deliveredToPerson: rafael });
      const second = correspondenceHarness();
      second.run(correspondenceInput(false, { correspondenceId: 15505, sender: 'Banco Itaú S.A.', trackingCode: null }));
      second.run({
        type: 'forward_correspondence_to_address',
        deliveryBy: juliana,
        deliveredToPersonId: rafael.id,
        deliveredToPerson: rafael,
        shippingMethod: 'Motorcycle Courier',
      });
      const third = correspondenceHarness();
      third.run(correspondenceInput(true, { correspondenceId: 15504, customerId: thiago.id, customer: thiago, messageText: null }));
      third.run({ type: 'delete_correspondence' });
      return [...first.published, ...second.published, ...third.published];
    },
    types: [
      'coworking.correspondence.created',
      'coworking.correspondence.sent_by_email',
      'coworking.correspondence.delivered_in_person',
      'coworking.correspondence.created',
      'coworking.correspondence.forwarded_to_address',
      'coworking.correspondence.created_blocked_customer',
      'coworking.correspondence.deleted',
    ],
  },
  {
    name: 'lead created, edited, deleted',
    run() {
      const h = leadHarness();
      h.run(leadInput);
      h.run({ type: 'edit_lead', status: 'Under Negotiation', website: 'https://beatriznogueira.com.br' });
      h.run({ type: 'delete_lead' });
      return h.published;
    },
    types: ['coworking.lead.created', 'coworking.lead.edited', 'coworking.lead.deleted'],
  },
];

/** The DomainError a command raises, with the HTTP status it answers (throws when it raises none or another error); the harness state is untouched. */
export function refusal<I extends { type: string }, C extends { type: CommandName; now: string }, E extends DomainEvent, S>(
  h: Harness<I, C, E, S>,
  input: WithoutNow<I>,
): { kind: string; code: string; status: number; message: string; details: Record<string, unknown> } {
  const before = JSON.stringify(h.state);
  try {
    h.decide(input);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    if (JSON.stringify(h.state) !== before) throw new Error('the refused command changed the state');
    return { kind: error.kind, code: error.code, status: statusOf(error), message: error.message, details: error.details };
  }
  throw new Error(`${input.type} was not refused`);
}
