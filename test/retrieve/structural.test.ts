import { describe, expect, it } from "vitest";
import { parseStructuralRefs } from "../../src/retrieve/structural.js";
import { normalizeText } from "../../src/retrieve/text.js";

const refs = (q: string) => parseStructuralRefs(normalizeText(q)).map((r) => `${r.kind}:${r.number}`);

describe("structural references", () => {
  it.each([
    ["第5项讲什么", ["task:5"]],
    ["第五项", ["task:5"]],
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
  ])("%s → %j", (q, expected) => expect(refs(q)).toEqual(expected));

  it.each(["高标准农田78万亩", "1.8左右", "2026年的目标", "第一个问题是什么", "5G基站13万个", "<script>alert(1)</script>"])("finds no reference in %s", (q) => {
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
