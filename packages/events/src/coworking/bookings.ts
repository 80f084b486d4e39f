import { z } from 'zod';
import { ymdDate } from '../common.js';
import { defineEvent } from '../define.js';
import {
  bookingPlace,
  bookingSale,
  contractRef,
  coworkingCompany,
  coworkingCustomer,
  coworkingPersonRef,
} from './objects.js';
import { conexaDateTime, count, entityId, gmtOffset, label, timeOfDay, weekDay } from './primitives.js';

/** Booking type: coworking (a coworking seat) or room (sala). */
export const bookingType = z.enum(['coworking', 'room']).describe('Booking type: coworking or room');

/** Repetition of a recurring booking: Weekly (Semanal) or Monthly (Mensal). */
export const recurringBookingRepeatType = z
  .enum(['Weekly', 'Monthly'])
  .describe('How the booking repeats: Weekly or Monthly');

const bookingId = entityId.describe('Booking ID');
const sale = bookingSale;
const place = bookingPlace.describe('The place booked');
const customer = coworkingCustomer.describe('The customer the booking is for');
const person = coworkingPersonRef.describe('The person the booking is for');
const notes = z.string().nullable().describe('Notes'); // free text, may be left empty
const isOnlinePayment = z.boolean().describe('Whether the booking was paid online');
const startTime = conexaDateTime.describe(
  'Start date and time of the booking, Y-m-d\\TH:i:sP (whole seconds, the offset of the unit)',
);
const finalTime = conexaDateTime.describe(
  'End date and time of the booking, Y-m-d\\TH:i:sP (whole seconds, the offset of the unit)',
);

/** Payload of `coworking.booking.created` (Cadastro). */
export const bookingCreatedData = z.object({
  bookingId,
  sale,
  type: bookingType,
  place,
  customer,
  person,
  notes,
  isOnlinePayment,
  isBilled: z.boolean().describe('Whether the booking has already been invoiced'),
  startTime,
  finalTime,
});

/** Payload of `coworking.booking.cancelled` (Cancelamento). */
export const bookingCancelledData = z.object({
  bookingId,
  sale,
  type: bookingType,
  place,
  customer,
  person,
  notes,
  isOnlinePayment,
  cancellationReason: z.string().describe('Reason for the cancellation'),
  startTime,
  finalTime,
});

/** Payload of `coworking.recurring_booking.created` (Cadastro). */
export const recurringBookingCreatedData = z.object({
  recurringBookingId: entityId.describe('Recurring booking ID'),
  contract: contractRef.describe('The contract the recurring booking belongs to'),
  customer,
  place,
  company: coworkingCompany.describe('The unit of the booking'),
  person,
  registeredBy: label.describe('Name of the user who registered the recurring booking'),
  repeatType: recurringBookingRepeatType,
  daysWeek: z.array(weekDay).describe('Days of the week (in English) of the booking'),
  firstOccurrence: ymdDate.describe('Date of the first occurrence of the booking, Y-m-d'),
  lastOccurrence: ymdDate.describe('Date of the last occurrence of the booking, Y-m-d'),
  startTime: timeOfDay.describe('Start time of the booking (time of day, in the unit time zone)'),
  finalTime: timeOfDay.describe('End time of the booking (time of day, in the unit time zone)'),
  timeZone: gmtOffset.describe("Time zone of the booking's unit, as a GMT offset"),
  occurrenceAmount: count.describe('Number of occurrences of the booking'),
  generatedQuantity: count.describe('Number of bookings generated'),
  resume: z.string().describe('A short summary of the booking'),
  isCharged: z.boolean().describe('Whether the booking will be charged'),
  notes: z.string().nullable().describe('Notes on the booking'), // free text, may be left empty
  createdAt: conexaDateTime.describe('Creation date, Y-m-d\\TH:i:sP (whole seconds, the offset of the unit)'),
});

const exampleCustomer = {
  id: 1907,
  name: 'Fernanda Ribeiro Costa',
  tradeName: null,
  firstName: 'Fernanda',
  cellNumber: '(31) 98123-4567',
  phones: [],
  emails: ['fernanda.costa@gmail.com'],
  emailsFinancialMessages: ['fernanda.costa@gmail.com'],
};

export const bookingCreated = defineEvent({
  type: 'coworking.booking.created',
  domain: 'coworking',
  description: 'Fires whenever a one-off (non-recurring) booking is created.',
  sourceName: 'Cadastro',
  initiator: 'user',
  data: bookingCreatedData,
  example: {
    bookingId: 30412,
    sale: { id: 90377, value: 180, seller: 'Juliana Mendes' },
    type: 'room',
    place: { id: 12, name: 'Sala de Reunião Pampulha (8 lugares)' },
    customer: exampleCustomer,
    person: { id: 4410, name: 'Fernanda Ribeiro Costa' },
    notes: 'Precisa de projetor e café para 6 pessoas.',
    isOnlinePayment: false,
    isBilled: false,
    startTime: '2026-11-26T14:00:00-03:00',
    finalTime: '2026-11-26T17:00:00-03:00',
  },
});

export const bookingCancelled = defineEvent({
  type: 'coworking.booking.cancelled',
  domain: 'coworking',
  description: 'Fires when a booking is cancelled.',
  sourceName: 'Cancelamento',
  initiator: 'user',
  data: bookingCancelledData,
  example: {
    bookingId: 30412,
    sale: { id: 90377, value: 180, seller: 'Juliana Mendes' },
    type: 'room',
    place: { id: 12, name: 'Sala de Reunião Pampulha (8 lugares)' },
    customer: exampleCustomer,
    person: { id: 4410, name: 'Fernanda Ribeiro Costa' },
    notes: null,
    isOnlinePayment: false,
    cancellationReason: 'Reunião remarcada pelo cliente.',
    startTime: '2026-11-26T14:00:00-03:00',
    finalTime: '2026-11-26T17:00:00-03:00',
  },
});

export const recurringBookingCreated = defineEvent({
  type: 'coworking.recurring_booking.created',
  domain: 'coworking',
  description:
    'Fires whenever a recurring booking is created; it does not fire for the individual bookings generated from the recurring booking.',
  sourceName: 'Cadastro',
  initiator: 'user',
  data: recurringBookingCreatedData,
  example: {
    recurringBookingId: 712,
    contract: { id: 2290, namePlan: 'Plano Flex 40h' },
    customer: exampleCustomer,
    place: { id: 12, name: 'Sala de Reunião Pampulha (8 lugares)' },
    company: { id: 3, name: 'Conexa Coworking Savassi' },
    person: { id: 4410, name: 'Fernanda Ribeiro Costa' },
    registeredBy: 'Juliana Mendes',
    repeatType: 'Weekly',
    daysWeek: ['Tuesday', 'Thursday'],
    firstOccurrence: '2026-12-01',
    lastOccurrence: '2027-01-28',
    startTime: '09:00',
    finalTime: '11:00',
    timeZone: 'GMT-03:00',
    occurrenceAmount: 18,
    generatedQuantity: 18,
    resume: 'Sala de Reunião Pampulha, terças e quintas, das 09:00 às 11:00, de 01/12/2026 a 28/01/2027',
    isCharged: true,
    notes: null,
    createdAt: '2026-11-23T11:32:17-03:00',
  },
});

export const bookingEvents = [bookingCreated, bookingCancelled] as const;
export const recurringBookingEvents = [recurringBookingCreated] as const;
