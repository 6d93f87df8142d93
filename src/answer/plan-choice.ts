/**
 * A chat's choice of plan (`/use`), the same on every channel: by number, by any name the catalogue
 * knows, or 全部 for all plans again.
 */
import type { PlanCatalog, PlanInfo } from "../retrieve/plans.js";

/** Words that mean "no particular plan" in /use. */
export const ALL_PLANS = /^(全部|所有|全部方案|所有方案|all|\*)$/i;

/** What `/use <arg>` chose: every plan, or one. */
export type PlanChoice = { all: true } | { all: false; plan: PlanInfo };

/**
 * Reads a /use argument: 全部, a 1-based number from /plans, or a name. Throws UnknownPlanError (listing the plans) for anything else.
 * @example choosePlan(catalog, "2") // { all: false, plan: catalog.plans[1] }
 */
export function choosePlan(catalog: PlanCatalog, arg: string): PlanChoice {
  const a = arg.trim();
  if (ALL_PLANS.test(a)) return { all: true };
  const byNumber = /^\d{1,3}$/.test(a) ? catalog.plans[Number(a) - 1] : undefined;
  return { all: false, plan: byNumber ?? catalog.resolve(a) };
}

/** The confirmation a chat sees after /use. */
export function planChosenText(choice: PlanChoice): string {
  return choice.all ? "已恢复在全部方案中查找。" : `已切换到《${choice.plan.title}》。之后的问题只在这份方案中查找；发送 /use 全部 恢复全部方案。`;
}

/** A stored chat plan, kept only while that plan is still loaded. */
export function loadedPlan(catalog: PlanCatalog, doc: string | undefined): string | undefined {
  return doc && catalog.get(doc) ? doc : undefined;
}

/** The heading of a /plans listing. */
export function plansHeading(catalog: PlanCatalog, current: string | undefined): string {
  if (catalog.plans.length <= 1) return "已加载的方案：";
  return current ? "已加载的方案（✅ 为本对话当前使用的方案）：" : "已加载的方案（本对话在全部方案中查找）：";
}
