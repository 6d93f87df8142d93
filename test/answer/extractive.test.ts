import { describe, expect, it } from "vitest";
import { numbersIn, verifyAnswer } from "../../src/answer/citations.js";
import { AnswerInputError } from "../../src/answer/types.js";
import { readEvalSet } from "../../src/eval/dataset.js";
import { repoPath } from "../helpers.js";
import { sharedKb, testEngine } from "../support/kb.js";

describe("numbers in answers", () => {
  it("reads digits and Chinese-numeral quantities as whole numbers", () => {
    expect(numbersIn("新建78万亩，比值1.8左右，1,530万亩")).toEqual(["78", "1.8", "1530"]);
    expect(numbersIn("七十八万亩、两千人、百分之九十二、一体化、千万工程")).toEqual(["78", "2000", "92"]);
  });
});

describe("offline extractive answers", () => {
  it("leads with the target itself for a how-much question, citing 第5项", async () => {
    const r = await (await testEngine()).answer({ question: "今年高标准农田要建多少？" });
    expect(r.answer.startsWith("新建和改造提升高标准农田78万亩〔第5项〕")).toBe(true);
    expect(r).toMatchObject({ abstained: false, mode: "extractive" });
    expect(r.citations[0]).toMatchObject({ ref: "task:5", label: "第5项", quote: "新建和改造提升高标准农田78万亩" });
  });

  it("answers a question in traditional characters exactly as its simplified form", async () => {
    const engine = await testEngine();
    const trad = await engine.answer({ question: "高標準農田今年要建多少畝？" });
    const simp = await engine.answer({ question: "高标准农田今年要建多少亩？" });
    expect(trad.answer).toBe(simp.answer);
    expect(trad.citations).toEqual(simp.citations);
  });

  it("lists a section's tasks with their labels and headings", async () => {
    const r = await (await testEngine()).answer({ question: "（三）下面有哪些任务" });
    for (const label of ["第5项", "第6项", "第7项", "第8项"]) expect(r.answer).toContain(`〔${label}〕`);
    // Each task's heading, then its measures: the units cited are the section and its tasks, in order.
    expect([...new Set(r.citations.map((c) => c.ref))]).toEqual(["section:3", "task:5", "task:6", "task:7", "task:8"]);
    expect(r.answer).toContain("▸ 第5项");
  });

  it("gives a task's heading and text for 第7项讲什么", async () => {
    const r = await (await testEngine()).answer({ question: "第七项讲什么" });
    expect(r.answer).toContain("推进“土特产富”全链发展优质优价");
    expect(r.answer).toContain("龙头企业750家");
    expect(r.citations[0]!.ref).toBe("task:7");
  });

  it("says who issued the plan, when and to whom, from the notice", async () => {
    const r = await (await testEngine()).answer({ question: "这个方案是谁印发的？什么时候？" });
    expect(r.answer).toContain("中共浙江省委、浙江省人民政府");
    expect(r.answer).toContain("2026年2月5日");
    expect(r.citations.every((c) => c.ref === "notice")).toBe(true);
  });

  it("reads a quoted English name in a who-issued question as the plan's name, not as a topic ('Ten Million Project')", async () => {
    const r = await (await testEngine()).answer({ question: "Who issued the 2026 work plan on deepening the 'Ten Million Project', and on what date?" });
    expect(r.answer).toContain("2026年2月5日");
    expect(r.citations[0]!.ref).toBe("notice");
  });

  it("answers an English question in English with the Chinese quote and label", async () => {
    const r = await (await testEngine()).answer({ question: "How many 5G base stations will rural areas have?" });
    expect(r.abstained).toBe(false);
    expect(r.answer).toMatch(/^The plan's target/);
    expect(r.answer).toContain("13万个");
    expect(r.citations[0]!.ref).toBe("task:14");
  });

  it.each([
    ["江苏省今年的高标准农田目标是多少", "declined"],
    ["2025年浙江城镇化率实际是多少", "declined"],
    ["高标准农田建设今年总共投多少钱", "declined"],
    ["红烧肉怎么做好吃", "declined"],
  ])("does not guess a number: %s (%s)", async (question, grade) => {
    const r = await (await testEngine()).answer({ question });
    expect(r.grade).toBe(grade);
    expect(r.abstained).toBe(grade === "declined");
    // The first sentence says the plan has no answer; any figure after it is inside a verbatim quote.
    const [first] = r.answer.split(/。|\n/);
    expect(first).toMatch(/没有/);
    expect(first).not.toMatch(/\d/);
  });

  it("gives the targets of a unit named by its number", async () => {
    const r = await (await testEngine()).answer({ question: "第二十三项的目标数字" });
    expect(r.abstained).toBe(false);
    expect(r.answer).toContain("2万宗");
    expect(r.citations[0]!.ref).toBe("task:23");
  });

  it("reads the measure an English how-many question asks in", async () => {
    const r = await (await testEngine()).answer({ question: "How many kilometres of rural gas pipelines will be built?" });
    expect(r.answer).toContain("300公里");
  });

  it("lists every unit that speaks of a topic for 哪些任务提到…", async () => {
    const r = await (await testEngine()).answer({ question: "哪些任务提到了山区海岛县" });
    expect(r.citations.map((c) => c.ref)).toEqual(expect.arrayContaining(["task:2", "section:12", "section:13"]));
    expect(r.citations.every((c) => c.quote.includes("山区海岛县"))).toBe(true);
  });

  it("does not expand everyday words inside a phrase the user quotes from the plan", async () => {
    const r = await (await sharedKb()).retriever.retrieve("农村集体经营性建设用地入市怎么搞");
    expect(r.units[0]!.unit.ref).toBe("section:9");
  });

  it("resolves a follow-up from the previous turn", async () => {
    const engine = await testEngine();
    const r = await engine.answer({ question: "那青年创业呢？", history: [{ q: "就业方面有什么安排" }] });
    expect(r.citations[0]!.ref).toBe("task:22");
    const fu = await engine.answer({ question: "那灌溉面积呢", history: [{ q: "高标准农田今年建多少", a: "新建和改造提升高标准农田78万亩〔第5项〕。" }] });
    expect(fu.answer).toContain("30万亩");
  });

  it.each([
    ["empty", "", /^请输入问题/],
    ["blank", "   \n ", /^请输入问题/],
    ["501 characters", "问".repeat(501), /^问题太长，请精简到500字以内（现在501字）。$/],
    ["501 characters of English", "farm ".repeat(101), /^The question is too long \(504 characters; the limit is 500\)\.$/],
    ["punctuation only", "？？？", /^请用文字提问/],
  ])("rejects an unusable question (%s) with a clear message", async (_name, question, message) => {
    await expect((await testEngine()).answer({ question })).rejects.toThrow(AnswerInputError);
    await expect((await testEngine()).answer({ question })).rejects.toThrow(message);
  });

  it("on the whole evaluation set: every quote verbatim, every number grounded, the expected figure and unit", async () => {
    const kb = await sharedKb();
    const engine = await testEngine();
    const items = readEvalSet(repoPath("test/fixtures/eval.jsonl"));
    let figureOk = 0, figures = 0, citeOk = 0, answerable = 0;
    for (const item of items) {
      const r = await engine.answer({ question: item.q, history: item.history });
      const check = verifyAnswer(r.answer, r.citations, (c) => kb.retriever.unit(c.doc, c.ref));
      expect(check.badQuotes, item.id).toEqual([]);
      expect(check.ungroundedNumbers, `${item.id}: ${r.answer}`).toEqual([]);
      if (!item.answerable) continue;
      answerable++;
      if (!r.abstained && item.expect.refs.includes(r.citations[0]?.ref ?? "")) citeOk++;
      if (item.expect.figures.length) {
        figures++;
        if (item.expect.figures.every((f) => r.answer.includes(f))) figureOk++;
      }
    }
    // Floors set from what `npm run eval` measures (0.95 and 0.96), with a little room.
    expect(figureOk / figures).toBeGreaterThanOrEqual(0.9);
    expect(citeOk / answerable).toBeGreaterThanOrEqual(0.9);
  });
});
