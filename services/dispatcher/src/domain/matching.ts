// Which connections receive an event, and what body each one gets.
import { robolabsCallbackFor, type HooklineEvent, type RecordEventData } from '@hookline/events';
import type { ConnectionDocument, ConnectionFilter } from './connection.js';

export function typeMatches(pattern: string, type: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('.*')) return type.startsWith(pattern.slice(0, -1));
  return pattern === type;
}

function isRecordEvent(event: HooklineEvent): event is HooklineEvent<RecordEventData> {
  const data = event.data as Partial<RecordEventData> | null;
  return event.type.startsWith('accounting.') && typeof data?.object === 'string' && typeof data.operation === 'string';
}

/**
 * The webhook body for this event and filter, or null when the filter does not
 * match. Robolabs callbacks get `{object, operation, id, values, previous_values?}`
 * with the diff of the selected fields; everything else gets the Standard
 * Webhooks body `{type, timestamp, data}`.
 */
export function webhookBodyFor(filter: ConnectionFilter, event: HooklineEvent): object | null {
  if (filter.eventTypes.length > 0 && !filter.eventTypes.some((pattern) => typeMatches(pattern, event.type)))
    return null;
  if (
    event.type === 'coworking.charge.reminder' &&
    filter.reminderRuleId !== undefined &&
    event.reminderrule !== filter.reminderRuleId
  ) {
    return null;
  }
  if (filter.record) {
    if (!isRecordEvent(event)) return null;
    const { model, operations, fields } = filter.record;
    if (event.data.object !== model || !operations.includes(event.data.operation)) return null;
    return robolabsCallbackFor(event.data, fields);
  }
  return { type: event.type, timestamp: event.time, data: event.data };
}

export interface Match {
  connection: ConnectionDocument;
  body: object;
}

/** The tenant's connections that receive the event (active, filter matches), with their bodies. */
export function matchConnections(connections: readonly ConnectionDocument[], event: HooklineEvent): Match[] {
  const matches: Match[] = [];
  for (const connection of connections) {
    if (!connection.active || connection.tenantId !== event.tenant) continue;
    const body = webhookBodyFor(connection.filter, event);
    if (body) matches.push({ connection, body });
  }
  return matches;
}
