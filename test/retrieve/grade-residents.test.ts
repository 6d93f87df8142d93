import { beforeAll, describe, expect, it } from "vitest";
import type { KnowledgeBase } from "../../src/knowledge.js";
import { routeRetrieval } from "../../src/retrieve/router.js";
import { fixtureKb } from "../support/kb.js";

// A city's 民生实事 document (十件民生实事 under its 通知, each with its 牵头单位 and 完成时间), asked as residents ask.
let kb: KnowledgeBase;
beforeAll(async () => {
  ({ kb } = await fixtureKb("invented-plans/dev12"));
});
const route = (q: string) => routeRetrieval({ retriever: kb.retriever, catalog: kb.catalog, docs: kb.docs }, q);
const figuresOf = (r: Awaited<ReturnType<typeof route>>) => [...r.retrieval.figures, ...r.retrieval.nearFigures].map((f) => f.figure.figure);

describe("residents' questions", () => {
  it("reads 一顿饭 as what a subsidy is per, not as a topic the plan lacks", async () => {
    const r = await route("我家老爷子85了，在社区老年食堂吃饭，一顿饭政府给补多少？");
    expect(r.retrieval.grade).not.toBe("declined");
    expect(figuresOf(r)).toContain("3元");
  });

  it("shows the figures of a unit far ahead of every other, though a chatty question covers little of it", async () => {
    const r = await route("听说楼下菜市场要改造关门，要关多长时间啊？这段时间去哪买菜？");
    expect(r.retrieval.grade).not.toBe("declined");
    expect(r.retrieval.units[0]?.unit.text).toContain("农贸市场");
    expect(figuresOf(r)).toContain("3个月");
  });
});

describe("institutions asked by name", () => {
  it("declines the schools by name where the plan only counts them", async () => {
    const r = await route("雁塔区今年具体要新建哪几所学校？");
    expect(r.retrieval.grade).toBe("declined");
    expect(r.retrieval.reason).toContain("学校");
  });

  it("still answers how many", async () => {
    const r = await route("今年新建、改扩建中小学和幼儿园多少所？");
    expect(r.retrieval.grade).toBe("answered");
    expect(figuresOf(r)).toContain("45所");
  });

  it("answers where the plan names them", async () => {
    const { kb: named } = await fixtureKb("run-in-items");
    const r = await routeRetrieval({ retriever: named.retriever, catalog: named.catalog, docs: named.docs }, "青山县具体支持哪几家企业扩大产能？");
    expect(r.retrieval.grade).not.toBe("declined");
    expect(r.retrieval.units[0]?.unit.text).toContain("青山竹业有限公司");
  });
});
