import type { AnswerEngine } from "../../src/answer/engine.js";
import { beforeAll, describe, expect, it } from "vitest";
import { fixtureKb } from "../support/kb.js";

describe("an entry of a 专栏 asked by its place (专栏1第2项), with several plans that print one", () => {
  let engine: AnswerEngine;
  beforeAll(async () => {
    ({ engine } = await fixtureKb("layouts-extra"));
  });

  it("answers the entry of the plan the question names, not that plan's task 2", async () => {
    const a = await engine.answer({ question: "东川数字乡村行动计划专栏1第2项是什么" });
    expect(a.citations[0]).toMatchObject({ doc: "dongchuan-shuzi-xiangcun", ref: "box:1/row:2" });
    expect(a.answer).toContain("光网改造");
  });

  it("answers for each plan that has the entry when none is named", async () => {
    const a = await engine.answer({ question: "专栏1第2项讲什么" });
    expect(new Set(a.citations.map((c) => `${c.doc}:${c.ref}`))).toEqual(new Set(["dongchuan-shuzi-xiangcun:box:1/row:2", "pingshan-jiceng-yiliao:box:1/row:2"]));
  });
});

describe("an item asked by its section (二（一）2)", () => {
  it("answers that item of that section, not task 2 elsewhere", async () => {
    const { engine } = await fixtureKb("layouts-extra");
    const a = await engine.answer({ question: "社区食堂运营服务规范提升方案一（二）讲什么？" });
    expect(a.citations[0]).toMatchObject({ doc: "qingshan-shitang-duoduan", ref: "section:2" });
  });
});
