import { mkdtempSync, rmSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAnswerEngine, type AnswerEngine } from "../../../src/answer/engine.js";
import { createWebServer, type WebServer } from "../../../src/channels/web/server.js";
import { loadConfig, type Config } from "../../../src/config.js";
import { openKnowledgeBase, type KnowledgeBase } from "../../../src/knowledge.js";
import { createLogger } from "../../../src/logger.js";
import { createQuizService } from "../../../src/quiz/service.js";
import { MemoryQuizStore } from "../../../src/quiz/store.js";
import { repoPath } from "../../helpers.js";

const QUESTION = "今年高标准农田要建多少？";
const TOKEN = "test-token-123456";
const logger = createLogger({ level: "silent", format: "json" });
const indexDir = mkdtempSync(join(tmpdir(), "policybot-web-"));
let config: Config;
let kb: KnowledgeBase;
let engine: AnswerEngine;
const servers: WebServer[] = [];

/** Starts a server on a free port with config overrides; closed after the file. */
async function start(env: Record<string, string> = {}) {
  const web = createWebServer({ config: { ...config, ...loadConfig({ SEEDS_DIR: config.SEEDS_DIR, INDEX_DIR: indexDir, PORT: "0", API_RATE_LIMIT: "100000", ...env }) }, logger, kb, engine });
  servers.push(web);
  const { url } = await web.listen();
  return url.replace(/\/$/, "");
}

beforeAll(async () => {
  config = loadConfig({ SEEDS_DIR: repoPath("seeds"), INDEX_DIR: indexDir, PORT: "0" });
  kb = await openKnowledgeBase({ config, logger, persist: false });
  engine = createAnswerEngine({ kb, config, logger });
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  rmSync(indexDir, { recursive: true, force: true });
});

/** A response body as JSON (the tests check its shape themselves). */
const json = async (res: Response | Promise<Response>): Promise<any> => (await res).json();

const post = (base: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}${path}`, { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body: typeof body === "string" ? body : JSON.stringify(body) });

/** Checks an error response: the status, a JSON `error` message, and no stack trace. */
async function expectError(res: Response, status: number, message?: RegExp) {
  expect(res.status).toBe(status);
  const text = await res.text();
  expect(text).not.toMatch(/\bat .+:\d+:\d+|node:internal|Error:/);
  const body = JSON.parse(text) as { error: string };
  expect(typeof body.error).toBe("string");
  if (message) expect(body.error).toMatch(message);
  return body;
}

describe("the web API", () => {
  let base: string;
  beforeAll(async () => {
    base = await start();
  });

  it("answers with the ask --json shape and a verified citation", async () => {
    const res = await post(base, "/api/ask", { q: QUESTION });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
    const body = await json(res);
    expect(Object.keys(body).sort()).toEqual(["abstained", "answer", "citations", "grade", "mode", "ms", "question"]);
    expect(body.grade).toBe("answered");
    expect(body.answer).toContain("78万亩");
    const first = body.citations[0];
    expect(first).toMatchObject({ ref: "task:5", label: "第5项" });
    const unit = await json(fetch(`${base}/api/units/${encodeURIComponent(first.ref)}?doc=${first.doc}`));
    expect(unit.text).toContain(first.quote);
  });

  it("takes history for a follow-up", async () => {
    const res = await post(base, "/api/ask", { q: "那城镇化率呢？", history: [{ q: QUESTION, a: "新建和改造提升高标准农田78万亩〔第5项〕。" }] });
    expect(res.status).toBe(200);
    expect((await json(res)).citations.length).toBeGreaterThan(0);
  });

  it("streams Server-Sent Events: the answer, then done", async () => {
    const res = await post(base, "/api/ask", { q: QUESTION }, { Accept: "text/event-stream" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const events = [...(await res.text()).matchAll(/event: (\w+)\ndata: (.*)\n\n/g)].map((m) => ({ name: m[1], data: JSON.parse(m[2]!) }));
    expect(events.map((e) => e.name)).toEqual(["answer", "done"]);
    expect(events[0]!.data.answer).toContain("78万亩");
    expect(events[0]!.data.citations[0].ref).toBe("task:5");
  });

  it("streams tokens before the answer when the engine streams", async () => {
    const streaming: AnswerEngine = { ...engine, answer: async (req, opts) => { opts?.onToken?.("草"); opts?.onToken?.("稿"); return engine.answer(req); } };
    const web = createWebServer({ config: { ...config, PORT: 0, API_RATE_LIMIT: 1000 }, logger, kb, engine: streaming });
    servers.push(web);
    const url = (await web.listen()).url.replace(/\/$/, "");
    const text = await (await post(url, "/api/ask", { q: QUESTION }, { Accept: "text/event-stream" })).text();
    expect([...text.matchAll(/event: (\w+)/g)].map((m) => m[1])).toEqual(["token", "token", "answer", "done"]);
    expect(text).toContain('data: {"text":"草"}');
  });

  it("serves a unit, search results, the targets ledger and health", async () => {
    const unit = await json(fetch(`${base}/api/units/task%3A5`));
    expect(unit).toMatchObject({ ref: "task:5", label: "第5项", doc: "zhejiang-2026-qianwan-plan" });
    expect(unit.text).toContain("78万亩");
    expect(Array.isArray(unit.children)).toBe(true);

    const search = await json(fetch(`${base}/api/search?q=${encodeURIComponent(QUESTION)}&k=3`));
    expect(search.units).toHaveLength(3);
    expect(search.units[0].ref).toBe("task:5");
    expect(search.confidence).toBeGreaterThan(0.4);

    const all = await json(fetch(`${base}/api/targets`));
    const farmland = await json(fetch(`${base}/api/targets?q=${encodeURIComponent("高标准农田")}`));
    expect(farmland.count).toBeGreaterThan(0);
    expect(farmland.count).toBeLessThan(all.count);
    expect(farmland.targets).toContainEqual(expect.objectContaining({ ref: "task:5", value: 78, unit: "万亩", label: "第5项" }));
    const byLabel = await json(fetch(`${base}/api/targets?q=${encodeURIComponent("第5项")}`));
    expect(byLabel.targets.every((t: { label: string }) => t.label === "第5项")).toBe(true);

    const health = await json(fetch(`${base}/healthz`));
    expect(health).toEqual({ ok: true, status: "ok", indexLoaded: true, documents: [{ id: "zhejiang-2026-qianwan-plan", title: expect.any(String), units: 43 }], mode: "extractive", feedback: false, quiz: false });
  });

  it("serves the page and its assets with security headers", async () => {
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/text\/html/);
    const html = await page.text();
    expect(html).toContain('src="/assets/app.js"');
    expect(html).not.toMatch(/<script>|\son[a-z]+=/i);
    for (const res of [page, await fetch(`${base}/assets/app.js`), await fetch(`${base}/nope`), await post(base, "/api/ask", "{")]) {
      expect(res.headers.get("content-security-policy")).toMatch(/script-src 'self'/);
      expect(res.headers.get("content-security-policy")).not.toMatch(/unsafe-inline/);
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("referrer-policy")).toBe("no-referrer");
      expect(res.headers.get("x-frame-options")).toBe("DENY");
    }
    expect((await fetch(`${base}/assets/style.css`)).headers.get("content-type")).toMatch(/text\/css/);
  });

  it("rejects bad requests with 400 and a message in the client's language (Chinese unless it prefers English)", async () => {
    await expectError(await post(base, "/api/ask", "{not json"), 400, /不是有效的 JSON/);
    await expectError(await post(base, "/api/ask", "{not json", { "Accept-Language": "en-US,en;q=0.9" }), 400, /not valid JSON/);
    await expectError(await post(base, "/api/ask", ""), 400, /为空/);
    await expectError(await post(base, "/api/ask", { question: QUESTION }), 400, /q:/);
    await expectError(await post(base, "/api/ask", { q: 5 }), 400, /q:/);
    await expectError(await post(base, "/api/ask", { q: "hi", history: Array(11).fill({ q: "x" }) }), 400, /history/);
    await expectError(await post(base, "/api/ask", { q: "   " }), 400, /请输入问题/);
    // A Chinese question is told in Chinese only, an English one in English only.
    const long = await expectError(await post(base, "/api/ask", { q: "农".repeat(config.MAX_QUESTION_CHARS + 1) }), 400, /问题太长/);
    expect(long.error).not.toMatch(/[A-Za-z]{3,}/);
    const longEn = await expectError(await post(base, "/api/ask", { q: "farm ".repeat(config.MAX_QUESTION_CHARS) }), 400, /too long/);
    expect(longEn.error).not.toMatch(/[\u4e00-\u9fff]/);
    await expectError(await post(base, "/api/ask", { q: "   " }, { Accept: "text/event-stream" }), 400, /请输入问题/);
    await expectError(await fetch(`${base}/api/search?q=`), 400, /请输入问题/);
    await expectError(await fetch(`${base}/api/search?q=abc&k=0`), 400, /k 必须/);
    await expectError(await fetch(`${base}/api/units/%E0%A4%A?doc=x`), 400, /编码/);
  });

  it("answers 413 to a body over 16 KB without reading it all", async () => {
    await expectError(await post(base, "/api/ask", { q: "x".repeat(20_000) }), 413, /16 KB/);
    // Without Content-Length (chunked), the limit is enforced while reading.
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${base}/api/ask`, { method: "POST", headers: { "Content-Type": "application/json", "Transfer-Encoding": "chunked" } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      req.write(`{"q":"${"x".repeat(10_000)}`);
      req.write("x".repeat(10_000));
      // The request is never finished: the server must answer without waiting for the end.
    });
    expect(status).toBe(413);
  });

  it("answers 404 to unknown routes and 405 to wrong methods", async () => {
    await expectError(await fetch(`${base}/api/nope`), 404);
    await expectError(await fetch(`${base}/nope`), 404);
    await expectError(await fetch(`${base}/api/units/task%3A999`), 404, /task:999/);
    await expectError(await fetch(`${base}/api/quiz/next`), 404, /测验/);
    const wrong = await fetch(`${base}/api/ask`);
    await expectError(wrong, 405);
    expect(wrong.headers.get("allow")).toBe("POST");
    await expectError(await post(base, "/api/search", {}), 405);
    await expectError(await post(base, "/healthz", {}), 405);
  });

  it("answers 415 to a POST whose body is not declared as JSON (forms and text/plain need no CORS preflight)", async () => {
    const body = JSON.stringify({ q: QUESTION });
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "text/plain; charset=utf-8"]) {
      await expectError(await fetch(`${base}/api/ask`, { method: "POST", headers: { "Content-Type": type }, body }), 415, /Content-Type: application\/json/);
    }
    await expectError(await fetch(`${base}/api/ask`, { method: "POST", body: new Uint8Array(Buffer.from(body)) }), 415, /未声明类型/);
    const ok = await fetch(`${base}/api/ask`, { method: "POST", headers: { "Content-Type": "Application/JSON; charset=utf-8" }, body });
    expect(ok.status).toBe(200);
  });

  it("hides internal errors behind 500 internal error", async () => {
    const broken: AnswerEngine = { ...engine, answer: async () => { throw new Error("secret detail at /src/x.ts:1:2"); } };
    const web = createWebServer({ config: { ...config, PORT: 0, API_RATE_LIMIT: 1000 }, logger, kb, engine: broken });
    servers.push(web);
    const url = (await web.listen()).url.replace(/\/$/, "");
    const res = await post(url, "/api/ask", { q: QUESTION });
    expect(await json(res)).toEqual({ error: "服务器出错了，请稍后再试。" });
    expect(res.status).toBe(500);
    expect(res.headers.get("x-request-id")).toBeTruthy();
  });
});

describe("the quiz endpoints", () => {
  it("asks a question without its answer, grades a response with the quote and label, and keeps a score per client", async () => {
    const quiz = createQuizService({ store: new MemoryQuizStore(), targets: engine.targets, units: kb.docs.flatMap((d) => d.units) });
    const web = createWebServer({ config: { ...config, PORT: 0, API_RATE_LIMIT: 1000 }, logger, kb, engine, quiz });
    servers.push(web);
    const base = (await web.listen()).url.replace(/\/$/, "");
    const me = { "X-Client-Id": "client-aaaaaaaa" };

    await expectError(await fetch(`${base}/api/quiz/next`), 400, /X-Client-Id/);
    const q = await json(fetch(`${base}/api/quiz/next?topic=${encodeURIComponent("高标准农田")}`, { headers: me }));
    expect(Object.keys(q).sort()).toEqual(["doc", "id", "options", "question", "type"]);
    const answer = quiz.question(q.id)!.answer;

    const wrong = await json(post(base, "/api/quiz/answer", { questionId: q.id, response: "不知道" }, me));
    expect(wrong.expected).toContain(answer);
    expect(wrong).toMatchObject({ correct: false, label: "第5项", ref: "task:5", score: { answered: 1, correct: 0 } });
    expect(wrong.quote).toContain("78万亩");
    // One grade per question issued: a second answer to it is refused, not scored.
    await expectError(await post(base, "/api/quiz/answer", { question: q.id, response: answer }, me), 409, /已经答过了/);
    expect(await json(fetch(`${base}/api/quiz/score`, { headers: me }))).toEqual({ answered: 1, correct: 0 });
    const q2 = await json(fetch(`${base}/api/quiz/next?topic=${encodeURIComponent("高标准农田")}`, { headers: me }));
    const right = await json(post(base, "/api/quiz/answer", { question: q2.id, response: quiz.question(q2.id)!.answer }, me));
    expect(right).toMatchObject({ correct: true, score: { answered: 2, correct: 1 } });
    // Another client cannot answer a question issued to this one.
    const q3 = await json(fetch(`${base}/api/quiz/next?topic=${encodeURIComponent("高标准农田")}`, { headers: me }));
    await expectError(await post(base, "/api/quiz/answer", { questionId: q3.id, response: "1" }, { "X-Client-Id": "client-cccccccc" }), 409, /不是发给你的/);
    expect(await json(fetch(`${base}/api/quiz/score`, { headers: { "X-Client-Id": "client-bbbbbbbb" } }))).toEqual({ answered: 0, correct: 0 });

    await expectError(await fetch(`${base}/api/quiz/next?topic=${encodeURIComponent("不存在的主题xyz")}`, { headers: me }), 404, /没有与“不存在的主题xyz”相关的题目/);
    await expectError(await post(base, "/api/quiz/answer", { questionId: "fill:0:nope", response: "1" }, me), 404);
    await expectError(await post(base, "/api/quiz/answer", { response: "1" }, me), 400, /questionId/);
    await expectError(await fetch(`${base}/api/quiz/answer`, { method: "POST", headers: { ...me, "Content-Type": "text/plain" }, body: JSON.stringify({ questionId: q3.id, response: "1" }) }), 415);
  });
});

describe("API_TOKEN", () => {
  it("requires the bearer token on /api/ but keeps the page and /healthz public", async () => {
    const base = await start({ API_TOKEN: TOKEN });
    await expectError(await post(base, "/api/ask", { q: QUESTION }), 401, /访问令牌/);
    await expectError(await post(base, "/api/ask", { q: QUESTION }, { Authorization: "Bearer wrong-token-00000" }), 401);
    await expectError(await post(base, "/api/ask", { q: QUESTION }, { Authorization: `Basic ${TOKEN}` }), 401);
    await expectError(await fetch(`${base}/api/units/task%3A5`), 401);
    await expectError(await fetch(`${base}/api/nope`), 401);
    const ok = await post(base, "/api/ask", { q: QUESTION }, { Authorization: `Bearer ${TOKEN}` });
    expect(ok.status).toBe(200);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/`)).status).toBe(200);
  });
});

describe("rate limit", () => {
  it("answers 429 with Retry-After once a client's bucket is empty", async () => {
    const base = await start({ API_RATE_LIMIT: "3" });
    for (let i = 0; i < 3; i++) expect((await fetch(`${base}/api/units/task%3A5`)).status).toBe(200);
    const limited = await fetch(`${base}/api/units/task%3A5`);
    await expectError(limited, 429, /请求过于频繁/);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect((await fetch(`${base}/healthz`)).status).toBe(200); // health checks are not limited
  });
});

describe("client addresses for the rate limit", () => {
  it("uses the socket address unless a trusted proxy is configured, then the proxy's X-Forwarded-For entry", async () => {
    const { clientAddress } = await import("../../../src/channels/web/server.js");
    const req = { socket: { remoteAddress: "127.0.0.1" }, headers: { "x-forwarded-for": "6.6.6.6, 10.0.0.7" } } as unknown as import("node:http").IncomingMessage;
    expect(clientAddress(req, false)).toBe("127.0.0.1");
    expect(clientAddress(req, true)).toBe("10.0.0.7");
  });
});
