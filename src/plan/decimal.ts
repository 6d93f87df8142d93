import { toHalfWidth } from "./numerals.js";
import type { Line } from "./lines.js";

/**
 * Decimal numbering, as 应急预案 and technical documents print their headings: 1 总则 › 1.1 编制目的 ›
 * 3.2.1 预警发布 › 3.2.1.1 …. A line is read so only where the whole document numbers this way: a
 * paragraph that opens with a decimal (1.5万元…) or a bare number (3 个工作日…) is no heading.
 *
 * The levels map onto the kinds a plan's numbering already has, so that references and lookups work
 * the same way: 1 → part, 1.1 → section, 1.1.1 → task, deeper → item. Each keeps its printed number
 * (`decimal`), which is how it is labelled and cited: 3.2.1, not 三（二）1.
 */

/** 1.1 编制目的, 3.2.1预警发布, 1．1　编制目的: two to five numbers joined by points, then the title. */
const DOTTED_RE = /^((?:\d{1,2}|[A-Z])(?:\s?[.．]\s?\d{1,2}){1,4})(?![.．]?\d)[.．]?(\s*)(?<=\s|[.．\d])(?=\S)(\S.*)$/;
/** 1 总则, 2　组织指挥体系: a bare number, a space, and a short title line (no sentence). */
const TOP_RE = /^(\d{1,2})(\s+)([\u3400-\u9fff“《][^。；;，,！？!?：:]{0,24})$/;
/**
 * A number followed by a unit is a figure (1.5万元, 2.5%, 3 个工作日), not a heading number. Titles start with
 * many of the characters units do (人员安置, 台风预警, 年度计划), so after a space only the plainest units count.
 */
const UNIT_TIGHT_RE = /^[万亿千百%‰元个年月日天倍米吨亩人家所座条项名件次台辆户栋层岁届公]/;
const UNIT_SPACED_RE = /^[万亿千百%‰元个倍米吨亩]/;
/** At least this many dotted headings make a document decimal-numbered. */
const MIN_DOTTED = 3;
/** A dotted number alone on its line: 3.1, A.2. */
const BARE_RE = /^((?:\d{1,2}|[A-Z])(?:[.．]\d{1,2}){1,4})$/;
/** Where an appendix's letter numbers its clauses (A → 101): after every clause of the body. */
const APPENDIX_BASE = 100;
/** …and at least this share of its decimal candidates must follow one another (1 → 1.1 → 1.2 → 2 → 2.1). */
const MIN_IN_ORDER = 0.7;

interface Candidate {
  line: Line;
  numbers: number[];
  /** The number as printed, in half-width, without spaces (3.2.1, A.2). */
  printed: string;
  rest: string;
}

/** The decimal heading a line may be, before the document is checked as a whole. */
function candidateOf(line: Line): Candidate | undefined {
  if (line.kind !== "text" && line.kind !== "task" && line.kind !== "part") return undefined;
  const half = toHalfWidth(line.text);
  // A number alone on its line (3.1), its term or title on the next: a heading with no title of its own.
  const bare = BARE_RE.exec(half.trim());
  const m = bare ? [half, bare[1]!, "", ""] : DOTTED_RE.exec(half) ?? TOP_RE.exec(half);
  if (!m) return undefined;
  const [number, space, rest] = [m[1]!, m[2]!, m[3]!];
  // An appendix's clauses (A.1, A.2.3) are numbered from its letter.
  const numbers = number.split(/\s?[.．]\s?/).map((n) => (/^[A-Z]$/.test(n) ? APPENDIX_BASE + n.charCodeAt(0) - 64 : Number(n)));
  if (numbers.some((n) => n < 1)) return undefined;
  // Two points (3.2.1) make no figure; one (1.5) may, and so may a bare number.
  if (numbers.length <= 2 && (space ? UNIT_SPACED_RE : UNIT_TIGHT_RE).test(rest)) return undefined;
  // toHalfWidth keeps lengths, so the rest is the same stretch of the printed text.
  return { line, numbers, printed: number.replace(/\s/g, "").replace(/．/g, "."), rest: rest === "" ? "" : line.text.slice(half.length - rest.length) };
}

/** Whether `next` can follow `prev` in a decimal outline: one level down from 1 (3 → 3.1), or the next at some level (3.1.2 → 3.1.3, 3.2, 4). */
function follows(prev: number[] | undefined, next: number[]): boolean {
  if (!prev) return next.every((n) => n === 1) || next.length === 1;
  if (next.length === prev.length + 1 && next.at(-1) === 1 && prev.every((n, i) => n === next[i])) return true;
  if (next.length > prev.length) return false;
  const k = next.length;
  for (let i = 0; i < k - 1; i++) if (next[i] !== prev[i]) return false;
  return next[k - 1] === prev[k - 1]! + 1;
}

/**
 * Marks a document's decimal headings (1 总则, 1.1 编制目的, 3.2.1 …) as parts, sections, tasks and
 * items with their printed number, where the document is numbered so throughout.
 */
export function markDecimalHeadings(lines: Line[]): void {
  const candidates = lines.map(candidateOf).filter((c): c is Candidate => c !== undefined);
  const dotted = candidates.filter((c) => c.numbers.length > 1);
  if (dotted.length < MIN_DOTTED) return;
  // Bare numbered titles (1 总则) count where dotted headings under them carry the same number, or where they
  // come next after the last (6 保障措施 after 5.2, a part printed without sections).
  const tops = new Set(dotted.map((c) => c.numbers[0]));
  const outline: Candidate[] = [];
  let lastTop = 0;
  for (const c of candidates) {
    const top = c.numbers[0]!;
    if (c.numbers.length === 1 && (c.line.kind !== "text" || !(tops.has(top) || top === lastTop + 1))) continue;
    outline.push(c);
    lastTop = top;
  }
  let prev: number[] | undefined;
  let inOrder = 0;
  for (const c of outline) {
    if (follows(prev, c.numbers)) inOrder++;
    prev = c.numbers;
  }
  if (inOrder < MIN_IN_ORDER * outline.length) return;
  for (const { line, numbers, printed, rest } of outline) {
    const level = numbers.length;
    const kind = level === 1 ? "part" : level === 2 ? "section" : level === 3 ? "task" : "item";
    Object.assign(line, { kind, number: numbers.at(-1)!, rest, decimal: printed });
    delete line.marker;
    if (kind === "item") Object.assign(line, { style: "paren", marker: printed });
    else delete line.style;
  }
}

/** A decimal heading's title: the words before the first space where body text follows on the same line (3.2.1 预警发布 市气象台…). */
export function decimalTitle(rest: string): string | undefined {
  const m = /^([^\s。；;，,！？!?：:]{2,20})[\s：:]+\S/.exec(rest);
  return m?.[1];
}
