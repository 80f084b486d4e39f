// The commands of the three record aggregates, and the zod schemas of their inputs, which are also the
// REST bodies. Field schemas come from the catalog's record schemas (@hookline/events), so the API accepts
// exactly what a record may hold. Bodies are strict: a client cannot send `id`, `state`, `number`, the
// amounts or a line's `price_subtotal` (the invoice computes them; see amounts.ts).
import { invoiceLine, invoiceRecord, partnerRecord, productRecord, recordId, tax } from '@hookline/events';
import { z } from 'zod';

const invoice = invoiceRecord.shape;
const line = invoiceLine.shape;
const partner = partnerRecord.shape;
const product = productRecord.shape;

/** Taxes of a line or a product: each tax once. */
const taxList = z.array(tax).superRefine((taxes, ctx) => {
  taxes.forEach((t, index) => {
    if (taxes.findIndex((other) => other.id === t.id) !== index) {
      ctx.addIssue({ code: 'custom', path: [index, 'id'], message: `tax ${t.id} is listed twice` });
    }
  });
});

// ---------------------------------------------------------------------------
// Partner (res.partner)
// ---------------------------------------------------------------------------

export const partnerCreateBody = z
  .strictObject({
    name: z.string().trim().min(1).describe('Company or person name.'),
    is_company: partner.is_company.default(false).describe('True for a company, false (default) for a person.'),
    vat: partner.vat
      .default(null)
      .describe("VAT payer code (PVM mokėtojo kodas), e.g. 'LT100004567812'; null (default) when not a VAT payer."),
    email: partner.email.default(null).describe('E-mail address; null (default) when unknown.'),
    phone: partner.phone.default(null).describe('Phone number; null (default) when unknown.'),
    street: partner.street.default(null).describe('Street address; null (default) when unknown.'),
    city: partner.city.default(null).describe('City; null (default) when unknown.'),
    zip: partner.zip.default(null).describe("Postal code, e.g. 'LT-03154'; null (default) when unknown."),
    country_code: partner.country_code
      .default(null)
      .describe('Country, ISO 3166-1 alpha-2 code such as LT; null (default) when unknown.'),
    active: partner.active.default(true).describe('False to create the partner archived; true by default.'),
  })
  .describe('A new partner (res.partner); the service allocates its id.');
export type PartnerCreateInput = z.input<typeof partnerCreateBody>;

export const partnerPatchBody = z
  .strictObject({
    name: z.string().trim().min(1).optional().describe('Company or person name.'),
    is_company: partner.is_company.optional().describe('True for a company, false for a person.'),
    vat: partner.vat.optional().describe('VAT payer code (PVM mokėtojo kodas); null when not a VAT payer.'),
    email: partner.email.optional().describe('E-mail address; null to clear it.'),
    phone: partner.phone.optional().describe('Phone number; null to clear it.'),
    street: partner.street.optional().describe('Street address; null to clear it.'),
    city: partner.city.optional().describe('City; null to clear it.'),
    zip: partner.zip.optional().describe('Postal code; null to clear it.'),
    country_code: partner.country_code.optional().describe('Country, ISO 3166-1 alpha-2 code; null to clear it.'),
    active: partner.active
      .optional()
      .describe('False archives the partner (the way to retire a partner still used by invoices).'),
  })
  .describe('Fields of a partner to change; omitted fields keep their value.');
export type PartnerPatch = z.input<typeof partnerPatchBody>;

// ---------------------------------------------------------------------------
// Product (product.product)
// ---------------------------------------------------------------------------

export const productCreateBody = z
  .strictObject({
    name: z.string().trim().min(1).describe('Product name.'),
    default_code: product.default_code
      .default(null)
      .describe('Internal reference (product code); null (default) when not set.'),
    type: product.type
      .default('consu')
      .describe("'product' (stockable goods), 'consu' (consumable goods, the default) or 'service'."),
    list_price: product.list_price.default(0).describe('Sales price without tax; 0 by default.'),
    taxes: taxList
      .default(() => [])
      .describe('Default sales taxes of the product, e.g. [{ id: 1, name: "PVM1", amount: 21 }]; none by default.'),
    active: product.active.default(true).describe('False to create the product archived; true by default.'),
  })
  .describe('A new product (product.product); the service allocates its id.');
export type ProductCreateInput = z.input<typeof productCreateBody>;

export const productPatchBody = z
  .strictObject({
    name: z.string().trim().min(1).optional().describe('Product name.'),
    default_code: product.default_code.optional().describe('Internal reference (product code); null to clear it.'),
    type: product.type.optional().describe("'product', 'consu' or 'service'."),
    list_price: product.list_price.optional().describe('Sales price without tax.'),
    taxes: taxList.optional().describe('Default sales taxes of the product; the list replaces the current one.'),
    active: product.active
      .optional()
      .describe('False archives the product (the way to retire a product still used on invoices).'),
  })
  .describe('Fields of a product to change; omitted fields keep their value.');
export type ProductPatch = z.input<typeof productPatchBody>;

// ---------------------------------------------------------------------------
// Invoice (account.invoice)
// ---------------------------------------------------------------------------

/** A line to add: the invoice allocates its id and computes its subtotal. */
export const newInvoiceLineBody = z
  .strictObject({
    product_id: line.product_id
      .default(null)
      .describe('Id of the product (product.product); null (default) for a line without a product.'),
    name: z.string().trim().min(1).describe('Line description.'),
    quantity: line.quantity.describe('Quantity, in the product unit of measure.'),
    price_unit: line.price_unit.describe('Unit price without tax, in the invoice currency.'),
    discount: line.discount.default(0).describe('Discount in percent (0–100); 0 by default.'),
    taxes: taxList
      .default(() => [])
      .describe('Taxes applied to the line, e.g. [{ id: 1, name: "PVM1", amount: 21 }]; none by default.'),
  })
  .describe('A new invoice line (no id): the invoice allocates its id and computes price_subtotal.');
export type NewInvoiceLineInput = z.input<typeof newInvoiceLineBody>;

/** A line to keep, by id, with the fields given changed. */
export const keptInvoiceLineBody = z
  .strictObject({
    id: recordId.describe('Id of a line of this invoice: the line is kept, with the fields given here changed.'),
    product_id: line.product_id
      .optional()
      .describe('Id of the product (product.product); null for a line without a product.'),
    name: z.string().trim().min(1).optional().describe('Line description.'),
    quantity: line.quantity.optional().describe('Quantity, in the product unit of measure.'),
    price_unit: line.price_unit.optional().describe('Unit price without tax, in the invoice currency.'),
    discount: line.discount.optional().describe('Discount in percent (0–100).'),
    taxes: taxList.optional().describe('Taxes applied to the line; the list replaces the current one.'),
  })
  .describe('An existing invoice line, by id; omitted fields keep their value.');
export type KeptInvoiceLineInput = z.input<typeof keptInvoiceLineBody>;

export const invoiceCreateBody = z
  .strictObject({
    partner_id: invoice.partner_id.describe(
      'Id of the partner (res.partner): the buyer of a sales invoice, the supplier of a purchase invoice.',
    ),
    invoice_lines: z
      .array(newInvoiceLineBody)
      .default(() => [])
      .describe('Invoice lines; none by default (a draft may have none).'),
    date_invoice: invoice.date_invoice
      .default(null)
      .describe('Invoice date (Y-m-d); null (default) while not known. Required to validate.'),
    date_due: invoice.date_due
      .default(null)
      .describe('Due date (Y-m-d), not before date_invoice; null (default) while not known. Required to validate.'),
    currency: invoice.currency.default('EUR').describe('Invoice currency, ISO 4217 code; EUR by default.'),
    type: invoice.type
      .default('out_invoice')
      .describe("'out_invoice' (default) for a sales invoice, 'in_invoice' for a purchase (supplier) invoice."),
    comment: invoice.comment
      .default(null)
      .describe('Additional information printed on the invoice; null (default) when empty.'),
  })
  .describe(
    'A new draft invoice (account.invoice); the service allocates its id. Amounts are computed from the lines.',
  );
export type InvoiceCreateInput = z.input<typeof invoiceCreateBody>;

export const invoicePatchBody = z
  .strictObject({
    partner_id: invoice.partner_id.optional().describe('Id of the partner (res.partner). Draft invoices only.'),
    invoice_lines: z
      .array(z.union([keptInvoiceLineBody, newInvoiceLineBody]))
      .optional()
      .describe(
        'The complete new list of lines, in order: a line with an id keeps that line (with the fields given changed), a line without one is added; lines left out are removed. Draft invoices only.',
      ),
    date_invoice: invoice.date_invoice
      .optional()
      .describe('Invoice date (Y-m-d); null to clear it. Draft invoices only.'),
    date_due: invoice.date_due
      .optional()
      .describe('Due date (Y-m-d), not before date_invoice; null to clear it. Draft invoices only.'),
    currency: invoice.currency.optional().describe('Invoice currency, ISO 4217 code. Draft invoices only.'),
    type: invoice.type.optional().describe("'out_invoice' or 'in_invoice'. Draft invoices only."),
    comment: invoice.comment
      .optional()
      .describe('Additional information printed on the invoice; null to clear it. Editable in every state.'),
  })
  .describe(
    'Fields of an invoice to change; omitted fields keep their value. Once validated, only comment may change.',
  );
export type InvoicePatch = z.input<typeof invoicePatchBody>;

export const invoiceValidateBody = z
  .strictObject({
    number: z
      .string()
      .trim()
      .min(1)
      .max(64)
      .describe(
        "Number the invoice gets on validation, from the company's sequence (Numeruotė), e.g. 'INV/2026/0007'.",
      ),
  })
  .describe('Validates a draft invoice (draft → open): it gets its number and is posted.');
export type InvoiceValidateInput = z.input<typeof invoiceValidateBody>;

/** The body of the commands that take no input (register payment, cancel, reset to draft). */
export const emptyBody = z.strictObject({}).describe('No fields.');

// ---------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------

/** Record id allocated by the service (Odoo-style positive integer). */
export const recordIdInput = recordId.describe('Odoo-style id allocated by the service.');

/** Commands of a partner or a product. `inUseBy`: ids of the invoices that refer to the record (the service computes them). */
export type RecordCommand<CreateInput, Patch> =
  | { type: 'create'; id: number; input: CreateInput }
  | { type: 'update'; patch: Patch }
  | { type: 'delete'; inUseBy: readonly number[] };
export type RecordCommandType = RecordCommand<unknown, unknown>['type'];

export type PartnerCommand = RecordCommand<PartnerCreateInput, PartnerPatch>;
export type ProductCommand = RecordCommand<ProductCreateInput, ProductPatch>;

export type InvoiceCommand =
  | { type: 'create'; id: number; input: InvoiceCreateInput }
  | { type: 'update'; patch: InvoicePatch }
  /** draft → open; assigns `number`. */
  | { type: 'validate'; number: string }
  /** open → paid (the invoice is paid in full). */
  | { type: 'register_payment' }
  /** draft or open → cancel. */
  | { type: 'cancel' }
  /** cancel → draft (clears `number`). */
  | { type: 'reset_to_draft' }
  /** Draft or cancelled invoices only. */
  | { type: 'delete' };
export type InvoiceCommandType = InvoiceCommand['type'];

export const invoiceCommandTypes = [
  'create',
  'update',
  'validate',
  'register_payment',
  'cancel',
  'reset_to_draft',
  'delete',
] as const satisfies readonly InvoiceCommandType[];
