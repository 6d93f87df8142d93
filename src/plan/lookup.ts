import { parseNumberToken } from "./numerals.js";
import type { Unit } from "./types.js";

/** What a /task, /section or /part argument resolved to. */
export type UnitLookup = { unit: Unit } | { error: string };

const NAMES = { task: "项", section: "节", part: "部分" } as const;
const ALSO = { task: "article", section: "subchapter", part: "chapter" } as const;

/**
 * Finds a unit from a command argument as people type it: 5, 五, 第5项, （三）, (三), 第二部分, 第三节.
 * @example findUnit(units, "section", "（三）")
 */
export function findUnit(units: Unit[], kind: "task" | "section" | "part", arg: string): UnitLookup {
  const token = arg.trim().replace(/^第/, "").replace(/(项|条|节|章|部分|大项)$/, "").replace(/^[(（]\s*|\s*[)）]$/g, "").trim();
  const n = parseNumberToken(token);
  if (n === undefined) return { error: `请给出编号，例如 /${kind} 5 或 /${kind} 五。` };
  // In a plan of chapters and articles, /part 三 is 第三章, /section 二 第二节 and /task 12 第十二条.
  const unit = units.find((u) => u.kind === kind && u.number === n) ?? units.find((u) => u.kind === ALSO[kind] && u.number === n);
  return unit ? { unit } : { error: `没有找到第${n}${NAMES[kind]}。` };
}

/** Kinds of unit a question can name by number (第5项, （三）, 第三部分, 第三章, 第二节, 第十二条, 专栏2, 附件1, 序号3). */
export type RefKind = "task" | "section" | "part" | "volume" | "chapter" | "subchapter" | "article" | "box" | "annex" | "row";

/** A numbered reference as a question writes it; `within` is the unit printed before it (第三章 in 第三章第二节). */
export interface NumberRef {
  kind: RefKind;
  number: number;
  within?: { kind: RefKind; number: number };
}

/**
 * The kinds of unit a reference may mean: 第二节 is a chapter's 节 or, in a plan without chapters, its
 * （二）; 第十二条 is an article or, in a plan without articles, its 第12项.
 */
const MEANS: Record<RefKind, readonly Unit["kind"][]> = {
  task: ["task"],
  section: ["section"],
  part: ["part", "volume"],
  volume: ["volume"],
  chapter: ["chapter"],
  subchapter: ["subchapter", "section"],
  article: ["article", "task"],
  box: ["box"],
  annex: ["annex"],
  row: ["row"],
};

/**
 * Whether a unit is the one a numbered reference names: same kind family and number, and inside
 * the unit named before it (第三章第二节 → 节 2 of chapter 3; 附件1序号3 → row 3 of annex 1).
 * @example matchesRef(unit, { kind: "article", number: 12 })
 */
export function matchesRef(u: Unit, ref: NumberRef): boolean {
  if (u.number !== ref.number || !MEANS[ref.kind].includes(u.kind)) return false;
  if (!ref.within) return true;
  const { kind, number } = ref.within;
  return u.parents.some((p) => {
    const m = /(?:^|\/)([a-z]+):(?:\d+\.)*(\d+)$/.exec(p);
    return m !== null && MEANS[kind].includes(m[1] as Unit["kind"]) && Number(m[2]) === number;
  });
}
