/**
 * Robolabs (ROBO) records, modelled on the Odoo models Robolabs is built on. Field names follow Odoo,
 * except where the Robolabs document names a field itself (`invoice_lines`, as in its sample) or a
 * receiver is better served by a plain value (`currency`, `country_code`: ISO codes instead of Odoo ids).
 */
import { z } from 'zod';
import { currency, money, ymdDate } from '../common.js';

/** Odoo record id. */
export const recordId = z.number().int().positive();

/** Tolerance when checking amounts rounded to cents. */
const CENT = 0.01 + 1e-9;

/** A tax (e.g. Lithuanian VAT "PVM1", 21%) applied to an invoice line or a product. */
export const tax = z
  .object({
    id: recordId.describe('Odoo id of the tax (account.tax).'),
    name: z.string().min(1).describe("Tax code as shown in Robolabs, e.g. 'PVM1' (standard 21% VAT)."),
    amount: z.number().min(0).max(100).describe('Tax rate in percent, e.g. 21.'),
  })
  .describe('A tax (account.tax).');
export type Tax = z.infer<typeof tax>;

/** One line of an invoice (account.invoice.line). */
export const invoiceLine = z
  .object({
    id: recordId.describe('Odoo id of the invoice line.'),
    product_id: recordId.nullable().describe('Id of the product (product.product); null for a line without a product.'),
    name: z.string().min(1).describe('Line description.'),
    quantity: z.number().describe('Quantity, in the product unit of measure.'),
    price_unit: z.number().describe('Unit price without tax, in the invoice currency.'),
    discount: z.number().min(0).max(100).describe('Discount in percent.'),
    taxes: z.array(tax).describe('Taxes applied to the line.'),
    price_subtotal: z.number().describe('Line amount without tax, after discount.'),
  })
  .describe('An invoice line (account.invoice.line).');
export type InvoiceLine = z.infer<typeof invoiceLine>;

export const invoiceStates = ['draft', 'open', 'paid', 'cancel'] as const;
export const invoiceTypes = ['out_invoice', 'in_invoice'] as const;

/** Fields of an invoice (account.invoice) a callback may select; every field of the record but `id`. */
export const invoiceFields = [
  'number',
  'partner_id',
  'invoice_lines',
  'state',
  'date_invoice',
  'date_due',
  'currency',
  'amount_untaxed',
  'amount_tax',
  'amount_total',
  'type',
  'comment',
] as const;

/** An invoice (Sąskaita faktūra, account.invoice). */
export const invoiceRecord = z
  .object({
    id: recordId.describe('Odoo id of the invoice.'),
    number: z
      .string()
      .min(1)
      .nullable()
      .describe('Invoice number; null while the invoice is a draft (Odoo numbers it on validation).'),
    partner_id: recordId.describe(
      'Id of the partner (res.partner): the buyer of a sales invoice, the supplier of a purchase invoice.',
    ),
    invoice_lines: z.array(invoiceLine).describe('Invoice lines.'),
    state: z
      .enum(invoiceStates)
      .describe("Invoice state: 'draft', 'open' (validated, unpaid), 'paid' or 'cancel' (cancelled)."),
    date_invoice: ymdDate.nullable().describe('Invoice date (Y-m-d); null while a draft has none.'),
    date_due: ymdDate.nullable().describe('Due date (Y-m-d); null while a draft has none.'),
    currency: currency.describe('Invoice currency (ISO 4217 code of Odoo currency_id).'),
    amount_untaxed: money.describe('Total without tax.'),
    amount_tax: money.describe('Total tax.'),
    amount_total: money.describe('Total with tax.'),
    type: z
      .enum(invoiceTypes)
      .describe("'out_invoice' for a sales invoice, 'in_invoice' for a purchase (supplier) invoice."),
    comment: z.string().nullable().describe('Additional information printed on the invoice; null when empty.'),
  })
  .superRefine((inv, ctx) => {
    const lines = inv.invoice_lines.reduce((sum, line) => sum + line.price_subtotal, 0);
    if (Math.abs(lines - inv.amount_untaxed) > CENT) {
      ctx.addIssue({
        code: 'custom',
        path: ['amount_untaxed'],
        message: 'amount_untaxed must be the sum of the lines price_subtotal',
      });
    }
    if (Math.abs(inv.amount_untaxed + inv.amount_tax - inv.amount_total) > CENT) {
      ctx.addIssue({
        code: 'custom',
        path: ['amount_total'],
        message: 'amount_total must be amount_untaxed + amount_tax',
      });
    }
  })
  .describe('An invoice (Sąskaita faktūra, account.invoice).');
export type InvoiceRecord = z.infer<typeof invoiceRecord>;

/** Fields of a partner (res.partner) a callback may select. */
export const partnerFields = [
  'name',
  'is_company',
  'vat',
  'email',
  'phone',
  'street',
  'city',
  'zip',
  'country_code',
  'active',
] as const;

/** A partner (Partneris, res.partner): a customer or a supplier, company or person. */
export const partnerRecord = z
  .object({
    id: recordId.describe('Odoo id of the partner.'),
    name: z.string().min(1).describe('Company or person name.'),
    is_company: z.boolean().describe('True for a company, false for a person.'),
    vat: z
      .string()
      .min(1)
      .nullable()
      .describe("VAT payer code (PVM mokėtojo kodas), e.g. 'LT100004567812'; null when not a VAT payer."),
    email: z.email().nullable().describe('E-mail address; null when unknown.'),
    phone: z.string().min(1).nullable().describe('Phone number; null when unknown.'),
    street: z.string().min(1).nullable().describe('Street address; null when unknown.'),
    city: z.string().min(1).nullable().describe('City; null when unknown.'),
    zip: z.string().min(1).nullable().describe("Postal code, e.g. 'LT-03154'; null when unknown."),
    country_code: z
      .string()
      .regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code such as LT')
      .nullable()
      .describe('Country (ISO 3166-1 alpha-2 code of Odoo country_id); null when unknown.'),
    active: z.boolean().describe('False when the partner is archived.'),
  })
  .describe('A partner (Partneris, res.partner).');
export type PartnerRecord = z.infer<typeof partnerRecord>;

export const productTypes = ['product', 'consu', 'service'] as const;

/** Fields of a product (product.product) a callback may select. */
export const productFields = ['name', 'default_code', 'type', 'list_price', 'taxes', 'active'] as const;

/** A product (Produktas, product.product): goods or a service that invoice lines refer to. */
export const productRecord = z
  .object({
    id: recordId.describe('Odoo id of the product.'),
    name: z.string().min(1).describe('Product name.'),
    default_code: z.string().min(1).nullable().describe('Internal reference (product code); null when not set.'),
    type: z.enum(productTypes).describe("'product' (stockable goods), 'consu' (consumable goods) or 'service'."),
    list_price: money.describe('Sales price without tax.'),
    taxes: z.array(tax).describe('Default sales taxes of the product.'),
    active: z.boolean().describe('False when the product is archived.'),
  })
  .describe('A product (Produktas, product.product).');
export type ProductRecord = z.infer<typeof productRecord>;
