import { beforeAll, describe, expect, it } from "vitest";
import type { AnswerEngine } from "../../src/answer/engine.js";
import type { KnowledgeBase } from "../../src/knowledge.js";
import { askChecked, fixtureKb } from "../support/kb.js";

// Invented 意见 printed without an issuing notice: who issued them, when and under which 文号 is read
// from the title, the 文号 line and the closing signature and date, and cited from those lines.
let kb: KnowledgeBase;
let engine: AnswerEngine;
beforeAll(async () => {
  ({ kb, engine } = await fixtureKb("layouts/issuance"));
});
const ask = (question: string) => askChecked(kb, engine, question);

describe("who issued a 意见 without a notice, when, and its 文号", () => {
  it.each([
    ["托育服务意见是哪天发的", "tuoyu-yijian", "2032年2月14日"],
    ["储能设施意见的文号是多少", "chuneng-yijian", "国数能规〔2031〕27号"],
    ["社区健身设施的意见是谁发的", "jianshen-yijian", "国家体育总局"],
  ])("%s → cites the 发文信息 of %s holding %s", async (q, doc, fact) => {
    const r = await ask(q);
    expect(r.abstained).toBe(false);
    expect(r.answer).toContain(fact);
    expect(r.citations.some((c) => c.doc === doc && c.ref === "notice" && c.quote.includes(fact))).toBe(true);
  });

  it("names the recipients printed under the 文号", async () => {
    const r = await ask("托育意见发给谁");
    expect(r.answer).toContain("国务院各部委、各直属机构");
    expect(r.citations.some((c) => c.ref === "notice" && c.quote.endsWith("各直属机构："))).toBe(true);
  });

  it("answers a policy question from the text, not from the signature", async () => {
    const r = await ask("储能设施并网手续多久办完");
    expect(r.citations[0]).toMatchObject({ doc: "chuneng-yijian", ref: "section:4" });
    expect(r.answer).toContain("15个工作日");
  });
});

describe("a plan's full title, and an order's number printed over two lines", () => {
  it("answers 全称 with the plan's title, and an order's 文号 from its number's line", async () => {
    const { kb: extra, engine: e } = await fixtureKb("layouts-extra");
    const order = extra.docs.find((d) => d.id.startsWith("qinghe"))!;
    const full = await askChecked(extra, e, `${order.meta.shortName}的全称是什么`);
    expect(full.grade).toBe("answered");
    expect(full.answer).toContain("清河市养犬管理办法");
    const number = await askChecked(extra, e, `${order.meta.shortName}的文号是多少`);
    expect(number.answer).toContain("清河市人民政府令第12号");
    expect(number.citations.some((c) => c.ref === "notice" && c.quote === "第12号")).toBe(true);
  });
});
