import { catalog, createEvent, findEventType, type HooklineEvent } from '@hookline/events';
import { describe, expect, it } from 'vitest';
import { deliveredFiles, marketplaceTimerChanges, projectEndingCodes } from './marketplace.js';
import { scopeOf, timerId } from './timers.js';

const tenant = 'biyro';
const subject = `${tenant}/prj_01J9ZK4T7M`;
const settings = { filesRetentionDays: 30 };

/** The catalog's example of a code, as the marketplace would publish it. */
function example(code: string, patch: (data: Record<string, unknown>) => void = () => undefined): HooklineEvent {
  const type = `marketplace.project.${code}`;
  const data = structuredClone(findEventType(type)!.example) as Record<string, unknown>;
  patch(data);
  return createEvent({ type, subject, tenant, data, id: `evt-${code}` });
}

describe('marketplace timers', () => {
  it('keys timers by the tenant-qualified stream, never by the event', () => {
    expect(scopeOf(tenant, subject)).toBe(subject);
    expect(scopeOf(tenant, 'coworking.charge:55120')).toBe('biyro/coworking.charge:55120');
    expect(timerId('marketplace.addon_expiry', tenant, subject, 'add_1')).toBe(
      `marketplace.addon_expiry:${subject}:add_1`,
    );
    expect(timerId('coworking.reminder', tenant, 'coworking.charge:55120', 3)).toBe(
      'coworking.reminder:biyro/coworking.charge:55120:3',
    );
  });

  it('schedules the offer expiry at offerValidUntil when the offer is sent', () => {
    const event = example('new_sent');
    const changes = marketplaceTimerChanges(event, settings);
    expect(changes.cancel).toEqual([]);
    expect(changes.schedule).toEqual([
      {
        id: `marketplace.offer_expiry:${subject}`,
        kind: 'marketplace.offer_expiry',
        tenant,
        subject,
        dueAt: new Date('2026-02-06T21:59:59Z'),
        params: { projectId: 'prj_01J9ZK4T7M' },
        source: { type: 'marketplace.project.new_sent', eventId: 'evt-new_sent' },
      },
    ]);
    // Replayed, the same event yields the same key.
    expect(marketplaceTimerChanges(event, settings).schedule[0]!.id).toBe(changes.schedule[0]!.id);
  });

  it.each(['active_signed', 'new_declined', 'new_withdrawn', 'expired'])('cancels the offer expiry on %s', (code) => {
    expect(marketplaceTimerChanges(example(code), settings).cancel).toContainEqual({
      id: `marketplace.offer_expiry:${subject}`,
      reason: code,
    });
  });

  it("schedules an add-on's expiry at its validUntil and cancels it once the add-on is no longer offered", () => {
    const offered = marketplaceTimerChanges(example('new_addon'), settings);
    expect(offered.schedule).toMatchObject([
      {
        id: `marketplace.addon_expiry:${subject}:add_01JA4M8X2P`,
        dueAt: new Date('2026-02-27T21:59:59Z'),
        params: { projectId: 'prj_01J9ZK4T7M', addonId: 'add_01JA4M8X2P' },
      },
    ]);
    for (const code of [
      'withdrawn_addon',
      'declined_addon',
      'expired_addon',
      'purchase_new_invoice_addon',
      'accepted_addon',
    ]) {
      expect(marketplaceTimerChanges(example(code), settings).cancel, code).toEqual([
        { id: `marketplace.addon_expiry:${subject}:add_01JA4M8X2P`, reason: code },
      ]);
    }
  });

  it('schedules the end of support at supportPeriod.endsAt', () => {
    expect(marketplaceTimerChanges(example('support_started'), settings).schedule).toMatchObject([
      {
        id: `marketplace.support_end:${subject}`,
        kind: 'marketplace.support_end',
        dueAt: new Date('2026-05-02T09:00:00Z'),
      },
    ]);
    expect(marketplaceTimerChanges(example('support_finished'), settings).cancel).toEqual([
      { id: `marketplace.support_end:${subject}`, reason: 'support_finished' },
    ]);
  });

  it.each(projectEndingCodes)(
    'schedules the files clean-up retention days after %s, and drops pending add-on expiries',
    (code) => {
      const event = example(code);
      const occurredAt = (event.data as { occurredAt: string }).occurredAt;
      const changes = marketplaceTimerChanges(event, settings);
      expect(changes.schedule).toContainEqual(
        expect.objectContaining({
          id: `marketplace.files_cleanup:${subject}`,
          kind: 'marketplace.files_cleanup',
          dueAt: new Date(Date.parse(occurredAt) + 30 * 86_400_000),
        }),
      );
      expect(changes.cancel).toContainEqual({ tenant, subject, kind: 'marketplace.addon_expiry', reason: code });
    },
  );

  it('cancels the clean-up once the files are deleted, and counts the files deliveries attach', () => {
    expect(marketplaceTimerChanges(example('files_deleted'), settings).cancel).toEqual([
      { id: `marketplace.files_cleanup:${subject}`, reason: 'files_deleted' },
    ]);
    expect(deliveredFiles(example('active_delivered', (data) => (data.filesCount = 6)))).toBe(6);
    expect(deliveredFiles(example('active_work'))).toBeNull();
  });

  it('leaves every other event, and other domains, without timers', () => {
    const quiet = [
      'new_draft',
      'purchase_new_invoice',
      'purchase_payment_succeeded',
      'active_prepare',
      'active_work',
      'active_delivered',
      'quotas_assigned',
      'request_extension',
    ];
    for (const code of quiet)
      expect(marketplaceTimerChanges(example(code), settings), code).toEqual({ schedule: [], cancel: [] });
    const charge = catalog.find((definition) => definition.type === 'coworking.charge.generated')!;
    const other = createEvent({ type: charge.type, subject: 'coworking.charge:1', tenant, data: charge.example });
    expect(marketplaceTimerChanges(other, settings)).toEqual({ schedule: [], cancel: [] });
  });
});
