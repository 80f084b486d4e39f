// The charge (cobrança) and expense (despesa) commands.
import {
  chargeGeneratedData,
  chargeSale,
  coworkingAccount,
  expenseReceiptConfirmedData,
  expenseSubcategory,
  expenseSupplier,
  recurrentBill,
  ymdDate,
} from '@hookline/events';
import { z } from 'zod';
import { id, money, optionalText, company, customerFilled, refresh, none, defineCommand } from './define.js';

// ---------------------------------------------------------------------------
// Charge (cobrança)
// ---------------------------------------------------------------------------

const charge = chargeGeneratedData.shape;

/** How a charge is settled: automatically (boleto, API, card, Pix, bank return file) or by a user ('manual'). */
export const settlementSource = z
  .enum(['boleto', 'api', 'card', 'pix', 'return_file', 'manual'])
  .describe(
    "How the charge was settled: 'boleto' (bank slip paid), 'api' (Conexa API), 'card' (card acquirer, e.g. Cielo), 'pix', 'return_file' (bank return file) — all automatic — or 'manual' (a user settles it in Conexa; no webhook).",
  );
export type SettlementSource = z.infer<typeof settlementSource>;

export const invoiceCharge = defineCommand(
  'invoice_charge',
  'charge',
  'A user invoices a charge (faturamento). With a boleto receiving method the charge waits for its bank slip (generate_boleto); with any other method ("Outros", Pix, card, …) it is generated at once.',
  {
    customerId: id('ID of the customer charged.'),
    accountId: id('ID of the financial account the charge is received into.'),
    receivingMethod: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .describe(
        'Receiving / invoicing method, e.g. "Boleto" or "Outros"; a method naming boleto waits for generate_boleto.',
      ),
    chargeType: charge.type.describe(
      "Charge type (the payload's `type`): loose (one-off), contractual, or returnableDeposit (returnable deposit).",
    ),
    sales: z
      .array(chargeSale)
      .min(1)
      .describe('The sales invoiced by the charge; rawAmount is the sum of their prices.'),
    discountAmount: money('Discount granted at invoicing; 0 by default.').default(0),
    hasISSRetention: z.boolean().default(false).describe('Whether ISS (service tax) is withheld; false by default.'),
    ISSAmount: money('Amount of ISS withheld; 0 by default, and 0 unless hasISSRetention.').default(0),
    installmentNumber: z
      .number()
      .int()
      .min(1)
      .default(1)
      .describe('Installment number of this charge; 1 (default) when not in installments.'),
    totalInstallmentsAmount: z
      .number()
      .int()
      .min(2)
      .nullable()
      .default(null)
      .describe('Number of installments the original charge was split into; null (default) when not in installments.'),
    dueDate: ymdDate.describe('Due date, Y-m-d.'),
    competenceDate: ymdDate.optional().describe('Competence (accrual) date, Y-m-d; omitted: the due date.'),
    notes: optionalText('Notes'),
    taxInvoiceNumber: z
      .string()
      .trim()
      .min(1)
      .nullable()
      .default(null)
      .describe('Tax invoice (nota fiscal) number; null (default) when none was issued.'),
    receiptCode: z
      .string()
      .trim()
      .min(1)
      .nullable()
      .default(null)
      .describe('Code of the rental receipt; null (default) when the charge has none.'),
  },
  {
    chargeId: id('ID of the new charge (server-generated).'),
    chargeUrl: charge.chargeUrl.describe('Invoice URL of the new charge (server-generated).'),
    company,
    customer: customerFilled,
    account: coworkingAccount.describe('The account named by accountId (server-filled).'),
    negotiatedFrom: z
      .number()
      .int()
      .positive()
      .nullable()
      .default(null)
      .describe(
        'ID of the charge whose negotiation generates this one (server-filled); its status is then generatedByNegotiation. Null by default.',
      ),
  },
);

export const generateBoleto = defineCommand(
  'generate_boleto',
  'charge',
  'The bank slip (boleto) of a boleto charge is generated, via the bank API or a remittance file: the charge is generated (coworking.charge.generated).',
  {
    via: z
      .enum(['api', 'remittance_file'])
      .describe("How the boleto was registered with the bank: 'api' or 'remittance_file' (arquivo de remessa)."),
    billetDigitableLine: z.string().trim().min(1).describe('Digitable line of the bank slip.'),
    billetUrl: charge.chargeUrl.describe('URL of the bank slip.'),
  },
  none,
);

export const settleCharge = defineCommand(
  'settle_charge',
  'charge',
  "The charge is settled (quitação). Automatic sources publish coworking.charge.settled; 'manual' (a user settles it) changes the state and publishes nothing. Neither publishes status_changed.",
  {
    source: settlementSource,
    paidAmount: money('Amount paid.'),
    paymentDate: ymdDate.describe('Settlement (payment) date, Y-m-d.'),
    paymentOperationDate: ymdDate
      .optional()
      .describe('Operation date of the settlement (bank credit), Y-m-d; omitted: the payment date.'),
    paymentDiscountAmount: money('Discount granted at settlement; 0 by default.').default(0),
    currentAmount: money(
      "Amount updated with interest and fines at settlement; omitted: the charge's current amount.",
    ).optional(),
  },
  refresh,
);

export const editCharge = defineCommand(
  'edit_charge',
  'charge',
  'A user edits an open charge (due date, discount): publishes coworking.charge.status_changed with the new values; no change, no event.',
  {
    dueDate: ymdDate.optional().describe('New due date, Y-m-d.'),
    discountAmount: money('New discount granted at invoicing; the amount is recomputed.').optional(),
  },
  refresh,
);

const reason = z
  .string()
  .trim()
  .min(1)
  .max(2000)
  .nullable()
  .default(null)
  .describe('Why, as the user tells it; null (default) when not given.');

export const negotiateCharge = defineCommand(
  'negotiate_charge',
  'charge',
  'A user negotiates an open charge (renegotiation): it becomes negotiated; the service invoices the new charges with negotiatedFrom.',
  { reason },
  refresh,
);

export const cancelCharge = defineCommand(
  'cancel_charge',
  'charge',
  'A user cancels an open charge.',
  { reason },
  refresh,
);

export const deleteCharge = defineCommand(
  'delete_charge',
  'charge',
  'A user deletes a charge that is not settled.',
  { reason },
  refresh,
);

export const sendReminder = defineCommand(
  'send_reminder',
  'charge',
  'The scheduler: a reminder rule (Regra de Aviso) is due for the charge. Publishes coworking.charge.reminder (with reminderRule) only while the charge is open, and once per rule: otherwise a no-op.',
  {
    ruleId: id('ID of the reminder rule (Settings → Automatic charge e-mails) that fired.'),
    currentAmount: money(
      "Amount updated with interest and fines today (the scheduler computes it); omitted: the charge's current amount.",
    ).optional(),
  },
  refresh,
);

// ---------------------------------------------------------------------------
// Expense (despesa)
// ---------------------------------------------------------------------------

const expense = expenseReceiptConfirmedData.shape;

export const recordExpense = defineCommand(
  'record_expense',
  'expense',
  'A user registers an expense (a bill to pay). Conexa publishes nothing for it; the expense waits for the confirmation of its receipt.',
  {
    accountId: id('ID of the account the expense is paid from.'),
    supplierId: id('ID of the supplier.'),
    subcategoryId: id('ID of the payment subcategory.'),
    recurrentBillId: z
      .number()
      .int()
      .positive()
      .nullable()
      .default(null)
      .describe('ID of the fixed (recurring) payment the expense comes from; null (default) for a one-off expense.'),
    amount: money('Expense amount.'),
    dueDate: ymdDate.describe('Due date, Y-m-d.'),
    description: z.string().max(5000).describe('Description.'),
    digitableLine: expense.digitableLine
      .default(null)
      .describe('Bank slip digitable line; null (default) when the expense has no boleto.'),
    documentNumber: z.string().max(200).describe('Document number (e.g. of the supplier invoice).'),
    documentDate: ymdDate.describe('Document date, Y-m-d.'),
  },
  {
    billId: id('ID of the new expense (server-generated).'),
    company,
    account: coworkingAccount.describe('The account named by accountId (server-filled).'),
    supplier: expenseSupplier.describe('The supplier named by supplierId (server-filled).'),
    subcategory: expenseSubcategory.describe('The subcategory named by subcategoryId (server-filled).'),
    recurrentBill: recurrentBill
      .nullable()
      .default(null)
      .describe('The fixed payment named by recurrentBillId (server-filled); null when none.'),
  },
);

export const confirmExpenseReceipt = defineCommand(
  'confirm_expense_receipt',
  'expense',
  'A user confirms that an open expense has been received (Confirmação de Recebimento): its status becomes received.',
  none,
  none,
);
