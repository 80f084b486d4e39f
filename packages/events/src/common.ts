import { z } from 'zod';

/** ISO 8601 date-time with an offset, e.g. 2026-11-23T10:15:00-03:00 or ...Z. */
export const isoDateTime = z.iso.datetime({ offset: true });
/** Calendar date as Y-m-d, e.g. 2026-11-23. */
export const ymdDate = z.iso.date();
/** A money amount in the currency's major unit, e.g. 149.9. */
export const money = z.number().nonnegative();
/** ISO 4217 currency code. */
export const currency = z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as EUR');
