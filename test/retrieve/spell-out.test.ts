import { describe, expect, it } from "vitest";
import { tellingWords } from "../../src/retrieve/figures.js";
import { analyzeQuery } from "../../src/retrieve/query.js";
import { SubstringIndex } from "../../src/retrieve/substrings.js";
import { loadVocabulary } from "../../src/retrieve/vocabulary.js";

const corpus = "场所内严禁储存汽油、酒精等易燃液体，瓶装液化石油气存放量不得超过2瓶。国家组织药品集中采购和使用试点，集中采购价格。建立国家统一的平台。每50平方米至少配置2具灭火器。";
const index = new SubstringIndex(corpus);
const vocab = loadVocabulary();
const analyze = (q: string) => analyzeQuery(q, vocab, (t) => index.has(t), (w) => index.spellOut(w));

describe("a short word the plans never print, spelled out as they print it", () => {
  it("finds the term a word abbreviates, to the end of the word it ends in (液化气 → 液化石油气, 集采 → 集中采购)", () => {
    expect(index.spellOut("液化气")).toEqual(["液化石油气"]);
    expect(index.spellOut("集采")).toEqual(["集中采购"]);
    expect(index.spellOut("采购")).toEqual([]);
  });

  it("reads the question's word, or two characters the segmenter left apart, by the plans' spelling", () => {
    expect(analyze("店里能放几瓶液化气").expansions).toContainEqual({ phrase: "液化气", terms: ["液化石油气"], spelled: true });
    expect(analyze("集采的药质量靠得住吗").expansions).toContainEqual({ phrase: "集采", terms: ["集中采购"], spelled: true });
  });

  it("does not join a verb and a measure into an abbreviation (建…家 is not 建立国家)", () => {
    expect(analyze("共富工坊建了多少家").expansions.filter((e) => e.spelled)).toEqual([]);
  });
});

describe("everyday words around the asked thing", () => {
  it("reads 几瓶 and 几具 as the measure asked", () => {
    expect(analyze("店里能放几瓶液化气").intent.measure).toBe("瓶");
    expect(analyze("每50平方米要配几具灭火器").intent.measure).toBe("具");
  });

  it("does not take 店里 (a place and 里) for the thing asked about", () => {
    const q = analyze("店里能放几瓶液化气");
    expect(tellingWords(q, new Map()).unseen).not.toContain("店里");
  });
});
