// Blocking: a connection whose receiver fails 5 requests in a row is blocked
// (Conexa's rule), and after any failure its requests go out one at a time
// until one succeeds, the window then growing by one per success. Pure.
import type { AttemptOutcome } from './delivery.js';

/** Consecutive failed requests that block a connection (Conexa: 5). */
export const BLOCK_AFTER_FAILURES = 5;

/** Consecutive failures after an attempt, and whether the connection must now be blocked. */
export function failureCount(
  previous: number,
  outcome: AttemptOutcome,
  blockAfter: number,
): { consecutiveFailures: number; block: boolean } {
  if (outcome.ok) return { consecutiveFailures: 0, block: false };
  const consecutiveFailures = previous + 1;
  return { consecutiveFailures, block: consecutiveFailures >= blockAfter };
}

/**
 * Requests a connection may have in flight: one after a failure (until a
 * success), else one more than its successes in a row, up to its maxInFlight.
 * So a receiver failing from the start gets exactly BLOCK_AFTER_FAILURES requests.
 */
export function inFlightWindow(consecutiveFailures: number, successStreak: number, maxInFlight: number): number {
  return consecutiveFailures > 0 ? 1 : Math.min(maxInFlight, 1 + successStreak);
}
