/**
 * A read-only data file. Root may write any file whatever its mode, so as root the store is opened
 * in a child process running as the unprivileged user 65534 (the compiled store in dist/, like the
 * crash test in test/quiz/store.test.ts).
 */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { quizDbPath, SqliteQuizStore } from "../../src/quiz/store.js";
import { repoPath, othersCanReach } from "../helpers.js";
import { bytesOf, tempDir } from "./damage.js";

const dist = process.env.QUIZ_DIST ?? repoPath("dist");
const compiled = join(dist, "src/quiz/store.js");
const modules = ["quiz/store", "storage/sqlite", "storage/errors"];
const fresh = modules.every((m) => existsSync(join(dist, `src/${m}.js`)) && statSync(join(dist, `src/${m}.js`)).mtimeMs >= statSync(repoPath(`src/${m}.ts`)).mtimeMs);
const root = process.getuid?.() === 0;

describe("a read-only data file", () => {
  it.runIf(process.env.CI === "true" && root)("has a compiled store for the read-only test in CI", () => {
    expect(fresh, "dist/ is missing or older than the store sources; npm ci builds it").toBeTruthy();
  });

  // Not root: faults.test.ts runs the same case in-process with chmod.
  it.skipIf(!root || !fresh || !othersCanReach(repoPath("test/storage/fixtures/open-store.mjs")))("is refused at open with a message naming the file, and left unchanged", () => {
    const dir = tempDir();
    const file = quizDbPath(dir);
    new SqliteQuizStore(file).close();
    const before = bytesOf(file);
    chmodSync(file, 0o444);
    // The folder stays writable, so the fault is the file's own mode, not a missing -wal.
    chmodSync(dir, 0o777);
    const child = spawnSync(process.execPath, [repoPath("test/storage/fixtures/open-store.mjs"), pathToFileURL(compiled).href, file], { encoding: "utf8", uid: 65534, gid: 65534 });
    expect(child.status, child.stderr).toBe(0);
    const result = JSON.parse(child.stdout.trim().split("\n").at(-1)!) as { opened: boolean; name?: string; fault?: string; message?: string; userMessage?: string };
    expect(result.opened).toBe(false);
    expect(result.name).toBe("StorageError");
    expect(result.fault).toBe("read-only");
    expect(result.message).toContain(file);
    expect(result.message).toContain("write access");
    expect(result.userMessage).toContain("quiz.sqlite 是只读的");
    expect(bytesOf(file).equals(before)).toBe(true);
  });
});
