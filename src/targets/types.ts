import { z } from "zod";

/**
 * One quantitative target of a plan: what is measured, how much, in which unit, how firmly,
 * and the verbatim span of the unit's text it was read from.
 * @example { metric: "新建和改造提升高标准农田", value: 78, unit: "万亩", qualifier: "", quote: "新建和改造提升高标准农田78万亩" }
 */
export const Target = z.object({
  doc: z.string(),
  /** The unit the target is stated in (task:5, part:1). */
  ref: z.string(),
  /** How a person cites that unit (第5项). */
  label: z.string(),
  /** What is measured, in the plan's own words (全省常住人口城镇化率). */
  metric: z.string().min(1),
  /** The number at the plan's scale: 13 for 13万个, never 130000. */
  value: z.number().finite(),
  /** As written (万亩, %, 万个, 亿元); "" for a bare ratio such as 1.8. */
  unit: z.string(),
  /** The plan's hedge or direction words (达到、左右; 力争、分别、达到); "" when none. */
  qualifier: z.string(),
  /** A short verbatim substring of the unit's text that contains the target. */
  quote: z.string().min(1),
  /** Position of the quote in the unit's text (0-based, UTF-16). */
  index: z.number().int().nonnegative().optional(),
  /** The year the target is set for, when the paragraph states one (2026年,…). */
  year: z.number().int().optional(),
  /** The high end of a range (60%—70% → value 60, high 70). */
  high: z.number().finite().optional(),
  /** = exact, >= at least, > more than, <= at most, < less than, ~ about, range. */
  bound: z.enum(["=", ">=", ">", "<=", "<", "~", "range"]).optional(),
  /** What the unit measures: percent, money, duration, count, area … */
  kind: z.string().optional(),
  /** The figure as printed when it is not plainly value + unit (60%—70%, 三年, 一半, 1.5万人). */
  figure: z.string().optional(),
});
export type Target = z.infer<typeof Target>;
