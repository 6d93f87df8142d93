import type { AnswerEngine } from "../../src/answer/engine.js";
import { beforeAll, describe, expect, it } from "vitest";
import { fixtureKb } from "../support/kb.js";

describe("a question about the whole document's closing paragraphs", () => {
  let engine: AnswerEngine;
  beforeAll(async () => {
    ({ engine } = await fixtureKb("closing"));
  });

  it("cites the 结语, not the last section above it", async () => {
    const a = await engine.answer({ question: "这个方案有效期几年？" });
    expect(a.grade).toBe("answered");
    expect(a.citations[0]).toMatchObject({ ref: "closing", label: "结语" });
    expect(a.answer).toContain("有效期5年");
  });

  it("still answers the last section's own figure from it", async () => {
    const a = await engine.answer({ question: "市财政每年安排多少专项资金？" });
    expect(a.citations[0]).toMatchObject({ ref: "section:3.2" });
    expect(a.answer).toContain("2000万元");
  });
});

describe("the closing paragraphs asked for by name", () => {
  it("answers 结尾部分讲了什么 from the 结语", async () => {
    const { engine } = await fixtureKb("closing");
    const a = await engine.answer({ question: "方案结尾部分对各区有什么要求？" });
    expect(a.citations[0]).toMatchObject({ ref: "closing", label: "结语" });
    expect(a.answer).toContain("各区要结合实际制定具体实施细则");
  });
});
