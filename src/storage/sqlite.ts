/**
 * Opening an SQLite data file so that every way it can be unusable shows at start, as a
 * {@link StorageError} naming the file: not a database, damaged pages (quick_check), read-only,
 * a full disk, a schema from a newer policybot.
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { StorageError, storageErrorOf, type StoragePart } from "./errors.js";

/** Options for {@link openSqlite}. */
export interface OpenSqliteOptions {
  part: StoragePart;
  /** FULL: a returned write is on disk; NORMAL (in WAL mode) survives a crash of the process, not of the machine. */
  synchronous: "FULL" | "NORMAL";
  /** Schema migrations; entry i brings user_version from i to i+1. */
  migrations: readonly string[];
}

/**
 * Opens (creating when missing) a WAL database, checks it and brings its schema up to date.
 * Throws StorageError when the file cannot serve; the file itself is never changed then.
 * @example const db = openSqlite("data/quiz.sqlite", { part: "quiz", synchronous: "FULL", migrations });
 */
export function openSqlite(file: string, opts: OpenSqliteOptions): Database.Database {
  const fault = (err: unknown) => storageErrorOf(err, opts.part, file) ?? err;
  let db: Database.Database;
  try {
    if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
    db = new Database(file);
  } catch (err) {
    throw fault(err);
  }
  try {
    // The bot and the web server may share the file: wait for a writer instead of failing.
    db.pragma("busy_timeout = 5000");
    // Damaged pages otherwise show only when a query reaches them, as 500s while /healthz says ok.
    // Checked before anything is written, so that a damaged file stays exactly as it was found.
    const problems = (db.pragma("quick_check(5)") as Array<{ quick_check: string }>).map((r) => r.quick_check);
    if (problems.length !== 1 || problems[0] !== "ok") throw new StorageError(opts.part, file, "damaged", `quick_check: ${problems.join("; ")}`);
    db.pragma("journal_mode = WAL");
    db.pragma(`synchronous = ${opts.synchronous}`);
    db.pragma("foreign_keys = ON");
    migrate(db, opts, file);
    // SQLite opens a file it may not write read-only without a word; a write now says so at start.
    const version = db.pragma("user_version", { simple: true }) as number;
    db.pragma(`user_version = ${version}`);
    return db;
  } catch (err) {
    db.close();
    throw fault(err);
  }
}

function migrate(db: Database.Database, opts: OpenSqliteOptions, file: string): void {
  const version = db.pragma("user_version", { simple: true }) as number;
  if (version > opts.migrations.length) {
    throw new StorageError(opts.part, file, "newer-schema", `schema version ${version} is newer than this policybot's ${opts.migrations.length}; upgrade policybot`);
  }
  for (let v = version; v < opts.migrations.length; v++) {
    db.transaction(() => {
      db.exec(opts.migrations[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}

/** What {@link checkSqliteFile} found in a file. */
export interface SqliteFileReport {
  ok: boolean;
  /** Problems integrity_check reported, or why the file could not be read. */
  problems: string[];
  tables: string[];
  userVersion: number;
}

/**
 * Reads a database file without changing it and checks every page (integrity_check): what
 * `policybot restore` runs on a backup before it replaces anything.
 */
export function checkSqliteFile(file: string): SqliteFileReport {
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const problems = (db.pragma("integrity_check(20)") as Array<{ integrity_check: string }>).map((r) => r.integrity_check);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>).map((r) => r.name);
    const userVersion = db.pragma("user_version", { simple: true }) as number;
    const ok = problems.length === 1 && problems[0] === "ok";
    return { ok, problems: ok ? [] : problems, tables, userVersion };
  } catch (err) {
    return { ok: false, problems: [`${(err as { code?: string }).code ?? "error"}: ${(err as Error).message}`], tables: [], userVersion: 0 };
  } finally {
    db?.close();
  }
}
