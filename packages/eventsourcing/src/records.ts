// What the record-like aggregates (accounting's records, Conexa's) share when they
// refuse a command or apply a patch: one definition each, not one per service.
import { illegal, notFound, type DomainError } from '@hookline/errors';

/** illegal_transition naming the record's state and the commands that state allows. */
export function illegalTransition(
  message: string,
  state: string,
  allowed: readonly string[],
  extra: Record<string, unknown> = {},
): DomainError {
  return illegal(message, { state, allowed: [...allowed], ...extra });
}

/** not_found for a record never created (`No such partner`) or deleted (`Partner 5 was deleted`). */
export function recordNotFound(label: string, state: string, id?: number): DomainError {
  if (state !== 'deleted') return notFound(`No such ${label}`, { state });
  return notFound(`${capitalize(label)}${id === undefined ? '' : ` ${id}`} was deleted`, {
    state,
    ...(id === undefined ? {} : { id }),
  });
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The defined entries of a patch (an explicit `undefined` means "not given", like an omitted key). */
export function definedEntries<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/** `record` with the defined entries of `patch` applied, in the record's key order. */
export function applyPatch<R extends object>(record: R, patch: object): R {
  const defined = definedEntries(patch) as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(record).map(([key, value]) => [key, key in defined ? defined[key] : value]),
  ) as R;
}
