import { beforeAll, describe, expect, it } from "vitest";
import type { AnswerEngine } from "../../src/answer/engine.js";
import type { KnowledgeBase } from "../../src/knowledge.js";
import type { PlanDocument } from "../../src/plan/types.js";
import { parsePlan } from "../../src/plan/parse.js";
import { askChecked, fixtureKb } from "../support/kb.js";

// A city's 若干措施 printed as flat measures, each titled by a name in brackets and closed by its responsible
// departments in brackets: 1.【降低融资成本】对小微企业…不超过20万元。（责任单位：市财政局…）, then 本措施自…起施行.
let kb: KnowledgeBase;
let engine: AnswerEngine;
let doc: PlanDocument;
beforeAll(async () => {
  ({ kb, engine } = await fixtureKb("flat-measures"));
  doc = kb.docs[0]!;
});

describe("measures titled by a name in brackets", () => {
  it("keeps the measure's first sentence, which opens with its bracketed name, as its content", async () => {
    expect(doc.units.filter((u) => u.kind === "task").map((u) => /^【(.+?)】/.exec(u.heading)?.[1])).toEqual(["降低融资成本", "减免房屋租金", "支持首次升规", "鼓励吸纳就业", "优化审批服务"]);
    const r = await askChecked(kb, engine, "小微企业新增贷款贴息每户一年最多多少？");
    expect(r.answer).toContain("20万元");
    expect(r.citations[0]?.ref).toBe("task:1");
  });

  it("lists every measure when the question names the whole document (支持小微企业有哪些措施)", async () => {
    const r = await askChecked(kb, engine, "支持小微企业有哪些措施？");
    expect(r.answer).toContain("方案共5项");
    expect(r.answer).toContain("▸ 第1项 降低融资成本");
    for (const h of ["降低融资成本", "减免房屋租金", "支持首次升规", "鼓励吸纳就业", "优化审批服务"]) expect(r.answer).toContain(h);
    expect(r.answer).toContain("单户企业年度贴息不超过20万元");
    expect(r.citations.map((c) => c.ref)).toContain("task:5");
  });

  it("starts a paragraph at a line that opens as a document's closing: 本措施自…施行 is its own (结语), not more of measure 5", () => {
    expect(doc.units.find((u) => u.ref === "task:5")?.text).not.toContain("本措施");
    expect(doc.units.find((u) => u.kind === "closing")?.text).toContain("有效期至2028年12月31日");
  });

  it("still joins a line broken after a parenthesis to the line that goes on", () => {
    const d = parsePlan(["某市方案", "一、总则", "对企业给予补贴。（每户不超过", "5万元）。", "支持企业上市（含新三板）", "挂牌给予奖励。"].join("\n"), "x.txt");
    expect(d.units.find((u) => u.ref === "part:1")?.text).toContain("（每户不超过5万元）");
    expect(d.units.find((u) => u.ref === "part:1")?.text).toContain("（含新三板）挂牌");
  });
});
