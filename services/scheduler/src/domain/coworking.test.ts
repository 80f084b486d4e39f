import { describe, expect, it } from 'vitest';
import {
  cancelReminders,
  chargeFactOf,
  reminderDay,
  reminderDueAt,
  reminderTimers,
  type Charge,
  type ReminderRule,
} from './coworking.js';

const charge: Charge = {
  tenant: 'conexa',
  subject: 'coworking.charge:55120',
  chargeId: 55120,
  dueDate: '2026-12-10',
  unitId: 3,
};
const rule = (
  ruleId: number,
  daysFromDueDate: number,
  unitTimeZone = 'America/Sao_Paulo',
  sendAt = '09:00',
): ReminderRule => ({ ruleId, name: null, daysFromDueDate, unitTimeZone, sendAt });
const source = { type: 'coworking.charge.generated', eventId: 'e1' };

describe('charge reminders', () => {
  it('puts the reminder on its calendar day in the unit time zone, at the send time', () => {
    expect(reminderDay('2026-12-10', { daysFromDueDate: -3 })).toBe('2026-12-07');
    expect(reminderDay('2026-12-10', { daysFromDueDate: 5 })).toBe('2026-12-15');
    expect(reminderDueAt('2026-12-10', rule(1, -3)).toISOString()).toBe('2026-12-07T12:00:00.000Z');
    expect(reminderDueAt('2026-12-10', rule(1, -3, 'Asia/Tokyo')).toISOString()).toBe('2026-12-07T00:00:00.000Z');
    expect(reminderDueAt('2026-12-10', rule(1, 0, 'GMT-03:00', '07:30')).toISOString()).toBe(
      '2026-12-10T10:30:00.000Z',
    );
  });

  it('makes one timer per charge and rule, keyed by both', () => {
    const timers = reminderTimers(charge, [rule(1, -3), rule(2, 5)], new Date('2026-11-23T13:15:00Z'), source);
    expect(timers).toEqual([
      {
        id: 'coworking.reminder:conexa/coworking.charge:55120:1',
        kind: 'coworking.reminder',
        tenant: 'conexa',
        subject: 'coworking.charge:55120',
        dueAt: new Date('2026-12-07T12:00:00Z'),
        params: { chargeId: 55120, ruleId: 1, dueDate: '2026-12-10' },
        source,
      },
      expect.objectContaining({
        id: 'coworking.reminder:conexa/coworking.charge:55120:2',
        dueAt: new Date('2026-12-15T12:00:00Z'),
      }),
    ]);
  });

  it('skips a rule whose day was over, in the unit time zone, when the charge became known; on the day itself it is due at once', () => {
    const rules = [rule(1, -3), rule(2, 0)];
    // 2026-12-08 01:00 UTC is still 7 December in São Paulo: the "3 days before" day.
    expect(
      reminderTimers(charge, rules, new Date('2026-12-08T01:00:00Z'), source).map((timer) => timer.params.ruleId),
    ).toEqual([1, 2]);
    // 03:00 UTC is 8 December there: too late for it.
    expect(
      reminderTimers(charge, rules, new Date('2026-12-08T03:00:00Z'), source).map((timer) => timer.params.ruleId),
    ).toEqual([2]);
    // On the due date after 09:00 local: due at once.
    const late = reminderTimers(charge, [rule(2, 0)], new Date('2026-12-10T15:00:00Z'), source);
    expect(late[0]!.dueAt.getTime()).toBeLessThan(Date.parse('2026-12-10T15:00:00Z'));
  });

  it('reads charges from the charge events, and cancels every reminder of a charge at once', () => {
    const data = { chargeId: 55120, dueDate: '2026-12-10', company: { id: 3, name: 'Savassi' } };
    expect(
      chargeFactOf({ type: 'coworking.charge.settled', tenant: 'conexa', subject: 'coworking.charge:55120', data }),
    ).toEqual({ kind: 'settled', charge });
    expect(
      chargeFactOf({ type: 'coworking.charge.reminder', tenant: 'conexa', subject: 'coworking.charge:55120', data }),
    ).toBeNull();
    expect(cancelReminders(charge, 'settled')).toEqual({
      tenant: 'conexa',
      subject: 'coworking.charge:55120',
      kind: 'coworking.reminder',
      reason: 'settled',
    });
  });
});
