import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./run.js";

const env = { INDEX_DIR: mkdtempSync(join(tmpdir(), "policybot-cli-")) };

describe("policybot ask", () => {
  it("--json prints the contract object with a cited 78万亩 answer", async () => {
    const { code, out } = await runCli(["ask", "今年高标准农田要建多少？", "--json"], undefined, env);
    expect(code).toBe(0);
    const r = JSON.parse(out);
    expect(Object.keys(r)).toEqual(["question", "answer", "abstained", "grade", "mode", "citations", "ms"]);
    expect(r.answer).toContain("78万亩");
    expect(r.citations[0]).toEqual({ doc: "zhejiang-2026-qianwan-plan", ref: "task:5", label: "第5项", heading: "增强粮食等重要农产品供给保障能力", quote: "新建和改造提升高标准农田78万亩" });
  });

  it("--jsonl answers every line in order, with ids and history, and reports bad lines without stopping", async () => {
    const input = [
      JSON.stringify({ id: 1, q: "高标准农田今年建多少" }),
      "not json",
      JSON.stringify({ id: "b", q: "那灌溉面积呢", history: [{ q: "高标准农田今年建多少", a: "78万亩〔第5项〕" }] }),
      JSON.stringify({ id: 3, q: "" }),
      JSON.stringify({ id: 4 }),
    ].join("\n");
    const { code, out } = await runCli(["ask", "--jsonl"], input, env);
    const lines = out.trim().split("\n").map((l) => JSON.parse(l));
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatchObject({ id: 1, abstained: false, mode: "extractive" });
    expect(lines[1]).toEqual({ id: null, error: "第2行不是有效的 JSON。" });
    expect(lines[2].id).toBe("b");
    expect(lines[2].answer).toContain("30万亩");
    expect(lines[3]).toMatchObject({ id: 3, error: expect.stringMatching(/^第4行：请输入问题/) });
    expect(lines[4]).toEqual({ id: 4, error: '第5行格式不对：缺少 q。每行应为 {"q":"问题"}，可带 id、history、doc。' });
    expect(code).toBe(1);
  });

  it("--jsonl reports each bad line in Chinese by default and in English with --lang en", async () => {
    const input = ["{oops", JSON.stringify({ id: 2, q: 7 }), JSON.stringify({ id: 3, q: "" }), JSON.stringify({ id: 4, q: "高标准农田", doc: "没有这份方案" }), JSON.stringify([1])].join("\n");
    const zh = (await runCli(["ask", "--jsonl"], input, env)).out.trim().split("\n").map((l) => JSON.parse(l));
    expect(zh.map((l) => l.error)).toEqual([
      "第1行不是有效的 JSON。",
      '第2行格式不对：q 的类型不对。每行应为 {"q":"问题"}，可带 id、history、doc。',
      "第3行：请输入问题，例如：有哪些量化目标？",
      expect.stringMatching(/^第4行：doc 无效：没有找到方案“没有这份方案”/),
      '第5行格式不对：整行 的类型不对。每行应为 {"q":"问题"}，可带 id、history、doc。',
    ]);
    const en = (await runCli(["ask", "--jsonl", "--lang", "en"], input, env)).out.trim().split("\n").map((l) => JSON.parse(l));
    expect(en.map((l) => l.error)).toEqual([
      "line 1 is not valid JSON",
      'line 2: q has the wrong type; each line must be {"q":"question"}, optionally with id, history, doc',
      "line 3: The question is empty. Ask e.g.: what are the plan's targets?",
      expect.stringMatching(/^line 4: doc: /),
      'line 5: the line has the wrong type; each line must be {"q":"question"}, optionally with id, history, doc',
    ]);
    // Nothing but the plan's own words in the English errors.
    for (const l of en.slice(0, 3).concat(en.slice(4))) expect(l.error).not.toMatch(/[\u4e00-\u9fff]/);
  });

  it("rejects a missing question with a usage message", async () => {
    const { code, err } = await runCli(["ask"], undefined, env);
    expect(code).toBe(2);
    expect(err).toMatch(/请给出问题/);
  });
});

describe("policybot chat", () => {
  it("answers piped questions in order, follows up, shows /task and exits at end of input", async () => {
    const { code, out } = await runCli(["chat"], "就业方面有什么安排\n那青年创业呢？\n/task 五\n/help\n", env);
    expect(code).toBe(0);
    const youth = out.indexOf("青年创业伙伴计划");
    const task5 = out.indexOf("〔第5项〕增强粮食等重要农产品供给保障能力");
    expect(youth).toBeGreaterThan(0);
    expect(task5).toBeGreaterThan(youth);
    expect(out).toContain("/task N");
    expect(out.trim().endsWith("再见。")).toBe(true);
  });
});

describe("policybot search", () => {
  it("puts task 5 first for the greenhouse-housing question, as JSON", async () => {
    const { code, out } = await runCli(["search", "有人在耕地上违规盖大棚房，管不管？", "--json", "-k", "3"], undefined, env);
    expect(code).toBe(0);
    const r = JSON.parse(out);
    expect(r.units).toHaveLength(3);
    expect(r.units[0]).toMatchObject({ ref: "task:5", label: "第5项" });
    expect(r.lowConfidence).toBe(false);
  });
});
