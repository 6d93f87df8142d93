import { describe, expect, it } from "vitest";
import { askChecked, fixtureKb, sharedKb, testEngine } from "../support/kb.js";

describe("grading: answered, closest or declined", () => {
  it("answers a figure the plan states", async () => {
    const r = await (await sharedKb()).retriever.retrieve("今年高标准农田要建多少？");
    expect(r.grade).toBe("answered");
    expect(r.figures[0]!.figure.quote).toContain("78万亩");
  });

  it("declines a figure the plan never states where it speaks of the topic, pointing to that unit without guessing", async () => {
    const r = await (await testEngine()).answer({ question: "高标准农田建设今年总共投多少钱" });
    expect(r.grade).toBe("declined");
    expect(r.abstained).toBe(true);
    expect(r.answer).toMatch(/^已载入的规划没有回答这个问题（规划提到了相关内容，但没有给出这个数字）/);
    expect(r.answer).toContain("第5项");
    // 78万亩 is an area, not the money asked for: it is not offered.
    expect(r.answer).not.toContain("78万亩");
  });

  it("answers a question that asks a bound from a bound the plan states in words, with no number to show", async () => {
    const { kb, engine } = await fixtureKb("invented-plans/dev4");
    const r = await askChecked(kb, engine, "用住房公积金付加装电梯的钱，最多能提取多少？");
    expect(r.grade).toBe("answered");
    expect(r.answer).toContain("提取总额不超过个人实际出资额");
    // Asked an amount, not a bound, the same plan still gives no figure.
    expect((await engine.answer({ question: "加装一部电梯总共要花多少钱？" })).grade).not.toBe("answered");
  });

  it.each(["杭州地铁票价多少钱？", "生二胎政府补贴多少钱", "下周杭州天气怎么样", "A股明天会涨吗"])("declines what no unit is about: %s", async (question) => {
    const r = await (await testEngine()).answer({ question });
    expect(r.grade).toBe("declined");
    expect(r.abstained).toBe(true);
  });

  it("never says 'no figure' while quoting a figure of the kind asked", async () => {
    const engine = await testEngine();
    let noFigureAnswers = 0;
    for (const question of ["高标准农田建设今年总共投多少钱", "养老护理员要多少人", "农村电商今年要卖多少钱", "乡村片区组团今年要建多少个"]) {
      const r = await engine.answer({ question });
      if (/没有给出/.test(r.answer)) {
        noFigureAnswers++;
        for (const c of r.citations) expect(c.quote, question).not.toMatch(/\d+(个|人|元|亿元|万元)/);
      }
    }
    // The first question states no money figure for its topic, so at least that answer takes this path.
    expect(noFigureAnswers).toBeGreaterThanOrEqual(1);
  });

  it("treats a rough number the asker gives about themselves as background, not a how-many question", async () => {
    const r = await (await sharedKb()).retriever.retrieve("我在丽水山里种了十几亩茶叶，山区县有扶持政策吗");
    expect(r.query.intent.quantity).toBe(false);
  });
});

describe("figure answers read every quantity of a unit, not only the targets ledger", () => {
  it("answers with a figure that is a condition or a duration, quoted verbatim", async () => {
    const { parsePlan } = await import("../../src/plan/parse.js");
    const { HybridRetriever } = await import("../../src/retrieve/retriever.js");
    const doc = parsePlan(
      ["教师队伍建设方案", "", "一、主要措施", "（一）实践锻炼。专业教师每年至少1个月在企业实训，落实教师5年一周期的全员轮训制度。", "（二）经费保障。生均拨款水平不低于12000元，并按不低于采购金额的30%预付。"].join("\n"),
      "teachers.txt",
      "h",
    );
    const retriever = new HybridRetriever({ docs: [doc] });
    const r = await retriever.retrieve("专业教师每年在企业实训多长时间");
    expect(r.grade).toBe("answered");
    expect(r.figures[0]!.figure.quote).toContain("1个月");
    const money = await retriever.retrieve("生均拨款要不低于多少钱");
    expect(money.figures[0]!.figure.quote).toContain("12000元");
  });
});

describe("when-questions", () => {
  it("answer with the date the unit states, even when the question also names 指标", async () => {
    const { parsePlan } = await import("../../src/plan/parse.js");
    const { HybridRetriever } = await import("../../src/retrieve/retriever.js");
    const doc = parsePlan(["试点方案", "", "一、主要任务", "（一）完善制度。2027年6月底前，研究建立以回收利用率为核心的评价指标体系。", "（二）开展评估。组织开展评估总结。"].join("\n"), "dates.txt", "h");
    const r = await new HybridRetriever({ docs: [doc] }).retrieve("评价指标体系要求什么时候之前建立起来？");
    expect(r.grade).toBe("answered");
    expect(r.figures[0]!.figure.quote).toContain("2027年6月底");
  });
});

describe("the thing a how-many question asks about", () => {
  it("does not answer with another figure when the plans never name the thing asked", async () => {
    const r = await (await testEngine()).answer({ question: "山区海岛县今年专项债额度是多少" });
    expect(r.grade).not.toBe("answered");
    expect(r.answer).not.toContain("2亿元");
  });

  it("still answers when the thing is the plan's own word", async () => {
    const r = await (await testEngine()).answer({ question: "高标准农田今年新建加改造一共多少亩" });
    expect(r.answer).toContain("78万亩");
  });
});

describe("the clause that asks", () => {
  it("is the one clause of several that asks a figure or a date; the others tell the asker's situation", async () => {
    const { analyzeQuery, askingClause } = await import("../../src/retrieve/query.js");
    const { loadVocabulary } = await import("../../src/retrieve/vocabulary.js");
    const vocab = loadVocabulary();
    expect(askingClause(analyzeQuery("家里老人腿脚不好，想在厕所装扶手，政府给补多少钱？", vocab))).toBe("政府给补多少钱");
    expect(askingClause(analyzeQuery("杭州地铁票价多少钱？", vocab))).toBeUndefined();
    expect(askingClause(analyzeQuery("补贴多少钱？要多久才发？", vocab))).toBeUndefined();
    // A story, then a question that asks no figure: its last clause is what is asked.
    expect(askingClause(analyzeQuery("我在山东，第一次在网上找医生看病，能直接给我开药吗？", vocab))).toBe("能直接给我开药吗");
  });

  it("where several clauses ask, leaves out the clauses in which the asker only tells their own situation", async () => {
    const { analyzeQuery, storyClauses } = await import("../../src/retrieve/query.js");
    const { loadVocabulary } = await import("../../src/retrieve/vocabulary.js");
    const vocab = loadVocabulary();
    expect(storyClauses(analyzeQuery("我在县人民医院看门诊，一年里自己要先掏多少钱才开始报？报几成？", vocab))).toEqual(["我在县人民医院看门诊"]);
    expect(storyClauses(analyzeQuery("我家孩子能报名吗？要交多少钱？", vocab))).toEqual([]);
    expect(storyClauses(analyzeQuery("门诊起付标准是多少？", vocab))).toEqual([]);
  });
});
