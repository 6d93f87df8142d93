import { beforeAll, describe, expect, it } from "vitest";
import type { AnswerEngine } from "../../src/answer/engine.js";
import type { KnowledgeBase } from "../../src/knowledge.js";
import { loadPlanFile } from "../../src/plan/load.js";
import { parsePlan } from "../../src/plan/parse.js";
import type { PlanDocument } from "../../src/plan/types.js";
import { FIXTURES } from "../helpers.js";
import { askChecked, fixtureKb } from "../support/kb.js";

// A 办事指南 as counties print them: 【办理依据】, 【申请条件】 over numbered conditions, 【办理时限】 over one line,
// and a site's 【打印】【关闭】 buttons under the title.
describe("headings in black lenticular brackets (【申请条件】)", () => {
  let d: PlanDocument;
  beforeAll(async () => {
    d = await loadPlanFile(`${FIXTURES}/bracket-guide/linjiang-2027-juzhuzheng-zhinan.txt`);
  });

  it("reads each as a part labelled as printed, with the numbered lines under it as its own", () => {
    const parts = d.units.filter((u) => u.kind === "part");
    expect(parts.map((u) => u.label)).toEqual(["【事项名称】", "【办理依据】", "【申请条件】", "【所需材料】", "【办理地点】", "【办理时限】", "【收费标准】", "【有效期和签注】", "【咨询电话】"]);
    expect(parts.find((u) => u.label === "【申请条件】")!.children).toHaveLength(3);
    expect(d.units.find((u) => u.label === "【所需材料】3.")!.text).toContain("证明材料之一");
    // The time limit is its own part's text, not more of the last material.
    expect(d.units.find((u) => u.label === "【所需材料】3.")!.text).not.toContain("工作日");
    expect(d.units.find((u) => u.label === "【办理时限】")!.text).toContain("5个工作日内办结");
    expect(d.warnings).toEqual([]);
  });

  it("needs three of them, reads them as parts only in a document without parts of its own, and never takes a site's buttons or a box for one", () => {
    const two = parsePlan(["某县指南", "【办理时限】", "5个工作日。", "【收费标准】", "不收费。", "1. 本指南自发布之日起施行。"].join("\n"), "x.txt");
    expect(two.units.some((u) => u.label.startsWith("【"))).toBe(false);
    const three = ["【办理时限】", "5个工作日。", "【收费标准】", "不收费。", "【咨询电话】", "0576-88881100"];
    expect(parsePlan(["某县指南", ...three, "1. 本指南自发布之日起施行。"].join("\n"), "y.txt").units.filter((u) => u.kind === "part").map((u) => u.label)).toEqual(["【办理时限】", "【收费标准】", "【咨询电话】"]);
    const withParts = parsePlan(["某县指南", "一、总则", "说明。", ...three].join("\n"), "z.txt");
    // In a document of its own parts they are sections of the part they stand in (a 申报通知), never parts.
    expect(withParts.units.some((u) => u.label.startsWith("【"))).toBe(false);
    expect(withParts.units.filter((u) => u.kind === "section").map((u) => u.label)).toEqual(["一【办理时限】", "一【收费标准】", "一【咨询电话】"]);
    expect(d.units.some((u) => /打印|关闭/.test(u.label))).toBe(false);
  });
});

describe("asking a guide of bracketed parts", () => {
  let kb: KnowledgeBase;
  let engine: AnswerEngine;
  beforeAll(async () => ({ kb, engine } = await fixtureKb("bracket-guide")));

  it("answers from the part that holds the answer, quoting its text without the heading", async () => {
    const fee = await askChecked(kb, engine, "补办居住证要交多少钱？");
    expect(fee.citations[0]?.label).toBe("【收费标准】");
    expect(fee.answer).toContain("20元");
    const where = await askChecked(kb, engine, "在哪里办居住证？");
    expect(where.citations[0]?.label).toBe("【办理地点】");
    expect(where.answer).not.toMatch(/^【办理地点】〔/m);
  });

  it("reads the title's topic (居住证) as what every part of the guide is about", async () => {
    const r = await askChecked(kb, engine, "居住证办下来要几天？");
    expect(r.grade).not.toBe("declined");
    expect(r.answer).toContain("5个工作日内");
  });
});
