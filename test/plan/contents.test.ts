import { describe, expect, it } from "vitest";
import { loadPlanFile } from "../../src/plan/load.js";
import { parsePlan } from "../../src/plan/parse.js";
import { FIXTURES } from "../helpers.js";

const labels = (text: string) => parsePlan(text, "x.txt").units.map((u) => u.label);

describe("a table of contents (目录) is not read as chapters", () => {
  const d = loadPlanFile(`${FIXTURES}/layouts/toc/baishi-linye-guihua.txt`);

  it("reads every chapter once, without a warning about repeated numbers", () => {
    expect(d.units.filter((u) => u.kind === "chapter").map((u) => [u.ref, u.label, u.heading])).toEqual([
      ["chapter:1", "第一章", "发展基础"],
      ["chapter:2", "第二章", "总体要求"],
      ["chapter:3", "第三章", "重点任务"],
      ["chapter:4", "第四章", "保障措施"],
    ]);
    expect(d.units.filter((u) => u.kind === "subchapter").map((u) => u.label)).toEqual(["第一节", "第二节"]);
    expect(d.warnings).toEqual([]);
  });

  it("keeps the text before the first real chapter as the preamble", () => {
    const pre = d.units.find((u) => u.kind === "preamble")!;
    expect(pre.heading).toBe("白石县“十五五”林业发展规划");
    expect(pre.text).toContain("本规划依据县国民经济和社会发展第十五个五年规划纲要编制，规划期为2026—2030年。");
    expect(pre.text).not.toContain("目");
    // The opening paragraph is not in the last chapter the contents listed.
    const last = d.units.find((u) => u.label === "第四章")!;
    expect(last.text).toBe("第四章　保障措施\n县财政每年安排林业发展资金不少于3000万元。");
  });

  it("cites no line of the contents", () => {
    const cited = new Set(d.units.flatMap((u) => u.source.lines));
    for (let no = 4; no <= 10; no++) expect(cited.has(no), `line ${no}`).toBe(false);
  });

  it("takes a run of bare headings with page numbers, printed again below, for contents without a 目录 line", () => {
    const text = ["某市养老服务规划", "第一章 总体要求 1", "第二章 重点任务 3", "第三章 保障措施 5", "", "为推进养老服务发展，制定本规划。",
      "第一章 总体要求", "到2030年，养老机构护理型床位占比达到65%。", "第二章 重点任务", "建设社区养老服务中心20个。", "第三章 保障措施", "加强组织领导。"].join("\n");
    const doc = parsePlan(text, "x.txt");
    expect(doc.units.map((u) => u.label)).toEqual(["前言", "第一章", "第二章", "第三章"]);
    expect(doc.units[0]!.text).toContain("为推进养老服务发展，制定本规划。");
  });

  it("matches a listed title against a chapter whose title is printed on the line under its number", () => {
    const text = ["某县实施办法", "目录", "第一章　总则", "第二章　附则", "", "第一章", "总则", "第一条　为规范管理，制定本办法。", "第二章", "附则", "第二条　本办法自2026年1月1日起施行。"].join("\n");
    expect(labels(text)).toEqual(["前言", "第一章", "第一条", "第二章", "第二条"]);
  });

  it("takes unnumbered entries with dot leaders (前言……1, 附件……9) as part of the contents", () => {
    const text = ["某县实施方案", "目录", "前言……………1", "一、总体要求……2", "二、重点任务……3", "附件……………9", "", "为推进工作，制定本方案。",
      "一、总体要求", "到2027年，完成改造100处。", "二、重点任务", "建设示范点20个。"].join("\n");
    const doc = parsePlan(text, "x.txt");
    expect(doc.units.map((u) => u.label)).toEqual(["前言", "一、总体要求", "二、重点任务"]);
    expect(doc.units[0]!.text).toBe("某县实施方案\n为推进工作，制定本方案。");
  });

  it("keeps headings that are not printed again: a chapter right above its first sections is no table of contents", () => {
    const text = ["某县规划", "第一章 发展基础", "第一节 主要成效", "第二节 面临形势", "第三节 存在问题", "全县完成营造林8.6万亩。", "第二章 保障措施", "加强组织领导。"].join("\n");
    expect(labels(text)).toEqual(["前言", "第一章", "第一节", "第二节", "第三节", "第二章"]);
    // A 目录 line over headings that are never printed again is left as it is.
    const lone = ["某县规划", "目录", "第一章 发展基础", "第二章 保障措施", "全县完成营造林8.6万亩。"].join("\n");
    expect(labels(lone)).toEqual(["前言", "第一章", "第二章"]);
  });
});
