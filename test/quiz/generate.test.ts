import { describe, expect, it } from "vitest";
import { composeRound, fairTargets, generateQuestions, quizSheet } from "../../src/quiz/compose.js";
import { filterTargets, makeQuestion, parseLabel, questionById, targetKey, unitOption } from "../../src/quiz/generate.js";
import { parseQuantity } from "../../src/quiz/grade.js";
import { QUESTION_TYPES, QuizQuestion } from "../../src/quiz/types.js";
import { extractTargets } from "../../src/targets/extract.js";
import { seedPlan } from "../helpers.js";

const doc = seedPlan();
const targets = extractTargets(doc);
const units = doc.units;
const data = { targets, units };
const unitOf = (ref: string) => units.find((u) => u.ref === ref)!;
const SEEDS = [1, 2, 3, 17, 99];

describe("fill questions", () => {
  it("blank the value and show the metric, the hedge and the label", () => {
    const t = targets.find((x) => x.value === 78 && x.unit === "万亩")!;
    const q = makeQuestion(t, "fill", 1, data)!;
    expect(q.question).toBe("填空：新建和改造提升高标准农田____万亩（第5项）");
    expect(q).toMatchObject({ options: [], answer: "78万亩", ref: "task:5", label: "第5项", quote: "新建和改造提升高标准农田78万亩", targetKey: targetKey(t) });
    const rate = makeQuestion(targets.find((x) => x.value === 76.5)!, "fill", 1, data)!;
    expect(rate.question).toBe("填空：2026年，全省常住人口城镇化率达到____%左右（一、总体要求）");
    expect(rate.answer).toBe("76.5%");
  });

  it("rebuild list items from the metric so the sibling value is not in the question", () => {
    const q = makeQuestion(targets.find((x) => x.metric === "粮食产量")!, "fill", 1, data)!;
    expect(q.question).toBe("填空：粮食产量稳定在____亿斤以上（第5项）");
    expect(q.question).not.toContain("1530");
  });

  it("never leave the answer's number in the question", () => {
    for (const t of targets) {
      const q = makeQuestion(t, "fill", 1, data)!;
      expect(q.question).toContain("____");
      expect(q.question.replace(/“[^”]*”/g, "")).not.toMatch(new RegExp(`(?<![0-9.])${String(t.value).replace(".", "\\.")}${t.unit}`));
    }
  });
});

describe("multiple choice", () => {
  it("has three valid distractors for every target and seed", () => {
    for (const seed of SEEDS) {
      for (const t of targets) {
        const q = makeQuestion(t, "choice", seed, data)!;
        expect(q.options).toHaveLength(4);
        expect(new Set(q.options).size).toBe(4);
        expect(q.options.filter((o) => o === q.answer)).toHaveLength(1);
        for (const o of q.options) {
          // Same unit, formatted the same way: a number then exactly the target's unit.
          const p = parseQuantity(o)!;
          expect(p, o).toBeDefined();
          expect(p.rest).toBe(t.unit);
          expect(o).toMatch(/^\d+(?:\.\d+)?/);
          if (o !== q.answer) expect(p.number).not.toBe(t.value);
          if (t.unit === "%") expect(p.number).toBeLessThanOrEqual(100);
          expect(p.number).toBeGreaterThan(0);
        }
      }
    }
  });

  it("keep the answer's decimals on made-up values", () => {
    const q = makeQuestion(targets.find((x) => x.value === 1.8)!, "choice", 3, data)!;
    for (const o of q.options) expect(o).toMatch(/^\d+\.\d$/);
  });

  it("blank the unit too, so the options carry it", () => {
    const q = makeQuestion(targets.find((x) => x.value === 78)!, "choice", 1, data)!;
    expect(q.question).toBe("选择：新建和改造提升高标准农田____（第5项）");
  });
});

describe("which-task questions", () => {
  it("offer real unit labels, never the target's own parents", () => {
    const real = new Set(units.map(unitOption));
    for (const seed of SEEDS) {
      for (const t of targets) {
        const q = makeQuestion(t, "which-task", seed, data)!;
        const own = unitOf(t.ref);
        expect(q.answer).toBe(unitOption(own));
        expect(q.options).toHaveLength(4);
        expect(new Set(q.options).size).toBe(4);
        for (const o of q.options) expect(real.has(o), o).toBe(true);
        for (const p of own.parents) expect(q.options).not.toContain(unitOption(unitOf(p)));
      }
    }
  });

  it("prefer tasks of the same section", () => {
    const q = makeQuestion(targets.find((x) => x.value === 78)!, "which-task", 1, data)!;
    expect(q.options.sort()).toEqual(["task:5", "task:6", "task:7", "task:8"].map((r) => unitOption(unitOf(r))).sort());
    expect(q.answer).toBe("第5项 增强粮食等重要农产品供给保障能力");
  });
});

describe("true-false questions", () => {
  it("state the true qualifier or a swapped one", () => {
    const t = targets.find((x) => x.metric === "能繁母猪保有量")!;
    const seen = new Map<string, string>();
    for (let v = 0; v < 40; v++) {
      const q = makeQuestion(t, "true-false", v, data)!;
      expect(q.options).toEqual(["对", "错"]);
      seen.set(q.answer, q.question);
    }
    expect(seen.get("对")).toBe("判断对错：能繁母猪保有量稳定在65万头左右（第5项）");
    expect(seen.get("错")).toBe("判断对错：能繁母猪保有量稳定在65万头以上（第5项）");
  });

  it("are not made for targets without a hedge to swap", () => {
    expect(makeQuestion(targets.find((x) => x.value === 78)!, "true-false", 1, data)).toBeUndefined();
  });
});

describe("generateQuestions", () => {
  it("is deterministic given a seed and valid against the schema", () => {
    const a = generateQuestions(targets, units, { count: 20, seed: 5 });
    expect(generateQuestions(targets, units, { count: 20, seed: 5 })).toEqual(a);
    expect(generateQuestions(targets, units, { count: 20, seed: 6 })).not.toEqual(a);
    expect(a).toHaveLength(20);
    for (const q of a) QuizQuestion.parse(q);
    expect(new Set(a.map((q) => q.type))).toEqual(new Set(QUESTION_TYPES));
    expect(new Set(a.map((q) => q.id)).size).toBe(20);
  });

  it("rebuilds every question from its id", () => {
    for (const q of generateQuestions(targets, units, { count: 60, seed: 8 })) expect(questionById(q.id, data)).toEqual(q);
    expect(questionById("fill:1:nope", data)).toBeUndefined();
  });

  it("asks only the requested types, each target once, and says when the topic runs out", () => {
    const round = composeRound(targets, units, { count: 50, topic: "教育", types: ["fill", "choice"] });
    expect(round.topicTargets).toBe(3);
    expect(round.note).toMatch(/^主题“教育”只有3个目标，另补充了\d+道相关条目的题。$/);
    expect(new Set(round.questions.map((q) => q.type))).toEqual(new Set(["fill", "choice"]));
    expect(new Set(round.questions.map((q) => q.targetKey)).size).toBe(round.questions.length);
    expect(round.questions.slice(0, 3).map((q) => q.ref).sort()).toEqual(["task:15", "task:15", "task:19"]);
    expect(round.related).toBe(round.questions.length - 3);
  });

  it("never asks the same target twice in a round, even when more questions are asked than there are targets", () => {
    for (const seed of SEEDS) {
      const qs = generateQuestions(targets, units, { count: 80, seed });
      expect(qs.length).toBeLessThanOrEqual(targets.length);
      expect(new Set(qs.map((q) => q.targetKey)).size).toBe(qs.length);
    }
  });

  it("prints a sheet with an answer key", () => {
    const { questions, text } = quizSheet(targets, units, { count: 4, seed: 2 });
    expect(questions).toHaveLength(4);
    expect(text).toContain("—— 答案 ——");
    for (const q of questions) expect(text).toContain(`“${q.quote}”`);
  });
});

describe("topic filter", () => {
  const refs = (topic: string) => [...new Set(filterTargets(targets, units, topic).map((t) => t.ref))];

  it("matches a keyword in the metric, quote or unit heading, traditional or simplified", () => {
    expect(refs("教育").sort()).toEqual(["task:15", "task:19"]);
    expect(refs("養老")).toEqual(["task:17"]);
    expect(refs("总体要求")).toEqual(["part:1"]);
    expect(refs("總體要求")).toEqual(["part:1"]);
  });

  it("reads task labels", () => {
    for (const topic of ["第5项", "第五项", "5", "5项", "task:5"]) {
      expect(refs(topic), topic).toEqual(["task:5"]);
      expect(filterTargets(targets, units, topic)).toHaveLength(10);
    }
  });

  it("reads sections with their child tasks, and parts", () => {
    for (const topic of ["（六）", "(六)", "六"]) expect(refs(topic).sort(), topic).toEqual(["task:15", "task:17"]);
    expect(refs("（十四）")).toEqual(["section:14"]);
    expect(refs("二、")).toContain("task:20");
    expect(refs("二、")).not.toContain("part:1");
    expect(refs("第一部分")).toEqual(["part:1"]);
  });

  it("selects nothing for an unknown label or word, and everything without a topic", () => {
    expect(filterTargets(targets, units, "第99项")).toEqual([]);
    expect(filterTargets(targets, units, "火星")).toEqual([]);
    expect(filterTargets(targets, units)).toHaveLength(targets.length);
  });

  it("asks the topic's targets first, then related ones: the same section before the rest", () => {
    for (const topic of ["教育", "第5项", "（六）"]) {
      const allowed = new Set(refs(topic));
      const own = filterTargets(targets, units, topic).length;
      const qs = generateQuestions(targets, units, { count: 8, topic, seed: 4 });
      expect(qs).toHaveLength(8);
      qs.slice(0, Math.min(own, 8)).forEach((q) => expect(allowed.has(q.ref), `${topic} ${q.ref}`).toBe(true));
      qs.slice(own).forEach((q) => expect(allowed.has(q.ref)).toBe(false));
    }
    // 第17项 shares section (六) with 第15项: a round on 第15项 goes there before other sections.
    const next = generateQuestions(targets, units, { count: 3, topic: "第15项", seed: 1 });
    expect(next.map((q) => q.ref)).toEqual(["task:15", "task:15", "task:17"]);
  });

  it("adds nothing when the topic matches nothing, and says nothing when it has enough", () => {
    expect(composeRound(targets, units, { count: 5, topic: "火星" })).toMatchObject({ questions: [], topicTargets: 0 });
    expect(composeRound(targets, units, { count: 5, topic: "第5项" }).note).toBeUndefined();
  });

  it("parses labels", () => {
    expect(parseLabel("第五项")).toEqual({ kind: "task", number: 5 });
    expect(parseLabel("（十四）")).toEqual({ kind: "section", number: 14 });
    expect(parseLabel("三、重大改革支撑")).toEqual({ kind: "part", number: 3 });
    expect(parseLabel("教育")).toBeUndefined();
  });
});

describe("fair questions", () => {
  const fair = fairTargets(data);
  const t78 = targets.find((x) => x.value === 78)!;

  it("takes every target of the seed, whose units and metrics are right", () => {
    expect(targets.filter(fair)).toHaveLength(targets.length);
  });

  it("refuses a target whose measure the quote does not bear out, a range, a metric holding another figure, or a quote not in its unit", () => {
    const u = units.find((x) => x.ref === "task:5")!;
    const at = u.text.indexOf("78万亩");
    expect(fair({ ...t78, unit: "万" })).toBe(false); // 78万亩 read as 78万
    expect(fair({ ...t78, high: 80 })).toBe(false);
    expect(fair({ ...t78, metric: "新建和改造提升高标准农田7个大中型灌区" })).toBe(false);
    expect(fair({ ...t78, quote: "新建高标准农田78万亩", index: at })).toBe(false);
    expect(fair({ ...t78, ref: "task:99" })).toBe(false);
  });

  it("keeps the subject of a blank that names only a measure", () => {
    const t = targets.find((x) => x.metric === "年度计划投资")!;
    const q = makeQuestion(t, "fill", 1, data)!;
    expect(q.question).toContain("重点项目");
    expect(q.question).toMatch(/年度计划投资____亿元以上/);
    expect(q.question).not.toContain("2500");
    // A complete stem stays as it was.
    expect(makeQuestion(t78, "fill", 1, data)!.question).toBe("填空：新建和改造提升高标准农田____万亩（第5项）");
  });
});
