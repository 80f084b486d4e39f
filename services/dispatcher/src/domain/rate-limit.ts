// A connection's rate limit, in requests per second, as Svix and Convoy
// endpoints offer: a token bucket that refills continuously and holds at most
// one second's worth, so a quiet receiver gets at most that burst. Pure.

export interface TokenBucket {
  tokens: number;
  /** When `tokens` was last brought up to date (ms). */
  at: number;
}

export type TokenTaken = { ok: true; bucket: TokenBucket } | { ok: false; bucket: TokenBucket; waitMs: number };

export function takeToken(bucket: TokenBucket | undefined, perSecond: number, now: number): TokenTaken {
  const capacity = Math.max(1, perSecond);
  const current = bucket ? Math.min(capacity, bucket.tokens + ((now - bucket.at) / 1000) * perSecond) : capacity;
  if (current >= 1) return { ok: true, bucket: { tokens: current - 1, at: now } };
  return { ok: false, bucket: { tokens: current, at: now }, waitMs: Math.ceil(((1 - current) / perSecond) * 1000) };
}
