import { describe, expect, it } from "vitest";
import { planFacts, verifyAnswer } from "../../src/answer/citations.js";
import type { Unit } from "../../src/plan/types.js";

const row: Unit = {
  doc: "demo",
  ref: "annex:1/row:7",
  kind: "row",
  number: 7,
  label: "附件1序号7",
  heading: "完成敬老院撤并整合",
  path: "附件1 › 序号7",
  parents: [],
  children: [],
  text: "完成敬老院撤并整合，牵头单位：省民政厅，完成时限：2027年9月底前",
  source: { startLine: 1, endLine: 1, lines: [1] },
  repairs: [],
};
const cites = [{ doc: "demo", ref: row.ref, label: row.label, heading: row.heading, quote: "完成时限：2027年9月底前" }];
const unitOf = () => row;

describe("verifyAnswer", () => {
  it("reads the cited unit's own label in the prose (出自附件1序号7) as a citation, not as a figure", () => {
    const answer = "完成时限：2027年9月底前〔附件1序号7〕。（出自附件1序号7“完成敬老院撤并整合”）";
    expect(verifyAnswer(answer, cites, unitOf).ungroundedNumbers).toEqual([]);
  });

  it("reads a label in Chinese numerals (第十八条（一）) as a citation: 十八条 is not a count of 18", () => {
    const article: Unit = { ...row, ref: "article:18/item:1", kind: "item", label: "第十八条（一）", text: "重点管理区首次登记费每只500元" };
    const c = [{ doc: "demo", ref: article.ref, label: article.label, heading: "", quote: article.text }];
    expect(verifyAnswer("首次登记费每只500元〔第十八条（一）〕。（出自第十八条（一））", c, () => article).ungroundedNumbers).toEqual([]);
    expect(verifyAnswer("第十八条规定，首次登记费每只500元〔第十八条（一）〕", c, () => article).ungroundedNumbers).toEqual([]);
    expect(verifyAnswer("首次登记费每只500元，共十八条〔第十八条（一）〕", c, () => article).ungroundedNumbers).toEqual(["18"]);
    expect(verifyAnswer("首次登记费每只600元〔第十八条（一）〕", c, () => article).ungroundedNumbers).toEqual(["600"]);
  });

  it("still finds a figure that no cited unit states", () => {
    expect(verifyAnswer("撤并整合30所，2027年9月底前完成〔附件1序号7〕", cites, unitOf).ungroundedNumbers).toEqual(["30"]);
  });

  it("grounds a decline's count and dates of the loaded plans only in the facts given", () => {
    const facts = planFacts([{ meta: { title: "某省养老方案", shortName: "养老方案", docNumber: "某办发〔2026〕41号", dateText: "2026年11月18日" } }]);
    const decline = "已载入的规划：养老方案等1份，印发于2026年11月18日。";
    expect(verifyAnswer(decline, [], unitOf, facts).ungroundedNumbers).toEqual([]);
    expect(verifyAnswer(decline, [], unitOf).ungroundedNumbers).not.toEqual([]);
  });
  it("reads where a cited unit stands (its parents' labels, its path, its plan's name) as location, not as figures", () => {
    const box: Unit = { ...row, ref: "box:1", kind: "box", number: 1, label: "专栏1", heading: "2027年养老服务重点工程", path: "二、重点任务 › 专栏1 2027年养老服务重点工程", text: "专栏1 2027年养老服务重点工程" };
    const entry: Unit = { ...row, ref: "box:1/row:3", label: "专栏1第3项", heading: "社区助餐工程", path: `${box.path} › 第3项`, parents: ["box:1"], text: "3.社区助餐工程：新增助餐点1500个。" };
    const units = new Map([[box.ref, box], [entry.ref, entry]]);
    const of = (c: { ref: string }) => units.get(c.ref);
    const c = [{ doc: "demo", ref: entry.ref, label: entry.label, heading: entry.heading, quote: "新增助餐点1500个。", plan: "医保局2027年要点" }];
    expect(verifyAnswer(`专栏1第3项“社区助餐工程”（${entry.path}）：新增助餐点1500个。`, c, of).ungroundedNumbers).toEqual([]);
    expect(verifyAnswer("【医保局2027年要点】新增助餐点1500个〔医保局2027年要点·专栏1第3项〕", c, of).ungroundedNumbers).toEqual([]);
    // …only there: the year of the box's title, borrowed as a deadline, is still no cited figure.
    expect(verifyAnswer("2027年新增助餐点1500个〔专栏1第3项〕", c, of).ungroundedNumbers).toEqual(["2027"]);
  });

  it("strikes a label out only where it stands whole: task 2. does not ground the 2 of 92.5%", () => {
    const task: Unit = { ...row, ref: "task:2", kind: "task", number: 2, label: "2.", heading: "推进交通", path: "2.", text: "2.推进交通。比例达到90%。" };
    const c = [{ doc: "demo", ref: task.ref, label: task.label, heading: task.heading, quote: "比例达到90%。" }];
    expect(verifyAnswer("比例达到92.5%〔2.〕", c, () => task).ungroundedNumbers).toEqual(["92.5"]);
    expect(verifyAnswer("2. 推进交通：比例达到90%〔2.〕", c, () => task).ungroundedNumbers).toEqual([]);
  });
});
