import { describe, expect, it } from 'vitest';
import { invoiceTotals, lineSubtotal, lineTaxRate, withSubtotal } from './amounts.js';

const pvm1 = { id: 1, name: 'PVM1', amount: 21 };
const pvm2 = { id: 2, name: 'PVM2', amount: 9 };

describe('line amounts', () => {
  it('price_subtotal = round2(quantity × price_unit × (1 − discount / 100))', () => {
    expect(lineSubtotal({ quantity: 42.5, price_unit: 38.9, discount: 5 })).toBe(1570.59);
    expect(lineSubtotal({ quantity: 3, price_unit: 0.335, discount: 0 })).toBe(1.01);
    expect(lineSubtotal({ quantity: 1, price_unit: 100, discount: 100 })).toBe(0);
    expect(lineSubtotal({ quantity: -2, price_unit: 10.005, discount: 0 })).toBe(-20.01);
  });

  it('sums the rates of a line’s taxes', () => {
    expect(lineTaxRate({ taxes: [] })).toBe(0);
    expect(lineTaxRate({ taxes: [pvm1, pvm2] })).toBe(30);
  });

  it('withSubtotal recomputes the subtotal in the catalog key order', () => {
    const line = withSubtotal({
      taxes: [pvm1],
      discount: 0,
      price_unit: 2.5,
      quantity: 4,
      name: 'X',
      product_id: null,
      id: 3,
    });
    expect(Object.keys(line)).toEqual([
      'id',
      'product_id',
      'name',
      'quantity',
      'price_unit',
      'discount',
      'taxes',
      'price_subtotal',
    ]);
    expect(line.price_subtotal).toBe(10);
  });
});

describe('invoice totals', () => {
  it('gives the catalog example', () => {
    const lines = [
      { price_subtotal: 1570.59, taxes: [pvm1] },
      { price_subtotal: 510, taxes: [pvm1] },
    ];
    expect(invoiceTotals(lines)).toEqual({ amount_untaxed: 2080.59, amount_tax: 436.92, amount_total: 2517.51 });
  });

  it('rounds the tax once per invoice, not per line', () => {
    // per line: 0.105 → 0.11, twice 0.22; per invoice: 0.21
    const lines = [
      { price_subtotal: 0.5, taxes: [pvm1] },
      { price_subtotal: 0.5, taxes: [pvm1] },
    ];
    expect(invoiceTotals(lines)).toEqual({ amount_untaxed: 1, amount_tax: 0.21, amount_total: 1.21 });
  });

  it('applies each line its own rates and sums cents without float noise', () => {
    const lines = [
      { price_subtotal: 100, taxes: [pvm1] },
      { price_subtotal: 100, taxes: [pvm2] },
      { price_subtotal: 50, taxes: [] },
      { price_subtotal: 0.1, taxes: [] },
      { price_subtotal: 0.2, taxes: [] },
    ];
    expect(invoiceTotals(lines)).toEqual({ amount_untaxed: 250.3, amount_tax: 30, amount_total: 280.3 });
    expect(invoiceTotals([])).toEqual({ amount_untaxed: 0, amount_tax: 0, amount_total: 0 });
  });
});
