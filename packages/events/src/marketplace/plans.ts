/**
 * BIYRO seller plans. The document states only the free plan ("Bezmaksas konta ierobežojumi":
 * Aktīvie projekti: 1, Papildinājumi projektā: 1, Projektu posmi: 1, Komisija: 20%); paid plans are
 * configurable and validated by `sellerPlan`.
 */
import { z } from 'zod';

const limit = (what: string) =>
  z.number().int().positive().nullable().describe(`Maximum number of ${what}; null for no limit.`);

/** Limits and commission of a seller plan. */
export const sellerPlan = z
  .object({
    activeProjects: limit('projects the seller may have active at the same time'),
    addonsPerProject: limit('add-ons (papildinājumi) per project'),
    stagesPerProject: limit('stages (posmi) per project'),
    commissionRate: z
      .number()
      .min(0)
      .max(1)
      .describe('Commission the platform takes from each invoice, as a fraction (0.2 = 20%).'),
  })
  .describe('Limits and commission of a BIYRO seller plan.');
export type SellerPlan = z.infer<typeof sellerPlan>;

/** The free seller plan, as the document gives it. */
export const freeSellerPlan = {
  activeProjects: 1,
  addonsPerProject: 1,
  stagesPerProject: 1,
  commissionRate: 0.2,
} as const satisfies SellerPlan;
