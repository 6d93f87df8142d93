/**
 * One contract for every storage backend: SQLite (the default), memory (quiz tests) and PostgreSQL
 * (when TEST_DATABASE_URL names a server; required in CI). The same expectations run on each.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RateLimiter, type RateLimit } from "../../src/channels/rate-limit.js";
import { type FeedbackStore, SqliteFeedbackStore } from "../../src/feedback/store.js";
import { MemoryQuizStore, type QuizStore, quizDbPath, SqliteQuizStore } from "../../src/quiz/store.js";
import type { UpdateGate } from "../../src/storage/gate.js";
import { openPostgres, type Postgres } from "../../src/storage/postgres/database.js";
import { PgFeedbackStore } from "../../src/storage/postgres/feedback-store.js";
import { PgUpdateGate } from "../../src/storage/postgres/gate.js";
import { PgQuizStore } from "../../src/storage/postgres/quiz-store.js";
import { PgRateLimit } from "../../src/storage/postgres/rate-limit.js";
import { freshDatabase, havePostgres, truncateAll } from "../support/postgres.js";

interface Backend {
  name: string;
  feedback(): Promise<FeedbackStore>;
  quiz(): Promise<QuizStore>;
  /** Only where several instances share it (PostgreSQL). */
  gate?(): Promise<UpdateGate>;
  limit(perMinute: number): Promise<RateLimit>;
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), "store-contract-"));
  dirs.push(d);
  return d;
};

const sqlite: Backend = {
  name: "SQLite",
  feedback: async () => new SqliteFeedbackStore(join(tempDir(), "policybot.sqlite")),
  quiz: async () => new SqliteQuizStore(quizDbPath(tempDir())),
  limit: async (n) => new RateLimiter(n),
};

const attempt = (userId: string, correct: boolean, at: number, chatId: string | null = null) => ({ userId, chatId, questionId: `fill:1:k${at}`, targetKey: `k${at}`, type: "fill" as const, correct, answeredAt: at });
const citation = { label: "第5项", ref: "task:5", quote: "建成高标准农田78万亩", doc: "d" };

function feedbackContract(b: Backend) {
  describe(`${b.name} FeedbackStore contract`, () => {
    it("records answers and votes; a second vote replaces the first; an unknown answer takes no vote", async () => {
      const s = await b.feedback();
      const id = await s.recordAnswer({ channel: "telegram", chatId: "c1", userId: "u1", question: "多少？", answer: "78万亩", citations: [citation as never], abstained: false, mode: "extractive", ms: 12.5 });
      const other = await s.recordAnswer({ channel: "web", chatId: "c2", userId: "u2", question: "火星？", answer: "不知道", citations: [], abstained: true, mode: "extractive", ms: 30 });
      expect(other).toBeGreaterThan(id);
      expect(await s.vote(id, "u1", "down")).toBe(true);
      expect(await s.vote(id, "u1", "up")).toBe(true);
      expect(await s.vote(id, "u9", "down")).toBe(true);
      expect(await s.vote(999_999, "u1", "up")).toBe(false);
      const rows = await s.exportFeedback();
      expect(rows.map((r) => [r.answerId, r.userId, r.vote])).toEqual([[id, "u1", "up"], [id, "u9", "down"]]);
      expect(rows[0]).toMatchObject({ question: "多少？", answer: "78万亩", citations: ["第5项"], chatId: "c1", channel: "telegram" });
      expect(Number.isNaN(Date.parse(rows[0]!.votedAt))).toBe(false);
      const st = await s.stats();
      expect(st).toMatchObject({ questions: 2, abstentions: 1, up: 1, down: 1 });
      expect(st.p95ms).toBeGreaterThanOrEqual(st.p50ms);
      await s.close();
    });

    it("keeps each chat's history and remembers handled updates", async () => {
      const s = await b.feedback();
      expect(await s.history("c")).toEqual([]);
      await s.saveHistory("c", [{ q: "一", a: "二" }, { q: "三" }]);
      await s.saveHistory("d", [{ q: "x" }]);
      expect(await s.history("c")).toEqual([{ q: "一", a: "二" }, { q: "三" }]);
      await s.saveHistory("c", []);
      expect(await s.history("c")).toEqual([]);
      expect(await s.chatPlan("c")).toBeUndefined();
      await s.setChatPlan("c", "plan-a");
      await s.setChatPlan("c", "plan-b");
      expect(await s.chatPlan("c")).toBe("plan-b");
      await s.setChatPlan("c", undefined);
      expect(await s.chatPlan("c")).toBeUndefined();
      const t = 1_800_000_000_000;
      expect(await s.wasHandled(7, 41, t)).toBe(false);
      expect(await s.markUpdate(7, 41, t)).toBe(true);
      expect(await s.markUpdate(7, 41, t + 1000)).toBe(false);
      expect(await s.wasHandled(7, 41, t + 1000)).toBe(true);
      expect(await s.wasHandled(8, 41, t + 1000)).toBe(false); // another bot's update 41
      // Telegram reissues ids after its 24-hour window: an old record no longer counts.
      expect(await s.wasHandled(7, 41, t + 25 * 3_600_000)).toBe(false);
      expect(await s.markUpdate(7, 41, t + 25 * 3_600_000)).toBe(true);
      await s.close();
    });
  });
}

function quizContract(b: Pick<Backend, "name" | "quiz">) {
  describe(`${b.name} QuizStore contract`, () => {
    it("counts scores and keeps cards", async () => {
      const s = await b.quiz();
      await s.recordAttempt(attempt("a", true, 1, "c"));
      await s.recordAttempt(attempt("a", false, 2, "c"));
      await s.recordAttempt(attempt("b", true, 3));
      expect(await s.score("a")).toEqual({ answered: 2, correct: 1 });
      expect(await s.score("nobody")).toEqual({ answered: 0, correct: 0 });
      expect((await s.lastAttempt("a"))?.answeredAt).toBe(2);
      expect((await s.leaderboard("c", 5)).map((x) => x.userId)).toEqual(["a"]);
      await s.setDisplayName("b", "Bea", 3);
      expect(await s.leaderboard(undefined, 5)).toEqual([{ userId: "b", displayName: "Bea", answered: 1, correct: 1 }, { userId: "a", answered: 2, correct: 1 }]);
      await s.putCard({ userId: "a", targetKey: "k", box: 1, dueAt: 50, updatedAt: 1 });
      await s.putCard({ userId: "a", targetKey: "k", box: 3, dueAt: 40, updatedAt: 2 });
      await s.putCard({ userId: "a", targetKey: "j", box: 2, dueAt: 10, updatedAt: 2 });
      expect(await s.getCard("a", "k")).toEqual({ userId: "a", targetKey: "k", box: 3, dueAt: 40, updatedAt: 2 });
      expect((await s.cards("a")).map((c) => c.targetKey)).toEqual(["j", "k"]);
      await s.close();
    });

    it("keeps one active round per chat, one answer per user per question, and moves a question on once", async () => {
      const s = await b.quiz();
      const round = { id: "r1", chatId: "c", startedBy: "a", questions: [], currentIndex: 0, state: "active" as const, createdAt: 1 };
      await s.createRound(round);
      await expect(Promise.resolve().then(() => s.createRound({ ...round, id: "r2" }))).rejects.toThrow();
      const ans = { roundId: "r1", questionIndex: 0, userId: "a", displayName: "A", response: "x", correct: true, answeredAt: 5 };
      expect(await s.addRoundAnswer(ans)).toBe(true);
      expect(await s.addRoundAnswer({ ...ans, response: "y", correct: false })).toBe(false);
      expect((await s.roundAnswer("r1", 0, "a"))?.response).toBe("x");
      expect(await s.updateRound("r1", { currentIndex: 1 }, 0)).toBe(true);
      expect(await s.updateRound("r1", { currentIndex: 1 }, 0)).toBe(false); // the second closer loses
      expect(await s.updateRound("r1", { currentIndex: 2, state: "finished" }, 1)).toBe(true);
      expect(await s.getRound("r1")).toMatchObject({ currentIndex: 2, state: "finished" });
      expect(await s.activeRound("c")).toBeUndefined();
      await s.createRound({ ...round, id: "r2" });
      expect((await s.activeRound("c"))?.id).toBe("r2");
      expect(await s.roundStandings("r1")).toEqual([{ userId: "a", displayName: "A", answered: 1, correct: 1 }]);
      await s.close();
    });

    it("rolls a failed transaction back whole", async () => {
      const s = await b.quiz();
      await expect(s.transaction(async (tx) => {
        await tx.recordAttempt(attempt("t", true, 9));
        throw new Error("boom");
      })).rejects.toThrow("boom");
      expect(await s.score("t")).toEqual({ answered: b.name === "memory" ? 1 : 0, correct: b.name === "memory" ? 1 : 0 });
      await s.transaction(async (tx) => tx.recordAttempt(attempt("t2", true, 10)));
      expect(await s.score("t2")).toEqual({ answered: 1, correct: 1 });
      await s.close();
    });

    it("tells the question last issued to a user and still open, within a time", async () => {
      const s = await b.quiz();
      expect(await s.openQuestion("o", 0)).toBeUndefined();
      await s.issueQuestion("o", "fill:1:a", 1_000);
      await s.issueQuestion("o", "fill:1:b", 2_000);
      await s.issueQuestion("other", "fill:1:c", 3_000);
      expect(await s.openQuestion("o", 0)).toBe("fill:1:b");
      expect(await s.openQuestion("o", 2_500)).toBeUndefined();
      expect(await s.claimQuestion("o", "fill:1:b", 2_100)).toBe("ok");
      expect(await s.openQuestion("o", 0)).toBe("fill:1:a");
      await s.close();
    });
  });
}

function coordinationContract(b: Backend) {
  describe(`${b.name} gate and rate limit`, () => {
    it.skipIf(!b.gate)("runs an update once and one chat's updates one at a time", async () => {
      const gate = await b.gate!();
      const log: string[] = [];
      const slow = (tag: string) => async () => {
        log.push(`${tag}+`);
        await new Promise((r) => setTimeout(r, 40));
        log.push(`${tag}-`);
      };
      // Two updates of one chat at once: one starts after the other ended.
      const results = await Promise.all([gate.run({ updateId: 1, chatKey: "c" }, slow("a")), gate.run({ updateId: 2, chatKey: "c" }, slow("b"))]);
      expect(results).toEqual([true, true]);
      // Never overlapping (which of two simultaneous deliveries goes first is up to the lock).
      expect([["a+", "a-", "b+", "b-"], ["b+", "b-", "a+", "a-"]]).toContainEqual(log);
      expect(await gate.run({ updateId: 1, chatKey: "c" }, slow("again"))).toBe(false);
      // A failed handler leaves the update unhandled, so that a redelivery is handled.
      await expect(gate.run({ updateId: 3, chatKey: "c" }, async () => Promise.reject(new Error("x")))).rejects.toThrow("x");
      expect(await gate.run({ updateId: 3, chatKey: "c" }, async () => undefined)).toBe(true);
    });

    it("limits a key to its rate and refills with time", async () => {
      const limit = await b.limit(3);
      const t = 1_000_000;
      expect([await limit.take("u", t), await limit.take("u", t), await limit.take("u", t)]).toEqual([0, 0, 0]);
      expect(await limit.take("u", t)).toBe(20); // one token every 20 s
      expect(await limit.take("v", t)).toBe(0);
      expect(await limit.take("u", t + 20_000)).toBe(0);
    });
  });
}

for (const b of [sqlite]) {
  feedbackContract(b);
  quizContract(b);
  coordinationContract(b);
}
quizContract({ name: "memory", quiz: async () => new MemoryQuizStore() });

if (havePostgres()) {
  let db: Postgres;
  let drop: () => Promise<void>;
  const fresh = async () => {
    await truncateAll(db.pool);
  };
  const postgres: Backend = {
    name: "PostgreSQL",
    feedback: async () => (await fresh(), new PgFeedbackStore(db.pool)),
    quiz: async () => (await fresh(), new PgQuizStore(db.pool, db.pool)),
    gate: async () => (await fresh(), new PgUpdateGate(db, 7)),
    limit: async (n) => (await fresh(), new PgRateLimit(db.pool, "t", n)),
  };
  describe("PostgreSQL", () => {
    beforeAll(async () => {
      const d = await freshDatabase();
      drop = d.drop;
      db = await openPostgres(d.url);
    });
    afterAll(async () => {
      await db?.close();
      await drop?.();
    });
    feedbackContract(postgres);
    quizContract(postgres);
    coordinationContract(postgres);

    it("holds a rate limit across instances (two pools on one database)", async () => {
      await fresh();
      const a = new PgRateLimit(db.pool, "x", 2);
      const b = new PgRateLimit(db.lockPool, "x", 2);
      expect([await a.take("k", 5_000_000), await b.take("k", 5_000_000), await a.take("k", 5_000_000)]).toEqual([0, 0, 30]);
    });

    it("keeps handled updates per bot and prunes those past Telegram's 24-hour window", async () => {
      await fresh();
      const gate = new PgUpdateGate(db, 7);
      await gate.run({ updateId: 10 }, async () => undefined);
      expect(await new PgUpdateGate(db, 8).run({ updateId: 10 }, async () => undefined)).toBe(true); // another bot's update 10
      expect(await gate.prune(Date.now() + 25 * 3_600_000)).toBe(2);
      expect(await new PgFeedbackStore(db.pool).wasHandled(8, 10)).toBe(false);
    });
  });
}
