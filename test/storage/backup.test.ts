/**
 * `policybot backup` and `policybot restore` round-trip on real files: a backup taken while a store
 * is open and writing holds everything committed, a restore brings it back over a damaged file and
 * keeps that file aside, and a damaged backup is refused without touching anything.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { SqliteFeedbackStore } from "../../src/feedback/store.js";
import { quizDbPath, SqliteQuizStore } from "../../src/quiz/store.js";
import { runCli } from "../cli/run.js";
import { bytesOf, fillAndCheckpoint, overwritePages, tempDir, writeGarbage } from "./damage.js";

const attempt = (userId: string, at: number) => ({ userId, questionId: "q", targetKey: "k", type: "fill" as const, correct: at % 2 === 0, answeredAt: at });
const answer = { channel: "web", chatId: "c", userId: "u", question: "高标准农田今年建多少", answer: "78万亩", citations: [], abstained: false, mode: "extractive", ms: 1 };

describe("policybot backup / restore", () => {
  it("round-trips both databases, backing up while a store is open and restoring over a damaged file", async () => {
    const dataDir = tempDir();
    const env = { DATA_DIR: dataDir };
    const quiz = new SqliteQuizStore(quizDbPath(dataDir));
    const feedback = new SqliteFeedbackStore(join(dataDir, "policybot.sqlite"));
    for (let i = 0; i < 50; i++) quiz.recordAttempt(attempt("alice", i));
    const answerId = feedback.recordAnswer(answer);
    feedback.vote(answerId, "u", "up");
    // Still open and not checkpointed: these rows sit in the -wal, which the online backup must include.
    expect(existsSync(`${quizDbPath(dataDir)}-wal`)).toBe(true);

    const backupDir = join(tempDir(), "backup");
    const backup = await runCli(["backup", backupDir], undefined, env);
    expect(backup.code, backup.err).toBe(0);
    expect(backup.out).toContain(`quiz.sqlite: backed up to ${join(backupDir, "quiz.sqlite")}`);
    expect(backup.out).toContain(`Restore with: policybot restore ${backupDir}`);
    expect(readdirSync(backupDir).sort()).toEqual(["policybot.sqlite", "quiz.sqlite"]); // self-contained: no -wal
    quiz.recordAttempt(attempt("after-backup", 99)); // the live store keeps working during and after
    quiz.close();
    feedback.close();

    // Disaster: the quiz file is overwritten.
    writeGarbage(quizDbPath(dataDir));
    const garbage = bytesOf(quizDbPath(dataDir));
    const restore = await runCli(["restore", backupDir], undefined, env);
    expect(restore.code, restore.err).toBe(0);
    expect(restore.out).toMatch(/quiz\.sqlite: restored from .*; the previous file is kept as .*quiz\.sqlite\.before-restore-/);

    const restored = new SqliteQuizStore(quizDbPath(dataDir));
    expect(restored.score("alice")).toEqual({ answered: 50, correct: 25 });
    restored.close();
    const votes = new SqliteFeedbackStore(join(dataDir, "policybot.sqlite"));
    expect(votes.exportFeedback()).toEqual([expect.objectContaining({ answerId, vote: "up", question: answer.question })]);
    votes.close();
    const aside = readdirSync(dataDir).find((f) => f.startsWith("quiz.sqlite.before-restore-") && !f.endsWith("-wal") && !f.endsWith("-shm"));
    expect(aside).toBeDefined();
    expect(bytesOf(join(dataDir, aside!)).equals(garbage)).toBe(true); // nothing is deleted
  });

  it("refuses a damaged backup and changes nothing", async () => {
    const dataDir = tempDir();
    const live = new SqliteQuizStore(quizDbPath(dataDir));
    live.recordAttempt(attempt("bob", 2));
    live.close();
    const backupFile = join(tempDir(), "quiz-backup.sqlite");
    expect((await runCli(["backup", backupFile, "--db", "quiz"], undefined, { DATA_DIR: dataDir })).code).toBe(0);
    fillAndCheckpoint(backupFile);
    overwritePages(backupFile, 15);
    const before = bytesOf(quizDbPath(dataDir));

    const r = await runCli(["restore", backupFile], undefined, { DATA_DIR: dataDir });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/restore: .*quiz-backup\.sqlite is damaged .*nothing was changed/s); // integrity_check reports span lines
    expect(bytesOf(quizDbPath(dataDir)).equals(before)).toBe(true);
    expect(readdirSync(dataDir).some((f) => f.includes("before-restore"))).toBe(false);
  });

  it("restores a single file, telling the database from its tables; refuses a file that is no backup", async () => {
    const dataDir = tempDir();
    const source = tempDir();
    const feedback = new SqliteFeedbackStore(join(source, "policybot.sqlite"));
    feedback.recordAnswer(answer);
    feedback.close();
    const file = join(tempDir(), "any-name.db");
    expect((await runCli(["backup", file, "--db", "feedback"], undefined, { DATA_DIR: source })).code).toBe(0);
    const r = await runCli(["restore", file], undefined, { DATA_DIR: dataDir });
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain("policybot.sqlite: restored from");
    const restored = new SqliteFeedbackStore(join(dataDir, "policybot.sqlite"));
    expect(restored.stats().questions).toBe(1);
    restored.close();

    const stranger = join(tempDir(), "notes.sqlite");
    const db = new Database(stranger);
    db.exec("CREATE TABLE notes (t TEXT)");
    db.close();
    const refused = await runCli(["restore", stranger], undefined, { DATA_DIR: dataDir });
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/is not a backup of quiz\.sqlite/);
  });

  it("backs up the healthy database when the other is damaged, and says so", async () => {
    const dataDir = tempDir();
    const feedback = new SqliteFeedbackStore(join(dataDir, "policybot.sqlite"));
    feedback.recordAnswer(answer);
    feedback.close();
    writeGarbage(quizDbPath(dataDir));
    const dest = join(tempDir(), "b");
    const r = await runCli(["backup", dest], undefined, { DATA_DIR: dataDir });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/quiz\.sqlite is damaged/);
    expect(readdirSync(dest)).toEqual(["policybot.sqlite"]);
  });

  it("explains its usage", async () => {
    const dataDir = tempDir();
    expect((await runCli(["backup", "x.sqlite"], undefined, { DATA_DIR: dataDir })).err).toMatch(/names one file but there are 2 databases/);
    expect((await runCli(["backup", "--db", "nope"], undefined, { DATA_DIR: dataDir })).err).toMatch(/--db is one of quiz, feedback/);
    expect((await runCli(["restore"], undefined, { DATA_DIR: dataDir })).code).toBe(2);
    const empty = await runCli(["backup", join(tempDir(), "b")], undefined, { DATA_DIR: dataDir });
    expect(empty.out).toContain("quiz.sqlite: none yet");
  });
});
