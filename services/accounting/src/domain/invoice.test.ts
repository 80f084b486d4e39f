import { findEventType, invoiceRecord, robolabsCallbackFor, type InvoiceRecord } from '@hookline/events';
import { describe, expect, it } from 'vitest';
import { statusOf } from '@hookline/http';
import { invoiceCommandTypes, type InvoiceCommand, type InvoiceCreateInput, type InvoiceCommandType } from './commands.js';
import { allowedInvoiceCommands, invoiceDecider, type InvoiceEvent, type InvoiceState } from './invoice.js';
import { decideChecked, refusal, run } from './testing.js';

const pvm1 = { id: 1, name: 'PVM1', amount: 21 };
const pvm2 = { id: 2, name: 'PVM2', amount: 9 };
const boards = { product_id: 58, name: 'Ąžuolinės grindų lentos 14 mm', quantity: 42.5, price_unit: 38.9, discount: 5, taxes: [pvm1] };
const fitting = { product_id: 61, name: 'Grindų montavimo paslauga', quantity: 42.5, price_unit: 12, taxes: [pvm1] };

/** The catalog's example invoice, as a client creates it. */
const draftInput: InvoiceCreateInput = {
  partner_id: 215,
  invoice_lines: [boards, fitting],
  date_invoice: '2026-02-16',
  date_due: '2026-03-02',
  currency: 'EUR',
  type: 'out_invoice',
  comment: 'Apmokėti pagal sutartį Nr. 2026/014.',
};

const create = (input: InvoiceCreateInput = draftInput, id = 4812): InvoiceCommand => ({ type: 'create', id, input });
const update = (patch: Extract<InvoiceCommand, { type: 'update' }>['patch']): InvoiceCommand => ({ type: 'update', patch });
const validate = (number = 'INV/2026/0007'): InvoiceCommand => ({ type: 'validate', number });
const pay: InvoiceCommand = { type: 'register_payment' };
const cancel: InvoiceCommand = { type: 'cancel' };
const resetToDraft: InvoiceCommand = { type: 'reset_to_draft' };
const remove: InvoiceCommand = { type: 'delete' };

const given = (...commands: InvoiceCommand[]) => run(invoiceDecider, commands).state;
const states = {
  none: () => invoiceDecider.initialState(),
  draft: () => given(create()),
  open: () => given(create(), validate()),
  paid: () => given(create(), validate(), pay),
  cancel: () => given(create(), validate(), cancel),
  deleted: () => given(create(), remove),
};
type StateName = keyof typeof states;

/** The one event a command emits, checked against the catalog. */
function decideOne(state: InvoiceState, command: InvoiceCommand): InvoiceEvent {
  const events = decideChecked(invoiceDecider, state, command);
  expect(events).toHaveLength(1);
  return events[0]!;
}

function updated(state: InvoiceState, command: InvoiceCommand) {
  const event = decideOne(state, command);
  if (event.type !== 'accounting.invoice.updated') throw new Error(`expected an update, got ${event.type}`);
  return event.data;
}

function created(state: InvoiceState, command: InvoiceCommand) {
  const event = decideOne(state, command);
  if (event.type !== 'accounting.invoice.created') throw new Error(`expected a creation, got ${event.type}`);
  return event.data;
}

function record(state: InvoiceState): InvoiceRecord {
  if (state.status !== 'exists') throw new Error(`no invoice: ${state.status}`);
  return state.record;
}

describe('create', () => {
  it('creates a draft with the amounts of the catalog example, computed from the lines', () => {
    const event = decideOne(states.none(), create());
    const example = findEventType('accounting.invoice.created')!.example as { after: InvoiceRecord };
    expect(event.type).toBe('accounting.invoice.created');
    expect(event.data).toEqual({
      object: 'account.invoice',
      operation: 'create',
      id: 4812,
      before: null,
      // the example's lines are 9931 and 9932; here the invoice numbers its own lines from 1
      after: { ...example.after, invoice_lines: example.after.invoice_lines.map((line, i) => ({ ...line, id: i + 1 })) },
    });
    const { after } = created(states.none(), create());
    expect(after).toMatchObject({ state: 'draft', number: null, amount_untaxed: 2080.59, amount_tax: 436.92, amount_total: 2517.51 });
    expect(after.invoice_lines.map((l) => l.price_subtotal)).toEqual([1570.59, 510]);
    expect(Object.keys(after)).toEqual(Object.keys(invoiceRecord.shape));
  });

  it('fills defaults: EUR, a sales invoice, no lines, no dates, no comment', () => {
    const event = decideOne(states.none(), create({ partner_id: 7 }, 1));
    expect(event.data.after).toEqual({
      id: 1,
      number: null,
      partner_id: 7,
      invoice_lines: [],
      state: 'draft',
      date_invoice: null,
      date_due: null,
      currency: 'EUR',
      amount_untaxed: 0,
      amount_tax: 0,
      amount_total: 0,
      type: 'out_invoice',
      comment: null,
    });
  });

  it('defaults a line to no product, no discount and no taxes', () => {
    const event = decideOne(states.none(), create({ partner_id: 7, invoice_lines: [{ name: 'Konsultacija', quantity: 2, price_unit: 50 }] }));
    expect(event.data.after?.invoice_lines).toEqual([
      { id: 1, product_id: null, name: 'Konsultacija', quantity: 2, price_unit: 50, discount: 0, taxes: [], price_subtotal: 100 },
    ]);
    expect(event.data.after).toMatchObject({ amount_untaxed: 100, amount_tax: 0, amount_total: 100 });
  });

  it('never takes amounts, subtotals, state, number or id from the client', () => {
    for (const extra of [{ amount_total: 1 }, { amount_untaxed: 1 }, { amount_tax: 1 }, { state: 'open' }, { number: 'X/1' }, { id: 9 }]) {
      const error = refusal(invoiceDecider, states.none(), create({ ...draftInput, ...extra } as InvoiceCreateInput));
      expect(error.code).toBe('invalid');
      expect(error.details.issues).toEqual([expect.objectContaining({ rule: 'unrecognized_keys' })]);
    }
    const withSubtotal = { ...draftInput, invoice_lines: [{ ...boards, price_subtotal: 1 }] } as unknown as InvoiceCreateInput;
    const error = refusal(invoiceDecider, states.none(), create(withSubtotal));
    expect(statusOf(error)).toBe(400);
    expect(error.details.issues).toEqual([expect.objectContaining({ path: 'invoice_lines.0', rule: 'unrecognized_keys' })]);
  });

  it('refuses bad input with the issues: missing partner, bad dates, bad discount, a tax twice, bad id', () => {
    const cases: Array<[InvoiceCommand, string]> = [
      [create({ ...draftInput, partner_id: undefined } as unknown as InvoiceCreateInput), 'partner_id'],
      [create({ ...draftInput, date_invoice: '16.02.2026' }), 'date_invoice'],
      [create({ ...draftInput, currency: 'eur' }), 'currency'],
      [create({ ...draftInput, invoice_lines: [{ ...boards, discount: 120 }] }), 'invoice_lines.0.discount'],
      [create({ ...draftInput, invoice_lines: [{ ...boards, name: '  ' }] }), 'invoice_lines.0.name'],
      [create({ ...draftInput, invoice_lines: [{ ...boards, taxes: [pvm1, pvm1] }] }), 'invoice_lines.0.taxes.1.id'],
      [create(draftInput, 0), 'id'],
      [create(draftInput, 1.5), 'id'],
    ];
    for (const [command, path] of cases) {
      const error = refusal(invoiceDecider, states.none(), command);
      expect(error.code, path).toBe('invalid');
      expect((error.details.issues as Array<{ path: string }>).map((i) => i.path)).toContain(path);
    }
  });

  it('refuses a due date before the invoice date', () => {
    const error = refusal(invoiceDecider, states.none(), create({ ...draftInput, date_due: '2026-02-15' }));
    expect(error.code).toBe('invalid');
    expect(error.details.issues).toEqual([{ path: 'date_due', rule: 'date_order', message: 'date_due (2026-02-15) is before date_invoice (2026-02-16)' }]);
    expect(decideChecked(invoiceDecider, states.none(), create({ ...draftInput, date_due: '2026-02-16' }))).toHaveLength(1);
  });

  it('refuses an invoice whose total would be negative (a credit note is another document)', () => {
    const error = refusal(invoiceDecider, states.none(), create({ partner_id: 7, invoice_lines: [{ name: 'Grąžinimas', quantity: -1, price_unit: 10 }] }));
    expect(error.code).toBe('invalid');
    expect((error.details.issues as Array<{ path: string }>).map((i) => i.path)).toContain('amount_untaxed');
    // a negative line is fine while the invoice total is not negative
    const discountLine = { name: 'Nuolaida', quantity: 1, price_unit: -10 };
    const event = decideOne(states.none(), create({ partner_id: 7, invoice_lines: [{ name: 'Prekė', quantity: 1, price_unit: 30 }, discountLine] }));
    expect(event.data.after).toMatchObject({ amount_untaxed: 20 });
  });

  it('refuses to create an invoice that exists or existed (409)', () => {
    for (const name of ['draft', 'open', 'paid', 'cancel', 'deleted'] as const) {
      const error = refusal(invoiceDecider, states[name](), create());
      expect(error.code, name).toBe('illegal_transition');
      expect(statusOf(error)).toBe(409);
      expect(error.details).toEqual({ state: name, allowed: allowedInvoiceCommands(states[name]()) });
    }
    expect(refusal(invoiceDecider, states.draft(), create()).message).toBe('Invoice 4812 already exists');
    expect(refusal(invoiceDecider, states.deleted(), create()).message).toBe('Invoice 4812 was deleted; ids are not reused');
  });
});

describe('update', () => {
  it("changing the partner lists partner_id only, with the previous and the new buyer (the document's example)", () => {
    const data = updated(states.draft(), update({ partner_id: 218 }));
    expect(data.changedFields).toEqual(['partner_id']);
    expect(data.before.partner_id).toBe(215);
    expect(data.after.partner_id).toBe(218);
    expect(data.after).toEqual({ ...data.before, partner_id: 218 });
    expect(robolabsCallbackFor(data, ['partner_id', 'state'])).toEqual({
      object: 'account.invoice',
      operation: 'update',
      id: 4812,
      values: { partner_id: 218, state: 'draft' },
      previous_values: { partner_id: 215, state: 'draft' },
    });
  });

  it("changing one line's quantity recomputes its subtotal and the totals", () => {
    const data = updated(states.draft(), update({ invoice_lines: [{ id: 1, quantity: 50 }, { id: 2 }] }));
    expect(data.changedFields).toEqual(['invoice_lines', 'amount_untaxed', 'amount_tax', 'amount_total']);
    expect(data.before.invoice_lines[0]).toMatchObject({ id: 1, quantity: 42.5, price_subtotal: 1570.59 });
    // 50 × 38.9 × 0.95 = 1847.75; 1847.75 + 510 = 2357.75; 2357.75 × 21 % = 495.1275 → 495.13
    expect(data.after.invoice_lines[0]).toEqual({ ...data.before.invoice_lines[0], quantity: 50, price_subtotal: 1847.75 });
    expect(data.after.invoice_lines[1]).toEqual(data.before.invoice_lines[1]);
    expect(data.after).toMatchObject({ amount_untaxed: 2357.75, amount_tax: 495.13, amount_total: 2852.88 });
    expect(robolabsCallbackFor(data, ['invoice_lines'])?.values).toEqual({ invoice_lines: data.after.invoice_lines });
  });

  it('recomputes on changes of price, discount and taxes', () => {
    const data = updated(states.draft(), update({ invoice_lines: [{ id: 1, discount: 0, taxes: [pvm2] }, { id: 2, price_unit: 10 }] }));
    // 42.5 × 38.9 = 1653.25 at 9 %, 42.5 × 10 = 425 at 21 %: tax 148.7925 + 89.25 = 238.0425 → 238.04
    expect(data.after.invoice_lines.map((l) => l.price_subtotal)).toEqual([1653.25, 425]);
    expect(data.after).toMatchObject({ amount_untaxed: 2078.25, amount_tax: 238.04, amount_total: 2316.29 });
  });

  it('numbers new lines after the highest line id the invoice ever had, and never reuses a removed id', () => {
    const { state, events } = run(invoiceDecider, [
      create(),
      update({ invoice_lines: [{ id: 1 }, { id: 2 }, { name: 'Grindjuostės', quantity: 10, price_unit: 4.5, taxes: [pvm1] }] }),
      update({ invoice_lines: [{ id: 1 }, { id: 2 }] }),
      update({ invoice_lines: [{ name: 'Klijai', quantity: 3, price_unit: 9.99 }, { id: 2 }] }),
    ]);
    expect(events.map((e) => (e.data.after as InvoiceRecord).invoice_lines.map((l) => l.id))).toEqual([[1, 2], [1, 2, 3], [1, 2], [4, 2]]);
    expect(state.lastLineId).toBe(4);
    expect(record(state).amount_untaxed).toBe(29.97 + 510);
  });

  it('removes the lines a patch leaves out, and keeps their order as given', () => {
    const removed = updated(states.draft(), update({ invoice_lines: [{ id: 2 }] }));
    expect(removed.after.invoice_lines.map((l) => l.id)).toEqual([2]);
    expect(removed.after).toMatchObject({ amount_untaxed: 510, amount_tax: 107.1, amount_total: 617.1 });
    const reordered = updated(states.draft(), update({ invoice_lines: [{ id: 2 }, { id: 1 }] }));
    expect(reordered.changedFields).toEqual(['invoice_lines']);
    const emptied = updated(states.draft(), update({ invoice_lines: [] }));
    expect(emptied.after).toMatchObject({ invoice_lines: [], amount_untaxed: 0, amount_tax: 0, amount_total: 0 });
  });

  it('refuses an unknown or repeated line id, and a new line without its required fields', () => {
    const unknown = refusal(invoiceDecider, states.draft(), update({ invoice_lines: [{ id: 1 }, { id: 3, quantity: 1 }] }));
    expect(unknown.code).toBe('invalid');
    expect(unknown.details.issues).toEqual([{ path: 'invoice_lines.1.id', rule: 'unknown_line', message: 'invoice 4812 has no line 3' }]);
    const twice = refusal(invoiceDecider, states.draft(), update({ invoice_lines: [{ id: 1 }, { id: 1, quantity: 1 }] }));
    expect(twice.details.issues).toEqual([{ path: 'invoice_lines.1.id', rule: 'duplicate_line', message: 'line 1 is listed twice' }]);
    const incomplete = refusal(invoiceDecider, states.draft(), update({ invoice_lines: [{ quantity: 1 }] } as never));
    expect(incomplete.code).toBe('invalid');
    const withSubtotal = refusal(invoiceDecider, states.draft(), update({ invoice_lines: [{ id: 1, price_subtotal: 1 }] } as never));
    expect(withSubtotal.code).toBe('invalid');
  });

  it('never lets the client set amounts, state, number or id', () => {
    for (const patch of [{ amount_total: 1 }, { amount_tax: 0 }, { state: 'paid' }, { number: 'INV/1' }, { id: 5 }]) {
      const error = refusal(invoiceDecider, states.draft(), update(patch as never));
      expect(error.code).toBe('invalid');
      expect(error.details.issues).toEqual([expect.objectContaining({ rule: 'unrecognized_keys' })]);
    }
  });

  it('changes several draft fields at once, listing each', () => {
    const data = updated(
      states.draft(),
      update({ date_invoice: '2026-02-20', date_due: '2026-03-20', currency: 'USD', type: 'in_invoice', comment: null }),
    );
    expect(data.changedFields).toEqual(['date_invoice', 'date_due', 'currency', 'type', 'comment']);
    expect(updated(states.draft(), update({ date_invoice: null, date_due: null })).changedFields).toEqual(['date_invoice', 'date_due']);
  });

  it('refuses a due date before the invoice date, whichever of the two changes', () => {
    expect(refusal(invoiceDecider, states.draft(), update({ date_due: '2026-01-01' })).details.issues).toEqual([
      expect.objectContaining({ path: 'date_due', rule: 'date_order' }),
    ]);
    expect(refusal(invoiceDecider, states.draft(), update({ date_invoice: '2026-04-01' })).code).toBe('invalid');
  });

  it('emits nothing when nothing changes', () => {
    for (const patch of [
      {},
      { partner_id: 215 },
      { comment: 'Apmokėti pagal sutartį Nr. 2026/014.' },
      { invoice_lines: [{ id: 1 }, { id: 2 }] },
      { invoice_lines: [{ id: 1, quantity: 42.5, taxes: [pvm1] }, { id: 2, discount: 0 }] },
      { date_invoice: undefined },
    ]) {
      expect(decideChecked(invoiceDecider, states.draft(), update(patch)), JSON.stringify(patch)).toEqual([]);
    }
    // nothing changes on a paid invoice either: no event rather than a refusal
    expect(decideChecked(invoiceDecider, states.paid(), update({ partner_id: 215, invoice_lines: [{ id: 1 }, { id: 2 }] }))).toEqual([]);
  });

  it('lets only the comment change once the invoice is validated, paid or cancelled', () => {
    for (const name of ['open', 'paid', 'cancel'] as const) {
      const data = updated(states[name](), update({ comment: 'Apmokėta grynaisiais.' }));
      expect(data.changedFields, name).toEqual(['comment']);
      expect(data.after.state).toBe(name);
    }
  });

  it('refuses to edit the lines of a paid invoice (409), naming the locked fields', () => {
    const error = refusal(invoiceDecider, states.paid(), update({ invoice_lines: [{ id: 1, quantity: 50 }, { id: 2 }] }));
    expect(error.code).toBe('illegal_transition');
    expect(statusOf(error)).toBe(409);
    expect(error.details).toEqual({ state: 'paid', allowed: ['update'], fields: ['invoice_lines'], editable: ['comment'] });
    expect(error.message).toBe(
      'Invoice 4812 is paid: only comment may change, not invoice_lines; to correct it, cancel it and reset it to draft',
    );
  });

  it('refuses partner, date, currency and type changes on posted invoices', () => {
    const patches = [{ partner_id: 218 }, { date_due: '2026-04-01' }, { date_invoice: null }, { currency: 'USD' }, { type: 'in_invoice' as const }];
    for (const name of ['open', 'paid', 'cancel'] as const) {
      for (const patch of patches) {
        const error = refusal(invoiceDecider, states[name](), update(patch));
        expect(error.code, `${name} ${JSON.stringify(patch)}`).toBe('illegal_transition');
        expect(error.details).toMatchObject({ state: name, fields: Object.keys(patch), allowed: allowedInvoiceCommands(states[name]()) });
      }
    }
    // a comment change together with a locked field is refused as a whole
    expect(refusal(invoiceDecider, states.open(), update({ comment: 'x', partner_id: 218 })).details).toMatchObject({ fields: ['partner_id'] });
  });
});

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
    expect(updated(states.draft(), cancel)).toMatchObject({ changedFields: ['state'], after: { state: 'cancel', number: null } });
    expect(updated(states.open(), cancel)).toMatchObject({ changedFields: ['state'], after: { state: 'cancel', number: 'INV/2026/0007' } });
  });

  it('cancel → draft clears the number; validating again assigns one', () => {
    const data = updated(states.cancel(), resetToDraft);
    expect(data.changedFields).toEqual(['number', 'state']);
    expect(data.after).toMatchObject({ state: 'draft', number: null });
    expect(updated(given(create(), cancel), resetToDraft).changedFields).toEqual(['state']);
    const { state, events } = run(invoiceDecider, [create(), validate(), cancel, resetToDraft, update({ partner_id: 218 }), validate('INV/2026/0009'), pay]);
    expect(events.map((e) => (e.data as { changedFields?: string[] }).changedFields ?? e.type)).toEqual([
      'accounting.invoice.created',
      ['number', 'state'],
      ['state'],
      ['number', 'state'],
      ['partner_id'],
      ['number', 'state'],
      ['state'],
    ]);
    expect(record(state)).toMatchObject({ state: 'paid', number: 'INV/2026/0009', partner_id: 218 });
  });

  it('validation requires at least one line, date_invoice and date_due (the due date is not defaulted)', () => {
    const bare = given(create({ partner_id: 7 }, 1));
    const error = refusal(invoiceDecider, bare, validate());
    expect(error.code).toBe('invalid');
    expect(statusOf(error)).toBe(400);
    expect(error.message).toBe('Invoice 1 cannot be validated');
    expect(error.details.issues).toEqual([
      { path: 'invoice_lines', rule: 'required', message: 'an invoice needs at least one line to be validated' },
      { path: 'date_invoice', rule: 'required', message: 'an invoice needs date_invoice to be validated' },
      { path: 'date_due', rule: 'required', message: 'an invoice needs date_due to be validated' },
    ]);
    const noDueDate = given(create({ ...draftInput, date_due: null }));
    expect(refusal(invoiceDecider, noDueDate, validate()).details.issues).toEqual([expect.objectContaining({ path: 'date_due', rule: 'required' })]);
  });

  it('validation requires a number', () => {
    for (const number of ['', '   ', 'x'.repeat(65)]) {
      const error = refusal(invoiceDecider, states.draft(), validate(number));
      expect(error.code).toBe('invalid');
      expect(error.details.issues).toEqual([expect.objectContaining({ path: 'number' })]);
    }
  });

  it('refuses paying a draft (validate it first) with 409 and the allowed commands', () => {
    const error = refusal(invoiceDecider, states.draft(), pay);
    expect(error.code).toBe('illegal_transition');
    expect(statusOf(error)).toBe(409);
    expect(error.message).toBe('Cannot register a payment on invoice 4812: it is a draft; validate it first');
    expect(error.details).toEqual({ state: 'draft', allowed: ['update', 'validate', 'cancel', 'delete'] });
  });

  it('refuses paying a cancelled invoice', () => {
    const error = refusal(invoiceDecider, states.cancel(), pay);
    expect(error.code).toBe('illegal_transition');
    expect(error.message).toBe('Cannot register a payment on invoice 4812: it is cancelled; a cancelled invoice cannot be paid');
    expect(error.details).toEqual({ state: 'cancel', allowed: ['update', 'reset_to_draft', 'delete'] });
  });

  it('refuses deleting an open invoice (cancel it first) and a paid one', () => {
    const open = refusal(invoiceDecider, states.open(), remove);
    expect(open.code).toBe('illegal_transition');
    expect(open.message).toBe('Cannot delete invoice 4812: it is open (validated); cancel it first');
    expect(open.details).toEqual({ state: 'open', allowed: ['update', 'register_payment', 'cancel'] });
    const paid = refusal(invoiceDecider, states.paid(), remove);
    expect(paid.details).toEqual({ state: 'paid', allowed: ['update'] });
    expect(paid.message).toContain('a paid invoice cannot be deleted');
  });

  it('refuses cancelling a paid invoice, validating twice, paying twice and resetting a non-cancelled invoice', () => {
    expect(refusal(invoiceDecider, states.paid(), cancel).message).toBe('Cannot cancel invoice 4812: it is paid; a paid invoice cannot be cancelled');
    expect(refusal(invoiceDecider, states.open(), validate()).details).toEqual({ state: 'open', allowed: ['update', 'register_payment', 'cancel'] });
    expect(refusal(invoiceDecider, states.paid(), pay).code).toBe('illegal_transition');
    expect(refusal(invoiceDecider, states.cancel(), cancel).code).toBe('illegal_transition');
    for (const name of ['draft', 'open', 'paid'] as const) {
      expect(refusal(invoiceDecider, states[name](), resetToDraft).details, name).toMatchObject({ state: name });
    }
  });

  it('deletes a draft or a cancelled invoice, with its last snapshot', () => {
    for (const name of ['draft', 'cancel'] as const) {
      const state = states[name]();
      const event = decideOne(state, remove);
      expect(event).toEqual({
        type: 'accounting.invoice.deleted',
        data: { object: 'account.invoice', operation: 'delete', id: 4812, before: record(state), after: null },
      });
    }
  });
});

describe('missing invoices', () => {
  const others = (number?: string): InvoiceCommand[] => [update({ comment: 'x' }), validate(number), pay, cancel, resetToDraft, remove];

  it('answers not_found (404) to every command but create on an invoice never created', () => {
    for (const command of others()) {
      const error = refusal(invoiceDecider, states.none(), command);
      expect(error.code, command.type).toBe('not_found');
      expect(statusOf(error)).toBe(404);
      expect(error.message).toBe('No such invoice');
    }
  });

  it('answers not_found to every command but create on a deleted invoice', () => {
    for (const command of others()) {
      const error = refusal(invoiceDecider, states.deleted(), command);
      expect(error.code, command.type).toBe('not_found');
      expect(error.message).toBe('Invoice 4812 was deleted');
      expect(error.details).toEqual({ state: 'deleted', id: 4812 });
    }
  });

  it('refuses an unknown command', () => {
    expect(refusal(invoiceDecider, states.draft(), { type: 'post' } as never).message).toBe('Unknown invoice command "post"');
  });

  it('checks existence before the input', () => {
    expect(refusal(invoiceDecider, states.none(), update({ amount_total: 1 } as never)).code).toBe('not_found');
    expect(refusal(invoiceDecider, states.deleted(), validate('')).code).toBe('not_found');
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

  const cases = (Object.keys(states) as StateName[]).flatMap((name) => invoiceCommandTypes.map((type) => [name, type] as const));

  it.each(cases)('%s + %s', (name, type) => {
    const state = states[name]();
    expect(allowedInvoiceCommands(state)).toEqual(expectedAllowed[name]);
    if (expectedAllowed[name].includes(type)) {
      const event = decideOne(state, sample[type]);
      const after = invoiceDecider.evolve(state, event);
      const afterName = after.status === 'exists' ? after.record.state : after.status;
      expect(afterName).toBe(resulting[`${name}:${type}`] ?? name);
      return;
    }
    const error = refusal(invoiceDecider, state, sample[type]);
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
    const { state, events } = run(invoiceDecider, [
      create(),
      update({ invoice_lines: [{ id: 1 }] }),
      validate(),
      pay,
      update({ comment: 'Apmokėta.' }),
    ]);
    expect(events.map((e) => e.type)).toEqual([
      'accounting.invoice.created',
      'accounting.invoice.updated',
      'accounting.invoice.updated',
      'accounting.invoice.updated',
      'accounting.invoice.updated',
    ]);
    expect(state).toEqual({ status: 'exists', record: expect.objectContaining({ state: 'paid', comment: 'Apmokėta.' }), lastLineId: 2 });
    const deleted = run(invoiceDecider, [create(), remove]).state;
    expect(deleted).toEqual({ status: 'deleted', record: expect.objectContaining({ id: 4812 }), lastLineId: 2 });
  });

  it('emits snapshots that pass invoiceRecord.parse, whose amounts are the sums of the lines', () => {
    const { events } = run(invoiceDecider, [
      create({
        partner_id: 3,
        invoice_lines: [
          { name: 'A', quantity: 3, price_unit: 0.335, taxes: [pvm1] },
          { name: 'B', quantity: 7, price_unit: 1.005, discount: 12.5, taxes: [pvm2] },
          { name: 'C', quantity: 0.333, price_unit: 3, taxes: [pvm1, pvm2] },
        ],
      }),
    ]);
    const after = events[0]!.data.after as InvoiceRecord;
    expect(invoiceRecord.parse(after)).toEqual(after);
    // 1.005 → 1.01; 6.155625 → 6.16; 0.999 → 1
    expect(after.invoice_lines.map((l) => l.price_subtotal)).toEqual([1.01, 6.16, 1]);
    // tax = 1.01 × 21 % + 6.16 × 9 % + 1 × 30 % = 0.2121 + 0.5544 + 0.3 = 1.0665 → 1.07
    expect(after).toMatchObject({ amount_untaxed: 8.17, amount_tax: 1.07, amount_total: 9.24 });
  });
});
