import { catalog } from '@hookline/events';
import { describe, expect, it } from 'vitest';
import { connectionFilterSchema } from './connection.js';
import { sampleEventType } from './test-sample.js';

const types = catalog.map((definition) => definition.type);
const sample = (filter: unknown) => sampleEventType(connectionFilterSchema.parse(filter), types);

describe('sampleEventType: the natural test of a connection', () => {
  it("a record callback gets its model's event of the first operation it selected", () => {
    expect(sample({ record: { model: 'account.invoice', operations: ['update'], fields: ['partner_id'] } })).toBe(
      'accounting.invoice.updated',
    );
    expect(sample({ record: { model: 'res.partner', operations: ['delete', 'create'], fields: ['name'] } })).toBe(
      'accounting.partner.deleted',
    );
    expect(sample({ record: { model: 'product.product', operations: ['create'], fields: ['name'] } })).toBe(
      'accounting.product.created',
    );
  });

  it('a connection of event types gets the first type it names', () => {
    expect(sample({ eventTypes: ['coworking.charge.settled', 'coworking.lead.created'] })).toBe(
      'coworking.charge.settled',
    );
  });

  it('a wildcard gives the first catalog type it matches', () => {
    expect(sample({ eventTypes: ['coworking.charge.*'] })).toBe(
      types.find((type) => type.startsWith('coworking.charge.')),
    );
    expect(sample({ eventTypes: ['*'] })).toBe(types[0]);
  });

  it('a wildcard matching no known type gives the next pattern, or nothing', () => {
    expect(sample({ eventTypes: ['nothing.here.*', 'marketplace.project.new_sent'] })).toBe(
      'marketplace.project.new_sent',
    );
    expect(sample({ eventTypes: ['nothing.here.*'] })).toBeUndefined();
  });
});
