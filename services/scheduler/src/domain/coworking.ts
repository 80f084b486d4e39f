/**
 * The coworking (Conexa) charge reminders. A reminder rule (Regra de Aviso) says on
 * which day relative to a charge's due date a reminder goes out ("3 days before",
 * "5 days overdue"); the day is a calendar day in the unit's time zone. There is
 * one timer per charge and rule, so at most one reminder per charge and rule.
 * Pure: no I/O, no clock (the caller passes the instant it judges from).
 */
import { addCalendarDays, dateIn, instantIn } from '@hookline/events';
import { timerId, type TimerCancel, type TimerSource, type TimerSpec } from './timers.js';

export interface ReminderRule {
  ruleId: number;
  name: string | null;
  /** Negative before the due date, 0 on it, positive overdue (5 = five days late). */
  daysFromDueDate: number;
  /** The unit's time zone: an IANA name or a GMT offset. */
  unitTimeZone: string;
  /** Local time of day (H:i) the reminder goes out on its day. */
  sendAt: string;
}

export interface Charge {
  tenant: string;
  /** The charge's stream, e.g. `coworking.charge:55120`. */
  subject: string;
  chargeId: number;
  /** Y-m-d. */
  dueDate: string;
  unitId: number;
}

export type ChargeFact = { kind: 'generated' | 'settled' | 'status_changed'; charge: Charge };

const chargeKinds: Record<string, ChargeFact['kind']> = {
  'coworking.charge.generated': 'generated',
  'coworking.charge.settled': 'settled',
  'coworking.charge.status_changed': 'status_changed',
};

/** What a coworking event says about a charge's reminders; null for other events. */
export function chargeFactOf(event: {
  type: string;
  tenant: string;
  subject: string;
  data: unknown;
}): ChargeFact | null {
  const kind = chargeKinds[event.type];
  if (kind === undefined) return null;
  const data = event.data as { chargeId: number; dueDate: string; company: { id: number } };
  return {
    kind,
    charge: {
      tenant: event.tenant,
      subject: event.subject,
      chargeId: data.chargeId,
      dueDate: data.dueDate,
      unitId: data.company.id,
    },
  };
}

/** The calendar day (in the unit's time zone) of a rule's reminder for a due date. */
export function reminderDay(dueDate: string, rule: Pick<ReminderRule, 'daysFromDueDate'>): string {
  return addCalendarDays(dueDate, rule.daysFromDueDate);
}

/** When a rule's reminder for a due date goes out: its day, at `sendAt` in the unit's time zone. */
export function reminderDueAt(
  dueDate: string,
  rule: Pick<ReminderRule, 'daysFromDueDate' | 'unitTimeZone' | 'sendAt'>,
): Date {
  return instantIn(rule.unitTimeZone, reminderDay(dueDate, rule), rule.sendAt);
}

export function reminderTimerId(charge: Pick<Charge, 'tenant' | 'subject'>, ruleId: number): string {
  return timerId('coworking.reminder', charge.tenant, charge.subject, ruleId);
}

/**
 * The reminder timers of a charge for the rules, judged at `at` (when the charge
 * became known, or the rule was set): a rule whose day was already over at `at`, in
 * the unit's time zone, gets none; on its day, a reminder whose hour has passed is
 * due at once.
 */
export function reminderTimers(
  charge: Charge,
  rules: readonly ReminderRule[],
  at: Date,
  source: TimerSource,
): TimerSpec<'coworking.reminder'>[] {
  return rules
    .filter((rule) => reminderDay(charge.dueDate, rule) >= dateIn(rule.unitTimeZone, at))
    .map((rule) => ({
      id: reminderTimerId(charge, rule.ruleId),
      kind: 'coworking.reminder' as const,
      tenant: charge.tenant,
      subject: charge.subject,
      dueAt: reminderDueAt(charge.dueDate, rule),
      params: { chargeId: charge.chargeId, ruleId: rule.ruleId, dueDate: charge.dueDate },
      source,
    }));
}

/** Every pending reminder of a charge (paid: no reminder matters any more). */
export function cancelReminders(charge: Pick<Charge, 'tenant' | 'subject'>, reason: string): TimerCancel {
  return { tenant: charge.tenant, subject: charge.subject, kind: 'coworking.reminder', reason };
}
