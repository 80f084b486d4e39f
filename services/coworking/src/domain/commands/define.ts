// What every Conexa command definition shares: defineCommand, and the fields the service fills in.
import { conexaDateTime, conexaUser, coworkingCompany, coworkingCustomer } from '@hookline/events';
import { z } from 'zod';
import type { CoworkingAggregate } from '../shared.js';

export const id = (what: string) => z.number().int().positive().describe(what);
export const money = (what: string) =>
  z
    .number()
    .nonnegative()
    .max(100_000_000)
    .refine((value) => Math.abs(value * 100 - Math.round(value * 100)) < 1e-6, {
      message: 'at most 2 decimals (centavos)',
    })
    .describe(what);
export const text = (what: string) => z.string().trim().min(1).max(5000).describe(what);
export const optionalText = (what: string) =>
  z.string().max(5000).nullable().default(null).describe(`${what}; null (default) when empty.`);

export const company = coworkingCompany.describe(
  'The unit (company / location) the record belongs to (server-filled: the unit the user is logged into).',
);
export const user = conexaUser.describe('The logged-in Conexa user who registers the record (server-filled).');
export const customerFilled = coworkingCustomer.describe(
  'The customer named by customerId, as the service stores it (server-filled).',
);
export const freshCustomer = coworkingCustomer
  .optional()
  .describe(
    "The record's customer as it is now (server-filled, optional): omitted, the snapshot taken when the record was created is used.",
  );
export const customerBlockedFlag = z
  .boolean()
  .describe(
    "Whether the customer is blocked now (server-filled from the customer's state): picks the *_blocked_customer event variant.",
  );
export const refresh = { customer: freshCustomer };

export function defineCommand<
  const N extends string,
  const A extends CoworkingAggregate,
  B extends z.ZodRawShape,
  S extends z.ZodRawShape,
>(name: N, aggregate: A, description: string, body: B, server: S) {
  return {
    name,
    aggregate,
    body: z.strictObject(body).describe(description),
    schema: z
      .strictObject({
        type: z.literal(name).describe('The command.'),
        now: conexaDateTime.describe(
          'When the command is handled: the server clock in COWORKING_TIME_ZONE, Y-m-d\\TH:i:sP, e.g. 2026-11-23T10:15:00-03:00.',
        ),
        ...server,
        ...body,
      })
      .describe(description),
  };
}

export const none = {};

/** A field made optional, without its default. */
type PatchField<T extends z.ZodType> =
  T extends z.ZodDefault<infer I>
    ? z.ZodOptional<I>
    : T extends z.ZodOptional<infer I>
      ? z.ZodOptional<I>
      : z.ZodOptional<T>;

/** The fields of a creation body as a patch: each optional (omitted: unchanged), without defaults. */
export function patchOf<S extends Record<string, z.ZodType>>(shape: S): { [K in keyof S]: PatchField<S[K]> } {
  return Object.fromEntries(
    Object.entries(shape).map(([key, schema]) => {
      const inner =
        schema instanceof z.ZodDefault || schema instanceof z.ZodOptional ? (schema.unwrap() as z.ZodType) : schema;
      const what = (inner.description ?? schema.description ?? key).replace(/\.$/, '');
      return [key, inner.optional().describe(`${what}. Omitted: unchanged.`)];
    }),
  ) as { [K in keyof S]: PatchField<S[K]> };
}
