import { bookingCancelledData, bookingCreatedData, recurringBookingCreatedData } from '@hookline/events';
import { describe, expect, it } from 'vitest';
import { occurrenceDates } from './booking.js';
import {
  answer,
  bookingInput,
  clock,
  example,
  givenBooking,
  givenRecurringBooking,
  publishedTypes,
  recurringInput,
} from './conexa.fixtures.js';

describe('booking (reserva)', () => {
  it('a one-off booking publishes created; its cancellation publishes cancelled with the reason', () => {
    const at = clock();
    const cancelled = givenBooking()
      .when(at(bookingInput()))
      .then(([created]) => {
        expect(bookingCreatedData.parse(created?.data)).toEqual(example('coworking.booking.created'));
      })
      .when(at({ type: 'cancel_booking', cancellationReason: 'Reunião remarcada pelo cliente.' }));
    // The catalog's cancellation of the same booking, which keeps the booking's notes.
    expect(bookingCancelledData.parse(cancelled.events[0]?.data)).toEqual({
      ...example('coworking.booking.cancelled'),
      notes: example('coworking.booking.created').notes,
    });
    expect(cancelled.state.status).toBe('cancelled');
  });

  it('a booking generated from a recurring booking publishes nothing; it can still be cancelled', () => {
    const at = clock();
    const generated = givenBooking().when(
      at(bookingInput({ bookingId: 30501, fromRecurrence: true, recurringBookingId: 712 })),
    );
    expect(publishedTypes(generated.events)).toEqual([]);
    expect(generated.state.status).toBe('booked');
    expect(generated.state.booking?.recurringBookingId).toBe(712);
    expect(generated.history.map((event) => event.type)).toEqual(['internal.booking.generated']);
    const [cancelled] = generated.when(at({ type: 'cancel_booking', cancellationReason: 'Feriado municipal.' })).events;
    expect(cancelled?.type).toBe('coworking.booking.cancelled');
    expect(bookingCancelledData.parse(cancelled?.data)).toMatchObject({
      bookingId: 30501,
      cancellationReason: 'Feriado municipal.',
    });
  });

  it('refuses: a generated booking without its recurring booking, a recurring id on a one-off one, an end before the start (400); cancelling twice (409) or an unknown booking (404)', () => {
    const at = clock();
    const none = givenBooking();
    expect(answer(none.when(at(bookingInput({ fromRecurrence: true }))).thenThrows())).toMatchObject({
      code: 'invalid',
    });
    expect(answer(none.when(at(bookingInput({ recurringBookingId: 712 }))).thenThrows())).toMatchObject({
      code: 'invalid',
    });
    expect(answer(none.when(at(bookingInput({ finalTime: '2026-11-26T13:00:00-03:00' }))).thenThrows())).toMatchObject({
      code: 'invalid',
    });
    expect(answer(none.when(at(bookingInput({ personId: 4415 }))).thenThrows())).toMatchObject({ code: 'invalid' });
    expect(answer(none.when(at({ type: 'cancel_booking', cancellationReason: 'x' })).thenThrows())).toMatchObject({
      code: 'not_found',
    });
    const cancelled = none
      .when(at(bookingInput()))
      .when(at({ type: 'cancel_booking', cancellationReason: 'Cliente desistiu.' }));
    expect(
      answer(cancelled.when(at({ type: 'cancel_booking', cancellationReason: 'De novo.' })).thenThrows()),
    ).toMatchObject({
      code: 'illegal_transition',
      details: { state: 'cancelled', allowed: [] },
    });
  });
});

describe('recurring booking (reserva recorrente)', () => {
  it('created: occurrences counted and summarised', () => {
    const at = clock();
    const created = givenRecurringBooking().when(at(recurringInput));
    // The catalog's example with what this decider works out: the occurrences, a summary naming the place in
    // full, and the clock's time.
    expect(recurringBookingCreatedData.parse(created.events[0]?.data)).toEqual({
      ...example('coworking.recurring_booking.created'),
      occurrenceAmount: 18,
      resume: 'Sala de Reunião Pampulha (8 lugares), terças e quintas, das 09:00 às 11:00, de 01/12/2026 a 28/01/2027',
      createdAt: '2026-11-23T09:00:00-03:00',
    });
    expect(answer(created.when(at(recurringInput)).thenThrows())).toMatchObject({ code: 'illegal_transition' });
  });

  it('a recurring booking then its generated bookings: only recurring_booking.created is published', () => {
    const at = clock();
    const recurring = givenRecurringBooking().when(at(recurringInput));
    const dates = occurrenceDates(recurringInput);
    expect(dates.slice(0, 3)).toEqual(['2026-12-01', '2026-12-03', '2026-12-08']);
    const published = dates.flatMap((date, index) =>
      publishedTypes(
        givenBooking().when(
          at(
            bookingInput({
              bookingId: 30600 + index,
              fromRecurrence: true,
              recurringBookingId: 712,
              startTime: `${date}T09:00:00-03:00`,
              finalTime: `${date}T11:00:00-03:00`,
            }),
          ),
        ).events,
      ),
    );
    expect(published).toEqual([]);
    expect(publishedTypes(recurring.history)).toEqual(['coworking.recurring_booking.created']);
  });

  it('monthly occurrences fall on the day of the first one; fewer generated bookings may be reported', () => {
    expect(
      occurrenceDates({
        repeatType: 'Monthly',
        daysWeek: ['Monday'],
        firstOccurrence: '2026-10-31',
        lastOccurrence: '2027-03-31',
      }),
    ).toEqual(['2026-10-31', '2026-12-31', '2027-01-31', '2027-03-31']);
    const at = clock();
    givenRecurringBooking()
      .when(
        at({
          ...recurringInput,
          repeatType: 'Monthly',
          daysWeek: ['Monday'],
          firstOccurrence: '2026-12-07',
          lastOccurrence: '2027-05-07',
          generatedQuantity: 5,
        }),
      )
      .then(([event]) => {
        expect(recurringBookingCreatedData.parse(event?.data)).toMatchObject({
          occurrenceAmount: 6,
          generatedQuantity: 5,
          resume: expect.stringContaining('todo dia 7 do mês'),
        });
      });
  });

  it('refuses an empty or inverted recurrence (400)', () => {
    const at = clock();
    const none = givenRecurringBooking();
    expect(answer(none.when(at({ ...recurringInput, lastOccurrence: '2026-11-30' })).thenThrows())).toMatchObject({
      code: 'invalid',
    });
    expect(
      answer(
        none.when(at({ ...recurringInput, firstOccurrence: '2026-12-02', lastOccurrence: '2026-12-02' })).thenThrows(),
      ),
    ).toMatchObject({ code: 'invalid' });
    expect(answer(none.when(at({ ...recurringInput, finalTime: '08:00' })).thenThrows())).toMatchObject({
      code: 'invalid',
    });
    expect(answer(none.when(at({ ...recurringInput, generatedQuantity: 19 })).thenThrows())).toMatchObject({
      code: 'invalid',
    });
  });
});
