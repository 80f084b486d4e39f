import { findEventType, invoiceRecord, robolabsCallbackFor, type InvoiceRecord } from '@hookline/events';
import { statusOf } from '@hookline/http';
import { describe, expect, it } from 'vitest';
import { type InvoiceCommand, type InvoiceCreateInput } from './commands.js';
import { allowedInvoiceCommands } from './invoice.js';
import { after, givenInvoice, one, record } from './records.fixtures.js';
import { boards, pvm1, pvm2, draftInput, create, update, states, updated, created } from './invoice.fixtures.js';

describe('create', () => {
  it('creates a draft with the amounts of the catalog example, computed from the lines', () => {
    const event = one(states.none().when(create()));
    const example = findEventType('accounting.invoice.created')!.example as { after: InvoiceRecord };
    expect(event.type).toBe('accounting.invoice.created');
    expect(event.data).toEqual({
      object: 'account.invoice',
      operation: 'create',
      id: 4812,
      before: null,
      // the example's lines are 9931 and 9932; here the invoice numbers its own lines from 1
      after: {
        ...example.after,
        invoice_lines: example.after.invoice_lines.map((line, i) => ({ ...line, id: i + 1 })),
      },
    });
    const { after } = created(states.none(), create());
    expect(after).toMatchObject({
      state: 'draft',
      number: null,
      amount_untaxed: 2080.59,
      amount_tax: 436.92,
      amount_total: 2517.51,
    });
    expect(after.invoice_lines.map((l) => l.price_subtotal)).toEqual([1570.59, 510]);
    expect(Object.keys(after)).toEqual(Object.keys(invoiceRecord.shape));
  });

  it('fills defaults: EUR, a sales invoice, no lines, no dates, no comment', () => {
    const event = one(states.none().when(create({ partner_id: 7 }, 1)));
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
    const event = one(
      states
        .none()
        .when(create({ partner_id: 7, invoice_lines: [{ name: 'Konsultacija', quantity: 2, price_unit: 50 }] })),
    );
    expect(event.data.after?.invoice_lines).toEqual([
      {
        id: 1,
        product_id: null,
        name: 'Konsultacija',
        quantity: 2,
        price_unit: 50,
        discount: 0,
        taxes: [],
        price_subtotal: 100,
      },
    ]);
    expect(event.data.after).toMatchObject({ amount_untaxed: 100, amount_tax: 0, amount_total: 100 });
  });

  it('never takes amounts, subtotals, state, number or id from the client', () => {
    for (const extra of [
      { amount_total: 1 },
      { amount_untaxed: 1 },
      { amount_tax: 1 },
      { state: 'open' },
      { number: 'X/1' },
      { id: 9 },
    ]) {
      const error = states
        .none()
        .when(create({ ...draftInput, ...extra } as InvoiceCreateInput))
        .thenThrows();
      expect(error.code).toBe('invalid');
      expect(error.details.issues).toEqual([expect.objectContaining({ rule: 'unrecognized_keys' })]);
    }
    const withSubtotal = {
      ...draftInput,
      invoice_lines: [{ ...boards, price_subtotal: 1 }],
    } as unknown as InvoiceCreateInput;
    const error = states.none().when(create(withSubtotal)).thenThrows();
    expect(statusOf(error)).toBe(400);
    expect(error.details.issues).toEqual([
      expect.objectContaining({ path: 'invoice_lines.0', rule: 'unrecognized_keys' }),
    ]);
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
      const error = states.none().when(command).thenThrows();
      expect(error.code, path).toBe('invalid');
      expect((error.details.issues as Array<{ path: string }>).map((i) => i.path)).toContain(path);
    }
  });

  it('refuses a due date before the invoice date', () => {
    const error = states
      .none()
      .when(create({ ...draftInput, date_due: '2026-02-15' }))
      .thenThrows();
    expect(error.code).toBe('invalid');
    expect(error.details.issues).toEqual([
      { path: 'date_due', rule: 'date_order', message: 'date_due (2026-02-15) is before date_invoice (2026-02-16)' },
    ]);
    expect(states.none().when(create({ ...draftInput, date_due: '2026-02-16' })).events).toHaveLength(1);
  });

  it('refuses an invoice whose total would be negative (a credit note is another document)', () => {
    const error = states
      .none()
      .when(create({ partner_id: 7, invoice_lines: [{ name: 'Grąžinimas', quantity: -1, price_unit: 10 }] }))
      .thenThrows();
    expect(error.code).toBe('invalid');
    expect((error.details.issues as Array<{ path: string }>).map((i) => i.path)).toContain('amount_untaxed');
    // a negative line is fine while the invoice total is not negative
    const discountLine = { name: 'Nuolaida', quantity: 1, price_unit: -10 };
    const event = one(
      states
        .none()
        .when(create({ partner_id: 7, invoice_lines: [{ name: 'Prekė', quantity: 1, price_unit: 30 }, discountLine] })),
    );
    expect(event.data.after).toMatchObject({ amount_untaxed: 20 });
  });

  it('refuses to create an invoice that exists or existed (409)', () => {
    for (const name of ['draft', 'open', 'paid', 'cancel', 'deleted'] as const) {
      const error = states[name]().when(create()).thenThrows();
      expect(error.code, name).toBe('illegal_transition');
      expect(statusOf(error)).toBe(409);
      expect(error.details).toEqual({ state: name, allowed: allowedInvoiceCommands(states[name]().state) });
    }
    expect(states.draft().when(create()).thenThrows().message).toBe('Invoice 4812 already exists');
    expect(states.deleted().when(create()).thenThrows().message).toBe('Invoice 4812 was deleted; ids are not reused');
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
    expect(data.after.invoice_lines[0]).toEqual({
      ...data.before.invoice_lines[0],
      quantity: 50,
      price_subtotal: 1847.75,
    });
    expect(data.after.invoice_lines[1]).toEqual(data.before.invoice_lines[1]);
    expect(data.after).toMatchObject({ amount_untaxed: 2357.75, amount_tax: 495.13, amount_total: 2852.88 });
    expect(robolabsCallbackFor(data, ['invoice_lines'])?.values).toEqual({ invoice_lines: data.after.invoice_lines });
  });

  it('recomputes on changes of price, discount and taxes', () => {
    const data = updated(
      states.draft(),
      update({
        invoice_lines: [
          { id: 1, discount: 0, taxes: [pvm2] },
          { id: 2, price_unit: 10 },
        ],
      }),
    );
    // 42.5 × 38.9 = 1653.25 at 9 %, 42.5 × 10 = 425 at 21 %: tax 148.7925 + 89.25 = 238.0425 → 238.04
    expect(data.after.invoice_lines.map((l) => l.price_subtotal)).toEqual([1653.25, 425]);
    expect(data.after).toMatchObject({ amount_untaxed: 2078.25, amount_tax: 238.04, amount_total: 2316.29 });
  });

  it('numbers new lines after the highest line id the invoice ever had, and never reuses a removed id', () => {
    const invoice = after(
      givenInvoice(),
      create(),
      update({
        invoice_lines: [{ id: 1 }, { id: 2 }, { name: 'Grindjuostės', quantity: 10, price_unit: 4.5, taxes: [pvm1] }],
      }),
      update({ invoice_lines: [{ id: 1 }, { id: 2 }] }),
      update({ invoice_lines: [{ name: 'Klijai', quantity: 3, price_unit: 9.99 }, { id: 2 }] }),
    );
    expect(invoice.history.map((e) => (e.data.after as InvoiceRecord).invoice_lines.map((l) => l.id))).toEqual([
      [1, 2],
      [1, 2, 3],
      [1, 2],
      [4, 2],
    ]);
    expect(invoice.state.lastLineId).toBe(4);
    expect(record(invoice).amount_untaxed).toBe(29.97 + 510);
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
    const unknown = states
      .draft()
      .when(update({ invoice_lines: [{ id: 1 }, { id: 3, quantity: 1 }] }))
      .thenThrows();
    expect(unknown.code).toBe('invalid');
    expect(unknown.details.issues).toEqual([
      { path: 'invoice_lines.1.id', rule: 'unknown_line', message: 'invoice 4812 has no line 3' },
    ]);
    const twice = states
      .draft()
      .when(update({ invoice_lines: [{ id: 1 }, { id: 1, quantity: 1 }] }))
      .thenThrows();
    expect(twice.details.issues).toEqual([
      { path: 'invoice_lines.1.id', rule: 'duplicate_line', message: 'line 1 is listed twice' },
    ]);
    const incomplete = states
      .draft()
      .when(update({ invoice_lines: [{ quantity: 1 }] } as never))
      .thenThrows();
    expect(incomplete.code).toBe('invalid');
    const withSubtotal = states
      .draft()
      .when(update({ invoice_lines: [{ id: 1, price_subtotal: 1 }] } as never))
      .thenThrows();
    expect(withSubtotal.code).toBe('invalid');
  });

  it('never lets the client set amounts, state, number or id', () => {
    for (const patch of [{ amount_total: 1 }, { amount_tax: 0 }, { state: 'paid' }, { number: 'INV/1' }, { id: 5 }]) {
      const error = states
        .draft()
        .when(update(patch as never))
        .thenThrows();
      expect(error.code).toBe('invalid');
      expect(error.details.issues).toEqual([expect.objectContaining({ rule: 'unrecognized_keys' })]);
    }
  });

  it('changes several draft fields at once, listing each', () => {
    const data = updated(
      states.draft(),
      update({
        date_invoice: '2026-02-20',
        date_due: '2026-03-20',
        currency: 'USD',
        type: 'in_invoice',
        comment: null,
      }),
    );
    expect(data.changedFields).toEqual(['date_invoice', 'date_due', 'currency', 'type', 'comment']);
    expect(updated(states.draft(), update({ date_invoice: null, date_due: null })).changedFields).toEqual([
      'date_invoice',
      'date_due',
    ]);
  });

  it('refuses a due date before the invoice date, whichever of the two changes', () => {
    expect(
      states
        .draft()
        .when(update({ date_due: '2026-01-01' }))
        .thenThrows().details.issues,
    ).toEqual([expect.objectContaining({ path: 'date_due', rule: 'date_order' })]);
    expect(
      states
        .draft()
        .when(update({ date_invoice: '2026-04-01' }))
        .thenThrows().code,
    ).toBe('invalid');
  });

  it('emits nothing when nothing changes', () => {
    for (const patch of [
      {},
      { partner_id: 215 },
      { comment: 'Apmokėti pagal sutartį Nr. 2026/014.' },
      { invoice_lines: [{ id: 1 }, { id: 2 }] },
      {
        invoice_lines: [
          { id: 1, quantity: 42.5, taxes: [pvm1] },
          { id: 2, discount: 0 },
        ],
      },
      { date_invoice: undefined },
    ]) {
      expect(states.draft().when(update(patch)).events, JSON.stringify(patch)).toEqual([]);
    }
    // nothing changes on a paid invoice either: no event rather than a refusal
    expect(states.paid().when(update({ partner_id: 215, invoice_lines: [{ id: 1 }, { id: 2 }] })).events).toEqual([]);
  });

  it('lets only the comment change once the invoice is validated, paid or cancelled', () => {
    for (const name of ['open', 'paid', 'cancel'] as const) {
      const data = updated(states[name](), update({ comment: 'Apmokėta grynaisiais.' }));
      expect(data.changedFields, name).toEqual(['comment']);
      expect(data.after.state).toBe(name);
    }
  });

  it('refuses to edit the lines of a paid invoice (409), naming the locked fields', () => {
    const error = states
      .paid()
      .when(update({ invoice_lines: [{ id: 1, quantity: 50 }, { id: 2 }] }))
      .thenThrows();
    expect(error.code).toBe('illegal_transition');
    expect(statusOf(error)).toBe(409);
    expect(error.details).toEqual({
      state: 'paid',
      allowed: ['update'],
      fields: ['invoice_lines'],
      editable: ['comment'],
    });
    expect(error.message).toBe(
      'Invoice 4812 is paid: only comment may change, not invoice_lines; to correct it, cancel it and reset it to draft',
    );
  });

  it('refuses partner, date, currency and type changes on posted invoices', () => {
    const patches = [
      { partner_id: 218 },
      { date_due: '2026-04-01' },
      { date_invoice: null },
      { currency: 'USD' },
      { type: 'in_invoice' as const },
    ];
    for (const name of ['open', 'paid', 'cancel'] as const) {
      for (const patch of patches) {
        const error = states[name]().when(update(patch)).thenThrows();
        expect(error.code, `${name} ${JSON.stringify(patch)}`).toBe('illegal_transition');
        expect(error.details).toMatchObject({
          state: name,
          fields: Object.keys(patch),
          allowed: allowedInvoiceCommands(states[name]().state),
        });
      }
    }
    // a comment change together with a locked field is refused as a whole
    expect(
      states
        .open()
        .when(update({ comment: 'x', partner_id: 218 }))
        .thenThrows().details,
    ).toMatchObject({ fields: ['partner_id'] });
  });
});
