import { beforeAll, describe, expect, it } from "vitest";
import type { AnswerEngine } from "../../src/answer/engine.js";
import type { KnowledgeBase } from "../../src/knowledge.js";
import { extractTargets } from "../../src/targets/extract.js";
import { makeQuestion } from "../../src/quiz/generate.js";
import { runCli } from "../cli/run.js";
import { FIXTURES } from "../helpers.js";
import { askChecked, fixtureKb } from "../support/kb.js";

// Invented plans in the layouts real governments print: 第X章/第X节 with 专栏 (规划), 第X篇/第X章 with an
// 附表 (纲要), 第X章/第X条 (办法), 一　parts with deeper numbering and 附件 tables (方案), 第一部分 above
// 一、 parts, and a markdown plan with bold leads.
let kb: KnowledgeBase;
let engine: AnswerEngine;
beforeAll(async () => {
  ({ kb, engine } = await fixtureKb("layouts"));
});
const ask = (question: string) => askChecked(kb, engine, question);

describe("answers cite the units of chapters, articles, boxes and annexes as printed", () => {
  it.each([
    ["公园管理办法第十条讲什么", "article:10", "第十条", "50元以上200元以下罚款"],
    ["兰溪数字经济规划第三章第二节讲了什么", "subchapter:3.2", "第三章第二节", "专栏1"],
    ["专栏1有哪些重点工程", "box:1", "专栏1", "城东智能计算中心"],
    ["附件1序号3由谁负责", "annex:1/row:3", "附件1序号3", "县交通运输局"],
    ["养护员多久巡查一次", "annex:2/section:2.1", "附件2二（一）", "每周至少巡查2次"],
    ["河西纲要第二篇讲什么", "volume:2", "第二篇", "第三章"],
    ["乡村旅游方案第二部分一（二）讲什么", "section:2.1.2", "第二部分一（二）", "精品民宿60家"],
  ])("lookup: %s → %s", async (q, ref, label, text) => {
    const r = await ask(q);
    expect(r.abstained).toBe(false);
    expect(r.citations[0]).toMatchObject({ ref, label });
    expect(r.answer).toContain(text);
    expect(r.answer).toContain(`·${label}〕`);
  });

  it.each([
    ["城市公园每天开放多长时间", "article:8", "14小时"],
    ["数字经济产业基金规模多大", "subchapter:5.2", "10亿元"],
    ["乡道病害处治多少公里", "item:2.1.1.2", "90公里"],
  ])("figure: %s → %s", async (q, ref, figure) => {
    const r = await ask(q);
    expect(r.citations[0]!.ref).toBe(ref);
    expect(r.answer).toContain(figure);
  });

  it("lists an article's items under its rule", async () => {
    const r = await ask("公园管理单位要履行哪些职责");
    expect(r.citations[0]!.ref).toBe("article:7");
    for (const item of ["制定并公布公园游园守则", "维护公园设施设备", "每年至少开展2次安全隐患排查", "设置无障碍设施和母婴室"]) expect(r.answer).toContain(item);
    expect(r.answer).toContain("〔青原市城市公园办法·第七条（四）〕");
  });

  it("quotes the 二是 / 其次 sentence of an in-paragraph enumeration", async () => {
    const second = await ask("助餐点依托什么增设");
    expect(second.citations.map((c) => c.quote)).toContain("二是依托居家养老服务中心增设助餐点；");
    const next = await ask("电子信息产业园建来做什么");
    expect(next.citations.map((c) => c.quote)).toContain("其次，建设电子信息产业园，为中小企业提供标准厂房和公共测试平台。");
    expect(next.citations[0]!.label).toBe("第四章第一节");
  });
});

describe("targets ledger, quiz and plans on these layouts", () => {
  it("files each target under the unit that states it, boxes and table rows included", () => {
    const doc = kb.docs.find((d) => d.id === "lanxi-shuzi-guihua")!;
    const targets = extractTargets(doc);
    expect(targets.find((t) => t.quote === "新建改造光纤宽带端口12万个")).toMatchObject({ ref: "box:1/row:1", label: "专栏1第1项", value: 12, unit: "万个" });
    expect(targets.find((t) => t.quote.includes("规模不低于10亿元"))).toMatchObject({ label: "第五章第二节" });
    const fangan = extractTargets(kb.docs.find((d) => d.id === "shiquan-gonglu-fangan")!);
    expect(fangan.find((t) => t.ref === "annex:1/row:2")).toMatchObject({ label: "附件1序号2", value: 90, unit: "公里" });
    // A figure in an item or an article is quoted without the line's numbering (（1）, 第五条　).
    expect(fangan.find((t) => t.ref === "item:2.1.1.1")).toMatchObject({ quote: "2026年完成县道病害处治60公里", metric: "完成县道病害处治" });
    const banfa = extractTargets(kb.docs.find((d) => d.id === "qingyuan-gongyuan-banfa")!);
    expect(banfa.find((t) => t.ref === "article:5")!.quote).toBe("新建城市公园的绿化用地面积不得低于公园陆地面积的65%");
    expect(banfa.find((t) => t.ref === "section:7.3")!.quote).toBe("每年至少开展2次安全隐患排查");
  });

  it("asks quiz questions that cite 专栏 and table rows by their printed labels", () => {
    const doc = kb.docs.find((d) => d.id === "lanxi-shuzi-guihua")!;
    const targets = extractTargets(doc);
    const t = targets.find((x) => x.ref === "box:1/row:1")!;
    const q = makeQuestion(t, "fill", 1, { targets, units: doc.units })!;
    expect(q.question).toBe("填空：新建改造光纤宽带端口____万个（专栏1第1项）");
    expect(q.answer).toBe("12万个");
    const which = makeQuestion(t, "which-task", 1, { targets, units: doc.units })!;
    expect(which.answer).toContain("专栏1第1项");
  });

  it("lists the plans with their titles and counts (policybot plans)", async () => {
    const { code, out } = await runCli(["plans", "--json"], undefined, { SEEDS_DIR: `${FIXTURES}/layouts` });
    expect(code).toBe(0);
    const plans = JSON.parse(out) as Array<{ id: string; title: string; units: number; targets: number }>;
    expect(plans.map((p) => [p.id, p.title, p.units])).toEqual([
      ["beishan-lvyou-fangan", "北山县乡村旅游提质行动方案", 11],
      ["hexi-shengtai-gangyao", "河西区生态环境保护“十五五”规划纲要", 13],
      ["lanxi-shuzi-guihua", "兰溪市数字经济发展“十五五”规划", 23],
      ["qingyuan-gongyuan-banfa", "青原市城市公园管理办法", 25],
      ["shiquan-gonglu-fangan", "石泉县农村公路养护提升三年行动方案（2026—2028年）", 27],
      ["yunling-shitang-fangan", "云岭县社区老年食堂建设实施方案", 11],
    ]);
    for (const p of plans) expect(p.targets).toBeGreaterThan(0);
  });
});
