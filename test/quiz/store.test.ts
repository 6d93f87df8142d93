import { fork } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { MemoryQuizStore, type QuizStore, quizDbPath, SqliteQuizStore } from "../../src/quiz/store.js";
import { repoPath } from "../helpers.js";

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), "quiz-store-"));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const attempt = (userId: string, correct: boolean, at: number, chatId: string | null = null) => ({ userId, chatId, questionId: `fill:1:k${at}`, targetKey: `k${at}`, type: "fill" as const, correct, answeredAt: at });

function contract(name: string, make: () => QuizStore) {
  describe(`${name} contract`, () => {
    it("counts scores and keeps cards", () => {
      const s = make();
      s.recordAttempt(attempt("a", true, 1, "c"));
      s.recordAttempt(attempt("a", false, 2, "c"));
      s.recordAttempt(attempt("b", true, 3));
      expect(s.score("a")).toEqual({ answered: 2, correct: 1 });
      expect(s.score("nobody")).toEqual({ answered: 0, correct: 0 });
      expect(s.lastAttempt("a")?.answeredAt).toBe(2);
      expect(s.leaderboard("c", 5).map((x) => x.userId)).toEqual(["a"]);
      s.setDisplayName("b", "Bea", 3);
      expect(s.leaderboard(undefined, 5)).toEqual([{ userId: "b", displayName: "Bea", answered: 1, correct: 1 }, { userId: "a", answered: 2, correct: 1 }]);
      s.putCard({ userId: "a", targetKey: "k", box: 1, dueAt: 50, updatedAt: 1 });
      s.putCard({ userId: "a", targetKey: "k", box: 3, dueAt: 40, updatedAt: 2 });
      s.putCard({ userId: "a", targetKey: "j", box: 2, dueAt: 10, updatedAt: 2 });
      expect(s.getCard("a", "k")).toEqual({ userId: "a", targetKey: "k", box: 3, dueAt: 40, updatedAt: 2 });
      expect(s.cards("a").map((c) => c.targetKey)).toEqual(["j", "k"]);
      s.close();
    });

    it("keeps one active round per chat and one answer per user per question", () => {
      const s = make();
      const round = { id: "r1", chatId: "c", startedBy: "a", questions: [], currentIndex: 0, state: "active" as const, createdAt: 1 };
      s.createRound(round);
      expect(() => s.createRound({ ...round, id: "r2" })).toThrow();
      const ans = { roundId: "r1", questionIndex: 0, userId: "a", displayName: "A", response: "x", correct: true, answeredAt: 5 };
      expect(s.addRoundAnswer(ans)).toBe(true);
      expect(s.addRoundAnswer({ ...ans, response: "y", correct: false })).toBe(false);
      expect(s.roundAnswer("r1", 0, "a")?.response).toBe("x");
      s.updateRound("r1", { currentIndex: 1, state: "finished" });
      expect(s.getRound("r1")).toMatchObject({ currentIndex: 1, state: "finished" });
      expect(s.activeRound("c")).toBeUndefined();
      s.createRound({ ...round, id: "r2" });
      expect(s.activeRound("c")?.id).toBe("r2");
      expect(s.roundStandings("r1")).toEqual([{ userId: "a", displayName: "A", answered: 1, correct: 1 }]);
      s.close();
    });
  });
}

contract("MemoryQuizStore", () => new MemoryQuizStore());
contract("SqliteQuizStore", () => new SqliteQuizStore(quizDbPath(tempDir())));

describe("SqliteQuizStore on disk", () => {
  it("creates DATA_DIR, uses WAL with synchronous=FULL and a versioned schema", () => {
    const file = quizDbPath(join(tempDir(), "nested", "data"));
    const s = new SqliteQuizStore(file);
    expect(existsSync(file)).toBe(true);
    expect(s.db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(s.db.pragma("synchronous", { simple: true })).toBe(2);
    expect(s.db.pragma("user_version", { simple: true })).toBe(2);
    s.close();
    // Reopening runs no migration twice.
    new SqliteQuizStore(file).close();
  });

  it("refuses a database from a newer version", () => {
    const file = quizDbPath(tempDir());
    const db = new Database(file);
    db.pragma("user_version = 99");
    db.close();
    expect(() => new SqliteQuizStore(file)).toThrow(/newer/);
  });

  it("finds scores written by a store that was never closed", () => {
    const file = quizDbPath(tempDir());
    let first: SqliteQuizStore | undefined = new SqliteQuizStore(file);
    first.recordAttempt(attempt("u", true, 1));
    first.recordAttempt(attempt("u", false, 2));
    first.putCard({ userId: "u", targetKey: "k2", box: 1, dueAt: 2, updatedAt: 2 });
    first = undefined; // dropped without close(): no checkpoint, the data sits in the WAL
    const second = new SqliteQuizStore(file);
    expect(second.score("u")).toEqual({ answered: 2, correct: 1 });
    expect(second.getCard("u", "k2")?.box).toBe(1);
    second.close();
  });

  // The child runs the compiled store (dist/ is built by `npm ci`/`npm run build`); QUIZ_DIST points elsewhere.
  const dist = process.env.QUIZ_DIST ?? repoPath("dist");
  const compiled = join(dist, "src/quiz/store.js");
  const fresh = existsSync(compiled) && statSync(compiled).mtimeMs >= statSync(repoPath("src/quiz/store.ts")).mtimeMs;
  if (!fresh) console.warn(`skipping the SIGKILL persistence test: ${compiled} is missing or older than src/quiz/store.ts (run npm run build)`);

  it.runIf(process.env.CI === "true")("has a compiled store for the crash test in CI", () => {
    expect(fresh, "dist/ is missing or older than src/quiz/store.ts; npm ci builds it").toBeTruthy();
  });

  it.skipIf(!fresh)("keeps every committed answer when the writing process is killed with SIGKILL", async () => {
    const file = quizDbPath(tempDir());
    const child = fork(repoPath("test/quiz/fixtures/write-and-hang.mjs"), [pathToFileURL(compiled).href, file], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_code, signal) => resolve(signal)));
    await new Promise<void>((resolve, reject) => {
      child.once("message", (m) => (m === "written" ? resolve() : reject(new Error(String(m)))));
      child.once("exit", (code) => reject(new Error(`child exited early with ${code}`)));
    });
    child.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");
    const store = new SqliteQuizStore(file);
    expect(store.score("killed")).toEqual({ answered: 5, correct: 3 });
    expect(store.cards("killed")).toHaveLength(5);
    expect(store.db.pragma("integrity_check", { simple: true })).toBe("ok");
    store.close();
  });
});
