import { describe, expect, it } from 'vitest';
import { addCalendarDays, dateIn, instantIn, isTimeZone, localDateTime, offsetMinutes } from './time-zone.js';

describe('time zones', () => {
  it('accepts IANA names and GMT offsets, refuses the rest', () => {
    for (const zone of ['America/Sao_Paulo', 'Asia/Tokyo', 'UTC', 'GMT-03:00', 'GMT-3', '-03:00', '+0530', 'GMT'])
      expect(isTimeZone(zone), zone).toBe(true);
    for (const zone of ['Mars/Olympus', 'GMT-99', 'three']) expect(isTimeZone(zone), zone).toBe(false);
  });

  it('reads offsets, calendar days and local instants', () => {
    expect(offsetMinutes('GMT-03:00', new Date())).toBe(-180);
    expect(offsetMinutes('+05:30', new Date())).toBe(330);
    expect(offsetMinutes('Asia/Tokyo', new Date('2026-12-01T00:00:00Z'))).toBe(540);
    expect(dateIn('America/Sao_Paulo', new Date('2026-12-07T02:00:00Z'))).toBe('2026-12-06');
    expect(dateIn('Asia/Tokyo', new Date('2026-12-06T16:00:00Z'))).toBe('2026-12-07');
    expect(instantIn('America/Sao_Paulo', '2026-12-07', '09:00').toISOString()).toBe('2026-12-07T12:00:00.000Z');
    expect(instantIn('GMT-3', '2026-12-07', '09:00').toISOString()).toBe('2026-12-07T12:00:00.000Z');
    expect(addCalendarDays('2026-12-30', 5)).toBe('2027-01-04');
    expect(addCalendarDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('follows daylight saving time', () => {
    // New York: EST (UTC-5) until 8 March 2026, EDT (UTC-4) from then.
    expect(instantIn('America/New_York', '2026-03-07', '09:00').toISOString()).toBe('2026-03-07T14:00:00.000Z');
    expect(instantIn('America/New_York', '2026-03-09', '09:00').toISOString()).toBe('2026-03-09T13:00:00.000Z');
    expect(instantIn('America/New_York', '2026-03-08', '09:00').toISOString()).toBe('2026-03-08T13:00:00.000Z');
  });

  it('writes a local date-time as Conexa does: Y-m-d\\TH:i:sP, whole seconds, the offset of the zone then', () => {
    const at = new Date('2026-12-06T20:36:25.509Z');
    expect(localDateTime(at, 'America/Sao_Paulo')).toBe('2026-12-06T17:36:25-03:00');
    expect(localDateTime(at, 'GMT-03:00')).toBe('2026-12-06T17:36:25-03:00');
    expect(localDateTime(at, 'America/Manaus')).toBe('2026-12-06T16:36:25-04:00');
    expect(localDateTime(at, 'UTC')).toBe('2026-12-06T20:36:25+00:00');
    expect(localDateTime(at, '+05:30')).toBe('2026-12-07T02:06:25+05:30');
    // Around midnight the calendar day is the zone's, and daylight saving moves the offset.
    expect(localDateTime(new Date('2026-12-07T02:00:00Z'), 'America/Sao_Paulo')).toBe('2026-12-06T23:00:00-03:00');
    expect(localDateTime(new Date('2026-07-01T12:00:00Z'), 'America/New_York')).toBe('2026-07-01T08:00:00-04:00');
    expect(localDateTime(new Date('2026-01-01T12:00:00Z'), 'America/New_York')).toBe('2026-01-01T07:00:00-05:00');
  });
});
