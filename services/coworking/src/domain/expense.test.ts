import { expenseReceiptConfirmedData } from '@hookline/events';
import { describe, expect, it } from 'vitest';
import { answer, clock, energyBillInput, example, givenExpense, publishedTypes } from './conexa.fixtures.js';

describe('expense (despesa)', () => {
  it('registering an expense publishes nothing; confirming its receipt publishes receipt_confirmed with the record, status received', () => {
    const at = clock();
    const recorded = givenExpense().when(at(energyBillInput));
    expect(publishedTypes(recorded.events)).toEqual([]);
    expect(recorded.state.status).toBe('unpaid');
    const confirmed = recorded.when(at({ type: 'confirm_expense_receipt' }));
    const [event] = confirmed.events;
    expect(event?.type).toBe('coworking.expense.receipt_confirmed');
    // The catalog's example as this decider makes it: status set by the confirmation, dates from the clock.
    expect(expenseReceiptConfirmedData.parse(event?.data)).toEqual({
      ...example('coworking.expense.receipt_confirmed'),
      status: 'received',
      documentCreatedAt: '2026-11-23',
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
