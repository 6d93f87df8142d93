import type { IncomingMessage } from "node:http";

/** A platform API call failed for good (after retries, or with a non-retryable error). */
export class PlatformApiError extends Error {
  override readonly name = "PlatformApiError";
  constructor(readonly platform: string, readonly status: number, message: string) {
    super(`${platform}: ${message}`);
  }
}

/** Options for {@link fetchJson}. */
export interface RetryOptions {
  /** Attempts in all (default 4). */
  attempts?: number;
  /** First backoff in ms, doubled each time (default 500); a Retry-After header wins. */
  baseMs?: number;
}

/**
 * fetch + JSON with retries on 429 and 5xx (and network errors), with exponential backoff.
 * @example const body = await fetchJson("wecom", url, { method: "POST", body: "{}" });
 */
export async function fetchJson<T = Record<string, unknown>>(platform: string, url: string, init: RequestInit = {}, opts: RetryOptions = {}): Promise<T> {
  const attempts = opts.attempts ?? 4;
  const base = opts.baseMs ?? 500;
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, last instanceof RetryAfter ? last.ms : base * 2 ** (i - 1)));
    let res: Response;
    try {
      res = await fetch(url, { ...init, headers: { "content-type": "application/json; charset=utf-8", ...(init.headers ?? {}) }, signal: AbortSignal.timeout(15_000) });
    } catch (err) {
      last = err;
      continue;
    }
    if (res.status === 429 || res.status >= 500) {
      const after = Number(res.headers.get("retry-after"));
      last = Number.isFinite(after) && after > 0 ? new RetryAfter(Math.min(after * 1000, 30_000)) : new PlatformApiError(platform, res.status, `HTTP ${res.status}`);
      await res.body?.cancel();
      continue;
    }
    const text = await res.text();
    if (!res.ok) throw new PlatformApiError(platform, res.status, `HTTP ${res.status}: ${text.slice(0, 200)}`);
    try {
      return JSON.parse(text || "{}") as T;
    } catch {
      throw new PlatformApiError(platform, res.status, `not JSON: ${text.slice(0, 200)}`);
    }
  }
  throw last instanceof PlatformApiError ? last : new PlatformApiError(platform, 0, `gave up after ${attempts} attempts: ${String((last as Error)?.message ?? last)}`);
}

class RetryAfter {
  constructor(readonly ms: number) {}
}

/** Remembers delivery ids for a while, so that a platform's retried callback is answered once. */
export class SeenIds {
  private readonly seen = new Map<string, number>();
  constructor(private readonly ttlMs = 6 * 3_600_000, private readonly max = 50_000) {}

  /** True the first time an id is offered (within the TTL), false for a duplicate. */
  first(id: string, now = Date.now()): boolean {
    const at = this.seen.get(id);
    if (at !== undefined && now - at < this.ttlMs) return false;
    this.seen.set(id, now);
    if (this.seen.size > this.max) {
      // Maps iterate in insertion order: the oldest go first.
      for (const k of this.seen.keys()) {
        this.seen.delete(k);
        if (this.seen.size <= this.max * 0.9) break;
      }
    }
    return true;
  }
}

/** Reads a request body up to `limit` bytes (callbacks are small; a larger body is refused). */
export async function readBody(req: IncomingMessage, limit = 1_000_000): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Runs tasks one at a time per key (a chat's replies in order), different keys concurrently. */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<void>>();
  /** Queues a task; errors are passed to `onError`, never thrown. */
  push(key: string, task: () => Promise<void>, onError: (err: unknown) => void): Promise<void> {
    const prev = this.tails.get(key) ?? Promise.resolve();
    const next = prev.then(task).catch(onError);
    this.tails.set(key, next);
    void next.then(() => {
      if (this.tails.get(key) === next) this.tails.delete(key);
    });
    return next;
  }
  /** Waits for every queued task (shutdown, tests). */
  async idle(): Promise<void> {
    while (this.tails.size) await Promise.all([...this.tails.values()]);
  }
}

/** The default replay window for signed callbacks: five minutes either side of now. */
export const REPLAY_WINDOW_MS = 300_000;

/**
 * True when a callback's timestamp (epoch seconds, or milliseconds when `unit` says so) lies within
 * `windowMs` of now. A captured request with a good signature is refused once it is this old.
 */
export function withinWindow(timestamp: string | number | null | undefined, windowMs = REPLAY_WINDOW_MS, unit: "s" | "ms" = "s", now = Date.now()): boolean {
  if (timestamp === null || timestamp === undefined || !/^\d{1,16}$/.test(String(timestamp))) return false;
  const ms = Number(timestamp) * (unit === "s" ? 1000 : 1);
  return Math.abs(now - ms) <= windowMs;
}
