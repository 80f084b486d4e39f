/**
 * Robolabs domain events: what the accounting service appends when a record is created, updated or
 * deleted. Each definition fixes its operation and which snapshots are present.
 */
import { z } from 'zod';
import { defineEvent } from '../define.js';
import { changedFields as diffFields } from './diff.js';
import type { RecordModel } from './models.js';
import {
  invoiceFields,
  invoiceRecord,
  partnerFields,
  partnerRecord,
  productFields,
  productRecord,
  recordId,
} from './records.js';

type Snapshot = { id: number };

function idMatches(id: number, snapshot: Snapshot, side: 'before' | 'after', ctx: z.RefinementCtx): void {
  if (snapshot.id !== id) {
    ctx.addIssue({ code: 'custom', path: [side, 'id'], message: `${side}.id must equal id` });
  }
}

function header<M extends RecordModel, O extends 'create' | 'update' | 'delete'>(
  model: M,
  operation: O,
  label: string,
) {
  return {
    object: z.literal(model).describe(`Record model: always '${model}'.`),
    operation: z.literal(operation).describe(`What happened to the record: always '${operation}'.`),
    id: recordId.describe(`Odoo id of the ${label}.`),
  };
}

/** `data` of a created-record event: no `before`, the new record as `after`. */
export function createdData<M extends RecordModel, R extends z.ZodType<Snapshot>>(model: M, record: R, label: string) {
  return z
    .object({
      ...header(model, 'create', label),
      before: z.null().describe('Always null: the record did not exist before.'),
      after: record.describe(`The ${label} as created.`),
    })
    .superRefine((data, ctx) => {
      const d = data as unknown as { id: number; after: Snapshot };
      idMatches(d.id, d.after, 'after', ctx);
    })
    .describe(`A ${label} created in Robolabs.`);
}

/** `data` of an updated-record event: both snapshots and the top-level fields that changed. */
export function updatedData<
  M extends RecordModel,
  R extends z.ZodType<Snapshot>,
  F extends readonly [string, ...string[]],
>(model: M, record: R, fields: F, label: string) {
  return z
    .object({
      ...header(model, 'update', label),
      before: record.describe(`The ${label} before the update.`),
      after: record.describe(`The ${label} after the update.`),
      changedFields: z
        .array(z.enum(fields))
        .min(1)
        .describe('Top-level fields whose values differ between before and after.'),
    })
    .superRefine((data, ctx) => {
      // The snapshot types stay generic here; the record schema has already validated them.
      const d = data as unknown as { id: number; before: Snapshot; after: Snapshot; changedFields: string[] };
      idMatches(d.id, d.before, 'before', ctx);
      idMatches(d.id, d.after, 'after', ctx);
      const actual: string[] = diffFields(d.before, d.after);
      const declared: readonly string[] = d.changedFields;
      if (
        new Set(declared).size !== declared.length ||
        actual.length !== declared.length ||
        !actual.every((f) => declared.includes(f))
      ) {
        ctx.addIssue({
          code: 'custom',
          path: ['changedFields'],
          message: `changedFields must list exactly the fields that differ: ${actual.join(', ') || '(none)'}`,
        });
      }
    })
    .describe(`A ${label} updated in Robolabs.`);
}

/** `data` of a deleted-record event: the last snapshot as `before`, no `after`. */
export function deletedData<M extends RecordModel, R extends z.ZodType<Snapshot>>(model: M, record: R, label: string) {
  return z
    .object({
      ...header(model, 'delete', label),
      before: record.describe(`The ${label} as it was when deleted.`),
      after: z.null().describe('Always null: the record no longer exists.'),
    })
    .superRefine((data, ctx) => {
      const d = data as unknown as { id: number; before: Snapshot };
      idMatches(d.id, d.before, 'before', ctx);
    })
    .describe(`A ${label} deleted in Robolabs.`);
}

// ---------------------------------------------------------------------------
// Examples
// ---------------------------------------------------------------------------

const pvm1 = { id: 1, name: 'PVM1', amount: 21 };

const draftInvoice = {
  id: 4812,
  number: null,
  partner_id: 215,
  invoice_lines: [
    {
      id: 9931,
      product_id: 58,
      name: 'Ąžuolinės grindų lentos 14 mm',
      quantity: 42.5,
      price_unit: 38.9,
      discount: 5,
      taxes: [pvm1],
      price_subtotal: 1570.59,
    },
    {
      id: 9932,
      product_id: 61,
      name: 'Grindų montavimo paslauga',
      quantity: 42.5,
      price_unit: 12,
      discount: 0,
      taxes: [pvm1],
      price_subtotal: 510,
    },
  ],
  state: 'draft',
  date_invoice: '2026-02-16',
  date_due: '2026-03-02',
  currency: 'EUR',
  amount_untaxed: 2080.59,
  amount_tax: 436.92,
  amount_total: 2517.51,
  type: 'out_invoice',
  comment: 'Apmokėti pagal sutartį Nr. 2026/014.',
} satisfies z.input<typeof invoiceRecord>;

const partner = {
  id: 215,
  name: 'UAB "Baltijos medienos prekyba"',
  is_company: true,
  vat: 'LT100004567812',
  email: 'buhalterija@balmed.lt',
  phone: '+370 5 210 4455',
  street: 'Savanorių pr. 178',
  city: 'Vilnius',
  zip: 'LT-03154',
  country_code: 'LT',
  active: true,
} satisfies z.input<typeof partnerRecord>;

const product = {
  id: 58,
  name: 'Ąžuolinės grindų lentos 14 mm',
  default_code: 'GRD-AZ-14',
  type: 'product',
  list_price: 38.9,
  taxes: [pvm1],
  active: true,
} satisfies z.input<typeof productRecord>;

// ---------------------------------------------------------------------------
// Invoice (account.invoice)
// ---------------------------------------------------------------------------

export const invoiceCreated = defineEvent({
  type: 'accounting.invoice.created',
  domain: 'accounting',
  description: 'Fires when a user creates an invoice (account.invoice) in Robolabs.',
  sourceName: 'Kūrimas',
  initiator: 'user',
  data: createdData('account.invoice', invoiceRecord, 'invoice'),
  example: { object: 'account.invoice', operation: 'create', id: 4812, before: null, after: draftInvoice },
});

export const invoiceUpdated = defineEvent({
  type: 'accounting.invoice.updated',
  domain: 'accounting',
  description: 'Fires when a user updates an invoice (account.invoice) in Robolabs, e.g. changes its buyer.',
  sourceName: 'Atnaujinimas',
  initiator: 'user',
  data: updatedData('account.invoice', invoiceRecord, invoiceFields, 'invoice'),
  // The document's own example: the partner (buyer) of a sales invoice is changed.
  example: {
    object: 'account.invoice',
    operation: 'update',
    id: 4812,
    before: draftInvoice,
    after: { ...draftInvoice, partner_id: 218 },
    changedFields: ['partner_id'],
  },
});

export const invoiceDeleted = defineEvent({
  type: 'accounting.invoice.deleted',
  domain: 'accounting',
  description: 'Fires when a user deletes an invoice (account.invoice) in Robolabs.',
  sourceName: 'Trynimas',
  initiator: 'user',
  data: deletedData('account.invoice', invoiceRecord, 'invoice'),
  example: {
    object: 'account.invoice',
    operation: 'delete',
    id: 4812,
    before: { ...draftInvoice, partner_id: 218 },
    after: null,
  },
});

// ---------------------------------------------------------------------------
// Partner (res.partner)
// ---------------------------------------------------------------------------

export const partnerCreated = defineEvent({
  type: 'accounting.partner.created',
  domain: 'accounting',
  description: 'Fires when a user creates a partner (res.partner) in Robolabs.',
  sourceName: 'Kūrimas',
  initiator: 'user',
  data: createdData('res.partner', partnerRecord, 'partner'),
  example: { object: 'res.partner', operation: 'create', id: 215, before: null, after: partner },
});

export const partnerUpdated = defineEvent({
  type: 'accounting.partner.updated',
  domain: 'accounting',
  description: 'Fires when a user updates a partner (res.partner) in Robolabs.',
  sourceName: 'Atnaujinimas',
  initiator: 'user',
  data: updatedData('res.partner', partnerRecord, partnerFields, 'partner'),
  example: {
    object: 'res.partner',
    operation: 'update',
    id: 215,
    before: partner,
    after: { ...partner, email: 'saskaitos@balmed.lt', phone: '+370 612 34567' },
    changedFields: ['email', 'phone'],
  },
});

export const partnerDeleted = defineEvent({
  type: 'accounting.partner.deleted',
  domain: 'accounting',
  description: 'Fires when a user deletes a partner (res.partner) in Robolabs.',
  sourceName: 'Trynimas',
  initiator: 'user',
  data: deletedData('res.partner', partnerRecord, 'partner'),
  example: {
    object: 'res.partner',
    operation: 'delete',
    id: 342,
    before: {
      id: 342,
      name: 'MB "Kauno dizaino studija"',
      is_company: true,
      vat: null,
      email: 'info@kaunodizainas.lt',
      phone: null,
      street: 'Laisvės al. 53',
      city: 'Kaunas',
      zip: 'LT-44309',
      country_code: 'LT',
      active: true,
    },
    after: null,
  },
});

// ---------------------------------------------------------------------------
// Product (product.product)
// ---------------------------------------------------------------------------

export const productCreated = defineEvent({
  type: 'accounting.product.created',
  domain: 'accounting',
  description: 'Fires when a user creates a product (product.product) in Robolabs.',
  sourceName: 'Kūrimas',
  initiator: 'user',
  data: createdData('product.product', productRecord, 'product'),
  example: { object: 'product.product', operation: 'create', id: 58, before: null, after: product },
});

export const productUpdated = defineEvent({
  type: 'accounting.product.updated',
  domain: 'accounting',
  description: 'Fires when a user updates a product (product.product) in Robolabs.',
  sourceName: 'Atnaujinimas',
  initiator: 'user',
  data: updatedData('product.product', productRecord, productFields, 'product'),
  example: {
    object: 'product.product',
    operation: 'update',
    id: 58,
    before: product,
    after: { ...product, list_price: 41.5 },
    changedFields: ['list_price'],
  },
});

export const productDeleted = defineEvent({
  type: 'accounting.product.deleted',
  domain: 'accounting',
  description: 'Fires when a user deletes a product (product.product) in Robolabs.',
  sourceName: 'Trynimas',
  initiator: 'user',
  data: deletedData('product.product', productRecord, 'product'),
  example: {
    object: 'product.product',
    operation: 'delete',
    id: 61,
    before: {
      id: 61,
      name: 'Grindų montavimo paslauga',
      default_code: 'PASL-MONT',
      type: 'service',
      list_price: 12,
      taxes: [pvm1],
      active: true,
    },
    after: null,
  },
});
