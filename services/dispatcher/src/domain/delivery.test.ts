import { describe, expect, it } from 'vitest';
import { BLOCK_AFTER_FAILURES, retryPolicySchema, type RetryPolicy } from './connection.js';
import { failureCount, nextStep, outcomeOf, type AttemptOutcome } from './delivery.js';

const t0 = new Date('2026-11-23T13:15:00.000Z');
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
const policy: RetryPolicy = retryPolicySchema.parse({});
/** A delivery ingested at t0: its round ends 5 minutes later. */
const round = (roundAttempts: number, roundDeadline = at(300)) => ({ roundAttempts, roundDeadline });

const failed500 = outcomeOf(500);
const timedOut = outcomeOf(undefined, 'no answer within 15000 ms');

describe('outcomeOf', () => {
  it.each([200, 201, 202, 204, 299])('%i is a success', (status) => {
    expect(outcomeOf(status)).toStrictEqual({ ok: true, status });
  });

  it.each([100, 199, 301, 302, 304, 400, 401, 404, 410, 429, 500, 502, 503])('%i is a failure that keeps the status', (status) => {
    expect(outcomeOf(status)).toStrictEqual({ ok: false, status });
  });

  it('no response (timeout, connection error) is a failure that keeps the error and has no status', () => {
    expect(outcomeOf(undefined, 'ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9')).toStrictEqual({
      ok: false,
      error: 'ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9',
    });
    expect(outcomeOf(undefined)).toStrictEqual({ ok: false });
    expect(timedOut).not.toHaveProperty('status');
  });

  it('a status and an error are both kept on a failure', () => {
    expect(outcomeOf(502, 'bad gateway')).toStrictEqual({ ok: false, status: 502, error: 'bad gateway' });
  });
});

describe('nextStep under the default (Conexa) policy', () => {
  it('the default policy is 3 attempts within 300 s, 15 s timeout, backoff 30 s then 120 s', () => {
    expect(policy).toStrictEqual({ maxAttempts: 3, windowSeconds: 300, timeoutMs: 15_000, backoffSeconds: [30, 120] });
  });

  it('attempt 1 fails at t0 → the next attempt is due at t0 + 30 s', () => {
    expect(nextStep(policy, round(0), failed500, t0)).toStrictEqual({ status: 'pending', nextAttemptAt: at(30) });
  });

  it('the wait counts from the end of the failed attempt', () => {
    // Attempt 1 started at t0 and timed out 15 s later.
    expect(nextStep(policy, round(0), timedOut, at(15))).toStrictEqual({ status: 'pending', nextAttemptAt: at(45) });
  });

  it('attempt 2 fails → the next attempt is due 120 s later', () => {
    expect(nextStep(policy, round(1), failed500, at(31))).toStrictEqual({ status: 'pending', nextAttemptAt: at(151) });
  });

  it('attempt 2 fails late → the next attempt is clamped to the round deadline, never after it', () => {
    expect(nextStep(policy, round(1), failed500, at(250))).toStrictEqual({ status: 'pending', nextAttemptAt: at(300) });
    expect(nextStep(policy, round(1), failed500, at(299))).toStrictEqual({ status: 'pending', nextAttemptAt: at(300) });
  });

  it('attempt 3 fails → failed, the reason says all 3 attempts failed', () => {
    const step = nextStep(policy, round(2), failed500, at(152));
    expect(step.status).toBe('failed');
    expect(step).toStrictEqual({ status: 'failed', reason: expect.stringMatching(/\b3 attempts\b/) });
  });

  it('a timeout or a connection error is retried like a failed status', () => {
    expect(nextStep(policy, round(0), timedOut, at(15))).toMatchObject({ status: 'pending' });
    expect(nextStep(policy, round(0), outcomeOf(undefined, 'ECONNRESET'), t0)).toMatchObject({ status: 'pending' });
  });

  it('a redirect is a failure that is retried (redirects are not followed)', () => {
    expect(nextStep(policy, round(0), outcomeOf(301), t0)).toStrictEqual({ status: 'pending', nextAttemptAt: at(30) });
  });

  it.each([0, 1, 2])('410 Gone on attempt %i + 1 → failed at once', (made) => {
    const step = nextStep(policy, round(made), outcomeOf(410), at(1));
    expect(step).toStrictEqual({ status: 'failed', reason: expect.stringContaining('410') });
  });

  it.each([0, 1, 2])('success on attempt %i + 1 → succeeded', (made) => {
    expect(nextStep(policy, round(made), outcomeOf(200), at(10))).toStrictEqual({ status: 'succeeded' });
    expect(nextStep(policy, round(made), outcomeOf(204), at(10))).toStrictEqual({ status: 'succeeded' });
  });

  it('a success after the deadline still counts', () => {
    expect(nextStep(policy, round(2), outcomeOf(200), at(400))).toStrictEqual({ status: 'succeeded' });
  });

  it('a failure once the deadline has passed → failed, the reason names the window', () => {
    const step = nextStep(policy, round(0), failed500, at(301));
    expect(step).toStrictEqual({ status: 'failed', reason: expect.stringContaining('300 s') });
    expect(step).toStrictEqual({ status: 'failed', reason: expect.stringContaining('after 1 attempts') });
  });

  it('a failure exactly at the deadline → failed (no attempt after it)', () => {
    expect(nextStep(policy, round(1), failed500, at(300))).toMatchObject({ status: 'failed' });
  });

  it('the full Conexa round: 3 attempts at t0, t0 + 30 s, t0 + 150 s, then failed', () => {
    const times: number[] = [];
    let now = t0;
    for (let made = 0; ; made++) {
      times.push((now.getTime() - t0.getTime()) / 1000);
      const step = nextStep(policy, round(made), failed500, now);
      if (step.status !== 'pending') {
        expect(step.status).toBe('failed');
        break;
      }
      expect(step.nextAttemptAt.getTime()).toBeLessThanOrEqual(at(300).getTime());
      now = step.nextAttemptAt;
    }
    expect(times).toEqual([0, 30, 150]);
  });
});

describe('nextStep under other policies', () => {
  it('the last backoff value repeats', () => {
    const five = retryPolicySchema.parse({ maxAttempts: 5, windowSeconds: 3600, backoffSeconds: [10, 60] });
    expect(nextStep(five, round(0, at(3600)), failed500, t0)).toStrictEqual({ status: 'pending', nextAttemptAt: at(10) });
    expect(nextStep(five, round(1, at(3600)), failed500, t0)).toStrictEqual({ status: 'pending', nextAttemptAt: at(60) });
    expect(nextStep(five, round(2, at(3600)), failed500, t0)).toStrictEqual({ status: 'pending', nextAttemptAt: at(60) });
    expect(nextStep(five, round(3, at(3600)), failed500, t0)).toStrictEqual({ status: 'pending', nextAttemptAt: at(60) });
    expect(nextStep(five, round(4, at(3600)), failed500, t0)).toStrictEqual({ status: 'failed', reason: expect.stringMatching(/\b5 attempts\b/) });
  });

  it('maxAttempts 1: the first failure is final', () => {
    const once = retryPolicySchema.parse({ maxAttempts: 1 });
    expect(nextStep(once, round(0), failed500, t0)).toMatchObject({ status: 'failed' });
  });

  it('a zero backoff retries at once while the window is open', () => {
    const eager = retryPolicySchema.parse({ backoffSeconds: [0] });
    expect(nextStep(eager, round(0), failed500, at(5))).toStrictEqual({ status: 'pending', nextAttemptAt: at(5) });
  });

  it('roundAttempts counts the current round only (a redelivered round starts from 0)', () => {
    // A delivery redelivered at t0 after 3 failed attempts earlier: roundAttempts was reset to 0.
    expect(nextStep(policy, round(0), failed500, t0)).toMatchObject({ status: 'pending' });
  });
});

describe('failureCount: blocking after consecutive failures', () => {
  it('blocks after BLOCK_AFTER_FAILURES = 5', () => {
    expect(BLOCK_AFTER_FAILURES).toBe(5);
  });

  it('4 failures do not block, the 5th does', () => {
    let count = 0;
    for (let i = 1; i <= 4; i++) {
      const result = failureCount(count, failed500, BLOCK_AFTER_FAILURES);
      expect(result).toStrictEqual({ consecutiveFailures: i, block: false });
      count = result.consecutiveFailures;
    }
    expect(failureCount(count, timedOut, BLOCK_AFTER_FAILURES)).toStrictEqual({ consecutiveFailures: 5, block: true });
  });

  it('a success resets the count to 0', () => {
    expect(failureCount(4, outcomeOf(200), BLOCK_AFTER_FAILURES)).toStrictEqual({ consecutiveFailures: 0, block: false });
    expect(failureCount(0, outcomeOf(204), BLOCK_AFTER_FAILURES)).toStrictEqual({ consecutiveFailures: 0, block: false });
  });

  it('failures separated by a success never block', () => {
    const outcomes: AttemptOutcome[] = [failed500, failed500, failed500, failed500, outcomeOf(200), failed500, failed500, failed500, failed500];
    let count = 0;
    const blocks = outcomes.map((outcome) => {
      const result = failureCount(count, outcome, BLOCK_AFTER_FAILURES);
      count = result.consecutiveFailures;
      return result.block;
    });
    expect(blocks.every((block) => !block)).toBe(true);
    expect(count).toBe(4);
  });

  it('every kind of failed request counts: 3xx, 4xx, 5xx, 410, timeouts and connection errors', () => {
    const kinds = [outcomeOf(302), outcomeOf(404), outcomeOf(410), outcomeOf(503), timedOut];
    let count = 0;
    let last = { consecutiveFailures: 0, block: false };
    for (const outcome of kinds) {
      last = failureCount(count, outcome, BLOCK_AFTER_FAILURES);
      count = last.consecutiveFailures;
    }
    expect(last).toStrictEqual({ consecutiveFailures: 5, block: true });
  });

  it('stays at "block" beyond the threshold (the sender blocks only once)', () => {
    expect(failureCount(5, failed500, BLOCK_AFTER_FAILURES)).toStrictEqual({ consecutiveFailures: 6, block: true });
  });

  it('uses the threshold it is given', () => {
    expect(failureCount(1, failed500, 3)).toStrictEqual({ consecutiveFailures: 2, block: false });
    expect(failureCount(2, failed500, 3)).toStrictEqual({ consecutiveFailures: 3, block: true });
  });
});
