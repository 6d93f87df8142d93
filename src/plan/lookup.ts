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
export type RefKind = "task" | "section" | "part" | "volume" | "chapter" | "subchapter" | "article" | "box" | "annex" | "row" | "item" | "closing";

/** A numbered reference as a question writes it; `within` is the unit printed before it (第三章 in 第三章第二节). */
/** The unit a reference is printed inside of (第三章 in 第三章第二节), itself possibly inside another (二 in 二（三）第2项). */
export interface OuterRef {
  kind: RefKind;
  number: number;
  partWord?: boolean;
  within?: OuterRef;
}

export interface NumberRef {
  kind: RefKind;
  number: number;
  within?: OuterRef;
  /** Written with the word 部分 (第三部分): in a plan that prints 第N部分 headings it names one of those only. */
  partWord?: boolean;
}

/** What a plan's layout says about how its units are named by number. */
export interface RefLayout {
  /** It prints its top divisions as 第N部分 (第一部分　总体要求 › 一、…): a 第N部分 there is one of them. */
  printsParts: boolean;
  /**
   * Its numbered items restart under each part (三、1. … 七、1.): a bare 第N项 names no one of them, and
   * a reader counting the plan's 项 (十件民生实事的第五项) counts its parts.
   */
  itemsRestart?: boolean;
  /** Its parts are untitled paragraphs of rules that it cites as 第N条 (a 通告): a 第N条 is its Nth part. */
  partsAreArticles?: boolean;
}

const NO_LAYOUT: RefLayout = { printsParts: false };

/**
 * How a plan's units are named by number: whether it prints 第N部分 headings, and whether its
 * numbered items restart under each part.
 * @example refLayout(doc.units).printsParts // true for 第一部分 › 一、 › （一）
 */
export function refLayout(units: readonly Unit[]): RefLayout {
  const printsParts = units.some((u) => u.kind === "volume" && /^第.{1,4}部分$/.test(u.label));
  // Items numbered again under another part: the same number twice among the body's items, and parts to count.
  const seen = new Set<number>();
  let repeats = false;
  for (const u of units) {
    if (u.kind !== "task" || u.ref.startsWith("annex:") || u.ref.startsWith("box:") || u.parents.some((p) => p.startsWith("task:"))) continue;
    if (seen.has(u.number ?? -1)) repeats = true;
    seen.add(u.number ?? -1);
  }
  const itemsRestart = repeats && units.filter((u) => u.kind === "part").length >= 3;
  const partsAreArticles = !units.some((u) => u.kind === "article") && units.some((u) => u.kind === "part" && !u.ref.startsWith("annex:") && /^第.{1,4}条$/.test(u.label));
  return { printsParts, ...(itemsRestart ? { itemsRestart } : {}), ...(partsAreArticles ? { partsAreArticles } : {}) };
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
  // 附件3第1项: an annex's entry is a row of its table or, where it prints numbered lines, its task.
  row: ["row", "task"],
  item: ["item"],
  closing: ["closing"],
};

/**
 * Whether a unit is of the kind a reference names first (第三节 → a 节 before a （三）): where a plan has
 * units of that kind matching, the others a reference may also mean are not meant.
 */
export function primaryKind(u: Unit, ref: NumberRef, layout: RefLayout = NO_LAYOUT): boolean {
  if (ref.partWord && layout.printsParts) return u.kind === "volume";
  if (countsParts(ref, layout) || (ref.kind === "article" && layout.partsAreArticles)) return u.kind === "part";
  return u.kind === MEANS[ref.kind][0];
}

/** Kinds a 第N项 inside an outer unit may be: the outer unit's next level down, however it is numbered. */
const NEXT_LEVEL: readonly Unit["kind"][] = ["part", "section", "article", "task", "item"];

/** Whether a unit kind is one a reference may mean, in a plan of this layout (第三部分 there is its 第三部分 only). */
function meansKind(kind: Unit["kind"], ref: { kind: RefKind; partWord?: boolean; within?: OuterRef }, layout: RefLayout): boolean {
  if (ref.partWord && layout.printsParts) return kind === "volume";
  if (countsParts(ref, layout) && kind === "part") return true;
  if (ref.kind === "article" && layout.partsAreArticles && kind === "part") return true;
  return MEANS[ref.kind].includes(kind);
}

/** A bare 第N项 in a plan whose items restart under each part: the plan's Nth part (十件实事的第五项 → 五、). */
function countsParts(ref: { kind: RefKind; within?: OuterRef }, layout: RefLayout): boolean {
  return layout.itemsRestart === true && ref.kind === "task" && ref.within === undefined;
}

/**
 * Whether a unit is the one a numbered reference names: same kind family and number, and inside
 * the unit named before it (第三章第二节 → 节 2 of chapter 3; 附件1序号3 → row 3 of annex 1). A 第N项
 * inside a part is also the part's Nth unit one level down (第二部分第九项 → 九、 under 第二部分), and
 * in a plan that prints 第N部分 headings a 第N部分 is one of those, not a 一、 part under one of them.
 * @example matchesRef(unit, { kind: "article", number: 12 })
 */
export function matchesRef(u: Unit, ref: NumberRef, layout: RefLayout = NO_LAYOUT): boolean {
  // 结语 is printed without a number: the plan's closing paragraphs, if it has them.
  if (ref.kind === "closing") return u.kind === "closing";
  if (u.number !== ref.number) return false;
  const outer = ref.within;
  if (!outer) return meansKind(u.kind, ref, layout);
  const names = (o: OuterRef) => (p: string | undefined) => {
    const m = p === undefined ? null : /(?:^|\/)([a-z]+):(?:\d+\.)*(\d+)$/.exec(p);
    // 第二部分二（一）: under a 第N部分, a bare 二 is its part 二、, never the 第N部分 itself.
    const kindOk = o.kind === "part" && !o.partWord && o.within?.partWord ? m?.[1] === "part" : m !== null && meansKind(m[1] as Unit["kind"], o, layout);
    return m !== null && kindOk && Number(m[2]) === o.number;
  };
  // 二（三）第2项: the section's own outer unit (part 二) is among the unit's parents too.
  for (let o = outer.within; o; o = o.within) if (!u.parents.some(names(o))) return false;
  const isOuter = names(outer);
  if (meansKind(u.kind, ref, layout) && u.parents.some(isOuter)) return true;
  return (ref.kind === "task" || ref.kind === "article") && NEXT_LEVEL.includes(u.kind) && isOuter(u.parents.at(-1));
}
