import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { createAnswerEngine, type AnswerEngine } from "../../src/answer/engine.js";
import { englishFigureParts, figureParts, figuresForParts } from "../../src/answer/figure-parts.js";
import type { Unit } from "../../src/plan/types.js";
import { openKnowledgeBase } from "../../src/knowledge.js";
import { FIXTURES } from "../helpers.js";
import { memoryLogger, sharedKb, testConfig, testEngine } from "../support/kb.js";

describe("a question that asks several figures", () => {
  it("splits into the parts that each ask one", () => {
    expect(figureParts("今年新建幼儿园多少所、新增学位多少个")).toEqual(["今年新建幼儿园多少所", "新增学位多少个"]);
    expect(figureParts("农村公路和绿道的目标分别是多少")).toEqual(["农村公路", "绿道"]);
    expect(figureParts("老旧小区改造多少个？")).toEqual([]);
    expect(figureParts("污水处理率、垃圾分类覆盖率分别要达到多少")).toEqual(["污水处理率", "垃圾分类覆盖率"]);
    expect(figureParts("教师要有几年企业经历？从哪年起不招应届生？")).toEqual(["教师要有几年企业经历", "从哪年起不招应届生"]);
    expect(figureParts("什么时候开工？哪年完工？")).toEqual([]);
    expect(figureParts("新建小区配建用房的标准是多少？老小区呢？")).toEqual(["新建小区配建用房的标准是多少", "老小区呢"]);
    // Either of two figures (…3个以上小区，或者总建筑面积10万平方米以上).
    expect(figureParts("片区改造项目要涉及几个小区或多大建筑面积？")).toEqual(["片区改造项目要涉及几个小区", "多大建筑面积"]);
    // A measure asked (几本) and a span asked (多久) are parts too.
    expect(figureParts("在图书馆借书，一次能借几本？能借多久？")).toEqual(["一次能借几本", "能借多久"]);
  });

  // A library's lending rules and its reading spaces, as one unit each.
  const lending = "每证每次可借图书不超过20册，借期30天，可续借1次；地级以上市公共图书馆每周开放时间不少于72小时；每个乡镇分馆馆藏图书不少于3000册、年更新比例不低于10%。";
  const at = (q: string) => lending.indexOf(q);
  const lendingUnit = { doc: "d", ref: "section:9", text: lending } as Unit;
  const lendingFigures = () => [
    { metric: "每证每次可借图书", unit: "册", quote: "每证每次可借图书不超过20册", index: at("每证每次"), figure: "20册" },
    { metric: "每证每次可借图书不超过20册借期", unit: "天", quote: "借期30天", index: at("借期"), figure: "30天" },
    { metric: "可续借", unit: "次", quote: "可续借1次", index: at("可续借"), figure: "1次" },
    { metric: "地级以上市公共图书馆每周开放时间", unit: "小时", quote: "地级以上市公共图书馆每周开放时间不少于72小时", index: at("地级以上市"), figure: "72小时" },
    { metric: "每个乡镇分馆馆藏图书", unit: "册", quote: "每个乡镇分馆馆藏图书不少于3000册", index: at("每个乡镇"), figure: "3000册" },
    { metric: "年更新比例", unit: "%", quote: "年更新比例不低于10%", index: at("年更新"), figure: "10%" },
  ];

  it("keeps what a part measures (比例) when it drops its asking words, and counts 几本 in 册", () => {
    const found = figuresForParts("乡镇分馆至少要有多少册藏书？每年更新比例多少？", [lendingUnit], lendingFigures);
    expect(found.map((f) => f.figure.figure)).toEqual(["3000册", "10%"]);
    const lend = figuresForParts("一次能借几本？能借多久？", [lendingUnit], lendingFigures);
    expect(lend.map((f) => f.figure.figure)).toEqual(["20册", "30天"]);
  });

  it("reads a figure that ends its clause as its measure (可容纳18.6万人 answers 能容纳多少人), and a measure before a noun as counting it", () => {
    const text = "全市共建有避灾安置场所1260个，可容纳18.6万人。每个乡镇（街道）至少建有1个标准化避灾安置场所，可容纳人数不少于200人。";
    const unit = { doc: "d", ref: "section:5", text } as Unit;
    const figuresOf = () => [
      { metric: "全市共建有避灾安置场所", unit: "个", quote: "全市共建有避灾安置场所1260个", index: 0, figure: "1260个" },
      { metric: "可容纳", unit: "万人", quote: "可容纳18.6万人", index: text.indexOf("可容纳18"), figure: "18.6万人" },
      { metric: "标准化避灾安置场所", unit: "个", quote: "每个乡镇（街道）至少建有1个标准化避灾安置场所", index: text.indexOf("每个乡镇"), figure: "1个" },
      { metric: "可容纳人数", unit: "人", quote: "可容纳人数不少于200人", index: text.indexOf("可容纳人数"), figure: "200人" },
    ];
    const found = figuresForParts("全市一共有多少个避灾安置场所，能容纳多少人？", [unit], figuresOf);
    expect(found.map((f) => f.figure.figure)).toEqual(["1260个", "18.6万人"]);
  });

  it("answers a follow-on by its own words, which may open the figure's sentence (合伙创业…的，…最高300万元)", () => {
    const text = "青年人才在徐创业的，可申请最高50万元个人创业担保贷款；合伙创业或组织起来共同创业的，贷款额度可按符合条件的人数合并计算，最高300万元。";
    const unit = { doc: "d", ref: "section:18", text } as Unit;
    const figuresOf = () => [
      { metric: "申请最高", unit: "万元", quote: "可申请最高50万元个人创业担保贷款", index: text.indexOf("可申请"), figure: "50万元" },
      { metric: "贷款额度可按符合条件的人数合并计算最高", unit: "万元", quote: "最高300万元", index: text.indexOf("最高300"), figure: "300万元" },
    ];
    const found = figuresForParts("个人创业担保贷款最高能贷多少？合伙创业的呢？", [unit], figuresOf);
    expect(found.map((f) => f.figure.figure)).toEqual(["50万元", "300万元"]);
  });

  it("gives a part asking money by a verb (每个奖多少) the unit's money figure closest to its words", () => {
    const text = "每年评选“最美阅读空间”50个，图书馆每年向每个阅读空间更新图书不少于500册，由省级财政给予每个10万元奖励，对社会力量运营的给予20万元以内补助。";
    const unit = { doc: "d", ref: "section:2", text } as Unit;
    const figuresOf = () => [
      { metric: "每年评选“最美阅读空间”", unit: "个", quote: "每年评选“最美阅读空间”50个", index: 0, figure: "50个" },
      { metric: "图书馆每年向每个阅读空间更新图书", unit: "册", quote: "图书馆每年向每个阅读空间更新图书不少于500册", index: text.indexOf("图书馆"), figure: "500册" },
      { metric: "对社会力量运营的给予", unit: "万元", quote: "对社会力量运营的给予20万元以内补助", index: text.indexOf("对社会"), figure: "20万元以内" },
      { metric: "由省级财政给予每个", unit: "万元", quote: "由省级财政给予每个10万元奖励", index: text.indexOf("由省级"), figure: "10万元" },
    ];
    const found = figuresForParts("“最美阅读空间”每年评几个，每个奖多少？", [unit], figuresOf);
    expect(found.map((f) => f.figure.figure)).toEqual(["50个", "10万元"]);
  });

  it("asks a part that names no measure (市级出多少) in the measure of the part before it (补助多少钱)", () => {
    const text = "对加装电梯的，市县两级财政每部补助15万元，其中市级财政承担8万元。全年新开工加装电梯300部。";
    const unit = { doc: "d", ref: "task:1", text } as Unit;
    const figuresOf = () => [
      { metric: "对加装电梯的市县两级财政每部补助", unit: "万元", quote: "市县两级财政每部补助15万元", index: text.indexOf("市县"), figure: "15万元" },
      { metric: "其中市级财政承担", unit: "万元", quote: "其中市级财政承担8万元", index: text.indexOf("其中"), figure: "8万元" },
      { metric: "全年新开工加装电梯", unit: "部", quote: "全年新开工加装电梯300部", index: text.indexOf("全年"), figure: "300部" },
    ];
    const found = figuresForParts("加装电梯市县两级每部补助多少钱？市级出多少？", [unit], figuresOf);
    expect(found.map((f) => f.figure.figure)).toEqual(["15万元", "8万元"]);
  });

  it("gives a part whose words the clause does not repeat the best unit's figure of the measure it asks in (a fine is money)", () => {
    const text = "未取得养犬登记证饲养犬只的，由公安机关责令限期15日内补办登记；逾期不补办的，对个人处500元以上1000元以下罚款。";
    const unit = { doc: "d", ref: "article:62", text } as Unit;
    const figuresOf = () => [
      { metric: "由公安机关责令限期补办登记", unit: "日", quote: "由公安机关责令限期15日内补办登记", index: text.indexOf("由公安"), figure: "15日内" },
      { metric: "对个人处罚款", unit: "元", quote: "对个人处500元以上1000元以下罚款", index: text.indexOf("对个人"), figure: "500元以上1000元以下" },
    ];
    const found = figuresForParts("没办登记证就养狗，个人会被罚多少？补办期限多长？", [unit], figuresOf);
    expect(found.map((f) => f.figure.figure).sort()).toEqual(["15日内", "500元以上1000元以下"]);
  });

  it("matches a part to its figure however the period and the bound are worded (一年最多 → 全年累计不超过)", () => {
    const unit = { doc: "d", ref: "section:3", text: "发放托育服务券，每名婴幼儿每月500元，全年累计不超过6000元。" } as Unit;
    const figuresOf = () => [
      { metric: "发放托育服务券，每名婴幼儿每月", unit: "元", quote: "发放托育服务券，每名婴幼儿每月500元", index: 0, figure: "500元" },
      { metric: "全年累计不超过", unit: "元", quote: "全年累计不超过6000元", index: 20, figure: "6000元" },
    ];
    const found = figuresForParts("托育服务券每月面额多少，一年最多多少？", [unit], figuresOf);
    expect(found.map((f) => f.figure.figure)).toEqual(["500元", "6000元"]);
  });

  let engine: AnswerEngine;
  beforeAll(async () => {
    const kb = await openKnowledgeBase({ config: testConfig({ SEEDS_DIR: join(FIXTURES, "affinity") }), logger: memoryLogger().logger, persist: false });
    engine = createAnswerEngine({ kb, config: testConfig(), logger: memoryLogger().logger });
  });

  it("answers each part with its own figure, each cited", async () => {
    const r = await engine.answer({ question: "清溪县今年新改建农村公路多少公里？新增公交线路多少条？" });
    expect(r.answer).toContain("50公里");
    expect(r.answer).toContain("6条");
    const r2 = await engine.answer({ question: "清溪县老旧小区改造和加装电梯的目标各是多少" });
    expect(r2.answer).toContain("12个");
    expect(r2.answer).toContain("40部");
    for (const c of [...r.citations, ...r2.citations]) expect(c.doc).toBe("broad-county");
  });
});

describe("English questions asking several figures", () => {
  const read = (part: string) => (/project/.test(part) ? ["实施项目"] : /invest/.test(part) ? ["年度计划投资"] : /share|fast/.test(part) ? ["快充"] : []);

  it("reads each ask into the plans' terms and its measure in Chinese", () => {
    expect(englishFigureParts("How many projects and how much planned annual investment is Zhejiang aiming for?", read)).toBe("实施项目多少？年度计划投资资金多少");
    expect(englishFigureParts("How many projects are planned, and what share should be DC fast chargers?", read)).toBe("实施项目多少？快充比例多少");
  });

  it("leaves a question of one ask, or with a part no plan term reads, as one ask", () => {
    expect(englishFigureParts("How many projects are planned in 2026?", read)).toBeUndefined();
    expect(englishFigureParts("How many projects and how many key specialty groups?", read)).toBeUndefined();
  });

  it("answers both figures of the seed's English two-figure question", async () => {
    const [kb, engine] = [await sharedKb(), await testEngine()];
    const r = await engine.answer({ question: "How many projects and how much planned annual investment is Zhejiang aiming for to support the work on narrowing the 'three gaps'?" });
    expect(r.answer).toContain("2000个以上");
    expect(r.answer).toContain("2500亿元以上");
    expect(kb.docs.length).toBe(1);
  });
});
