/** Per-client rate limit of the /api/ routes and the client identity it keys on. */
import type { IncomingMessage } from "node:http";
import { RateLimiter, type RateLimit } from "../rate-limit.js";
import type { Messages } from "../../answer/messages.js";
import { HttpError } from "./http.js";

/** A rate-limit guard: `check(req)` throws 429 when the client is over its budget; `dispose()` stops the sweeper. */
export interface RequestLimiter {
  check(req: IncomingMessage, m: Messages): Promise<void>;
  dispose(): void;
}

/**
 * Creates the guard: `perMinute` requests per client address, idle buckets swept every minute; or,
 * with `shared` (PostgreSQL, several instances), that limit kept in the database.
 */
export function createLimiter(perMinute: number, trustProxy: boolean, shared?: RateLimit): RequestLimiter {
  const local = shared ? undefined : new RateLimiter(perMinute);
  const limiter: RateLimit = shared ?? local!;
  const sweeper = setInterval(() => local?.sweep(Date.now()), 60_000);
  sweeper.unref();
  return {
    async check(req, m) {
      const wait = await limiter.take(clientAddress(req, trustProxy), Date.now());
      if (wait > 0) throw new HttpError(429, m.rateLimited(wait), { "Retry-After": String(wait) });
    },
    dispose: () => clearInterval(sweeper),
  };
}

/**
 * The client a rate limit applies to: the socket's address, or — only behind a trusted reverse proxy
 * (TRUST_PROXY=on) — the nearest address in X-Forwarded-For, which clients cannot forge past the proxy.
 */
export function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  const socket = req.socket.remoteAddress ?? "?";
  if (!trustProxy) return socket;
  const forwarded = String(req.headers["x-forwarded-for"] ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  return forwarded.at(-1) ?? socket;
}
