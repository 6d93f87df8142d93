import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadPlanFile } from "../../src/plan/load.js";
import { parsePlan } from "../../src/plan/parse.js";
import type { Unit } from "../../src/plan/types.js";
import { extractTargets, extractTargetsFromUnit } from "../../src/targets/extract.js";
import { Target } from "../../src/targets/types.js";
import { FIXTURES, SEED_FILE } from "../helpers.js";

interface Expected {
  ref: string;
  /** A key substring of the metric. */
  metric: string;
  value: number;
  unit: string;
  qualifier: string;
}
const fixture = JSON.parse(readFileSync(join(FIXTURES, "targets.json"), "utf8")) as { doc: string; targets: Expected[] };

/** A one-unit document for synthetic sentences. */
const unitOf = (text: string): Unit => ({
  doc: "synthetic", ref: "task:1", kind: "task", number: 1, label: "第1项", heading: "", path: "第1项",
  parents: [], children: [], text, source: { startLine: 1, endLine: 1, lines: [1] }, repairs: [],
});
const read = (text: string) => extractTargetsFromUnit(unitOf(text)).map(({ metric, value, unit, qualifier }) => ({ metric, value, unit, qualifier }));
const t = (metric: string, value: number, unit: string, qualifier = "") => ({ metric, value, unit, qualifier });

/** Pairs each expected target with a distinct extracted one (same ref, value, unit; metric containing the key). */
function match(found: Target[], expected: Expected[]) {
  const used = new Set<number>();
  const missing: Expected[] = [];
  const pairs: Array<[Expected, Target]> = [];
  for (const e of expected) {
    const i = found.findIndex((f, j) => !used.has(j) && f.ref === e.ref && f.value === e.value && f.unit === e.unit && f.metric.includes(e.metric));
    if (i < 0) missing.push(e);
    else (used.add(i), pairs.push([e, found[i]!]));
  }
  return { missing, extra: found.filter((_, j) => !used.has(j)), pairs };
}

describe("the targets ledger of the Zhejiang 2026 plan", () => {
  const doc = loadPlanFile(SEED_FILE);
  const ledger = extractTargets(doc);
  const unit = (ref: string) => doc.units.find((u) => u.ref === ref)!;
  const { missing, extra, pairs } = match(ledger, fixture.targets);

  it("finds every target of the hand-built fixture, with the right ref, value and unit", () => {
    expect(fixture.targets.length).toBeGreaterThanOrEqual(55);
    expect(missing).toEqual([]);
  });

  it("finds nothing else", () => {
    expect(extra.map((x) => `${x.ref} ${x.metric} ${x.value}${x.unit}`)).toEqual([]);
    expect(ledger).toHaveLength(fixture.targets.length);
  });

  it("gives each target the plan's own hedge words", () => {
    for (const [e, f] of pairs) expect(`${f.metric}: ${f.qualifier}`).toBe(`${f.metric}: ${e.qualifier}`);
  });

  it("quotes every target verbatim from its unit, at its index, with the value in the quote", () => {
    for (const x of ledger) {
      expect(Target.parse(x)).toEqual(x);
      expect(unit(x.ref).text.slice(x.index!, x.index! + x.quote.length)).toBe(x.quote);
      expect(x.quote).toContain(`${x.value}${x.unit}`);
      expect(x.quote.length).toBeLessThan(80);
      expect(x).toMatchObject({ doc: doc.id, label: unit(x.ref).label });
    }
  });

  it("names each metric as a readable phrase, without hedges or punctuation", () => {
    for (const x of ledger) {
      expect(x.metric).toMatch(/[\u4e00-\u9fff].*[\u4e00-\u9fff].*[\u4e00-\u9fff]/);
      expect(x.metric).not.toMatch(/^(?:力争|争取|分别|达到|稳定在)|[，,。；、]$|分别/);
    }
    const metricOf = (value: number, unit: string, ref?: string) =>
      ledger.find((x) => x.value === value && x.unit === unit && (!ref || x.ref === ref))?.metric;
    expect(metricOf(125, "亿斤")).toBe("粮食产量");
    expect(metricOf(1950, "万吨")).toBe("蔬菜产量");
    expect(metricOf(92, "%", "task:15")).toBe("国家学前教育普及普惠县比例");
    expect(metricOf(15, "条")).toBe("建成单条产值超100亿元的“土特产”全产业链");
    expect(metricOf(2000, "人")).toBe("新增培育乡村产业“头雁”");
    expect(metricOf(2, "万宗")).toBe("新增盘活闲置农房");
  });

  it("keeps document order and dates the general goals to the year their paragraph names", () => {
    const order = doc.units.map((u) => u.ref);
    for (let i = 1; i < ledger.length; i++) {
      const [a, b] = [ledger[i - 1]!, ledger[i]!];
      expect(order.indexOf(a.ref) < order.indexOf(b.ref) || (a.ref === b.ref && a.index! <= b.index!)).toBe(true);
    }
    expect(ledger.filter((x) => x.ref === "part:1").map((x) => x.year)).toEqual([2026, 2026, 2026, 2026]);
    expect(ledger.filter((x) => x.ref !== "part:1" && x.year !== undefined)).toEqual([]);
  });

  it("applies the documented decisions on the ambiguous counts", () => {
    const at = (ref: string) => ledger.filter((x) => x.ref === ref).map((x) => `${x.value}${x.unit}`);
    expect(at("task:5")).toContain("7个"); // 持续推进7个大中型灌区建设和改造项目: a count of projects
    expect(at("section:10")).toEqual(["39项"]); // 两批39项经验做法: 39 practices, 两批 only groups them
    expect(at("task:12")).toEqual(["92.5%"]); // 3个“半小时交通圈”: a framework's name
    expect(at("task:7")).toEqual(["145条", "15条", "750家"]); // the 亿元 thresholds are not targets
  });
});

describe("the forms a target takes", () => {
  it("reads a value after its metric, with unit and hedges", () => {
    expect(read("新建高标准农田78万亩。")).toEqual([t("新建高标准农田", 78, "万亩")]);
    expect(read("全市常住人口城镇化率达到76.5%左右。")).toEqual([t("全市常住人口城镇化率", 76.5, "%", "达到、左右")]);
    expect(read("和美乡村覆盖率达到80%以上，生活污水纳厂处理率92%以上。")).toEqual([
      t("和美乡村覆盖率", 80, "%", "达到、以上"), t("生活污水纳厂处理率", 92, "%", "以上"),
    ]);
    expect(read("飞地项目可获收益分成超2亿元。")).toEqual([t("飞地项目可获收益分成", 2, "亿元", "超")]);
    expect(read("乡村地区累计建成5G基站13万个以上。")).toEqual([t("乡村地区累计建成5G基站", 13, "万个", "累计、以上")]);
    expect(read("建成城镇建设高质量样板400个左右。")).toEqual([t("建成城镇建设高质量样板", 400, "个", "左右")]);
  });

  it("reads a bare ratio with unit \"\"", () => {
    expect(read("城乡居民人均可支配收入比值缩小到1.8左右。")).toEqual([t("城乡居民人均可支配收入比值", 1.8, "", "缩小到、左右")]);
    expect(read("收入倍差控制在1.6以内。")).toEqual([t("收入倍差", 1.6, "", "控制在、以内")]);
  });

  it("reads a count before its noun, after a verb", () => {
    expect(read("辐射带动2000个以上周边村共同发展。")).toEqual([t("辐射带动周边村共同发展", 2000, "个", "以上")]);
    expect(read("为1万名退役军人提供就业帮扶。")).toEqual([t("为退役军人提供就业帮扶", 1, "万名")]);
    expect(read("继续为农民工随迁子女100%提供义务教育公办学位。")).toEqual([t("为农民工随迁子女提供义务教育公办学位", 100, "%", "继续")]);
  });

  it("splits two targets in one sentence and shares the subject across 分别", () => {
    expect(read("粮食播种面积、产量分别稳定在1530万亩以上和125亿斤以上。")).toEqual([
      t("粮食播种面积", 1530, "万亩", "分别、稳定在、以上"), t("粮食产量", 125, "亿斤", "分别、稳定在、以上"),
    ]);
    expect(read("蔬菜种植面积和产量分别稳定在980万亩、1950万吨以上。")).toEqual([
      t("蔬菜种植面积", 980, "万亩", "分别、稳定在、以上"), t("蔬菜产量", 1950, "万吨", "分别、稳定在、以上"),
    ]);
    expect(read("力争学前教育普惠县和义务教育均衡县比例分别达到92%和74%。")).toEqual([
      t("学前教育普惠县比例", 92, "%", "力争、分别、达到"), t("义务教育均衡县比例", 74, "%", "力争、分别、达到"),
    ]);
  });

  it("pairs thresholds with counts and ignores thresholds without a count", () => {
    expect(read("分别建成单条产值超10亿元、超100亿元的全产业链145条、15条，打造若干产值超500亿元、超1000亿元的全产业链。")).toEqual([
      t("建成单条产值超10亿元的全产业链", 145, "条", "分别"), t("建成单条产值超100亿元的全产业链", 15, "条", "分别"),
    ]);
  });

  it("shares a list's opening verb with every item", () => {
    expect(read("新增培育“浙农英才”200人、乡村产业“头雁”2000人、农创客4000人、现代“新农人”23万人。")).toEqual([
      t("新增培育“浙农英才”", 200, "人", "新增"), t("新增培育乡村产业“头雁”", 2000, "人", "新增"),
      t("新增培育农创客", 4000, "人", "新增"), t("新增培育现代“新农人”", 23, "万人", "新增"),
    ]);
    expect(read("新建现代农创园25个、青年入乡实践站点300个。")).toEqual([t("新建现代农创园", 25, "个"), t("新建青年入乡实践站点", 300, "个")]);
  });

  it("reads a rate per population without taking the denominator for a target", () => {
    expect(read("力争每万名老年人拥有持证养老护理员数达到26人。")).toEqual([t("每万名老年人拥有持证养老护理员数", 26, "人", "力争、达到")]);
  });

  it("reads Chinese numerals at the plan's scale", () => {
    expect(read("新建和改造提升高标准农田七十八万亩。")).toEqual([t("新建和改造提升高标准农田", 78, "万亩")]);
    expect(read("争取新增一个国家优势特色产业集群。")).toEqual([t("新增国家优势特色产业集群", 1, "个", "争取、新增")]);
    expect(read("垃圾分类处理率达到百分之九十。")).toEqual([t("垃圾分类处理率", 90, "%", "达到")]);
    expect(read("全省域实施闲置农房盘活行动，新增盘活两万宗以上。")).toEqual([t("新增盘活闲置农房", 2, "万宗", "新增、以上")]);
  });

  it("takes the target, not the baseline, from 由…提高到", () => {
    expect(read("集体经济年收入50万元以上的行政村占比由60%提高到75%。")).toEqual([t("集体经济年收入50万元以上的行政村占比", 75, "%", "提高到")]);
  });

  it("ignores names, labels, years and numbering that contain digits", () => {
    const labels = [
      "2.完善落实“1+3”帮扶机制", "迭代完善“141”基层治理体系", "深入实施乡村人才“1111”行动", "打造智慧农业2.0版",
      "完善“30分钟职业技能培训圈”和“15分钟品质文化生活圈”", "推进县域3个“半小时交通圈”建设", "深入学习贯彻党的二十大精神",
      "有效衔接“十五五”规划", "开展第四次全国农业普查工作", "选派第二批文化特派员", "构建省市县三级服务体系",
      "完善党建引领“四治融合”机制", "深入推进“六大工程”和“三大行动”", "切实做好2026年度工作", "深化“万企兴万村”",
      "推进巾帼“共富工坊”百千万行动", "深入实施千万农民素质提升工程", "培育百亿级产业", "建设一批重点项目",
      "做深做好“强城”“兴村”“融合”三篇文章", "打造若干产值超500亿元的全产业链", "推广G60科创走廊经验",
    ];
    expect(read(`${labels.join("，")}。`)).toEqual([]);
    expect(read("“15分钟亲水圈”覆盖率达到90%。")).toEqual([t("“15分钟亲水圈”覆盖率", 90, "%", "达到")]);
    // A quote left open by damaged text hides only its own sentence.
    expect(read("完善“帮扶机制。新建基站100个。")).toEqual([t("新建基站", 100, "个")]);
  });
});

describe("a second plan, written for this test", () => {
  const text = [
    "某县2027年共同富裕工作要点",
    "一、主要目标",
    "到2027年底，全县农村居民人均可支配收入增长7%以上，城乡居民收入倍差控制在1.6以内，村级集体经济年经营性收入50万元以上的行政村占比由60%提高到75%。",
    "二、重点任务",
    "（一）推进乡村建设",
    "1.改善农村人居环境。新建农村公路一百二十公里，改造农村危房三千户，农村生活垃圾分类处理率保持在百分之九十五以上。实施“五水共治”和“三改一拆”，打造15分钟便民生活圈。",
    "2.培育乡村人才。力争培育高素质农民1200名、农村实用人才带头人300名，选派第三批科技特派员80人以上。",
    "（二）发展特色产业",
    "3.壮大主导产业。分别培育年产值超5亿元、超10亿元的特色产业集群4个、2个，茶叶和水果种植面积分别稳定在12万亩和8.5万亩左右。构建县乡村三级物流体系，推广G60科创走廊经验。",
  ].join("\n");
  const doc = parsePlan(text, "county-2027-plan.txt");
  const ledger = extractTargets(doc);

  it("reads its targets with the same rules", () => {
    const expected: Expected[] = [
      { ref: "part:1", metric: "农村居民人均可支配收入增长", value: 7, unit: "%", qualifier: "以上" },
      { ref: "part:1", metric: "城乡居民收入倍差", value: 1.6, unit: "", qualifier: "控制在、以内" },
      { ref: "part:1", metric: "行政村占比", value: 75, unit: "%", qualifier: "提高到" },
      { ref: "task:1", metric: "农村公路", value: 120, unit: "公里", qualifier: "" },
      { ref: "task:1", metric: "农村危房", value: 3000, unit: "户", qualifier: "" },
      { ref: "task:1", metric: "农村生活垃圾分类处理率", value: 95, unit: "%", qualifier: "保持在、以上" },
      { ref: "task:2", metric: "培育高素质农民", value: 1200, unit: "名", qualifier: "力争" },
      { ref: "task:2", metric: "培育农村实用人才带头人", value: 300, unit: "名", qualifier: "力争" },
      { ref: "task:2", metric: "科技特派员", value: 80, unit: "人", qualifier: "以上" },
      { ref: "task:3", metric: "年产值超5亿元的特色产业集群", value: 4, unit: "个", qualifier: "分别" },
      { ref: "task:3", metric: "年产值超10亿元的特色产业集群", value: 2, unit: "个", qualifier: "分别" },
      { ref: "task:3", metric: "茶叶种植面积", value: 12, unit: "万亩", qualifier: "分别、稳定在、左右" },
      { ref: "task:3", metric: "水果种植面积", value: 8.5, unit: "万亩", qualifier: "分别、稳定在、左右" },
    ];
    const { missing, extra, pairs } = match(ledger, expected);
    expect(missing).toEqual([]);
    expect(extra).toEqual([]);
    for (const [e, f] of pairs) expect(f.qualifier).toBe(e.qualifier);
    expect(ledger.filter((x) => x.ref === "part:1").every((x) => x.year === 2027)).toBe(true);
    for (const x of ledger) expect(doc.units.find((u) => u.ref === x.ref)!.text.slice(x.index!)).toMatch(new RegExp(`^${x.quote.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
  });
});
