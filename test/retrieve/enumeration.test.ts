import { describe, expect, it } from "vitest";
import { askedKind, childrenOfKind, enumeratedOfKind } from "../../src/retrieve/enumeration.js";
import { namesPlace } from "../../src/retrieve/query.js";
import { fixtureKb } from "../support/kb.js";

describe("what a list question asks the members of", () => {
  it.each([
    ["无废城市试点重点针对哪几类固体废物？", "固体废物"],
    ["药品集中采购试点选了哪些城市？", "城市"],
    ["托育机构按年龄分哪几种班？", "班"],
    ["联合采购办公室由哪些部门组成", "部门"],
    ["社区食堂建设分几个阶段推进", "阶段"],
    // 实施 says of what: the stages are asked.
    ["心理健康行动计划分哪几个实施阶段？", "阶段"],
  ])("%s → %s", (q, kind) => expect(askedKind(q)).toBe(kind));

  it("names no kind in a question about measures in general", () => {
    expect(askedKind("养老服务有哪些举措")).toBeUndefined();
  });
});

describe("an enumeration of the kind asked", () => {
  it("counts the items of one enumeration that are of the kind: its words, its last character, places, organs", () => {
    expect(enumeratedOfKind("坚持绿色低碳循环发展，以大宗工业固体废物、主要农业废弃物、生活垃圾和建筑垃圾、危险废物为重点，实现源头减量。", "固体废物", namesPlace)).toBe(3);
    expect(enumeratedOfKind("选择北京、天津、上海、重庆和沈阳、大连、厦门11个城市开展试点。", "城市", namesPlace)).toBe(7);
    expect(enumeratedOfKind("由国家医保局、国家卫生健康委、国家药监局和工业和信息化部组成。", "部门", namesPlace)).toBeGreaterThanOrEqual(3);
    expect(enumeratedOfKind("以煤炭、有色金属、黄金、冶金、化工等行业为重点。", "固体废物", namesPlace)).toBe(0);
  });
});

describe("a list question answered from the unit that enumerates the kind asked", () => {
  it("cites the section that lists the pilot cities, not one that only names the pilot", async () => {
    const { engine } = await fixtureKb("enumeration");
    const a = await engine.answer({ question: "集中采购试点选了哪些城市？" });
    expect(a.citations[0]).toMatchObject({ ref: "section:1.2" });
    expect(a.answer).toContain("沈阳");
  });
});

describe("whether a place is in the plan", () => {
  it("is answered from the unit that lists the plan's places, though it holds few of the question's words", async () => {
    const { engine } = await fixtureKb("enumeration");
    const a = await engine.answer({ question: "杭州的医院也参加这次试点吗？" });
    expect(a.citations[0]).toMatchObject({ ref: "section:1.2" });
  });
});

describe("a unit made of sub-units of the kind asked", () => {
  it("is one whose sub-units, most of them and at least two, are headed by a name ending in the kind", () => {
    expect(childrenOfKind(["动员部署阶段（2027年3月—4月）", "全面推进阶段（2027年5月—2028年12月）", "总结验收阶段（2029年）"], "阶段")).toBe(true);
    expect(childrenOfKind(["推广绿色建造方式", "提升家政服务质量", "加强服务监管"], "服务")).toBe(false);
    expect(childrenOfKind(["动员部署阶段", "强化组织领导", "加强资金保障", "严格督导考核"], "阶段")).toBe(false);
  });
});

describe("分哪几个阶段 answered by the part of stages", () => {
  it("cites the part whose sections are the stages, in the plan whose topic the question names", async () => {
    const { kb, engine } = await fixtureKb("stages");
    const { HybridRetriever } = await import("../../src/retrieve/retriever.js");
    const { routeRetrieval } = await import("../../src/retrieve/router.js");
    // Asked in December 2026 of two plans for 2027: 今年 is neither plan's year, and the three-year plan
    // (2027—2029年) does not start later than the one for 2027.
    const retriever = new HybridRetriever({ docs: kb.docs, chunks: kb.index.chunks }, { now: () => new Date("2026-12-01") });
    const routed = await routeRetrieval({ retriever, catalog: kb.catalog, docs: kb.docs }, "今年社区食堂工作分哪几个阶段推进？");
    expect(routed.doc).toBe("canteen-2027");
    expect(routed.retrieval.units[0]?.unit.ref).toBe("part:3");
    const a = await engine.answer({ question: "社区食堂建设分几个阶段推进？" });
    expect(a.citations[0]).toMatchObject({ doc: "canteen-2027", ref: "part:3" });
    for (const stage of ["动员部署阶段", "全面推进阶段", "总结验收阶段"]) expect(a.answer).toContain(stage);
  });
});

describe("a unit titled by the thing a list question asks for", () => {
  it("reads the head noun after the marker (哪些材料 → 材料), not a word the question goes on with", async () => {
    const { askedHead } = await import("../../src/retrieve/enumeration.js");
    expect(askedHead("报名小学需要准备哪些材料？")).toBe("材料");
    expect(askedHead("哪些人员应当及时转移？")).toBe("人员");
    expect(askedHead("方案有哪些？")).toBeUndefined();
  });

  it("answers with that unit and all its entries: （四）报名材料 for 报名小学需要准备哪些材料", async () => {
    const { engine } = await fixtureKb("invented-plans/dev10");
    const a = await engine.answer({ question: "报名小学需要准备哪些材料？" });
    expect(a.citations[0]).toMatchObject({ doc: "donghai-2027-yiwu-jiaoyu-zhaosheng-fangan", ref: "section:3.4" });
    for (const item of ["户口簿", "不动产权证书", "出生医学证明", "居住证"]) expect(a.answer).toContain(item);
  });
});
