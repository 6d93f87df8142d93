import type { RateLimit } from "../limits.js";
import type { Queryable } from "./database.js";

/**
 * Token buckets in one table, so that a limit holds however many instances a client's requests
 * reach. One upsert refills and takes a token atomically; `allowed` records whether it could.
 * @example const perUser = new PgRateLimit(db.pool, "tg", 20); await perUser.take("42", Date.now());
 */
export class PgRateLimit implements RateLimit {
  private readonly perMs: number;
  private takes = 0;
  constructor(private readonly db: Queryable, private readonly prefix: string, private readonly perMinute: number) {
    this.perMs = perMinute / 60_000;
  }

  async take(key: string, now: number): Promise<number> {
    if (++this.takes % 1000 === 0) void this.sweep(now).catch(() => undefined);
    const { rows } = await this.db.query<{ tokens: number; allowed: boolean }>(
      `INSERT INTO rate_buckets AS b (key, tokens, at, allowed) VALUES ($1, $2::float8 - 1, $3::bigint, true)
       ON CONFLICT (key) DO UPDATE SET
         tokens = LEAST($2, b.tokens + GREATEST(0, $3 - b.at) * $4::float8) - CASE WHEN LEAST($2, b.tokens + GREATEST(0, $3 - b.at) * $4::float8) >= 1 THEN 1 ELSE 0 END,
         at = GREATEST(b.at, $3),
         allowed = LEAST($2, b.tokens + GREATEST(0, $3 - b.at) * $4::float8) >= 1
       RETURNING tokens, allowed`,
      [`${this.prefix}:${key}`, this.perMinute, Math.round(now), this.perMs],
    );
    const r = rows[0]!;
    if (r.allowed) return 0;
    return Math.max(1, Math.ceil((1 - Number(r.tokens)) / this.perMs / 1000));
  }

  /** Forgets this limiter's buckets untouched for a minute: they have refilled completely. */
  async sweep(now: number): Promise<void> {
    await this.db.query("DELETE FROM rate_buckets WHERE key LIKE $1 AND at < $2", [`${this.prefix}:%`, Math.round(now - 60_000)]);
  }
}
