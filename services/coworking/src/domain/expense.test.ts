import { expenseReceiptConfirmedData } from '@hookline/events';
import { describe, expect, it } from 'vitest';
import { energyBillInput, expenseHarness, refusal, savassi } from './testing.js';

describe('expense (despesa)', () => {
  it('registering an expense publishes nothing; confirming its receipt publishes receipt_confirmed with the record, status received', () => {
    const h = expenseHarness();
    expect(h.run(energyBillInput)).toEqual([]);
    expect(h.state.status).toBe('unpaid');
    const [event] = h.run({ type: 'confirm_expense_receipt' });
    expect(event?.type).toBe('coworking.expense.receipt_confirmed');
    expect(expenseReceiptConfirmedData.parse(event?.data)).toEqual({
      billId: 8811,
      amount: 2380.5,
      dueDate: '2026-12-05',
      status: 'received',
      description: 'Conta de energia elétrica - novembro/2026',
      digitableLine: '83620000023 1 80500138000 5 00012345678 9 20261205000 1',
      documentNumber: '000487123',
      documentDate: '2026-11-20',
      documentCreatedAt: '2026-11-23',
      company: savassi,
      account: { id: 7, name: 'Banco do Brasil - CC 45120-3' },
      supplier: { id: 145, name: 'CEMIG Distribuição S.A.' },
      subcategory: { id: 22, name: 'Energia elétrica' },
      recurrentBill: { id: 31, name: 'Energia elétrica - Savassi' },
      createdAt: '2026-11-23T09:00:00-03:00',
    });
    expect(h.state.status).toBe('received');
  });

  it('a one-off expense has no fixed payment', () => {
    const h = expenseHarness();
    h.run({ ...energyBillInput, recurrentBillId: null, recurrentBill: null, digitableLine: null });
    const [event] = h.run({ type: 'confirm_expense_receipt' });
    expect(expenseReceiptConfirmedData.parse(event?.data)).toMatchObject({ recurrentBill: null, digitableLine: null });
  });

  it('the receipt is confirmed once (409); an unknown expense is 404; references must match (400)', () => {
    const h = expenseHarness();
    expect(refusal(h, { type: 'confirm_expense_receipt' })).toMatchObject({ code: 'not_found' });
    expect(refusal(h, { ...energyBillInput, supplierId: 146 })).toMatchObject({ code: 'invalid' });
    expect(refusal(h, { ...energyBillInput, recurrentBillId: null })).toMatchObject({ code: 'invalid' });
    h.run(energyBillInput);
    expect(refusal(h, energyBillInput)).toMatchObject({ code: 'illegal_transition' });
    h.run({ type: 'confirm_expense_receipt' });
    expect(refusal(h, { type: 'confirm_expense_receipt' })).toMatchObject({ code: 'illegal_transition', status: 409, details: { state: 'received' } });
  });
});
