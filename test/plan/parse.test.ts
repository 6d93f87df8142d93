import { describe, expect, it } from "vitest";
import { cleanLine } from "../../src/plan/lines.js";
import { seedPlan, seedText } from "../helpers.js";

const unit = (ref: string) => {
  const u = seedPlan().units.find((x) => x.ref === ref);
  if (!u) throw new Error(`no unit ${ref}`);
  return u;
};

describe("parsing the Zhejiang 2026 plan", () => {
  it("finds exactly 4 parts, 14 sections, 23 tasks, one notice and a preamble", () => {
    const count = (kind: string) => seedPlan().units.filter((u) => u.kind === kind).length;
    expect([count("part"), count("section"), count("task"), count("notice"), count("preamble")]).toEqual([4, 14, 23, 1, 1]);
    expect(seedPlan().units.filter((u) => u.kind === "task").map((u) => u.ref)).toEqual(Array.from({ length: 23 }, (_, i) => `task:${i + 1}`));
    expect(seedPlan().warnings).toEqual([]);
  });

  it("gives every unit a label, heading and path a person would cite", () => {
    expect(unit("task:5")).toMatchObject({
      label: "第5项",
      heading: "增强粮食等重要农产品供给保障能力",
      path: "二、重点工作 › （三）着力培育特色产业和产业平台 › 第5项",
      parents: ["part:2", "section:3"],
    });
    expect(unit("section:9")).toMatchObject({ label: "（九）", heading: "实施城乡融合发展体制机制改革", path: "三、重大改革支撑 › （九）实施城乡融合发展体制机制改革" });
    expect(unit("section:14").label).toBe("（十四）");
    expect(unit("part:1")).toMatchObject({ label: "一、总体要求", heading: "总体要求" });
    expect(unit("section:3").children).toEqual(["task:5", "task:6", "task:7", "task:8"]);
    expect(unit("part:3").children).toEqual(["section:9", "section:10", "section:11"]);
  });

  it("joins task 6 whole across the issuing notice printed inside it", () => {
    const t6 = unit("task:6");
    expect(t6.text).toContain("推动涉农科研单位资源、力量、政策整合优化");
    expect(t6.text).not.toMatch(/印发|中共浙江省委|各市/);
    expect(t6.text.endsWith("擦亮“浙产好食品”名片。")).toBe(true);
    expect(t6.repairs.map((r) => r.kind)).toEqual(["join-around-insert"]);
    expect(t6.source.lines).toEqual([33, 45]);
  });

  it("mends the page break that splits task 13 between 市 and 域统筹机制", () => {
    const t13 = unit("task:13");
    expect(t13.text).toContain("探索规划新增城镇规模市域统筹机制。");
    expect(t13.text).toContain("新增“多田套合”面积45万亩");
    expect(t13.repairs[0]?.kind).toBe("join-page-break");
  });

  it("takes the issuing notice out as its own unit with issuers, date and recipients", () => {
    const { meta } = seedPlan();
    expect(meta.issuers).toEqual(["中共浙江省委", "浙江省人民政府"]);
    expect(meta.date).toBe("2026-02-05");
    expect(meta.dateText).toBe("2026年2月5日");
    expect(meta.recipients).toEqual(["各市、县(市、区)党委和人民政府", "省直属各单位"]);
    expect(meta.title).toBe("关于2026年深化以“千万工程”牵引城乡融合发展缩小“三大差距”推进共同富裕先行示范的工作方案");
    expect(unit("notice").text).toContain("印发给你们");
    expect(unit("notice").source).toMatchObject({ startLine: 35, endLine: 43 });
  });

  it("keeps page furniture (column header, slogan block) out of every unit", () => {
    for (const u of seedPlan().units) {
      expect(u.text).not.toMatch(/要闻|社会主义核心价值观|富强|爱国 敬业/);
    }
    expect(unit("section:14").text.endsWith("提高资金使用绩效。")).toBe(true);
  });

  it("replaces the stray English 'and' with 和 and records the repair", () => {
    expect(unit("task:18").text).toContain("保障性租赁住房和配售型保障性住房");
    expect(unit("section:10").text).toContain("资源布局和要素配置");
    for (const u of seedPlan().units) expect(u.text).not.toMatch(/\band\b/);
    expect(unit("task:18").repairs).toEqual([expect.objectContaining({ kind: "stray-word", line: 77 })]);
  });

  it("covers the whole document body: every body line is in some unit", () => {
    const all = seedPlan().units.map((u) => u.text).join("\n").replace(/\s+/g, "");
    const lines = seedText().split("\n").map((l, i) => cleanLine(l, i + 1).text).filter(Boolean);
    const furniture = new Set(["要闻", "社会主义核心价值观", "富强 民主 文明 和谐", "自由 平等 公正 法治", "爱国 敬业 诚信 友善"]);
    const body = lines.filter((l) => !furniture.has(l));
    expect(body.length).toBeGreaterThan(50);
    for (const l of body) expect(all).toContain(l.replace(/\s+/g, ""));
    // …and nothing is counted twice: own texts add up to the body.
    expect(all.length).toBe(body.join("").replace(/\s+/g, "").length);
  });

  it("records where each unit came from so quotes can be traced", () => {
    const raw = seedText().split("\n");
    expect(unit("task:5").source).toMatchObject({ startLine: 31, endLine: 31 });
    expect(raw[30]).toContain("新建和改造提升高标准农田78万亩");
    for (const u of seedPlan().units) {
      for (const n of u.source.lines) expect(raw[n - 1]!.trim().length).toBeGreaterThan(0);
    }
  });
});
