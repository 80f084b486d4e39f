import { describe, expect, it } from 'vitest';
import { SerialPass } from './serial-pass.js';

describe('SerialPass', () => {
  it('runs one pass at a time, coalesces wake-ups during a pass into one more, reports failures, and does nothing while disabled', async () => {
    let enabled = true;
    let passes = 0;
    let release: () => void = () => undefined;
    const errors: unknown[] = [];
    const runner = new SerialPass(
      async () => {
        passes++;
        if (passes === 2) throw new Error('second pass failed');
        if (passes === 1) await new Promise<void>((resolve) => (release = resolve));
      },
      { onError: (error) => errors.push(error), enabled: () => enabled },
    );
    runner.wake();
    runner.wake();
    runner.wake();
    expect(passes).toBe(1);
    release();
    await runner.settled();
    await runner.settled();
    expect(passes).toBe(2);
    expect(errors).toEqual([new Error('second pass failed')]);
    enabled = false;
    runner.wake();
    await runner.settled();
    expect(passes).toBe(2);
  });
});
