import { beforeAll, describe, expect, it } from "vitest";
import type { KnowledgeBase } from "../../src/knowledge.js";
import { parsePlan } from "../../src/plan/parse.js";
import type { PlanDocument } from "../../src/plan/types.js";
import { routeRetrieval } from "../../src/retrieve/router.js";
import { extractQuantities } from "../../src/targets/quantities.js";
import { fixtureKb } from "../support/kb.js";

// A county's 三年行动方案 whose measures run on inside their section's paragraph (（一）…。1.…（责任单位：…）2.…), or
// on one line of their own under the section's heading; beside it, a province's 办事指南 of labelled blocks whose
// procedure is printed as 第一步：… steps, with its consulting hours.
let kb: KnowledgeBase;
let plan: PlanDocument;
let guide: PlanDocument;
beforeAll(async () => {
  ({ kb } = await fixtureKb("run-in-items"));
  plan = kb.docs.find((d) => d.id === "qingshan-2027-zhuchan-xingdong-fangan")!;
  guide = kb.docs.find((d) => d.id === "hunan-2027-zhuchan-butie-banshi-zhinan")!;
});
const route = (q: string) => routeRetrieval({ retriever: kb.retriever, catalog: kb.catalog, docs: kb.docs }, q);
const unitOf = (d: PlanDocument, label: string) => d.units.find((u) => u.label === label);

describe("measures run on in a paragraph", () => {
  it("makes each numbered measure a unit of its section, with its 责任单位", () => {
    expect(unitOf(plan, "二（一）")?.children).toEqual(["task:2.1.1", "task:2.1.2", "task:2.1.3"]);
    expect(unitOf(plan, "二（一）")?.text).toBe("（一）实施竹林培育工程。");
    expect(unitOf(plan, "二（一）2.")?.text).toBe("2.推进竹林道路建设。新建竹林作业道120公里，对每公里补助2万元。（责任单位：县林业局、县交通运输局）");
  });

  it("reads a line that opens with 1. and runs on to 2. as two measures", () => {
    expect(unitOf(plan, "二（三）")?.children).toEqual(["task:2.3.1", "task:2.3.2"]);
    expect(unitOf(plan, "二（三）2.")?.text).toContain("推出竹乡精品旅游线路8条");
  });

  it("leaves figures, lone numbers and numbers out of order in their sentence", () => {
    const d = parsePlan(["某县方案", "一、目标", "（一）投资。总投资3.5亿元。1.新建道路。建成后2.5万人受益。", "（二）要求。见1.说明。3.其他事项。"].join("\n"), "x.txt");
    expect(d.units.filter((u) => u.kind === "task")).toEqual([]);
    expect(d.units.find((u) => u.kind === "section")?.text).toBe("（一）投资。总投资3.5亿元。1.新建道路。建成后2.5万人受益。");
  });
});

describe("a guide's steps", () => {
  it("cites each 第N步 of a procedure as printed, under its part", () => {
    expect(guide.units.filter((u) => u.parents.at(-1) === "part:3").map((u) => u.label)).toEqual(["三、第一步", "三、第二步", "三、第三步", "三、第四步", "三、第五步"]);
    expect(unitOf(guide, "三、第三步")?.text).toBe("第三步：审核。县级林业主管部门在15个工作日内完成现场核查和审核。");
  });

  it("answers a question about one step from that step", async () => {
    const r = await route("县里审核要花多少个工作日？");
    expect(r.retrieval.units[0]?.unit.label).toBe("三、第三步");
  });
});

describe("times of day", () => {
  it("reads a time of day, a span of them and one on a given day as dates, never as figures", () => {
    const six = extractQuantities(unitOf(guide, "六、咨询方式")!);
    expect(six.filter((q) => q.role === "date").map((q) => q.figure)).toEqual(["9:00—12:00", "13:30—17:00"]);
    const d = parsePlan(["某市通告", "一、燃放时间", "每日22时至次日7时禁止燃放，但2027年2月5日22时至2月6日1时除外；开放时间为晚上9点，24小时值守，培训8学时。"].join("\n"), "y.txt");
    const dates = extractQuantities(d.units.find((u) => u.kind === "part")!).filter((q) => q.role === "date").map((q) => q.figure);
    expect(dates).toEqual(["22时至次日7时", "2027年2月5日22时至2月6日1时", "晚上9点"]);
  });

  it("answers 几点 with the times the plan prints", async () => {
    const r = await route("竹林抚育补贴的咨询电话几点能打？");
    expect(r.retrieval.grade).toBe("answered");
    expect(r.retrieval.figures.map((f) => f.figure.figure)).toContain("9:00—12:00");
  });

  it("does not answer 几点 with a date where the plan prints no time of day", async () => {
    const r = await route("青山县竹产业园每天几点开门？");
    expect(r.retrieval.grade).not.toBe("answered");
  });
});

describe("the place a plan is for", () => {
  it("is its issuer's county, or the province its title opens with where no issuer is printed", () => {
    expect(kb.retriever.planPlace(plan.id)).toBe("青山");
    expect(kb.retriever.planPlace(guide.id)).toBe("湖南");
  });

  it("points a question naming the place to that plan", async () => {
    expect((await route("湖南竹林抚育补贴每亩补多少钱？")).doc).toBe(guide.id);
    expect((await route("青山县新建笋竹两用林每亩补多少钱？")).doc).toBe(plan.id);
  });
});
