/**
 * Timers kept in the database rather than in one process's memory: a group round's question closes at
 * its deadline even when the instance that asked it has died. Any instance may claim a due deadline;
 * a claim is a lease (compare-and-set on the row), so one claimer handles it, and a claimer that dies
 * mid-way loses it when the lease lapses and another instance takes over.
 */
import { randomBytes } from "node:crypto";
import type Database from "better-sqlite3";
import type { Awaitable } from "../storage/awaitable.js";

/** One timer. Times are epoch milliseconds. */
export interface Deadline {
  /** One live timer per key (`tg:round:-1001`): putting a key again replaces its timer. */
  key: string;
  /** Which handler acts on it (`tg-round`); a sweeper claims only the kinds it knows. */
  kind: string;
  dueAt: number;
  /** What the handler needs, as JSON (round id and question index …). */
  data: Record<string, unknown>;
  /** Set while claimed: the claim's token, which later writes must quote (see {@link DeadlineStore.put}). */
  token?: string;
}

/**
 * Where timers live: memory (tests, one process), SQLite (quiz.sqlite, one instance that survives a
 * restart) or PostgreSQL (any number of instances). Every method is atomic on its own.
 */
export interface DeadlineStore {
  /**
   * Sets or replaces the timer of `d.key`, dropping any claim on it. With `token`, only while that claim
   * still holds (false, and nothing written, when another claimer or a removal came first).
   */
  put(d: Omit<Deadline, "token">, token?: string): Awaitable<boolean>;
  get(key: string): Awaitable<Deadline | undefined>;
  /** Removes a timer; with `token`, only while that claim holds. Whether one was removed. */
  remove(key: string, token?: string): Awaitable<boolean>;
  /** Removes and returns a timer: of two callers, one gets it. */
  take(key: string): Awaitable<Deadline | undefined>;
  /** Claims one timer, due or not (a /next before the deadline), unless another claim is live. */
  claim(key: string, now: number, leaseMs: number): Awaitable<Deadline | undefined>;
  /** Claims up to `limit` timers of these kinds due by `now` whose claim, if any, has lapsed; soonest first. */
  claimDue(kinds: readonly string[], now: number, leaseMs: number, limit: number): Awaitable<Deadline[]>;
  close(): Awaitable<void>;
}

/** A fresh claim token. */
export const newToken = () => randomBytes(9).toString("base64url");

/** The table, for the SQLite quiz database's migrations (quiz/store.ts) and PostgreSQL's. */
export const DEADLINES_TABLE = `CREATE TABLE deadlines (
     key TEXT PRIMARY KEY,
     kind TEXT NOT NULL,
     due_at BIGINT NOT NULL,
     data TEXT NOT NULL,
     token TEXT,
     claimed_until BIGINT
   );
   CREATE INDEX deadlines_due ON deadlines (kind, due_at);`;

type Row = Record<string, unknown>;
/** A row of either database as a Deadline. */
export const toDeadline = (r: Row): Deadline => ({
  key: String(r.key),
  kind: String(r.kind),
  dueAt: Number(r.due_at),
  data: JSON.parse(String(r.data)) as Record<string, unknown>,
  ...(r.token != null ? { token: String(r.token) } : {}),
});

/** Timers in memory: one process, gone on restart (tests, and channels built without a database). */
export class MemoryDeadlineStore implements DeadlineStore {
  private readonly rows = new Map<string, Deadline & { claimedUntil?: number }>();
  private readonly view = (r: Deadline & { claimedUntil?: number }): Deadline => {
    const { claimedUntil: _, ...d } = r;
    return { ...d, data: structuredClone(d.data) };
  };

  put(d: Omit<Deadline, "token">, token?: string): boolean {
    if (token !== undefined && this.rows.get(d.key)?.token !== token) return false;
    this.rows.set(d.key, { key: d.key, kind: d.kind, dueAt: d.dueAt, data: structuredClone(d.data) });
    return true;
  }
  get(key: string): Deadline | undefined {
    const r = this.rows.get(key);
    return r && this.view(r);
  }
  remove(key: string, token?: string): boolean {
    const r = this.rows.get(key);
    if (!r || (token !== undefined && r.token !== token)) return false;
    return this.rows.delete(key);
  }
  take(key: string): Deadline | undefined {
    const r = this.rows.get(key);
    if (r) this.rows.delete(key);
    return r && this.view(r);
  }
  claim(key: string, now: number, leaseMs: number): Deadline | undefined {
    const r = this.rows.get(key);
    if (!r || (r.claimedUntil !== undefined && r.claimedUntil > now)) return undefined;
    Object.assign(r, { token: newToken(), claimedUntil: now + leaseMs });
    return this.view(r);
  }
  claimDue(kinds: readonly string[], now: number, leaseMs: number, limit: number): Deadline[] {
    const due = [...this.rows.values()]
      .filter((r) => kinds.includes(r.kind) && r.dueAt <= now && (r.claimedUntil === undefined || r.claimedUntil <= now))
      .sort((a, b) => a.dueAt - b.dueAt)
      .slice(0, limit);
    return due.map((r) => this.claim(r.key, now, leaseMs)!);
  }
  close(): void {}
}

/**
 * Timers in the quiz's SQLite file (its migrations create the table), so that one instance finds its
 * rounds' deadlines after a restart.
 * @example const deadlines = new SqliteDeadlineStore(openQuizDatabase(quizDbPath(dir)));
 */
export class SqliteDeadlineStore implements DeadlineStore {
  private readonly st;
  constructor(readonly db: Database.Database) {
    const p = (sql: string) => db.prepare(sql);
    this.st = {
      put: p("INSERT INTO deadlines (key, kind, due_at, data, token, claimed_until) VALUES (?, ?, ?, ?, NULL, NULL) ON CONFLICT (key) DO UPDATE SET kind = excluded.kind, due_at = excluded.due_at, data = excluded.data, token = NULL, claimed_until = NULL"),
      putIf: p("UPDATE deadlines SET kind = ?, due_at = ?, data = ?, token = NULL, claimed_until = NULL WHERE key = ? AND token = ?"),
      get: p("SELECT * FROM deadlines WHERE key = ?"),
      remove: p("DELETE FROM deadlines WHERE key = ? AND (? IS NULL OR token = ?)"),
      take: p("DELETE FROM deadlines WHERE key = ? RETURNING *"),
      claim: p("UPDATE deadlines SET token = ?, claimed_until = ? WHERE key = ? AND (claimed_until IS NULL OR claimed_until <= ?) RETURNING *"),
      due: p("SELECT key FROM deadlines WHERE kind IN (SELECT value FROM json_each(?)) AND due_at <= ? AND (claimed_until IS NULL OR claimed_until <= ?) ORDER BY due_at LIMIT ?"),
    };
  }
  put(d: Omit<Deadline, "token">, token?: string): boolean {
    const data = JSON.stringify(d.data);
    if (token === undefined) return (this.st.put.run(d.key, d.kind, d.dueAt, data), true);
    return this.st.putIf.run(d.kind, d.dueAt, data, d.key, token).changes === 1;
  }
  get(key: string): Deadline | undefined {
    const r = this.st.get.get(key) as Row | undefined;
    return r && toDeadline(r);
  }
  remove(key: string, token?: string): boolean {
    return this.st.remove.run(key, token ?? null, token ?? null).changes === 1;
  }
  take(key: string): Deadline | undefined {
    const r = this.st.take.get(key) as Row | undefined;
    return r && toDeadline(r);
  }
  claim(key: string, now: number, leaseMs: number): Deadline | undefined {
    const r = this.st.claim.get(newToken(), now + leaseMs, key, now) as Row | undefined;
    return r && toDeadline(r);
  }
  claimDue(kinds: readonly string[], now: number, leaseMs: number, limit: number): Deadline[] {
    // One connection, one writer: selecting then claiming each key is atomic enough, and claim re-checks.
    const keys = (this.st.due.all(JSON.stringify(kinds), now, now, limit) as Array<{ key: string }>).map((r) => r.key);
    return keys.map((k) => this.claim(k, now, leaseMs)).filter((d): d is Deadline => d !== undefined);
  }
  close(): void {
    if (this.db.open) this.db.close();
  }
}

/** What {@link startSweep} needs. */
export interface SweepOptions {
  store: DeadlineStore;
  /** The kinds this sweeper handles; others' timers are left alone. */
  kinds: readonly string[];
  /** Acts on a claimed timer; it owns the claim until `leaseMs` has passed. A throw leaves it to lapse and be retried. */
  handle(d: Deadline): Promise<void>;
  onError(err: unknown, d?: Deadline): void;
  everyMs?: number;
  leaseMs?: number;
  now?: () => number;
}

/**
 * Claims and handles due timers every `everyMs` (default 1 s) until stopped: how an instance closes
 * rounds that another, dead instance started. Returns the stop function.
 * @example const stop = startSweep({ store, kinds: ["tg-round"], handle, onError });
 */
export function startSweep(o: SweepOptions): () => void {
  const now = o.now ?? Date.now;
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const due = await o.store.claimDue(o.kinds, now(), o.leaseMs ?? 120_000, 20);
      for (const d of due) await o.handle(d).catch((err) => o.onError(err, d));
    } catch (err) {
      o.onError(err);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), o.everyMs ?? 1000);
  timer.unref();
  return () => clearInterval(timer);
}
