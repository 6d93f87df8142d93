import { figureOf } from "./extract.js";
import type { Target } from "./types.js";

const HEDGE = /^(?:力争|争取|确保|继续)$/;
const BOUND_AFTER = /^(?:及以上|及以下|以上|左右|以内|以下|之内|上下|内)$/;
/** Words that only serve the sentence's grammar (分别 pairs list items with values) and say nothing on their own. */
const GRAMMAR = /^(?:分别)$/;
const COUNTING = /^(?:累计|新增)$/;

/**
 * A target's value as the plan frames it, from its qualifier words: 力争、分别、达到 + 76.5% → 力争达到76.5%;
 * 稳定在、以上 + 1530万亩 → 稳定在1530万亩以上. Counting words (新增, 累计) already in the metric are not repeated.
 * @example describeValue({ metric: "城镇化率", value: 76.5, unit: "%", qualifier: "力争、分别、达到" }) // "力争达到76.5%"
 */
export function describeValue(t: Pick<Target, "metric" | "value" | "unit" | "qualifier" | "high">): string {
  const words = t.qualifier.split("、").filter(Boolean);
  const hedge = words.filter((w) => HEDGE.test(w)).join("");
  const counting = words.filter((w) => COUNTING.test(w) && !t.metric.includes(w)).join("");
  const after = words.filter((w) => BOUND_AFTER.test(w)).join("");
  const before = words.filter((w) => !HEDGE.test(w) && !BOUND_AFTER.test(w) && !GRAMMAR.test(w) && !COUNTING.test(w)).join("");
  return `${hedge}${counting}${before}${figureOf(t)}${after}`;
}
