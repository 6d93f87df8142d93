import { parseChineseNumeral } from "../plan/numerals.js";
import type { Unit } from "../plan/types.js";
import type { Citation } from "./types.js";

/** Makes a citation; the quote must be verbatim in the unit's text, or there is no citation. */
export function cite(unit: Unit, quote: string): Citation | undefined {
  const q = quote.trim();
  if (!q || !unit.text.includes(q)) return undefined;
  return { doc: unit.doc, ref: unit.ref, label: unit.label, heading: unit.heading, quote: q };
}

/** Removes duplicate citations (same unit and quote), keeping the first. */
export function dedupeCitations(citations: Array<Citation | undefined>): Citation[] {
  const seen = new Set<string>();
  const out: Citation[] = [];
  for (const c of citations) {
    if (!c) continue;
    const key = `${c.doc}|${c.ref}|${c.quote}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(c);
  }
  return out;
}

const CN_NUM = "零〇一二两三四五六七八九十百千";
/** A Chinese-numeral quantity: 七十八万亩, 九百亿元, 两千人, 百分之九十二 (not an ordinal: 第十八条 is a reference). */
const CN_QUANTITY = new RegExp(`(?<!第)百分之([${CN_NUM}]+(?:点[${CN_NUM}]+)?)|(?<![第${CN_NUM}])([${CN_NUM}]+(?:点[${CN_NUM}]+)?)[万亿]?(?=[个亩吨人元家条项头斤宗户所座倍名只公%])`, "g");

/**
 * The numbers a text states, as comparable strings: digits as written (78, 76.5, 1,530 → 1530,
 * full-width digits too) and Chinese-numeral quantities read as digits (七十八万亩 → 78).
 */
export function numbersIn(text: string): string[] {
  const half = text.replace(/[０-９．]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  const out = (half.match(/\d+(?:[.,]\d+)*/g) ?? []).map((n) => n.replace(/,/g, ""));
  for (const m of half.matchAll(CN_QUANTITY)) {
    const [int, frac] = (m[1] ?? m[2]!).split("点");
    const whole = parseChineseNumeral(int!);
    if (whole === undefined) continue;
    const digits = frac ? `${whole}.${[...frac].map((c) => parseChineseNumeral(c) ?? "").join("")}` : String(whole);
    out.push(digits);
  }
  return out;
}

/** Problems found when checking an answer against its citations. */
export interface Verification {
  /** Quotes that are not verbatim in the unit they name. */
  badQuotes: Citation[];
  /** Numbers in the answer that appear in no cited unit. */
  ungroundedNumbers: string[];
}

/** Checks that every quote is verbatim and every number in the answer appears in a cited unit. */
export function verifyAnswer(answer: string, citations: Citation[], unitOf: (c: Citation) => Unit | undefined, facts = ""): Verification {
  const units = citations.map((c) => unitOf(c));
  const badQuotes = citations.filter((c, i) => !units[i]?.text.includes(c.quote));
  const citedText = units.map((u) => u?.text ?? "").join("\n");
  // Facts about the loaded plans themselves (how many, their names and dates) ground the numbers a decline states;
  // callers pass them for declines only, so that a model cannot borrow a plan count as a figure.
  const citedNumbers = new Set([...numbersIn(citedText), ...numbersIn(facts)]);
  // Whole numbers only: 8 is not grounded by 78, nor 5 by 65.
  // Citation labels (〔第5项〕, 〔doc·第5项〕) and the cited units' own labels (出自附件序号7, 第十八条 — 十八条 reads as a count) are checked as citations, not as figures.
  // So are the labels of their parents, which group them (附件4二、建筑防火和疏散包括：).
  // So are the names of the plans cited (【医保局2027年要点】), and where a cited unit stands (二、重点任务 › 专栏1 2027年养老服务重点工程 › 第1项; 附件 分工表 › 序号12), printed
  // whole or by its steps: it locates the quote and states no figure.
  const parentLabels = citations.flatMap((c, i) => (units[i]?.parents ?? []).map((ref) => unitOf({ ...c, ref })?.label ?? ""));
  const paths = units.flatMap((u) => (u?.path ? [u.path, ...u.path.split(" › ")] : []));
  const labels = [...new Set([...citations.map((c) => c.label), ...units.map((u) => u?.label ?? ""), ...parentLabels, ...paths, ...citations.map((c) => c.plan ?? "")].filter((l) => l && new RegExp(`[\\d${CN_NUM}]`).test(l)))].sort((a, b) => b.length - a.length);
  // A label is struck out only where it stands whole: "2." is not struck out of 92.5%, nor 第1项 of 第12项.
  const prose = labels.reduce((text, label) => text.replace(new RegExp(`(?<![\\d.．])${escapeRegExp(label)}(?![\\d.．])`, "g"), " "), answer.replace(/〔[^〔〕]*〕/g, ""));
  const ungroundedNumbers = [...new Set(numbersIn(prose))].filter((n) => !citedNumbers.has(n));
  return { badQuotes, ungroundedNumbers };
}

/** What an answer may state about the loaded plans themselves: their count, names, titles, 文号 and dates. */
export function planFacts(docs: ReadonlyArray<{ meta: { title: string; shortName: string; docNumber: string | null; dateText: string | null } }>): string {
  return [`${docs.length}`, ...docs.flatMap((d) => [d.meta.title, d.meta.shortName, d.meta.docNumber ?? "", d.meta.dateText ?? ""])].join("\n");
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
