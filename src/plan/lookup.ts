import { parseNumberToken } from "./numerals.js";
import type { Unit } from "./types.js";

/** What a /task, /section or /part argument resolved to. */
export type UnitLookup = { unit: Unit } | { error: string };

const NAMES = { task: "项", section: "节", part: "部分" } as const;

/**
 * Finds a unit from a command argument as people type it: 5, 五, 第5项, （三）, (三), 第二部分, 第三节.
 * @example findUnit(units, "section", "（三）")
 */
export function findUnit(units: Unit[], kind: "task" | "section" | "part", arg: string): UnitLookup {
  const token = arg.trim().replace(/^第/, "").replace(/(项|条|节|部分|大项)$/, "").replace(/^[(（]\s*|\s*[)）]$/g, "").trim();
  const n = parseNumberToken(token);
  if (n === undefined) return { error: `请给出编号，例如 /${kind} 5 或 /${kind} 五。` };
  const unit = units.find((u) => u.kind === kind && u.number === n);
  return unit ? { unit } : { error: `没有找到第${n}${NAMES[kind]}。` };
}
