/**
 * Robolabs (ROBO) accounting events: record callbacks of the Lithuanian document
 * "ROBO atgaliniai skambučiai", for invoices, partners and products.
 */
import {
  invoiceCreated,
  invoiceDeleted,
  invoiceUpdated,
  partnerCreated,
  partnerDeleted,
  partnerUpdated,
  productCreated,
  productDeleted,
  productUpdated,
} from './events.js';

export const accountingEvents = [
  invoiceCreated,
  invoiceUpdated,
  invoiceDeleted,
  partnerCreated,
  partnerUpdated,
  partnerDeleted,
  productCreated,
  productUpdated,
  productDeleted,
] as const;

export * from './records.js';
export * from './models.js';
export * from './callback.js';
export * from './diff.js';
export * from './events.js';
