import { beforeAll, describe, expect, it } from "vitest";
import type { KnowledgeBase } from "../../src/knowledge.js";
import { routeRetrieval } from "../../src/retrieve/router.js";
import { fixtureKb } from "../support/kb.js";

// Two invented plans: a 方案 that prints 第一部分…第三部分 over 一、 parts (its 第二部分 holds 一、…十二、),
// and a 通知 of plain parts 一、…十二、.
let kb: KnowledgeBase;
beforeAll(async () => {
  ({ kb } = await fixtureKb("parts-levels"));
});
const route = (q: string) => routeRetrieval({ retriever: kb.retriever, catalog: kb.catalog, docs: kb.docs }, q);

describe("a part named 第N部分 with no plan named", () => {
  it("goes to the plan that prints 第N部分, not to each plan with a part numbered N", async () => {
    const r = await route("第三部分主要讲什么？");
    expect(r.each).toEqual([]);
    expect(r.doc).toBe("hengshan-2027-jiequ-fangan");
    expect(r.retrieval.units[0]?.unit.ref).toBe("volume:3");
  });

  it("goes to the plan of 一、 parts when no plan prints that 第N部分 (a 十二、 inside 第二部分 is not one)", async () => {
    const r = await route("第十二部分讲的是什么？");
    expect(r.each).toEqual([]);
    expect(r.doc).toBe("baishui-2027-yanglao-tongzhi");
    expect(r.retrieval.units[0]?.unit.ref).toBe("part:12");
  });

  it("reads 第二部分第九项 as one chain, held by one plan", async () => {
    const r = await route("第二部分第九项讲的是什么内容？");
    expect(r.each).toEqual([]);
    expect(r.retrieval.units[0]?.unit.ref).toBe("part:2.9");
  });
});

describe("a question that calls the document by its kind", () => {
  it("goes to the plan of that kind: 这个通知 to the notice; 这个方案 is how people call any plan", async () => {
    const notice = await route("这个通知是哪天发的？");
    expect(notice.each).toEqual([]);
    expect(notice.doc).toBe("baishui-2027-yanglao-tongzhi");
    const fangan = await route("这个方案是哪天印发的？");
    expect(fangan.each.map((e) => e.doc).sort()).toEqual(["baishui-2027-yanglao-tongzhi", "hengshan-2027-jiequ-fangan"]);
    const action = await route("这个行动方案是哪天印发的？");
    expect(action.doc).toBe("hengshan-2027-jiequ-fangan");
  });

  it("names the plans of the kind a question calls it (这份行动方案, 这个通知), and none when it calls it no kind a plan is", async () => {
    const { plansOfGenre } = await import("../../src/retrieve/router.js");
    const docs = kb.catalog.plans.map((p) => p.id);
    expect(plansOfGenre(kb.catalog, docs, "这份行动方案的目标")).toEqual(["hengshan-2027-jiequ-fangan"]);
    expect(plansOfGenre(kb.catalog, docs, "这个通知的文号")).toEqual(["baishui-2027-yanglao-tongzhi"]);
    expect(plansOfGenre(kb.catalog, docs, "这个意见的文号")).toBeUndefined();
    expect(plansOfGenre(kb.catalog, docs, "这个方案的文号")).toBeUndefined();
    expect(plansOfGenre(kb.catalog, docs, "养老床位有多少")).toBeUndefined();
  });
});

describe("a question about issuing something the plan's body itself asks to be issued", () => {
  it("is a question about the body, however it is worded (印发实施方案, 把实施方案印发出来)", async () => {
    const { fixtureKb, askChecked } = await import("../support/kb.js");
    const { kb: metaKb, engine } = await fixtureKb("meta-body");
    for (const q of ["试点城市政府什么时候印发实施方案？", "试点城市政府什么时候要把实施方案印发出来？"]) {
      const r = await askChecked(metaKb, engine, q);
      expect(r.answer).toContain("2027年6月底前");
      expect(r.citations[0]?.label).toBe("二（一）");
    }
  });
});
