import { beforeAll, describe, expect, it } from "vitest";
import type { KnowledgeBase } from "../../src/knowledge.js";
import { routeRetrieval } from "../../src/retrieve/router.js";
import { fixtureKb } from "../support/kb.js";

// Two invented plans: a county's plan for 2026 (一、总体要求), and a city's three-year plan to 2021
// whose words (总体目标, 量化指标) fit a question about targets better.
let kb: KnowledgeBase;
beforeAll(async () => {
  ({ kb } = await fixtureKb("years"));
});
const route = (q: string) => routeRetrieval({ retriever: kb.retriever, catalog: kb.catalog, docs: kb.docs }, q);

describe("a year in a question", () => {
  it("points to the plan of that year, even where another plan's words fit better", async () => {
    expect((await route("2026年总体目标里有哪些量化指标？")).doc).toBe("county-2026");
    expect((await route("总体目标里有哪些量化指标？")).doc).toBe("city-sewage");
  });

  it("leaves a year no plan is of to the plan the topic belongs to, which declines it as another year", async () => {
    const r = await route("2025年总体目标是什么");
    expect(r.doc).toBe("city-sewage");
    expect(r.retrieval.reasonCode).toBe("other-year");
  });
});

describe("a relative year (去年, 明年)", () => {
  it("means a calendar year counted from today", async () => {
    const { relativeYearOf } = await import("../../src/retrieve/scope.js");
    expect(relativeYearOf("明年", new Date("2025-12-01"))).toBe(2026);
    expect(relativeYearOf("last year", new Date("2027-03-01"))).toBe(2026);
    expect(relativeYearOf("明天", new Date("2025-12-01"))).toBeUndefined();
  });

  it("is in scope for the plan of that year and declined for another", async () => {
    const { HybridRetriever } = await import("../../src/retrieve/retriever.js");
    const at = (day: string) => new HybridRetriever({ docs: kb.docs, chunks: kb.index.chunks }, { now: () => new Date(day) });
    const q = "明年农村户厕要新改建多少户";
    expect((await at("2025-06-01").retrieve(q, { docs: ["county-2026"] })).grade).toBe("answered");
    const other = await at("2026-06-01").retrieve(q, { docs: ["county-2026"] });
    expect(other.grade).toBe("declined");
    expect(other.reasonCode).toBe("other-year");
  });
});

describe("今年 (this year)", () => {
  it("means the plan for the calendar year, not the newest plan", async () => {
    const { HybridRetriever } = await import("../../src/retrieve/retriever.js");
    const at = (day: string) => new HybridRetriever({ docs: kb.docs, chunks: kb.index.chunks }, { now: () => new Date(day) });
    const q = "今年新改建农村户厕多少户";
    const in2026 = await routeRetrieval({ retriever: at("2026-05-01"), catalog: kb.catalog, docs: kb.docs }, q);
    expect(in2026.doc).toBe("county-2026");
    const in2027 = await routeRetrieval({ retriever: at("2027-05-01"), catalog: kb.catalog, docs: kb.docs }, q);
    expect(in2027.doc).toBe("county-2027");
  });

  it("does not pull a question about another plan's topic to the plan of this year", async () => {
    const { HybridRetriever } = await import("../../src/retrieve/retriever.js");
    const in2026 = new HybridRetriever({ docs: kb.docs, chunks: kb.index.chunks }, { now: () => new Date("2026-05-01") });
    const r = await routeRetrieval({ retriever: in2026, catalog: kb.catalog, docs: kb.docs }, "今年污水管网要新建多少公里？");
    expect(r.doc).toBe("city-sewage");
  });
});
