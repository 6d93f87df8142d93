import { describe, expect, it } from "vitest";
import { loadPlanFile } from "../../src/plan/load.js";
import { PlanCatalog } from "../../src/retrieve/plans.js";
import { buildRegister, ENGLISH_REGISTER_WEIGHT, expandEnglishRegister, expandRegister, loadRegister, REGISTER_WEIGHT } from "../../src/retrieve/register.js";
import { HybridRetriever } from "../../src/retrieve/retriever.js";
import { routeRetrieval } from "../../src/retrieve/router.js";
import { normalizeText, tokenize } from "../../src/retrieve/text.js";
import { loadVocabulary, mapEnglish } from "../../src/retrieve/vocabulary.js";
import { repoPath } from "../helpers.js";

const corpusOf = (text: string) => {
  const normalized = normalizeText(text);
  return (t: string) => normalized.includes(t);
};

describe("the everyday → formal register", () => {
  const register = buildRegister([
    { user: ["便宜", "降价"], formal: ["降低", "价格"] },
    { user: ["药"], formal: ["药品", "用药"] },
    { user: ["看不起"], formal: ["歧视", "同等待遇"] },
    { user: ["医院"], formal: ["医疗机构"] },
  ]);
  const inCorpus = corpusOf("降低药品价格，医疗机构不得歧视，医院改革");
  const expand = (q: string) => expandRegister(normalizeText(q), tokenize(normalizeText(q)).words, inCorpus, register);

  it("adds the formal words the plans use, below the question's own words", () => {
    const e = expand("以后会便宜吗");
    expect(e).toEqual([{ phrase: "便宜", terms: ["降低", "价格"], weight: REGISTER_WEIGHT, cover: 1 }]);
    expect(REGISTER_WEIGHT).toBeLessThan(1);
  });

  it("drops formal words the plans lack and words the asker already wrote", () => {
    // 同等待遇 is not in the plans; 降低 is already in the question.
    expect(expand("会不会被人看不起").flatMap((e) => e.terms)).toEqual(["歧视"]);
    expect(expand("价格能降低便宜点吗").flatMap((e) => e.terms)).toEqual([]);
  });

  it("matches one character only as a word or as the head of a compound the plans lack", () => {
    expect(expand("降压药贵不贵").map((e) => e.phrase)).toContain("药");
    // 药品 is the plans' own word: its 药 is no everyday word.
    expect(expand("药品贵不贵").map((e) => e.phrase)).not.toContain("药");
  });

  it("weighs the formal words lower when the plans use the asker's word too", () => {
    const e = expand("去医院看病");
    expect(e.find((x) => x.phrase === "医院")!.weight).toBeLessThan(REGISTER_WEIGHT);
  });

  it("ships a domain-general list that names no plan's figures or numbering", () => {
    const shipped = loadRegister();
    expect(shipped.length).toBeGreaterThan(300);
    for (const [phrase, terms] of shipped) {
      expect(phrase).not.toMatch(/\d|第.+项/);
      for (const t of terms) expect(t).not.toMatch(/\d/);
    }
  });
});

describe("English words through the English register and compounds", () => {
  const inCorpus = corpusOf("开展建筑垃圾治理，降低药品价格，职业院校毕业生享受同等待遇");

  it("reads every English word, below a reviewed glossary term", () => {
    const e = expandEnglishRegister("will medicine prices go down", inCorpus);
    expect(e.find((x) => x.phrase === "medicine")?.terms).toContain("药品");
    expect(e.find((x) => x.phrase === "prices")?.terms).toContain("价格");
    expect(e.every((x) => x.weight === ENGLISH_REGISTER_WEIGHT && x.weight < 1)).toBe(true);
  });

  it("joins two words in a row into the plan's own term", () => {
    const vocab = { expansions: [], glossary: [] };
    expect(mapEnglish("How is construction waste handled?", vocab, inCorpus).terms).toContain("建筑垃圾");
    expect(mapEnglish("Do graduates get equal treatment?", vocab, inCorpus).terms).toContain("同等待遇");
    // Words apart in the question make no compound.
    expect(mapEnglish("Is waste from construction sites handled?", vocab, inCorpus).terms).not.toContain("建筑垃圾");
  });

  it("keeps the glossary's terms and the register's as alternatives for the same word", () => {
    const mapped = mapEnglish("What about medicine prices?", loadVocabulary(), corpusOf("降低药品价格，医疗卫生"));
    const medicine = mapped.groups.filter((g) => g.phrase.includes("medicine"));
    expect(medicine.flatMap((g) => g.terms)).toContain("药品");
  });
});

describe("residents' questions across several plans", () => {
  // Two invented plans in new domains beside the seed, whose reviewed vocabulary leans towards its own topics.
  const docs = [
    loadPlanFile(repoPath("seeds/zhejiang-2026-qianwan-plan.txt")),
    loadPlanFile(repoPath("test/fixtures/register/county-medicine-plan.txt")),
    loadPlanFile(repoPath("test/fixtures/register/skills-school-plan.txt")),
  ];
  const deps = { retriever: new HybridRetriever({ docs }), catalog: new PlanCatalog(docs), docs };
  const first = async (q: string) => {
    const r = await routeRetrieval(deps, q);
    const top = r.retrieval.units[0]?.unit;
    return top ? `${top.doc}:${top.ref}` : undefined;
  };

  it("reaches the medicine plan from everyday words", async () => {
    expect(await first("医生不肯给开便宜的药，这样合规吗")).toBe("county-medicine-plan:section:5");
    expect(await first("药店里常吃的药断货了怎么办")).toBe("county-medicine-plan:section:4");
  });

  it("reaches the school plan from everyday words", async () => {
    expect(await first("读技校出来找工作会被人看不起吗")).toBe("skills-school-plan:section:6");
    expect(await first("技校的老师有没有在厂里干过活")).toBe("skills-school-plan:section:3");
    expect(await first("家里困难，孩子读技校有补助吗")).toBe("skills-school-plan:section:5");
  });

  it("reaches the new plans from English questions", async () => {
    expect(await first("Will medicine prices go down?")).toBe("county-medicine-plan:section:3");
    expect(await first("Do vocational school graduates face discrimination when employers hire?")).toBe("skills-school-plan:section:6");
  });

  it("still answers the seed's own residents", async () => {
    expect(await first("村里自来水老是停，水管会换吗")).toBe("zhejiang-2026-qianwan-plan:task:14");
  });
});

describe("the shipped register's words for children and childcare", () => {
  it("reads 老二, 全天托 and 试管 as the plans print them (二孩, 全日托, 辅助生殖)", () => {
    const inCorpus = corpusOf("二孩家庭全日托每人每月600元，辅助生殖技术项目纳入医保");
    const expand = (q: string) => expandRegister(normalizeText(q), tokenize(normalizeText(q)).words, inCorpus).flatMap((e) => e.terms);
    expect(expand("我家老二想送全天托")).toEqual(expect.arrayContaining(["二孩", "全日托"]));
    expect(expand("做试管医保能报吗")).toContain("辅助生殖");
  });
});

describe("the shipped register's words for insurance and disasters", () => {
  it("reads 先掏…才开始报, 亲戚家 and 台风保险 as the plans print them (起付标准, 投亲靠友, 巨灾保险)", () => {
    const inCorpus = corpusOf("普通门诊年度起付标准为300元；投亲靠友安置人员每人每天40元；统一投保公众巨灾保险");
    const expand = (q: string) => expandRegister(normalizeText(q), tokenize(normalizeText(q)).words, inCorpus).flatMap((e) => e.terms);
    expect(expand("看门诊自己要先掏多少钱才开始报")).toContain("起付标准");
    expect(expand("我们自己去亲戚家住，一天给多少")).toEqual(expect.arrayContaining(["投亲靠友", "每天"]));
    expect(expand("政府买的台风保险能赔多少")).toContain("巨灾保险");
  });

  it("reads Level IV and a deductible in English as the plans print them (四级, 起付标准)", () => {
    const inCorpus = corpusOf("启动Ⅳ级应急响应；大病保险起付标准为8000元");
    const terms = (q: string) => expandEnglishRegister(q, inCorpus).flatMap((e) => e.terms);
    expect(terms("when is a level iv emergency response launched")).toContain("四级");
    expect(terms("what is the deductible of critical illness insurance")).toEqual(expect.arrayContaining(["起付标准"]));
  });
});
