// A fixed one-minute window per key, in this process's memory (each replica
// counts its own requests). Memory is bounded: the counts are dropped when the
// window ends, and past `maxKeys` distinct keys in a window, new keys share one
// overflow count.
import { isIP } from 'node:net';

export interface Verdict {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Milliseconds until the window ends and the counts start again. */
  resetMs: number;
}

const OVERFLOW = '\u0000overflow';

export class RateLimiter {
  private counts = new Map<string, number>();
  private windowEnds = 0;

  constructor(
    private readonly windowMs = 60_000,
    private readonly maxKeys = 100_000,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Counts one request against `key`. */
  take(key: string, limit: number): Verdict {
    const now = this.roll();
    const bucket = this.counts.has(key) || this.counts.size < this.maxKeys ? key : OVERFLOW;
    const count = (this.counts.get(bucket) ?? 0) + 1;
    this.counts.set(bucket, count);
    return { allowed: count <= limit, limit, remaining: Math.max(0, limit - count), resetMs: this.windowEnds - now };
  }

  /** Whether `key` has used its `limit` in this window (nothing is counted). */
  spent(key: string, limit: number): boolean {
    this.roll();
    return (this.counts.get(key) ?? 0) >= limit;
  }

  private roll(): number {
    const now = this.clock();
    if (now >= this.windowEnds) {
      this.counts = new Map();
      this.windowEnds = (Math.floor(now / this.windowMs) + 1) * this.windowMs;
    }
    return now;
  }
}

/**
 * The key of a client address: IPv4 as is (also when IPv4-mapped), IPv6 by its
 * /64, which is what one subscriber usually holds, so that walking through the
 * addresses of one's own prefix gets no fresh count.
 */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (isIP(address) !== 6) return address;
  const [head = '', tail = ''] = address.split('%')[0]!.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === '' ? [] : tail.split(':');
  const groups = address.includes('::')
    ? [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((group) => parseInt(group, 16).toString(16))
    .join(':')}::/64`;
}
