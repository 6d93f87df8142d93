import { beforeAll, describe, expect, it } from "vitest";
import type { AnswerEngine } from "../../src/answer/engine.js";
import type { KnowledgeBase } from "../../src/knowledge.js";
import { splitInlineLists } from "../../src/plan/inline-lists.js";
import { classifyLine } from "../../src/plan/lines.js";
import { loadPlanFile } from "../../src/plan/load.js";
import { parsePlan } from "../../src/plan/parse.js";
import type { PlanDocument } from "../../src/plan/types.js";
import { FIXTURES } from "../helpers.js";
import { askChecked, fixtureKb } from "../support/kb.js";

// Two documents that are promulgated rather than issued with a plan: a 通告 whose parts are paragraphs
// of rules (一、…，…。) with a list printed inside one of them, and a 条例 under its standing committee's
// 公告 (第十二号), with a 目录, chapters and articles whose 项 are printed inline.
const notice = () => loadPlanFile(`${FIXTURES}/promulgated/baisha-2027-malasong-jiaotong-tonggao.txt`);
const regulation = () => loadPlanFile(`${FIXTURES}/promulgated/qinghu-2027-gongyuan-tiaoli.txt`);
const unit = (d: PlanDocument, ref: string) => d.units.find((u) => u.ref === ref)!;

describe("a 通告 of paragraphs of rules", () => {
  it("reads the issuer, 文号 and title above the text, not the issuer as the title", () => {
    const d = notice();
    expect(d.meta).toMatchObject({ title: "白沙市公安局交通警察支队关于2027白沙马拉松赛事期间实施交通管制的通告", docNumber: "白公交通〔2027〕7号", date: "2027-03-10" });
  });

  it("gives its parts no title, labels them as it cites itself (第二条) and keeps every sentence as content", () => {
    const d = notice();
    const second = unit(d, "part:2");
    expect(second).toMatchObject({ label: "第二条", heading: "" });
    expect(d.units.filter((u) => u.kind === "part").map((u) => u.label)).toEqual(["第一条", "第二条", "第三条", "第四条", "第五条", "第六条", "第七条", "第八条"]);
  });

  it("titles a part that leads into its own list by its lead-in, still cited as 第N条", () => {
    const d = parsePlan(
      [
        "某县关于禁止焚烧秸秆的通告",
        "一、本通告所称禁烧区域，是指本县行政区域内的全部农田、林地、道路两侧和居民区周边。",
        "二、每年5月1日至6月30日、10月1日至11月30日为重点禁烧时段，各乡镇应当加强巡查。",
        "三、在禁烧区域内禁止下列行为：（一）焚烧秸秆；（二）焚烧落叶、杂草。",
        "四、违反本通告规定的，由县生态环境部门责令改正，依法处以罚款。",
      ].join("\n"),
      "x.txt",
    );
    expect(d.units.find((u) => u.ref === "part:3")).toMatchObject({ label: "第三条", heading: "在禁烧区域内禁止下列行为", children: ["section:3.1", "section:3.2"] });
    expect(d.units.find((u) => u.ref === "part:1")).toMatchObject({ label: "第一条", heading: "" });
  });

  it("splits the list printed inside a paragraph into its entries, numbered under their part", () => {
    const d = notice();
    expect(unit(d, "part:2").children).toEqual(["section:2.1", "section:2.2", "section:2.3", "section:2.4"]);
    expect(unit(d, "section:2.2")).toMatchObject({ label: "二（二）", text: "（二）东湖路（全线）；" });
    expect(unit(d, "part:2").text).toMatch(/管制路段包括：$/);
  });

  it("keeps the titles of a plan whose parts are headings", () => {
    const d = parsePlan(["某县工作方案", "一、总体要求", "坚持问题导向。", "二、主要任务", "推进改革。", "三、保障措施", "加强领导。"].join("\n"), "x.txt");
    expect(d.units.filter((u) => u.kind === "part").map((u) => u.label)).toEqual(["一、总体要求", "二、主要任务", "三、保障措施"]);
  });
});

describe("a 条例 under a standing committee's 公告", () => {
  it("reads the 公告 as its issuing notice: number, issuer, date; the title is the regulation's", () => {
    const d = regulation();
    expect(d.meta).toMatchObject({ title: "青湖市城市公园管理条例", docNumber: "青湖市人民代表大会常务委员会公告第十二号", date: "2027-07-08", issuers: ["青湖市人民代表大会常务委员会"] });
    expect(d.units.find((u) => u.kind === "preamble")?.text).not.toContain("现予公布");
  });

  it("leaves the 目录 out and splits an article's inline 项 into 第五条（一）…（四）", () => {
    const d = regulation();
    expect(d.units.filter((u) => u.kind === "chapter")).toHaveLength(5);
    expect(unit(d, "article:5").children).toEqual(["section:5.1", "section:5.2", "section:5.3", "section:5.4"]);
    expect(unit(d, "section:5.3")).toMatchObject({ label: "第五条（三）", text: "（三）每10公顷至少设置1处公共厕所；" });
  });
});

describe("lists printed inline", () => {
  const lines = (text: string) => splitInlineLists([{ no: 1, text, repairs: [], ...classifyLine(text) }]).map((l) => l.text);

  it("split only a run that opens at （一） after a colon and goes on in order after a sentence's end", () => {
    expect(lines("应当遵守下列规定：（一）室外燃放；（二）不得抛掷；（三）及时清理。")).toEqual(["应当遵守下列规定：", "（一）室外燃放；", "（二）不得抛掷；", "（三）及时清理。"]);
    expect(lines("（二）加强保障。主要包括：（1）资金；（2）用地。")).toEqual(["（二）加强保障。主要包括：", "（1）资金；", "（2）用地。"]);
  });

  it("leave a reference or a lone marker in a sentence alone", () => {
    expect(lines("符合本方案第三部分第（一）项条件的，可申请。")).toHaveLength(1);
    expect(lines("包括：（一）资金保障等内容。")).toHaveLength(1);
    expect(lines("包括：（一）资金，以及第（二）项所列内容。")).toHaveLength(1);
  });
});

describe("answers from a 通告 and a 条例 loaded together", () => {
  let kb: KnowledgeBase;
  let engine: AnswerEngine;
  beforeAll(async () => {
    ({ kb, engine } = await fixtureKb("promulgated"));
  });
  const ask = (q: string) => askChecked(kb, engine, q);

  it("answers a figure from the first sentence of a paragraph of rules", async () => {
    const r = await ask("马拉松那天起点滨江大道从几点开始封闭？");
    expect(r.citations[0]).toMatchObject({ doc: "baisha-2027-malasong-jiaotong-tonggao", ref: "part:1" });
    expect(r.answer).toContain("5时至13时");
  });

  it("reads 第五条 of the document the question names", async () => {
    const t = await ask("交通管制通告第五条讲什么？");
    expect(t.citations[0]).toMatchObject({ doc: "baisha-2027-malasong-jiaotong-tonggao", ref: "part:5" });
    expect(t.answer).toContain("200元");
    const r = await ask("公园管理条例第五条讲什么？");
    expect(r.citations[0]).toMatchObject({ doc: "qinghu-2027-gongyuan-tiaoli", ref: "article:5" });
    expect(r.answer).toContain("65%");
  });

  it("reads 罚款额度 as asking the fine, and 任何时候 as no date asked", async () => {
    const r = await ask("违反交通管制通告的罚款额度是多少？");
    expect(r.grade).toBe("answered");
    expect(r.answer).toContain("20元以上200元以下");
    const l = await ask("通告规定任何时候都不受管制的车辆有哪些？");
    expect(l.grade).toBe("answered");
    expect(l.citations[0]).toMatchObject({ doc: "baisha-2027-malasong-jiaotong-tonggao", ref: "part:4" });
  });

  it("answers a when-question with the time limit a rule sets (提前7日), as with a date", async () => {
    const r = await ask("公园临时闭园有什么时间要求？");
    expect(r.grade).toBe("answered");
    expect(r.citations[0]).toMatchObject({ doc: "qinghu-2027-gongyuan-tiaoli", ref: "article:8" });
    expect(r.answer).toContain("提前7日");
  });

  it("reads 成文日期 as a question about the document", async () => {
    const r = await ask("马拉松交通管制通告的成文日期是哪天？");
    expect(r.citations[0]).toMatchObject({ doc: "baisha-2027-malasong-jiaotong-tonggao", ref: "notice" });
    expect(r.answer).toContain("2027年3月10日");
  });

  it("declines a question that opens with a city the local plan never names, and answers it for the plan's own", async () => {
    const other = await ask("白马市2027年马拉松期间哪些道路实行交通管制？");
    expect(other).toMatchObject({ grade: "declined" });
    const own = await ask("白沙市2027年马拉松期间哪些道路实行交通管制？");
    expect(own.grade).toBe("answered");
    expect(own.citations[0]?.doc).toBe("baisha-2027-malasong-jiaotong-tonggao");
  });
});
