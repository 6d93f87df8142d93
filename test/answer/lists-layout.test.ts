import { beforeAll, describe, expect, it } from "vitest";
import type { AnswerEngine } from "../../src/answer/engine.js";
import { headingNamed, listAnswer, listedUnit } from "../../src/answer/lists.js";
import { headingTopic } from "../../src/retrieve/query.js";
import type { KnowledgeBase } from "../../src/knowledge.js";
import type { Retrieval } from "../../src/retrieve/types.js";
import { askChecked, fixtureKb } from "../support/kb.js";

// An invented county plan (test/fixtures/lists) whose list items sit where real plans put them: inline
// (一是…二是…, “一源”即…“两网”即…), in a parent's own lead sentence, spread over sub-units, in an annex.
let kb: KnowledgeBase;
let engine: AnswerEngine;
beforeAll(async () => {
  ({ kb, engine } = await fixtureKb("lists"));
});
const ask = (question: string) => askChecked(kb, engine, question);

describe("list answers enumerate every item of the right unit", () => {
  it.each([
    // 分别指什么: every 即-sentence, not the best two.
    ["总体布局“一源两网、三区联供”分别指的是什么", "part:1", ["青溪水库", "乡镇联村供水管网", "西部山区"]],
    // The heading named in another word order (水厂和管网设施改造 for 改造水厂和管网设施): its 一是…三是…, not units that mention it.
    ["水厂和管网设施改造具体包括哪几项？", "section:2.1", ["老旧水厂提标改造", "管网延伸改造", "计量设施改造"]],
    // A parent's own lead holds the items; its children follow with their measures.
    ["筹措建设资金的筹资机制是哪几个“一块”？", "section:2.2", ["财政补一块", "集体筹一块", "群众出一块", "每处20万元补助"]],
    // The basis of a division (按…数量) and 分几个等级 ask the kinds, not a figure.
    ["供水服务按用水户数量有哪几种管理方式？", "section:2.4", ["专业化公司管理", "乡镇水务站管理", "村级自管"]],
    ["管护人员的证书分几个等级？", "section:2.4", ["初级、中级、高级"]],
    // A rule that leaves its list to an annex (见附件1): the annex's rows follow, each cited to itself.
    ["水费收费标准有哪些？", "section:3.2", ["居民生活用水", "学校和养老机构用水", "经营性用水"]],
  ])("%s", async (q, ref, items) => {
    const r = await ask(q);
    expect(r.grade).toBe("answered");
    expect(r.citations[0]!.ref).toBe(ref);
    for (const item of items) expect(r.answer).toContain(item);
    expect(r.answer).not.toContain("涉及这一内容的条目");
  });

  it("shows under each child of a listed parent its measures and its own sub-units", async () => {
    const r = await ask("二、重点任务讲什么");
    for (const text of ["计量设施改造", "二（二）1. 落实县级补助", "二（三）2. 落实水质检测制度", "村级自管"]) expect(r.answer).toContain(text);
    expect(r.citations.some((c) => c.ref === "annex:1/row:1")).toBe(false);
  });
});

describe("which unit a list question enumerates", () => {
  it("reads a heading named in another word order, but not a stray shared word", () => {
    expect(headingNamed("供排水和供电设施改造具体包括哪几项", "改造供排水和供电设施")).toBe(true);
    expect(headingNamed("哪些地方提到了供水", "改造供排水和供电设施")).toBe(false);
    expect(headingNamed("规划有哪些", "规划")).toBe(false);
  });

  it("lists the enclosing unit whose heading the question names better than the best unit's", () => {
    const unit = (ref: string, heading: string, parents: string[]) => ({ doc: "d", ref, heading, parents, children: [], kind: "section", label: ref, path: "", text: heading, source: { startLine: 1, endLine: 1, lines: [1] }, repairs: [] });
    const child = unit("task:2.3.3", "落实水质安全保障责任", ["part:2", "section:2.3"]);
    const parent = unit("section:2.3", "强化水质安全保障", ["part:2"]);
    const other = unit("section:2.4", "水质安全", []);
    const r = (raw: string, parentScore: number) => ({ query: { raw }, units: [{ unit: child, score: 1 }, { unit: other, score: 0.95 }, { unit: parent, score: parentScore }] }) as unknown as Retrieval;
    expect(listedUnit(r("水质安全保障方面有哪些举措", 0.8), () => undefined).ref).toBe("section:2.3");
    // Too weak a match, or a question naming the child's own heading: the best unit stays.
    expect(listedUnit(r("水质安全保障方面有哪些举措", 0.4), () => undefined).ref).toBe("task:2.3.3");
    expect(listedUnit(r("落实水质安全保障责任有哪些要求", 0.8), () => undefined).ref).toBe("task:2.3.3");
  });
});

describe("a list question whose topic is a heading", () => {
  let routingKb: KnowledgeBase;
  let routingEngine: AnswerEngine;
  beforeAll(async () => {
    ({ kb: routingKb, engine: routingEngine } = await fixtureKb("lists-routing"));
  });

  it("reads the heading a list question names as its whole topic", () => {
    expect(headingTopic("保障措施有哪几条")).toBe("保障措施");
    expect(headingTopic("这个方案的基本原则有哪些？")).toBe("基本原则");
    // 有哪些举措 ends a list question too: its topic is a heading candidate, used only where a unit's heading is exactly it.
    expect(headingTopic("重点工作有哪些举措")).toBe("重点工作");
    expect(headingTopic("目标有哪些")).toBeUndefined();
  });

  it("answers from the only plan that has the heading, not a unit of another plan sharing its words", async () => {
    const r = await askChecked(routingKb, routingEngine, "保障措施有哪几条");
    expect(r.citations[0]!.doc).toBe("baishan-2026-lajifenlei-fangan");
    for (const item of ["加强组织领导", "强化宣传引导", "严格考核问责"]) expect(r.answer).toContain(item);
  });

  it("lists the headed unit of each plan that has it, not the part above it", async () => {
    const r = await askChecked(routingKb, routingEngine, "这个方案的基本原则有哪几条？");
    for (const item of ["公益优先、惠民便民", "统筹规划、有序推进", "政府推动、全民参与", "因地制宜、循序渐进"]) expect(r.answer).toContain(item);
    expect(r.answer).not.toContain("新能源公交车150辆");
  });
});

describe("two units that answer a list question equally well", () => {
  const leaf = (ref: string, text: string, parents: string[]) => ({ doc: "d", ref, heading: text.split("。")[0]!.replace(/^\d\.\s*/, ""), parents, children: [], kind: "task", label: ref, path: "", text, source: { startLine: 1, endLine: 1, lines: [1] }, repairs: [] });
  const a = leaf("task:3.2.2", "2. 吸引社会资本。通过政府采购等方式吸引社会资本参与改造。", ["part:3", "section:3.2"]);
  const b = leaf("task:2.3.4", "4. 探索市场化模式。鼓励社会资本采取“代建代管”“租赁使用”等方式参与加装电梯。", ["part:2", "section:2.3"]);
  const retrieval = (second: number) => ({ query: { raw: "社会资本参与加装电梯可以采取哪些方式" }, units: [{ unit: a, score: 1 }, { unit: b, score: second }], weights: new Map() }) as unknown as Retrieval;
  const deps = { figuresOf: () => [] };

  it("lists both when the runner-up scores nearly as the best, the best first", () => {
    const r = listAnswer(retrieval(0.99), deps, false)!;
    expect(r.answer).toContain("政府采购");
    expect(r.answer).toContain("代建代管");
    expect(r.citations[0]!.ref).toBe("task:3.2.2");
  });

  it("lists the best alone when the runner-up is clearly behind", () => {
    expect(listAnswer(retrieval(0.8), deps, false)!.answer).not.toContain("代建代管");
  });
});
