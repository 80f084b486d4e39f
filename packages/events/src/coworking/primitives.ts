import { z } from 'zod';

/*
 * Coworking-specific primitives for the Conexa events.
 *
 * Date formats in the Conexa document: every date-time is ISO 8601 with an offset
 * (`Y-m-d\TH:i:sP`, use `isoDateTime` from ../common.js) and every date is `Y-m-d`
 * (use `ymdDate`). The document never uses `Y-m-d H:i:s`, so no such primitive exists here.
 */

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
export const cpf = z
  .string()
  .regex(/^\d{3}\.?\d{3}\.?\d{3}-?\d{2}$/, 'a CPF such as 529.982.247-25');

/**
 * CNPJ (Brazilian company registration number), with or without punctuation:
 * 11.222.333/0001-81 or 11222333000181. The first twelve characters may be letters,
 * as in the alphanumeric CNPJ issued from July 2026; the two check digits are numeric.
 * Shape only, the check digits are not verified.
 */
export const cnpj = z
  .string()
  .regex(
    /^[0-9A-Z]{2}\.?[0-9A-Z]{3}\.?[0-9A-Z]{3}\/?[0-9A-Z]{4}-?\d{2}$/,
    'a CNPJ such as 11.222.333/0001-81',
  );

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
