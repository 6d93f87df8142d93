import { describe, expect, it } from "vitest";
import { makeQuestion } from "../../src/quiz/generate.js";
import { gradeAnswer, parseChineseDecimal, quantityMatches } from "../../src/quiz/grade.js";
import type { QuizQuestion } from "../../src/quiz/types.js";
import { extractTargets } from "../../src/targets/extract.js";
import { seedPlan } from "../helpers.js";

const doc = seedPlan();
const targets = extractTargets(doc);
const data = { targets, units: doc.units };
const target = (value: number, unit: string) => targets.find((t) => t.value === value && t.unit === unit)!;
const ok = (q: QuizQuestion, r: string) => gradeAnswer(q, r).correct;

describe("fill answers", () => {
  const farmland = makeQuestion(target(78, "万亩"), "fill", 1, data)!;
  const urban = makeQuestion(target(76.5, "%"), "fill", 1, data)!;
  const ratio = makeQuestion(target(1.8, ""), "fill", 1, data)!;

  it.each(["78", "78万", "78万亩", "七十八万亩", "78 万亩", "７８万亩", "７８ 万亩", "780000亩", "780000", "七十八", "78万亩。", "达到78万亩"])("accepts %s for 78万亩", (r) => {
    expect(ok(farmland, r)).toBe(true);
  });

  it.each(["78亩", "78万吨", "77万亩", "79", "七十七万亩", "780万亩", "", "abc"])("rejects %s for 78万亩", (r) => {
    expect(ok(farmland, r)).toBe(false);
  });

  it.each(["76.5", "76.5%", "76.5％", "百分之七十六点五", "七十六点五%", "７６．５"])("accepts %s for 76.5%%", (r) => {
    expect(ok(urban, r)).toBe(true);
  });

  it.each(["76", "77.5%", "76.5万", "76.5个", "百分之七十六"])("rejects %s for 76.5%%", (r) => {
    expect(ok(urban, r)).toBe(false);
  });

  it("reads a bare ratio and its Chinese spelling", () => {
    expect(ok(ratio, "1.8")).toBe(true);
    expect(ok(ratio, "一点八")).toBe(true);
    expect(ok(ratio, "1.5")).toBe(false);
  });

  it("treats 名 and 人 alike but not other measure words", () => {
    const veterans = makeQuestion(targets.find((t) => t.unit === "万名")!, "fill", 1, data)!;
    expect(ok(veterans, "1万名")).toBe(true);
    expect(ok(veterans, "一万人")).toBe(true);
    expect(ok(veterans, "10000")).toBe(true);
    expect(ok(veterans, "1万个")).toBe(false);
  });

  it("explains with the expected value, the quote and the label", () => {
    const g = gradeAnswer(farmland, "80");
    expect(g).toMatchObject({ correct: false, expected: "78万亩", quote: "新建和改造提升高标准农田78万亩", label: "第5项", ref: "task:5" });
    expect(g.explanation).toContain("78万亩");
    expect(g.explanation).toContain("第5项");
  });

  it("parses Chinese decimals", () => {
    expect(parseChineseDecimal("七十六点五")).toBe(76.5);
    expect(parseChineseDecimal("一点五")).toBe(1.5);
    expect(parseChineseDecimal("两万")).toBe(20000);
    expect(parseChineseDecimal("点")).toBeUndefined();
    expect(quantityMatches("一点五万亩", 1.5, "万亩")).toBe(true);
    expect(quantityMatches("3千瓦", 3, "千瓦")).toBe(true);
  });
});

describe("choice answers", () => {
  const q = makeQuestion(target(78, "万亩"), "choice", 1, data)!;
  const i = q.options.indexOf(q.answer);
  const wrong = (i + 1) % 4;
  const letter = "ABCD"[i]!;

  it("accept the option text, the letter in either case and the 1-based index", () => {
    for (const r of [q.answer, letter, letter.toLowerCase(), `${letter}.`, `（${letter}）`, String(i + 1), `${letter}. ${q.answer}`, "78", "七十八万亩"]) expect(ok(q, r), r).toBe(true);
  });

  it("reject another option, its letter and its index", () => {
    for (const r of [q.options[wrong]!, "ABCD"[wrong]!, String(wrong + 1), "5", "E", "78亩"]) expect(ok(q, r), r).toBe(false);
  });

  it("show the letter in the expected answer", () => {
    expect(gradeAnswer(q, "x").expected).toBe(`${letter}. ${q.answer}`);
  });
});

describe("which-task answers", () => {
  const q = makeQuestion(target(78, "万亩"), "which-task", 1, data)!;
  it("accept the option, its letter or the label alone", () => {
    const letter = "ABCD"[q.options.indexOf(q.answer)]!;
    for (const r of [q.answer, letter, "第5项", "第五项"]) expect(ok(q, r), r).toBe(true);
    for (const r of ["第6项", "（三）"]) expect(ok(q, r), r).toBe(false);
  });
});

describe("true-false answers", () => {
  const t = targets.find((x) => x.metric === "能繁母猪保有量")!;
  const qs = Array.from({ length: 20 }, (_, v) => makeQuestion(t, "true-false", v, data)!);
  const yes = qs.find((q) => q.answer === "对")!;
  const no = qs.find((q) => q.answer === "错")!;

  it.each(["对", "是", "正确", "true", "TRUE", "T", "t", "√", "A", "1"])("reads %s as true", (r) => {
    expect(ok(yes, r)).toBe(true);
    expect(ok(no, r)).toBe(false);
  });

  it.each(["错", "否", "错误", "false", "F", "×", "B", "2"])("reads %s as false", (r) => {
    expect(ok(no, r)).toBe(true);
    expect(ok(yes, r)).toBe(false);
  });

  it("rejects what it cannot read", () => {
    expect(ok(yes, "maybe")).toBe(false);
    expect(ok(no, "")).toBe(false);
  });
});
