import { beforeAll, describe, expect, it } from "vitest";
import type { KnowledgeBase } from "../../src/knowledge.js";
import type { PlanDocument } from "../../src/plan/types.js";
import { routeRetrieval } from "../../src/retrieve/router.js";
import { fixtureKb } from "../support/kb.js";

// A 项目申报通知 as provincial departments print them: 一、 parts whose paragraphs open with a bracketed name
// (【优先支持】…), lists in circled numbers (①…③) under a part or under such a paragraph, and an annex table of
// scoring criteria (评审指标表); beside it, a 行动方案 with parts 一、…三、 and tasks 1.–4.
let kb: KnowledgeBase;
let notice: PlanDocument;
beforeAll(async () => {
  ({ kb } = await fixtureKb("application-notice"));
  notice = kb.docs.find((d) => d.id === "qinghe-2027-nongji-shenbao-tongzhi")!;
});
const route = (q: string) => routeRetrieval({ retriever: kb.retriever, catalog: kb.catalog, docs: kb.docs }, q);
const unit = (label: string) => notice.units.find((u) => u.label === label);

describe("a part of paragraphs under bracketed names", () => {
  it("reads each bracketed paragraph as a section of its part, labelled as printed", () => {
    expect(notice.units.filter((u) => u.kind === "section" && u.parents.includes("part:1")).map((u) => u.label)).toEqual(["一【优先支持】", "一【不予支持】"]);
    expect(unit("三【网上申报】")?.text).toContain("2027年5月1日至5月31日");
  });

  it("ends a circled list at the next bracketed paragraph: the last entry does not hold it", () => {
    expect(unit("一、③")?.text).toContain("北斗导航");
    expect(unit("一、③")?.text).not.toContain("1万亩");
    expect(unit("一【优先支持】")?.text).toContain("1万亩以上");
  });

  it("puts a circled list that a bracketed paragraph leads into under that paragraph", () => {
    expect(unit("二【补助标准】")?.children).toEqual(["item:2.2.1", "item:2.2.2", "item:2.2.3"]);
    expect(unit("二【补助标准】②")?.text).toContain("最高不超过100万元");
    expect(unit("二【资金拨付】")?.text).toContain("30个工作日内");
  });

  it("leaves a document with （一） sections as it was: bracketed lines there are no sections", async () => {
    const { parsePlan } = await import("../../src/plan/parse.js");
    const d = parsePlan(["某市方案", "一、总体要求", "（一）目标", "说明。", "【目标一】甲。", "【目标二】乙。", "【目标三】丙。"].join("\n"), "x.txt");
    expect(d.units.filter((u) => u.label.includes("【"))).toEqual([]);
  });
});

describe("references the question scopes", () => {
  it("reads 评审指标表第3项 as row 3 of that table, not as another plan's task 3", async () => {
    const r = await route("评审指标表第3项考核什么？");
    expect(r.retrieval.units[0]?.unit.ref).toBe("annex:1/row:3");
    expect(r.retrieval.units[0]?.unit.doc).toBe("qinghe-2027-nongji-shenbao-tongzhi");
  });

  it("answers 这份通知的第三部分 from the notice, though the 方案 has a part 三 too", async () => {
    const r = await route("这份通知的第三部分讲了什么？");
    expect(r.each).toEqual([]);
    expect(r.doc).toBe("qinghe-2027-nongji-shenbao-tongzhi");
    expect(r.retrieval.units[0]?.unit.ref).toBe("part:3");
    const both = await route("第三部分讲了什么？");
    expect(both.each.map((e) => e.doc).sort()).toEqual(["qinghe-2027-nongji-shenbao-tongzhi", "qinghe-2027-nongji-xingdong-fangan"]);
  });

  it("still reads a bare 第3项 as the task", async () => {
    const r = await route("第3项讲了什么？");
    expect(r.retrieval.units[0]?.unit.doc).toBe("qinghe-2027-nongji-xingdong-fangan");
    expect(r.retrieval.units[0]?.unit.label).toBe("二、3.");
  });
});

describe("another year's edition of the plan's programme", () => {
  it("declines 2026年度农机社会化服务项目 of the 2027年度 notice, and answers its own year and another year's other things", async () => {
    const other = await route("2026年度农机社会化服务项目什么时候申报？");
    expect(other.retrieval.grade).toBe("declined");
    expect(other.retrieval.reasonCode).toBe("other-year");
    const own = await route("2027年度农机社会化服务项目什么时候申报？");
    expect(own.retrieval.grade).toBe("answered");
    const before = await route("2026年1月1日以前开工的项目能申报吗？");
    expect(before.retrieval.grade).not.toBe("declined");
  });
});

describe("the members of a kind of place, asked by name", () => {
  it("declines 具体是哪些县 where the plan only counts them, and lists them where it names them", async () => {
    const counted = await route("30个粮食生产重点县具体是哪些县？");
    expect(counted.retrieval.grade).toBe("declined");
    const named = await route("丘陵山区农机化试点具体是哪些县？");
    expect(named.retrieval.grade).toBe("answered");
    expect(named.retrieval.units[0]?.unit.text).toContain("南坪县");
  });
});
