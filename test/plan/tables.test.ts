import { beforeAll, describe, expect, it } from "vitest";
import type { AnswerEngine } from "../../src/answer/engine.js";
import type { KnowledgeBase } from "../../src/knowledge.js";
import { loadPlanFile } from "../../src/plan/load.js";
import { FIXTURES } from "../helpers.js";
import { askChecked, fixtureKb } from "../support/kb.js";

const d = loadPlanFile(`${FIXTURES}/layouts/tables/nanling-jiaotong-guihua.txt`);
const byLabel = (label: string) => d.units.find((u) => u.label === label);

describe("table rows and box entries are cited as the plan prints them", () => {
  it("labels an indicator table's rows by the table's number and the indicator, not by a line count", () => {
    const rows = d.units.filter((u) => u.kind === "row" && u.parents.includes("subchapter:1.1"));
    expect(rows.map((u) => u.label)).toEqual(["表1 高速公路里程（公里）", "表1 农村公路优良中等路率（%）"]);
    expect(rows.every((u) => !/行$/.test(u.label))).toBe(true);
    const row = byLabel("表1 农村公路优良中等路率（%）")!;
    expect(row).toMatchObject({ kind: "row", heading: "农村公路优良中等路率（%）", parents: ["chapter:1", "subchapter:1.1"] });
    expect(row.text).toContain("农村公路优良中等路率（%）");
    expect(row.text).toContain("2030年：90");
    // The caption and the note stay citable in the section that prints them.
    expect(byLabel("第一章第一节")!.text).toContain("表1　南岭县“十五五”综合交通主要指标");
  });

  it("ends a table at the next heading, even one an ideographic space splits in two (第四章　附则)", () => {
    const plan = loadPlanFile(`${FIXTURES}/measures/shiqu-yangquan-banfa.txt`);
    expect(plan.units.filter((u) => u.kind === "row").map((u) => u.label)).toEqual(["表1 犬只免疫登记率（%）", "表1 犬只收容所床位（个）"]);
    expect(plan.units.find((u) => u.label === "第八条")?.text).toContain("实施细则");
    expect(plan.units.find((u) => u.label === "第四章")?.kind).toBe("chapter");
  });

  it("labels a numbered captioned table's rows 表2序号N", () => {
    expect(byLabel("表2序号2")).toMatchObject({ kind: "row", heading: "城西物流园" });
  });

  it("makes each numbered entry of a 专栏 a citable row 专栏1第N项", () => {
    const box = byLabel("专栏1")!;
    expect(box.children).toEqual(["box:1/row:1", "box:1/row:2", "box:1/row:3"]);
    expect(box.text).toBe("专栏1　交通重点工程");
    expect(byLabel("专栏1第1项")).toMatchObject({ ref: "box:1/row:1", kind: "row", heading: "高速公路工程", parents: ["chapter:2", "subchapter:2.1", "box:1"] });
    expect(byLabel("专栏1第1项")!.text).toBe("1.高速公路工程。建成南岭至临川高速公路，新增里程34公里。");
    expect(byLabel("专栏1第3项")!.heading).toBe("农村公路工程");
    expect(byLabel("专栏1第3项")!.path).toBe("第二章 重点任务 › 第一节 完善路网 › 专栏1 交通重点工程 › 第3项");
  });
});

describe("a figure asked of a 专栏 by its number is answered from its entry", () => {
  let kb: KnowledgeBase;
  let engine: AnswerEngine;
  beforeAll(async () => {
    ({ kb, engine } = await fixtureKb("layouts/tables"));
  });

  it("quotes the entry's figure, citing 专栏1第N项, rather than listing the box's entries", async () => {
    const r = await askChecked(kb, engine, "专栏1里国省干线工程改造多少公里");
    expect(r.abstained).toBe(false);
    expect(r.citations[0]).toMatchObject({ ref: "box:1/row:2", label: "专栏1第2项" });
    expect(r.answer).toContain("改造国省干线公路60公里");
  });
});

describe("a table's printed measure", () => {
  it("counts its figures, not its years or spans (单位：个 above 完成年份 and 建设期限)", async () => {
    const { rowText } = await import("../../src/plan/tables.js");
    const text = rowText(["序号", "地区", "新增托位", "完成年份", "建设期限"], ["1", "鄞州区", "720", "2027", "3"], true, "个");
    expect(text).toContain("新增托位（个）：720");
    expect(text).toContain("完成年份：2027");
    expect(text).toContain("建设期限：3");
  });
});
