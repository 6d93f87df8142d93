import { beforeAll, describe, expect, it } from "vitest";
import type { KnowledgeBase } from "../../src/knowledge.js";
import { withoutTitle } from "../../src/retrieve/retriever.js";
import { routeRetrieval } from "../../src/retrieve/router.js";
import { fixtureKb } from "../support/kb.js";

// Two invented plans: a county's broad yearly plan that mentions medicine once, and a plan written
// about one topic (procurement of medical consumables) from its title to its last line.
let kb: KnowledgeBase;
beforeAll(async () => {
  ({ kb } = await fixtureKb("affinity"));
});
const route = (q: string) => routeRetrieval({ retriever: kb.retriever, catalog: kb.catalog, docs: kb.docs }, q);

describe("a question inside the plan it names", () => {
  it("drops the runs a question shares with the plan's title, unless nothing is left", () => {
    expect(withoutTitle("医用耗材集中带量采购试点的期限多长", "医用耗材集中带量采购试点方案")).toBe("的期限多长");
    expect(withoutTitle("医用耗材集中带量采购试点方案", "医用耗材集中带量采购试点方案")).toBe("医用耗材集中带量采购试点方案");
    expect(withoutTitle("支架会便宜吗", "医用耗材集中带量采购试点方案")).toBe("支架会便宜吗");
  });

  it("cites the unit that answers, not the preamble that repeats the plan's name", async () => {
    for (const [q, ref] of [
      ["医用耗材集中带量采购试点里，企业断供了怎么处理", "section:3.4"],
      ["医用耗材集中带量采购试点的期限多长", "section:4.1"],
      ["医用耗材带量采购试点方案对医保支付怎么规定", "section:3.2"],
    ] as const) {
      const r = await route(q);
      expect(r.doc, q).toBe("yiyong-haocai");
      expect(r.retrieval.units[0]!.unit.ref, q).toBe(ref);
      expect(r.retrieval.grade, q).not.toBe("declined");
    }
  });
});

describe("an English question inside the plan it names", () => {
  it("weighs the plan's title words little in its phrases' readings too, so the preamble does not win on them", async () => {
    // "procurement", "pilot", "medical consumables" are read as 采购, 试点, 医用耗材: the words of the plan's own title.
    for (const q of ["How much will the prices of medical consumables drop in the procurement pilot?", "In the medical consumables procurement pilot, what happens if a supplier stops supplying?"]) {
      const r = await route(q);
      expect(r.doc, q).toBe("yiyong-haocai");
      expect(r.retrieval.units.slice(0, 2).map((u) => u.unit.ref), q).not.toContain("preamble");
    }
  });
});

describe("which plan a question is about", () => {
  it("scores the plan written about a topic above one that mentions it in passing", async () => {
    const ranked = await kb.retriever.rank("医院用的耗材价格能降吗");
    const affinity = kb.retriever.planAffinity(ranked.weights);
    expect(affinity.get("yiyong-haocai")!).toBeGreaterThan(2 * (affinity.get("broad-county") ?? 0));
  });

  it("still answers from the broad plan what only it says", async () => {
    const r = await route("乡镇卫生院配备常用药品不少于多少种");
    expect(r.doc).toBe("broad-county");
    expect(r.retrieval.units[0]!.unit.ref).toBe("task:4");
  });
});

describe("an English question's plan", () => {
  it("is chosen on the domain-general readings of its words, the one-plan glossary's weighing less", async () => {
    const { topicalWeights } = await import("../../src/retrieve/router.js");
    const { sharedKb } = await import("../support/kb.js");
    // The seed's glossary reads "high-speed rail" as the seed's 高铁/铁路 (own words of the question).
    const r = await (await sharedKb()).retriever.retrieve("How many high-speed rail projects are planned?", { k: 5 });
    const weights = topicalWeights(r);
    const general = new Set(r.query.expansions.flatMap((e) => e.terms));
    const glossaryOnly = [...weights.keys()].filter((t) => ![...general].some((g) => g.includes(t) || t.includes(g)));
    expect(glossaryOnly.length).toBeGreaterThan(0);
    for (const t of glossaryOnly) expect(weights.get(t)).toBeLessThan(r.weights.get(t)!);
    for (const t of general) if (weights.has(t)) expect(weights.get(t)).toBe(r.weights.get(t));
  });
});

describe("which plan a question is about", () => {
  it("counts a word of the question once, not again as its two-character pieces (常住人口, not 常住 and 人口)", async () => {
    const { topicalWeights } = await import("../../src/retrieve/router.js");
    const { sharedKb } = await import("../support/kb.js");
    const r = await (await sharedKb()).retriever.retrieve("常住人口城镇化率是多少", { k: 5 });
    const weights = topicalWeights(r);
    expect(r.weights.has("人口")).toBe(true);
    expect(weights.has("常住人口")).toBe(true);
    expect(weights.has("常住")).toBe(false);
    expect(weights.has("人口")).toBe(false);
    expect(weights.has("镇化")).toBe(false);
  });

  it("keeps the pieces of a compound the plans never print (家政公司 speaks through 家政)", async () => {
    const { topicalWeights } = await import("../../src/retrieve/router.js");
    const { sharedKb } = await import("../support/kb.js");
    // 物业公司: the seed speaks of 物业, never of 物业公司.
    const r = await (await sharedKb()).retriever.retrieve("物业公司多久要上门检查一次？", { k: 5 });
    expect(r.query.words).toContain("物业公司");
    expect(r.weights.has("物业公司")).toBe(false);
    expect(topicalWeights(r).get("物业")).toBeGreaterThan(0);
  });
});

describe("an English question that names its plan by a glossary phrase", () => {
  it("answers a question about the document from the plan the phrase names, not from each plan", async () => {
    const { kb: named } = await fixtureKb("english-names");
    const r = await routeRetrieval({ retriever: named.retriever, catalog: named.catalog, docs: named.docs }, "When was the zero waste city plan issued?");
    expect(r.doc).toBe("wufei-mini");
    expect(r.each).toHaveLength(0);
    expect(r.retrieval.units[0]!.unit.ref).toBe("notice");
  });
});
