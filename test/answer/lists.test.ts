import { describe, expect, it } from "vitest";
import { verifyAnswer } from "../../src/answer/citations.js";
import { bodySentences } from "../../src/answer/unit-text.js";
import { sharedKb, testEngine } from "../support/kb.js";
import { analyzeQuery } from "../../src/retrieve/query.js";
import { loadVocabulary } from "../../src/retrieve/vocabulary.js";

describe("complete list answers", () => {
  it("lists every measure of the unit for 有哪些举措, each cited", async () => {
    const kb = await sharedKb();
    const r = await (await testEngine()).answer({ question: "养老方面有哪些举措" });
    const unit = kb.retriever.unit(kb.docs[0]!.id, "task:17")!;
    expect(r.grade).toBe("answered");
    for (const s of bodySentences(unit)) expect(r.answer).toContain(s);
    expect(r.citations.every((c) => c.ref === "task:17")).toBe(true);
  });

  it("lists the contents of the unit whose heading the question names (…部分有哪几项), not the units that mention it", async () => {
    const r = await (await testEngine()).answer({ question: "方案的重大改革支撑部分有哪几项改革" });
    for (const label of ["（九）", "（十）", "（十一）"]) expect(r.answer).toContain(label);
    expect(r.answer).not.toContain("涉及这一内容的条目");
  });

  it("lists the targets on a topic for 目标数字有哪些, with no number the plan does not state", async () => {
    const kb = await sharedKb();
    const r = await (await testEngine()).answer({ question: "方案里有哪些跟养老有关的目标数字？" });
    expect(r.grade).toBe("answered");
    expect(r.answer).toContain("26人");
    expect(verifyAnswer(r.answer, r.citations, (c) => kb.retriever.unit(c.doc, c.ref)).ungroundedNumbers).toEqual([]);
  });

  it("groups a parent unit's measures by its children", async () => {
    const r = await (await testEngine()).answer({ question: "（六）深入推进基本公共服务一体化有哪些举措" });
    for (const label of ["第15项", "第16项", "第17项", "第18项"]) expect(r.answer).toContain(label);
  });
  it("takes a task that is one sentence (3. 每50平方米至少配置2具灭火器。) as its own measure, so its list is not empty", () => {
    const unit = { doc: "demo", ref: "task:4.1.3", kind: "task" as const, number: 3, label: "四（一）3.", heading: "每50平方米至少配置2具灭火器", path: "", parents: [], children: [], text: "3. 每50平方米至少配置2具灭火器。", source: { startLine: 1, endLine: 1, lines: [1] }, repairs: [] };
    expect(bodySentences(unit)).toEqual(["每50平方米至少配置2具灭火器。"]);
    // A task with more to say keeps its first sentence as its heading only.
    expect(bodySentences({ ...unit, text: "3. 配齐器材。每50平方米至少配置2具灭火器。" })).toEqual(["每50平方米至少配置2具灭火器。"]);
  });
  it("answers a list question whose topic is a unit's whole heading from that unit, however long the heading", async () => {
    const engine = await testEngine();
    const parts = await engine.answer({ question: "重点工作有哪些举措" });
    expect(parts.citations[0]?.ref).toBe("part:2");
    for (const label of ["（一）", "（四）", "（八）"]) expect(parts.answer).toContain(label);
    const section = await engine.answer({ question: "深入推进基本公共服务一体化有哪些举措" });
    expect(section.citations[0]?.ref).toBe("section:6");
  });

  it("reads 数字化, 数字乡村 as names, not as a question for figures (有哪些数字 still is one)", () => {
    const vocab = loadVocabulary();
    expect(analyzeQuery("推进城市更新数字化有哪些举措", vocab).intent.quantity).toBe(false);
    expect(analyzeQuery("数字乡村建设有哪些举措", vocab).intent.quantity).toBe(false);
    expect(analyzeQuery("第17项有哪些数字", vocab).intent.quantity).toBe(true);
  });
});
