import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadPlanFile, loadPlans } from "../../src/plan/load.js";
import { shortNameOf } from "../../src/plan/meta.js";
import { parsePlan } from "../../src/plan/parse.js";
import type { PlanDocument } from "../../src/plan/types.js";
import { FIXTURES, seedPlan } from "../helpers.js";

const GOVCN = join(FIXTURES, "plans", "govcn");
const unitOf = (doc: PlanDocument, ref: string) => {
  const u = doc.units.find((x) => x.ref === ref);
  if (!u) throw new Error(`no unit ${ref} in ${doc.id}`);
  return u;
};
const joins = (doc: PlanDocument) => doc.units.flatMap((u) => u.repairs).filter((r) => r.kind.startsWith("join"));

describe("a gov.cn plan: notice over two lines, title over two lines, sections restarting, items under a section", () => {
  const doc = loadPlanFile(join(GOVCN, "qingjie-xiangcun.txt"));
  const u = (ref: string) => unitOf(doc, ref);

  it("takes the whole issuing notice out as one unit: title, 文号, recipients, sentence, signature, date, release note", () => {
    const notice = u("notice");
    expect(notice.text.split("\n")).toEqual([
      "国务院办公厅关于印发“清洁乡村”建设试点工作方案的通知",
      "国办发〔2031〕77号",
      "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：",
      "《“清洁乡村”建设试点工作方案》已经国务院同意，现印发给你们，请认真组织实施。",
      "国务院办公厅",
      "2031年3月8日",
      "（此件公开发布）",
    ]);
    expect(notice).toMatchObject({ label: "印发通知", heading: "国务院办公厅关于印发“清洁乡村”建设试点工作方案的通知" });
    expect(notice.source).toMatchObject({ startLine: 1, endLine: 10 });
  });

  it("reads the metadata from the notice", () => {
    expect(doc.meta).toMatchObject({
      title: "“清洁乡村”建设试点工作方案",
      noticeTitle: "国务院办公厅关于印发“清洁乡村”建设试点工作方案的通知",
      shortName: "清洁乡村方案",
      docNumber: "国办发〔2031〕77号",
      issuers: ["国务院办公厅"],
      date: "2031-03-08",
      dateText: "2031年3月8日",
      recipients: ["各省、自治区、直辖市人民政府", "国务院各部委、各直属机构"],
    });
    expect(doc.meta.aliases).toEqual(expect.arrayContaining(["清洁乡村方案", "清洁乡村", "“清洁乡村”建设试点工作方案", "国办发〔2031〕77号", "国办发[2031]77号"]));
  });

  it("keeps the preamble to the plan's title (joined over its two lines) and its own text, figures included", () => {
    const preamble = u("preamble");
    expect(preamble.heading).toBe("“清洁乡村”建设试点工作方案");
    expect(preamble.text.split("\n")[0]).toBe("“清洁乡村”建设试点工作方案");
    expect(preamble.text).toContain("覆盖率达到90%以上");
    expect(preamble.text).not.toMatch(/国办发|印发给你们|此件公开发布|各直属机构|2031年3月8日/);
    expect(preamble.source.startLine).toBe(15);
  });

  it("joins nothing across the boundaries between notice, title and body", () => {
    expect(joins(doc)).toEqual([]);
    expect(doc.warnings).toEqual([]);
  });

  it("qualifies sections that restart in every part", () => {
    const sections = doc.units.filter((x) => x.kind === "section").map((x) => [x.ref, x.label]);
    expect(sections).toEqual([
      ["section:1.1", "一（一）"], ["section:1.2", "一（二）"], ["section:1.3", "一（三）"],
      ["section:2.1", "二（一）"], ["section:2.2", "二（二）"],
      ["section:3.1", "三（一）"], ["section:3.2", "三（二）"],
    ]);
    expect(u("section:2.2")).toMatchObject({ heading: "推进资源利用，提高废弃物利用水平", path: "二、主要任务 › （二）推进资源利用，提高废弃物利用水平" });
  });

  it("labels items under a section as printed, qualified by the section", () => {
    const items = doc.units.filter((x) => x.kind === "task");
    expect(items.map((x) => [x.ref, x.label, x.heading])).toEqual([
      ["task:3.2.1", "三（二）1.", "评估组"],
      ["task:3.2.2", "三（二）2.", "专家组"],
      ["task:3.2.3", "三（二）3.", "宣传组"],
    ]);
    expect(u("task:3.2.2")).toMatchObject({ parents: ["part:3", "section:3.2"], path: "三、组织形式 › （二）成立技术指导办公室 › 2." });
    expect(u("section:3.2").children).toEqual(["task:3.2.1", "task:3.2.2", "task:3.2.3"]);
  });

  it("keeps the text of a part with no sections in the part", () => {
    expect(u("part:4").children).toEqual([]);
    expect(u("part:4").text).toContain("2033年底前，开展试点总结");
  });

  it("leaves every line of the file in exactly one unit", () => {
    const raw = readFileSync(join(GOVCN, "qingjie-xiangcun.txt"), "utf8").split("\n").map((l) => l.replace(/\u00a0/g, " ").trim()).filter(Boolean);
    const all = doc.units.map((x) => x.text).join("").replace(/\s+/g, "");
    expect(all.length).toBe(raw.join("").replace(/\s+/g, "").length);
  });
});

describe("a gov.cn plan with sections （一）–（二十） running across parts", () => {
  const doc = loadPlanFile(join(GOVCN, "shuzi-jineng.txt"));

  it("numbers sections continuously, headings without their 。 and the body from the next line", () => {
    const sections = doc.units.filter((x) => x.kind === "section");
    expect(sections.map((x) => x.ref)).toEqual(Array.from({ length: 20 }, (_, i) => `section:${i + 1}`));
    expect(sections.at(-1)).toMatchObject({ label: "（二十）", heading: "强化考核落实", parents: ["part:5"] });
    const s12 = unitOf(doc, "section:12");
    expect(s12.heading).toBe("健全经费投入机制");
    expect(s12.text.split("\n")).toEqual(["（十二）健全经费投入机制。", "围绕健全经费投入机制，各地要结合实际制定具体措施，明确责任分工，到2035年取得明显成效。"]);
    expect(doc.warnings).toEqual([]);
  });

  it("keeps the three preamble paragraphs, with the figures, in the preamble", () => {
    const preamble = unitOf(doc, "preamble");
    expect(preamble.text.split("\n")).toHaveLength(4);
    expect(preamble.text).toContain("累计开展数字技能培训3000万人次");
    expect(preamble.text).toContain("不低于职工工资总额的1.5%");
    expect(joins(doc)).toEqual([]);
  });

  it("reads issuer, 文号 and date, and makes a short name from the title", () => {
    expect(doc.meta).toMatchObject({
      title: "国家数字技能提升行动方案",
      noticeTitle: "国务院关于印发国家数字技能提升行动方案的通知",
      shortName: "数字技能提升方案",
      docNumber: "国发〔2032〕9号",
      issuers: ["国务院"],
      date: "2032-05-20",
    });
  });
});

describe("front matter in other layouts", () => {
  it("finds a notice title over three lines with its 文号 in brackets, printed after the plan", () => {
    const text = [
      "某省城乡供水一体化实施方案",
      "",
      "为保障农村饮水安全，制定本方案。",
      "一、目标任务",
      "到2030年，农村自来水普及率达到99%。",
      "二、保障措施",
      "各地要加强组织领导，落实资金。",
      "",
      "某省人民政府办公厅关于印发",
      "某省城乡供水一体化",
      "实施方案的通知（某政办发〔2029〕15号）",
      "",
      "各市、县人民政府，省政府各部门：",
      "经省政府同意，现将《某省城乡供水一体化实施方案》印发给你们，请认真贯彻落实。",
      "",
      "某省人民政府办公厅",
      "2029年11月2日",
    ].join("\n");
    const doc = parsePlan(text, "gongshui.txt");
    expect(doc.units.map((x) => x.ref)).toEqual(["preamble", "part:1", "part:2", "notice"]);
    expect(unitOf(doc, "part:2").text).toBe("二、保障措施\n各地要加强组织领导，落实资金。");
    expect(doc.meta).toMatchObject({
      title: "某省城乡供水一体化实施方案",
      noticeTitle: "某省人民政府办公厅关于印发某省城乡供水一体化实施方案的通知",
      docNumber: "某政办发〔2029〕15号",
      issuers: ["某省人民政府办公厅"],
      date: "2029-11-02",
      recipients: ["各市、县人民政府", "省政府各部门"],
    });
    expect(doc.meta.shortName).toBe("城乡供水一体化方案");
    expect(joins(doc)).toEqual([]);
  });

  it("leaves out an attachment marker and the colophon, and keeps a period printed under the title", () => {
    const text = [
      "国务院办公厅关于印发数字乡村发展三年行动计划（2031—2033年）的通知",
      "国办发〔2031〕20号",
      "",
      "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：",
      "经国务院同意，现将《数字乡村发展三年行动计划（2031—2033年）》印发给你们，请认真贯彻执行。",
      "",
      "国务院办公厅",
      "2031年2月26日",
      "",
      "附件",
      "数字乡村发展三年行动计划",
      "（2031—2033年）",
      "",
      "为加快数字乡村发展，制定本行动计划。",
      "一、行动目标",
      "到2033年，行政村5G通达率达到95%。",
      "二、保障措施",
      "各地要加强组织领导。",
      "",
      "抄送：党中央各部门，全国人大常委会办公厅。",
      "国务院办公厅秘书局  2031年3月2日印发",
    ].join("\n");
    const doc = parsePlan(text, "xiangcun.txt");
    expect(doc.units.map((x) => x.ref)).toEqual(["preamble", "part:1", "part:2", "notice"]);
    expect(unitOf(doc, "preamble").text.split("\n")).toEqual(["数字乡村发展三年行动计划（2031—2033年）", "为加快数字乡村发展，制定本行动计划。"]);
    expect(unitOf(doc, "part:2").text).toBe("二、保障措施\n各地要加强组织领导。");
    for (const u of doc.units) expect(u.text).not.toMatch(/附件|抄送|秘书局/);
    expect(doc.meta).toMatchObject({ title: "数字乡村发展三年行动计划（2031—2033年）", shortName: "数字乡村发展计划", docNumber: "国办发〔2031〕20号", date: "2031-02-26" });
    expect(joins(doc)).toEqual([]);
  });

  it("takes a red header and a 文号 printed above the notice title into the notice", () => {
    const text = [
      "某省人民政府文件",
      "",
      "某政发〔2031〕8号",
      "",
      "某省人民政府关于印发某省乡村道路养护办法的通知",
      "",
      "各市、县人民政府：",
      "现将《某省乡村道路养护办法》印发给你们，请遵照执行。",
      "某省人民政府",
      "2031年4月1日",
      "",
      "某省乡村道路养护办法",
      "一、总则",
      "为规范乡村道路养护，制定本办法。",
    ].join("\n");
    const doc = parsePlan(text, "daolu.txt");
    expect(doc.units.map((x) => x.ref)).toEqual(["preamble", "part:1", "notice"]);
    expect(unitOf(doc, "preamble").text).toBe("某省乡村道路养护办法");
    expect(unitOf(doc, "notice").source.startLine).toBe(1);
    expect(doc.meta).toMatchObject({ title: "某省乡村道路养护办法", shortName: "乡村道路养护办法", docNumber: "某政发〔2031〕8号", issuers: ["某省人民政府"] });
  });

  it("does not take a notice cited inside the text for the issuing notice", () => {
    const text = [
      "某市数字乡村建设方案",
      "一、总体要求",
      "根据《某省人民政府关于印发数字乡村发展规划的通知》要求，制定本方案。",
      "关于印发数字乡村发展规划的通知",
      "二、主要任务",
      "推进网络覆盖。",
    ].join("\n");
    const doc = parsePlan(text, "cited.txt");
    expect(doc.units.some((x) => x.kind === "notice")).toBe(false);
    expect(doc.meta).toMatchObject({ title: "某市数字乡村建设方案", noticeTitle: null, docNumber: null, issuers: [] });
  });

  it("keeps the seed's notice (printed inside task 6) and the join across it", () => {
    expect(seedPlan().meta).toMatchObject({
      shortName: "千万工程方案",
      docNumber: null,
      noticeTitle: "中共浙江省委 浙江省人民政府 印发《关于2026年深化以“千万工程”牵引城乡融合发展缩小“三大差距”推进共同富裕先行示范的工作方案》的通知",
    });
    expect(joins(seedPlan()).map((r) => r.kind)).toEqual(["join-around-insert", "join-page-break"]);
  });

  it("parses a plan with a hundred thousand lines in one unit without running out of stack", () => {
    const lines = ["某市工作方案", "一、重点任务", "1.推进建设。"];
    for (let i = 0; i < 100_000; i++) lines.push(`第${i}段内容`);
    const doc = parsePlan(lines.join("\n"), "long.txt");
    expect(unitOf(doc, "task:1").source.endLine).toBe(100_003);
  });
});

describe("short names", () => {
  it.each([
    ["国家职业教育改革实施方案", "职教改革方案"],
    ["“无废城市”建设试点工作方案", "无废城市方案"],
    ["国家组织药品集中采购和使用试点方案", "药品集采方案"],
    ["某市2026年数字乡村建设工作要点", "数字乡村要点"],
    ["关于加快推进城市更新的实施意见", "城市更新意见"],
    ["“十五五”市场监管现代化规划", "市场监管现代化规划"],
    ["东岭市卫生健康委员会 东岭市教育局 东岭市民政局 东岭市财政局 东岭市人力资源和社会保障局 东岭市住房和城乡建设局 东岭市市场监督管理局关于做好2027年普惠托育服务工作的通知", "普惠托育服务通知"],
  ])("%s → %s", (title, short) => {
    expect(shortNameOf(title)).toBe(short);
  });

  it("makes short names distinct among the loaded plans", () => {
    const { docs } = loadPlans(GOVCN);
    expect(docs.map((d) => d.meta.shortName)).toEqual(["清洁乡村方案", "数字技能提升方案"]);
  });
});
