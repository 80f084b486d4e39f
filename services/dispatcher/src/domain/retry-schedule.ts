// The retry rules: after a failed attempt, when the next one is due, or why the
// delivery ends. Each connection's policy (maxAttempts, windowSeconds,
// backoffSeconds) drives it; the defaults are Conexa's. Pure.
import type { RetryPolicy } from './connection.js';
import type { AttemptOutcome } from './delivery.js';

export type NextStep =
  { status: 'succeeded' } | { status: 'failed'; reason: string } | { status: 'pending'; nextAttemptAt: Date };

/** What follows an attempt, under the connection's retry policy. */
export function nextStep(
  policy: RetryPolicy,
  round: { roundAttempts: number; roundDeadline: Date },
  outcome: AttemptOutcome,
  now: Date,
): NextStep {
  if (outcome.ok) return { status: 'succeeded' };
  if (outcome.status === 410) return { status: 'failed', reason: 'receiver answered 410 Gone: no more retries' };
  const made = round.roundAttempts + 1;
  if (made >= policy.maxAttempts) return { status: 'failed', reason: `all ${policy.maxAttempts} attempts failed` };
  const wait = policy.backoffSeconds[Math.min(made - 1, policy.backoffSeconds.length - 1)] ?? 0;
  const next = new Date(Math.min(now.getTime() + wait * 1000, round.roundDeadline.getTime()));
  if (next.getTime() <= now.getTime() && now.getTime() >= round.roundDeadline.getTime()) {
    return { status: 'failed', reason: `retry window of ${policy.windowSeconds} s is over after ${made} attempts` };
  }
  return { status: 'pending', nextAttemptAt: next };
}
