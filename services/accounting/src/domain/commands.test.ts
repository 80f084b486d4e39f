import { undescribed } from '@hookline/testkit/schemas';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  emptyBody,
  invoiceCreateBody,
  invoicePatchBody,
  invoiceValidateBody,
  keptInvoiceLineBody,
  newInvoiceLineBody,
  partnerCreateBody,
  partnerPatchBody,
  productCreateBody,
  productPatchBody,
} from './commands.js';

const bodies = {
  partnerCreateBody,
  partnerPatchBody,
  productCreateBody,
  productPatchBody,
  invoiceCreateBody,
  invoicePatchBody,
  invoiceValidateBody,
  newInvoiceLineBody,
  keptInvoiceLineBody,
  emptyBody,
};

describe('command bodies', () => {
  it.each(Object.entries(bodies))('%s converts to JSON Schema with every field described', (_name, schema) => {
    for (const io of ['input', 'output'] as const) {
      const json = z.toJSONSchema(schema, { io, unrepresentable: 'any' });
      expect(json.description).toBeTruthy();
      expect(undescribed(json)).toEqual([]);
    }
  });

  it('are strict: amounts, subtotals, state and number are not input', () => {
    expect(invoiceCreateBody.safeParse({ partner_id: 1, amount_total: 0 }).success).toBe(false);
    expect(invoicePatchBody.safeParse({ state: 'paid' }).success).toBe(false);
    expect(invoicePatchBody.safeParse({ number: 'INV/1' }).success).toBe(false);
    expect(newInvoiceLineBody.safeParse({ name: 'A', quantity: 1, price_unit: 1, price_subtotal: 1 }).success).toBe(
      false,
    );
    expect(keptInvoiceLineBody.safeParse({ id: 1, price_subtotal: 1 }).success).toBe(false);
    expect(emptyBody.safeParse({ amount: 1 }).success).toBe(false);
  });

  it('patches fill no defaults (an omitted field keeps its value)', () => {
    expect(partnerPatchBody.parse({})).toEqual({});
    expect(productPatchBody.parse({})).toEqual({});
    expect(invoicePatchBody.parse({ invoice_lines: [{ id: 1 }] })).toEqual({ invoice_lines: [{ id: 1 }] });
  });

  it('tells a kept line (with id) from a new one (without)', () => {
    const parsed = invoicePatchBody.parse({
      invoice_lines: [
        { id: 4, quantity: 2 },
        { name: 'Nauja', quantity: 1, price_unit: 5 },
      ],
    });
    expect(parsed.invoice_lines).toEqual([
      { id: 4, quantity: 2 },
      { product_id: null, name: 'Nauja', quantity: 1, price_unit: 5, discount: 0, taxes: [] },
    ]);
    expect(invoicePatchBody.safeParse({ invoice_lines: [{ quantity: 2 }] }).success).toBe(false);
  });

  it('creates fill defaults', () => {
    expect(invoiceCreateBody.parse({ partner_id: 3 })).toEqual({
      partner_id: 3,
      invoice_lines: [],
      date_invoice: null,
      date_due: null,
      currency: 'EUR',
      type: 'out_invoice',
      comment: null,
    });
    const first = productCreateBody.parse({ name: 'A' });
    const second = productCreateBody.parse({ name: 'B' });
    expect(first.taxes).not.toBe(second.taxes);
  });

  it('trims the invoice number', () => {
    expect(invoiceValidateBody.parse({ number: ' INV/2026/0007 ' })).toEqual({ number: 'INV/2026/0007' });
  });
});
