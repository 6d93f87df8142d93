/**
 * The web channel over broken data files, damaged for real: questions are still answered, /healthz
 * says `degraded` naming the file, and quiz calls answer 503 with a storage message (not 500).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAnswerEngine, type AnswerEngine } from "../../../src/answer/engine.js";
import { createWebServer, type WebServer } from "../../../src/channels/web/server.js";
import { openKnowledgeBase, type KnowledgeBase } from "../../../src/knowledge.js";
import { createQuizService } from "../../../src/quiz/service.js";
import { quizDbPath, SqliteQuizStore } from "../../../src/quiz/store.js";
import { guardStore } from "../../../src/storage/guard.js";
import { StorageHealth } from "../../../src/storage/health.js";
import { memoryLogger, testConfig } from "../../support/kb.js";
import { fillAndCheckpoint, overwritePages, tempDir, writeGarbage } from "../../storage/damage.js";

const QUESTION = "今年高标准农田要建多少？";
const config = testConfig();
let kb: KnowledgeBase;
let engine: AnswerEngine;
const servers: WebServer[] = [];
beforeAll(async () => {
  kb = await openKnowledgeBase({ config, logger: memoryLogger().logger, persist: false });
  engine = createAnswerEngine({ kb, config, logger: memoryLogger().logger });
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

/** A server whose quiz is stored in `file` (guarded, as `policybot start` opens it). */
async function serve(file: string) {
  const storage = new StorageHealth();
  const { logger, lines } = memoryLogger();
  const store = guardStore({ part: "quiz", file, open: () => new SqliteQuizStore(file), health: storage, logger });
  const quiz = createQuizService({ store, targets: engine.targets, units: kb.docs.flatMap((d) => d.units) });
  const web = createWebServer({ config: { ...config, PORT: 0, API_RATE_LIMIT: 10_000 }, logger, kb, engine, quiz, storage });
  servers.push(web);
  const base = (await web.listen()).url.replace(/\/$/, "");
  return { base, store, lines };
}

const me = { "X-Client-Id": "client-storage1" };
const ask = (base: string) => fetch(`${base}/api/ask`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ q: QUESTION }) });
const health = async (base: string) => (await fetch(`${base}/healthz`)).json() as Promise<{ ok: boolean; status: string; storage: Array<Record<string, unknown>> }>;

async function expect503(res: Response, file: string) {
  expect(res.status).toBe(503);
  expect(res.headers.get("retry-after")).toBe("30");
  const body = (await res.json()) as { error: string };
  expect(body.error).toContain(`数据文件 ${file}`);
  expect(body.error).toContain("提问和查阅条文不受影响");
}

describe("the web channel with a broken quiz database", () => {
  it.each([
    ["not a database", (file: string) => writeGarbage(file), "not-a-database"],
    ["damaged pages", (file: string) => {
      new SqliteQuizStore(file).close();
      fillAndCheckpoint(file);
      overwritePages(file, 20);
    }, "damaged"],
  ])("%s: answers questions, reports degraded naming the file, and answers 503 to quiz calls", async (_name, damage, fault) => {
    const file = quizDbPath(tempDir());
    damage(file);
    const { base, lines } = await serve(file);

    const answer = await ask(base);
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as { answer: string }).answer).toContain("78万亩");

    const h = await health(base);
    expect(h).toMatchObject({ ok: true, status: "degraded", indexLoaded: true });
    expect(h.storage).toEqual([expect.objectContaining({ part: "quiz", file: "quiz.sqlite", ok: false, fault })]);
    expect(String(h.storage[0]!.reason)).toMatch(/policybot restore/);

    await expect503(await fetch(`${base}/api/quiz/next`, { headers: me }), "quiz.sqlite");
    await expect503(await fetch(`${base}/api/quiz/score`, { headers: me }), "quiz.sqlite");
    // The log has the full path and the fix, once.
    expect(lines.filter((l) => l.includes(file) && l.includes('"level":50'))).toHaveLength(1);
  });
});

describe("the web channel on a full disk", () => {
  it("answers 503 with a storage message, says degraded, and recovers when space is freed", async () => {
    const file = quizDbPath(tempDir());
    const { base, store } = await serve(file);
    expect((await health(base)).status).toBe("ok");
    const q = (await (await fetch(`${base}/api/quiz/next`, { headers: me })).json()) as { id: string };

    const db = (store as SqliteQuizStore).db;
    db.pragma(`max_page_count = ${db.pragma("page_count", { simple: true })}`);
    db.pragma("synchronous = OFF");
    const fill = db.prepare("INSERT INTO attempts (user_id, question_id, target_key, type, correct, answered_at) VALUES ('f', 'q', 'k', 'fill', 1, 0)");
    expect(() => {
      for (let i = 0; i < 100_000; i++) fill.run();
    }).toThrow(/full/);
    db.pragma("synchronous = FULL");

    const post = () => fetch(`${base}/api/quiz/answer`, { method: "POST", headers: { ...me, "Content-Type": "application/json" }, body: JSON.stringify({ questionId: q.id, response: "78万亩" }) });
    await expect503(await post(), "quiz.sqlite");
    const h = await health(base);
    expect(h.status).toBe("degraded");
    expect(h.storage[0]).toMatchObject({ fault: "full", file: "quiz.sqlite" });
    expect((await ask(base)).status).toBe(200);

    db.pragma("max_page_count = 1000000");
    // The failed answer was not recorded (its transaction rolled back), so the question is still open.
    const graded = await post();
    expect(graded.status).toBe(200);
    expect((await health(base)).status).toBe("ok");
  });
});
