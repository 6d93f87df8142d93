import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadPlanFile } from "../../src/plan/load.js";
import { PlanCatalog, UnknownPlanError } from "../../src/retrieve/plans.js";
import { FIXTURES } from "../helpers.js";

const dir = join(FIXTURES, "multiplan");
const docs = readdirSync(dir).sort().map((f) => loadPlanFile(join(dir, f)));
const catalog = new PlanCatalog(docs);
const named = (q: string) => catalog.named(q).map((m) => m.doc);

describe("PlanCatalog", () => {
  it("reads each plan's title from the notice it is issued with, and its 文号 and issuer", () => {
    const river = catalog.get("qingshui-river")!;
    expect(river.title).toBe("清水河流域综合治理实施方案");
    expect(river.docNumber).toBe("某政办发〔2024〕7号");
    expect(river.issuers.join()).toContain("办公厅");
    expect(river.shortName.length).toBeLessThanOrEqual(14);
    expect(river.shortName).toMatch(/清水河/);
  });

  it("finds a plan named by its title, part of it before 方案, one of its words before 方案, or its 文号", () => {
    expect(named("清水河流域综合治理实施方案的第五部分讲什么")).toEqual(["qingshui-river"]);
    expect(named("清水河流域治理方案第五部分")).toEqual(["qingshui-river"]);
    expect(named("养老方案里（十二）是什么")).toEqual(["shequ-yanglao"]);
    expect(named("某政发〔2025〕3号第三部分")).toEqual(["shequ-yanglao"]);
    expect(named("某政办发[2025]12号讲什么")).toEqual(["nongjia-shuwu"]);
  });

  it("reads a nickname that counts the plan's sections (书屋12条), but not a count that fits no plan or 第N条", () => {
    expect(named("书屋12条讲什么")).toEqual(["nongjia-shuwu"]);
    expect(named("养老十三条是哪年发的")).toEqual(["shequ-yanglao"]);
    expect(named("养老12条是哪年发的")).toEqual([]);
    expect(named("第12条讲什么")).toEqual([]);
  });

  it("does not take a topic word for a plan's name", () => {
    expect(named("老人助餐点怎么建")).toEqual([]);
    expect(named("第五部分讲什么")).toEqual([]);
  });

  it("narrows by issuer: 某市人民政府 issued one plan, 某省人民政府办公厅 two", () => {
    expect(catalog.byIssuer("某市人民政府的方案第三部分").plans).toEqual(["shequ-yanglao"]);
    expect(catalog.byIssuer("某省人民政府办公厅的方案第三部分").plans.sort()).toEqual(["nongjia-shuwu", "qingshui-river"]);
  });

  it("resolves a choice by id, short name, 文号 or a unique part of the title, and lists the plans otherwise", () => {
    expect(catalog.resolve("shequ-yanglao").id).toBe("shequ-yanglao");
    expect(catalog.resolve(catalog.get("nongjia-shuwu")!.shortName).id).toBe("nongjia-shuwu");
    expect(catalog.resolve("某政办发〔2024〕7号").id).toBe("qingshui-river");
    expect(catalog.resolve("书屋").id).toBe("nongjia-shuwu");
    expect(() => catalog.resolve("no-such-plan")).toThrow(UnknownPlanError);
    expect(() => catalog.resolve("no-such-plan")).toThrow(/shequ-yanglao[\s\S]*qingshui-river|qingshui-river[\s\S]*shequ-yanglao/);
  });

  it("names no plan in citations when only one is loaded", () => {
    const one = new PlanCatalog(docs.slice(0, 1));
    expect(one.citeName(docs[0]!.id)).toBeUndefined();
    expect(one.named("清水河流域治理方案")).toEqual([]);
    expect(catalog.citeName("qingshui-river")).toBe(catalog.get("qingshui-river")!.shortName);
  });
});
