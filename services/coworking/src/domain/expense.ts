// The expense (despesa) aggregate: a bill to pay. Registering it publishes nothing (Conexa has no such
// webhook; an internal event keeps the record); confirming its receipt publishes
// coworking.expense.receipt_confirmed with the status `received`, once.
import { illegalTransition, recordNotFound, unknownCommand, type Decider } from '@hookline/eventsourcing';
import type { CommandName, CommandOf, ExpenseCommand } from './commands/index.js';
import {
  event,
  localDate,
  sameId,
  type CoworkingEvent,
  type CoworkingEventData,
  type InternalEvent,
} from './shared.js';

export type ExpenseData = CoworkingEventData<'coworking.expense.receipt_confirmed'>;
/** The expense as the event carries it, without its status (kept in the state). */
export type ExpenseRecord = Omit<ExpenseData, 'status'>;
export type ExpenseStatus = 'none' | ExpenseData['status'];

export interface ExpenseState {
  status: ExpenseStatus;
  expense: ExpenseRecord | null;
}

export type ExpenseInternalEvent = InternalEvent<'internal.expense.recorded', ExpenseRecord>;
export type ExpenseEvent = CoworkingEvent<'coworking.expense.receipt_confirmed'> | ExpenseInternalEvent;

export function initialExpenseState(): ExpenseState {
  return { status: 'none', expense: null };
}

export function allowedExpenseCommands(state: ExpenseState): CommandName[] {
  if (state.status === 'none') return ['record_expense'];
  return state.status === 'unpaid' ? ['confirm_expense_receipt'] : [];
}

function recordExpense(command: CommandOf<'record_expense'>, state: ExpenseState): ExpenseEvent[] {
  if (state.status !== 'none')
    throw illegalTransition(
      `Expense ${state.expense?.billId} already exists`,
      state.status,
      allowedExpenseCommands(state),
    );
  sameId('accountId', command.accountId, command.account);
  sameId('supplierId', command.supplierId, command.supplier);
  sameId('subcategoryId', command.subcategoryId, command.subcategory);
  if (command.recurrentBillId !== null || command.recurrentBill !== null) {
    sameId('recurrentBillId', command.recurrentBillId ?? 0, command.recurrentBill ?? { id: 0 });
  }
  const expense: ExpenseRecord = {
    billId: command.billId,
    amount: command.amount,
    dueDate: command.dueDate,
    description: command.description,
    digitableLine: command.digitableLine,
    documentNumber: command.documentNumber,
    documentDate: command.documentDate,
    documentCreatedAt: localDate(command.now),
    company: command.company,
    account: command.account,
    supplier: command.supplier,
    subcategory: command.subcategory,
    recurrentBill: command.recurrentBill,
    createdAt: command.now,
  };
  return [{ type: 'internal.expense.recorded', data: expense }];
}

function confirmExpenseReceipt(_command: CommandOf<'confirm_expense_receipt'>, state: ExpenseState): ExpenseEvent[] {
  const expense = state.expense;
  if (expense === null || state.status === 'none' || state.status === 'excluded') {
    throw recordNotFound('expense', state.status === 'excluded' ? 'deleted' : state.status, expense?.billId);
  }
  if (state.status !== 'unpaid') {
    throw illegalTransition(
      `Expense ${expense.billId} is ${state.status}: only an open expense can have its receipt confirmed`,
      state.status,
      allowedExpenseCommands(state),
    );
  }
  return [event('coworking.expense.receipt_confirmed', { ...expense, status: 'received' })];
}

export function decideExpense(command: ExpenseCommand, state: ExpenseState): ExpenseEvent[] {
  const { type } = command;
  switch (type) {
    case 'record_expense':
      return recordExpense(command, state);
    case 'confirm_expense_receipt':
      return confirmExpenseReceipt(command, state);
    default:
      return unknownCommand(type, 'expense');
  }
}

export function evolveExpense(state: ExpenseState, e: ExpenseEvent): ExpenseState {
  switch (e.type) {
    case 'internal.expense.recorded':
      return { status: 'unpaid', expense: e.data };
    case 'coworking.expense.receipt_confirmed': {
      const { status, ...expense } = e.data;
      return { status, expense };
    }
  }
}

export const expenseDecider: Decider<ExpenseCommand, ExpenseEvent, ExpenseState> = {
  decide: decideExpense,
  evolve: evolveExpense,
  initialState: initialExpenseState,
};
