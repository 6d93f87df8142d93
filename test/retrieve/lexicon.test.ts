import { describe, expect, it } from "vitest";
import { loadPlanFile } from "../../src/plan/load.js";
import { defaultLexicon, Lexicon } from "../../src/retrieve/lexicon.js";
import { parseCedict, stemEnglish } from "../../src/retrieve/lexicon-data.js";
import { HybridRetriever } from "../../src/retrieve/retriever.js";
import { normalizeText } from "../../src/retrieve/text.js";
import { expandQuery, expandWithLexicon, loadVocabulary, mapEnglish } from "../../src/retrieve/vocabulary.js";
import { repoPath } from "../helpers.js";

/** A few dictionary lines in CC-CEDICT's own format, enough to test the rules without the real file. */
const MINI_CEDICT = [
  "# CC-CEDICT test excerpt",
  "廢料 废料 [fei4 liao4] /waste products/refuse/garbage/",
  "垃圾 垃圾 [la1 ji1] /trash/refuse/garbage/(coll.) of poor quality/",
  "飯館 饭馆 [fan4 guan3] /restaurant/CL:家[jia1]/",
  "餐廳 餐厅 [can1 ting1] /dining hall/dining room/restaurant/",
  "餐館 餐馆 [can1 guan3] /restaurant/",
  "欠薪 欠薪 [qian4 xin1] /to owe wages/back pay/",
  "工錢 工钱 [gong1 qian2] /salary/wages/",
  "工資 工资 [gong1 zi1] /wages/pay/salary/",
  "只能 只能 [zhi3 neng2] /can only/",
  "只有 只有 [zhi3 you3] /can only/only if/",
  "姓 姓 [xing4] /surname/",
  "王 王 [wang2] /surname Wang/king/",
  // "matter" is carried by more words than maxShare allows: it says nothing.
  ...Array.from({ length: 30 }, (_, i) => `事${i} 事${String.fromCharCode(0x4e00 + i)} [shi4] /matter/`),
  "事情 事情 [shi4 qing5] /matter/affair/",
  "鞭炮 鞭炮 [bian1 pao4] /firecrackers/string of small firecrackers/",
  "爆竹 爆竹 [bao4 zhu2] /firecracker/",
].join("\n");

const corpusOf = (text: string) => {
  const normalized = normalizeText(text);
  return (t: string) => normalized.includes(t);
};

describe("the general lexicon", () => {
  const lexicon = new Lexicon(parseCedict(MINI_CEDICT));

  it("finds near-synonyms through shared glosses, weighted below a reviewed expansion (0.6)", () => {
    const inCorpus = corpusOf("开展建筑垃圾治理，创建绿色餐厅");
    const waste = lexicon.relatedTerms("废料", inCorpus);
    expect(waste.map((r) => r.term)).toEqual(["垃圾"]);
    expect(waste[0]!.weight).toBeGreaterThan(0);
    expect(waste[0]!.weight).toBeLessThan(0.6);
    expect(lexicon.relatedTerms("饭馆", inCorpus).map((r) => r.term)).toEqual(["餐厅"]);
  });

  it("reads a gloss in the plural as the same sense (鞭炮 firecrackers, 爆竹 firecracker)", () => {
    expect(lexicon.relatedTerms("鞭炮", corpusOf("禁止燃放烟花爆竹")).map((r) => r.term)).toEqual(["爆竹"]);
  });

  it("offers only terms that occur in the loaded plans", () => {
    // 餐馆 shares "restaurant" with 饭馆 too, but the plans never say it.
    const terms = lexicon.relatedTerms("饭馆", corpusOf("创建绿色餐厅")).map((r) => r.term);
    expect(terms).not.toContain("餐馆");
    expect(lexicon.relatedTerms("废料", corpusOf("与此无关的文字"))).toEqual([]);
  });

  it("ignores glosses too broad or too vague to carry meaning", () => {
    const everything = (_t: string) => true;
    // "matter" is shared by 31 words; "can only" is vague.
    expect(lexicon.relatedTerms("事情", everything).map((r) => r.term)).not.toContain("事一");
    expect(lexicon.relatedTerms("只能", everything)).toEqual([]);
    // Surnames are no meaning.
    expect(lexicon.relatedTerms("姓", everything)).toEqual([]);
  });

  it("maps English words to the plan's Chinese through whole glosses, stems matched", () => {
    const inCorpus = corpusOf("健全欠薪预警机制，落实工资保证金制度，创建绿色餐厅");
    const owed = lexicon.englishTerms(["wages", "owed"], inCorpus);
    expect(owed.map((r) => r.term)).toContain("欠薪");
    expect(owed.find((r) => r.term === "欠薪")!.matched.sort()).toEqual(["owed", "wages"]);
    expect(lexicon.englishTerms(["restaurants"], inCorpus).map((r) => r.term)).toEqual(["餐厅"]);
    expect(lexicon.englishTerms(["weather"], inCorpus)).toEqual([]);
    expect(stemEnglish("restaurants")).toBe(stemEnglish("restaurant"));
    expect(stemEnglish("owed")).toBe(stemEnglish("owe"));
    expect(stemEnglish("needs")).toBe(stemEnglish("need"));
  });

  it("reads a noun in -ation through the verb it comes from (registration fee → 登记 + 费)", () => {
    const lx = defaultLexicon();
    expect(lx.wordsGlossed("registration")).toContain("登记");
    expect(lx.wordsGlossed("administration")).toContain("管理");
    const mapped = mapEnglish("How much is the registration fee for a dog?", loadVocabulary(), corpusOf("犬只首次登记费每只500元"), lx);
    expect(mapped.terms).toContain("登记费");
  });

  it("splits a glued word into the plan's own word (当学徒 → 学徒), but not a dictionary word", () => {
    const data = parseCedict(`${MINI_CEDICT}\n學徒 学徒 [xue2 tu2] /apprentice/\n是不是 是不是 [shi4 bu5 shi4] /is or isn't/whether or not/\n不是 不是 [bu2 shi5] /fault/blame/`);
    const lex = new Lexicon(data);
    const inCorpus = corpusOf("总结现代学徒制试点经验，不是问题");
    expect(lex.knownParts("当学徒", inCorpus).map((r) => r.term)).toEqual(["学徒"]);
    expect(lex.knownParts("是不是", inCorpus)).toEqual([]);
  });
});

describe("the shipped CC-CEDICT", () => {
  const plan = loadPlanFile(repoPath("test/fixtures/lexicon/city-services-plan.txt"));
  const inCorpus = corpusOf(plan.units.map((u) => u.text).join("\n"));

  it("links everyday words to the plan's words in a new domain", () => {
    const lexicon = defaultLexicon();
    expect(lexicon.relatedTerms("废料", inCorpus).map((r) => r.term)).toContain("垃圾");
    expect(lexicon.relatedTerms("饭馆", inCorpus).map((r) => r.term)).toContain("餐厅");
    expect(lexicon.relatedTerms("工钱", inCorpus).map((r) => r.term)).toContain("工资");
    expect(lexicon.relatedTerms("只能", inCorpus)).toEqual([]);
  });

  it("reads a one-character everyday word the plans never print as their word (狗 → 犬只, 娃 → 婴幼儿)", () => {
    const dogs = corpusOf("重点管理区内每户限养一只犬只，婴幼儿照护服务");
    expect(expandWithLexicon(["狗", "咬"], [], dogs).map((e) => [e.phrase, e.terms[0]])).toContainEqual(["狗", "犬只"]);
    expect(expandWithLexicon(["娃"], [], dogs).map((e) => e.terms[0])).toContain("婴幼儿");
    // A character the plans print is their own word: nothing is guessed for it.
    expect(expandWithLexicon(["犬"], [], dogs)).toEqual([]);
  });

  it("drops reviewed terms the loaded plans lack, so the lexicon can speak", () => {
    const vocab = loadVocabulary();
    // The reviewed vocabulary maps 工钱 to the seed plan's wage terms, which this plan does not use.
    expect(expandQuery(normalizeText("拖欠工钱"), vocab, inCorpus)).toEqual([]);
    const lexical = expandWithLexicon(["拖欠", "工钱"], [], inCorpus);
    expect(lexical.map((e) => e.terms[0])).toContain("工资");
    expect(lexical.every((e) => e.weight < 0.6)).toBe(true);
    const english = mapEnglish("Are restaurants covered?", vocab, inCorpus);
    // The English register or the lexicon reads it (the register first, for words it lists).
    expect([...english.groups, ...english.lexical].flatMap((e) => e.terms)).toContain("餐厅");
    expect(english.unknown).not.toContain("restaurants");
  });
});

describe("retrieval with the lexicon", () => {
  const plan = loadPlanFile(repoPath("test/fixtures/lexicon/city-services-plan.txt"));
  const retriever = new HybridRetriever({ docs: [plan] });
  const first = async (q: string) => (await retriever.retrieve(q)).units[0]?.unit.ref;

  it("reaches the plan's unit from everyday words it never uses", async () => {
    expect(await first("装修废料乱倒谁来管")).toBe("section:2.1");
    expect(await first("开饭馆的政策")).toBe("section:2.2");
    expect(await first("打工被拖欠工钱怎么办")).toBe("section:2.3");
  });

  it("answers English words the glossary lacks", async () => {
    expect(await first("What about restaurants?")).toBe("section:2.2");
    expect(await first("What if my wages are owed?")).toBe("section:2.3");
  });

  it("keeps a guess below the question's own words and reviewed terms", async () => {
    const r = await retriever.retrieve("开饭馆的有什么要求");
    const guess = r.query.expansions.find((e) => e.phrase === "饭馆");
    expect(guess?.weight).toBeDefined();
    expect(guess!.weight!).toBeLessThan(0.6);
  });
});
