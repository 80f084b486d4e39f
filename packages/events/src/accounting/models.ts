/**
 * The Robolabs record models a callback (atgalinis skambutis) can watch: for each Odoo model, its label
 * (Įrašo modelio pavadinimas), the fields a connection may select (Laukai) and the Hookline event types
 * that carry its changes. The dispatcher computes callback diffs from it; the console builds field pickers.
 */
import { invoiceFields, partnerFields, productFields } from './records.js';

export const recordModels = {
  'account.invoice': {
    label: { lt: 'Sąskaita faktūra', en: 'Invoice' },
    fields: invoiceFields,
    eventTypes: ['accounting.invoice.created', 'accounting.invoice.updated', 'accounting.invoice.deleted'],
  },
  'res.partner': {
    label: { lt: 'Partneris', en: 'Partner' },
    fields: partnerFields,
    eventTypes: ['accounting.partner.created', 'accounting.partner.updated', 'accounting.partner.deleted'],
  },
  'product.product': {
    label: { lt: 'Produktas', en: 'Product' },
    fields: productFields,
    eventTypes: ['accounting.product.created', 'accounting.product.updated', 'accounting.product.deleted'],
  },
} as const;

export type RecordModel = keyof typeof recordModels;
export const recordModelNames = Object.keys(recordModels) as [RecordModel, ...RecordModel[]];

/** Callback actions (Atgalinio skambučio veiksmas): Lithuanian name → operation. */
export const callbackActions = {
  Kūrimas: 'create',
  Atnaujinimas: 'update',
  Trynimas: 'delete',
} as const;
export type Operation = (typeof callbackActions)[keyof typeof callbackActions];
export const operations = ['create', 'update', 'delete'] as const satisfies readonly Operation[];
