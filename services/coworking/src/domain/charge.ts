// The charge (cobrança) aggregate and Conexa's trigger rules for its four events:
// - generated: after invoicing when the receiving method is not boleto ("Outros"); after the boleto is
//   generated (API or remittance file) when it is boleto — never twice;
// - settled: automatic settlement only (boleto, API, card, Pix, return file); a manual settlement by a
//   user changes the state and publishes nothing;
// - status_changed: edit, negotiation, cancellation, deletion — never settlement;
// - reminder: from the scheduler, once per reminder rule, only while the charge is open (unpaid).
import { illegalTransition, recordNotFound, unknownCommand, type Decider } from '@hookline/eventsourcing';
import { round2 } from '@hookline/events';
import type { ChargeCommand, CommandName, CommandOf } from './commands/index.js';
import {
  event,
  invalidField,
  localDate,
  refreshCustomer,
  sameId,
  type CoworkingEvent,
  type CoworkingEventData,
  type CustomerRef,
  type InternalEvent,
} from './shared.js';

/** The charge as coworking.charge.generated carries it; kept whole in the state. */
export type ChargeRecord = CoworkingEventData<'coworking.charge.generated'>;

/**
 * `awaiting_boleto`: invoiced with a boleto method, its bank slip not generated yet (nothing published);
 * `unpaid`: generated and open; then `paid`, `negotiated`, `cancelled` or `deleted`.
 */
export type ChargeStatus = 'none' | 'awaiting_boleto' | 'unpaid' | 'paid' | 'negotiated' | 'cancelled' | 'deleted';

export interface ChargeSettlement {
  /** False for a manual settlement (no webhook). */
  automatic: boolean;
  paidAmount: number;
  paymentDate: string;
  paymentOperationDate: string;
  paymentDiscountAmount: number;
}

export interface ChargeState {
  status: ChargeStatus;
  charge: ChargeRecord | null;
  /** coworking.charge.generated was published. */
  generated: boolean;
  settlement: ChargeSettlement | null;
  /** IDs of the reminder rules a reminder was published for. */
  remindersSent: number[];
}

/** Internal (unpublished) events of a charge stream. */
export type ChargeInternalEvent =
  /** A boleto charge invoiced: the record, waiting for its bank slip. */
  | InternalEvent<'internal.charge.invoiced', ChargeRecord>
  /** A user settled the charge by hand (Conexa sends no webhook). */
  | InternalEvent<
      'internal.charge.settled_manually',
      Omit<ChargeSettlement, 'automatic'> & { chargeId: number; currentAmount: number; source: 'manual' }
    >
  /** The status a negotiation, cancellation or deletion sets (status_changed carries no status). */
  | InternalEvent<
      'internal.charge.status_set',
      { chargeId: number; status: 'negotiated' | 'cancelled' | 'deleted'; reason: string | null }
    >
  /** A reminder rule fired for the charge (at most once per rule). */
  | InternalEvent<
      'internal.charge.reminder_recorded',
      { chargeId: number; ruleId: number; date: string; currentAmount: number }
    >;

export type ChargePublishedEvent = CoworkingEvent<
  | 'coworking.charge.generated'
  | 'coworking.charge.settled'
  | 'coworking.charge.reminder'
  | 'coworking.charge.status_changed'
>;
export type ChargeEvent = ChargePublishedEvent | ChargeInternalEvent;

export function initialChargeState(): ChargeState {
  return { status: 'none', charge: null, generated: false, settlement: null, remindersSent: [] };
}

/** Whether a receiving method is a bank slip (boleto): such a charge is generated only when its boleto is. */
export function isBoletoMethod(receivingMethod: string): boolean {
  return /boleto/i.test(receivingMethod);
}

const open: readonly ChargeStatus[] = ['awaiting_boleto', 'unpaid'];

/** The commands that may change a charge in a state (send_reminder is listed while a reminder may be published). */
export function allowedChargeCommands(state: ChargeState): CommandName[] {
  switch (state.status) {
    case 'none':
      return ['invoice_charge'];
    case 'awaiting_boleto':
      return ['generate_boleto', 'settle_charge', 'edit_charge', 'negotiate_charge', 'cancel_charge', 'delete_charge'];
    case 'unpaid':
      return ['settle_charge', 'edit_charge', 'negotiate_charge', 'cancel_charge', 'delete_charge', 'send_reminder'];
    case 'negotiated':
    case 'cancelled':
      return ['delete_charge'];
    case 'paid':
    case 'deleted':
      return [];
  }
}

function statusChangedData(charge: ChargeRecord): CoworkingEventData<'coworking.charge.status_changed'> {
  return {
    chargeId: charge.chargeId,
    amount: charge.amount,
    currentAmount: charge.currentAmount,
    discountAmount: charge.discountAmount,
    dueDate: charge.dueDate,
    chargeUrl: charge.chargeUrl,
    billetDigitableLine: charge.billetDigitableLine,
    billetUrl: charge.billetUrl,
    customer: charge.customer,
    company: charge.company,
  };
}

function invoiceCharge(command: CommandOf<'invoice_charge'>, state: ChargeState): ChargeEvent[] {
  if (state.status !== 'none')
    throw illegalTransition(
      `Charge ${state.charge?.chargeId} already exists`,
      state.status,
      allowedChargeCommands(state),
    );
  sameId('customerId', command.customerId, command.customer);
  sameId('accountId', command.accountId, command.account);
  if (!command.hasISSRetention && command.ISSAmount > 0)
    throw invalidField('ISSAmount must be 0 when ISS is not withheld', 'ISSAmount');
  if (
    command.totalInstallmentsAmount === null
      ? command.installmentNumber !== 1
      : command.installmentNumber > command.totalInstallmentsAmount
  ) {
    throw invalidField(
      command.totalInstallmentsAmount === null
        ? 'installmentNumber is 1 for a charge not in installments'
        : `installment ${command.installmentNumber} of ${command.totalInstallmentsAmount} does not exist`,
      'installmentNumber',
    );
  }
  const rawAmount = round2(command.sales.reduce((sum, sale) => sum + sale.price, 0));
  if (command.discountAmount > rawAmount)
    throw invalidField(`the discount ${command.discountAmount} exceeds the sales total ${rawAmount}`, 'discountAmount');
  const amount = round2(rawAmount - command.discountAmount);
  const charge: ChargeRecord = {
    chargeId: command.chargeId,
    receivingMethod: command.receivingMethod,
    type: command.chargeType,
    status: command.negotiatedFrom === null ? 'unpaid' : 'generatedByNegotiation',
    amount,
    currentAmount: amount,
    rawAmount,
    hasISSRetention: command.hasISSRetention,
    ISSAmount: command.ISSAmount,
    discountAmount: command.discountAmount,
    installmentNumber: command.installmentNumber,
    totalInstallmentsAmount: command.totalInstallmentsAmount,
    dueDate: command.dueDate,
    competenceDate: command.competenceDate ?? command.dueDate,
    notes: command.notes,
    taxInvoiceNumber: command.taxInvoiceNumber,
    createdAt: command.now,
    receiptCode: command.receiptCode,
    billetDigitableLine: null,
    chargeUrl: command.chargeUrl,
    billetUrl: null,
    company: command.company,
    customer: command.customer,
    account: command.account,
    sales: command.sales,
  };
  return isBoletoMethod(charge.receivingMethod)
    ? [{ type: 'internal.charge.invoiced', data: charge }]
    : [event('coworking.charge.generated', charge)];
}

/** The scheduler's reminder for a rule: once per rule, only while the charge is unpaid. */
function sendReminder(command: CommandOf<'send_reminder'>, state: ChargeState): ChargeEvent[] {
  const current = state.charge;
  if (current === null || state.status === 'none') throw recordNotFound('charge', state.status);
  // The scheduler may race a settlement or fire twice: a no-op, not an error.
  if (state.status !== 'unpaid' || state.remindersSent.includes(command.ruleId)) return [];
  const customer = refreshCustomer(current.customer, command.customer);
  const currentAmount = command.currentAmount ?? current.currentAmount;
  return [
    {
      ...event('coworking.charge.reminder', {
        amount: current.amount,
        currentAmount,
        dueDate: current.dueDate,
        chargeUrl: current.chargeUrl,
        billetDigitableLine: current.billetDigitableLine,
        billetUrl: current.billetUrl,
        customer,
        company: current.company,
      }),
      reminderRule: String(command.ruleId),
    },
    {
      type: 'internal.charge.reminder_recorded',
      data: { chargeId: current.chargeId, ruleId: command.ruleId, date: localDate(command.now), currentAmount },
    },
  ];
}

/** A charge that exists and is not deleted, with the customer the command brings (fresher than the recorded one). */
function existingCharge(command: ChargeCommand & { customer?: CustomerRef | undefined }, state: ChargeState) {
  const current = state.charge;
  if (current === null || state.status === 'none') throw recordNotFound('charge', state.status);
  if (state.status === 'deleted') throw recordNotFound('charge', state.status, current.chargeId);
  const refuse = (message: string) =>
    illegalTransition(`Charge ${current.chargeId} ${message}`, state.status, allowedChargeCommands(state));
  const charge: ChargeRecord = { ...current, customer: refreshCustomer(current.customer, command.customer) };
  return { current, charge, refuse };
}

function generateBoleto(command: CommandOf<'generate_boleto'>, state: ChargeState): ChargeEvent[] {
  const { charge, refuse } = existingCharge(command, state);
  if (state.status !== 'awaiting_boleto')
    throw refuse(state.generated ? 'is already generated' : `is ${state.status}: no boleto can be generated`);
  return [
    event('coworking.charge.generated', {
      ...charge,
      billetDigitableLine: command.billetDigitableLine,
      billetUrl: command.billetUrl,
    }),
  ];
}

/** Automatic sources publish settled; a manual settlement changes the state only. */
function settleCharge(command: CommandOf<'settle_charge'>, state: ChargeState): ChargeEvent[] {
  const { charge, refuse } = existingCharge(command, state);
  if (!open.includes(state.status)) throw refuse(`is ${state.status}, not open`);
  if (command.source === 'boleto' && charge.billetDigitableLine === null)
    throw invalidField(`charge ${charge.chargeId} has no boleto to be paid`, 'source');
  const settlement: ChargeSettlement = {
    automatic: command.source !== 'manual',
    paidAmount: command.paidAmount,
    paymentDate: command.paymentDate,
    paymentOperationDate: command.paymentOperationDate ?? command.paymentDate,
    paymentDiscountAmount: command.paymentDiscountAmount,
  };
  const currentAmount = command.currentAmount ?? charge.currentAmount;
  if (command.source === 'manual') {
    const { automatic: _automatic, ...manual } = settlement;
    return [
      {
        type: 'internal.charge.settled_manually',
        data: { chargeId: charge.chargeId, currentAmount, source: 'manual', ...manual },
      },
    ];
  }
  return [
    event('coworking.charge.settled', {
      chargeId: charge.chargeId,
      receivingMethod: charge.receivingMethod,
      type: charge.type,
      amount: charge.amount,
      currentAmount,
      rawAmount: charge.rawAmount,
      paidAmount: settlement.paidAmount,
      receiptAmount: round2(Math.max(0, currentAmount - settlement.paymentDiscountAmount)),
      rawReceiptAmount: currentAmount,
      hasISSRetention: charge.hasISSRetention,
      ISSAmount: charge.ISSAmount,
      discountAmount: charge.discountAmount,
      totalDiscountAmount: round2(charge.discountAmount + settlement.paymentDiscountAmount),
      installmentNumber: charge.installmentNumber,
      totalInstallmentsAmount: charge.totalInstallmentsAmount,
      dueDate: charge.dueDate,
      competenceDate: charge.competenceDate,
      paymentDate: settlement.paymentDate,
      paymentOperationDate: settlement.paymentOperationDate,
      hasAutomaticSettlement: true,
      paymentDiscountAmount: settlement.paymentDiscountAmount,
      notes: charge.notes,
      taxInvoiceNumber: charge.taxInvoiceNumber,
      createdAt: charge.createdAt,
      receiptCode: charge.receiptCode,
      billetDigitableLine: charge.billetDigitableLine,
      chargeUrl: charge.chargeUrl,
      billetUrl: charge.billetUrl,
      company: charge.company,
      customer: charge.customer,
      account: charge.account,
      sales: charge.sales,
    }),
  ];
}

/** A new due date or discount publishes status_changed; no change, no event. */
function editCharge(command: CommandOf<'edit_charge'>, state: ChargeState): ChargeEvent[] {
  const { current, charge, refuse } = existingCharge(command, state);
  if (!open.includes(state.status)) throw refuse(`is ${state.status}, not open`);
  const discountAmount = command.discountAmount ?? charge.discountAmount;
  if (discountAmount > charge.rawAmount)
    throw invalidField(`the discount ${discountAmount} exceeds the sales total ${charge.rawAmount}`, 'discountAmount');
  const amount = round2(charge.rawAmount - discountAmount);
  const next: ChargeRecord = {
    ...charge,
    dueDate: command.dueDate ?? charge.dueDate,
    discountAmount,
    amount,
    currentAmount: round2(Math.max(0, charge.currentAmount + amount - charge.amount)),
  };
  const before = JSON.stringify(statusChangedData(current));
  if (JSON.stringify(statusChangedData(next)) === before) return [];
  return [event('coworking.charge.status_changed', statusChangedData(next))];
}

/** Negotiation, cancellation and deletion: status_changed, and the new status as an internal event (the payload has none). */
function endCharge(
  command: CommandOf<'negotiate_charge' | 'cancel_charge' | 'delete_charge'>,
  state: ChargeState,
  status: 'negotiated' | 'cancelled' | 'deleted',
) {
  const { charge, refuse } = existingCharge(command, state);
  const from: readonly ChargeStatus[] = status === 'deleted' ? [...open, 'negotiated', 'cancelled'] : open;
  if (!from.includes(state.status)) throw refuse(`is ${state.status}: it cannot be ${status}`);
  return [
    event('coworking.charge.status_changed', statusChangedData(charge)),
    { type: 'internal.charge.status_set', data: { chargeId: charge.chargeId, status, reason: command.reason } },
  ] satisfies ChargeEvent[];
}

function negotiateCharge(command: CommandOf<'negotiate_charge'>, state: ChargeState): ChargeEvent[] {
  return endCharge(command, state, 'negotiated');
}

function cancelCharge(command: CommandOf<'cancel_charge'>, state: ChargeState): ChargeEvent[] {
  return endCharge(command, state, 'cancelled');
}

function deleteCharge(command: CommandOf<'delete_charge'>, state: ChargeState): ChargeEvent[] {
  return endCharge(command, state, 'deleted');
}

export function decideCharge(command: ChargeCommand, state: ChargeState): ChargeEvent[] {
  const { type } = command;
  switch (type) {
    case 'invoice_charge':
      return invoiceCharge(command, state);
    case 'generate_boleto':
      return generateBoleto(command, state);
    case 'settle_charge':
      return settleCharge(command, state);
    case 'edit_charge':
      return editCharge(command, state);
    case 'negotiate_charge':
      return negotiateCharge(command, state);
    case 'cancel_charge':
      return cancelCharge(command, state);
    case 'delete_charge':
      return deleteCharge(command, state);
    case 'send_reminder':
      return sendReminder(command, state);
    default:
      return unknownCommand(type, 'charge');
  }
}

export function evolveCharge(state: ChargeState, e: ChargeEvent): ChargeState {
  const charge = state.charge;
  switch (e.type) {
    case 'internal.charge.invoiced':
      return { ...state, status: 'awaiting_boleto', charge: e.data };
    case 'coworking.charge.generated':
      return { ...state, status: 'unpaid', charge: e.data, generated: true };
    case 'coworking.charge.settled':
      return {
        ...state,
        status: 'paid',
        charge: charge && { ...charge, currentAmount: e.data.currentAmount, customer: e.data.customer },
        settlement: {
          automatic: true,
          paidAmount: e.data.paidAmount,
          paymentDate: e.data.paymentDate,
          paymentOperationDate: e.data.paymentOperationDate,
          paymentDiscountAmount: e.data.paymentDiscountAmount,
        },
      };
    case 'internal.charge.settled_manually': {
      const { chargeId: _chargeId, currentAmount, source: _source, ...settlement } = e.data;
      return {
        ...state,
        status: 'paid',
        charge: charge && { ...charge, currentAmount },
        settlement: { automatic: false, ...settlement },
      };
    }
    case 'coworking.charge.status_changed':
      return { ...state, charge: charge && { ...charge, ...e.data } };
    case 'internal.charge.status_set':
      return { ...state, status: e.data.status };
    case 'coworking.charge.reminder':
      return { ...state, charge: charge && { ...charge, customer: e.data.customer } };
    case 'internal.charge.reminder_recorded':
      return {
        ...state,
        charge: charge && { ...charge, currentAmount: e.data.currentAmount },
        remindersSent: [...state.remindersSent, e.data.ruleId],
      };
  }
}

export const chargeDecider: Decider<ChargeCommand, ChargeEvent, ChargeState> = {
  decide: decideCharge,
  evolve: evolveCharge,
  initialState: initialChargeState,
};
