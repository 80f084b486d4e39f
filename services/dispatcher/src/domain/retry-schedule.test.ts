import { describe, expect, it } from 'vitest';
import { retryPolicySchema, type RetryPolicy } from './connection.js';
import { outcomeOf } from './delivery.js';
import { nextStep } from './retry-schedule.js';

const t0 = new Date('2026-11-23T13:15:00.000Z');
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
const policy: RetryPolicy = retryPolicySchema.parse({});
/** A delivery ingested at t0: its round ends 5 minutes later. */
const round = (roundAttempts: number, roundDeadline = at(300)) => ({ roundAttempts, roundDeadline });

const failed500 = outcomeOf(500);
const timedOut = outcomeOf(undefined, 'no answer within 15000 ms');

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
    expect(nextStep(five, round(0, at(3600)), failed500, t0)).toStrictEqual({
      status: 'pending',
      nextAttemptAt: at(10),
    });
    expect(nextStep(five, round(1, at(3600)), failed500, t0)).toStrictEqual({
      status: 'pending',
      nextAttemptAt: at(60),
    });
    expect(nextStep(five, round(2, at(3600)), failed500, t0)).toStrictEqual({
      status: 'pending',
      nextAttemptAt: at(60),
    });
    expect(nextStep(five, round(3, at(3600)), failed500, t0)).toStrictEqual({
      status: 'pending',
      nextAttemptAt: at(60),
    });
    expect(nextStep(five, round(4, at(3600)), failed500, t0)).toStrictEqual({
      status: 'failed',
      reason: expect.stringMatching(/\b5 attempts\b/),
    });
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
