// Coworking charge reminders: the rules per tenant (set over the scheduler's API:
// the catalog has no rule events), the charges the scheduler has seen, and the
// reminder timers kept in step with both — one per charge and rule, cancelled
// when the charge is settled, moved when its due date or the rule changes.
//
// A rule and a charge can arrive at the same moment from two sides (an API call,
// an event). Each side writes its own document first and reads the other's after,
// so at least one of them sees both and schedules the reminder.
import { limitReached } from '@hookline/errors';
import { insertNew } from '@hookline/store';
import type { ChargeDocument, ReminderRuleDocument, SchedulerCollections } from '../adapters/scheduler-store.js';
import {
  cancelReminders,
  reminderTimers,
  type Charge,
  type ChargeFact,
  type ReminderRule,
  type TimerSource,
} from '../domain/index.js';
import type { TimerBook } from './timer-book.js';

export interface RuleInput {
  name?: string | null | undefined;
  daysFromDueDate: number;
  unitTimeZone: string;
  sendAt?: string | undefined;
}

export const DEFAULT_SEND_AT = '09:00';

export function ruleOf(document: ReminderRuleDocument): ReminderRule {
  return {
    ruleId: document.ruleId,
    name: document.name,
    daysFromDueDate: document.daysFromDueDate,
    unitTimeZone: document.unitTimeZone,
    sendAt: document.sendAt,
  };
}

function chargeOf(document: ChargeDocument): Charge {
  return {
    tenant: document.tenant,
    subject: document.subject,
    chargeId: document.chargeId,
    dueDate: document.dueDate,
    unitId: document.unitId,
  };
}

export class Reminders {
  constructor(
    private readonly collections: SchedulerCollections,
    private readonly book: TimerBook,
    private readonly now: () => Date,
    /** Rules one tenant may have: each open charge gets a reminder per rule. */
    private readonly maxRules = 50,
  ) {}

  async rules(tenant: string): Promise<ReminderRule[]> {
    return (await this.collections.rules.find({ tenant }, { sort: { ruleId: 1 } })).map(ruleOf);
  }

  /**
   * Creates or changes a rule, and brings the reminders of the tenant's open charges in line with it.
   * A new rule past `maxRules` is refused (two new rules at the same moment may both pass the count).
   */
  async putRule(tenant: string, ruleId: number, input: RuleInput): Promise<ReminderRule> {
    if (!(await this.collections.rules.findOne({ _id: `${tenant}/${ruleId}` }, { projection: { _id: 1 } }))) {
      const current = await this.collections.rules.countDocuments({ tenant });
      if (current >= this.maxRules) {
        throw limitReached(
          `a tenant may have at most ${this.maxRules} reminder rules (SCHEDULER_MAX_REMINDER_RULES): change or delete one`,
          {
            limit: 'reminder_rules_per_tenant',
            max: this.maxRules,
            current,
          },
        );
      }
    }
    const document: ReminderRuleDocument = {
      _id: `${tenant}/${ruleId}`,
      tenant,
      ruleId,
      name: input.name ?? null,
      daysFromDueDate: input.daysFromDueDate,
      unitTimeZone: input.unitTimeZone,
      sendAt: input.sendAt ?? DEFAULT_SEND_AT,
      updatedAt: this.now(),
    };
    const { _id, ...fields } = document;
    await this.collections.rules.updateOne({ _id }, { $set: fields }, { upsert: true });
    const rule = ruleOf(document);
    const source = { type: 'scheduler.reminder_rule.put', eventId: null };
    const charges = await this.collections.charges.find({ tenant, open: true });
    for (const charge of charges) await this.sync(chargeOf(charge), [rule], this.now(), source, rule.ruleId);
    // Settled while this ran: their reminders go.
    if (charges.length > 0) {
      const settled = await this.collections.charges.find({
        _id: { $in: charges.map((charge) => charge._id) },
        open: false,
      });
      for (const charge of settled) await this.book.cancel(cancelReminders(charge, 'settled'));
    }
    return rule;
  }

  /** Deletes a rule; its pending reminders are cancelled. */
  async deleteRule(tenant: string, ruleId: number): Promise<boolean> {
    const { deletedCount } = await this.collections.rules.deleteOne({ _id: `${tenant}/${ruleId}` });
    const pending = await this.collections.timers.find(
      { tenant, kind: 'coworking.reminder', status: 'pending', 'params.ruleId': ruleId },
      { projection: { _id: 1 } },
    );
    for (const timer of pending) await this.book.cancel({ id: timer._id, reason: 'rule_deleted' });
    return deletedCount > 0;
  }

  /**
   * A charge event: generated (reminders scheduled), settled (cancelled), status changed
   * (moved with the due date). Whether a rule's day is already over is judged on the
   * scheduler's clock when the event is handled: a reminder learnt after its day gets none.
   */
  async onCharge(fact: ChargeFact, event: { id: string; type: string }): Promise<void> {
    const { charge } = fact;
    const id = `${charge.tenant}/${charge.subject}`;
    const now = this.now();
    const source: TimerSource = { type: event.type, eventId: event.id };
    switch (fact.kind) {
      case 'generated': {
        // Inserted once: a replay of the generation cannot reopen a settled charge nor undo a due date change.
        await insertNew(this.collections.charges, [{ _id: id, ...charge, open: true, updatedAt: now }]);
        const stored = await this.collections.charges.findOne({ _id: id });
        if (!stored?.open) return;
        await this.sync(chargeOf(stored), await this.rules(charge.tenant), now, source);
        return;
      }
      case 'settled':
        await this.collections.charges.updateOne(
          { _id: id },
          { $set: { ...charge, open: false, updatedAt: now } },
          { upsert: true },
        );
        await this.book.cancel(cancelReminders(charge, 'settled'));
        return;
      case 'status_changed': {
        const stored = await this.collections.charges.findOne({ _id: id });
        if (!stored || stored.dueDate === charge.dueDate) return;
        await this.collections.charges.updateOne({ _id: id }, { $set: { dueDate: charge.dueDate, updatedAt: now } });
        if (stored.open)
          await this.sync(
            { ...chargeOf(stored), dueDate: charge.dueDate },
            await this.rules(charge.tenant),
            now,
            source,
          );
        return;
      }
    }
  }

  /**
   * Brings a charge's pending reminders (all, or one rule's) in line with the rules:
   * new ones scheduled (a charge and rule that had a reminder already get no second
   * one), pending ones moved to their new time, or cancelled when their day is over.
   */
  private async sync(
    charge: Charge,
    rules: ReminderRule[],
    at: Date,
    source: TimerSource,
    onlyRule?: number,
  ): Promise<void> {
    const desired = new Map(reminderTimers(charge, rules, at, source).map((spec) => [spec.id, spec]));
    const pending = await this.collections.timers.find({
      tenant: charge.tenant,
      subject: charge.subject,
      kind: 'coworking.reminder',
      status: 'pending',
      ...(onlyRule === undefined ? {} : { 'params.ruleId': onlyRule }),
    });
    for (const timer of pending) {
      const spec = desired.get(timer._id);
      desired.delete(timer._id);
      if (!spec) {
        // Its day is over with the new due date or rule. (A rule this call did not read
        // may have been set meanwhile: its reminders are left alone.)
        const ruleId = (timer.params as { ruleId: number }).ruleId;
        if (rules.some((rule) => rule.ruleId === ruleId)) {
          await this.book.cancel({ id: timer._id, reason: 'day_passed' });
        }
        continue;
      }
      if (
        spec.dueAt.getTime() !== timer.dueAt.getTime() ||
        JSON.stringify(spec.params) !== JSON.stringify(timer.params)
      ) {
        await this.book.move(timer._id, spec.dueAt, spec.params);
      }
    }
    await this.book.apply({ schedule: [...desired.values()], cancel: [] });
  }
}
