import type { RateLimit } from "../storage/limits.js";

export type { RateLimit };

/**
 * Token buckets per key in this process (client address, Telegram user): `perMinute` requests, refilled continuously.
 * @example const limiter = new RateLimiter(20); if (limiter.take(userId, Date.now()) > 0) refuse();
 */
export class RateLimiter implements RateLimit {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly perMs: number;
  constructor(private readonly perMinute: number) {
    this.perMs = perMinute / 60_000;
  }

  /** Takes a token; returns 0 when allowed, otherwise the whole seconds until one is available. */
  take(key: string, now: number): number {
    const b = this.buckets.get(key);
    if (!b) {
      this.buckets.set(key, { tokens: this.perMinute - 1, at: now });
      return 0;
    }
    b.tokens = Math.min(this.perMinute, b.tokens + (now - b.at) * this.perMs);
    b.at = now;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / this.perMs / 1000));
  }

  /** Forgets buckets that have refilled, so memory follows active clients only. */
  sweep(now: number): void {
    for (const [k, b] of this.buckets) if (b.tokens + (now - b.at) * this.perMs >= this.perMinute) this.buckets.delete(k);
  }
}
