import { describe, it, expect } from 'vitest';
import type { z } from 'zod';
import { clone, undescribed } from '../testing.js';
import {
  accountingEvents,
  invoiceRecord,
  partnerRecord,
  productRecord,
  recordModels,
  robolabsCallbackBody,
  robolabsCallbackFor,
  type RecordEventData,
} from './index.js';

/** The sample body of the Robolabs document ("Pavyzdinė siunčiamų duomenų struktūra"), exactly as printed. */
const documentSample = `{
  "object": "account.invoice",
  "operation": "create",
  "id": 123,
  "values": {
    "partner_id": 1,
    "invoice_lines": {
      "product_id": 1,
      "quantity": 1.2
    },
    "state": "draft"
  }
}`;

const expected = [
  ['accounting.invoice.created', 'Kūrimas', 'account.invoice', 'create'],
  ['accounting.invoice.updated', 'Atnaujinimas', 'account.invoice', 'update'],
  ['accounting.invoice.deleted', 'Trynimas', 'account.invoice', 'delete'],
  ['accounting.partner.created', 'Kūrimas', 'res.partner', 'create'],
  ['accounting.partner.updated', 'Atnaujinimas', 'res.partner', 'update'],
  ['accounting.partner.deleted', 'Trynimas', 'res.partner', 'delete'],
  ['accounting.product.created', 'Kūrimas', 'product.product', 'create'],
  ['accounting.product.updated', 'Atnaujinimas', 'product.product', 'update'],
  ['accounting.product.deleted', 'Trynimas', 'product.product', 'delete'],
] as const;

function get(type: string) {
  const event = accountingEvents.find((e) => e.type === type);
  if (!event) throw new Error(`no definition for ${type}`);
  return event;
}

describe('Robolabs accounting events', () => {
  it('has the 9 definitions', () => {
    expect(accountingEvents.map((e) => e.type)).toEqual(expected.map(([type]) => type));
  });

  it.each(expected)('%s: source name %s, initiated by a user, example parses', (type, sourceName, model, operation) => {
    const event = get(type);
    expect(event.domain).toBe('accounting');
    expect(event.sourceName).toBe(sourceName);
    expect(event.initiator).toBe('user');
    const parsed = event.data.safeParse(event.example);
    expect(parsed.error).toBeUndefined();
    expect(event.example).toMatchObject({ object: model, operation });
    expect(recordModels[model].eventTypes).toContain(type);
    expect(undescribed(event.data)).toEqual([]);
  });

  it.each(expected)('%s: snapshots must match the operation', (type, _source, _model, operation) => {
    const event = get(type);
    const example = event.example as { before: unknown; after: unknown };
    const snapshot = example.before ?? example.after;

    const noBefore = { ...clone(event.example), before: null };
    const noAfter = { ...clone(event.example), after: null };
    const both = { ...clone(event.example), before: snapshot, after: snapshot };
    if (operation === 'create') {
      expect(event.data.safeParse(both).success).toBe(false);
      expect(event.data.safeParse(noAfter).success).toBe(false);
    } else if (operation === 'update') {
      expect(event.data.safeParse(noBefore).success).toBe(false);
      expect(event.data.safeParse(noAfter).success).toBe(false);
    } else {
      expect(event.data.safeParse(both).success).toBe(false);
      expect(event.data.safeParse(noBefore).success).toBe(false);
    }
    const otherOperation = { ...clone(event.example), operation: operation === 'create' ? 'delete' : 'create' };
    expect(event.data.safeParse(otherOperation).success).toBe(false);
    const otherId = { ...clone(event.example), id: 999_999 };
    expect(event.data.safeParse(otherId).success).toBe(false);
  });

  it('rejects an update with before: null', () => {
    const event = get('accounting.invoice.updated');
    expect(event.data.safeParse({ ...clone(event.example), before: null }).success).toBe(false);
  });

  it('requires changedFields to list exactly the fields that differ', () => {
    const event = get('accounting.invoice.updated');
    expect(event.data.safeParse({ ...clone(event.example), changedFields: ['partner_id', 'state'] }).success).toBe(
      false,
    );
    expect(event.data.safeParse({ ...clone(event.example), changedFields: [] }).success).toBe(false);
    expect(event.data.safeParse({ ...clone(event.example), changedFields: ['partner_id', 'partner_id'] }).success).toBe(
      false,
    );
    const partner = get('accounting.partner.updated');
    expect(partner.data.safeParse({ ...clone(partner.example), changedFields: ['phone', 'email'] }).success).toBe(true);
  });

  it('checks invoice totals', () => {
    const event = get('accounting.invoice.created');
    const broken = clone(event.example);
    (broken.after as Record<string, unknown>).amount_total = 2600;
    expect(event.data.safeParse(broken).success).toBe(false);
  });

  it('lists as selectable fields every record field but id', () => {
    const keys = (schema: z.ZodObject) => Object.keys(schema.shape).filter((k) => k !== 'id');
    expect([...recordModels['account.invoice'].fields]).toEqual(keys(invoiceRecord));
    expect([...recordModels['res.partner'].fields]).toEqual(keys(partnerRecord));
    expect([...recordModels['product.product'].fields]).toEqual(keys(productRecord));
    expect(recordModels['account.invoice'].label).toEqual({ lt: 'Sąskaita faktūra', en: 'Invoice' });
  });

  describe('callback body', () => {
    it("accepts the document's sample JSON exactly as printed", () => {
      const sample: unknown = JSON.parse(documentSample);
      const parsed = robolabsCallbackBody.safeParse(sample);
      expect(parsed.error).toBeUndefined();
      expect(parsed.data).toEqual(sample);
    });

    it('requires previous_values on update and only there', () => {
      const sample = JSON.parse(documentSample) as Record<string, unknown>;
      expect(robolabsCallbackBody.safeParse({ ...sample, operation: 'update' }).success).toBe(false);
      expect(
        robolabsCallbackBody.safeParse({
          ...sample,
          operation: 'update',
          previous_values: { partner_id: 2, state: 'draft' },
        }).success,
      ).toBe(true);
      expect(robolabsCallbackBody.safeParse({ ...sample, previous_values: { partner_id: 2 } }).success).toBe(false);
      expect(robolabsCallbackBody.safeParse({ ...sample, operation: 'delete' }).success).toBe(true);
    });

    it('rejects unknown models, operations and fields', () => {
      const sample = JSON.parse(documentSample) as Record<string, unknown>;
      expect(robolabsCallbackBody.safeParse({ ...sample, object: 'sale.order' }).success).toBe(false);
      expect(robolabsCallbackBody.safeParse({ ...sample, operation: 'kūrimas' }).success).toBe(false);
      expect(robolabsCallbackBody.safeParse({ ...sample, values: { partner: 1 } }).success).toBe(false);
      expect(robolabsCallbackBody.safeParse({ ...sample, id: '123' }).success).toBe(false);
    });

    it('is built from a domain event and the selected fields', () => {
      const update = get('accounting.invoice.updated').example as RecordEventData;
      const body = robolabsCallbackFor(update, ['partner_id', 'state']);
      expect(body).toEqual({
        object: 'account.invoice',
        operation: 'update',
        id: 4812,
        values: { partner_id: 218, state: 'draft' },
        previous_values: { partner_id: 215, state: 'draft' },
      });
      expect(robolabsCallbackBody.safeParse(body).success).toBe(true);
      // none of the selected fields changed: nothing to send
      expect(robolabsCallbackFor(update, ['state', 'amount_total'])).toBeNull();

      const created = get('accounting.product.created').example as RecordEventData;
      const createdBody = robolabsCallbackFor(created, ['name', 'list_price', 'not_a_field']);
      expect(createdBody).toEqual({
        object: 'product.product',
        operation: 'create',
        id: 58,
        values: { name: 'Ąžuolinės grindų lentos 14 mm', list_price: 38.9 },
      });
      expect(robolabsCallbackBody.safeParse(createdBody).success).toBe(true);
    });
  });
});
