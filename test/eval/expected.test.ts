import { describe, expect, it } from "vitest";
import { expectedUnits, resolveChain, unitKey } from "../../src/eval/expected.js";
import { loadPlanFile } from "../../src/plan/load.js";
import { parsePlan } from "../../src/plan/parse.js";
import { repoPath } from "../helpers.js";

const seed = loadPlanFile(repoPath("seeds/zhejiang-2026-qianwan-plan.txt"));
// Sections restart in each part, as in many State Council plans.
const restarting = parsePlan(
  ["示范工作方案", "", "一、总体要求", "（一）指导思想。坚持系统观念。", "（二）工作目标。到2030年建成10个示范区。", "二、主要任务", "（一）完善制度。建立统计制度。", "（二）强化支撑。加大资金投入。"].join("\n"),
  "restart.txt",
  "h",
);

describe("expected units of an evaluation question", () => {
  it("resolves printed chains to the seed's units", () => {
    expect(resolveChain(seed, "第5项").map((u) => u.ref)).toEqual(["task:5"]);
    expect(resolveChain(seed, "（三）").map((u) => u.ref)).toEqual(["section:3"]);
    expect(resolveChain(seed, "二（三）").map((u) => u.ref)).toEqual(["section:3"]);
    expect(resolveChain(seed, "一").map((u) => u.ref)).toEqual(["part:1"]);
    expect(resolveChain(seed, "preamble").map((u) => u.kind)).toEqual(["preamble"]);
    expect(resolveChain(seed, "(十二)").map((u) => u.ref)).toEqual(["section:12"]);
  });

  it("resolves a table by its caption's number to its rows", () => {
    const plan = parsePlan(
      ["发展规划", "", "第一章　发展目标", "表1　主要指标", "指标\t2025年\t2030年\t属性", "城镇化率（%）\t70\t75\t预期性", "森林覆盖率（%）\t61\t62\t约束性", "", "第二章　主要任务", "加快建设。"].join("\n"),
      "table.txt",
      "h",
    );
    const rows = resolveChain(plan, "表1");
    expect(rows.map((u) => u.kind)).toEqual(["row", "row"]);
    expect(rows[0]!.text).toContain("城镇化率");
    expect(resolveChain(plan, "表2")).toEqual([]);
  });

  it("tells restarted sections apart by their part", () => {
    const second = resolveChain(restarting, "二（二）");
    expect(second).toHaveLength(1);
    expect(second[0]!.text).toContain("加大资金投入");
    expect(resolveChain(restarting, "（二）")).toHaveLength(2);
    expect(resolveChain(restarting, "三（一）")).toEqual([]);
  });

  it("counts a unit inside an expected one as right", () => {
    const item = { id: "x", category: "lookup", q: "q", answerable: true, expect: { refs: [], units: ["（三）"], figures: [], items: [] } };
    const keys = expectedUnits(item, [seed], [seed.id]);
    expect(keys.has(unitKey(seed.id, "section:3"))).toBe(true);
    expect(keys.has(unitKey(seed.id, "task:5"))).toBe(true);
    expect(keys.has(unitKey(seed.id, "task:9"))).toBe(false);
  });
});

describe("chains written as the units' own labels", () => {
  it("resolves an item under a restarted section, a chapter's section, an annex row and a box", async () => {
    const { loadPlanFile } = await import("../../src/plan/load.js");
    const { readdirSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { FIXTURES } = await import("../helpers.js");
    const dir = join(FIXTURES, "layouts");
    const docs = readdirSync(dir).filter((f) => f.endsWith(".txt")).map((f) => loadPlanFile(join(dir, f)));
    const labels = docs.flatMap((d) => d.units.filter((u) => /（\d）$|第.章第.节|序号\d|^专栏\d/.test(u.label)).map((u) => [d, u] as const));
    expect(labels.length).toBeGreaterThan(0);
    for (const [doc, u] of labels) expect(resolveChain(doc, u.label).map((x) => x.ref), u.label).toContain(u.ref);
  });
});
