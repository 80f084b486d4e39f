// What a test send sends when the caller names no event type (Robolabs' "Test
// callback" asks for no choice): for a record callback, its model's event of
// the first operation it selected; otherwise the first type it subscribes to
// (the first catalog type a wildcard matches). Pure.
import { recordModels } from '@hookline/events';
import type { ConnectionFilter } from './connection.js';
import { typeMatches } from './matching.js';

/** The record events of a model, by operation (created, updated, deleted in the catalog's order). */
const eventOfOperation = { create: 0, update: 1, delete: 2 } as const;

export function sampleEventType(filter: ConnectionFilter, knownTypes: readonly string[]): string | undefined {
  if (filter.record) {
    const operation = filter.record.operations[0];
    return operation === undefined
      ? undefined
      : recordModels[filter.record.model].eventTypes[eventOfOperation[operation]];
  }
  for (const pattern of filter.eventTypes) {
    if (!pattern.includes('*')) return pattern;
    const first = knownTypes.find((type) => typeMatches(pattern, type));
    if (first) return first;
  }
  return undefined;
}
