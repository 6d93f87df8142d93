import { beforeAll, describe, expect, it } from "vitest";
import type { AnswerEngine } from "../../src/answer/engine.js";
import type { KnowledgeBase } from "../../src/knowledge.js";
import { askChecked, fixtureKb } from "../support/kb.js";

// A subsidy's tiers printed as numbered entries under a titled lead (（一）发放就业安家补贴。…具体标准如下：1.博士… 2.硕士…),
// beside a section that names the same words for another group; and a 热点问答 part a resident asks in family words.
let kb: KnowledgeBase;
let engine: AnswerEngine;
beforeAll(async () => ({ kb, engine } = await fixtureKb("tiered-entries")));

describe("numbered entries under a titled lead, and residents' family words", () => {

  it("answers a tier from its entry: the entry stands under its unit's title and lead", async () => {
    const r = await askChecked(kb, engine, "硕士研究生到企业上班，安家补贴给多少？");
    expect(r.grade).toBe("answered");
    expect(r.citations[0]?.label).toMatch(/（一）2\.$/);
    expect(r.answer).toContain("4万元");
    expect(r.answer).not.toMatch(/^给予一次性安家补贴6万元/);
  });

  it("still lists the titled unit for a list question, not one of its entries", async () => {
    const r = await askChecked(kb, engine, "就业安家补贴的标准有哪些？");
    expect(r.citations.some((c) => c.ref === "section:1" || c.ref.startsWith("task:1."))).toBe(true);
    expect(r.answer).toContain("博士研究生每人12万元");
    expect(r.answer).toContain("本科毕业生每人1.5万元");
  });

  it("reads 老婆 and 孩子 as the people the plan names otherwise (夫妻, 婴幼儿), not as a topic it lacks", async () => {
    const leave = await askChecked(kb, engine, "我老婆下个月预产期，她产假能休多少天？");
    expect(leave.grade).toBe("answered");
    expect(leave.answer).toMatch(/158天|98天/);
    const child = await askChecked(kb, engine, "每个孩子一年能领多少育儿补贴？");
    expect(child.grade).toBe("answered");
    expect(child.answer).toContain("3600元");
  });

  it("gives the bound asked (最多多少) beside the figure that answers the rest, from the same sentence", async () => {
    const r = await askChecked(kb, engine, "我在临河开了公司，贷款利息政府能帮着出一部分吗？最多多少？");
    expect(r.answer).toContain("50%");
    expect(r.answer).toContain("5万元");
  });

  it("answers each part of a two-part question in the measure it asks, read with the clause before its figure", async () => {
    const loan = await askChecked(kb, engine, "二孩家庭用公积金贷款，额度能上浮多少？双职工家庭最高能贷到多少？");
    expect(loan.answer).toContain("20%");
    expect(loan.answer).toContain("84万元");
    const times = await askChecked(kb, engine, "购房补贴要在办完不动产登记后多久内申请？审核通过后多少个工作日内发钱？");
    expect(times.answer).toContain("6个月内");
    expect(times.answer).toContain("30个工作日内");
  });
});

describe("questions a plan does not answer though it speaks of their topic", () => {

  it("declines who holds an office, a market price, a count of what was done, and another large city's figure", async () => {
    for (const q of ["临河市人力资源社会保障局的局长是谁？", "临河现在人才公寓的市场价一般一个月多少钱？", "2027年一共有多少名博士申领了安家补贴？", "长沙的硕士研究生安家补贴是多少？"]) {
      const r = await askChecked(kb, engine, q);
      expect(r.grade, q).toBe("declined");
    }
    // The city's own figure is still answered.
    expect((await askChecked(kb, engine, "临河的硕士研究生安家补贴是多少？")).grade).toBe("answered");
  });
});

describe("numbers to call printed as a list of offices and a table of contacts", () => {

  it("finds the office's line for a topic asked about, though the topic's own unit prints no number", async () => {
    const r = await askChecked(kb, engine, "公积金贷款的事归哪个单位管？电话多少？");
    expect(r.grade).toBe("answered");
    expect(r.answer).toMatch(/^市住房公积金管理中心（公积金贷款）：0471-6023456/);
    // Each office stays a line of its own: its quote holds one number.
    expect(r.citations[0]?.quote).not.toContain("0471-6012345");
  });

  it("puts first the table row that names the asker's district", async () => {
    const r = await askChecked(kb, engine, "我在西城区，想问问补贴的事，找谁？电话多少？");
    expect(r.answer).toContain("0471-6205678");
    expect(r.answer.indexOf("0471-6205678")).toBeLessThan(r.answer.indexOf("0471-6101234") === -1 ? Infinity : r.answer.indexOf("0471-6101234"));
  });
});

describe("a table of contacts at the very end of a plan", () => {
  it("is kept as the plan's text, not dropped as a closing block of slogans", async () => {
    const { parsePlan } = await import("../../src/plan/parse.js");
    const doc = parsePlan("临河市测试方案\n一、联系方式\n（二）各区联系人及联系电话\n区\t联系人\t联系电话\n东城区\t王明\t0471-6101234\n西城区\t李华\t0471-6205678\n", "t.txt");
    const text = doc.units.map((u) => u.text).join("\n");
    expect(text).toContain("东城区\t王明\t0471-6101234");
    expect(text).toContain("西城区\t李华\t0471-6205678");
  });
});

describe("a plan printed without an issuing notice", () => {
  it("answers its 文号 and date from its opening lines, with other plans' notices loaded beside it", async () => {
    const { openKnowledgeBase } = await import("../../src/knowledge.js");
    const { createAnswerEngine } = await import("../../src/answer/engine.js");
    const { memoryLogger, testConfig } = await import("../support/kb.js");
    const { repoPath } = await import("../helpers.js");
    const config = testConfig({ SEEDS_DIR: repoPath("test/fixtures/tiered-entries") });
    const kb = await openKnowledgeBase({ config, logger: memoryLogger().logger, persist: false, extraDirs: [repoPath("test/fixtures/restart-items")] });
    const engine = createAnswerEngine({ kb, config, logger: memoryLogger().logger });
    const r = await askChecked(kb, engine, "这份措施的文号是多少？是哪天印发的？");
    expect(r.citations[0]?.ref).toBe("preamble");
    expect(r.answer).toContain("临政办发〔2027〕3号");
  });
});
