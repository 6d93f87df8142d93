import { describe, expect, it } from "vitest";
import { GlossIndex } from "../../src/retrieve/gloss-index.js";
import { parseCedict } from "../../src/retrieve/lexicon-data.js";
import { englishContentWords } from "../../src/retrieve/vocabulary.js";
import { fixtureKb } from "../support/kb.js";

/** A few dictionary lines in CC-CEDICT's own format. */
const MINI_CEDICT = [
  "煙花 烟花 [yan1 hua1] /fireworks/",
  "焰火 焰火 [yan4 huo3] /fireworks/",
  "禮花 礼花 [li3 hua1] /fireworks/",
  "燃放 燃放 [ran2 fang4] /to set off (fireworks etc)/",
  "班 班 [ban1] /team/class/squad/work shift/",
  "等 等 [deng3] /class/rank/grade/to wait for/",
  "種類 种类 [zhong3 lei4] /kind/genre/type/category/variety/",
  "搖號 摇号 [yao2 hao4] /lottery/",
  "學生 学生 [xue2 sheng5] /student/",
].join("\n");

describe("the units read in English (GlossIndex)", () => {
  const texts = ["春节期间限制燃放烟花，禁止燃放焰火和礼花。", "学生按班编排，各班人数不超过45人。", "民办学校报名人数超过计划的，实行电脑摇号。"];
  const index = new GlossIndex(texts, parseCedict(MINI_CEDICT));
  const best = (q: string) => [...index.score(englishContentWords(q).map((word) => ({ word, weight: 1 })))].sort((a, b) => b[1] - a[1])[0]?.[0];

  it("finds a unit by an English word whichever of its synonyms the plan prints", () => {
    expect(best("Which fireworks are banned?")).toBe(0);
    expect(best("When is the lottery held?")).toBe(2);
    expect(best("How many students per class?")).toBe(1);
  });

  it("scores nothing for words no unit's dictionary words carry", () => {
    expect(index.score([{ word: "weather", weight: 1 }]).size).toBe(0);
  });

  it("weighs a word by its share of the senses: one of four senses counts less than the only one", () => {
    const only = index.score([{ word: "lottery", weight: 1 }]).get(2)!;
    const one = index.score([{ word: "squad", weight: 1 }]).get(1)!;
    expect(only).toBeGreaterThan(one);
  });
});

describe("an English question about a plan the glossary was not written for", () => {
  it("reaches the unit through the dictionary's reading of the units (grain drying → 烘干)", async () => {
    const { kb } = await fixtureKb("application-notice");
    const r = await kb.retriever.retrieve("What is the most a grain drying facility project can get?", { k: 3 });
    expect(r.units[0]?.unit.text).toContain("烘干");
    expect(r.units.slice(0, 2).map((u) => u.unit.label)).toContain("二【补助标准】②");
  });
});
