// The invoice's commands and the states they lead to, for the invoice tests.
import { AssertionError } from 'node:assert';
import type { Given } from '@hookline/eventsourcing/testing';
import type { InvoiceCommand, InvoiceCreateInput } from './commands.js';
import type { InvoiceEvent, InvoiceState } from './invoice.js';
import { after, exampleInvoice, givenInvoice, one } from './records.fixtures.js';

export const pvm1 = { id: 1, name: 'PVM1', amount: 21 };
export const pvm2 = { id: 2, name: 'PVM2', amount: 9 };
/** The catalog's example invoice, as a client creates it: oak floor boards and their fitting. */
export const draftInput = exampleInvoice.input;
export const boards = draftInput.invoice_lines![0]!;

export const create = (input: InvoiceCreateInput = draftInput, id = exampleInvoice.id): InvoiceCommand => ({
  type: 'create',
  id,
  input,
});
export const update = (patch: Extract<InvoiceCommand, { type: 'update' }>['patch']): InvoiceCommand => ({
  type: 'update',
  patch,
});
export const validate = (number = 'INV/2026/0007'): InvoiceCommand => ({ type: 'validate', number });
export const pay: InvoiceCommand = { type: 'register_payment' };
export const cancel: InvoiceCommand = { type: 'cancel' };
export const resetToDraft: InvoiceCommand = { type: 'reset_to_draft' };
export const remove: InvoiceCommand = { type: 'delete' };

export type Invoice = Given<InvoiceCommand, InvoiceEvent, InvoiceState>;
/** The catalog's invoice in each state it can be in. */
export const states = {
  none: () => givenInvoice(),
  draft: () => after(givenInvoice(), create()),
  open: () => after(givenInvoice(), create(), validate()),
  paid: () => after(givenInvoice(), create(), validate(), pay),
  cancel: () => after(givenInvoice(), create(), validate(), cancel),
  deleted: () => after(givenInvoice(), create(), remove),
};
export type StateName = keyof typeof states;

/** The data of the one `updated` event a command emits. */
export function updated(invoice: Invoice, command: InvoiceCommand) {
  const event = one(invoice.when(command));
  if (event.type !== 'accounting.invoice.updated')
    throw new AssertionError({ message: `expected an update, got ${event.type}` });
  return event.data;
}

/** The data of the one `created` event a command emits. */
export function created(invoice: Invoice, command: InvoiceCommand) {
  const event = one(invoice.when(command));
  if (event.type !== 'accounting.invoice.created')
    throw new AssertionError({ message: `expected a creation, got ${event.type}` });
  return event.data;
}
