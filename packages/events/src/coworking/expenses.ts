import { z } from 'zod';
import { money, ymdDate } from '../common.js';
import { defineEvent } from '../define.js';
import { coworkingAccount, coworkingCompany, expenseSubcategory, expenseSupplier, recurrentBill } from './objects.js';
import { conexaDateTime, entityId } from './primitives.js';

/** Expense status: unpaid (Aberta), cancelled (Cancelada), paid (Quitada), received (Recebida), excluded (Excluída). */
export const expenseStatus = z
  .enum(['unpaid', 'cancelled', 'paid', 'received', 'excluded'])
  .describe('Expense status: unpaid (open), cancelled, paid (settled), received or excluded (deleted)');

/** Payload of `coworking.expense.receipt_confirmed` (Confirmação de Recebimento). */
export const expenseReceiptConfirmedData = z.object({
  billId: entityId.describe('Expense ID'),
  amount: money.describe('Expense amount'),
  dueDate: ymdDate.describe('Due date, Y-m-d'),
  status: expenseStatus,
  description: z.string().describe('Description'),
  // Only an expense paid by boleto has a digitable line.
  digitableLine: z.string().min(1).nullable().describe('Bank slip digitable line; null when the expense has no boleto'),
  documentNumber: z.string().describe('Document number'),
  documentDate: ymdDate.describe('Document date, Y-m-d'),
  documentCreatedAt: ymdDate.describe('Date the document was registered, Y-m-d'),
  company: coworkingCompany.describe('The unit the expense belongs to'),
  account: coworkingAccount.describe('The account the expense is paid from'),
  supplier: expenseSupplier,
  subcategory: expenseSubcategory,
  // Only an expense generated from a fixed (recurring) payment has one.
  recurrentBill: recurrentBill.nullable(),
  createdAt: conexaDateTime.describe(
    'Date the expense was created, Y-m-d\\TH:i:sP (whole seconds, the offset of the unit)',
  ),
});

export const expenseReceiptConfirmed = defineEvent({
  type: 'coworking.expense.receipt_confirmed',
  domain: 'coworking',
  description: 'Fires when a user confirms that an expense (a bill to pay) has been received.',
  sourceName: 'Confirmação de Recebimento',
  initiator: 'user',
  data: expenseReceiptConfirmedData,
  example: {
    billId: 8811,
    amount: 2380.5,
    dueDate: '2026-12-05',
    status: 'received',
    description: 'Conta de energia elétrica - novembro/2026',
    digitableLine: '83620000023 1 80500138000 5 00012345678 9 20261205000 1',
    documentNumber: '000487123',
    documentDate: '2026-11-20',
    documentCreatedAt: '2026-11-23',
    company: { id: 3, name: 'Conexa Coworking Savassi' },
    account: { id: 7, name: 'Banco do Brasil - CC 45120-3' },
    supplier: { id: 145, name: 'CEMIG Distribuição S.A.' },
    subcategory: { id: 22, name: 'Energia elétrica' },
    recurrentBill: { id: 31, name: 'Energia elétrica - Savassi' },
    createdAt: '2026-11-23T16:42:08-03:00',
  },
});

export const expenseEvents = [expenseReceiptConfirmed] as const;
