/**
 * Backup and restore of the SQLite data files. A backup uses SQLite's online backup API, so it is
 * a consistent copy even while policybot writes; a restore checks every page of the backup first,
 * refuses a damaged one, and keeps the file it replaces aside.
 */
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import Database from "better-sqlite3";
import type { StoragePart } from "./errors.js";
import { checkSqliteFile } from "./sqlite.js";

/** A data file policybot keeps: which part and its name under DATA_DIR. */
export interface DataFile {
  part: StoragePart;
  name: string;
  /** Tables only this part's database has: how a restore tells which file a backup is. */
  tables: readonly string[];
}

/** Every data file under DATA_DIR. */
export const DATA_FILES: readonly DataFile[] = [
  { part: "quiz", name: "quiz.sqlite", tables: ["attempts", "cards", "rounds"] },
  { part: "feedback", name: "policybot.sqlite", tables: ["answers", "votes", "chat_history"] },
];

/** A backup or restore that cannot go ahead; the message says why and what to do. */
export class BackupError extends Error {
  override readonly name = "BackupError";
}

/**
 * Copies a live database to `dest` with SQLite's online backup (consistent while others write),
 * then checks the copy. The copy is written beside `dest` and renamed, so `dest` is never half-written.
 * @example await backupDatabase("data/quiz.sqlite", "backups/quiz.sqlite");
 */
export async function backupDatabase(src: string, dest: string): Promise<{ bytes: number; pages: number }> {
  if (!existsSync(src)) throw new BackupError(`backup: ${src} does not exist`);
  const source = checkSqliteFile(src);
  if (!source.ok) throw new BackupError(`backup: ${src} is damaged (${source.problems.join("; ")}); a backup of it would be too. Restore an earlier backup with \`policybot restore\`.`);
  mkdirSync(dirname(dest), { recursive: true });
  const tmp = `${dest}.${process.pid}.tmp`;
  const db = new Database(src, { fileMustExist: true });
  try {
    db.pragma("busy_timeout = 5000");
    await db.backup(tmp);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw new BackupError(`backup: could not copy ${src} to ${dest}: ${(err as Error).message}`, { cause: err });
  } finally {
    db.close();
  }
  // A backup is one self-contained file: no -wal beside it.
  const copy = new Database(tmp);
  copy.pragma("journal_mode = DELETE");
  copy.close();
  const check = checkSqliteFile(tmp);
  if (!check.ok) {
    rmSync(tmp, { force: true });
    throw new BackupError(`backup: the copy of ${src} failed its check (${check.problems.join("; ")}); nothing was written to ${dest}`);
  }
  renameSync(tmp, dest);
  const pages = new Database(dest, { readonly: true });
  const count = pages.pragma("page_count", { simple: true }) as number;
  const size = pages.pragma("page_size", { simple: true }) as number;
  pages.close();
  return { bytes: count * size, pages: count };
}

/** Which data file a backup holds, from its tables; undefined when it is none of them. */
export function identifyBackup(file: string): DataFile | undefined {
  const report = checkSqliteFile(file);
  return DATA_FILES.find((d) => d.tables.every((t) => report.tables.includes(t)));
}

/** Throws BackupError unless `src` is an undamaged backup of `expected` that this policybot can read. */
export function validateBackup(src: string, expected: DataFile, schemaVersion: number): void {
  const report = checkSqliteFile(src);
  if (!report.ok) throw new BackupError(`restore: ${src} is damaged (${report.problems.join("; ")}); nothing was changed. Use an earlier backup.`);
  const missing = expected.tables.filter((t) => !report.tables.includes(t));
  if (missing.length) throw new BackupError(`restore: ${src} is not a backup of ${expected.name} (it lacks the tables ${missing.join(", ")}); nothing was changed.`);
  if (report.userVersion > schemaVersion) throw new BackupError(`restore: ${src} was made by a newer policybot (schema ${report.userVersion}, this one knows ${schemaVersion}); nothing was changed.`);
}

/** What {@link restoreDatabase} did. */
export interface RestoreResult {
  target: string;
  /** Where the replaced file now is (undefined when there was none). */
  aside?: string;
}

/**
 * Replaces `target` with the backup `src` after checking every page of it. The current file (with
 * its -wal and -shm) is renamed to `<target>.before-restore-<time>`, never deleted. Stop policybot
 * first: a running process keeps writing to the file it opened.
 * @example restoreDatabase("backups/quiz.sqlite", "data/quiz.sqlite", DATA_FILES[0], 1);
 */
export function restoreDatabase(src: string, target: string, expected: DataFile, schemaVersion: number, now = new Date()): RestoreResult {
  validateBackup(src, expected, schemaVersion);
  mkdirSync(dirname(target), { recursive: true });
  const tmp = `${target}.${process.pid}.restoring`;
  copyFileSync(src, tmp);
  const copy = checkSqliteFile(tmp);
  if (!copy.ok) {
    rmSync(tmp, { force: true });
    throw new BackupError(`restore: the copy of ${src} failed its check (${copy.problems.join("; ")}); nothing was changed.`);
  }
  let aside: string | undefined;
  if (existsSync(target)) {
    aside = `${target}.before-restore-${now.toISOString().replace(/[:.]/g, "-")}`;
    // The -wal may hold the newest writes: it moves with its file, so the kept copy stays whole.
    for (const suffix of ["", "-wal", "-shm"]) {
      if (existsSync(target + suffix)) renameSync(target + suffix, aside + suffix);
    }
  }
  renameSync(tmp, target);
  return { target, ...(aside ? { aside } : {}) };
}

/** The default backup folder: DATA_DIR/backups/<UTC time>. */
export function defaultBackupDir(dataDir: string, now = new Date()): string {
  return join(dataDir, "backups", now.toISOString().slice(0, 19).replace(/[-:]/g, ""));
}
