/**
 * The targets ledger: the quantities of a plan that are goals (78万亩, 76.5%左右, 比值缩小到1.8左右,
 * 60%—70%, 不低于采购金额的30% …), without conditions, dates, document numbers and numbering.
 * See quantities.ts for how every quantity is read and judged.
 */
import type { PlanDocument, Unit } from "../plan/types.js";
import { extractQuantities, type Quantity } from "./quantities.js";
import type { Target } from "./types.js";

/**
 * Every quantitative target of a document, in document order.
 * @example extractTargets(loadPlanFile("seeds/plan.txt")).find((t) => t.value === 78) // { metric: "新建和改造提升高标准农田", unit: "万亩", … }
 */
export function extractTargets(doc: PlanDocument): Target[] {
  return doc.units.flatMap((u) => extractTargetsFromUnit(u));
}

/**
 * The quantitative targets stated in one unit's own text, in text order.
 * @example extractTargetsFromUnit(unit) // [{ metric: "全省常住人口城镇化率", value: 76.5, unit: "%", qualifier: "达到、左右", … }]
 */
export function extractTargetsFromUnit(unit: Unit): Target[] {
  return extractQuantities(unit).filter((q) => q.role === "goal" && q.metric).map(toTarget);
}

/** A goal quantity as a ledger entry; the range, bound and printed figure ride along for readers that want them. */
export function toTarget(q: Quantity): Target {
  const figure = q.figure;
  const plain = figure === `${q.value}${q.unit}` || figure === `${q.value}${q.unit}${q.qualifier.split("、").at(-1) ?? ""}`;
  return {
    doc: q.doc, ref: q.ref, label: q.label, metric: q.metric, value: q.value, unit: q.unit, qualifier: q.qualifier,
    quote: q.quote, index: q.quoteStart, ...(q.year !== undefined ? { year: q.year } : {}),
    ...(q.high !== q.value ? { high: q.high } : {}), bound: q.bound, kind: q.kind, ...(plain ? {} : { figure }),
  };
}

/**
 * A target's figure for display: 60%—70% for a range, else value and unit.
 * @example figureOf({ value: 2, high: 3, unit: "年", … }) // "2—3年"
 */
export function figureOf(t: Pick<Target, "value" | "unit" | "high">): string {
  return t.high !== undefined && t.high !== t.value ? `${t.value}${t.unit === "%" ? "%" : ""}—${t.high}${t.unit}` : `${t.value}${t.unit}`;
}
