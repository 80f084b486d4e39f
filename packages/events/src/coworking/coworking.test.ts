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
    expect(chargeGenerated.data.safeParse(withField(chargeGenerated.example, 'dueDate', '10/12/2026')).success).toBe(false);
  });

  it('rejects a date-time without an offset or in Y-m-d H:i:s', () => {
    expect(chargeSettled.data.safeParse(withField(chargeSettled.example, 'createdAt', '2026-11-23 10:15:00')).success).toBe(false);
    expect(bookingCreated.data.safeParse(withField(bookingCreated.example, 'startTime', '2026-11-26T14:00:00')).success).toBe(false);
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
    expect(personCreated.data.safeParse(withField(personCreated.example, 'maritalStatus', 'not_informed')).success).toBe(false);
    expect(
      correspondenceForwardedToAddress.data.safeParse(
        withField(correspondenceForwardedToAddress.example, 'shippingMethod', 'Motoboy'),
      ).success,
    ).toBe(false);
    expect(leadCreated.data.safeParse(withField(leadCreated.example, 'status', 'Lost')).success).toBe(false);
  });

  it('rejects a recurring booking with a malformed time of day or week day', () => {
    expect(recurringBookingCreated.data.safeParse(withField(recurringBookingCreated.example, 'startTime', '9h')).success).toBe(false);
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
