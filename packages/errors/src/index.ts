// The errors domain and application code throw: one class, a kind per way a
// request can be refused, and a constructor per kind. Nothing here knows HTTP:
// packages/http maps each kind to its status.
import type { z } from 'zod';

/**
 * Why a request is refused:
 * - `illegal`: the current state does not allow it (details: `state`, `allowed`);
 * - `invalid`: bad input the schemas let through (details: `issues`, or the field);
 * - `not_found`: what it names does not exist (or not for this tenant);
 * - `conflict`: another writer changed it first (retry);
 * - `forbidden`: the caller is the wrong party for it;
 * - `unprocessable`: well-formed but refused, e.g. a limit reached (details: `limit`, `max`, `current`).
 */
export type ErrorKind = 'illegal' | 'invalid' | 'not_found' | 'conflict' | 'forbidden' | 'unprocessable';

export type Details = Record<string, unknown>;

/** A refused request: its kind, the stable code of the answer, a message and the details the answer carries. */
export class DomainError extends Error {
  override readonly name: string = 'DomainError';
  constructor(
    readonly kind: ErrorKind,
    /** The answer's `error` code, e.g. `illegal_transition`, `wrong_party`, `limit_reached`. */
    readonly code: string,
    message: string,
    /** Beside `error` and `message` in the answer: current state, allowed commands, issues, the limit… */
    readonly details: Details = {},
  ) {
    super(message);
  }
}

/** The command may not run in the current state. */
export function illegal(message: string, details: Details = {}, code = 'illegal_transition'): DomainError {
  return new DomainError('illegal', code, message, details);
}

/** The input breaks a rule (across fields, or against the state) that no schema could check. */
export function invalid(message: string, details: Details = {}, code = 'invalid'): DomainError {
  return new DomainError('invalid', code, message, details);
}

export function notFound(message: string, details: Details = {}, code = 'not_found'): DomainError {
  return new DomainError('not_found', code, message, details);
}

/** Another writer got there first: reload and retry. */
export function conflict(message: string, details: Details = {}, code = 'conflict'): DomainError {
  return new DomainError('conflict', code, message, details);
}

export function forbidden(message: string, details: Details = {}, code = 'forbidden'): DomainError {
  return new DomainError('forbidden', code, message, details);
}

export function unprocessable(message: string, details: Details = {}, code = 'unprocessable'): DomainError {
  return new DomainError('unprocessable', code, message, details);
}

/** A bound reached (a plan's active projects, reminder rules per tenant…): its name, its maximum and the current count. */
export function limitReached(
  message: string,
  details: { limit: string; max: number; current: number } & Details,
): DomainError {
  return unprocessable(message, details, 'limit_reached');
}

/** One problem with the input, as every 400 lists it: where (a dotted path), the rule broken, what is wrong. */
export interface Issue {
  path: string;
  rule: string;
  message: string;
}

/** A zod error's issues, their paths under `prefix` (e.g. `['body']`). */
export function issuesOf(error: z.ZodError, prefix: readonly (string | number)[] = []): Issue[] {
  return error.issues.map((issue) => ({
    path: [...prefix, ...issue.path].map(String).join('.'),
    rule: issue.code,
    message: issue.message,
  }));
}
