import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAnswerEngine } from "../../../src/answer/engine.js";
import { createWebServer, type WebServer } from "../../../src/channels/web/server.js";
import { loadConfig } from "../../../src/config.js";
import { openKnowledgeBase } from "../../../src/knowledge.js";
import { createLogger } from "../../../src/logger.js";
import { createQuizService } from "../../../src/quiz/service.js";
import { MemoryQuizStore } from "../../../src/quiz/store.js";
import { FIXTURES } from "../../helpers.js";

const logger = createLogger({ level: "silent", format: "json" });
let web: WebServer;
let base: string;

beforeAll(async () => {
  const config = loadConfig({ SEEDS_DIR: join(FIXTURES, "multiplan"), INDEX_DIR: mkdtempSync(join(tmpdir(), "policybot-web-plans-")), PORT: "0", API_RATE_LIMIT: "100000" });
  const kb = await openKnowledgeBase({ config, logger, persist: false });
  const engine = createAnswerEngine({ kb, config, logger });
  const quiz = createQuizService({ store: new MemoryQuizStore(), targets: engine.targets, units: kb.docs.flatMap((d) => d.units) });
  web = createWebServer({ config, logger, kb, engine, quiz });
  base = (await web.listen()).url.replace(/\/$/, "");
});
afterAll(() => web.close());

const get = async (path: string, headers: Record<string, string> = {}) => {
  const res = await fetch(`${base}${path}`, { headers });
  return { status: res.status, body: (await res.json()) as any };
};
const ask = async (body: unknown) => {
  const res = await fetch(`${base}/api/ask`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as any };
};

describe("the web API with several plans", () => {
  it("GET /api/plans lists each plan with its short name, title, issuers, 文号, date and counts", async () => {
    const { status, body } = await get("/api/plans");
    expect(status).toBe(200);
    expect(body.count).toBe(3);
    const river = body.plans.find((p: { id: string }) => p.id === "qingshui-river");
    expect(river).toMatchObject({ title: "清水河流域综合治理实施方案", docNumber: "某政办发〔2024〕7号", parts: 6, sections: 14 });
    expect(river.shortName).toMatch(/清水河/);
    expect(river.units).toBeGreaterThan(20);
    expect(typeof river.targets).toBe("number");
    expect(Array.isArray(river.issuers)).toBe(true);
  });

  it("POST /api/ask answers from the plan given in doc, and names the plan in citations", async () => {
    const all = await ask({ q: "（十二）里有哪些要求" });
    expect(new Set(all.body.citations.map((c: { doc: string }) => c.doc)).size).toBe(3);
    const one = await ask({ q: "（十二）里有哪些要求", doc: "shequ-yanglao" });
    expect(one.status).toBe(200);
    expect(one.body.citations.every((c: { doc: string; plan: string }) => c.doc === "shequ-yanglao" && /养老/.test(c.plan))).toBe(true);
    const bad = await ask({ q: "（十二）里有哪些要求", doc: "nope" });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/没有找到方案“nope”[\s\S]*shequ-yanglao/);
  });

  it("search, targets and the quiz take doc too", async () => {
    const search = await get(`/api/search?q=${encodeURIComponent("资金")}&k=10&doc=qingshui-river`);
    expect(search.body.units.length).toBeGreaterThan(0);
    expect(search.body.units.every((u: { doc: string; plan: string }) => u.doc === "qingshui-river" && u.plan)).toBe(true);
    const targets = await get(`/api/targets?doc=${encodeURIComponent("书屋")}`);
    expect(targets.body.count).toBeGreaterThan(0);
    expect(targets.body.targets.every((t: { doc: string }) => t.doc === "nongjia-shuwu")).toBe(true);
    const quiz = await get("/api/quiz/next?doc=shequ-yanglao", { "X-Client-Id": "plans-test-client" });
    expect(quiz.status).toBe(200);
    expect(quiz.body.doc).toBe("shequ-yanglao");
    expect((await get("/api/targets?doc=nope")).status).toBe(400);
  });
});
