import { describe, expect, it } from 'vitest';
import { sampledCount } from './metrics.js';

describe('sampledCount (the store gauges)', () => {
  it('counts on the first scrape, then at most once per interval, in the background of a later scrape', async () => {
    let clock = 0;
    let counts = 0;
    let release: (() => void) | undefined;
    const count = async () => {
      counts++;
      if (counts > 1) await new Promise<void>((resolve) => (release = resolve));
      return counts * 10;
    };
    const sample = sampledCount(count, 60_000, () => clock);
    expect(await sample()).toBe(10);
    clock = 59_999;
    expect(await sample()).toBe(10);
    expect(counts).toBe(1);
    clock = 60_000;
    // Stale: the scrape answers the last count at once and starts one new count, never two.
    expect(await sample()).toBe(10);
    expect(await sample()).toBe(10);
    expect(counts).toBe(2);
    release!();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(await sample()).toBe(20);
  });

  it('keeps the last value when a count fails', async () => {
    let clock = 0;
    let fail = false;
    const sample = sampledCount(
      async () => (fail ? Promise.reject(new Error('store down')) : 7),
      1000,
      () => clock,
    );
    expect(await sample()).toBe(7);
    fail = true;
    clock = 5000;
    expect(await sample()).toBe(7);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(await sample()).toBe(7);
  });
});
