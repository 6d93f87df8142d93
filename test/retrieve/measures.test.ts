import { beforeAll, describe, expect, it } from "vitest";
import type { AnswerEngine } from "../../src/answer/engine.js";
import type { KnowledgeBase } from "../../src/knowledge.js";
import { abbreviates, askedBound, askedClasses, classFits, madeOfSeen, matchFigures, measureClass, rateModifier, sameMeasure } from "../../src/retrieve/figures.js";
import { openKnowledgeBase } from "../../src/knowledge.js";
import { createAnswerEngine } from "../../src/answer/engine.js";
import { repoPath } from "../helpers.js";
import { memoryLogger, testConfig } from "../support/kb.js";
import type { Unit } from "../../src/plan/types.js";
import { analyzeQuery, askedMeasures } from "../../src/retrieve/query.js";
import { namesNewThing } from "../../src/retrieve/followup.js";
import { asksContact } from "../../src/retrieve/scope.js";
import { loadVocabulary } from "../../src/retrieve/vocabulary.js";
import { askChecked, fixtureKb } from "../support/kb.js";

describe("measures a question asks in and a figure is stated in", () => {
  it("counts spans of time however written, and a scale word does not change the measure", () => {
    expect(measureClass("个工作日")).toBe("time");
    expect(measureClass("小时")).toBe("time");
    expect(measureClass("日")).toBe(measureClass("天"));
    expect(measureClass("亿立方米")).toBe(measureClass("立方米"));
    expect(measureClass("平方米")).not.toBe(measureClass("米"));
    expect(measureClass("万千瓦")).toBe("千瓦");
    // 几本书 is asked in what plans print as 册.
    expect(measureClass("本")).toBe(measureClass("册"));
    expect(sameMeasure("本", "册")).toBe(true);
    // A bound printed with the measure (6个月内, 30个工作日内, 5万元以上) leaves the measure as it is.
    expect(measureClass("个月内")).toBe("time");
    expect(measureClass("个工作日内")).toBe("time");
    expect(measureClass("万元以上")).toBe("money");
  });

  it("reads the bound a question asks: 最多/最高 an upper one, 至少/最低 a lower one, neither or both none", () => {
    expect(askedBound("最多多少")).toBe("upper");
    expect(askedBound("双职工家庭最高能贷到多少")).toBe("upper");
    expect(askedBound("每个乡镇至少配几名")).toBe("lower");
    expect(askedBound("补贴多少钱")).toBeUndefined();
  });

  it("reads 万元 in an intensity's name (万元国内生产总值用水量, 每万元产值能耗) as no money asked; 多少元, 几万元, 5万元 still ask money", () => {
    const vocab = loadVocabulary();
    const asks = (q: string) => [...askedClasses(analyzeQuery(q, vocab))];
    expect(asks("万元国内生产总值用水量下降率的目标是多少")).not.toContain("money");
    expect(asks("每万元产值能耗要降多少")).not.toContain("money");
    expect(asks("补助多少元")).toContain("money");
    expect(asks("排名前10位的，每个奖多少？")).toContain("money");
    expect(asks("能拿几万元补助")).toContain("money");
    expect(asks("5万元的补贴怎么申请")).toContain("money");
  });

  it("reads a span asked by its name (贷款期限最长是多少, 档案保存期限是多少) as a length of time; a deadline column (时限) is not one", () => {
    const vocab = loadVocabulary();
    expect(analyzeQuery("个人贷款期限最长是多少", vocab).intent.duration).toBe(true);
    expect(analyzeQuery("档案保存期限的要求是多少", vocab).intent.duration).toBe(true);
    expect(analyzeQuery("见习期多长", vocab).intent.duration).toBe(true);
    expect(analyzeQuery("新增农村互助养老点由谁牵头，时限是多少？", vocab).intent.duration).toBe(false);
    expect(analyzeQuery("贷款期限内贴息多少钱", vocab).intent.duration).toBe(false);
  });

  it("takes a word the plans print only in pieces (粮食产量 where a plan says 粮食…产量) as made of words they use", () => {
    const weights = new Map([["粮食", 2.5], ["产量", 2.2], ["目标", 3.8]]);
    expect(madeOfSeen("粮食产量", weights)).toBe(true);
    expect(madeOfSeen("地铁票价", weights)).toBe(false);
    expect(madeOfSeen("粮食", weights)).toBe(false);
  });

  it("answers a figure about one plan when another plan's words make the segmenter keep the question's compound whole", async () => {
    const config = testConfig();
    const kb = await openKnowledgeBase({ config, logger: memoryLogger().logger, persist: false, extraDirs: [repoPath("test/fixtures/invented-plans/sealed4")] });
    const engine = createAnswerEngine({ kb, config, logger: memoryLogger().logger });
    const r = await askChecked(kb, engine, "粮食产量的目标是多少");
    expect(r.grade).toBe("answered");
    expect(r.answer).toContain("125亿斤以上");
    expect(r.citations[0]).toMatchObject({ ref: "task:5" });
  }, 60_000);

  it("answers how much money is given with a share of a cost (按展位费的30%给予补助), never with a share of something else", async () => {
    const { kb, engine } = await fixtureKb("invented-plans/dev5");
    const r = await askChecked(kb, engine, "参加中国进出口商品交易会补助多少");
    expect(r.grade).toBe("answered");
    expect(r.answer).toContain("按展位费的30%给予补助");
    const money = new Set(["money"]);
    expect(classFits(money, measureClass("%"))).toBe(false);
  }, 60_000);

  it("does not answer the amount of a thing with a share of it (最低工资标准是多少钱 ↛ 按最低工资标准的70%给予补贴)", async () => {
    const { kb, engine } = await fixtureKb("invented-plans/dev6");
    const r = await askChecked(kb, engine, "现在的最低工资标准是每月多少钱？");
    expect(r.answer).not.toContain("最低工资标准的70%");
    expect(r.grade).not.toBe("answered");
    const subsidy = await askChecked(kb, engine, "就业见习补贴按什么标准给？");
    expect(subsidy.answer).toContain("最低工资标准的70%");
  }, 60_000);

  it("reads the measure of any counted thing, and tells visits from people", () => {
    const vocab = loadVocabulary();
    expect(analyzeQuery("2028年加装电梯的年度任务是多少部？", vocab).intent.measure).toBe("部");
    expect(analyzeQuery("要开展多少人次的培训？", vocab).intent.measure).toBe("人次");
    expect(measureClass("万人次")).toBe(measureClass("人次"));
    expect(measureClass("人次")).not.toBe(measureClass("人"));
    // A count of a kind of its own is asked by its word, and by a plain how-many question.
    expect(classFits(new Set([measureClass("部")]), measureClass("部"))).toBe(true);
    expect(classFits(new Set([measureClass("部")]), measureClass("个"))).toBe(false);
    expect(classFits(new Set([measureClass("个")]), measureClass("部"))).toBe(true);
    // The very measure asked: 几天 is met by 4天 and 15个工作日 rather than by 8小时.
    expect(sameMeasure("天", "个工作日")).toBe(true);
    expect(sameMeasure("天", "小时")).toBe(false);
    expect(sameMeasure("部", "部")).toBe(true);
    expect(askedMeasures("要建设多少所高水平学校和多少个骨干专业？")).toEqual(["所", "个"]);
    // A measure noun (人数, 数量, 规模) asks how many, not of a thing the plan must print: 人数 need not be in the plan.
    expect(analyzeQuery("给退役军人提供就业帮扶的人数目标是多少？", vocab).askedThing).not.toBe("人数");
    expect(analyzeQuery("畜禽粪污综合利用率2020年的目标值是多少？", vocab).askedThing).not.toBe("标值");
    // "多少分会被注销": the segmenter's 分会 is the measure glued to a verb, no counted thing.
    expect(analyzeQuery("违规记分累计到多少分会被注销登记证？", vocab).askedThing).not.toBe("分会");
    // A bound (封顶, 上限) is not the thing asked: 比例封顶是多少 asks the 比例.
    expect(analyzeQuery("佣金比例封顶是多少？", vocab).askedThing).toBe("比例");
    // 分几部分 asks about the document's parts, not a count of 部.
    expect(analyzeQuery("这个方案分几部分？", vocab).intent.measure).toBeUndefined();
  });

  it("asks money of funding, not of what a fund does (the insurance fund's prepayment may be a share)", () => {
    const vocab = loadVocabulary();
    expect(askedClasses(analyzeQuery("How much does the medical insurance fund prepay hospitals?", vocab)).has("money")).toBe(false);
    expect(askedClasses(analyzeQuery("How much funding will the county provide?", vocab)).has("money")).toBe(true);
  });

  it("asks a span of time of a how-long question, whatever money it names", () => {
    const vocab = loadVocabulary();
    expect([...askedClasses(analyzeQuery("加装电梯的资金分摊方案要公示多长时间？", vocab))]).toEqual(["time"]);
    expect(askedClasses(analyzeQuery("加装电梯的资金补助是多少？", vocab)).has("money")).toBe(true);
  });

  it("reads whose rate a question asks: the thing, not its place or the rate's verb", () => {
    expect(rateModifier("到2020年城市生活垃圾回收利用率要达到多少？")).toBe("垃圾");
    expect(rateModifier("新能源车占比要到多少")).toBe("新能源车");
    expect(rateModifier("农村生活污水治理率多少")).toBe("污水");
    expect(rateModifier("利用率是多少")).toBeUndefined();
  });

  it("reads an abbreviation the plan spells out", () => {
    expect(abbreviates("保额", "保险金额不低于20万元")).toBe(true);
    expect(abbreviates("集采", "国家组织药品集中采购")).toBe(true);
    expect(abbreviates("保额", "保障房建设额度")).toBe(false);
    expect(abbreviates("地铁", "地方财政和铁路")).toBe(false);
  });
});

describe("figure questions on a plan of articles (第X条)", () => {
  let kb: KnowledgeBase;
  let engine: AnswerEngine;
  beforeAll(async () => ({ kb, engine } = await fixtureKb("measures")));

  it("answers from a respective list the figure in the place of the case the question states", async () => {
    const r = await askChecked(kb, engine, "狗咬人医疗费超过5000元的，养犬人罚多少？");
    expect(r.grade).toBe("answered");
    // The whole sentence is quoted, and the answer says which figure goes with the question's case.
    expect(r.answer).toContain("（5000元：2000元）");
    expect(r.citations[0]!.quote).toContain("分别对养犬人处500元、2000元、5000元罚款");
  });

  it("answers 多少个工作日 with a figure in 个工作日, 多少天 with one in 日", async () => {
    const days = await askChecked(kb, engine, "公安机关几个工作日内决定是否准予登记？");
    expect(days.grade).toBe("answered");
    expect(days.answer).toContain("5个工作日");
    const register = await askChecked(kb, engine, "取得犬只后多少天内要办理养犬登记？");
    expect(register.answer).toContain("30日");
  });

  it("reads a year or a day in the asker's story as background, not as the year asked", async () => {
    const r = await askChecked(kb, engine, "去年我家狗一直没登记，今天邻居又来问，取得犬只后多少天内要办理养犬登记？");
    expect(r.grade).toBe("answered");
    expect(r.answer).toContain("30日");
  });

  it("keeps a how-long question's span through a follow-up (那…呢？ after 多久)", async () => {
    const r = await engine.answer({ question: "那公安机关作出决定呢？", history: [{ q: "养犬人取得犬只后多久要办理养犬登记？" }] });
    expect(r.grade).toBe("answered");
    expect(r.answer).toContain("5个工作日");
  });

  it("does not answer one thing's rate with another's (犬只粪便收集箱覆盖率 is not 流浪犬收容率)", async () => {
    const other = await askChecked(kb, engine, "城区流浪犬收容率要达到多少？");
    expect(other.grade).not.toBe("answered");
    const own = await askChecked(kb, engine, "城区犬只粪便收集箱覆盖率要达到多少？");
    expect(own.grade).toBe("answered");
    expect(own.answer).toContain("90%以上");
  });

  it("answers a share of an amount of money as a percentage", async () => {
    const r = await askChecked(kb, engine, "建设投资里用于收容设施改造的比例不低于多少？");
    expect(r.grade).toBe("answered");
    expect(r.answer).toContain("30%");
  });

  it("answers in the plan's own scale (亿立方米) and through an abbreviation (保额)", async () => {
    expect((await askChecked(kb, engine, "年供水总量控制在多少亿立方米？")).answer).toContain("3.5亿立方米");
    const cover = await askChecked(kb, engine, "养大型犬的第三者责任保险，保额最低多少？");
    expect(cover.grade).toBe("answered");
    expect(cover.answer).toContain("20万元");
  });

  it("cites articles by their Chinese-numeral labels without counting them as figures", async () => {
    const r = await engine.answer({ question: "重点管理区首次登记费多少钱？" });
    expect(r.citations[0]?.label).toBe("第四条");
    expect(r.answer).toContain("300元");
    expect(r.answer).not.toContain("无法回答");
  });

  it("reads 印发 of something the plan's body speaks of as a question about the body, not about the plan's issue", async () => {
    const r = await askChecked(kb, engine, "各区政府什么时候印发实施细则？");
    expect(r.citations[0]?.label).toBe("第八条");
    expect(r.answer).toContain("2027年6月底前");
    const issued = await askChecked(kb, engine, "这个养犬办法是什么时候印发的？");
    expect(issued.answer).toContain("2026年10月8日");
  });

  it("answers from an indicator table's column of the year asked, with the measure its indicator names", async () => {
    const r = await askChecked(kb, engine, "犬只免疫登记率2030年要达到多少？");
    expect(r.grade).toBe("answered");
    expect(r.answer.split("\n")[0]).toContain("（95%）");
    expect(r.answer.split("\n")[0]).not.toContain("（70%）");
  });
});

describe("a figure question told with the asker's situation", () => {
  it("is read by its asking clause: the situation (养老院突然说下个月涨价) weighs less than what is asked", async () => {
    const { kb, engine } = await fixtureKb("invented-plans/dev");
    const r = await askChecked(kb, engine, "养老院突然说下个月涨价，四川规定要提前多少天告诉我们？");
    expect(r.grade).toBe("answered");
    expect(r.answer).toContain("30日");
  });
});

describe("how-many questions where every unit shares the question's words", () => {
  let kb: KnowledgeBase;
  let engine: AnswerEngine;
  beforeAll(async () => ({ kb, engine } = await fixtureKb("figure-rank")));

  it("ranks the unit that states a count of the thing asked first, and answers with it", async () => {
    const r = await askChecked(kb, engine, "试点一共有几个城市？");
    expect(r.grade).toBe("answered");
    expect(r.answer).toContain("12个城市");
    expect(r.citations[0]?.label).toBe("一（三）");
  });

  it("does not answer a premium (缴多少保费) with a count", async () => {
    const r = await askChecked(kb, engine, "试点城市居民每年要缴多少回收费？");
    expect(r.grade).not.toBe("answered");
    expect(r.answer).not.toContain("12个城市");
  });
});


describe("a plan with yearly targets, a share of the people and follow-ups (invented dev4 plans)", () => {
  let kb: KnowledgeBase;
  let engine: AnswerEngine;
  beforeAll(async () => ({ kb, engine } = await fixtureKb("invented-plans/dev4")));

  it("answers a year's question from the unit titled by that year, not from the span's total or another year", async () => {
    const r = await askChecked(kb, engine, "2027年要新开工改造多少个老旧小区？");
    expect(r.answer).toContain("2200个以上");
    expect(r.answer).not.toContain("6000个以上");
  });

  it("answers how many people must agree (参与表决人数四分之三以上)", async () => {
    const r = await askChecked(kb, engine, "加装电梯到底要多少人同意才能装？");
    expect(r.grade).toBe("answered");
    expect(r.answer).toMatch(/[三四]分之[二三]以上/);
  });

  it("keeps a follow-up's earlier topic and measure when it names only another year, so that year's figure of the thing answers", async () => {
    const fu = await engine.answer({ question: "那2029年呢？", history: [{ q: "2027年要新开工改造多少个老旧小区？" }] });
    expect(fu.grade).toBe("answered");
    expect(fu.answer).toContain("1500个以上");
    expect(fu.answer).not.toContain("公里");
    expect(namesNewThing(analyzeQuery("那2029年呢？", loadVocabulary()))).toBe(false);
    expect(namesNewThing(analyzeQuery("那蔬菜呢？", loadVocabulary()))).toBe(true);
    // The second of the payments asked about before, and when: no thing of its own.
    expect(namesNewThing(analyzeQuery("那第二笔什么时候拨？", loadVocabulary()))).toBe(false);
  });
});

describe("an everyday word read through several plan terms", () => {
  it("weighs its terms as one thing when a figure's share of the question is measured", () => {
    const q = analyzeQuery("住家保姆能先试几天？", loadVocabulary());
    // 保姆 read as seven kinds of worker: had each counted, no figure could cover the question.
    const terms = ["家政服务员", "养老护理员", "保育员", "育婴员", "护工", "月嫂", "钟点工"];
    q.expansions = [{ phrase: "保姆", terms, weight: 0.5 }];
    const weights = new Map<string, number>([["住家", 1], ["试", 1], ...terms.map((t) => [t, 4] as [string, number])]);
    const text = "住家家政服务员可以约定不超过3日的试工期。";
    const unit = { doc: "d", ref: "article:19", kind: "article", label: "第十九条", heading: "", path: "", parents: [], children: [], text, source: { startLine: 1, endLine: 1, lines: [1] }, repairs: [] } as unknown as Unit;
    const figure = { metric: "住家家政服务员可以约定试工期", unit: "日", quote: "住家家政服务员可以约定不超过3日", index: 0, figure: "3日" };
    const top = [{ unit, score: 1, lexical: 1, lexicalRaw: 1, vector: 0, structural: false, coverage: 1, chunks: [] }];
    const found = matchFigures(q, top, { weights, figuresOf: () => [figure], maxIdf: 8 });
    expect(found.map((f) => f.figure.figure)).toEqual(["3日"]);
    expect(found[0]!.share).toBeGreaterThan(0.9);
  });
});

describe("a target stated in the text and again in an indicator table", () => {
  let kb: KnowledgeBase;
  let engine: AnswerEngine;
  beforeAll(async () => {
    ({ kb, engine } = await fixtureKb("prose-table"));
  });

  it("never offers the base of a rate (每10万人口, 每1名医师) as a figure of its own", () => {
    const doc = kb.docs[0]!;
    const figures = doc.units.flatMap((u) => kb.retriever.figuresOf(u).map((f) => f.figure));
    expect(figures).toContain("6.0名以上");
    expect(figures).not.toContain("10万人");
    expect(figures).not.toContain("1名");
  });

  it("answers with the text's figure, bound included, before the table's bare cell of the same amount", async () => {
    const r = await askChecked(kb, engine, "到2029年每10万人口精神科执业（助理）医师数要达到多少？");
    expect(r.grade).toBe("answered");
    expect(r.answer).toContain("6.0名以上");
    expect(r.citations[0]!.ref).toBe(kb.docs[0]!.units.find((u) => u.label === "一（一）" || u.heading === "主要目标")!.ref);
  });

  it("puts the text's figure before a table cell of the same amount that scores higher, not before another amount", () => {
    const q = analyzeQuery("精神科医师数要达到多少？", loadVocabulary());
    const weights = new Map<string, number>([["精神科", 4], ["医师", 3], ["达到", 0.5]]);
    const unitOf = (ref: string, kind: string, text: string) => ({ doc: "d", ref, kind, label: ref, heading: "", path: "", parents: [], children: [], text, source: { startLine: 1, endLine: 1, lines: [1] }, repairs: [] }) as unknown as Unit;
    const row = unitOf("annex:1/row:1", "row", "精神科医师数（名），2029年：6.0");
    const prose = unitOf("section:1", "section", "精神科医师数达到6.0名以上。");
    const cell = { metric: "精神科医师数（名）", unit: "名", quote: "精神科医师数（名），2029年：6.0", index: 0, figure: "6.0" };
    const stated = (figure: string) => ({ metric: "精神科医师数", unit: "名", quote: `精神科医师数达到${figure}`, index: 0, figure });
    const ranked = (u: Unit, rank: number) => ({ unit: u, score: 1 - rank / 10, lexical: 1, lexicalRaw: 1, vector: 0, structural: false, coverage: 1, chunks: [] });
    const top = [ranked(row, 0), ranked(prose, 1)];
    const same = matchFigures(q, top, { weights, figuresOf: (u) => (u === row ? [cell] : [stated("6.0名以上")]), maxIdf: 8 });
    expect(same.map((f) => f.figure.figure)).toEqual(["6.0名以上", "6.0"]);
    const other = matchFigures(q, top, { weights, figuresOf: (u) => (u === row ? [cell] : [stated("5.5名以上")]), maxIdf: 8 });
    expect(other[0]!.figure.figure).toBe("6.0");
  });

  it("still answers a year only the table gives from the table", async () => {
    const r = await askChecked(kb, engine, "2027年精神科床位数要达到多少万张？");
    expect(r.answer).toContain("4.3");
  });
});

describe("a resident who gives their age, a price and a per-meal rate", () => {
  let kb: KnowledgeBase;
  let engine: AnswerEngine;
  beforeAll(async () => {
    ({ kb, engine } = await fixtureKb("restart-items"));
  });

  it("answers with the tier the asker's age is in (70周岁以上 3元 at 75; 80周岁以上 5元 first at 85), a per-meal word being no topic", async () => {
    const at75 = await askChecked(kb, engine, "我今年75岁，在社区助餐点吃饭，每顿饭政府补贴多少？");
    expect(at75.grade).toBe("answered");
    expect(at75.answer).toContain("3元");
    expect(at75.answer).not.toContain("5元");
    const at85 = await askChecked(kb, engine, "我奶奶85岁了，在助餐点吃饭每餐补贴多少？");
    expect(at85.answer.indexOf("5元")).toBeGreaterThanOrEqual(0);
    expect(at85.answer.indexOf("5元")).toBeLessThan(at85.answer.indexOf("3元"));
  });

  it("does not answer what a thing costs with a share of a grant, and reads 补多少 as money", async () => {
    const pork = await engine.answer({ question: "农贸市场现在猪肉多少钱一斤？" });
    expect(pork.grade).not.toBe("answered");
    expect(pork.answer).not.toContain("30%");
    const vocab = loadVocabulary();
    expect([...askedClasses(analyzeQuery("改造一个农贸市场最多补多少？", vocab))]).toContain("money");
    expect([...askedClasses(analyzeQuery("要补多少个托位？", vocab))]).not.toContain("money");
  });
});

describe("a number to call", () => {
  it("answers 联系电话是多少 with the number the plan prints, quoted, and never with an amount", async () => {
    const { kb, engine } = await fixtureKb("restart-items");
    const r = await askChecked(kb, engine, "民生实事有问题找谁反映，联系电话是多少？");
    expect(r.grade).toBe("answered");
    expect(r.answer).toContain("0571-86012345");
    expect(r.answer).not.toContain("。〔");
    expect(asksContact("心理援助热线号码是多少？")).toBe(true);
    expect(asksContact("What is the phone number for complaints?")).toBe(true);
    expect(asksContact("热线24小时接通率是多少")).toBe(false);
  });

  it("says the plan prints none rather than offering a count beside the word 热线", async () => {
    const { kb, engine } = await fixtureKb("restart-items");
    const r = await engine.answer({ question: "公交服务热线号码是多少？" });
    expect(r.grade).not.toBe("answered");
    expect(r.answer).not.toMatch(/15条/);
  });
});
