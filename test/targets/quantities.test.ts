import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parsePlan } from "../../src/plan/parse.js";
import type { Unit } from "../../src/plan/types.js";
import { extractTargets } from "../../src/targets/extract.js";
import { extractQuantities, Quantity } from "../../src/targets/quantities.js";
import { FIXTURES, seedPlan } from "../helpers.js";

/** A one-unit document for synthetic sentences. */
const unitOf = (text: string): Unit => ({
  doc: "synthetic", ref: "task:1", kind: "task", number: 1, label: "第1项", heading: "", path: "第1项",
  parents: [], children: [], text, source: { startLine: 1, endLine: 1, lines: [1] }, repairs: [],
});
const quantities = (text: string) => extractQuantities(unitOf(text));
const one = (text: string, figure: string) => {
  const q = quantities(text).find((x) => x.figure === figure);
  expect(q, `${figure} in ${text}`).toBeDefined();
  return q!;
};

describe("a plan written for this test, with every kind of figure", () => {
  const doc = parsePlan(readFileSync(join(FIXTURES, "quantities-plan.txt"), "utf8"), "quantities-plan.txt");
  const all = doc.units.flatMap((u) => extractQuantities(u));
  const byFigure = (figure: string) => {
    const q = all.find((x) => x.figure === figure);
    expect(q, figure).toBeDefined();
    return q!;
  };
  type Want = Partial<Pick<Quantity, "value" | "high" | "unit" | "kind" | "bound" | "role" | "base">> & { metric?: string };
  const expectations: Array<[string, Want]> = [
    ["95%以上", { value: 95, unit: "%", kind: "percent", bound: ">=", role: "goal", metric: "全市社区养老服务设施覆盖率" }],
    ["120个", { value: 120, unit: "个", kind: "count", bound: "=", role: "goal", metric: "社区食堂" }],
    ["三千人次", { value: 3000, unit: "人次", kind: "count", role: "goal", metric: "培训养老护理员" }],
    ["40张", { value: 40, unit: "张", bound: ">=", role: "goal", metric: "每千名老年人拥有养老床位数" }],
    ["三年左右", { value: 3, unit: "年", kind: "duration", bound: "~", role: "goal", metric: "养老服务体系" }],
    ["4个", { value: 4, unit: "个", role: "goal", metric: "区" }],
    ["15个左右", { value: 15, unit: "个", bound: "~", role: "goal", metric: "区域养老服务中心" }],
    ["50张以上", { value: 50, unit: "张", role: "condition" }],
    ["20张", { value: 20, unit: "张", role: "condition" }],
    ["2年以上", { value: 2, unit: "年", kind: "duration", bound: ">=", role: "condition" }],
    ["40学时", { value: 40, unit: "学时", bound: ">=", role: "goal", metric: "护理员每年参加培训" }],
    ["90%", { value: 90, unit: "%", role: "goal", metric: "持证上岗率" }],
    ["1.5亿元", { value: 1.5, unit: "亿元", kind: "money", role: "goal", metric: "市级财政每年安排资金" }],
    ["55%", { value: 55, unit: "%", bound: ">=", role: "goal", base: "本级福利彩票公益金", metric: "用于养老服务" }],
    ["200—300元", { value: 200, high: 300, unit: "元", kind: "money", bound: "range", role: "goal", metric: "运营补贴标准" }],
    ["两批", { value: 2, unit: "批", role: "other" }],
    ["18个", { value: 18, unit: "个", role: "goal", metric: "街道" }],
    ["15分钟", { role: "other" }],
    ["80%", { value: 80, role: "goal", metric: "“15分钟养老服务圈”覆盖率" }],
    ["5个工作日内", { value: 5, unit: "个工作日", kind: "duration", bound: "<=", role: "goal", metric: "养老机构备案办结" }],
    ["七成以内", { value: 7, unit: "成", kind: "percent", bound: "<=", role: "goal", base: "市场价格", metric: "助餐服务价格" }],
    ["百分之九十以上", { value: 90, unit: "%", bound: ">=", role: "goal", metric: "服务满意度" }],
    ["某政办发〔2027〕15号", { value: 15, role: "docnumber" }],
    ["2027年3月8日", { value: 2027, kind: "date", role: "date" }],
    ["2029年", { role: "date" }],
    ["2027年6月底", { role: "date" }],
    ["（一）", { value: 1, role: "numbering" }],
    ["1.", { value: 1, role: "numbering" }],
  ];

  it.each(expectations)("reads %s", (figure, want) => {
    const q = byFigure(figure);
    const { metric, ...rest } = want;
    expect(q).toMatchObject(rest);
    if (metric) expect(q.metric).toContain(metric);
  });

  it("reads nothing else as a quantity (一次性, 第二批, 城乡一体 are words)", () => {
    const figures = all.map((q) => q.figure);
    expect(figures).not.toContain("一次");
    expect(all.filter((q) => q.figure === "二批").map((q) => q.role)).toEqual(["numbering"]);
    const known = new Set(expectations.map(([f]) => f));
    expect(all.filter((q) => q.role === "goal" && !known.has(q.figure)).map((q) => q.figure)).toEqual([]);
  });

  it("quotes every quantity verbatim at its offsets, and is valid against its schema", () => {
    for (const q of all) {
      const unit = doc.units.find((u) => u.ref === q.ref)!;
      expect(Quantity.parse(q)).toEqual(q);
      expect(unit.text.slice(q.start, q.end)).toBe(q.figure);
      expect(unit.text.slice(q.quoteStart, q.quoteStart + q.quote.length)).toBe(q.quote);
      expect(q.quoteStart <= q.start && q.end <= q.quoteStart + q.quote.length).toBe(true);
      expect(q.reason).not.toBe("");
    }
  });

  it("keeps in the ledger the goals only", () => {
    const ledger = extractTargets(doc);
    expect(ledger).toHaveLength(all.filter((q) => q.role === "goal").length);
    const range = ledger.find((t) => t.value === 200)!;
    expect(range).toMatchObject({ high: 300, unit: "元", bound: "range", figure: "200—300元", metric: "运营补贴标准" });
    for (const t of ledger) expect(t.quote.length).toBeGreaterThan(0);
  });
});

describe("the forms a quantity takes", () => {
  it("reads ranges in Arabic and Chinese numerals", () => {
    expect(one("按年度用量的60%—70%估算采购量。", "60%—70%")).toMatchObject({ value: 60, high: 70, unit: "%", bound: "range", base: "年度用量" });
    expect(one("在2—3年内调整到位。", "2—3年内")).toMatchObject({ value: 2, high: 3, unit: "年", kind: "duration", bound: "range" });
    expect(one("用两到三年完成改造。", "两到三年")).toMatchObject({ value: 2, high: 3, unit: "年" });
    expect(one("每户补助1万—2万元。", "1万—2万元")).toMatchObject({ value: 1, high: 2, unit: "万元", kind: "money" });
  });

  it("reads bounds before and after the figure", () => {
    expect(one("预付资金不低于合同金额的30%。", "30%")).toMatchObject({ bound: ">=", base: "合同金额", qualifier: "不低于" });
    expect(one("办理时限不超过5天。", "5天")).toMatchObject({ bound: "<=", kind: "duration", metric: "办理时限" });
    expect(one("培育龙头企业10余家。", "10余家")).toMatchObject({ value: 10, unit: "家", bound: ">" });
    expect(one("覆盖率超过三分之一。", "三分之一")).toMatchObject({ unit: "%", bound: ">" });
    expect(one("每名教师每年至少1个月到企业实践。", "1个月")).toMatchObject({ unit: "个月", bound: ">=", kind: "duration" });
    expect(one("新增就业1.5万人左右。", "1.5万人左右")).toMatchObject({ value: 1.5, unit: "万人", bound: "~", metric: "新增就业" });
  });

  it("stores durations with their whole unit", () => {
    expect(one("实习时间一般为6个月。", "6个月")).toMatchObject({ value: 6, unit: "个月", kind: "duration", metric: "实习时间" });
    expect(one("合同周期为两年。", "两年")).toMatchObject({ value: 2, unit: "年", metric: "合同周期" });
  });

  it("reads counts with any measure word, before or after their noun", () => {
    expect(one("建立100个“名师”工作室。", "100个")).toMatchObject({ metric: "“名师”工作室", role: "goal" });
    expect(one("修订十五条实施细则。", "十五条")).toMatchObject({ value: 15, unit: "条", metric: "实施细则" });
    expect(one("选择甲、乙、丙3个县开展试点。", "3个")).toMatchObject({ metric: "县" });
    expect(one("建设50所示范学校和150个骨干专业。", "50所").metric).not.toContain("150");
    expect(one("建设50所示范学校和150个骨干专业。", "150个")).toMatchObject({ metric: "骨干专业", quote: "150个骨干专业" });
  });

  it("tells conditions, descriptions and rates from goals", () => {
    expect(one("申报企业在5家及以上的，采取竞争方式。", "5家及以上")).toMatchObject({ role: "condition", bound: ">=" });
    expect(one("从具有3年以上工作经历的人员中招聘。", "3年以上").role).toBe("condition");
    expect(one("支持年营收超1亿元的企业。", "1亿元").role).toBe("condition");
    expect(one("城乡是两种不同类型。", "两种").role).toBe("other");
    expect(one("每5年修订1次目录。", "5年").role).toBe("other");
    expect(one("每5年修订1次目录。", "1次").role).toBe("goal");
    expect(one("由60%提高到75%。", "60%").role).toBe("other");
  });

  it("leaves words that hold numerals alone", () => {
    for (const text of ["统一规划，一体推进。", "加强二次污染管控。", "开展新一轮改革。", "建设一批示范项目。", "实施一次性奖励。", "推广G60经验和5G应用。", "落实“十五五”规划。"]) {
      expect(quantities(text).filter((q) => q.role === "goal"), text).toEqual([]);
    }
  });

  it("reads dates, document numbers and numbering as such", () => {
    expect(one("国办发〔2019〕4号", "国办发〔2019〕4号")).toMatchObject({ role: "docnumber", value: 4 });
    expect(one("2021年3月底前完成评估。", "2021年3月底")).toMatchObject({ role: "date", value: 2021 });
    expect(one("2020年初步建成300个集团。", "300个")).toMatchObject({ role: "goal", year: 2020 });
    expect(one("选派第二批特派员。", "二批").role).toBe("numbering");
  });

  it("is linear: four times the text takes about four times as long", () => {
    const sentence = "新建社区食堂120个，覆盖率达到95%以上，按不低于金额的30%预付。";
    const time = (n: number) => {
      const t0 = performance.now();
      expect(quantities(sentence.repeat(n))).toHaveLength(3 * n);
      return performance.now() - t0;
    };
    time(300); // warm-up
    const [small, large] = [time(500), time(2000)];
    // A quadratic pass would take 16 times as long.
    expect(large / small).toBeLessThan(10);
  });
});

describe("the seed plan", () => {
  it("has as many goals as its ledger has targets", () => {
    const doc = seedPlan();
    const goals = doc.units.flatMap((u) => extractQuantities(u)).filter((q) => q.role === "goal");
    expect(goals).toHaveLength(extractTargets(doc).length);
  });
});

describe("ratios", () => {
  it("reads 1∶10, 1:20 and named ratios as one figure each, verbatim, and a clock time as a time of day", () => {
    const qs = extractQuantities(unitOf("护理人员与老年人配比不低于1∶10，照护失能老年人的不低于1∶4。师生比达到1:20左右。课后服务一般不早于17:30结束。"));
    expect(qs.filter((q) => q.role !== "date").map((q) => q.figure)).toEqual(["1∶10", "1∶4", "1:20左右"]);
    expect(qs.filter((q) => q.role === "date").map((q) => q.figure)).toEqual(["17:30"]);
    expect(qs[0]!.metric).toContain("配比");
  });
});

describe("an indicator table", () => {
  it("reads each row as a unit, and a bare value in a target column as a goal in the measure the indicator names", () => {
    const text = [
      "某市2030年公园建设计划", "", "一、主要任务", "（一）建设口袋公园。推进口袋公园建设。", "",
      "附件", "某市2030年公园建设主要指标",
      "序号 | 指标名称 | 2029年基期值 | 2030年目标值 | 属性",
      "1 | 建设口袋公园（个） | 36 | 40以上 | 预期性",
      "2 | 公园绿地服务半径覆盖率（%） | 85 | 90 | 约束性",
    ].join("\n");
    const doc = parsePlan(text, "parks.txt");
    const rows = doc.units.filter((u) => u.kind === "row");
    expect(rows.map((u) => u.label)).toEqual(["附件序号1", "附件序号2"]);
    const qs = rows.flatMap((u) => extractQuantities(u));
    const goal = qs.find((q) => q.figure === "40以上")!;
    expect(goal).toMatchObject({ unit: "个", role: "goal", bound: ">=", year: 2030 });
    expect(rows[0]!.text).toContain(goal.quote);
    expect(qs.find((q) => q.figure === "90")).toMatchObject({ unit: "%", kind: "percent", role: "goal" });
    expect(qs.find((q) => q.figure === "36")?.role).toBe("other");
  });
});

describe("a year-by-year target table whose measure is a column of its own", () => {
  const text = [
    "某县基层医疗行动方案", "", "一、主要任务", "（一）提升服务能力。推进乡镇卫生院建设。", "",
    "附件1", "主要指标分年度目标表",
    "序号\t指标名称\t单位\t2026年基期值\t2027年\t2028年\t2029年\t指标属性",
    "1\t县域内就诊率\t%\t86.3\t88\t89\t90左右\t预期性",
    "2\t流动医疗服务车数量\t辆\t120\t200\t260\t300以上\t预期性",
    "", "附件2", "指标表", "序号\t指标名称\t2025年\t2030年\t属性", "1\t数字孪生覆盖率（%）\t20\t80\t预期性",
  ].join("\n");
  const doc = parsePlan(text, "yiliao.txt");
  const rows = doc.units.filter((u) => u.kind === "row");

  it("reads each year's cell in the row's own measure, as that year's target", () => {
    const qs = extractQuantities(rows[0]!);
    expect(qs.find((q) => q.figure === "89")).toMatchObject({ unit: "%", kind: "percent", role: "goal", year: 2028 });
    expect(qs.find((q) => q.figure === "90左右")).toMatchObject({ role: "goal", bound: "~", year: 2029 });
    expect(qs.find((q) => q.figure === "86.3")?.role).toBe("other");
    expect(extractQuantities(rows[1]!).find((q) => q.figure === "200")).toMatchObject({ unit: "辆", year: 2027, role: "goal" });
  });

  it("takes the first of two bare year columns for the base year when no column is named for it", () => {
    const qs = extractQuantities(rows[2]!);
    expect(qs.find((q) => q.figure === "20")?.role).toBe("other");
    expect(qs.find((q) => q.figure === "80")).toMatchObject({ role: "goal", year: 2030 });
  });
});

describe("a five-year plan's indicator table with cumulative values in brackets", () => {
  it("reads 〔15〕 under a year column as a total over the period, in the measure the indicator names", () => {
    const text = [
      "某省水利发展规划", "", "第一章　发展目标", "到2030年，节水水平明显提升。", "",
      "表1　主要指标", "指标 | 2025年 | 2030年 | 属性",
      "万元国内生产总值用水量下降率（%） | 〔16〕 | 〔15〕 | 约束性",
      "新增有效灌溉面积（万亩） | 〔90〕 | 〔120 | 预期性",
    ].join("\n");
    const rows = parsePlan(text, "shuili.txt").units.filter((u) => u.kind === "row");
    const qs = extractQuantities(rows[0]!);
    const goal = qs.find((q) => q.figure === "〔15〕")!;
    expect(goal).toMatchObject({ value: 15, unit: "%", kind: "percent", role: "goal", year: 2030, qualifier: "累计" });
    expect(rows[0]!.text).toContain(goal.quote);
    expect(qs.find((q) => q.figure === "〔16〕")?.role).toBe("other");
    // A bracket opened and never closed is no such cell.
    expect(extractQuantities(rows[1]!).map((q) => q.figure)).not.toContain("〔120");
  });
});

describe("an indicator table printed inside a box", () => {
  it("reads each line of the box's table as a row: its year cells are that year's targets, quoted from the line", () => {
    const text = [
      "某省文旅消费实施意见", "", "一、主要目标", "到2030年，文旅消费明显扩大。", "",
      "　　专栏1　某省文化和旅游消费主要指标", "",
      "指标名称│单位│2025年│2027年│2030年│属性",
      "接待游客总人次│亿人次│11.2│12.3│14.5│预期性",
      "等级民宿数量│家│870│1200│2000│预期性", "",
      "二、重点任务", "（一）发展夜间消费。培育夜间消费集聚区。",
    ].join("\n");
    const box = parsePlan(text, "wenlv.txt").units.find((u) => u.kind === "box")!;
    const qs = extractQuantities(box);
    const goal = qs.find((q) => q.figure === "2000")!;
    expect(goal).toMatchObject({ unit: "家", role: "goal", year: 2030 });
    expect(box.text.slice(goal.start, goal.end)).toBe("2000");
    expect(box.text).toContain(goal.quote);
    expect(qs.find((q) => q.figure === "11.2")?.role).toBe("other");
  });
});

describe("points of a score", () => {
  it("reads 12分 after Arabic digits, never 十分 (very) or a 分 that starts a word", () => {
    const figures = (text: string) => quantities(text).map((q) => q.figure);
    expect(figures("养犬人累计记分达到12分的，注销其养犬登记证。")).toContain("12分");
    expect(figures("这项工作十分重要，要在12分钟内响应。")).not.toContain("十分");
    expect(figures("这项工作十分重要，要在12分钟内响应。")).not.toContain("12分");
  });
});

describe("counts of containers and pieces", () => {
  it("reads 2瓶 and 2具 as counts, and 瓶装 or 具体 as none", () => {
    const figures = (text: string) => quantities(text).map((q) => q.figure);
    expect(figures("瓶装液化石油气存放量不得超过2瓶。")).toContain("2瓶");
    expect(figures("每50平方米至少配置2具4公斤以上ABC干粉灭火器。")).toContain("2具");
    expect(figures("第2具体要求如下。")).not.toContain("2具");
  });
});
