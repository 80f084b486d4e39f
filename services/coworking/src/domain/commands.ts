/**
 * The commands of the Conexa aggregates, one zod schema each.
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
import {
  bookingCreatedData,
  chargeGeneratedData,
  chargeSale,
  conexaUser,
  contractRef,
  correspondenceCreatedData,
  correspondenceDeliveredBy,
  correspondenceDeliveredTo,
  correspondenceShippingMethod,
  coworkingAccount,
  coworkingCompany,
  coworkingCustomer,
  coworkingPersonRef,
  bookingPlace,
  bookingSale,
  customerCreatedData,
  customerServiceCreatedData,
  expenseReceiptConfirmedData,
  expenseSubcategory,
  expenseSupplier,
  isoDateTime,
  leadData,
  personCreatedData,
  recurrentBill,
  recurringBookingCreatedData,
  ymdDate,
} from '@hookline/events';
import { z } from 'zod';
import type { CoworkingAggregate } from './shared.js';

// ---------------------------------------------------------------------------
// Shared fields
// ---------------------------------------------------------------------------

const id = (what: string) => z.number().int().positive().describe(what);
const money = (what: string) =>
  z
    .number()
    .nonnegative()
    .max(100_000_000)
    .refine((value) => Math.abs(value * 100 - Math.round(value * 100)) < 1e-6, { message: 'at most 2 decimals (centavos)' })
    .describe(what);
const text = (what: string) => z.string().trim().min(1).max(5000).describe(what);
const optionalText = (what: string) => z.string().max(5000).nullable().default(null).describe(`${what}; null (default) when empty.`);

const company = coworkingCompany.describe('The unit (company / location) the record belongs to (server-filled: the unit the user is logged into).');
const user = conexaUser.describe('The logged-in Conexa user who registers the record (server-filled).');
const customerFilled = coworkingCustomer.describe('The customer named by customerId, as the service stores it (server-filled).');
const freshCustomer = coworkingCustomer
  .optional()
  .describe("The record's customer as it is now (server-filled, optional): omitted, the snapshot taken when the record was created is used.");
const customerBlockedFlag = z
  .boolean()
  .describe("Whether the customer is blocked now (server-filled from the customer's state): picks the *_blocked_customer event variant.");
const refresh = { customer: freshCustomer };

function defineCommand<const N extends string, const A extends CoworkingAggregate, B extends z.ZodRawShape, S extends z.ZodRawShape>(
  name: N,
  aggregate: A,
  description: string,
  body: B,
  server: S,
) {
  return {
    name,
    aggregate,
    body: z.strictObject(body).describe(description),
    schema: z
      .strictObject({
        type: z.literal(name).describe('The command.'),
        now: isoDateTime.describe('When the command is handled (server clock), ISO 8601 with offset, e.g. 2026-11-23T10:15:00-03:00.'),
        ...server,
        ...body,
      })
      .describe(description),
  };
}

const none = {};

// ---------------------------------------------------------------------------
// Charge (cobrança)
// ---------------------------------------------------------------------------

const charge = chargeGeneratedData.shape;

/** How a charge is settled: automatically (boleto, API, card, Pix, bank return file) or by a user ('manual'). */
export const settlementSource = z
  .enum(['boleto', 'api', 'card', 'pix', 'return_file', 'manual'])
  .describe(
    "How the charge was settled: 'boleto' (bank slip paid), 'api' (Conexa API), 'card' (card acquirer, e.g. Cielo), 'pix', 'return_file' (bank return file) — all automatic — or 'manual' (a user settles it in Conexa; no webhook).",
  );
export type SettlementSource = z.infer<typeof settlementSource>;

export const invoiceCharge = defineCommand(
  'invoice_charge',
  'charge',
  'A user invoices a charge (faturamento). With a boleto receiving method the charge waits for its bank slip (generate_boleto); with any other method ("Outros", Pix, card, …) it is generated at once.',
  {
    customerId: id('ID of the customer charged.'),
    accountId: id('ID of the financial account the charge is received into.'),
    receivingMethod: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .describe('Receiving / invoicing method, e.g. "Boleto" or "Outros"; a method naming boleto waits for generate_boleto.'),
    chargeType: charge.type.describe('Charge type (the payload\'s `type`): loose (one-off), contractual, or returnableDeposit (returnable deposit).'),
    sales: z.array(chargeSale).min(1).describe('The sales invoiced by the charge; rawAmount is the sum of their prices.'),
    discountAmount: money('Discount granted at invoicing; 0 by default.').default(0),
    hasISSRetention: z.boolean().default(false).describe('Whether ISS (service tax) is withheld; false by default.'),
    ISSAmount: money('Amount of ISS withheld; 0 by default, and 0 unless hasISSRetention.').default(0),
    installmentNumber: z.number().int().min(1).default(1).describe('Installment number of this charge; 1 (default) when not in installments.'),
    totalInstallmentsAmount: z
      .number()
      .int()
      .min(2)
      .nullable()
      .default(null)
      .describe('Number of installments the original charge was split into; null (default) when not in installments.'),
    dueDate: ymdDate.describe('Due date, Y-m-d.'),
    competenceDate: ymdDate.optional().describe('Competence (accrual) date, Y-m-d; omitted: the due date.'),
    notes: optionalText('Notes'),
    taxInvoiceNumber: z.string().trim().min(1).nullable().default(null).describe('Tax invoice (nota fiscal) number; null (default) when none was issued.'),
    receiptCode: z.string().trim().min(1).nullable().default(null).describe('Code of the rental receipt; null (default) when the charge has none.'),
  },
  {
    chargeId: id('ID of the new charge (server-generated).'),
    chargeUrl: charge.chargeUrl.describe('Invoice URL of the new charge (server-generated).'),
    company,
    customer: customerFilled,
    account: coworkingAccount.describe('The account named by accountId (server-filled).'),
    negotiatedFrom: z
      .number()
      .int()
      .positive()
      .nullable()
      .default(null)
      .describe('ID of the charge whose negotiation generates this one (server-filled); its status is then generatedByNegotiation. Null by default.'),
  },
);

export const generateBoleto = defineCommand(
  'generate_boleto',
  'charge',
  'The bank slip (boleto) of a boleto charge is generated, via the bank API or a remittance file: the charge is generated (coworking.charge.generated).',
  {
    via: z.enum(['api', 'remittance_file']).describe("How the boleto was registered with the bank: 'api' or 'remittance_file' (arquivo de remessa)."),
    billetDigitableLine: z.string().trim().min(1).describe('Digitable line of the bank slip.'),
    billetUrl: charge.chargeUrl.describe('URL of the bank slip.'),
  },
  none,
);

export const settleCharge = defineCommand(
  'settle_charge',
  'charge',
  "The charge is settled (quitação). Automatic sources publish coworking.charge.settled; 'manual' (a user settles it) changes the state and publishes nothing. Neither publishes status_changed.",
  {
    source: settlementSource,
    paidAmount: money('Amount paid.'),
    paymentDate: ymdDate.describe('Settlement (payment) date, Y-m-d.'),
    paymentOperationDate: ymdDate.optional().describe('Operation date of the settlement (bank credit), Y-m-d; omitted: the payment date.'),
    paymentDiscountAmount: money('Discount granted at settlement; 0 by default.').default(0),
    currentAmount: money('Amount updated with interest and fines at settlement; omitted: the charge\'s current amount.').optional(),
  },
  refresh,
);

export const editCharge = defineCommand(
  'edit_charge',
  'charge',
  "A user edits an open charge (due date, discount): publishes coworking.charge.status_changed with the new values; no change, no event.",
  {
    dueDate: ymdDate.optional().describe('New due date, Y-m-d.'),
    discountAmount: money('New discount granted at invoicing; the amount is recomputed.').optional(),
  },
  refresh,
);

const reason = z.string().trim().min(1).max(2000).nullable().default(null).describe('Why, as the user tells it; null (default) when not given.');

export const negotiateCharge = defineCommand(
  'negotiate_charge',
  'charge',
  'A user negotiates an open charge (renegotiation): it becomes negotiated; the service invoices the new charges with negotiatedFrom.',
  { reason },
  refresh,
);

export const cancelCharge = defineCommand('cancel_charge', 'charge', 'A user cancels an open charge.', { reason }, refresh);

export const deleteCharge = defineCommand('delete_charge', 'charge', 'A user deletes a charge that is not settled.', { reason }, refresh);

export const sendReminder = defineCommand(
  'send_reminder',
  'charge',
  "The scheduler: a reminder rule (Regra de Aviso) is due for the charge. Publishes coworking.charge.reminder (with reminderRule) only while the charge is open, and once per rule: otherwise a no-op.",
  {
    ruleId: id('ID of the reminder rule (Settings → Automatic charge e-mails) that fired.'),
    currentAmount: money('Amount updated with interest and fines today (the scheduler computes it); omitted: the charge\'s current amount.').optional(),
  },
  refresh,
);

// ---------------------------------------------------------------------------
// Expense (despesa)
// ---------------------------------------------------------------------------

const expense = expenseReceiptConfirmedData.shape;

export const recordExpense = defineCommand(
  'record_expense',
  'expense',
  'A user registers an expense (a bill to pay). Conexa publishes nothing for it; the expense waits for the confirmation of its receipt.',
  {
    accountId: id('ID of the account the expense is paid from.'),
    supplierId: id('ID of the supplier.'),
    subcategoryId: id('ID of the payment subcategory.'),
    recurrentBillId: z
      .number()
      .int()
      .positive()
      .nullable()
      .default(null)
      .describe('ID of the fixed (recurring) payment the expense comes from; null (default) for a one-off expense.'),
    amount: money('Expense amount.'),
    dueDate: ymdDate.describe('Due date, Y-m-d.'),
    description: z.string().max(5000).describe('Description.'),
    digitableLine: expense.digitableLine.default(null).describe('Bank slip digitable line; null (default) when the expense has no boleto.'),
    documentNumber: z.string().max(200).describe('Document number (e.g. of the supplier invoice).'),
    documentDate: ymdDate.describe('Document date, Y-m-d.'),
  },
  {
    billId: id('ID of the new expense (server-generated).'),
    company,
    account: coworkingAccount.describe('The account named by accountId (server-filled).'),
    supplier: expenseSupplier.describe('The supplier named by supplierId (server-filled).'),
    subcategory: expenseSubcategory.describe('The subcategory named by subcategoryId (server-filled).'),
    recurrentBill: recurrentBill.nullable().default(null).describe('The fixed payment named by recurrentBillId (server-filled); null when none.'),
  },
);

export const confirmExpenseReceipt = defineCommand(
  'confirm_expense_receipt',
  'expense',
  'A user confirms that an open expense has been received (Confirmação de Recebimento): its status becomes received.',
  none,
  none,
);

// ---------------------------------------------------------------------------
// Customer (cliente)
// ---------------------------------------------------------------------------

const customer = customerCreatedData.shape;

const customerFields = {
  name: text('Name (individual) or corporate name (legal entity).'),
  tradeName: customer.tradeName.default(null).describe('Trade name (nome fantasia); null (default) for an individual.'),
  firstName: customer.firstName.optional().describe('First name; omitted: the first word of the name.'),
  isJuridicalPerson: customer.isJuridicalPerson,
  isForeign: customer.isForeign.default(false).describe('Whether the customer is foreign; false by default.'),
  cpf: customer.cpf.default(null).describe('CPF, individuals only; null (default) otherwise.'),
  cnpj: customer.cnpj.default(null).describe('CNPJ, legal entities only; null (default) otherwise.'),
  rg: customer.rg.default(null).describe('RG, individuals only; null (default) otherwise.'),
  profession: customer.profession.default(null).describe('Profession; null (default) when not informed.'),
  birthDate: customer.birthDate.default(null).describe('Date of birth, Y-m-d, individuals only; null (default) otherwise.'),
  foundationDate: customer.foundationDate.default(null).describe('Foundation date, Y-m-d, legal entities only; null (default) otherwise.'),
  emails: customer.emails.default(() => []).describe('E-mail addresses messages are sent to; none by default.'),
  emailsFinancialMessages: customer.emailsFinancialMessages.default(() => []).describe('E-mail addresses financial notices are sent to; none by default.'),
  cellNumber: customer.cellNumber.default(null).describe('Mobile phone number; null (default) when none.'),
  phones: customer.phones.default(() => []).describe('Phone numbers; none by default.'),
  website: customer.website.default(null).describe('Website; null (default) when none.'),
  notes: customer.notes.default(null).describe('Notes; null (default) when empty.'),
  fieldOfActivity: customer.fieldOfActivity.default(null).describe('Field of activity; null (default) when not recorded.'),
};

/** A field made optional, without its default. */
type PatchField<T extends z.ZodType> = T extends z.ZodDefault<infer I> ? z.ZodOptional<I> : T extends z.ZodOptional<infer I> ? z.ZodOptional<I> : z.ZodOptional<T>;

/** The fields of a creation body as a patch: each optional (omitted: unchanged), without defaults. */
function patchOf<S extends Record<string, z.ZodType>>(shape: S): { [K in keyof S]: PatchField<S[K]> } {
  return Object.fromEntries(
    Object.entries(shape).map(([key, schema]) => {
      const inner = schema instanceof z.ZodDefault || schema instanceof z.ZodOptional ? (schema.unwrap() as z.ZodType) : schema;
      const what = (inner.description ?? schema.description ?? key).replace(/\.$/, '');
      return [key, inner.optional().describe(`${what}. Omitted: unchanged.`)];
    }),
  ) as { [K in keyof S]: PatchField<S[K]> };
}

export const createCustomer = defineCommand(
  'create_customer',
  'customer',
  'A customer is registered (by a user, the public sign-up form or an online plan purchase).',
  customerFields,
  { customerId: id('ID of the new customer (server-generated).'), company },
);

export const editCustomer = defineCommand(
  'edit_customer',
  'customer',
  "A user edits the customer's registration; every edit publishes coworking.customer.edited with the whole record.",
  { ...patchOf(customerFields), isActive: z.boolean().optional().describe('False deactivates the customer, true reactivates it. Omitted: unchanged.') },
  none,
);

export const deleteCustomer = defineCommand('delete_customer', 'customer', 'A user deletes the customer.', none, none);
export const blockCustomer = defineCommand('block_customer', 'customer', 'A user blocks the customer (e.g. for unpaid charges).', none, none);
export const unblockCustomer = defineCommand('unblock_customer', 'customer', 'A user unblocks a blocked customer.', none, none);

// ---------------------------------------------------------------------------
// Person (pessoa)
// ---------------------------------------------------------------------------

const person = personCreatedData.shape;

const personFields = {
  name: text("Person's name."),
  isForeign: person.isForeign.default(false).describe('Whether the person is foreign; false by default.'),
  foreignData: person.foreignData.default(null).describe("A foreign person's document and address; null (default) for a Brazilian person."),
  cpf: person.cpf.default(null).describe('CPF; null (default) when not informed.'),
  rg: person.rg.default(null).describe('RG; null (default) when not informed.'),
  maritalStatus: person.maritalStatus.default('not informed').describe("Marital status; 'not informed' by default."),
  profession: person.profession.default(null).describe('Profession; null (default) when not informed.'),
  birthDate: person.birthDate.default(null).describe('Date of birth, Y-m-d; null (default) when not informed.'),
  emails: person.emails.default(() => []).describe('E-mail addresses; none by default.'),
  cellPhone: person.cellPhone.default(null).describe('Mobile phone number; null (default) when none.'),
  phones: person.phones.default(() => []).describe('Phone numbers; none by default.'),
  notes: person.notes.default(null).describe('Notes; null (default) when empty.'),
  briefResume: person.briefResume.default(null).describe('Short résumé; null (default) when none.'),
};

export const createPerson = defineCommand(
  'create_person',
  'person',
  'A user registers a person linked to a customer.',
  { customerId: id('ID of the customer the person is linked to.'), ...personFields },
  { personId: id('ID of the new person (server-generated).'), customer: customerFilled, company },
);

export const editPerson = defineCommand('edit_person', 'person', 'A user edits the person; every edit publishes coworking.person.edited.', patchOf(personFields), refresh);
export const deletePerson = defineCommand('delete_person', 'person', 'A user deletes the person.', none, refresh);
export const blockPerson = defineCommand('block_person', 'person', 'A user deactivates (blocks) the person.', none, refresh);
export const unblockPerson = defineCommand('unblock_person', 'person', 'A user reactivates (unblocks) the person.', none, refresh);

// ---------------------------------------------------------------------------
// Booking (reserva) and recurring booking (reserva recorrente)
// ---------------------------------------------------------------------------

const booking = bookingCreatedData.shape;

export const createBooking = defineCommand(
  'create_booking',
  'booking',
  'A booking is created: by a user (publishes coworking.booking.created), or generated from a recurring booking (fromRecurrence: publishes nothing).',
  {
    bookingType: booking.type.describe("Booking type (the payload's `type`): coworking (a seat) or room."),
    placeId: id('ID of the place (room or coworking space) booked.'),
    customerId: id('ID of the customer the booking is for.'),
    personId: id('ID of the person the booking is for.'),
    notes: booking.notes.default(null).describe('Notes; null (default) when empty.'),
    isOnlinePayment: booking.isOnlinePayment.default(false).describe('Whether the booking was paid online; false by default.'),
    isBilled: booking.isBilled.default(false).describe('Whether the booking has already been invoiced; false by default.'),
    startTime: booking.startTime,
    finalTime: booking.finalTime,
    fromRecurrence: z
      .boolean()
      .default(false)
      .describe('True when the booking is one of the occurrences generated from a recurring booking: no webhook fires for it. False by default.'),
    recurringBookingId: z
      .number()
      .int()
      .positive()
      .nullable()
      .default(null)
      .describe('ID of the recurring booking the occurrence is generated from; required with fromRecurrence, null (default) otherwise.'),
  },
  {
    bookingId: id('ID of the new booking (server-generated).'),
    place: bookingPlace.describe('The place named by placeId (server-filled).'),
    customer: customerFilled,
    person: coworkingPersonRef.describe('The person named by personId (server-filled).'),
    sale: bookingSale.describe('The sale of the booking (server-filled: the sale the booking generated).'),
  },
);

export const cancelBooking = defineCommand(
  'cancel_booking',
  'booking',
  'A user cancels the booking, giving the reason.',
  { cancellationReason: text('Reason for the cancellation.') },
  refresh,
);

const recurring = recurringBookingCreatedData.shape;

export const createRecurringBooking = defineCommand(
  'create_recurring_booking',
  'recurring_booking',
  'A user creates a recurring booking: publishes coworking.recurring_booking.created; the bookings generated from it publish nothing (create_booking with fromRecurrence).',
  {
    contractId: id('ID of the contract the recurring booking belongs to.'),
    customerId: id('ID of the customer.'),
    placeId: id('ID of the place booked.'),
    personId: id('ID of the person the bookings are for.'),
    repeatType: recurring.repeatType,
    daysWeek: recurring.daysWeek.min(1).describe('Days of the week of a Weekly booking (Monday … Sunday); for a Monthly one, informative.'),
    firstOccurrence: recurring.firstOccurrence,
    lastOccurrence: recurring.lastOccurrence,
    startTime: recurring.startTime,
    finalTime: recurring.finalTime,
    isCharged: recurring.isCharged.default(true).describe('Whether the bookings will be charged; true by default.'),
    notes: recurring.notes.default(null).describe('Notes; null (default) when empty.'),
  },
  {
    recurringBookingId: id('ID of the new recurring booking (server-generated).'),
    contract: contractRef.describe('The contract named by contractId (server-filled).'),
    customer: customerFilled,
    place: bookingPlace.describe('The place named by placeId (server-filled).'),
    company,
    person: coworkingPersonRef.describe('The person named by personId (server-filled).'),
    registeredBy: recurring.registeredBy.describe("Name of the logged-in user (server-filled)."),
    timeZone: recurring.timeZone.describe("The unit's time zone as a GMT offset, e.g. GMT-03:00 (server-filled)."),
    generatedQuantity: z
      .number()
      .int()
      .nonnegative()
      .optional()
      .describe('Number of bookings actually generated (server-filled when some occurrences could not be booked); omitted: every occurrence.'),
  },
);

// ---------------------------------------------------------------------------
// Customer service (atendimento)
// ---------------------------------------------------------------------------

const service = customerServiceCreatedData.shape;

export const createCustomerService = defineCommand(
  'create_customer_service',
  'customer_service',
  "A user registers a customer-service contact (phone call or visit); the event variant depends on whether the customer is blocked.",
  {
    customerId: id('ID of the customer the contact is about.'),
    contactType: service.type.describe("Type of contact (the payload's `type`): Phone Call or Face-to-face Visit."),
    requester: service.requester.describe('Who asked for the contact.'),
    messageText: z.string().max(10_000).describe('Message registered in the contact.'),
  },
  {
    customerServiceId: id('ID of the new contact (server-generated).'),
    customer: customerFilled,
    company,
    user,
    customerBlocked: customerBlockedFlag,
  },
);

export const deleteCustomerService = defineCommand('delete_customer_service', 'customer_service', 'A user deletes the customer-service contact.', none, refresh);

// ---------------------------------------------------------------------------
// Correspondence (correspondência)
// ---------------------------------------------------------------------------

const mail = correspondenceCreatedData.shape;
const deliveryBy = correspondenceDeliveredBy.describe('The logged-in user who makes the delivery (server-filled).');
const deliveredToPerson = correspondenceDeliveredTo.describe('The person named by deliveredToPersonId (server-filled).');
const deliveryNotes = z.string().max(5000).nullable().default(null).describe('Notes on the delivery; null (default) when empty.');

export const createCorrespondence = defineCommand(
  'create_correspondence',
  'correspondence',
  "A user registers a correspondence received for a customer; the event variant depends on whether the customer is blocked.",
  {
    customerId: id('ID of the customer the correspondence is for.'),
    sender: mail.sender,
    trackingCode: mail.trackingCode.default(null).describe('Tracking code; null (default) for untracked mail.'),
    receiptDate: mail.receiptDate.optional().describe('When it was received, ISO 8601 with offset; omitted: now.'),
    messageText: mail.messageText.default(null).describe('Message to the customer; null (default) when none.'),
  },
  {
    correspondenceId: id('ID of the new correspondence (server-generated).'),
    customer: customerFilled,
    company,
    user,
    customerBlocked: customerBlockedFlag,
  },
);

export const deleteCorrespondence = defineCommand('delete_correspondence', 'correspondence', 'A user deletes the correspondence.', none, refresh);

export const deliverCorrespondenceInPerson = defineCommand(
  'deliver_correspondence_in_person',
  'correspondence',
  'The correspondence is handed over in person (at the reception).',
  { deliveredToPersonId: id('ID of the person who received it.'), notes: deliveryNotes },
  { deliveryBy, deliveredToPerson, ...refresh },
);

export const sendCorrespondenceByEmail = defineCommand(
  'send_correspondence_by_email',
  'correspondence',
  'The correspondence is scanned and sent by e-mail; the paper may still be delivered in person or forwarded afterwards.',
  {
    recipients: z.array(z.email()).min(1).optional().describe("Recipients' e-mail addresses; omitted: the customer's e-mail addresses."),
    notes: deliveryNotes,
  },
  { deliveryBy, ...refresh },
);

export const forwardCorrespondenceToAddress = defineCommand(
  'forward_correspondence_to_address',
  'correspondence',
  "The correspondence is forwarded to the customer's address.",
  {
    shippingMethod: correspondenceShippingMethod,
    deliveredToPersonId: id('ID of the person it is forwarded to.'),
    deliveryDate: isoDateTime.optional().describe('Delivery date, ISO 8601 with offset; omitted: now.'),
  },
  { deliveryBy, deliveredToPerson, ...refresh },
);

// ---------------------------------------------------------------------------
// Lead (cliente potencial)
// ---------------------------------------------------------------------------

const lead = leadData.shape;

const leadFields = {
  status: lead.status.default('Interested').describe("Negotiation status; 'Interested' by default."),
  partner: lead.partner.default(null).describe('The partner who referred the lead; null (default) when none.'),
  customerName: text("The lead's name."),
  phones: lead.phones.default(() => []).describe('Phone numbers; none by default.'),
  interestServices: lead.interestServices.default(() => []).describe('Services of interest; none by default.'),
  fieldOfActivity: lead.fieldOfActivity.default(() => []).describe('Fields of activity; none by default.'),
  emails: lead.emails.default(() => []).describe('E-mail addresses; none by default.'),
  isReceiveInformativeEmail: lead.isReceiveInformativeEmail.default(false).describe('Whether the lead agrees to receive informative e-mails; false by default.'),
  contactMethod: lead.contactMethod.default(() => []).describe('How the lead got in touch; none by default.'),
  website: lead.website.default(null).describe('Website; null (default) when none.'),
  notes: lead.notes.default(null).describe('Notes; null (default) when empty.'),
};

export const createLead = defineCommand(
  'create_lead',
  'lead',
  'A user registers a lead (potential customer) in the CRM.',
  leadFields,
  { potentialCustomerId: id('ID of the new lead (server-generated).'), company },
);
export const editLead = defineCommand('edit_lead', 'lead', 'A user edits the lead; every edit publishes coworking.lead.edited.', patchOf(leadFields), none);
export const deleteLead = defineCommand('delete_lead', 'lead', 'A user deletes the lead.', none, none);

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

export const expenseCommand = z.discriminatedUnion('type', [recordExpense.schema, confirmExpenseReceipt.schema]).describe('A command to an expense.');
export type ExpenseCommand = z.output<typeof expenseCommand>;

export const customerCommand = z
  .discriminatedUnion('type', [createCustomer.schema, editCustomer.schema, deleteCustomer.schema, blockCustomer.schema, unblockCustomer.schema])
  .describe('A command to a customer.');
export type CustomerCommand = z.output<typeof customerCommand>;

export const personCommand = z
  .discriminatedUnion('type', [createPerson.schema, editPerson.schema, deletePerson.schema, blockPerson.schema, unblockPerson.schema])
  .describe('A command to a person.');
export type PersonCommand = z.output<typeof personCommand>;

export const bookingCommand = z.discriminatedUnion('type', [createBooking.schema, cancelBooking.schema]).describe('A command to a booking.');
export type BookingCommand = z.output<typeof bookingCommand>;

export const recurringBookingCommand = z.discriminatedUnion('type', [createRecurringBooking.schema]).describe('A command to a recurring booking.');
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

export const leadCommand = z.discriminatedUnion('type', [createLead.schema, editLead.schema, deleteLead.schema]).describe('A command to a lead.');
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
  create_customer_service: ['coworking.customer_service.created', 'coworking.customer_service.created_blocked_customer'],
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
export const commandBodies = Object.fromEntries(definitions.map((definition) => [definition.name, definition.body])) as {
  [D in Definition as D['name']]: D['body'];
};

/** The commands of an aggregate, in lifecycle order. */
export function commandsOf(aggregate: CoworkingAggregate): CommandName[] {
  return definitions.filter((definition) => definition.aggregate === aggregate).map((definition) => definition.name);
}
