import { describe, expect, it } from "vitest";
import { Lexicon } from "../../src/retrieve/lexicon.js";
import { parseCedict } from "../../src/retrieve/lexicon-data.js";
import { englishMeasure } from "../../src/retrieve/register.js";
import { normalizeText } from "../../src/retrieve/text.js";
import { mapEnglish, numberTerms, type Vocabulary } from "../../src/retrieve/vocabulary.js";

/** A few dictionary lines in CC-CEDICT's own format. */
const MINI_CEDICT = [
  "改革 改革 [gai3 ge2] /reform/to reform/",
  "資金 资金 [zi1 jin1] /funds/funding/capital/",
  "經費 经费 [jing1 fei4] /funds/expenditure/",
  "專項 专项 [zhuan1 xiang4] /special/dedicated/",
  "債券 债券 [zhai4 quan4] /bond/debenture/",
  "重大 重大 [zhong4 da4] /great/important/major/",
  "支撐 支撑 [zhi1 cheng1] /to prop up/to support/",
  "城鎮化 城镇化 [cheng2 zhen4 hua4] /urbanization/",
  "率 率 [lu:4] /rate/frequency/",
  "城市 城市 [cheng2 shi4] /city/town/",
  "閒置 闲置 [xian2 zhi4] /to leave sth idle/to lie idle/",
  "農 农 [nong2] /peasant/to farm/agriculture/",
  "房 房 [fang2] /house/room/",
  "農舍 农舍 [nong2 she4] /farmhouse/",
  "廢 废 [fei4] /to abolish/disused/waste/",
  "付 付 [fu4] /to pay/",
].join("\n");

const corpusOf = (text: string) => {
  const normalized = normalizeText(text);
  return (t: string) => normalized.includes(t);
};

describe("the dictionary vouching for a glossary reading", () => {
  const lexicon = new Lexicon(parseCedict(MINI_CEDICT));

  it("vouches for the readings its glosses explain, in the share of the term they explain", () => {
    expect(lexicon.vouches(["reform"], "改革")).toBe(1);
    expect(lexicon.vouches(["reform"], "重大改革支撑")).toBeCloseTo(2 / 6);
    expect(lexicon.vouches(["urbanization", "rate"], "常住人口城镇化率")).toBeCloseTo(4 / 8);
    expect(lexicon.vouches(["fund"], "专项债券")).toBe(0);
  });

  it("neither vouches nor objects for words it does not know (names, pinyin)", () => {
    expect(lexicon.vouches(["qianwan"], "千万工程")).toBeUndefined();
  });

  it("lets the rest of the question name the rest of a reading, as words, not single characters", () => {
    expect(lexicon.vouches(["zero", "waste"], "无废城市")).toBeCloseTo(1 / 4);
    expect(lexicon.vouches(["zero", "waste"], "无废城市", () => [], ["pilot", "cities"])).toBeCloseTo(3 / 4);
    // 房 "house" is one character: another word of the question does not vouch for it.
    expect(lexicon.vouches(["idle"], "闲置农房", () => [], ["house"])).toBeCloseTo(2 / 4);
  });

  it("reads a closed compound it lacks as the two words it joins", () => {
    expect(lexicon.stemsWithParts("farmyards").length).toBe(0);
    expect(new Lexicon(parseCedict("農 农 [nong2] /farm/\n院子 院子 [yuan4 zi5] /yard/")).stemsWithParts("farmyards")).toEqual(["farm", "yard"]);
  });
});

describe("English readings from the one-plan glossary", () => {
  const lexicon = new Lexicon(parseCedict(MINI_CEDICT));
  const vocab: Vocabulary = {
    expansions: [],
    glossary: [
      ["funding", ["资金", "专项债券", "要素保障"]],
      ["hospitals", ["医院"]],
      ["who pays", ["专项债券", "要素保障"]],
    ],
  };
  const inCorpus = corpusOf("统筹财政资金、专项债券、要素保障。医院。");

  it("keeps the readings the dictionary vouches for as the question's words, and the others as weighted alternatives", () => {
    const m = mapEnglish("Where does the funding come from?", vocab, inCorpus, lexicon);
    expect(m.terms).toContain("资金");
    expect(m.terms).not.toContain("专项债券");
    const guess = m.groups.find((g) => g.terms.includes("专项债券"));
    expect(guess?.phrase).toBe("funding");
    expect(guess?.weight).toBeLessThan(0.5);
  });

  it("keeps an unvouched reading nothing else reads as one phrase's alternatives, not as words of the question", () => {
    const m = mapEnglish("Who pays?", vocab, inCorpus, lexicon);
    expect(m.terms).not.toContain("专项债券");
    // Groups of one phrase are its alternatives together (the retriever scores a phrase's terms as one).
    const groups = m.groups.filter((g) => g.phrase === "who pays");
    expect(groups.flatMap((g) => g.terms).sort()).toEqual(["专项债券", "要素保障"].sort());
    for (const g of groups) {
      expect(g.weight).toBeGreaterThan(0.3);
      expect(g.weight).toBeLessThan(1);
    }
  });

  it("weighs a reading the dictionary explains in part by the share it explains", () => {
    const partVocab: Vocabulary = { expansions: [], glossary: [["urbanization rate", ["常住人口城镇化率", "城镇化"]], ["urbanization", ["城镇化"]]] };
    const m = mapEnglish("What urbanization rate is planned?", partVocab, corpusOf("常住人口城镇化率达到76%，推进城镇化"), lexicon);
    expect(m.terms).toContain("城镇化");
    // Read by the vouched 城镇化 too, the longer reading is an alternative weighing what the dictionary explains of it (4 of 8).
    const partial = m.groups.find((g) => g.terms.includes("常住人口城镇化率"));
    expect(partial?.weight).toBeCloseTo(0.5);
  });

  it("reads a possessive as its word and a hyphenated word the glossary lacks as its parts", () => {
    expect(mapEnglish("What do public hospitals' patients pay?", vocab, inCorpus, lexicon).terms).toContain("医院");
    const m = mapEnglish("Is there any volume-based capital?", vocab, corpusOf("资金"), lexicon);
    expect(m.lexical.flatMap((e) => e.terms)).toContain("资金");
    expect(m.unknown).not.toContain("volume-based");
  });
});

describe("the measure an English figure question asks in", () => {
  it("maps the thing counted after how many to the measure word Chinese counts it in", () => {
    expect(englishMeasure("Roughly how many cities will be chosen for the pilot?")).toBe("个");
    expect(englishMeasure("How many high-level vocational colleges will be built?")).toBe("所");
    expect(englishMeasure("How many beds will nursing homes add?")).toBe("张");
    expect(englishMeasure("How much time every year should teachers spend training in companies?")).toBe("年");
    expect(englishMeasure("How many public chargers are targeted?")).toBe("台");
    // Things the list does not name are still counted: no area or money figure answers.
    expect(englishMeasure("How many overseas warehouses should firms be running?")).toBe("个");
    expect(englishMeasure("How many years are given to upgrade old chargers?")).toBe("年");
    expect(englishMeasure("How many people will be trained?")).toBe("人");
  });

  it("maps shares, money and named units", () => {
    expect(englishMeasure("What percentage of waste should be recycled?")).toBe("%");
    expect(englishMeasure("What urbanization rate is the province aiming for?")).toBe("%");
    expect(englishMeasure("How much money will be invested?")).toBe("元");
    expect(englishMeasure("How much farmland in mu?")).toBe("亩");
    expect(englishMeasure("How long is the internship for vocational students?")).toBe("年");
    expect(englishMeasure("How long does it take to find a charger, in minutes?")).toBe("分钟");
    expect(englishMeasure("How often must older people living alone be visited?")).toBe("次");
  });

  it("names no measure where the question does not say one", () => {
    // "this year" is when, not what the amount is in.
    expect(englishMeasure("How much high-standard farmland will be built this year?")).toBeUndefined();
    expect(englishMeasure("How many of them will be finished?")).toBeUndefined();
    // The fund pays; what it prepays may be a share.
    expect(englishMeasure("How much does the insurance fund prepay to hospitals?")).toBeUndefined();
    expect(englishMeasure("今年新建多少所学校")).toBeUndefined();
    expect(englishMeasure("达到60%了吗")).toBeUndefined();
  });
});

describe("English numbers as the plans print them", () => {
  it("joins a number to the measure word of the thing it counts", () => {
    expect(numberTerms("which 11 cities were chosen")).toEqual(["11个"]);
    expect(numberTerms("in service for more than 8 years")).toEqual(["8年"]);
    expect(numberTerms("ten pilot cities")).toEqual(["10个"]);
    expect(numberTerms("1.2 million beds")).toEqual(["120万张"]);
    expect(numberTerms("50 percent")).toEqual(["50%"]);
  });

  it("reads per 10000 as the base of a rate, and a year as no count", () => {
    expect(numberTerms("caregivers per 10000 older people")).toEqual(["每万"]);
    expect(numberTerms("by 2022")).toEqual([]);
  });

  it("reads a number written with thousands separators", () => {
    const inCorpus = corpusOf("每万名老年人拥有护理员");
    expect(mapEnglish("How many per 10,000 people?", { expansions: [], glossary: [] }, inCorpus, new Lexicon(parseCedict(MINI_CEDICT))).terms).toContain("每万");
  });
});

describe("British spellings", () => {
  it("are read as the dictionary's American ones, and words that only look alike are left alone", async () => {
    const { americanSpelling } = await import("../../src/retrieve/vocabulary.js");
    expect(americanSpelling("urbanisation")).toBe("urbanization");
    expect(americanSpelling("licence")).toBe("license");
    expect(americanSpelling("neighbours")).toBe("neighbors");
    expect(americanSpelling("centres")).toBe("centers");
    expect(americanSpelling("organised")).toBe("organized");
    for (const w of ["advise", "exercise", "promise", "four", "hour", "rise", "otherwise", "advertising", "appraise"]) expect(americanSpelling(w)).toBe(w);
  });
});

describe("a plan's own city named in English", () => {
  it("is read by its pinyin from the dictionary, so the question points to that plan", async () => {
    const { placePinyin } = await import("../../src/retrieve/lexicon-data.js");
    expect(placePinyin(["洛阳", "泉州"]).get("洛阳")).toBe("luoyang");
    const { fixtureKb } = await import("../support/kb.js");
    const { kb } = await fixtureKb("invented-plans/dev3");
    const r = await kb.retriever.retrieve("How much is the first dog licence in Luoyang?", { k: 3 });
    expect(r.query.places).toContain("洛阳");
  });
});
