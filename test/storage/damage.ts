/** Real damage to real SQLite files, for the storage fault tests. */
import { closeSync, mkdtempSync, openSync, readFileSync, statSync, truncateSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";

/** A fresh temporary folder. */
export const tempDir = (prefix = "policybot-storage-") => mkdtempSync(join(tmpdir(), prefix));

/** Replaces the file by text that is no database at all. */
export function writeGarbage(file: string): void {
  writeFileSync(file, "this is not an SQLite database, it is a note someone saved over it\n".repeat(100));
}

/** Makes sure the file holds some pages of data, checkpointed into the main file. */
export function fillAndCheckpoint(file: string, rows = 3000): void {
  const db = new Database(file);
  db.exec("CREATE TABLE IF NOT EXISTS ballast (id INTEGER PRIMARY KEY, v TEXT); CREATE INDEX IF NOT EXISTS ballast_v ON ballast (v)");
  const insert = db.prepare("INSERT INTO ballast (v) VALUES (?)");
  db.transaction(() => {
    for (let i = 0; i < rows; i++) insert.run(`row ${i} ${"x".repeat(40)}`);
  })();
  db.pragma("wal_checkpoint(TRUNCATE)");
  db.close();
}

/** Overwrites pages in the middle of the file with noise, as a failing disk or a stray write would. */
export function overwritePages(file: string, fromPage = 10, pages = 3): void {
  const pageSize = 4096;
  const fd = openSync(file, "r+");
  try {
    writeSync(fd, Buffer.alloc(pageSize * pages, 0x5a), 0, pageSize * pages, pageSize * fromPage);
  } finally {
    closeSync(fd);
  }
}

/** Cuts the file to its first pages, as a copy interrupted half-way would leave it. */
export function truncatePages(file: string, keepPages = 3): void {
  truncateSync(file, 4096 * keepPages);
}

/** The file's bytes, to assert that a fault never changed them. */
export const bytesOf = (file: string) => readFileSync(file);
export const sizeOf = (file: string) => statSync(file).size;
