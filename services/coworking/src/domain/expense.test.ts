import { expenseReceiptConfirmedData } from '@hookline/events';
import { describe, expect, it } from 'vitest';
import { answer, clock, energyBillInput, givenExpense, publishedTypes, savassi } from './conexa.fixtures.js';

describe('expense (despesa)', () => {
  it('registering an expense publishes nothing; confirming its receipt publishes receipt_confirmed with the record, status received', () => {
    const at = clock();
    const recorded = givenExpense().when(at(energyBillInput));
    expect(publishedTypes(recorded.events)).toEqual([]);
    expect(recorded.state.status).toBe('unpaid');
    const confirmed = recorded.when(at({ type: 'confirm_expense_receipt' }));
    const [event] = confirmed.events;
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
    expect(confirmed.state.status).toBe('received');
  });

  it('a one-off expense has no fixed payment', () => {
    const at = clock();
    givenExpense()
      .when(at({ ...energyBillInput, recurrentBillId: null, recurrentBill: null, digitableLine: null }))
      .when(at({ type: 'confirm_expense_receipt' }))
      .then(([event]) =>
        expect(expenseReceiptConfirmedData.parse(event?.data)).toMatchObject({
          recurrentBill: null,
          digitableLine: null,
        }),
      );
  });

  it('the receipt is confirmed once (409); an unknown expense is 404; references must match (400)', () => {
    const at = clock();
    expect(
      answer(
        givenExpense()
          .when(at({ type: 'confirm_expense_receipt' }))
          .thenThrows(),
      ),
    ).toMatchObject({ code: 'not_found' });
    expect(
      answer(
        givenExpense()
          .when(at({ ...energyBillInput, supplierId: 146 }))
          .thenThrows(),
      ),
    ).toMatchObject({ code: 'invalid' });
    expect(
      answer(
        givenExpense()
          .when(at({ ...energyBillInput, recurrentBillId: null }))
          .thenThrows(),
      ),
    ).toMatchObject({ code: 'invalid' });
    const recorded = givenExpense().when(at(energyBillInput));
    expect(answer(recorded.when(at(energyBillInput)).thenThrows())).toMatchObject({ code: 'illegal_transition' });
    const confirmed = recorded.when(at({ type: 'confirm_expense_receipt' }));
    expect(answer(confirmed.when(at({ type: 'confirm_expense_receipt' })).thenThrows())).toMatchObject({
      code: 'illegal_transition',
      status: 409,
      details: { state: 'received' },
    });
  });
});
