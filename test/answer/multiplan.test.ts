import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { createAnswerEngine, type AnswerEngine } from "../../src/answer/engine.js";
import { citationTag } from "../../src/answer/plans.js";
import { openKnowledgeBase, type KnowledgeBase } from "../../src/knowledge.js";
import { routeRetrieval } from "../../src/retrieve/router.js";
import { FIXTURES } from "../helpers.js";
import { memoryLogger, testConfig } from "../support/kb.js";

const PLANS = join(FIXTURES, "multiplan");
let kb: KnowledgeBase;
let engine: AnswerEngine;
beforeAll(async () => {
  kb = await openKnowledgeBase({ config: testConfig({ SEEDS_DIR: PLANS }), logger: memoryLogger().logger, persist: false });
  engine = createAnswerEngine({ kb, config: testConfig(), logger: memoryLogger().logger });
});
const route = (q: string, opts = {}) => routeRetrieval({ retriever: kb.retriever, catalog: kb.catalog, docs: kb.docs }, q, opts);
const docsOf = (r: { citations: Array<{ doc: string }> }) => [...new Set(r.citations.map((c) => c.doc))];

describe("several plans side by side", () => {
  it("answers a reference that names its plan from that plan only", async () => {
    const r = await engine.answer({ question: "清水河流域治理方案的第五部分讲什么" });
    expect(docsOf(r)).toEqual(["qingshui-river"]);
    expect(r.citations[0]).toMatchObject({ doc: "qingshui-river", ref: "part:5" });
    const byNumber = await engine.answer({ question: "某政发〔2025〕3号里（十二）是什么" });
    expect(byNumber.citations[0]).toMatchObject({ doc: "shequ-yanglao", ref: "section:12" });
    expect(byNumber.answer).toContain("家庭养老床位");
  });

  it("answers an unnamed reference that several plans have for each of them", async () => {
    const r = await engine.answer({ question: "（十二）里有哪些要求" });
    expect(r.plans?.map((p) => p.doc).sort()).toEqual(["nongjia-shuwu", "qingshui-river", "shequ-yanglao"]);
    for (const doc of ["nongjia-shuwu", "qingshui-river", "shequ-yanglao"]) {
      expect(r.citations.some((c) => c.doc === doc && c.ref === "section:12")).toBe(true);
    }
    for (const text of ["引入社会力量", "生态补偿", "家庭养老床位"]) expect(r.answer).toContain(text);
    const routed = await route("第五部分讲什么");
    expect(routed.each.map((e) => e.doc).sort()).toEqual(["nongjia-shuwu", "qingshui-river", "shequ-yanglao"]);
    for (const e of routed.each) expect(e.retrieval.units[0]!.unit).toMatchObject({ doc: e.doc, ref: "part:5" });
  });

  it("answers a topical question from the plan that covers it, and says which", async () => {
    for (const [q, doc] of [["老人助餐点怎么建", "shequ-yanglao"], ["河道多久清淤一次", "qingshui-river"], ["农家书屋每年更新多少种图书", "nongjia-shuwu"]] as const) {
      const r = await engine.answer({ question: q });
      expect(docsOf(r), q).toEqual([doc]);
      expect(r.plans, q).toEqual([{ doc, shortName: kb.catalog.get(doc)!.shortName }]);
      expect(r.answer, q).toContain(`〔${kb.catalog.get(doc)!.shortName}·`);
    }
  });

  it("names the plan in every citation once several are loaded, and every tag in the text is a citation's", async () => {
    const r = await engine.answer({ question: "养老护理员每年培训多少人次" });
    expect(r.citations.length).toBeGreaterThan(0);
    for (const c of r.citations) expect(c.plan).toBe(kb.catalog.get(c.doc)!.shortName);
    const tags = new Set(r.citations.map(citationTag));
    for (const m of r.answer.matchAll(/〔[^〔〕]+〕/g)) expect(tags.has(m[0]), m[0]).toBe(true);
  });

  it("keeps to a chosen plan (doc), even for a reference other plans have", async () => {
    const r = await engine.answer({ question: "第五部分讲什么", doc: "nongjia-shuwu" });
    expect(docsOf(r)).toEqual(["nongjia-shuwu"]);
    const topical = await engine.answer({ question: "老人助餐点怎么建", doc: "qingshui-river" });
    expect(topical.citations.every((c) => c.doc === "qingshui-river")).toBe(true);
    // A chat's default plan gives way to a plan the question names.
    const named = await engine.answer({ question: "养老方案第五部分讲什么", defaultDoc: "qingshui-river" });
    expect(docsOf(named)).toEqual(["shequ-yanglao"]);
  });

  it("follows the conversation's plan for a follow-up reference", async () => {
    const first = await engine.answer({ question: "养老方案第三部分讲什么" });
    const next = await engine.answer({ question: "那第五部分呢", history: [{ q: first.question, a: first.answer }] });
    expect(docsOf(next)).toEqual(["shequ-yanglao"]);
  });
});

describe("one plan loaded", () => {
  it("keeps citations as they were: no plan name in tags, JSON or result", async () => {
    const dir = mkdtempSync(join(tmpdir(), "policybot-one-plan-"));
    copyFileSync(join(PLANS, "shequ-yanglao.txt"), join(dir, "shequ-yanglao.txt"));
    const one = await openKnowledgeBase({ config: testConfig({ SEEDS_DIR: dir }), logger: memoryLogger().logger, persist: false });
    const e = createAnswerEngine({ kb: one, config: testConfig(), logger: memoryLogger().logger });
    const r = await e.answer({ question: "（十二）里有哪些要求" });
    expect(r.citations[0]).toMatchObject({ doc: "shequ-yanglao", ref: "section:12", label: "（十二）" });
    expect(r.citations.every((c) => c.plan === undefined)).toBe(true);
    expect(r.plans).toBeUndefined();
    expect(r.answer).toContain("〔（十二）〕");
  });
});

describe("loading more plans", () => {
  it("does not change which unit answers a question about one plan", async () => {
    const questions: Record<string, string[]> = {
      "qingshui-river.txt": ["乡镇污水处理厂要建几座", "河长多久巡一次河", "上下游怎么生态补偿", "退耕还林在哪里搞"],
      "shequ-yanglao.txt": ["适老化改造每户补助多少", "时间银行是什么", "独居老人有什么紧急呼叫设备", "新建小区要配多少养老用房"],
      "nongjia-shuwu.txt": ["书屋每周开放多久", "留守儿童寒暑假有什么阅读活动", "图书多久流转一次", "县图书馆和书屋怎么通借通还"],
    };
    for (const [file, qs] of Object.entries(questions)) {
      const dir = mkdtempSync(join(tmpdir(), "policybot-alone-"));
      copyFileSync(join(PLANS, file), join(dir, file));
      const alone = await openKnowledgeBase({ config: testConfig({ SEEDS_DIR: dir }), logger: memoryLogger().logger, persist: false });
      const aloneEngine = createAnswerEngine({ kb: alone, config: testConfig(), logger: memoryLogger().logger });
      for (const q of qs) {
        const a = await aloneEngine.answer({ question: q });
        const b = await engine.answer({ question: q });
        expect(a.citations.length, q).toBeGreaterThan(0);
        expect({ q, doc: b.citations[0]?.doc, ref: b.citations[0]?.ref }).toEqual({ q, doc: a.citations[0]?.doc, ref: a.citations[0]?.ref });
        expect(b.abstained, q).toBe(a.abstained);
      }
    }
  });
});

describe("LLM answers with several plans", () => {
  it("shows the model excerpts labelled with their plan, keeps the plan-qualified tags it cites, and reports unit labels with plan names", async () => {
    const { startFakeLlm } = await import("../support/fake-llm.js");
    const { OpenAIAnswerer } = await import("../../src/answer/llm.js");
    const fake = await startFakeLlm();
    try {
      const short = kb.catalog.get("shequ-yanglao")!.shortName;
      fake.behave((call) => {
        const user = call.messages.at(-1)!.content;
        // The excerpt for （四） is shown as 〔plan·（四）〕, and the reply cites it so.
        expect(user).toContain(`〔${short}·（四）〕`);
        return { reply: `每个社区建设一个老年助餐点〔${short}·（四）〕。` };
      });
      const llm = new OpenAIAnswerer({ baseURL: fake.baseURL, model: "m", timeoutMs: 5000, temperature: 0, logger: memoryLogger().logger });
      const e = createAnswerEngine({ kb, config: testConfig(), logger: memoryLogger().logger, llm });
      const r = await e.answer({ question: "老人助餐点怎么建" });
      expect(r.mode).toBe("llm");
      expect(r.answer).toContain(`〔${short}·（四）〕`);
      expect(r.citations[0]).toMatchObject({ doc: "shequ-yanglao", ref: "section:4", label: "（四）", plan: short });
    } finally {
      await fake.close();
    }
  });
});
