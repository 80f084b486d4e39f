// The product aggregate (Produktas, product.product): goods and services that invoice lines refer to.
// A product used on an invoice line cannot be deleted; archive it (active: false) instead, as in Odoo.
import { productFields, productRecord, type ProductRecord } from '@hookline/events';
import { productCreateBody, productPatchBody, type ProductCreateInput, type ProductPatch } from './commands.js';
import { plainRecordDecider, type RecordEvent, type RecordState } from './record.js';

export type ProductField = (typeof productFields)[number];
export type ProductEvent = RecordEvent<'product', 'product.product', ProductRecord, ProductField>;
export type ProductState = RecordState<ProductRecord>;

/**
 * create → accounting.product.created; update → accounting.product.updated (none when nothing changes);
 * delete (with `inUseBy`: the ids of the invoices with a line of the product, computed by the service) →
 * accounting.product.deleted, refused with illegal_transition (409) naming the invoices while there are any.
 */
export const productDecider = plainRecordDecider<
  'product',
  'product.product',
  ProductRecord,
  ProductField,
  ProductCreateInput,
  ProductPatch
>({
  entity: 'product',
  model: 'product.product',
  label: 'product',
  record: productRecord,
  fields: productFields,
  createBody: productCreateBody,
  patchBody: productPatchBody,
  inUseHint: 'archive it (active: false) instead',
});
