import { z } from 'zod';

/** ISO 8601 date-time with an offset, e.g. 2026-11-23T10:15:00-03:00 or ...Z. */
export const isoDateTime = z.iso.datetime({ offset: true });
/** Calendar date as Y-m-d, e.g. 2026-11-23. */
export const ymdDate = z.iso.date();
/** A money amount in the currency's major unit, e.g. 149.9. */
export const money = z.number().nonnegative();

/**
 * A money amount rounded to cents, half away from zero: 1.005 → 1.01, −1.005 → −1.01, and never −0.
 * toPrecision(15) first drops the noise of binary floating point (1.005 × 100 = 100.49999999999999 → 100.5).
 */
export function round2(value: number): number {
  const cents = Math.round(Number((Math.abs(value) * 100).toPrecision(15)));
  return (Math.sign(value) * cents) / 100 + 0;
}
/** ISO 4217 currency code. */
export const currency = z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as EUR');
