/**
 * Seller plans as the project aggregate uses them: the catalog's `sellerPlan` (limits and
 * commission; null = no limit) with a name, the free plan of the BIYRO document, and the
 * limit check that raises `limit_reached`.
 */
import { freeSellerPlan, sellerPlan } from '@hookline/events';
import { limitReached } from '@hookline/errors';
import { z } from 'zod';

/** The limits a plan sets, by the names `limit_reached` answers carry. */
export const planLimits = ['activeProjects', 'addonsPerProject', 'stagesPerProject'] as const;
export type PlanLimit = (typeof planLimits)[number];

/** The seller plan in force when a command runs (the service looks it up; paid plans are configurable). */
export const plan = sellerPlan
  .extend({ name: z.string().min(1).describe("Name of the plan, e.g. 'free' or 'pro'.") })
  .describe("The seller's plan: its limits (null = no limit) and the commission the platform takes from each invoice.");
export type Plan = z.infer<typeof plan>;

/** The free seller plan of the document: 1 active project, 1 add-on and 1 stage per project, 20% commission. */
export const freePlan: Plan = { name: 'free', ...freeSellerPlan };

/** What each limit counts, for one and for several. */
const limitLabels: Record<PlanLimit, [one: string, several: string]> = {
  activeProjects: ['active project', 'active projects'],
  addonsPerProject: ['add-on per project', 'add-ons per project'],
  stagesPerProject: ['stage per project', 'stages per project'],
};

/**
 * Throws `limit_reached` (422, details `{ limit, max, current, plan }`) when `current + adding`
 * would exceed the plan's limit.
 */
export function checkLimit(sellerPlan: Plan, limit: PlanLimit, current: number, adding = 1): void {
  const max = sellerPlan[limit];
  if (max === null || current + adding <= max) return;
  throw limitReached(`the ${sellerPlan.name} plan allows at most ${max} ${limitLabels[limit][max === 1 ? 0 : 1]}`, {
    limit,
    max,
    current,
    plan: sellerPlan.name,
  });
}
