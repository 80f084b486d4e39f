// The booking (reserva) and recurring booking (reserva recorrente) commands.
import {
  bookingCreatedData,
  contractRef,
  coworkingPersonRef,
  bookingPlace,
  bookingSale,
  recurringBookingCreatedData,
} from '@hookline/events';
import { z } from 'zod';
import { id, text, company, customerFilled, refresh, defineCommand } from './define.js';

// ---------------------------------------------------------------------------
// Booking (reserva) and recurring booking (reserva recorrente)
// ---------------------------------------------------------------------------

const booking = bookingCreatedData.shape;

export const createBooking = defineCommand(
  'create_booking',
  'booking',
  'A booking is created: by a user (publishes coworking.booking.created), or generated from a recurring booking (fromRecurrence: publishes nothing).',
  {
    bookingType: booking.type.describe("Booking type (the payload's `type`): coworking (a seat) or room."),
    placeId: id('ID of the place (room or coworking space) booked.'),
    customerId: id('ID of the customer the booking is for.'),
    personId: id('ID of the person the booking is for.'),
    notes: booking.notes.default(null).describe('Notes; null (default) when empty.'),
    isOnlinePayment: booking.isOnlinePayment
      .default(false)
      .describe('Whether the booking was paid online; false by default.'),
    isBilled: booking.isBilled
      .default(false)
      .describe('Whether the booking has already been invoiced; false by default.'),
    startTime: booking.startTime,
    finalTime: booking.finalTime,
    fromRecurrence: z
      .boolean()
      .default(false)
      .describe(
        'True when the booking is one of the occurrences generated from a recurring booking: no webhook fires for it. False by default.',
      ),
    recurringBookingId: z
      .number()
      .int()
      .positive()
      .nullable()
      .default(null)
      .describe(
        'ID of the recurring booking the occurrence is generated from; required with fromRecurrence, null (default) otherwise.',
      ),
  },
  {
    bookingId: id('ID of the new booking (server-generated).'),
    place: bookingPlace.describe('The place named by placeId (server-filled).'),
    customer: customerFilled,
    person: coworkingPersonRef.describe('The person named by personId (server-filled).'),
    sale: bookingSale.describe('The sale of the booking (server-filled: the sale the booking generated).'),
  },
);

export const cancelBooking = defineCommand(
  'cancel_booking',
  'booking',
  'A user cancels the booking, giving the reason.',
  { cancellationReason: text('Reason for the cancellation.') },
  refresh,
);

const recurring = recurringBookingCreatedData.shape;

export const createRecurringBooking = defineCommand(
  'create_recurring_booking',
  'recurring_booking',
  'A user creates a recurring booking: publishes coworking.recurring_booking.created; the bookings generated from it publish nothing (create_booking with fromRecurrence).',
  {
    contractId: id('ID of the contract the recurring booking belongs to.'),
    customerId: id('ID of the customer.'),
    placeId: id('ID of the place booked.'),
    personId: id('ID of the person the bookings are for.'),
    repeatType: recurring.repeatType,
    daysWeek: recurring.daysWeek
      .min(1)
      .describe('Days of the week of a Weekly booking (Monday … Sunday); for a Monthly one, informative.'),
    firstOccurrence: recurring.firstOccurrence,
    lastOccurrence: recurring.lastOccurrence,
    startTime: recurring.startTime,
    finalTime: recurring.finalTime,
    isCharged: recurring.isCharged.default(true).describe('Whether the bookings will be charged; true by default.'),
    notes: recurring.notes.default(null).describe('Notes; null (default) when empty.'),
  },
  {
    recurringBookingId: id('ID of the new recurring booking (server-generated).'),
    contract: contractRef.describe('The contract named by contractId (server-filled).'),
    customer: customerFilled,
    place: bookingPlace.describe('The place named by placeId (server-filled).'),
    company,
    person: coworkingPersonRef.describe('The person named by personId (server-filled).'),
    registeredBy: recurring.registeredBy.describe('Name of the logged-in user (server-filled).'),
    timeZone: recurring.timeZone.describe("The unit's time zone as a GMT offset, e.g. GMT-03:00 (server-filled)."),
    generatedQuantity: z
      .number()
      .int()
      .nonnegative()
      .optional()
      .describe(
        'Number of bookings actually generated (server-filled when some occurrences could not be booked); omitted: every occurrence.',
      ),
  },
);
