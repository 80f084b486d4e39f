/**
 * The body Robolabs callbacks deliver (document "ROBO atgaliniai skambučiai", "Pavyzdinė siunčiamų
 * duomenų struktūra"):
 *
 *   { "object": "account.invoice", "operation": "create", "id": 123,
 *     "values": { "partner_id": 1, "invoice_lines": { "product_id": 1, "quantity": 1.2 }, "state": "draft" } }
 *
 * `values` holds the fields selected on the callback (Laukai). On update the document promises the
 * previous and the new value of what changed; `previous_values` carries the previous values of the same
 * selected fields and is present on update only. The document's sample shows `invoice_lines` as a single
 * object rather than Odoo's list of lines, so field values are not typed beyond JSON here; the record
 * schemas in records.ts type the full snapshots of the domain events.
 */
import { z } from 'zod';
import { changedFields } from './diff.js';
import { operations, recordModelNames, recordModels, type RecordModel } from './models.js';

const selectedValues = z
  .record(z.string().min(1), z.unknown())
  .describe('Values of the fields selected on the callback (Laukai), keyed by Odoo field name.');

export const robolabsCallbackBody = z
  .object({
    object: z.enum(recordModelNames).describe("Record model (Įrašo modelio pavadinimas), e.g. 'account.invoice'."),
    operation: z.enum(operations).describe('Callback action (Atgalinio skambučio veiksmas): create, update or delete.'),
    id: z.number().int().positive().describe('Odoo id of the record.'),
    values: selectedValues.describe(
      'Selected fields of the record: as created (create), as updated (update) or as last stored (delete).',
    ),
    previous_values: selectedValues
      .optional()
      .describe('On update only: the same selected fields as they were before the update.'),
  })
  .superRefine((body, ctx) => {
    const allowed: readonly string[] = recordModels[body.object].fields;
    for (const key of ['values', 'previous_values'] as const) {
      for (const field of Object.keys(body[key] ?? {})) {
        if (!allowed.includes(field)) {
          ctx.addIssue({
            code: 'custom',
            path: [key, field],
            message: `${body.object} has no selectable field '${field}'`,
          });
        }
      }
    }
    if (body.operation === 'update' && body.previous_values === undefined) {
      ctx.addIssue({ code: 'custom', path: ['previous_values'], message: 'previous_values is required on update' });
    }
    if (body.operation !== 'update' && body.previous_values !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['previous_values'], message: 'previous_values is only sent on update' });
    }
  })
  .describe('Body of a Robolabs callback (atgalinis skambutis) notification.');
export type RobolabsCallbackBody = z.infer<typeof robolabsCallbackBody>;

/** The data of an accounting record event, as far as building a callback body needs it. */
export interface RecordEventData {
  object: RecordModel;
  operation: 'create' | 'update' | 'delete';
  id: number;
  before: object | null;
  after: object | null;
}

function pick(record: object, fields: readonly string[]): Record<string, unknown> {
  const source = record as Record<string, unknown>;
  return Object.fromEntries(fields.filter((f) => f in source).map((f) => [f, source[f]]));
}

/**
 * The callback body for a record event and a callback's selected fields, or null when the callback
 * has nothing to report (an update that changed none of the selected fields).
 */
export function robolabsCallbackFor(
  data: RecordEventData,
  selectedFields: readonly string[],
): RobolabsCallbackBody | null {
  const allowed: readonly string[] = recordModels[data.object].fields;
  const fields = selectedFields.filter((f) => allowed.includes(f));
  const base = { object: data.object, operation: data.operation, id: data.id };
  if (data.operation === 'update') {
    if (!data.before || !data.after) throw new Error('an update needs both before and after');
    const changed: string[] = changedFields(data.before, data.after);
    if (!fields.some((f) => changed.includes(f))) return null;
    return { ...base, values: pick(data.after, fields), previous_values: pick(data.before, fields) };
  }
  const snapshot = data.operation === 'create' ? data.after : data.before;
  if (!snapshot) throw new Error(`a ${data.operation} needs the record snapshot`);
  return { ...base, values: pick(snapshot, fields) };
}
