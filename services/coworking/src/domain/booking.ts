// The booking (reserva) and recurring booking (reserva recorrente) aggregates.
// - A one-off booking publishes coworking.booking.created; the bookings generated from a recurring
//   booking publish nothing (create_booking with fromRecurrence: an internal event keeps the record).
//   Cancelling any booking publishes coworking.booking.cancelled with the reason.
// - A recurring booking publishes coworking.recurring_booking.created, with its occurrences counted.
import { illegalTransition, recordNotFound, unknownCommand, type Decider } from '@hookline/eventsourcing';
import type { BookingCommand, CommandName, CommandOf, RecurringBookingCommand } from './commands/index.js';
import {
  event,
  invalidField,
  refreshCustomer,
  sameId,
  type CoworkingEvent,
  type CoworkingEventData,
  type InternalEvent,
} from './shared.js';

// ---------------------------------------------------------------------------
// Booking
// ---------------------------------------------------------------------------

/** The booking as the created event carries it, plus the recurring booking it was generated from (null for a one-off booking). */
export type BookingRecord = CoworkingEventData<'coworking.booking.created'> & { recurringBookingId: number | null };
export type BookingStatus = 'none' | 'booked' | 'cancelled';
export interface BookingState {
  status: BookingStatus;
  booking: BookingRecord | null;
  cancellationReason: string | null;
}

export type BookingInternalEvent = InternalEvent<'internal.booking.generated', BookingRecord>;
export type BookingEvent =
  CoworkingEvent<'coworking.booking.created' | 'coworking.booking.cancelled'> | BookingInternalEvent;

export function initialBookingState(): BookingState {
  return { status: 'none', booking: null, cancellationReason: null };
}

export function allowedBookingCommands(state: BookingState): CommandName[] {
  return state.status === 'none' ? ['create_booking'] : state.status === 'booked' ? ['cancel_booking'] : [];
}

function createBooking(command: CommandOf<'create_booking'>, state: BookingState): BookingEvent[] {
  if (state.status !== 'none')
    throw illegalTransition(
      `Booking ${state.booking?.bookingId} already exists`,
      state.status,
      allowedBookingCommands(state),
    );
  sameId('placeId', command.placeId, command.place);
  sameId('customerId', command.customerId, command.customer);
  sameId('personId', command.personId, command.person);
  if (Date.parse(command.finalTime) <= Date.parse(command.startTime))
    throw invalidField('finalTime must be after startTime', 'finalTime');
  if (command.fromRecurrence !== (command.recurringBookingId !== null)) {
    throw invalidField(
      command.fromRecurrence
        ? 'a booking generated from a recurrence names its recurringBookingId'
        : 'recurringBookingId is only for a booking generated from a recurrence',
      'recurringBookingId',
    );
  }
  const booking: BookingRecord = {
    bookingId: command.bookingId,
    sale: command.sale,
    type: command.bookingType,
    place: command.place,
    customer: command.customer,
    person: command.person,
    notes: command.notes,
    isOnlinePayment: command.isOnlinePayment,
    isBilled: command.isBilled,
    startTime: command.startTime,
    finalTime: command.finalTime,
    recurringBookingId: command.recurringBookingId,
  };
  if (command.fromRecurrence) return [{ type: 'internal.booking.generated', data: booking }];
  const { recurringBookingId: _recurringBookingId, ...created } = booking;
  return [event('coworking.booking.created', created)];
}

function cancelBooking(command: CommandOf<'cancel_booking'>, state: BookingState): BookingEvent[] {
  const booking = state.booking;
  if (booking === null || state.status === 'none') throw recordNotFound('booking', state.status);
  if (state.status === 'cancelled')
    throw illegalTransition(
      `Booking ${booking.bookingId} is already cancelled`,
      state.status,
      allowedBookingCommands(state),
    );
  return [
    event('coworking.booking.cancelled', {
      bookingId: booking.bookingId,
      sale: booking.sale,
      type: booking.type,
      place: booking.place,
      customer: refreshCustomer(booking.customer, command.customer),
      person: booking.person,
      notes: booking.notes,
      isOnlinePayment: booking.isOnlinePayment,
      cancellationReason: command.cancellationReason,
      startTime: booking.startTime,
      finalTime: booking.finalTime,
    }),
  ];
}

export function decideBooking(command: BookingCommand, state: BookingState): BookingEvent[] {
  const { type } = command;
  switch (type) {
    case 'create_booking':
      return createBooking(command, state);
    case 'cancel_booking':
      return cancelBooking(command, state);
    default:
      return unknownCommand(type, 'booking');
  }
}

export function evolveBooking(state: BookingState, e: BookingEvent): BookingState {
  switch (e.type) {
    case 'coworking.booking.created':
      return { status: 'booked', booking: { ...e.data, recurringBookingId: null }, cancellationReason: null };
    case 'internal.booking.generated':
      return { status: 'booked', booking: e.data, cancellationReason: null };
    case 'coworking.booking.cancelled':
      return {
        status: 'cancelled',
        booking: state.booking && { ...state.booking, customer: e.data.customer },
        cancellationReason: e.data.cancellationReason,
      };
  }
}

export const bookingDecider: Decider<BookingCommand, BookingEvent, BookingState> = {
  decide: decideBooking,
  evolve: evolveBooking,
  initialState: initialBookingState,
};

// ---------------------------------------------------------------------------
// Recurring booking
// ---------------------------------------------------------------------------

export type RecurringBookingRecord = CoworkingEventData<'coworking.recurring_booking.created'>;
export interface RecurringBookingState {
  status: 'none' | 'created';
  recurringBooking: RecurringBookingRecord | null;
}
export type RecurringBookingEvent = CoworkingEvent<'coworking.recurring_booking.created'>;

export function initialRecurringBookingState(): RecurringBookingState {
  return { status: 'none', recurringBooking: null };
}

export function allowedRecurringBookingCommands(state: RecurringBookingState): CommandName[] {
  return state.status === 'none' ? ['create_recurring_booking'] : [];
}

const weekDays = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;
const weekDaysPt: Record<(typeof weekDays)[number], string> = {
  Sunday: 'domingos',
  Monday: 'segundas',
  Tuesday: 'terças',
  Wednesday: 'quartas',
  Thursday: 'quintas',
  Friday: 'sextas',
  Saturday: 'sábados',
};
const mondayFirst = [...weekDays.slice(1), weekDays[0]];
const DAY_MS = 86_400_000;

export interface Recurrence {
  repeatType: 'Weekly' | 'Monthly';
  daysWeek: readonly (typeof weekDays)[number][];
  firstOccurrence: string;
  lastOccurrence: string;
}

/**
 * The dates (Y-m-d) of a recurrence's occurrences, from the first to the last occurrence inclusive:
 * Weekly, every listed day of the week; Monthly, the day of the month of the first occurrence in every
 * month that has it. The service generates one booking (create_booking with fromRecurrence) per date.
 */
export function occurrenceDates(recurrence: Recurrence): string[] {
  const first = Date.parse(`${recurrence.firstOccurrence}T00:00:00Z`);
  const last = Date.parse(`${recurrence.lastOccurrence}T00:00:00Z`);
  const dates: string[] = [];
  if (recurrence.repeatType === 'Weekly') {
    for (let t = first; t <= last; t += DAY_MS) {
      const day = weekDays[new Date(t).getUTCDay()];
      if (day !== undefined && recurrence.daysWeek.includes(day)) dates.push(new Date(t).toISOString().slice(0, 10));
    }
    return dates;
  }
  const start = new Date(first);
  const dayOfMonth = start.getUTCDate();
  for (let month = 0; ; month++) {
    const date = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + month, dayOfMonth));
    if (date.getTime() > last) break;
    if (date.getUTCDate() === dayOfMonth) dates.push(date.toISOString().slice(0, 10));
  }
  return dates;
}

function listPt(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} e ${items.at(-1)}`;
}

const dmy = (ymd: string) => `${ymd.slice(8, 10)}/${ymd.slice(5, 7)}/${ymd.slice(0, 4)}`;
const hm = (time: string) => time.slice(0, 5);

/** The summary Conexa shows, e.g. "Sala de Reunião Pampulha, terças e quintas, das 09:00 às 11:00, de 01/12/2026 a 28/01/2027". */
export function recurrenceResume(place: string, recurrence: Recurrence, startTime: string, finalTime: string): string {
  const days =
    recurrence.repeatType === 'Weekly'
      ? listPt(mondayFirst.filter((day) => recurrence.daysWeek.includes(day)).map((day) => weekDaysPt[day]))
      : `todo dia ${Number(recurrence.firstOccurrence.slice(8, 10))} do mês`;
  return `${place}, ${days}, das ${hm(startTime)} às ${hm(finalTime)}, de ${dmy(recurrence.firstOccurrence)} a ${dmy(recurrence.lastOccurrence)}`;
}

function createRecurringBooking(
  command: CommandOf<'create_recurring_booking'>,
  state: RecurringBookingState,
): RecurringBookingEvent[] {
  if (state.status !== 'none') {
    throw illegalTransition(
      `Recurring booking ${state.recurringBooking?.recurringBookingId} already exists`,
      state.status,
      allowedRecurringBookingCommands(state),
    );
  }
  sameId('contractId', command.contractId, command.contract);
  sameId('customerId', command.customerId, command.customer);
  sameId('placeId', command.placeId, command.place);
  sameId('personId', command.personId, command.person);
  if (command.lastOccurrence < command.firstOccurrence)
    throw invalidField('lastOccurrence is before firstOccurrence', 'lastOccurrence');
  if (hm(command.finalTime) <= hm(command.startTime))
    throw invalidField('finalTime must be after startTime', 'finalTime');
  const occurrences = occurrenceDates(command).length;
  if (occurrences === 0)
    throw invalidField('the recurrence has no occurrence between its first and last dates', 'daysWeek');
  const generatedQuantity = command.generatedQuantity ?? occurrences;
  if (generatedQuantity > occurrences)
    throw invalidField(
      `generatedQuantity ${generatedQuantity} exceeds the ${occurrences} occurrences`,
      'generatedQuantity',
    );
  return [
    event('coworking.recurring_booking.created', {
      recurringBookingId: command.recurringBookingId,
      contract: command.contract,
      customer: command.customer,
      place: command.place,
      company: command.company,
      person: command.person,
      registeredBy: command.registeredBy,
      repeatType: command.repeatType,
      daysWeek: command.daysWeek,
      firstOccurrence: command.firstOccurrence,
      lastOccurrence: command.lastOccurrence,
      startTime: command.startTime,
      finalTime: command.finalTime,
      timeZone: command.timeZone,
      occurrenceAmount: occurrences,
      generatedQuantity,
      resume: recurrenceResume(command.place.name, command, command.startTime, command.finalTime),
      isCharged: command.isCharged,
      notes: command.notes,
      createdAt: command.now,
    }),
  ];
}

export function decideRecurringBooking(
  command: RecurringBookingCommand,
  state: RecurringBookingState,
): RecurringBookingEvent[] {
  const { type } = command;
  switch (type) {
    case 'create_recurring_booking':
      return createRecurringBooking(command, state);
    default:
      return unknownCommand(type, 'recurring booking');
  }
}

export function evolveRecurringBooking(_state: RecurringBookingState, e: RecurringBookingEvent): RecurringBookingState {
  return { status: 'created', recurringBooking: e.data };
}

export const recurringBookingDecider: Decider<RecurringBookingCommand, RecurringBookingEvent, RecurringBookingState> = {
  decide: decideRecurringBooking,
  evolve: evolveRecurringBooking,
  initialState: initialRecurringBookingState,
};
