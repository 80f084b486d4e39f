// What the Conexa aggregates share: their events (catalog events, which are published, and internal
// ones, which only record state), stream names, the invalidField error and small value helpers.
import { invalid, type DomainError } from '@hookline/errors';
import { INTERNAL_EVENT_PREFIX, type DomainEvent } from '@hookline/eventsourcing';
import { coworkingEvents, definitionsByType, type coworkingCustomer } from '@hookline/events';
import type { z } from 'zod';

// ---------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------

/** The 30 catalog definitions by type, keeping each one's data schema type: built from the catalog's list. */
export const coworkingDefinitions = definitionsByType(coworkingEvents);

type Definitions = typeof coworkingDefinitions;
/** The 30 catalog event types of the coworking domain. */
export type CoworkingEventType = keyof Definitions;
/** The `data` of a catalog event type, as the catalog parses it. */
export type CoworkingEventData<K extends CoworkingEventType> = z.output<Definitions[K]['data']>;
export const coworkingEventTypes = Object.keys(coworkingDefinitions) as CoworkingEventType[];

/**
 * A published (catalog) event as a Conexa decider emits it: `{ type, data }`, plus, on
 * `coworking.charge.reminder` only, `reminderRule`: the id (as a string) of the reminder rule
 * (Regra de Aviso) that fired. It is not part of the payload: the service passes it to the envelope
 * as the `reminderrule` extension (`EventInput.reminderRule`), so that only the connections linked to
 * that rule receive the reminder. The decider's state never depends on it (the rules already sent are
 * recorded by the internal `internal.charge.reminder_recorded` event emitted with the reminder).
 */
export type CoworkingEvent<K extends CoworkingEventType = CoworkingEventType> = {
  [T in K]: DomainEvent<T, CoworkingEventData<T>> & { reminderRule?: string };
}[K];

/**
 * Internal events record a state change that Conexa does not announce (a manual settlement, a booking
 * generated from a recurring booking, an expense registered, the new status of a cancelled charge, …).
 * They belong to the aggregate's stream, since the state folds from them, but they are NOT published:
 * their type starts with `internal.` and no catalog defines it. The service must store them with the
 * stream without validating them against the catalog nor relaying them to Kafka (see `isInternalEvent`,
 * `publishedEvents`).
 */
export type InternalEvent<T extends `internal.${string}` = `internal.${string}`, D = unknown> = DomainEvent<T, D>;

/** Whether an event only records state (stored with the stream, never published). */
export function isInternalEvent(event: { type: string }): boolean {
  return event.type.startsWith(INTERNAL_EVENT_PREFIX);
}

/** The events of a decision that are published (catalog events), in order. */
export function publishedEvents<E extends { type: string }>(events: readonly E[]): E[] {
  return events.filter((event) => !isInternalEvent(event));
}

/** The catalog event, typed. */
export function event<K extends CoworkingEventType>(type: K, data: CoworkingEventData<K>): CoworkingEvent<K> {
  return { type, data } as CoworkingEvent<K>;
}

// ---------------------------------------------------------------------------
// Streams
// ---------------------------------------------------------------------------

export const coworkingAggregates = [
  'charge',
  'expense',
  'customer',
  'person',
  'booking',
  'recurring_booking',
  'customer_service',
  'correspondence',
  'lead',
] as const;
export type CoworkingAggregate = (typeof coworkingAggregates)[number];

/** One stream per record: `coworking.<aggregate>:<Conexa id>`, e.g. `coworking.charge:55120` (also the envelope's subject). */
export function coworkingStream(aggregate: CoworkingAggregate, id: number): string {
  return `coworking.${aggregate}:${id}`;
}

/** The aggregate and id of a stream name made by `coworkingStream`, or null. */
export function parseCoworkingStream(stream: string): { aggregate: CoworkingAggregate; id: number } | null {
  const match = /^coworking\.([a-z_]+):([1-9]\d*)$/.exec(stream);
  if (!match) return null;
  const aggregate = match[1] as CoworkingAggregate;
  if (!coworkingAggregates.includes(aggregate)) return null;
  return { aggregate, id: Number(match[2]) };
}

export const chargeStream = (chargeId: number) => coworkingStream('charge', chargeId);
export const expenseStream = (billId: number) => coworkingStream('expense', billId);
export const customerStream = (customerId: number) => coworkingStream('customer', customerId);
export const personStream = (personId: number) => coworkingStream('person', personId);
export const bookingStream = (bookingId: number) => coworkingStream('booking', bookingId);
export const recurringBookingStream = (recurringBookingId: number) =>
  coworkingStream('recurring_booking', recurringBookingId);
export const customerServiceStream = (customerServiceId: number) =>
  coworkingStream('customer_service', customerServiceId);
export const correspondenceStream = (correspondenceId: number) => coworkingStream('correspondence', correspondenceId);
export const leadStream = (potentialCustomerId: number) => coworkingStream('lead', potentialCustomerId);

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

/** 400: the command is inconsistent (the schemas passed, a rule across fields did not); the issue names the field. */
export function invalidField(message: string, path: string, rule = 'custom'): DomainError {
  return invalid(message, { issues: [{ path, rule, message }] });
}

/** Checks that a server-filled reference is the record the client named. */
export function sameId(path: string, requested: number, filled: { id: number }): void {
  if (requested !== filled.id)
    throw invalidField(`${path} is ${requested} but the record filled in has id ${filled.id}`, path);
}

export type CustomerRef = z.output<typeof coworkingCustomer>;

/** The customer snapshot to use: the fresh one the service passes (same customer), or the recorded one. */
export function refreshCustomer(recorded: CustomerRef, fresh: CustomerRef | undefined): CustomerRef {
  if (fresh === undefined) return recorded;
  if (fresh.id !== recorded.id)
    throw invalidField(`customer ${fresh.id} is not the customer ${recorded.id} of the record`, 'customer.id');
  return fresh;
}

// ---------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------

/** The calendar date (Y-m-d) of an ISO 8601 date-time, in the offset it is written in. */
export function localDate(iso: string): string {
  return iso.slice(0, 10);
}

/** The first word of a name ("Fernanda Ribeiro Costa" → "Fernanda"). */
export function firstWord(name: string): string {
  return name.trim().split(/\s+/)[0] ?? name;
}
