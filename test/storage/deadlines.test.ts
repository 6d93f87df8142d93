/**
 * One contract for the deadline store (quiz timers kept in the database) on memory, SQLite and
 * PostgreSQL (TEST_DATABASE_URL; required in CI): put/replace, claims as leases, compare-and-set on
 * the claim's token, and a sweep that two instances run at once without both taking a timer.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Deadline, type DeadlineStore, MemoryDeadlineStore, SqliteDeadlineStore, startSweep } from "../../src/quiz/deadlines.js";
import { openQuizDatabase, quizDbPath, SqliteQuizStore } from "../../src/quiz/store.js";
import { openPostgres, type Postgres } from "../../src/storage/postgres/database.js";
import { PgDeadlineStore } from "../../src/storage/postgres/deadline-store.js";
import { freshDatabase, havePostgres, truncateAll } from "../support/postgres.js";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Two handles on one store: what two instances (or two connections of one) see. */
interface Backend {
  name: string;
  pair(): Promise<[DeadlineStore, DeadlineStore]>;
}

const round = (key: string, dueAt: number, index = 0) => ({ key, kind: "tg-round", dueAt, data: { roundId: `r-${key}`, index } });
const T = 1_000_000;
const LEASE = 60_000;

function contract(b: Backend) {
  describe(`${b.name} DeadlineStore contract`, () => {
    it("keeps one timer per key: put replaces, get reads it back, remove and take delete it", async () => {
      const [s] = await b.pair();
      expect(await s.put(round("a", T + 30_000))).toBe(true);
      expect(await s.put(round("a", T + 60_000, 1))).toBe(true);
      expect(await s.get("a")).toEqual({ key: "a", kind: "tg-round", dueAt: T + 60_000, data: { roundId: "r-a", index: 1 } });
      expect(await s.take("a")).toEqual(expect.objectContaining({ key: "a", dueAt: T + 60_000 }));
      expect(await s.take("a")).toBeUndefined();
      expect(await s.get("a")).toBeUndefined();
      await s.put(round("b", T));
      expect(await s.remove("b")).toBe(true);
      expect(await s.remove("b")).toBe(false);
    });

    it("claims only due timers of the kinds asked for, soonest first, and a live claim is not claimed again", async () => {
      const [s, other] = await b.pair();
      await s.put(round("late", T + 10));
      await s.put(round("early", T - 10));
      await s.put(round("future", T + 5_000));
      await s.put({ key: "dt", kind: "dingtalk-round", dueAt: T - 100, data: {} });
      const claimed = await s.claimDue(["tg-round"], T + 10, LEASE, 10);
      expect(claimed.map((d) => d.key)).toEqual(["early", "late"]);
      expect(claimed.every((d) => typeof d.token === "string" && d.token.length > 0)).toBe(true);
      // The other instance sweeps meanwhile: nothing for it, and no explicit claim either.
      expect(await other.claimDue(["tg-round"], T + 20, LEASE, 10)).toEqual([]);
      expect(await other.claim("early", T + 20, LEASE)).toBeUndefined();
      expect((await s.claimDue(["dingtalk-round"], T, LEASE, 10)).map((d) => d.key)).toEqual(["dt"]);
    });

    it("a claimer that died loses its claim when the lease lapses; its late writes are refused", async () => {
      const [s, other] = await b.pair();
      await s.put(round("r", T));
      const dead = (await s.claimDue(["tg-round"], T, LEASE, 10))[0]!;
      expect(await other.claimDue(["tg-round"], T + LEASE - 1, LEASE, 10)).toEqual([]);
      const taker = (await other.claimDue(["tg-round"], T + LEASE, LEASE, 10))[0]!;
      expect(taker.key).toBe("r");
      expect(taker.token).not.toBe(dead.token);
      // The first claimer wakes up: its compare-and-set writes do nothing.
      expect(await s.put(round("r", T + 90_000, 1), dead.token)).toBe(false);
      expect(await s.remove("r", dead.token)).toBe(false);
      // The live claimer moves the timer on to the next question: unclaimed, due later.
      expect(await other.put(round("r", T + 90_000, 1), taker.token)).toBe(true);
      const next = (await s.get("r"))!;
      expect(next).toEqual({ key: "r", kind: "tg-round", dueAt: T + 90_000, data: { roundId: "r-r", index: 1 } });
      expect(await s.claimDue(["tg-round"], T + 89_999, LEASE, 10)).toEqual([]);
      const last = (await s.claim("r", T + 80_000, LEASE))!; // /next before the deadline
      expect(await other.remove("r", last.token)).toBe(true);
    });

    it("a timer put again while claimed drops the claim (a new round in the chat)", async () => {
      const [s, other] = await b.pair();
      await s.put(round("c", T));
      const c = (await s.claim("c", T, LEASE))!;
      await other.put(round("c", T + 1000, 0));
      expect(await s.remove("c", c.token)).toBe(false);
      expect(await other.claim("c", T + 1, LEASE)).toEqual(expect.objectContaining({ key: "c", dueAt: T + 1000 }));
    });

    it("two sweepers racing over many due timers take each exactly once", async () => {
      const [s, other] = await b.pair();
      for (let i = 0; i < 40; i++) await s.put(round(`k${i}`, T - i));
      const got: Deadline[] = [];
      for (let pass = 0; pass < 6; pass++) {
        const [x, y] = await Promise.all([s.claimDue(["tg-round"], T, LEASE, 7), other.claimDue(["tg-round"], T, LEASE, 7)]);
        got.push(...x, ...y);
      }
      expect(got).toHaveLength(40);
      expect(new Set(got.map((d) => d.key)).size).toBe(40);
    });

    it("startSweep hands each due timer to the handler once; a failing handler's timer comes back after its lease", async () => {
      const [s, other] = await b.pair();
      let now = T;
      await s.put(round("ok", T - 1));
      await s.put(round("fails", T - 1));
      const handled: string[] = [];
      const errors: string[] = [];
      const handle = (who: string, store: DeadlineStore) => async (d: Deadline) => {
        handled.push(`${who}:${d.key}`);
        if (d.key === "fails") throw new Error("send failed");
        await store.remove(d.key, d.token);
      };
      const stops = [
        startSweep({ store: s, kinds: ["tg-round"], handle: handle("A", s), onError: (e) => errors.push(String(e)), everyMs: 10, leaseMs: 1000, now: () => now }),
        startSweep({ store: other, kinds: ["tg-round"], handle: handle("B", other), onError: (e) => errors.push(String(e)), everyMs: 10, leaseMs: 1000, now: () => now }),
      ];
      try {
        await waitUntil(() => handled.length >= 2);
        await new Promise((r) => setTimeout(r, 80));
        expect(handled.map((h) => h.slice(2)).sort()).toEqual(["fails", "ok"]);
        expect(errors).toEqual(["Error: send failed"]);
        now += 1000; // the failed claim lapses: it is tried again, once
        await waitUntil(() => handled.length >= 3);
        await new Promise((r) => setTimeout(r, 80));
        expect(handled.filter((h) => h.endsWith(":fails"))).toHaveLength(2);
        expect(await s.get("ok")).toBeUndefined();
      } finally {
        for (const stop of stops) stop();
      }
    });
  });
}

async function waitUntil(ok: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 10));
  }
}

contract({
  name: "memory",
  pair: async () => {
    const m = new MemoryDeadlineStore();
    return [m, m];
  },
});

contract({
  name: "SQLite",
  pair: async () => {
    const dir = mkdtempSync(join(tmpdir(), "deadlines-"));
    dirs.push(dir);
    const file = quizDbPath(dir);
    // The quiz store's file, opened as the quiz store does, and a second connection beside it.
    new SqliteQuizStore(file).close();
    return [new SqliteDeadlineStore(openQuizDatabase(file)), new SqliteDeadlineStore(openQuizDatabase(file))];
  },
});

if (havePostgres()) {
  let db: Postgres;
  let db2: Postgres;
  let drop: () => Promise<void>;
  describe("PostgreSQL", () => {
    beforeAll(async () => {
      const d = await freshDatabase();
      drop = d.drop;
      db = await openPostgres(d.url);
      db2 = await openPostgres(d.url);
    });
    afterAll(async () => {
      await db?.close();
      await db2?.close();
      await drop?.();
    });
    // Two pools on one database: two instances.
    contract({
      name: "PostgreSQL",
      pair: async () => {
        await truncateAll(db.pool);
        return [new PgDeadlineStore(db.pool), new PgDeadlineStore(db2.pool)];
      },
    });
  });
}
