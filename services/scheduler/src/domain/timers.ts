/**
 * Timers: what the scheduler keeps, as values. A timer is a deadline learnt from a
 * domain event; when it falls due the scheduler asks the service that owns the
 * aggregate to act, and that service decides from its current state.
 *
 * Every timer has a unique key (`id`) derived from what it is about, never from
 * the event that announced it, so a replayed or duplicated event maps to the same
 * key and schedules nothing twice.
 */

/** The timer kinds, one per deadline the platform acts on. */
export const timerKinds = [
  'marketplace.offer_expiry',
  'marketplace.addon_expiry',
  'marketplace.support_end',
  'marketplace.files_cleanup',
  'coworking.reminder',
] as const;
export type TimerKind = (typeof timerKinds)[number];

/**
 * - `pending`: waiting for its time (or for a retry after a failed call);
 * - `fired`: the owning service answered 2xx (it acted, or found nothing to do);
 * - `skipped`: the owning service answered that the command does not apply (404, 409, 410);
 * - `cancelled`: the deadline stopped mattering before it fell due (offer signed, charge paid, …);
 * - `failed`: refused as invalid (other 4xx), or retries exhausted. An operator may retry it.
 */
export const timerStatuses = ['pending', 'fired', 'skipped', 'cancelled', 'failed'] as const;
export type TimerStatus = (typeof timerStatuses)[number];

/** What each kind needs to build its call. */
export interface TimerParamsByKind {
  'marketplace.offer_expiry': { projectId: string };
  'marketplace.addon_expiry': { projectId: string; addonId: string };
  'marketplace.support_end': { projectId: string };
  'marketplace.files_cleanup': { projectId: string };
  'coworking.reminder': { chargeId: number; ruleId: number; dueDate: string };
}

/** The event a timer was learnt from (or the operator action, for rules). */
export interface TimerSource {
  type: string;
  eventId: string | null;
}

/** A timer to schedule. */
export type TimerSpec<K extends TimerKind = TimerKind> = {
  [P in K]: {
    id: string;
    kind: P;
    tenant: string;
    /** The aggregate stream (the CloudEvent subject) the deadline belongs to. */
    subject: string;
    dueAt: Date;
    params: TimerParamsByKind[P];
    source: TimerSource;
  };
}[K];

/** Pending timers to cancel: one by key, or every one of a kind on a subject. */
export type TimerCancel =
  { id: string; reason: string } | { tenant: string; subject: string; kind: TimerKind; reason: string };

/** What one event changes: timers to schedule and cancellations, applied in this order. */
export interface TimerChanges {
  schedule: TimerSpec[];
  cancel: TimerCancel[];
}

export const noChanges = (): TimerChanges => ({ schedule: [], cancel: [] });

/**
 * The tenant-qualified aggregate. Subjects start with the tenant (`<tenant>/<aggregate>`,
 * the subject rule of @hookline/events); one that does not (a producer breaking the rule)
 * is qualified here, so two tenants' timers never share a key.
 */
export function scopeOf(tenant: string, subject: string): string {
  return subject.startsWith(`${tenant}/`) ? subject : `${tenant}/${subject}`;
}

/** The unique key of a timer: `<kind>:<tenant>/<stream>[:<part>…]`. */
export function timerId(kind: TimerKind, tenant: string, subject: string, ...parts: (string | number)[]): string {
  return [`${kind}:${scopeOf(tenant, subject)}`, ...parts.map(String)].join(':');
}

export const DAY_MS = 86_400_000;
