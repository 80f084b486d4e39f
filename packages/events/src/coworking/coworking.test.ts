import { describe, it, expect } from 'vitest';
import { eventTypePattern } from '../define.js';
import {
  bookingCreated,
  chargeGenerated,
  chargeSettled,
  correspondenceForwardedToAddress,
  coworkingDeviations,
  coworkingEvents,
  customerCreated,
  leadCreated,
  personCreated,
  recurringBookingCreated,
} from './index.js';

/** A copy of an example with one top-level field replaced (or removed when `value` is undefined). */
function withField(example: object, field: string, value: unknown): Record<string, unknown> {
  const copy: Record<string, unknown> = structuredClone(example) as Record<string, unknown>;
  if (value === undefined) delete copy[field];
  else copy[field] = value;
  return copy;
}

describe('coworking event catalog', () => {
  it('has exactly 30 definitions with unique, well-formed types', () => {
    expect(coworkingEvents).toHaveLength(30);
    const types = coworkingEvents.map((def) => def.type);
    expect(new Set(types).size).toBe(30);
    for (const def of coworkingEvents) {
      expect(def.domain).toBe('coworking');
      expect(def.type).toMatch(eventTypePattern);
      expect(def.sourceName.length).toBeGreaterThan(0);
      expect(def.description.length).toBeGreaterThan(0);
    }
  });

  it.each(coworkingEvents.map((def) => [def.type, def] as const))('%s example parses with its schema', (_type, def) => {
    const result = def.data.safeParse(def.example);
    expect(result.error?.issues ?? []).toEqual([]);
    expect(result.success).toBe(true);
  });

  it('marks only reminders and automatic settlement as system-initiated', () => {
    const system = coworkingEvents.filter((def) => def.initiator === 'system').map((def) => def.type);
    expect(system.sort()).toEqual(['coworking.charge.reminder', 'coworking.charge.settled']);
  });

  it('lists deviations only for known event types', () => {
    const types = new Set<string>(coworkingEvents.map((def) => def.type));
    expect(coworkingDeviations.length).toBeGreaterThan(0);
    for (const deviation of coworkingDeviations) expect(types.has(deviation.eventType)).toBe(true);
  });
});

describe('coworking schemas reject broken payloads', () => {
  it('rejects a charge type outside the documented enum', () => {
    expect(chargeGenerated.data.safeParse(withField(chargeGenerated.example, 'type', 'recurring')).success).toBe(false);
  });

  it('rejects a generated-charge status that is not unpaid / generatedByNegotiation', () => {
    expect(chargeGenerated.data.safeParse(withField(chargeGenerated.example, 'status', 'paid')).success).toBe(false);
  });

  it('rejects a charge without its chargeId', () => {
    expect(chargeSettled.data.safeParse(withField(chargeSettled.example, 'chargeId', undefined)).success).toBe(false);
  });

  it('rejects a due date that is not Y-m-d', () => {
    expect(chargeGenerated.data.safeParse(withField(chargeGenerated.example, 'dueDate', '10/12/2026')).success).toBe(
      false,
    );
  });

  it('rejects a date-time without an offset or in Y-m-d H:i:s', () => {
    expect(
      chargeSettled.data.safeParse(withField(chargeSettled.example, 'createdAt', '2026-11-23 10:15:00')).success,
    ).toBe(false);
    expect(
      bookingCreated.data.safeParse(withField(bookingCreated.example, 'startTime', '2026-11-26T14:00:00')).success,
    ).toBe(false);
  });

  it('rejects the misspelled cratedAt in place of createdAt', () => {
    const misspelt = withField(customerCreated.example, 'createdAt', undefined);
    misspelt.cratedAt = customerCreated.example.createdAt;
    expect(customerCreated.data.safeParse(misspelt).success).toBe(false);
  });

  it('rejects a malformed CNPJ and CPF', () => {
    expect(customerCreated.data.safeParse(withField(customerCreated.example, 'cnpj', '11222333')).success).toBe(false);
    expect(personCreated.data.safeParse(withField(personCreated.example, 'cpf', '529.982.247')).success).toBe(false);
  });

  it('rejects booking, marital-status, shipping and lead-status values outside their enums', () => {
    expect(bookingCreated.data.safeParse(withField(bookingCreated.example, 'type', 'desk')).success).toBe(false);
    expect(
      personCreated.data.safeParse(withField(personCreated.example, 'maritalStatus', 'not_informed')).success,
    ).toBe(false);
    expect(
      correspondenceForwardedToAddress.data.safeParse(
        withField(correspondenceForwardedToAddress.example, 'shippingMethod', 'Motoboy'),
      ).success,
    ).toBe(false);
    expect(leadCreated.data.safeParse(withField(leadCreated.example, 'status', 'Lost')).success).toBe(false);
  });

  it('rejects a recurring booking with a malformed time of day or week day', () => {
    expect(
      recurringBookingCreated.data.safeParse(withField(recurringBookingCreated.example, 'startTime', '9h')).success,
    ).toBe(false);
    expect(
      recurringBookingCreated.data.safeParse(withField(recurringBookingCreated.example, 'daysWeek', ['Terça'])).success,
    ).toBe(false);
  });

  it('rejects a nested customer without its id', () => {
    const example = structuredClone(chargeGenerated.example);
    const { id: _id, ...customerWithoutId } = example.customer;
    expect(chargeGenerated.data.safeParse({ ...example, customer: customerWithoutId }).success).toBe(false);
  });
});

/**
 * Every field the Conexa document's tables give as `Y-m-d\TH:i:sP` ("ano-mês-dia + Timezone +
 * hora:minuto:segundo + GMT"), by event: the path in the payload (`[]` for each item of a list).
 */
const documentedDateTimes: Record<string, string[]> = {
  'coworking.charge.generated': ['createdAt', 'sales[].referenceDate'],
  'coworking.charge.settled': ['createdAt', 'sales[].referenceDate'],
  'coworking.expense.receipt_confirmed': ['createdAt'],
  'coworking.customer.created': ['createdAt'],
  'coworking.customer.edited': ['createdAt'],
  'coworking.booking.created': ['startTime', 'finalTime'],
  'coworking.booking.cancelled': ['startTime', 'finalTime'],
  'coworking.recurring_booking.created': ['createdAt'],
  'coworking.customer_service.created': ['createdAt'],
  'coworking.customer_service.created_blocked_customer': ['createdAt'],
  'coworking.correspondence.created': ['receiptDate', 'createdAt'],
  'coworking.correspondence.created_blocked_customer': ['receiptDate', 'createdAt'],
  'coworking.correspondence.delivered_in_person': ['receiptDate', 'createdAt'],
  'coworking.correspondence.sent_by_email': ['receiptDate', 'createdAt', 'deliveryInformationByEmail.date'],
  'coworking.correspondence.forwarded_to_address': ['receiptDate', 'deliveryDate', 'createdAt'],
  'coworking.lead.created': ['createdAt'],
  'coworking.lead.edited': ['createdAt'],
};

/** A copy of `example` with the value at `path` (dotted, `[]` for every item of a list) replaced. */
function withValue(example: unknown, path: string, value: string): unknown {
  const copy = structuredClone(example) as Record<string, unknown>;
  const set = (node: unknown, keys: string[]): void => {
    const [key, ...rest] = keys;
    if (key === undefined || node === null || typeof node !== 'object') return;
    if (key.endsWith('[]')) {
      for (const item of (node as Record<string, unknown[]>)[key.slice(0, -2)] ?? []) set(item, rest);
    } else if (rest.length === 0) {
      (node as Record<string, unknown>)[key] = value;
    } else {
      set((node as Record<string, unknown>)[key], rest);
    }
  };
  set(copy, path.split('.'));
  return copy;
}

describe('Conexa date-times follow the document: Y-m-d\\TH:i:sP', () => {
  it.each(Object.entries(documentedDateTimes))('%s', (type, paths) => {
    const definition = coworkingEvents.find((candidate) => candidate.type === type);
    expect(definition, type).toBeDefined();
    for (const path of paths) {
      const accepts = (value: string) =>
        definition!.data.safeParse(withValue(definition!.example, path, value)).success;
      expect(accepts('2026-12-06T17:36:25-03:00'), `${path}: with the unit's offset`).toBe(true);
      expect(accepts('2026-12-06T20:36:25+00:00'), `${path}: +00:00 for UTC`).toBe(true);
      expect(accepts('2026-12-06T20:36:25.509Z'), `${path}: milliseconds and Z`).toBe(false);
      expect(accepts('2026-12-06T20:36:25Z'), `${path}: Z`).toBe(false);
      expect(accepts('2026-12-06T17:36:25.509-03:00'), `${path}: milliseconds`).toBe(false);
      expect(accepts('2026-12-06T17:36-03:00'), `${path}: no seconds`).toBe(false);
      expect(accepts('2026-02-30T17:36:25-03:00'), `${path}: not a day`).toBe(false);
      expect(accepts('2028-02-29T17:36:25-03:00'), `${path}: a leap day`).toBe(true);
    }
  });

  it('the catalog examples write them so', () => {
    const dateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/;
    for (const [type, paths] of Object.entries(documentedDateTimes)) {
      const example = coworkingEvents.find((candidate) => candidate.type === type)!.example;
      for (const path of paths) {
        const values = path
          .split('.')
          .reduce<unknown[]>(
            (nodes, key) =>
              nodes.flatMap((node) =>
                key.endsWith('[]')
                  ? ((node as Record<string, unknown[]>)[key.slice(0, -2)] ?? [])
                  : [(node as Record<string, unknown>)[key]],
              ),
            [example],
          );
        expect(values.length, `${type} ${path}`).toBeGreaterThan(0);
        for (const value of values) expect(value, `${type} ${path}`).toMatch(dateTime);
      }
    }
  });
});
