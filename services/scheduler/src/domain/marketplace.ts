/**
 * The marketplace (BIYRO) timers, derived from the project events alone. Every
 * project event carries the project as it is after the event, so each deadline
 * is read from the event that starts it, and the events that make it pointless
 * cancel it. Pure: no I/O, no clock.
 */
import {
  DAY_MS,
  noChanges,
  timerId,
  type TimerCancel,
  type TimerChanges,
  type TimerKind,
  type TimerSpec,
} from './timers.js';

/** The fields of a project event's `data` the timers read (the catalog validated the rest). */
export interface ProjectEventData {
  project: { id: string; status: string; offerValidUntil?: string | null };
  occurredAt: string;
  addon?: { id: string; validUntil: string; status: string };
  supportPeriod?: { startsAt: string; endsAt: string };
  filesCount?: number;
}

export interface MarketplaceEvent {
  id: string;
  type: string;
  tenant: string;
  subject: string;
  data: unknown;
}

export interface MarketplaceSettings {
  /** Days after the project ends that its files are cleaned up. */
  filesRetentionDays: number;
}

const prefix = 'marketplace.project.';

/** Events after which the offer can no longer expire. */
const offerSettled = new Set(['active_signed', 'new_declined', 'new_withdrawn', 'expired']);
/** Events after which an add-on is no longer `offered`, so it can no longer expire. */
const addonSettled = new Set([
  'withdrawn_addon',
  'declined_addon',
  'expired_addon',
  'purchase_new_invoice_addon',
  'purchase_addon_payment_succeeded',
  'accepted_addon',
]);
/** Events that end a project: only the clean-up of its files follows. */
export const projectEndingCodes = [
  'new_declined',
  'new_withdrawn',
  'deleted',
  'expired',
  'project_finished',
  'active_cancelled',
] as const;
const projectEnding = new Set<string>(projectEndingCodes);

/** The timers one marketplace project event schedules and cancels. */
export function marketplaceTimerChanges(event: MarketplaceEvent, settings: MarketplaceSettings): TimerChanges {
  if (!event.type.startsWith(prefix)) return noChanges();
  const code = event.type.slice(prefix.length);
  const data = event.data as ProjectEventData;
  const { tenant, subject } = event;
  const projectId = data.project.id;
  const source = { type: event.type, eventId: event.id };
  const changes = noChanges();
  const cancelOne = (kind: TimerKind, reason: string, ...parts: string[]) =>
    changes.cancel.push({ id: timerId(kind, tenant, subject, ...parts), reason });
  const cancelAll = (kind: TimerKind, reason: string) =>
    changes.cancel.push({ tenant, subject, kind, reason } satisfies TimerCancel);
  const schedule = (spec: TimerSpec) => changes.schedule.push(spec);

  if (code === 'new_sent' && data.project.offerValidUntil) {
    schedule({
      id: timerId('marketplace.offer_expiry', tenant, subject),
      kind: 'marketplace.offer_expiry',
      tenant,
      subject,
      dueAt: new Date(data.project.offerValidUntil),
      params: { projectId },
      source,
    });
  }
  if (offerSettled.has(code)) cancelOne('marketplace.offer_expiry', code);

  if (code === 'new_addon' && data.addon) {
    schedule({
      id: timerId('marketplace.addon_expiry', tenant, subject, data.addon.id),
      kind: 'marketplace.addon_expiry',
      tenant,
      subject,
      dueAt: new Date(data.addon.validUntil),
      params: { projectId, addonId: data.addon.id },
      source,
    });
  }
  if (addonSettled.has(code) && data.addon) cancelOne('marketplace.addon_expiry', code, data.addon.id);

  if (code === 'support_started' && data.supportPeriod) {
    schedule({
      id: timerId('marketplace.support_end', tenant, subject),
      kind: 'marketplace.support_end',
      tenant,
      subject,
      dueAt: new Date(data.supportPeriod.endsAt),
      params: { projectId },
      source,
    });
  }
  if (code === 'support_finished') cancelOne('marketplace.support_end', code);

  if (projectEnding.has(code)) {
    cancelAll('marketplace.addon_expiry', code);
    schedule({
      id: timerId('marketplace.files_cleanup', tenant, subject),
      kind: 'marketplace.files_cleanup',
      tenant,
      subject,
      dueAt: new Date(Date.parse(data.occurredAt) + settings.filesRetentionDays * DAY_MS),
      params: { projectId },
      source,
    });
  }
  if (code === 'files_deleted') cancelOne('marketplace.files_cleanup', code);
  return changes;
}

/** Files a delivery attached (`active_delivered.filesCount`), which the clean-up later accounts for; null for other events. */
export function deliveredFiles(event: MarketplaceEvent): number | null {
  if (event.type !== `${prefix}active_delivered`) return null;
  return (event.data as ProjectEventData).filesCount ?? 0;
}
