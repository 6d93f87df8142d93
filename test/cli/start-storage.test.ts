/**
 * `policybot start` as an operator runs it, with a read-only quiz.sqlite and a policybot.sqlite that
 * is no database: the process starts, answers questions, and /healthz names both files. Runs the
 * compiled CLI (dist/); as root it runs as user 65534, since root may write any file.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { quizDbPath, SqliteQuizStore } from "../../src/quiz/store.js";
import { repoPath, othersCanReach } from "../helpers.js";
import { tempDir, writeGarbage } from "../storage/damage.js";

const modules = ["cli/commands/start", "app", "storage/guard", "storage/sqlite", "storage/health", "channels/web/server", "channels/web/http"];
const fresh = modules.every((m) => {
  const out = repoPath(`dist/src/${m}.js`);
  return existsSync(out) && statSync(out).mtimeMs >= statSync(repoPath(`src/${m}.ts`)).mtimeMs;
});
const root = process.getuid?.() === 0;
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill("SIGKILL");
});

describe("policybot start with broken data files", () => {
  it.runIf(process.env.CI === "true")("has a compiled CLI in CI", () => {
    expect(fresh, "dist/ is missing or older than src/; npm ci builds it").toBeTruthy();
  });

  // As root the child runs as user 65534, which must be able to reach the repository.
  it.skipIf(!fresh || (root && !othersCanReach(repoPath("bin/policybot.js"))))("serves questions and reports both files as degraded", async () => {
    const base = tempDir();
    chmodSync(base, 0o755);
    const dataDir = join(base, "data");
    const indexDir = join(base, "index");
    mkdirSync(dataDir);
    mkdirSync(indexDir);
    new SqliteQuizStore(quizDbPath(dataDir)).close();
    chmodSync(quizDbPath(dataDir), 0o444);
    writeGarbage(join(dataDir, "policybot.sqlite"));
    // The folders are writable by anyone: only the files themselves are at fault.
    chmodSync(dataDir, 0o777);
    chmodSync(indexDir, 0o777);

    const child = spawn(process.execPath, [repoPath("bin/policybot.js"), "start"], {
      env: { PATH: process.env.PATH, SEEDS_DIR: repoPath("seeds"), DATA_DIR: dataDir, INDEX_DIR: indexDir, PORT: "0", LOG_FORMAT: "json", WEB: "on" },
      stdio: ["ignore", "pipe", "pipe"],
      ...(root ? { uid: 65534, gid: 65534 } : {}),
    });
    children.push(child);
    let stdout = "";
    let stderr = "";
    child.stderr!.on("data", (c) => (stderr += c));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout!.on("data", (c) => {
        stdout += c;
        // The line is in English or Chinese depending on the locale; the address is what matters.
        const m = /(http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
        if (m) resolve(m[1]!);
      });
      child.once("exit", (code) => reject(new Error(`policybot start exited with ${code}: ${stderr}`)));
      setTimeout(() => reject(new Error(`policybot start did not come up: ${stderr}`)), 30_000).unref();
    });

    const health = (await (await fetch(`${url}/healthz`)).json()) as { ok: boolean; status: string; storage: Array<{ part: string; file: string; ok: boolean; fault?: string }> };
    expect(health.status).toBe("degraded");
    expect(health.storage).toEqual(expect.arrayContaining([
      expect.objectContaining({ part: "feedback", file: "policybot.sqlite", ok: false, fault: "not-a-database" }),
      expect.objectContaining({ part: "quiz", file: "quiz.sqlite", ok: false, fault: "read-only" }),
    ]));
    const answer = await fetch(`${url}/api/ask`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ q: "今年高标准农田要建多少？" }) });
    expect(answer.status).toBe(200);
    const body = (await answer.json()) as { answer: string; answerId?: number };
    expect(body.answer).toContain("78万亩");
    expect(body.answerId).toBeUndefined(); // not recorded, so no vote buttons
    const vote = await fetch(`${url}/api/feedback`, { method: "POST", headers: { "Content-Type": "application/json", "X-Client-Id": "client-readonly" }, body: JSON.stringify({ answerId: 1, vote: "up" }) });
    expect(vote.status).toBe(503);
    expect(((await vote.json()) as { error: string }).error).toContain("policybot.sqlite 不是有效的数据库文件");
    const quiz = await fetch(`${url}/api/quiz/next`, { headers: { "X-Client-Id": "client-readonly" } });
    expect(quiz.status).toBe(503);
    expect(((await quiz.json()) as { error: string }).error).toContain("quiz.sqlite 是只读的");
    // The log names the full path and the fix.
    expect(stderr).toContain(quizDbPath(dataDir));
    expect(stderr).toContain("write access");

    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  }, 60_000);
});
