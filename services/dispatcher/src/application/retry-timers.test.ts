import { afterEach, describe, expect, it, vi } from 'vitest';
import { RetryTimers } from './retry-timers.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('RetryTimers', () => {
  it('hands items over when due, earliest first, with one timer and no polling', () => {
    vi.useFakeTimers({ now: 0 });
    const due: string[][] = [];
    const timers = new RetryTimers<string>((items) => due.push(items));
    timers.schedule('c', 300);
    timers.schedule('a', 100);
    timers.schedule('b', 100);
    timers.schedule('d', 5000);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(99);
    expect(due).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(due).toEqual([['a', 'b']]);
    vi.advanceTimersByTime(200);
    expect(due).toEqual([['a', 'b'], ['c']]);
    expect(timers.size).toBe(1);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(4700);
    expect(due.at(-1)).toEqual(['d']);
    // Nothing left: nothing runs.
    expect(vi.getTimerCount()).toBe(0);
  });

  it('re-arms for an earlier item scheduled later', () => {
    vi.useFakeTimers({ now: 0 });
    const due: number[] = [];
    const timers = new RetryTimers<number>((items) => due.push(...items));
    timers.schedule(2, 2000);
    timers.schedule(1, 500);
    vi.advanceTimersByTime(500);
    expect(due).toEqual([1]);
    vi.advanceTimersByTime(1500);
    expect(due).toEqual([1, 2]);
  });

  it('removes what matches (a blocked connection, a lost shard) and keeps the rest in order', () => {
    vi.useFakeTimers({ now: 0 });
    const due: string[] = [];
    const timers = new RetryTimers<string>((items) => due.push(...items));
    for (const [item, at] of [
      ['x1', 10],
      ['y1', 20],
      ['x2', 30],
      ['y2', 40],
    ] as const)
      timers.schedule(item, at);
    expect(timers.remove((item) => item.startsWith('x')).sort()).toEqual(['x1', 'x2']);
    vi.advanceTimersByTime(100);
    expect(due).toEqual(['y1', 'y2']);
  });

  it('schedules nothing once stopped', () => {
    vi.useFakeTimers({ now: 0 });
    const due: string[] = [];
    const timers = new RetryTimers<string>((items) => due.push(...items));
    timers.schedule('a', 10);
    timers.stop();
    timers.schedule('b', 20);
    vi.advanceTimersByTime(100);
    expect(due).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });
});
