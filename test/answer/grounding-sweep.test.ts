import { describe, expect, it } from "vitest";
import { planFacts, verifyAnswer } from "../../src/answer/citations.js";
import { fixtureKb } from "../support/kb.js";

/**
 * A sweep, not a set of chosen questions: for every unit of two invented plans (boxes with a year in
 * their title, annex tables, one-sentence tasks), questions built from its label and heading must get
 * answers whose quotes are verbatim, whose every number a cited unit states, and which say something.
 */
describe("every answer on a whole plan is grounded and says something", () => {
  it("asks each unit's label and heading and checks every answer", async () => {
    const { kb, engine } = await fixtureKb("invented-plans/dev");
    const facts = planFacts(kb.docs);
    const questions = kb.docs.flatMap((d) =>
      d.units.flatMap((u) => {
        const h = u.heading.replace(/[（(].*?[)）]/g, "").slice(0, 16);
        return h ? [`${u.label}讲什么`, `${h}有哪些要求`, `${h}的目标是多少`] : [];
      }),
    );
    expect(questions.length).toBeGreaterThan(300);
    const problems: string[] = [];
    for (const question of questions) {
      const r = await engine.answer({ question });
      const check = verifyAnswer(r.answer, r.citations, (c) => kb.retriever.unit(c.doc, c.ref), r.abstained ? facts : "");
      if (check.badQuotes.length) problems.push(`${question}: quote not verbatim`);
      if (check.ungroundedNumbers.length) problems.push(`${question}: ungrounded ${check.ungroundedNumbers.join(",")}`);
      if (r.grade !== "declined" && (r.citations.length === 0 || /[：:]$/.test(r.answer.trim()))) problems.push(`${question}: answered with nothing`);
    }
    expect(problems).toEqual([]);
  }, 120_000);
});

describe("when a unit named by its heading is to be done", () => {
  it("shows the dates that unit states as the closest answer, not 'no date' beside them", async () => {
    const { kb, engine } = await fixtureKb("invented-plans/dev");
    const r = await engine.answer({ question: "加快大功率充电技术推广应用什么时候完成" });
    expect(r.grade).toBe("closest");
    expect(r.answer).toContain("2028年底");
    expect(r.answer).not.toContain("没有给出这个时间");
    const check = verifyAnswer(r.answer, r.citations, (c) => kb.retriever.unit(c.doc, c.ref));
    expect(check.badQuotes.length + check.ungroundedNumbers.length).toBe(0);
  });
});
