import { z } from 'zod';

/*
 * Coworking-specific primitives for the Conexa events.
 *
 * Date formats in the Conexa document: every date-time is `Y-m-d\TH:i:sP` (use `conexaDateTime`)
 * and every date is `Y-m-d` (use `ymdDate` from ../common.js). The document never uses
 * `Y-m-d H:i:s`, so no such primitive exists here.
 */

/**
 * A date-time as the Conexa document writes it, PHP's `Y-m-d\TH:i:sP`: whole seconds and the offset
 * of the unit's time zone, e.g. 2026-12-06T17:36:25-03:00 — no fraction of a second, and `+00:00`
 * rather than `Z` (PHP's `P`). `localDateTime` (../time-zone.js) writes one.
 */
export const conexaDateTime = z
  .string()
  .regex(
    /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d[+-]([01]\d|2[0-3]):[0-5]\d$/,
    'a Conexa date-time, Y-m-d\\TH:i:sP, e.g. 2026-12-06T17:36:25-03:00 (whole seconds, an offset rather than Z)',
  )
  .refine(isCalendarDate, 'not a day of the calendar')
  .meta({ format: 'date-time' });

/** Whether the Y-m-d a date-time starts with is a day of the calendar (not 2026-02-30). */
function isCalendarDate(value: string): boolean {
  const [year, month, day] = value.slice(0, 10).split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** A Conexa record ID (documented type `int`). */
export const entityId = z.number().int().positive();

/** A documented `int` that counts something (quantities, installments, occurrences). */
export const count = z.number().int().nonnegative();

/** A non-empty name or label. */
export const label = z.string().min(1);

/** An e-mail address. */
export const email = z.email();

/** A phone number as the user typed it (the document gives no format). */
export const phone = z.string().min(1);

/** A URL (invoice page, bank slip PDF). */
export const webUrl = z.url({ protocol: /^https?$/ });

/**
 * CPF (Brazilian individual taxpayer number), with or without punctuation:
 * 529.982.247-25 or 52998224725. Shape only, the check digits are not verified.
 */
export const cpf = z.string().regex(/^\d{3}\.?\d{3}\.?\d{3}-?\d{2}$/, 'a CPF such as 529.982.247-25');

/**
 * CNPJ (Brazilian company registration number), with or without punctuation:
 * 11.222.333/0001-81 or 11222333000181. The first twelve characters may be letters,
 * as in the alphanumeric CNPJ issued from July 2026; the two check digits are numeric.
 * Shape only, the check digits are not verified.
 */
export const cnpj = z
  .string()
  .regex(/^[0-9A-Z]{2}\.?[0-9A-Z]{3}\.?[0-9A-Z]{3}\/?[0-9A-Z]{4}-?\d{2}$/, 'a CNPJ such as 11.222.333/0001-81');

/** Time of day as H:i or H:i:s (24-hour clock), e.g. 09:00 or 09:00:00. */
export const timeOfDay = z.iso.time();

/**
 * A unit's time zone "no formato GMT" (the document gives no example):
 * an offset from GMT, e.g. GMT-03:00, GMT-3 or -03:00; plain GMT for zero offset.
 */
export const gmtOffset = z
  .string()
  .regex(/^(?:(?:GMT|UTC)(?:[+-]\d{1,2}(?::?\d{2})?)?|[+-]\d{1,2}(?::?\d{2})?)$/, 'a GMT offset such as GMT-03:00');

/** English day names for `daysWeek`; the document says only "days (in English)". */
export const weekDay = z.enum(['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']);
