import { beforeAll, describe, expect, it } from "vitest";
import type { AnswerEngine } from "../../src/answer/engine.js";
import type { KnowledgeBase } from "../../src/knowledge.js";
import { matchesRef } from "../../src/plan/lookup.js";
import { loadPlanFile } from "../../src/plan/load.js";
import { parsePlan } from "../../src/plan/parse.js";
import type { PlanDocument } from "../../src/plan/types.js";
import { parseStructuralRefs } from "../../src/retrieve/structural.js";
import { FIXTURES } from "../helpers.js";
import { askChecked, fixtureKb } from "../support/kb.js";

// An 应急预案 numbered as such plans are: 1 总则 › 1.1 编制目的 › 3.3.1 报告时限, with a 目录 that lists the
// outline and a 附件 of contacts, and a paragraph that opens with a decimal figure (1.5万元以上…).
const doc = () => loadPlanFile(`${FIXTURES}/decimal/baihe-2027-senlin-huozai-yuan.txt`);

describe("a decimal outline (1 / 1.1 / 1.1.1)", () => {
  let d: PlanDocument;
  beforeAll(async () => {
    d = await doc();
  });

  it("reads each level as a unit labelled with its printed number, under its parent", () => {
    const at = (label: string) => d.units.find((u) => u.label === label);
    expect(at("1 总则")?.kind).toBe("part");
    expect(at("1.3")?.heading).toBe("适用范围");
    expect(at("3.3.1")).toMatchObject({ kind: "task", heading: "报告时限" });
    expect(at("3.3.1")!.parents).toEqual([at("3 预警和信息报告")!.ref, at("3.3")!.ref]);
    expect(at("4.1.2（1）")!.text).toContain("过火面积1公顷以上10公顷以下");
    // A part printed without sections (6 保障措施 after 5.2) is still a part.
    expect(at("6 保障措施")?.text).toContain("不少于80万元");
    expect(d.warnings).toEqual([]);
  });

  it("reads a red-header notice: its title starts under the header and the 文号, and the site's facts line is no recipient", () => {
    expect(d.meta.noticeTitle).toBe("白河县人民政府办公室关于印发白河县森林火灾应急预案的通知");
    expect(d.meta.docNumber).toBe("白政办发〔2027〕9号");
    expect(d.meta.recipients).toEqual(["各乡镇人民政府", "县政府各部门"]);
    expect(d.meta.shortName).toBe("白河县森林火灾应急预案");
  });

  it("leaves the 目录 out and keeps the annex after the body, not the 目录's 附件 line", () => {
    expect(d.units.filter((u) => u.label === "1.1")).toHaveLength(1);
    expect(d.units.find((u) => u.ref === "preamble")?.text).not.toContain("目");
    expect(d.units.filter((u) => u.kind === "annex")).toHaveLength(1);
    expect(d.units.find((u) => u.label === "5.2")?.parents[0]).toBe("part:5");
  });

  it("keeps a paragraph that opens with a decimal figure as text (1.5万元以上…), and a plan's 1.5-style figures out of the outline", () => {
    expect(d.units.find((u) => u.label === "3.3.2")!.text).toContain("1.5万元以上的财产损失");
    const prose = parsePlan(["某县工作方案", "一、目标", "1.5万元以上的项目需报批。", "2.5%的增幅不再计入。", "3.2 亿元用于改造。"].join("\n"), "x.txt");
    expect(prose.units.map((u) => u.kind)).toEqual(["preamble", "part"]);
  });

  it("names a unit by its printed number in a question (3.3.1, 4.2), not a figure (3.5%, 1.5万元)", () => {
    const ref = parseStructuralRefs("3.3.1讲的是什么")[0]!;
    expect(ref).toMatchObject({ kind: "task", number: 1, within: { kind: "section", number: 3, within: { kind: "part", number: 3 } } });
    const unit = d.units.find((u) => u.label === "3.3.1")!;
    expect(d.units.filter((u) => matchesRef(u, ref))).toEqual([unit]);
    expect(parseStructuralRefs("增长3.5%，投入1.5万元")).toEqual([]);
  });
});

describe("asking a decimal-numbered plan", () => {
  let kb: KnowledgeBase;
  let engine: AnswerEngine;
  beforeAll(async () => ({ kb, engine } = await fixtureKb("decimal")));

  it("answers a heading named by its number, quoting its text without the number", async () => {
    const r = await askChecked(kb, engine, "预案4.2.2是怎么规定的？");
    expect(r.citations[0]?.label).toBe("4.2.2");
    expect(r.answer).toContain("火场周边3公里范围内的群众");
  });

  it("answers a figure from the level that holds it", async () => {
    const r = await askChecked(kb, engine, "乡镇接到火情报告后多长时间内要电话报告县指挥部办公室？");
    expect(r.grade).toBe("answered");
    expect(r.citations[0]?.label).toBe("3.3.1");
    expect(r.answer).toContain("15分钟内");
  });

  it("reads Ⅲ级 in a list's lead-in as the level its entries are for (启动Ⅲ级响应： › （1）过火面积…)", async () => {
    const r = await askChecked(kb, engine, "过火面积达到多少公顷要启动Ⅱ级响应？");
    expect(r.grade).toBe("answered");
    expect(r.citations[0]?.label).toBe("4.1.3（1）");
    expect(r.answer.split("\n")[0]).toContain("过火面积10公顷以上");
  });

  it("counts people for 几个人, and takes 误工费 for the plan's 误工补助", async () => {
    const crew = await askChecked(kb, engine, "一支半专业扑火队至少要有几个人？");
    expect(crew.grade).toBe("answered");
    expect(crew.answer).toContain("不少于20人");
    const pay = await askChecked(kb, engine, "我去山上帮忙扑火，一天能拿多少误工费？");
    expect(pay.grade).toBe("answered");
    expect(pay.answer).toContain("200元");
  });

  it("declines who holds a post and which insurer is cheaper, pointing to nothing as an answer", async () => {
    for (const question of ["县森林防灭火指挥部现任总指挥叫什么名字？", "我该买哪家的森林火灾保险比较划算？", "进山烧纸时怎么防火？你有什么建议？"]) {
      expect((await engine.answer({ question })).grade, question).toBe("declined");
    }
  });

  it("declines a question about another place's document of the same kind, and answers its own by a loose name", async () => {
    const other = await engine.answer({ question: "温州市森林火灾应急预案里Ⅱ级响应怎么启动？" });
    expect(other.grade).toBe("declined");
    const own = await askChecked(kb, engine, "白河森林火灾预案里Ⅱ级响应由谁启动？");
    expect(own.grade).not.toBe("declined");
    expect(own.citations[0]?.label).toMatch(/^4\.1\.3/);
  });

  it("lists a part's headings for what a part covers", async () => {
    const r = await askChecked(kb, engine, "第4部分应急响应包括哪些内容？");
    expect(r.answer).toContain("4.1.1");
    expect(r.answer).toContain("4.2.2");
  });
});
