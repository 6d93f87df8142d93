import { describe, expect, it } from "vitest";
import { loadPlanFile } from "../../src/plan/load.js";
import { findUnit, matchesRef } from "../../src/plan/lookup.js";
import { parsePlan } from "../../src/plan/parse.js";
import { markTables } from "../../src/plan/tables.js";
import { classifyLine, cleanLine, type Line } from "../../src/plan/lines.js";
import type { PlanDocument, Unit } from "../../src/plan/types.js";
import { parseStructuralRefs } from "../../src/retrieve/structural.js";
import { FIXTURES } from "../helpers.js";

const load = (name: string) => loadPlanFile(`${FIXTURES}/layouts/${name}`);
const tree = (d: PlanDocument) => d.units.map((u) => [u.ref, u.label]);
const byLabel = (d: PlanDocument, label: string) => d.units.find((u) => u.label === label)!;
/** Every unit's text comes from its own lines; a unit's label and heading say what is printed. */
function sound(d: PlanDocument) {
  const refs = new Set(d.units.map((u) => u.ref));
  expect(refs.size).toBe(d.units.length);
  for (const u of d.units) for (const p of [...u.parents, ...u.children]) expect(refs.has(p), `${u.ref} → ${p}`).toBe(true);
}

describe("chapters, sections and boxes (五年规划)", () => {
  const d = load("lanxi-shuzi-guihua.txt");
  it("reads 第X章 with its title, 第X节 under it and labels them 第三章第二节", () => {
    sound(d);
    expect(d.units.filter((u) => u.kind === "chapter").map((u) => [u.ref, u.label, u.heading])).toEqual([
      ["chapter:1", "第一章", "发展基础"],
      ["chapter:2", "第二章", "总体要求"],
      ["chapter:3", "第三章", "夯实数字基础设施"],
      ["chapter:4", "第四章", "壮大数字产业集群"],
      ["chapter:5", "第五章", "保障措施"],
    ]);
    const s = byLabel(d, "第三章第二节");
    expect(s).toMatchObject({ ref: "subchapter:3.2", kind: "subchapter", heading: "布局集约高效的算力设施", parents: ["chapter:3"] });
    expect(s.path).toBe("第三章 夯实数字基础设施 › 第二节 布局集约高效的算力设施");
    expect(s.text).toContain("二是改造提升政务云平台");
    expect(byLabel(d, "第三章").children).toEqual(["subchapter:3.1", "subchapter:3.2"]);
  });

  it("makes each 专栏 a citable box inside its section, its 01 02 03 entries rows of it", () => {
    const box = byLabel(d, "专栏1");
    expect(box).toMatchObject({ ref: "box:1", kind: "box", heading: "数字基础设施重点工程", parents: ["chapter:3", "subchapter:3.2"] });
    expect(box.children).toEqual(["box:1/row:1", "box:1/row:2", "box:1/row:3"]);
    expect(byLabel(d, "专栏1第2项")).toMatchObject({ heading: "城东智能计算中心", text: "02　城东智能计算中心：建设算力规模达到200PFlops的智能计算中心。" });
    // The next chapter closes the box.
    expect(byLabel(d, "第四章").parents).toEqual([]);
    expect(byLabel(d, "专栏2").parents).toEqual(["chapter:4", "subchapter:4.2"]);
  });

  it("keeps the plan's title and short name", () => {
    expect(d.meta.title).toBe("兰溪市数字经济发展“十五五”规划");
    expect(d.units[0]).toMatchObject({ ref: "preamble", heading: "兰溪市数字经济发展“十五五”规划" });
  });
});

describe("chapters and articles (办法)", () => {
  const d = load("qingyuan-gongyuan-banfa.txt");
  it("numbers articles across chapters and labels them 第十二条", () => {
    sound(d);
    const articles = d.units.filter((u) => u.kind === "article");
    expect(articles.map((u) => u.label)).toEqual(["第一条", "第二条", "第三条", "第四条", "第五条", "第六条", "第七条", "第八条", "第九条", "第十条", "第十一条", "第十二条"]);
    expect(byLabel(d, "第十二条")).toMatchObject({ ref: "article:12", parents: ["chapter:5"], heading: "本办法自2025年9月1日起施行" });
    expect(byLabel(d, "第五章").heading).toBe("附则");
    expect(d.warnings).toEqual([]);
  });

  it("puts the （一） items of an article under it, labelled 第十条（二）", () => {
    expect(byLabel(d, "第十条").children).toEqual(["section:10.1", "section:10.2", "section:10.3"]);
    expect(byLabel(d, "第十条（二）")).toMatchObject({ kind: "section", parents: ["chapter:4", "article:10"], text: "（二）在非指定区域烧烤、野炊的；" });
  });

  it("finds 第十二条 and 第三章 for /task and /part in a plan without tasks and parts", () => {
    expect(findUnit(d.units, "task", "第十二条")).toMatchObject({ unit: { ref: "article:12" } });
    expect(findUnit(d.units, "part", "三")).toMatchObject({ unit: { ref: "chapter:3" } });
  });
});

describe("parts without 、, deeper numbering and annexes (行动方案)", () => {
  const d = load("shiquan-gonglu-fangan.txt");
  it("reads 一　总体要求 (a full-width space, no 、) as a part", () => {
    sound(d);
    expect(d.units.filter((u) => u.kind === "part" && !u.ref.startsWith("annex")).map((u) => u.label)).toEqual(["一、总体要求", "二、重点任务", "三、保障措施"]);
  });

  it("qualifies items that restart in each section and nests （1） and ① under them", () => {
    expect(tree(d).filter(([r]) => r!.startsWith("task") || r!.startsWith("item"))).toEqual([
      ["task:2.1.1", "二（一）1."],
      ["item:2.1.1.1", "二（一）1.（1）"],
      ["item:2.1.1.2", "二（一）1.（2）"],
      ["task:2.1.2", "二（一）2."],
      ["item:2.1.2.1", "二（一）2.①"],
      ["item:2.1.2.2", "二（一）2.②"],
      ["task:2.2.1", "二（二）1."],
      ["task:2.2.2", "二（二）2."],
    ]);
    expect(byLabel(d, "二（一）2.②")).toMatchObject({ kind: "item", heading: "对评定为三类的桥梁，两年内完成维修加固", parents: ["part:2", "section:2.1", "task:2.1.2"] });
  });

  it("makes 附件1 and 附件2 their own parts: table rows as units, parts numbered again inside", () => {
    expect(byLabel(d, "附件1")).toMatchObject({ ref: "annex:1", kind: "annex", heading: "重点任务分工表", children: ["annex:1/row:1", "annex:1/row:2", "annex:1/row:3", "annex:1/row:4"] });
    const row = byLabel(d, "附件1序号2");
    expect(row).toMatchObject({ ref: "annex:1/row:2", kind: "row", number: 2, heading: "完成乡道病害处治90公里", text: "完成乡道病害处治90公里，责任单位：县交通运输局、各乡镇，完成时限：2027年12月底前" });
    expect(row.repairs[0]).toMatchObject({ kind: "table-row" });
    expect(row.source.lines).toHaveLength(1);
    expect(byLabel(d, "附件2二、工作职责")).toMatchObject({ ref: "annex:2/part:2", parents: ["annex:2"], children: ["annex:2/section:2.1", "annex:2/section:2.2"] });
    // The body's parts keep their plain refs; the annex's numbering does not warn.
    expect(byLabel(d, "二、重点任务").ref).toBe("part:2");
    expect(d.warnings).toEqual([]);
  });
});

describe("markdown: bold lead sentences and a markdown table", () => {
  const d = load("yunling-shitang-fangan.md");
  it("reads **（一）合理布局食堂网点。**各乡镇要… as a section with its lead sentence as heading", () => {
    sound(d);
    expect(byLabel(d, "二（一）")).toMatchObject({ heading: "合理布局食堂网点" });
    expect(byLabel(d, "二（一）").text).toMatch(/^（一）合理布局食堂网点。各乡镇要/);
  });
  it("reads an unnumbered 附件 and its markdown rows, the separator row dropped", () => {
    expect(byLabel(d, "附件")).toMatchObject({ ref: "annex:1", heading: "社区老年食堂建设任务表" });
    expect(byLabel(d, "附件序号1").text).toBe("乡镇：城关镇，建设数量：12个，完成时限：2026年6月底前");
    expect(d.units.filter((u) => u.kind === "row")).toHaveLength(3);
  });
});

describe("volumes above chapters, and 第一部分 above 一、 parts", () => {
  it("reads 第一篇 › 第一章 › 第一节 (纲要) and an 附表 with columns aligned by ideographic spaces", () => {
    const d = load("hexi-shengtai-gangyao.txt");
    sound(d);
    expect(byLabel(d, "第二篇")).toMatchObject({ ref: "volume:2", kind: "volume", heading: "重点任务", children: ["chapter:3", "chapter:4"] });
    expect(byLabel(d, "第三章第二节")).toMatchObject({ parents: ["volume:2", "chapter:3"], path: "第二篇 重点任务 › 第三章 深入打好蓝天保卫战 › 第二节 管控移动源污染" });
    expect(byLabel(d, "附表1序号2")).toMatchObject({ ref: "annex:1/row:2", text: "城区雨污分流改造，建设内容：改造管网85公里，总投资：6.2亿元" });
  });

  it("makes 第一部分 the level above 一、 when a plan prints both, and qualifies what restarts inside", () => {
    const d = load("beishan-lvyou-fangan.txt");
    sound(d);
    expect(d.units.map((u) => u.label)).toEqual([
      "前言", "第一部分", "第一部分一、目标任务", "第二部分", "第二部分一、改善旅游基础设施", "第二部分一（一）", "第二部分一（二）",
      "第二部分二、丰富旅游产品", "第二部分二（一）", "第三部分", "第三部分一、强化资金支持",
    ]);
    expect(byLabel(d, "第二部分一（二）")).toMatchObject({ ref: "section:2.1.2", parents: ["volume:2", "part:2.1"] });
  });

  it("keeps 第一部分 a part in a plan without 一、 parts", () => {
    const d = parsePlan("某方案\n第一部分 总体要求\n（一）目标。到2027年建成10个站点。\n第二部分 保障\n（二）资金。每年安排100万元。\n", "d.txt");
    expect(d.units.map((u) => [u.ref, u.label])).toEqual([["preamble", "前言"], ["part:1", "一、总体要求"], ["section:1", "（一）"], ["part:2", "二、保障"], ["section:2", "（二）"]]);
  });
});

describe("lines and tables", () => {
  const lines = (text: string): Line[] => text.split("\n").map((raw, i) => ({ no: i + 1, ...cleanLine(raw, i + 1), ...classifyLine(cleanLine(raw, i + 1).text) }));

  it("classifies the deeper markers and leaves running text alone", () => {
    const kinds = ["第三章　总则", "第二节 发展目标", "第十二条　本办法自公布之日起施行。", "第十二条规定的情形除外。", "专栏3　重点工程", "专栏的设置应当简洁。", "附件2：分工表", "（3）开展巡查；", "⑵ 开展巡查", "3）开展巡查", "③开展巡查", "b. 开展巡查", "一 总体要求", "第一百零五条 附则。"].map((t) => {
      const c = classifyLine(t);
      return [c.kind, c.number];
    });
    expect(kinds).toEqual([
      ["chapter", 3], ["subchapter", 2], ["article", 12], ["text", undefined], ["box", 3], ["text", undefined], ["annex", 2],
      ["item", 3], ["item", 2], ["item", 3], ["item", 3], ["item", 2], ["part", 1], ["article", 105],
    ]);
  });

  it("reads tab-separated rows under a 序号 header, and ends the table at the first line that does not fit", () => {
    const ls = lines("序号\t工作任务\t牵头单位\t完成时间\n1\t修订管理制度\t市局办公室\t2026年3月\n2\t开展专项检查\t市局执法处\t2026年6月\n以上任务按季度调度。");
    markTables(ls);
    expect(ls.map((l) => l.kind)).toEqual(["table-head", "table-row", "table-row", "text"]);
    expect(ls[2]).toMatchObject({ number: 2, rest: "开展专项检查，牵头单位：市局执法处，完成时间：2026年6月" });
  });

  it("keeps tasks numbered across sections as 第N项 and qualifies tasks that restart", () => {
    const across = parsePlan("某方案\n一、任务\n（一）甲\n1.做甲。\n2.做乙。\n（二）乙\n3.做丙。\n", "a.txt");
    expect(across.units.filter((u) => u.kind === "task").map((u) => u.label)).toEqual(["第1项", "第2项", "第3项"]);
    const restart = parsePlan("某方案\n一、任务\n（一）甲\n1.做甲。\n2.做乙。\n（二）乙\n1.做丙。\n", "b.txt");
    expect(restart.units.filter((u) => u.kind === "task").map((u) => u.label)).toEqual(["（一）1.", "（一）2.", "（二）1."]);
  });

  it("treats 附件 above the plan's title as page furniture, not an annex", () => {
    const d = parsePlan("附件\n\n某某工作方案\n\n一、目标\n到2027年建成10个站点。\n", "c.txt");
    expect(d.units.map((u) => u.kind)).toEqual(["preamble", "part"]);
    expect(d.meta.title).toBe("某某工作方案");
  });
});

describe("numbered references in questions", () => {
  const d = load("lanxi-shuzi-guihua.txt");
  const banfa = load("qingyuan-gongyuan-banfa.txt");
  const fangan = load("shiquan-gonglu-fangan.txt");
  const hits = (doc: PlanDocument, q: string): string[] => doc.units.filter((u: Unit) => parseStructuralRefs(q).some((r) => matchesRef(u, r))).map((u) => u.ref);

  it("scopes 第二节 to the chapter printed before it", () => {
    expect(parseStructuralRefs("第三章第二节讲什么")).toEqual([{ kind: "subchapter", number: 2, match: "第三章第二节", within: { kind: "chapter", number: 3 } }]);
    expect(hits(d, "第三章第二节讲什么")).toEqual(["subchapter:3.2"]);
    expect(hits(d, "第二节")).toHaveLength(5);
    expect(hits(d, "专栏2有哪些项目")).toEqual(["box:2"]);
  });
  it("finds articles by 第N条 and rows by 附件N序号M", () => {
    expect(hits(banfa, "第十二条是什么")).toEqual(["article:12"]);
    expect(hits(fangan, "附件1序号3谁负责")).toEqual(["annex:1/row:3"]);
    expect(hits(fangan, "附件2讲什么")).toEqual(["annex:2"]);
  });
});

describe("the paragraphs that close the body (结语)", () => {
  it("are their own unit after the last section, not more of it", () => {
    const d = loadPlanFile(`${FIXTURES}/closing/qingshan-shitang-fangan.txt`);
    sound(d);
    const last = byLabel(d, "三（二）");
    expect(last.text).toBe("（二）强化资金保障。市财政每年安排专项资金2000万元。");
    const closing = byLabel(d, "结语");
    expect(closing).toMatchObject({ ref: "closing", kind: "closing", parents: [], heading: "各区要结合实际制定具体实施细则，于2026年6月底前报市民政局备案" });
    expect(closing.text).toContain("本方案自印发之日起施行，有效期5年。");
    expect(d.units.at(-1)!.ref).toBe("closing");
    expect(byLabel(d, "三、保障措施").children).toEqual(["section:3.1", "section:3.2"]);
  });

  it("leave a section printed over several paragraphs its own 各区要… paragraphs, and take only a paragraph on the document itself", () => {
    const d = loadPlanFile(`${FIXTURES}/layouts-extra/qingshan-shitang-duoduan.txt`);
    sound(d);
    const last = byLabel(d, "（二）");
    expect(last.text).toContain("各区要通过多种途径宣传社区食堂");
    expect(last.text).toContain("各街道每年至少组织1次社区食堂开放日活动。");
    expect(byLabel(d, "结语").text).toBe("本方案由市民政局负责解释。");
    expect(byLabel(d, "（一）").text).toContain("各区要每季度至少开展1次");
  });

  it("are never cut from a document of articles, which closes in an article of its own", () => {
    const d = load("qingyuan-gongyuan-banfa.txt");
    expect(d.units.some((u) => u.kind === "closing")).toBe(false);
    expect(d.units.find((u) => u.label === "第十二条")!.text).toContain("本办法自2025年9月1日起施行。");
  });
});

describe("boxes whose marker is printed in brackets (【专栏1 重点工程】)", () => {
  const d = loadPlanFile(`${FIXTURES}/layouts-extra/dongchuan-shuzi-xiangcun.txt`);
  it("reads each as a box with its title, inside or after the brackets, and its entries as rows", () => {
    sound(d);
    expect(d.units.filter((u) => u.kind === "box").map((u) => [u.label, u.heading, u.parents.at(-1)])).toEqual([
      ["专栏1", "数字基础设施提升工程", "section:2.1"],
      ["专栏2", "智慧农业示范工程", "section:2.2"],
      ["专栏三", "数字治理工程", "section:2.2"],
    ]);
    expect(byLabel(d, "专栏1第2项").text).toBe("2.光网改造。完成300个行政村光网改造。");
    expect(byLabel(d, "二（一）").text).not.toContain("专栏");
  });
});

describe("a box among tasks numbered through the document, and a table whose column names carry units", () => {
  const d = loadPlanFile(`${FIXTURES}/layouts-extra/pingshan-jiceng-yiliao.txt`);
  it("ends the box at the body's next task (4. after tasks 1.–3. and entries 1.–2.)", () => {
    sound(d);
    expect(byLabel(d, "专栏1").children).toEqual(["box:1/row:1", "box:1/row:2"]);
    expect(byLabel(d, "第4项")).toMatchObject({ kind: "task", parents: ["part:1"], heading: "加强人才培养" });
    expect(byLabel(d, "第5项").parents).toEqual(["part:2"]);
    expect(d.warnings ?? []).toEqual([]);
  });

  it("reads a header of long column names with their units in brackets as a table, one row per line", () => {
    const rows = d.units.filter((u) => u.kind === "row" && u.parents.includes("annex:1"));
    expect(rows.map((u) => [u.label, u.heading])).toEqual([["附件序号1", "城关镇"], ["附件序号2", "南岭镇"]]);
    expect(rows[0]!.text).toContain("流动医疗服务车配备数（辆）：3");
  });
});

describe("a regulation promulgated by a government order (清河市人民政府令 / 第12号)", () => {
  const d = loadPlanFile(`${FIXTURES}/layouts-extra/qinghe-yangquan-banfa.txt`);
  it("reads the order as the issuing notice: its number is the 文号, the government the issuer, the regulation's own line the title", () => {
    sound(d);
    expect(d.meta).toMatchObject({ title: "清河市养犬管理办法", docNumber: "清河市人民政府令第12号", date: "2026-05-20" });
    expect(d.meta.issuers).toEqual(["清河市人民政府"]);
    const notice = d.units.find((u) => u.kind === "notice")!;
    expect(notice.text).toContain("现予公布");
    expect(d.units.find((u) => u.label === "第一条")!.text).toContain("为了规范养犬行为");
    expect(d.units.find((u) => u.kind === "preamble")?.text ?? "").not.toContain("市长");
  });
});
