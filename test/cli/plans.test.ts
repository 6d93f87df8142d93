import { describe, expect, it } from "vitest";
import { FIXTURES } from "../helpers.js";
import { runCli as run } from "./run.js";

const GOVCN = `${FIXTURES}/plans/govcn`;

describe("policybot plans", () => {
  it("lists the loaded plans as JSON with titles, issuers, 文号, dates and counts", async () => {
    const { code, out } = await run(["plans", "--json"], undefined, { SEEDS_DIR: GOVCN });
    expect(code).toBe(0);
    const plans = JSON.parse(out) as Array<Record<string, unknown>>;
    expect(plans.map((p) => [p.id, p.shortName, p.title, p.issuers, p.docNumber, p.date])).toEqual([
      ["qingjie-xiangcun", "清洁乡村方案", "“清洁乡村”建设试点工作方案", ["国务院办公厅"], "国办发〔2031〕77号", "2031-03-08"],
      ["shuzi-jineng", "数字技能提升方案", "国家数字技能提升行动方案", ["国务院"], "国发〔2032〕9号", "2032-05-20"],
    ]);
    expect(plans[0]).toMatchObject({ units: 16, noticeTitle: "国务院办公厅关于印发“清洁乡村”建设试点工作方案的通知", dateText: "2031年3月8日" });
    for (const p of plans) {
      expect(p.targets).toEqual(expect.any(Number));
      expect(p.aliases).toEqual(expect.arrayContaining([p.shortName, p.title, p.docNumber]));
    }
  });

  it("prints one block per plan for people, the seed included", async () => {
    const { code, out } = await run(["plans"]);
    expect(code).toBe(0);
    expect(out).toContain("# zhejiang-2026-qianwan-plan · 千万工程方案");
    expect(out).toMatch(/印发：中共浙江省委、浙江省人民政府 {2}2026年2月5日（2026-02-05）/);
    expect(out).toMatch(/单元：43 {2}目标：\d+/);
  });

  it("shows each plan's source format and lists the files it skipped", async () => {
    const { code, out, err } = await run(["plans", "--json"], undefined, { SEEDS_DIR: `${FIXTURES}/formats` });
    expect(code).toBe(0);
    const plans = JSON.parse(out) as Array<Record<string, unknown>>;
    expect(plans.map((p) => [p.id, p.format])).toEqual([["plan-portal", "html"], ["plan", "txt"]]);
    expect(err).toMatch(/README\.md: 文件名表明这是说明或附属文件，不是方案.*已跳过/);
    const text = await run(["plans"], undefined, { SEEDS_DIR: `${FIXTURES}/formats` });
    expect(text.out).toMatch(/格式：html（.*plan-portal\.html）/);
  });

  it("says so when no plan loads", async () => {
    const { code, err } = await run(["plans"], undefined, { SEEDS_DIR: `${FIXTURES}/plans/nope` });
    expect(code).toBe(1);
    expect(err).toMatch(/没有可读取的政策文件/);
  });
});
