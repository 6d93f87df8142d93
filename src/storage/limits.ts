import type { Awaitable } from "./awaitable.js";

/** A rate limit per key: 0 when allowed, otherwise the whole seconds to wait. Shared by all instances when kept in PostgreSQL. */
export interface RateLimit {
  take(key: string, now: number): Awaitable<number>;
}
