import { describe, expect, it } from 'vitest';
import { round2 } from './common.js';

describe('round2', () => {
  it.each([
    [1.005, 1.01],
    [-1.005, -1.01],
    [2.675, 2.68],
    [1.0049, 1],
    [0.1 + 0.2, 0.3],
    [1570.5875, 1570.59],
    [495.1275, 495.13],
    [12, 12],
    [-0.001, 0],
    [123456789.125, 123456789.13],
  ])('%d → %d', (value, rounded) => {
    expect(round2(value)).toBe(rounded);
  });

  it('never gives −0', () => {
    expect(Object.is(round2(-0.004), 0)).toBe(true);
    expect(Object.is(round2(-0), 0)).toBe(true);
  });
});
