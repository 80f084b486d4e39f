// Invoice amounts: line subtotals and invoice totals, always computed here and never taken from a client.
//
// Rounding rule (Odoo's "round globally", per invoice):
//   price_subtotal = round2(quantity × price_unit × (1 − discount / 100))          one rounding per line
//   amount_untaxed = Σ price_subtotal                                               exact sum of cents
//   amount_tax     = round2(Σ over lines of price_subtotal × (Σ line tax rates) / 100)   ONE rounding per invoice
//   amount_total   = amount_untaxed + amount_tax
// Tax is computed from the rounded line subtotals and rounded once for the whole invoice, not line by line:
// two 0.50 € lines at 21 % give 0.21 € of tax (0.105 + 0.105 = 0.21), where rounding per line would give
// 0.22 €. round2 (@hookline/events) rounds half away from zero, after removing binary noise (1.005 → 1.01, not 1.00).
import { round2, type InvoiceLine } from '@hookline/events';

/** Line amount without tax, after discount, rounded to cents. */
export function lineSubtotal(line: Pick<InvoiceLine, 'quantity' | 'price_unit' | 'discount'>): number {
  return round2(line.quantity * line.price_unit * (1 - line.discount / 100));
}

/** The sum of the rates (percent) of a line's taxes. */
export function lineTaxRate(line: Pick<InvoiceLine, 'taxes'>): number {
  return line.taxes.reduce((sum, tax) => sum + tax.amount, 0);
}

export interface InvoiceTotals {
  amount_untaxed: number;
  amount_tax: number;
  amount_total: number;
}

/** Totals of lines whose `price_subtotal` is already computed (see the rounding rule at the top). */
export function invoiceTotals(lines: readonly Pick<InvoiceLine, 'price_subtotal' | 'taxes'>[]): InvoiceTotals {
  const amount_untaxed = round2(lines.reduce((sum, line) => sum + line.price_subtotal, 0));
  const amount_tax = round2(lines.reduce((sum, line) => sum + (line.price_subtotal * lineTaxRate(line)) / 100, 0));
  return { amount_untaxed, amount_tax, amount_total: round2(amount_untaxed + amount_tax) };
}

/** A line with its `price_subtotal` (re)computed; the key order is the catalog's. */
export function withSubtotal(line: Omit<InvoiceLine, 'price_subtotal'>): InvoiceLine {
  return {
    id: line.id,
    product_id: line.product_id,
    name: line.name,
    quantity: line.quantity,
    price_unit: line.price_unit,
    discount: line.discount,
    taxes: line.taxes,
    price_subtotal: lineSubtotal(line),
  };
}
