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


describe("SqliteQuizStore on disk", () => {
  it("creates DATA_DIR, uses WAL with synchronous=FULL and a versioned schema", async () => {
    const file = quizDbPath(join(tempDir(), "nested", "data"));
    const s = new SqliteQuizStore(file);
    expect(existsSync(file)).toBe(true);
    expect(s.db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(s.db.pragma("synchronous", { simple: true })).toBe(2);
    expect(s.db.pragma("user_version", { simple: true })).toBe(3);
    await s.close();
    // Reopening runs no migration twice.
    new SqliteQuizStore(file).close();
  });

  it("refuses a database from a newer version", async () => {
    const file = quizDbPath(tempDir());
    const db = new Database(file);
    db.pragma("user_version = 99");
    db.close();
    expect(() => new SqliteQuizStore(file)).toThrow(/newer/);
  });

  it("finds scores written by a store that was never closed", async () => {
    const file = quizDbPath(tempDir());
    let first: SqliteQuizStore | undefined = new SqliteQuizStore(file);
    await first.recordAttempt(attempt("u", true, 1));
    await first.recordAttempt(attempt("u", false, 2));
    await first.putCard({ userId: "u", targetKey: "k2", box: 1, dueAt: 2, updatedAt: 2 });
    first = undefined; // dropped without close(): no checkpoint, the data sits in the WAL
    const second = new SqliteQuizStore(file);
    expect((await second.score("u"))).toEqual({ answered: 2, correct: 1 });
    expect((await second.getCard("u", "k2"))?.box).toBe(1);
    await second.close();
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
    expect((await store.score("killed"))).toEqual({ answered: 5, correct: 3 });
    expect((await store.cards("killed"))).toHaveLength(5);
    expect(store.db.pragma("integrity_check", { simple: true })).toBe("ok");
    await store.close();
  });
});
