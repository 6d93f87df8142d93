import { describe, expect, it } from "vitest";
import { openKnowledgeBase } from "../../src/knowledge.js";
import { createAnswerEngine } from "../../src/answer/engine.js";
import { repoPath } from "../helpers.js";
import { memoryLogger, testConfig } from "../support/kb.js";
import { parseStructuralRefs } from "../../src/retrieve/structural.js";
import { normalizeText } from "../../src/retrieve/text.js";

const refs = (q: string) => parseStructuralRefs(normalizeText(q)).map((r) => `${r.kind}:${r.number}`);

describe("structural references", () => {
  it.each([
    ["第5项讲什么", ["task:5"]],
    ["第五项", ["task:5"]],
    // An entry of a table the question names is its row; 人大代表 is no table.
    ["重点任务分工表第12项是什么任务", ["row:12"]],
    ["评审指标表里第8项占多少分", ["row:8"]],
    ["人大代表第3项建议", ["task:3"]],
    // A circled entry on its own: the words beside it say which list.
    ["有关要求里的第④条讲的是什么", ["item:4"]],
    ["第二十三项", ["task:23"]],
    ["任务5", ["task:5"]],
    ["任务十二是什么", ["task:12"]],
    // 第5条 is an article, or task 5 in a plan without articles (matchesRef).
    ["第5条", ["article:5"]],
    ["第三章第二节", ["subchapter:2"]],
    ["专栏2里有什么", ["box:2"]],
    ["（三）下面有哪些任务", ["section:3"]],
    ["(三)", ["section:3"]],
    ["（十四）讲的啥", ["section:14"]],
    ["第三部分包括什么", ["part:3"]],
    ["What is task 5 about?", ["task:5"]],
    ["part 2", ["part:2"]],
    ["section 9", ["section:9"]],
    // A 问答 part's entries, named under their part; 这是第二个问题吗 names none.
    ["第七部分的第4个问题讲的是什么", ["task:4"]],
    ["这是第二个问题吗", []],
    // A decimal outline's headings; 1.8左右 is a figure.
    ["3.2.1讲了什么", ["task:1"]],
    ["4.2里有哪些要求", ["section:2"]],
    ["增长1.8左右", []],
  ])("%s → %j", (q, expected) => expect(refs(q)).toEqual(expected));

  it.each(["高标准农田78万亩", "一、二级医院有多少", "1.8左右", "2026年的目标", "第一个问题是什么", "5G基站13万个", "<script>alert(1)</script>"])("finds no reference in %s", (q) => {
    expect(refs(q)).toEqual([]);
  });
});

describe("a part's numeral printed before its section", () => {
  it("scopes the section to that part, as labels print it (二（三）, 四（四）, 第四部分（四）)", () => {
    expect(parseStructuralRefs("二（三）讲什么")).toEqual([{ kind: "section", number: 3, match: "二（三）", within: { kind: "part", number: 2 } }]);
    expect(parseStructuralRefs("集采方案四（四）讲的是什么")[0]!.within).toEqual({ kind: "part", number: 4 });
    expect(parseStructuralRefs("第四部分（四）")[0]!.within).toEqual({ kind: "part", number: 4, partWord: true });
    expect(parseStructuralRefs("（十二）里有哪些要求")[0]!.within).toBeUndefined();
  });
});

describe("an entry of an annex named by its place in the annex", () => {
  it("reads 附表第3项 and 附件2里第4行 as rows of the annex, not as the plan's task 3", () => {
    expect(parseStructuralRefs("规划附表第3项是什么工程")).toEqual([{ kind: "row", number: 3, match: "第3项" }]);
    expect(parseStructuralRefs("附件2里第4行")).toEqual([{ kind: "row", number: 4, match: "附件2里第4行", within: { kind: "annex", number: 2 } }]);
    expect(parseStructuralRefs("第3项讲什么")[0]?.kind).toBe("task");
  });
});

describe("an entry of a 专栏 named by its place in the box", () => {
  it("reads 专栏3第2项 and 专栏1里的第3条 as rows of the box, matched as one chain, not as the plan's task 2", () => {
    expect(parseStructuralRefs("专栏3第2项是什么")).toEqual([{ kind: "row", number: 2, match: "专栏3第2项", within: { kind: "box", number: 3 } }]);
    expect(parseStructuralRefs("专栏一里的第3条讲什么")).toEqual([{ kind: "row", number: 3, match: "专栏一里的第3条", within: { kind: "box", number: 1 } }]);
    expect(parseStructuralRefs("专栏2讲什么")).toEqual([{ kind: "box", number: 2, match: "专栏2" }]);
    expect(parseStructuralRefs("第2项和专栏3").map((r) => r.kind).sort()).toEqual(["box", "task"]);
  });
});

describe("an item named after its section, and the closing paragraphs", () => {
  it("reads 一（三）2 and 二（三）第2项 as the item of that section of that part", () => {
    expect(parseStructuralRefs("一（三）2是什么目标")).toEqual([{ kind: "task", number: 2, match: "一（三）2", within: { kind: "section", number: 3, within: { kind: "part", number: 1 } } }]);
    expect(parseStructuralRefs("二（三）第2项怎么规定的")[0]).toMatchObject({ kind: "task", number: 2, match: "二（三）第2项", within: { kind: "section", number: 3, within: { kind: "part", number: 2 } } });
    // A figure after a section is no item: 一（三）2026年, （二）20个.
    expect(parseStructuralRefs("一（三）2026年目标")).toEqual([{ kind: "section", number: 3, match: "一（三）", within: { kind: "part", number: 1 } }]);
    expect(parseStructuralRefs("（二）20个站点").map((r) => r.kind)).toEqual(["section"]);
  });

  it("reads 结语, 结尾部分 and 最后一段 as the closing paragraphs, and 年底 as none", () => {
    expect(parseStructuralRefs("结尾部分对各地有什么要求")).toEqual([{ kind: "closing", number: 1, match: "结尾部分" }]);
    expect(parseStructuralRefs("方案最后一段讲了什么")[0]?.kind).toBe("closing");
    expect(parseStructuralRefs("结语")[0]?.kind).toBe("closing");
    expect(parseStructuralRefs("年底结尾工作")).toEqual([]);
  });
});

describe("references in English", () => {
  it.each([
    ["What does Box 3 of the plan list?", { kind: "box", number: 3, match: "Box 3" }],
    ["What does Article 12 say?", { kind: "article", number: 12, match: "Article 12" }],
    ["item 2 of box 3", { kind: "row", number: 2, match: "item 2 of box 3", within: { kind: "box", number: 3 } }],
    ["row 8 in annex 1", { kind: "row", number: 8, match: "row 8 in annex 1", within: { kind: "annex", number: 1 } }],
    ["annex 1 row 8", { kind: "row", number: 8, match: "annex 1 row 8", within: { kind: "annex", number: 1 } }],
    ["section 2 of chapter 3", { kind: "subchapter", number: 2, match: "section 2 of chapter 3", within: { kind: "chapter", number: 3 } }],
    ["What do the closing paragraphs ask of local governments?", { kind: "closing", number: 1, match: "closing paragraphs" }],
  ])("%s", (q, expected) => expect(parseStructuralRefs(q)).toEqual([expected]));

  it("finds none in a line of the notice or the last part", () => {
    expect(parseStructuralRefs("line 3 of the notice")).toEqual([]);
    expect(parseStructuralRefs("What does the last part say?")).toEqual([]);
  });
});

describe("a unit named by its printed label, in any layout", () => {
  const chain = (q: string) => parseStructuralRefs(normalizeText(q)).map(function show(r: { kind: string; number: number; within?: unknown }): string {
    return `${r.within ? `${show(r.within as typeof r)}>` : ""}${r.kind}:${r.number}`;
  });

  it.each([
    ["二、主要任务讲什么", ["part:2"]],
    ["附件4一、消防安全管理讲什么", ["annex:4>part:1"]],
    ["三、1.讲什么", ["part:3>task:1"]],
    ["二（二）（1）讲什么", ["part:2>section:2>item:1"]],
    ["一（一）①讲什么", ["part:1>section:1>item:1"]],
    ["第二部分一（一）2.（1）", ["part:2>part:1>section:1>task:2>item:1"]],
    ["第十八条（一）规定了什么", ["article:18>section:1"]],
    ["第三章第一节（一）讲什么", ["chapter:3>subchapter:1>section:1"]],
    ["附件讲什么", ["annex:1"]],
  ])("%s → %j", (q, expected) => expect(chain(q)).toEqual(expected));

  // A sweep over plans of every layout the fixtures hold (第N部分 over 一、 parts, articles with （一）, chapters with 节
  // and their （一）, annexes of numbered lines, ① items): "<label>讲什么", asked of the unit's plan, cites that unit first.
  it("cites the unit first for every label its plan prints once", async () => {
    const config = testConfig({ SEEDS_DIR: repoPath("test/fixtures/invented-plans/dev4") });
    const logger = memoryLogger().logger;
    const kb = await openKnowledgeBase({ config, logger, persist: false, extraDirs: ["dev5", "sealed4", "sealed5"].map((d) => repoPath(`test/fixtures/invented-plans/${d}`)) });
    const engine = createAnswerEngine({ kb, config, logger });
    const wrong: string[] = [];
    let asked = 0;
    for (const doc of kb.docs) {
      const count = new Map<string, number>();
      for (const u of doc.units) count.set(u.label, (count.get(u.label) ?? 0) + 1);
      for (const u of doc.units) {
        if (u.kind === "notice" || u.kind === "preamble" || count.get(u.label)! > 1) continue;
        asked++;
        const first = (await engine.answer({ question: `${u.label}讲什么`, doc: doc.id })).citations[0];
        if (first?.ref !== u.ref) wrong.push(`${doc.id} ${u.label} → ${first?.ref ?? "nothing"}`);
      }
    }
    expect(asked).toBeGreaterThan(1000);
    expect(wrong).toEqual([]);
    // A bare 附件 names the annex of a plan that has one; of a plan with several it names none of them.
    const several = kb.docs.find((d) => d.units.filter((u) => u.kind === "annex").length > 1)!;
    const r = await kb.retriever.retrieve("附件讲什么", { docs: [several.id], withinPlan: true });
    expect(r.units.filter((u) => u.structural)).toEqual([]);
  }, 180_000);
});

describe("a plan of projects 一、…五、 whose items restart under each", () => {
  const open = async () => {
    const kb = await openKnowledgeBase({ config: testConfig({ SEEDS_DIR: repoPath("test/fixtures/restart-items") }), logger: memoryLogger().logger, persist: false });
    return { kb, engine: createAnswerEngine({ kb, config: testConfig(), logger: memoryLogger().logger }) };
  };

  it("reads 第三项 as its third project, and 第四项里的第2条 as item 2 of the fourth", async () => {
    const { kb, engine } = await open();
    const label = (ref: string) => kb.docs[0]!.units.find((u) => u.ref === ref)!.label;
    const third = await engine.answer({ question: "十件民生实事的第三项讲的是什么？" });
    expect(label(third.citations[0]!.ref)).toMatch(/^三、/);
    const item = await engine.answer({ question: "第四项里的第2条是什么内容？" });
    expect(label(item.citations[0]!.ref)).toMatch(/^四、2/);
    expect(item.answer).toContain("65周岁以上");
    // 2.2027年10月底前…: an item that opens with a year is an item, not a decimal.
    expect(kb.docs[0]!.units.map((u) => u.label)).toEqual(expect.arrayContaining(["一、2.", "三、3."]));
  });

  it("answers a topic named inside a referenced annex from the annex's row that speaks of it, and the annex itself when none is named", async () => {
    const { kb, engine } = await open();
    const label = (ref: string) => kb.docs[0]!.units.find((u) => u.ref === ref)!.label;
    const row = await engine.answer({ question: "附件任务分解表里，农贸市场项目的完成时限是什么时候？" });
    expect(label(row.citations[0]!.ref)).toBe("附件序号3");
    expect(row.answer).toContain("2027年10月底前");
    const whole = await engine.answer({ question: "附件讲的是什么？" });
    expect(label(whole.citations[0]!.ref)).toBe("附件");
  });

  it("keeps two references joined by 和 apart", () => {
    expect(parseStructuralRefs("第5项和第12条").map((r) => r.within)).toEqual([undefined, undefined]);
    expect(parseStructuralRefs("第七项里的第3条")).toEqual([{ kind: "article", number: 3, match: "第七项里的第3条", within: { kind: "task", number: 7 } }]);
  });
});
