import { describe, expect, it } from 'vitest';
import { takeToken, type TokenBucket } from './rate-limit.js';

/** Takes tokens at the given times (ms); the times at which a request could start. */
function run(perSecond: number, times: number[]): boolean[] {
  let bucket: TokenBucket | undefined;
  return times.map((now) => {
    const taken = takeToken(bucket, perSecond, now);
    bucket = taken.bucket;
    return taken.ok;
  });
}

describe('takeToken: requests per second', () => {
  it('starts with a full second of requests, then refuses until a token refills', () => {
    expect(run(3, [0, 0, 0, 0])).toEqual([true, true, true, false]);
    expect(run(3, [0, 0, 0, 340])).toEqual([true, true, true, true]);
  });

  it('says how long to wait for the next token', () => {
    let bucket: TokenBucket | undefined;
    for (let i = 0; i < 2; i++) bucket = takeToken(bucket, 2, 1000).bucket;
    expect(takeToken(bucket, 2, 1000)).toMatchObject({ ok: false, waitMs: 500 });
    expect(takeToken(bucket, 2, 1250)).toMatchObject({ ok: false, waitMs: 250 });
  });

  it('keeps the rate over time: 10 per second gives about 10 per second, never a second burst', () => {
    const times = Array.from({ length: 300 }, (_, i) => i * 10);
    const started = run(10, times).filter(Boolean).length;
    // 10 at once, then one per 100 ms over 2.99 s.
    expect(started).toBe(10 + 29);
  });

  it('allows a fractional rate below one per second', () => {
    expect(run(0.5, [0, 1000, 2000, 4000])).toEqual([true, false, true, true]);
  });
});
