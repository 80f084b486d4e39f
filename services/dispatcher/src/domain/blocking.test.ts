import { describe, expect, it } from 'vitest';
import { BLOCK_AFTER_FAILURES, failureCount, inFlightWindow } from './blocking.js';
import { outcomeOf, type AttemptOutcome } from './delivery.js';

const failed500 = outcomeOf(500);
const timedOut = outcomeOf(undefined, 'no answer within 15000 ms');

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
    expect(failureCount(4, outcomeOf(200), BLOCK_AFTER_FAILURES)).toStrictEqual({
      consecutiveFailures: 0,
      block: false,
    });
    expect(failureCount(0, outcomeOf(204), BLOCK_AFTER_FAILURES)).toStrictEqual({
      consecutiveFailures: 0,
      block: false,
    });
  });

  it('failures separated by a success never block', () => {
    const outcomes: AttemptOutcome[] = [
      failed500,
      failed500,
      failed500,
      failed500,
      outcomeOf(200),
      failed500,
      failed500,
      failed500,
      failed500,
    ];
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

describe('inFlightWindow: the ramp after failures', () => {
  it('is one request while the last request failed, whatever maxInFlight is', () => {
    expect(inFlightWindow(1, 0, 10)).toBe(1);
    expect(inFlightWindow(4, 9, 256)).toBe(1);
  });

  it('grows by one per success in a row, up to maxInFlight', () => {
    expect([0, 1, 2, 5, 9, 10, 50].map((streak) => inFlightWindow(0, streak, 10))).toEqual([1, 2, 3, 6, 10, 10, 10]);
  });
});
