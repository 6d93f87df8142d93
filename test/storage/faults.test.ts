/**
 * Every way a data file can be unusable, done for real to real SQLite files: the stores refuse it at
 * open with a StorageError that names the file and the fix, the file is left as it was, and a guarded
 * store keeps the process up and reports the part in StorageHealth until the file is fixed.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, closeSync, existsSync, openSync, renameSync, rmdirSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SqliteFeedbackStore } from "../../src/feedback/store.js";
import { quizDbPath, SqliteQuizStore } from "../../src/quiz/store.js";
import { StorageError } from "../../src/storage/errors.js";
import { guardStore } from "../../src/storage/guard.js";
import { StorageHealth } from "../../src/storage/health.js";
import { memoryLogger } from "../support/kb.js";
import { bytesOf, fillAndCheckpoint, overwritePages, tempDir, truncatePages, writeGarbage } from "./damage.js";

const attempt = (userId: string, at: number) => ({ userId, questionId: "q", targetKey: "k", type: "fill" as const, correct: true, answeredAt: at });

function openError(open: () => unknown): StorageError {
  try {
    open();
  } catch (err) {
    expect(err).toBeInstanceOf(StorageError);
    return err as StorageError;
  }
  throw new Error("expected the store to refuse the file");
}

describe("a data file that cannot serve is refused at open, naming the file and the fix", () => {
  it("a file that is not a database", () => {
    const file = quizDbPath(tempDir());
    writeGarbage(file);
    const before = bytesOf(file);
    const err = openError(() => new SqliteQuizStore(file));
    expect(err.fault).toBe("not-a-database");
    expect(err.message).toContain(file);
    expect(err.message).toContain("policybot restore");
    expect(err.userMessage).toMatch(/测验功能暂时不可用：数据文件 quiz\.sqlite 不是有效的数据库文件/);
    expect(bytesOf(file).equals(before)).toBe(true); // nothing the user saved is overwritten
  });

  it("damaged pages inside a database (PRAGMA quick_check at open)", () => {
    const file = join(tempDir(), "policybot.sqlite");
    new SqliteFeedbackStore(file).close();
    fillAndCheckpoint(file);
    overwritePages(file, 20);
    const before = bytesOf(file);
    const err = openError(() => new SqliteFeedbackStore(file));
    expect(err.fault).toBe("damaged");
    expect(bytesOf(file).equals(before)).toBe(true);
    expect(err.part).toBe("feedback");
    expect(err.message).toContain(file);
    expect(err.userMessage).toContain("policybot.sqlite 已损坏");
  });

  it("damaged pages in a rollback-journal database (a copied or restored file): refused before anything is written", () => {
    const file = quizDbPath(tempDir());
    const db = new Database(file);
    db.pragma("journal_mode = DELETE");
    db.close();
    fillAndCheckpoint(file);
    overwritePages(file, 12);
    const before = bytesOf(file);
    expect(openError(() => new SqliteQuizStore(file)).fault).toBe("damaged");
    expect(bytesOf(file).equals(before)).toBe(true); // not even switched to WAL
  });

  it("a truncated database", () => {
    const file = quizDbPath(tempDir());
    new SqliteQuizStore(file).close();
    fillAndCheckpoint(file);
    truncatePages(file, 4);
    expect(openError(() => new SqliteQuizStore(file)).fault).toBe("damaged");
  });

  it("a database from a newer policybot", () => {
    const file = quizDbPath(tempDir());
    const s = new SqliteQuizStore(file);
    s.db.pragma("user_version = 99");
    s.close();
    const err = openError(() => new SqliteQuizStore(file));
    expect(err.fault).toBe("newer-schema");
    expect(err.message).toMatch(/newer/);
  });

  it("a folder that is a file (DATA_DIR points at a file)", () => {
    const dir = tempDir();
    const notADir = join(dir, "data");
    writeGarbage(notADir);
    const err = openError(() => new SqliteQuizStore(quizDbPath(notADir)));
    expect(err.fault).toBe("cannot-open");
    expect(err.message).toContain(quizDbPath(notADir));
  });

  // root may write any file whatever its mode: as root the read-only case runs in test/storage/readonly.test.ts as another user.
  it.skipIf(process.getuid?.() === 0)("a read-only file", () => {
    const file = quizDbPath(tempDir());
    new SqliteQuizStore(file).close();
    chmodSync(file, 0o444);
    const err = openError(() => new SqliteQuizStore(file));
    expect(["read-only", "cannot-open"]).toContain(err.fault);
    expect(err.message).toContain(file);
  });
});

describe("a full disk (SQLite's page limit, the same SQLITE_FULL a full disk gives)", () => {
  it("fails the write with a StorageError, keeps what was stored, and writes again once there is room", () => {
    const file = quizDbPath(tempDir());
    const health = new StorageHealth();
    const { logger, lines } = memoryLogger();
    const store = guardStore({ part: "quiz", file, open: () => new SqliteQuizStore(file), health, logger });
    store.recordAttempt(attempt("kept", 1));
    const db = (store as SqliteQuizStore).db;
    db.pragma(`max_page_count = ${db.pragma("page_count", { simple: true })}`);
    // Fill the last pages quickly (no fsync per row), then the store's own write meets the full disk.
    db.pragma("synchronous = OFF");
    const fill = db.prepare("INSERT INTO attempts (user_id, question_id, target_key, type, correct, answered_at) VALUES ('f', 'q', 'k', 'fill', 1, 0)");
    expect(() => {
      for (let i = 0; i < 100_000; i++) fill.run();
    }).toThrow(/full/);
    db.pragma("synchronous = FULL");
    let failure: unknown;
    try {
      store.recordAttempt(attempt("filler", 5));
    } catch (err) {
      failure = err;
    }
    expect(failure).toBeInstanceOf(StorageError);
    expect((failure as StorageError).fault).toBe("full");
    expect(health.status).toBe("degraded");
    expect(health.report()).toEqual([expect.objectContaining({ part: "quiz", file: "quiz.sqlite", ok: false, fault: "full" })]);
    expect(lines.filter((l) => l.includes("disk is full")).length).toBe(1);
    // Reads still work, and nothing stored before is lost.
    expect(store.score("kept")).toEqual({ answered: 1, correct: 1 });
    expect(() => store.recordAttempt(attempt("again", 2))).toThrow(StorageError);
    expect(lines.filter((l) => l.includes("disk is full")).length).toBe(1); // logged once, not per request

    db.pragma("max_page_count = 1000000"); // space freed
    store.recordAttempt(attempt("after", 3));
    expect(health.status).toBe("ok");
    expect(store.score("after")).toEqual({ answered: 1, correct: 1 });
    expect(store.score("kept")).toEqual({ answered: 1, correct: 1 });
    store.close();
  });
});

describe("a really full filesystem (a 1 MB tmpfs, where the test may mount one; otherwise the page limit above stands in)", () => {
  const mountPoint = tempDir("policybot-tmpfs-");
  let mounted = false;
  beforeAll(() => {
    mounted = process.platform === "linux" && spawnSync("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", mountPoint], { stdio: "ignore" }).status === 0;
  });
  afterAll(() => {
    if (mounted) spawnSync("umount", [mountPoint], { stdio: "ignore" });
    rmdirSync(mountPoint);
  });

  /** Fills the rest of the filesystem with a ballast file; deleting it frees the space again. */
  function fillDisk(file: string): void {
    const fd = openSync(file, "w");
    const block = Buffer.alloc(4096, 1);
    try {
      for (;;) writeSync(fd, block);
    } catch (err) {
      expect((err as NodeJS.ErrnoException).code).toBe("ENOSPC");
    } finally {
      closeSync(fd);
    }
  }

  it("reports full at open and on a write, keeps what was stored, and writes again once space is freed", (ctx) => {
    if (!mounted) return ctx.skip();
    const dir = join(mountPoint, "data");
    const file = quizDbPath(dir);
    const health = new StorageHealth();
    const store = guardStore({ part: "quiz", file, open: () => new SqliteQuizStore(file), health, logger: memoryLogger().logger });
    store.recordAttempt(attempt("kept", 1));
    const ballast = join(mountPoint, "ballast");
    fillDisk(ballast);
    let failure: unknown;
    for (let i = 0; i < 1000 && !failure; i++) {
      try {
        store.recordAttempt(attempt(`w${i}`, i));
      } catch (err) {
        failure = err;
      }
    }
    expect(failure).toBeInstanceOf(StorageError);
    expect((failure as StorageError).fault).toBe("full");
    expect((failure as StorageError).userMessage).toContain("quiz.sqlite 所在磁盘已满");
    expect(health.status).toBe("degraded");
    // A new database on the full disk is refused at open.
    const other = join(mountPoint, "other", "policybot.sqlite");
    expect(openError(() => new SqliteFeedbackStore(other)).fault).toMatch(/full|cannot-open/);
    expect(store.score("kept").answered).toBe(1);

    rmSync(ballast);
    store.recordAttempt(attempt("after", 2));
    expect(health.status).toBe("ok");
    expect(store.score("kept").answered).toBe(1);
    store.close();
  });
});

describe("guardStore", () => {
  it("keeps the process up with a broken file, reports it, and opens it once it is fixed", () => {
    const dir = tempDir();
    const file = quizDbPath(dir);
    writeGarbage(file);
    const health = new StorageHealth();
    const { logger, lines } = memoryLogger();
    let clock = 0;
    const store = guardStore({ part: "quiz", file, open: () => new SqliteQuizStore(file), health, logger, retryMs: 30_000, now: () => clock });
    expect(health.status).toBe("degraded");
    const [status] = health.report();
    expect(status).toMatchObject({ part: "quiz", file: "quiz.sqlite", ok: false, fault: "not-a-database" });
    expect(status!.reason).toMatch(/the quiz database quiz\.sqlite is not an SQLite database/);
    expect(status!.reason).not.toContain(dir); // /healthz is public: no full path
    expect(lines.join("")).toContain(file); // the log has it
    expect(status!.message).toContain("quiz.sqlite");
    expect(() => store.score("u")).toThrow(StorageError);
    expect(lines.filter((l) => l.includes('"level":50')).length).toBe(1);

    // The operator moves the bad file aside; within the retry interval calls still fail fast.
    renameSync(file, `${file}.bad`);
    clock += 1000;
    expect(() => store.score("u")).toThrow(StorageError);
    clock += 30_000;
    expect(store.score("u")).toEqual({ answered: 0, correct: 0 });
    expect(health.status).toBe("ok");
    expect(existsSync(`${file}.bad`)).toBe(true);
    store.close();
    expect(() => store.score("u")).toThrow(StorageError);
  });

  it("lets errors that are not storage faults through unchanged", () => {
    const file = quizDbPath(tempDir());
    const store = guardStore({ part: "quiz", file, open: () => new SqliteQuizStore(file), health: new StorageHealth(), logger: memoryLogger().logger });
    const round = { id: "r1", chatId: "c", startedBy: "u", questions: [], currentIndex: 0, state: "active" as const, createdAt: 1 };
    store.createRound(round);
    // A second active round in the chat breaks a unique index: the quiz service relies on that error.
    expect(() => store.createRound({ ...round, id: "r2" })).toThrow(/UNIQUE/);
    expect(() => store.createRound({ ...round, id: "r2" })).not.toThrow(StorageError);
    store.close();
  });
});
