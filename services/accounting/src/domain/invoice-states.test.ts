import { invoiceRecord, type InvoiceRecord } from '@hookline/events';
import { statusOf } from '@hookline/http';
import { describe, expect, it } from 'vitest';
import { invoiceCommandTypes, type InvoiceCommand, type InvoiceCommandType } from './commands.js';
import { allowedInvoiceCommands } from './invoice.js';
import { after, givenInvoice, one, record } from './records.fixtures.js';
import {
  draftInput,
  pvm1,
  pvm2,
  create,
  update,
  validate,
  pay,
  cancel,
  resetToDraft,
  remove,
  states,
  updated,
  type StateName,
} from './invoice.fixtures.js';

describe('state transitions', () => {
  it('draft → open: validation assigns the number', () => {
    const data = updated(states.draft(), validate('INV/2026/0007'));
    expect(data.changedFields).toEqual(['number', 'state']);
    expect(data.before).toMatchObject({ number: null, state: 'draft' });
    expect(data.after).toMatchObject({ number: 'INV/2026/0007', state: 'open' });
    expect(updated(states.draft(), validate('  INV/2026/0008 ')).after.number).toBe('INV/2026/0008');
  });

  it('open → paid: registering the payment', () => {
    const data = updated(states.open(), pay);
    expect(data.changedFields).toEqual(['state']);
    expect(data.after).toMatchObject({ number: 'INV/2026/0007', state: 'paid' });
  });

  it('draft → cancel and open → cancel; a cancelled invoice keeps its number', () => {
    expect(updated(states.draft(), cancel)).toMatchObject({
      changedFields: ['state'],
      after: { state: 'cancel', number: null },
    });
    expect(updated(states.open(), cancel)).toMatchObject({
      changedFields: ['state'],
      after: { state: 'cancel', number: 'INV/2026/0007' },
    });
  });

  it('cancel → draft clears the number; validating again assigns one', () => {
    const data = updated(states.cancel(), resetToDraft);
    expect(data.changedFields).toEqual(['number', 'state']);
    expect(data.after).toMatchObject({ state: 'draft', number: null });
    expect(updated(after(givenInvoice(), create(), cancel), resetToDraft).changedFields).toEqual(['state']);
    const invoice = after(
      givenInvoice(),
      create(),
      validate(),
      cancel,
      resetToDraft,
      update({ partner_id: 218 }),
      validate('INV/2026/0009'),
      pay,
    );
    expect(invoice.history.map((e) => (e.data as { changedFields?: string[] }).changedFields ?? e.type)).toEqual([
      'accounting.invoice.created',
      ['number', 'state'],
      ['state'],
      ['number', 'state'],
      ['partner_id'],
      ['number', 'state'],
      ['state'],
    ]);
    expect(record(invoice)).toMatchObject({ state: 'paid', number: 'INV/2026/0009', partner_id: 218 });
  });

  it('validation requires at least one line, date_invoice and date_due (the due date is not defaulted)', () => {
    const bare = after(givenInvoice(), create({ partner_id: 7 }, 1));
    const error = bare.when(validate()).thenThrows();
    expect(error.code).toBe('invalid');
    expect(statusOf(error)).toBe(400);
    expect(error.message).toBe('Invoice 1 cannot be validated');
    expect(error.details.issues).toEqual([
      { path: 'invoice_lines', rule: 'required', message: 'an invoice needs at least one line to be validated' },
      { path: 'date_invoice', rule: 'required', message: 'an invoice needs date_invoice to be validated' },
      { path: 'date_due', rule: 'required', message: 'an invoice needs date_due to be validated' },
    ]);
    const noDueDate = after(givenInvoice(), create({ ...draftInput, date_due: null }));
    expect(noDueDate.when(validate()).thenThrows().details.issues).toEqual([
      expect.objectContaining({ path: 'date_due', rule: 'required' }),
    ]);
  });

  it('validation requires a number', () => {
    for (const number of ['', '   ', 'x'.repeat(65)]) {
      const error = states.draft().when(validate(number)).thenThrows();
      expect(error.code).toBe('invalid');
      expect(error.details.issues).toEqual([expect.objectContaining({ path: 'number' })]);
    }
  });

  it('refuses paying a draft (validate it first) with 409 and the allowed commands', () => {
    const error = states.draft().when(pay).thenThrows();
    expect(error.code).toBe('illegal_transition');
    expect(statusOf(error)).toBe(409);
    expect(error.message).toBe('Cannot register a payment on invoice 4812: it is a draft; validate it first');
    expect(error.details).toEqual({ state: 'draft', allowed: ['update', 'validate', 'cancel', 'delete'] });
  });

  it('refuses paying a cancelled invoice', () => {
    const error = states.cancel().when(pay).thenThrows();
    expect(error.code).toBe('illegal_transition');
    expect(error.message).toBe(
      'Cannot register a payment on invoice 4812: it is cancelled; a cancelled invoice cannot be paid',
    );
    expect(error.details).toEqual({ state: 'cancel', allowed: ['update', 'reset_to_draft', 'delete'] });
  });

  it('refuses deleting an open invoice (cancel it first) and a paid one', () => {
    const open = states.open().when(remove).thenThrows();
    expect(open.code).toBe('illegal_transition');
    expect(open.message).toBe('Cannot delete invoice 4812: it is open (validated); cancel it first');
    expect(open.details).toEqual({ state: 'open', allowed: ['update', 'register_payment', 'cancel'] });
    const paid = states.paid().when(remove).thenThrows();
    expect(paid.details).toEqual({ state: 'paid', allowed: ['update'] });
    expect(paid.message).toContain('a paid invoice cannot be deleted');
  });

  it('refuses cancelling a paid invoice, validating twice, paying twice and resetting a non-cancelled invoice', () => {
    expect(states.paid().when(cancel).thenThrows().message).toBe(
      'Cannot cancel invoice 4812: it is paid; a paid invoice cannot be cancelled',
    );
    expect(states.open().when(validate()).thenThrows().details).toEqual({
      state: 'open',
      allowed: ['update', 'register_payment', 'cancel'],
    });
    expect(states.paid().when(pay).thenThrows().code).toBe('illegal_transition');
    expect(states.cancel().when(cancel).thenThrows().code).toBe('illegal_transition');
    for (const name of ['draft', 'open', 'paid'] as const) {
      expect(states[name]().when(resetToDraft).thenThrows().details, name).toMatchObject({ state: name });
    }
  });

  it('deletes a draft or a cancelled invoice, with its last snapshot', () => {
    for (const name of ['draft', 'cancel'] as const) {
      const state = states[name]();
      const event = one(state.when(remove));
      expect(event).toEqual({
        type: 'accounting.invoice.deleted',
        data: { object: 'account.invoice', operation: 'delete', id: 4812, before: record(state), after: null },
      });
    }
  });
});

describe('missing invoices', () => {
  const others = (number?: string): InvoiceCommand[] => [
    update({ comment: 'x' }),
    validate(number),
    pay,
    cancel,
    resetToDraft,
    remove,
  ];

  it('answers not_found (404) to every command but create on an invoice never created', () => {
    for (const command of others()) {
      const error = states.none().when(command).thenThrows();
      expect(error.code, command.type).toBe('not_found');
      expect(statusOf(error)).toBe(404);
      expect(error.message).toBe('No such invoice');
    }
  });

  it('answers not_found to every command but create on a deleted invoice', () => {
    for (const command of others()) {
      const error = states.deleted().when(command).thenThrows();
      expect(error.code, command.type).toBe('not_found');
      expect(error.message).toBe('Invoice 4812 was deleted');
      expect(error.details).toEqual({ state: 'deleted', id: 4812 });
    }
  });

  it('refuses an unknown command', () => {
    expect(
      states
        .draft()
        .when({ type: 'post' } as never)
        .thenThrows().message,
    ).toBe('Unknown invoice command "post"');
  });

  it('checks existence before the input', () => {
    expect(
      states
        .none()
        .when(update({ amount_total: 1 } as never))
        .thenThrows().code,
    ).toBe('not_found');
    expect(states.deleted().when(validate('')).thenThrows().code).toBe('not_found');
  });
});

describe('every command in every state', () => {
  /** A command of each type that would succeed where the type is allowed. */
  const sample: Record<InvoiceCommandType, InvoiceCommand> = {
    create: create(),
    update: update({ comment: 'Pakeista pastaba.' }),
    validate: validate(),
    register_payment: pay,
    cancel,
    reset_to_draft: resetToDraft,
    delete: remove,
  };
  const expectedAllowed: Record<StateName, InvoiceCommandType[]> = {
    none: ['create'],
    draft: ['update', 'validate', 'cancel', 'delete'],
    open: ['update', 'register_payment', 'cancel'],
    paid: ['update'],
    cancel: ['update', 'reset_to_draft', 'delete'],
    deleted: [],
  };
  const resulting: Partial<Record<`${StateName}:${InvoiceCommandType}`, string>> = {
    'none:create': 'draft',
    'draft:validate': 'open',
    'draft:cancel': 'cancel',
    'draft:delete': 'deleted',
    'open:register_payment': 'paid',
    'open:cancel': 'cancel',
    'cancel:reset_to_draft': 'draft',
    'cancel:delete': 'deleted',
  };

  const cases = (Object.keys(states) as StateName[]).flatMap((name) =>
    invoiceCommandTypes.map((type) => [name, type] as const),
  );

  it.each(cases)('%s + %s', (name, type) => {
    const state = states[name]();
    expect(allowedInvoiceCommands(state.state)).toEqual(expectedAllowed[name]);
    if (expectedAllowed[name].includes(type)) {
      const decided = state.when(sample[type]);
      expect(decided.events).toHaveLength(1);
      const afterName = decided.state.status === 'exists' ? decided.state.record.state : decided.state.status;
      expect(afterName).toBe(resulting[`${name}:${type}`] ?? name);
      return;
    }
    const error = state.when(sample[type]).thenThrows();
    if (type !== 'create' && (name === 'none' || name === 'deleted')) {
      expect(error.code).toBe('not_found');
    } else {
      expect(error.code).toBe('illegal_transition');
      expect(error.details).toMatchObject({ state: name, allowed: expectedAllowed[name] });
    }
  });
});

describe('events and state', () => {
  it('replays a stream into the state the commands produced, remembering the highest line id', () => {
    const { state, history: events } = after(
      givenInvoice(),
      create(),
      update({ invoice_lines: [{ id: 1 }] }),
      validate(),
      pay,
      update({ comment: 'Apmokėta.' }),
    );
    expect(events.map((e) => e.type)).toEqual([
      'accounting.invoice.created',
      'accounting.invoice.updated',
      'accounting.invoice.updated',
      'accounting.invoice.updated',
      'accounting.invoice.updated',
    ]);
    expect(state).toEqual({
      status: 'exists',
      record: expect.objectContaining({ state: 'paid', comment: 'Apmokėta.' }),
      lastLineId: 2,
    });
    const deleted = after(givenInvoice(), create(), remove).state;
    expect(deleted).toEqual({ status: 'deleted', record: expect.objectContaining({ id: 4812 }), lastLineId: 2 });
  });

  it('emits snapshots that pass invoiceRecord.parse, whose amounts are the sums of the lines', () => {
    const { history: events } = after(
      givenInvoice(),
      create({
        partner_id: 3,
        invoice_lines: [
          { name: 'A', quantity: 3, price_unit: 0.335, taxes: [pvm1] },
          { name: 'B', quantity: 7, price_unit: 1.005, discount: 12.5, taxes: [pvm2] },
          { name: 'C', quantity: 0.333, price_unit: 3, taxes: [pvm1, pvm2] },
        ],
      }),
    );
    const snapshot = events[0]!.data.after as InvoiceRecord;
    expect(invoiceRecord.parse(snapshot)).toEqual(snapshot);
    // 1.005 → 1.01; 6.155625 → 6.16; 0.999 → 1
    expect(snapshot.invoice_lines.map((l) => l.price_subtotal)).toEqual([1.01, 6.16, 1]);
    // tax = 1.01 × 21 % + 6.16 × 9 % + 1 × 30 % = 0.2121 + 0.5544 + 0.3 = 1.0665 → 1.07
    expect(snapshot).toMatchObject({ amount_untaxed: 8.17, amount_tax: 1.07, amount_total: 9.24 });
  });
});
