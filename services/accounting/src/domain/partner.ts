// The partner aggregate (Partneris, res.partner): customers and suppliers that invoices refer to.
// A partner used by an invoice cannot be deleted; archive it (active: false) instead, as in Odoo.
import { partnerFields, partnerRecord, type PartnerRecord } from '@hookline/events';
import { partnerCreateBody, partnerPatchBody, type PartnerCreateInput, type PartnerPatch } from './commands.js';
import { plainRecordDecider, type RecordEvent, type RecordState } from './record.js';

export type PartnerField = (typeof partnerFields)[number];
export type PartnerEvent = RecordEvent<'partner', 'res.partner', PartnerRecord, PartnerField>;
export type PartnerState = RecordState<PartnerRecord>;

/**
 * create → accounting.partner.created; update → accounting.partner.updated (none when nothing changes);
 * delete (with `inUseBy`: the ids of the invoices of the partner, computed by the service) →
 * accounting.partner.deleted, refused with illegal_transition (409) naming the invoices while there are any.
 */
export const partnerDecider = plainRecordDecider<
  'partner',
  'res.partner',
  PartnerRecord,
  PartnerField,
  PartnerCreateInput,
  PartnerPatch
>({
  entity: 'partner',
  model: 'res.partner',
  label: 'partner',
  record: partnerRecord,
  fields: partnerFields,
  createBody: partnerCreateBody,
  patchBody: partnerPatchBody,
  inUseHint: 'archive it (active: false) instead',
});
