import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { SqliteFeedbackStore } from "../../src/feedback/store.js";
import { quizDbPath, SqliteQuizStore } from "../../src/quiz/store.js";
import { openPostgres } from "../../src/storage/postgres/database.js";
import { PgFeedbackStore } from "../../src/storage/postgres/feedback-store.js";
import { PgQuizStore } from "../../src/storage/postgres/quiz-store.js";
import { runCli } from "../cli/run.js";
import { freshDatabase, havePostgres } from "../support/postgres.js";

const dataDir = mkdtempSync(join(tmpdir(), "policybot-migrate-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe("policybot migrate", () => {
  it("says DATABASE_URL is needed when it is unset", async () => {
    const { code, err } = await runCli(["migrate"], undefined, { DATA_DIR: dataDir, DATABASE_URL: "" });
    expect(code).toBe(2);
    expect(err).toMatch(/DATABASE_URL is unset/);
  });

  if (!havePostgres()) return;

  it("copies a SQLite data folder into PostgreSQL, keeps answer ids for old vote buttons, and copies nothing twice", async () => {
    const feedback = new SqliteFeedbackStore(join(dataDir, "policybot.sqlite"));
    const a1 = feedback.recordAnswer({ channel: "telegram", chatId: "42", userId: "7", question: "高标准农田建多少", answer: "78万亩〔第5项〕", citations: [{ doc: "d", ref: "task:5", label: "第5项", heading: "h", quote: "78万亩" } as never], abstained: false, mode: "extractive", ms: 3 });
    const a2 = feedback.recordAnswer({ channel: "web", chatId: "w", userId: "8", question: "火星", answer: "未找到", citations: [], abstained: true, mode: "extractive", ms: 9 });
    feedback.vote(a1, "7", "up");
    feedback.vote(a2, "8", "down");
    feedback.saveHistory("42", [{ q: "高标准农田建多少", a: "78万亩" }]);
    feedback.markUpdate(123456, 5001);
    feedback.close();
    const quiz = new SqliteQuizStore(quizDbPath(dataDir));
    quiz.recordAttempt({ userId: "tg:7", chatId: "-100", questionId: "fill:1:k", targetKey: "k", type: "fill", correct: true, answeredAt: 10 });
    quiz.putCard({ userId: "tg:7", targetKey: "k", box: 2, dueAt: 60_010, updatedAt: 10 });
    quiz.setDisplayName("tg:7", "@seven", 10);
    quiz.createRound({ id: "r1", chatId: "-100", startedBy: "tg:7", questions: [], currentIndex: 0, state: "active", createdAt: 5 });
    quiz.addRoundAnswer({ roundId: "r1", questionIndex: 0, userId: "tg:7", displayName: "@seven", response: "x", correct: true, answeredAt: 9 });
    quiz.close();

    const target = await freshDatabase();
    try {
      const env = { DATA_DIR: dataDir, DATABASE_URL: target.url, TELEGRAM_BOT_TOKEN: "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ" };
      const first = await runCli(["migrate"], undefined, env);
      expect(first.code, first.err).toBe(0);
      expect(first.out).toMatch(/answers\s+2 copied of 2/);
      expect(first.out).toMatch(/attempts\s+1 copied of 1/);
      const again = await runCli(["migrate"], undefined, env);
      expect(again.out).toMatch(/answers\s+0 copied of 2/);

      const db = await openPostgres(target.url);
      try {
        const pgFeedback = new PgFeedbackStore(db.pool);
        expect((await pgFeedback.exportFeedback()).map((r) => [r.answerId, r.vote])).toEqual([[a1, "up"], [a2, "down"]]);
        expect(await pgFeedback.stats()).toMatchObject({ questions: 2, abstentions: 1, up: 1, down: 1 });
        expect(await pgFeedback.history("42")).toEqual([{ q: "高标准农田建多少", a: "78万亩" }]);
        expect(await pgFeedback.wasHandled(123456, 5001)).toBe(true);
        // A new answer is numbered after the copied ones, and a vote on an old button still lands.
        expect(await pgFeedback.recordAnswer({ channel: "web", chatId: "w", userId: "9", question: "q", answer: "a", citations: [], abstained: false, mode: "extractive", ms: 1 })).toBe(a2 + 1);
        expect(await pgFeedback.vote(a1, "9", "down")).toBe(true);
        const pgQuiz = new PgQuizStore(db.pool, db.pool);
        expect(await pgQuiz.score("tg:7")).toEqual({ answered: 1, correct: 1 });
        expect(await pgQuiz.getCard("tg:7", "k")).toMatchObject({ box: 2, dueAt: 60_010 });
        expect((await pgQuiz.activeRound("-100"))?.id).toBe("r1");
        expect(await pgQuiz.roundStandings("r1")).toEqual([{ userId: "tg:7", displayName: "@seven", answered: 1, correct: 1 }]);
      } finally {
        await db.close();
      }
    } finally {
      await target.drop();
    }
  });
});
