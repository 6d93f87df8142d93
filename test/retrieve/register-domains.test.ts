import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadPlanFile } from "../../src/plan/load.js";
import { PlanCatalog } from "../../src/retrieve/plans.js";
import { expandEnglishRegister, expandRegister, loadEnglishRegister, loadRegister } from "../../src/retrieve/register.js";
import { HybridRetriever } from "../../src/retrieve/retriever.js";
import { routeRetrieval } from "../../src/retrieve/router.js";
import { normalizeText, tokenize } from "../../src/retrieve/text.js";
import { repoPath } from "../helpers.js";

const corpusOf = (text: string) => {
  const normalized = normalizeText(text);
  return (t: string) => normalized.includes(t);
};

// Formal words that name no particular thing: a register term like these would pull any question anywhere.
const GENERIC = new Set(["工作", "服务", "建设", "发展", "管理", "推进", "加强", "完善", "实施", "机制", "体系", "政策", "措施", "问题", "情况", "单位", "部门"]);

describe("the shipped register across policy areas", () => {
  // Two invented plans in areas the seed does not cover: the formal words a resident's question should reach.
  const planText = ["community-care-plan.txt", "livable-city-plan.txt"].map((f) => readFileSync(repoPath(`test/fixtures/register/${f}`), "utf8")).join("\n");
  const inCorpus = corpusOf(planText);
  const termsFor = (q: string) => {
    const text = normalizeText(q);
    return expandRegister(text, tokenize(text).words, inCorpus).flatMap((e) => e.terms);
  };

  it.each([
    ["孩子放学太早，家里没人接", "课后服务"],
    ["想在自家车位装充电桩", "充电基础设施"],
    ["父母住的老楼没电梯，每天爬楼", "加装电梯"],
    ["老人卧床好几年了，家里人撑不住", "失能"],
    ["长护险什么时候能覆盖到我们这", "长期护理保险"],
    ["社区能不能给老人送饭上门", "老年助餐"],
    ["两岁的宝宝没人带", "托育"],
    ["楼下的臭水沟一到夏天就熏人", "黑臭水体"],
    ["跑外卖的出了事故谁管", "新就业形态"],
    ["开个证明要跑好几趟", "一网通办"],
    ["周末想找个球场打球", "体育场馆"],
    ["晚上工地施工噪音太大", "噪声"],
  ])("%s → %s", (q, term) => {
    expect(termsFor(q)).toContain(term);
  });

  it("adds nothing the loaded plans lack", () => {
    // The medicine fixture speaks of none of these things, so a housing question gains no words from it.
    const medicine = corpusOf(readFileSync(repoPath("test/fixtures/register/county-medicine-plan.txt"), "utf8"));
    const text = normalizeText("老楼没电梯，物业也不管");
    expect(expandRegister(text, tokenize(text).words, medicine)).toEqual([]);
  });

  it("keeps its formal words precise", () => {
    // (The English register keeps single characters such as 价 and 水 as parts of compounds, not as readings of their own.)
    for (const [phrase, terms] of loadRegister()) {
      for (const t of terms) {
        expect(t.length, `${phrase} → ${t}`).toBeGreaterThanOrEqual(2);
        expect(GENERIC.has(t), `${phrase} → ${t}`).toBe(false);
      }
    }
    expect(loadEnglishRegister().length).toBeGreaterThan(400);
  });

  it("reads English residents' words as the plans' Chinese", () => {
    const read = (q: string) => expandEnglishRegister(q, inCorpus).flatMap((e) => e.terms);
    expect(read("is there help with meals for my elderly mother")).toContain("助餐");
    expect(read("will the old neighbourhood get an elevator")).toContain("加装电梯");
    expect(read("where are the charging points for electric cars")).toContain("充电设施");
    expect(read("do delivery riders get work injury cover")).toContain("职业伤害保障");
  });
});

describe("residents' questions in new policy areas, end to end", () => {
  const docs = [
    loadPlanFile(repoPath("seeds/zhejiang-2026-qianwan-plan.txt")),
    loadPlanFile(repoPath("test/fixtures/register/county-medicine-plan.txt")),
    loadPlanFile(repoPath("test/fixtures/register/community-care-plan.txt")),
    loadPlanFile(repoPath("test/fixtures/register/livable-city-plan.txt")),
  ];
  const deps = { retriever: new HybridRetriever({ docs }), catalog: new PlanCatalog(docs), docs };
  const first = async (q: string) => {
    const r = await routeRetrieval(deps, q);
    const top = r.retrieval.units[0]?.unit;
    return top ? `${top.doc}:${top.ref}` : undefined;
  };

  it.each([
    ["家里老人腿脚不好，卫生间能装扶手吗", "community-care-plan:section:6"],
    ["社区有没有给老人吃饭的地方", "community-care-plan:section:4"],
    ["两岁的宝宝没人带，有没有托班", "community-care-plan:section:9"],
    ["三点半放学没人接孩子", "community-care-plan:section:10"],
    ["请的护工太少了", "community-care-plan:section:8"],
    ["我们楼是老楼，没电梯，爬楼太累", "livable-city-plan:section:2"],
    ["小区里没地方充电，能装充电桩吗", "livable-city-plan:section:4"],
    ["村口的臭水沟什么时候能治好", "livable-city-plan:section:7"],
    ["办个事要跑好几趟，能不能网上办", "livable-city-plan:section:9"],
    ["跑外卖摔伤了有保障吗", "livable-city-plan:section:10"],
    ["周末想打球跑步，附近有球场吗", "livable-city-plan:section:11"],
  ])("%s", async (q, unit) => {
    expect(await first(q)).toBe(unit);
  });

  it.each([
    ["Is there help with meals for old people?", "community-care-plan:section:4"],
    ["Is there respite care for families looking after bedridden parents?", "community-care-plan:section:7"],
    ["Will our old neighbourhood get an elevator?", "livable-city-plan:section:2"],
    ["Do delivery riders get injury insurance?", "livable-city-plan:section:10"],
  ])("%s", async (q, unit) => {
    expect(await first(q)).toBe(unit);
  });

  it("still answers the medicine plan's residents beside the new plans", async () => {
    expect(await first("药店里常吃的药断货了怎么办")).toBe("county-medicine-plan:section:4");
  });
});
