import type { NumberRef, OuterRef } from "../plan/lookup.js";
import { CHINESE_NUMERAL_CHARS, parseNumberToken } from "../plan/numerals.js";

/** A reference to a unit by its number, as people write it: 第5项, 第五项, 任务5, （三）, 第三部分, task 5, 第三章第二节, 第十二条, 专栏2, 专栏2第3项, 附件1序号3, 二、, 二（二）（1）, 一（一）①, 第十八条（一）. */
export interface StructuralRef extends NumberRef {
  number: number;
  /** The matched text in the query. */
  match: string;
}

/** The closing paragraphs named as such (结语, 结束语, 结尾部分, 最后一段), not 年底 or a 结尾 of something else. */
const CLOSING_REF_RE = /结语|结束语|结尾(?:部分|处|段|那段)?(?=[^\u4e00-\u9fff]|$|[说讲写提对要里中的有是])|最后(?:一|那)段(?:话)?|末尾(?:部分|段)/g;
const CLOSING_REF_EN_RE = /\b(?:closing|concluding|final|last) (?:paragraphs?|remarks)\b/gi;
const N = `(\\d{1,3}|[${CHINESE_NUMERAL_CHARS}]{1,4})`;
/**
 * 3.2, 3.2.1 as a heading's number: two points always; one point only before words that talk about a unit
 * (3.2讲了什么, 4.1里, 2.3条) — 1.8左右, 3.5%, 1.5万元, 2.0版 are figures.
 */
const DECIMAL_REF_RE = /(?<![\d.．])(\d{1,2}(?:[.．]\d{1,2}){2,3}(?![\d.．%])|\d{1,2}[.．]\d{1,2}(?=\s*(?:节|条|款|部分|章|讲|说|写|里|中|的(?:内容|规定|要求)|是(?:什么|怎么|讲|说|关于)|规定|提到|要求|有(?:哪些|什么)|包括|主要|内容|标题|叫)))/g;
const ROMAN: Record<string, number> = { i: 1, ii: 2, iii: 3, iv: 4, v: 5, vi: 6, vii: 7, viii: 8, ix: 9, x: 10 };

const PATTERNS: Array<{ kind: StructuralRef["kind"]; re: RegExp; partWord?: boolean }> = [
  { kind: "chapter", re: new RegExp(`第\\s*${N}\\s*章`, "g") },
  { kind: "box", re: new RegExp(`专栏\\s*${N}`, "g") },
  { kind: "annex", re: new RegExp(`附[件表]\\s*${N}`, "g") },
  // 附件 with no number: a plan that prints one annex calls it so (an entry of it, 附表第3项, is any annex's row 3).
  { kind: "annex", re: new RegExp(`附[件表](?!\\s*(?:\\d|[${CHINESE_NUMERAL_CHARS}]|(?:里|中|的|里的|中的)?\\s*(?:第|序号)))()`, "g") },
  { kind: "row", re: new RegExp(`序号\\s*${N}`, "g") },
  // "附表第3项", "附件2里第4行": an entry of an annex is its row, not the plan's task 3.
  { kind: "row", re: new RegExp(`(?<=附[件表](?:\\s*(?:\\d{1,2}|[${CHINESE_NUMERAL_CHARS}]{1,3}))?\\s*(?:里|中|的|里的|中的)?\\s*)第\\s*${N}\\s*[项行个条]`, "g") },
  // "专栏3第2项", "专栏1里的第3条": an entry of a box is its row, not the plan's task 2.
  { kind: "row", re: new RegExp(`(?<=专栏\\s*(?:\\d{1,2}|[${CHINESE_NUMERAL_CHARS}]{1,3})\\s*(?:里|中|的|里的|中的)?\\s*)第\\s*${N}\\s*[项行个条]`, "g") },
  // "重点任务分工表第12项", "评审指标表里第8项": an entry of a table the question names is a row, not the plan's task 12.
  { kind: "row", re: new RegExp(`(?<=[\\u4e00-\\u9fff]{2}(?<![代发外仪手钟列图])表\\s*(?:里|中|的|里的|中的)?\\s*)第\\s*${N}\\s*[项行个条]`, "g") },
  { kind: "subchapter", re: new RegExp(`第\\s*${N}\\s*节`, "g") },
  { kind: "article", re: new RegExp(`第\\s*${N}\\s*条`, "g") },
  // 第三部分 is marked: in a plan that prints 第N部分 headings it names one of those only.
  { kind: "part", re: new RegExp(`第\\s*${N}\\s*(?:大)?部分`, "g"), partWord: true },
  { kind: "part", re: new RegExp(`第\\s*${N}\\s*(?:大)?(?:板块|篇)`, "g") },
  { kind: "part", re: /\bpart\s*#?\s*(\d{1,2}|[ivx]{1,4})\b/gi },
  // A part's bare numeral printed right before its section, as labels are written: 二（三）, 四（四）.
  { kind: "part", re: new RegExp(`(?<![第\\d${CHINESE_NUMERAL_CHARS}])([${CHINESE_NUMERAL_CHARS}]{1,3})(?=\\s*[(（]\\s*[${CHINESE_NUMERAL_CHARS}]{1,4}\\s*[)）])`, "g") },
  // A part as its label prints it, opening the question or after its annex or 第N部分: 二、主要任务, 附件4一、消防安全管理.
  { kind: "part", re: new RegExp(`(?<=^\\s*|附[件表]\\s*(?:\\d{1,2}|[${CHINESE_NUMERAL_CHARS}]{1,3})?\\s*|部分\\s*)([${CHINESE_NUMERAL_CHARS}]{1,3})、(?![${CHINESE_NUMERAL_CHARS}])`, "g") },
  // An item printed right after its section, task or article, as labels are written: 二（二）（1）, 一（一）①, 2.（3）, 第十八条（一）(1).
  { kind: "item", re: /(?<=[)）]\s*|\d\s*[.．]\s*)[(（]\s*(\d{1,2})\s*[)）]/g },
  { kind: "item", re: /(?<=[)）]\s*|\d\s*[.．]\s*|[一二三四五六七八九十]、\s*|\d)([\u2460-\u2473])/g },
  // "有关要求里的第④条", "④讲什么": a circled entry on its own; the words beside it say which list.
  { kind: "item", re: /第?\s*([\u2460-\u2473])\s*(?:条|项|点|款|个)?/g },
  // Sections are numbered （一）; "(1)" in running text is a list marker or code, not a section.
  { kind: "section", re: new RegExp(`[(（]\\s*([${CHINESE_NUMERAL_CHARS}]{1,4})\\s*[)）]`, "g") },
  { kind: "section", re: new RegExp(`第\\s*${N}\\s*(?:大项|方面)`, "g") },
  { kind: "section", re: /\bsection\s*#?\s*(\d{1,2}|[ivx]{1,4})\b/gi },
  // 第七部分的第4个问题: an entry of a 问答 part (问：…答：…), numbered as the plan numbers its items; only under a part
  // or section named before it (第一个问题是什么 alone is the asker's own first question).
  { kind: "task", re: new RegExp(`(?<=(?:部分|章|节|[)）]|[${CHINESE_NUMERAL_CHARS}]、)\\s*(?:的|里的?|中的?)?\\s*)第\\s*${N}\\s*(?:个问题|个问答|问(?![题答]))`, "g") },
  { kind: "task", re: new RegExp(`第\\s*${N}\\s*(?:项|点|个任务|项任务|号任务|个)`, "g") },
  { kind: "task", re: new RegExp(`(?:任务|事项)\\s*(?:第\\s*)?${N}(?![\\d万亿千百%])`, "g") },
  // 一（三）2, 二（三）2.: an item printed right after its section, as labels are written.
  { kind: "task", re: /(?<=[（(][一二三四五六七八九十]{1,3}[)）]\s*)(\d{1,2})(?![\d万亿千百%个年月日天人家所座条项元倍]|\s*[.．]\s*\d)/g },
  { kind: "task", re: new RegExp(`(?<![\\d.])${N}\\s*号任务`, "g") },
  // 三、1.: a task printed right after its part.
  { kind: "task", re: new RegExp(`(?<=(?:^|[^${CHINESE_NUMERAL_CHARS}])[${CHINESE_NUMERAL_CHARS}]{1,3}、\\s*)(\\d{1,2})(?=\\s*[.．、](?!\\d))`, "g") },
  { kind: "chapter", re: /\bchapter\s*#?\s*(\d{1,2}|[ivx]{1,4})\b/gi },
  { kind: "article", re: /\barticle\s*#?\s*(\d{1,3})\b/gi },
  { kind: "box", re: /\b(?:box|panel|feature box|special column)\s*#?\s*(\d{1,2})\b/gi },
  { kind: "annex", re: /\b(?:annex|appendix|attachment|schedule)\s*#?\s*(\d{1,2})\b/gi },
  { kind: "row", re: /\b(?:row|entry)\s*(?:no\.?|number|#)?\s*(\d{1,3})\b/gi },
  { kind: "task", re: /\b(?:task|item|measure|point)\s*(?:no\.?|number|#)?\s*(\d{1,3})\b/gi },
  { kind: "task", re: /\bno\.\s*(\d{1,3})\b/gi },
];

/**
 * Finds references to numbered units in a (normalised) query.
 * @example parseStructuralRefs("第五项讲什么") // [{ kind: "task", number: 5, match: "第五项" }]
 */
export function parseStructuralRefs(query: string): StructuralRef[] {
  const found: Array<StructuralRef & { start: number; end: number }> = [];
  const taken: Array<[number, number]> = [];
  // 结语, 结尾部分, 最后一段: the paragraphs that close the body, which carry no number.
  for (const m of [...query.matchAll(CLOSING_REF_RE), ...query.matchAll(CLOSING_REF_EN_RE)]) {
    taken.push([m.index, m.index + m[0].length]);
    found.push({ kind: "closing", number: 1, match: m[0], start: m.index, end: m.index + m[0].length });
  }
  // 3.2, 3.2.1: a heading of a decimal outline, named by its whole printed number (a figure's decimal, 3.5%, is not).
  for (const m of query.matchAll(DECIMAL_REF_RE)) {
    const numbers = m[1]!.split(/[.．]/).map(Number);
    if (numbers.some((n) => n < 1)) continue;
    const kinds = ["part", "section", "task", "item"] as const;
    let within: OuterRef | undefined;
    numbers.slice(0, -1).forEach((n, i) => (within = { kind: kinds[Math.min(i, 3)]!, number: n, ...(within ? { within } : {}) }));
    const [start, end] = [m.index, m.index + m[0].length];
    taken.push([start, end]);
    found.push({ kind: kinds[Math.min(numbers.length - 1, 3)]!, number: numbers.at(-1)!, match: m[0], start, end, ...(within ? { within } : {}) });
  }
  for (const { kind, re, partWord } of PATTERNS) {
    for (const m of query.matchAll(re)) {
      const start = m.index;
      const end = start + m[0].length;
      if (taken.some(([s, e]) => start < e && end > s)) continue;
      const token = m[1]!.toLowerCase();
      // ① … ⑳ are items 1 … 20.
      const circled = /^[\u2460-\u2473]$/.test(token) ? token.charCodeAt(0) - 0x245f : undefined;
      const number = token === "" ? 1 : circled ?? ROMAN[token] ?? parseNumberToken(token);
      if (number === undefined || number < 1 || number > 999) continue;
      // "第一个" in running text ("第一个问题") is not a task reference unless it is 第N项/条.
      if (kind === "task" && /个$/.test(m[0]) && !/个任务/.test(m[0])) continue;
      taken.push([start, end]);
      found.push({ kind, number, match: m[0], start, end, ...(partWord ? { partWord } : {}) });
    }
  }
  return withinOuter(found, query);
}

/**
 * A chapter, annex or part printed right before another reference scopes it: 第三章第二节, 附件1序号3,
 * 二（三）, 第四部分（四）, 第二部分第九项, 专栏2第3项 (one chain, not two references, matched as a whole).
 */
function withinOuter(found: Array<StructuralRef & { start: number; end: number }>, query: string): StructuralRef[] {
  const sorted = [...found].sort((a, b) => a.start - b.start);
  const outer = new Set<StructuralRef>();
  const scopes = (prev: StructuralRef, r: StructuralRef) =>
    prev.kind === "chapter" || prev.kind === "annex" || (prev.kind === "box" && r.kind === "row") ||
    (prev.kind === "part" && (r.kind === "section" || r.kind === "task" || r.kind === "article" || (prev.partWord === true && r.kind === "part" && !r.partWord))) ||
    // 第三章第一节（一）, 第十八条（一）, 二（二）（1）, 2.（3）: a 节, an article, a section or a task holds what is printed under it.
    (prev.kind === "subchapter" && (r.kind === "section" || r.kind === "task" || r.kind === "article")) ||
    (prev.kind === "article" && (r.kind === "section" || r.kind === "item" || r.kind === "task")) ||
    (prev.kind === "section" && (r.kind === "task" || r.kind === "article" || r.kind === "item")) ||
    // 第七项第3条, 第七项里的第3条: a 条 printed under a 项 (of a plan whose 项 are its parts).
    (prev.kind === "task" && (r.kind === "item" || r.kind === "article"));
  const starts = new Map<StructuralRef, number>(found.map((r) => [r, r.start]));
  for (const [i, r] of sorted.entries()) {
    const prev = sorted[i - 1];
    // 专栏3里的第2项, 第七项里的第3条: a few words may join a box or a 项 to its entry.
    const underTask = prev?.kind === "task" && r.kind === "article";
    const gap = prev?.kind === "box" || underTask ? 2 : 1;
    // …but 第5项和第12条 names two.
    const joined = !underTask || /^(?:里的?|中的?|的)?$/.test(query.slice(prev!.end, r.start));
    // 第二部分一（二）: a 第N部分 holds the 一、 parts printed under it.
    if (prev && joined && scopes(prev, r) && r.start - prev.end <= gap && (r.kind !== prev.kind || (prev.partWord === true && !r.partWord))) {
      // "chapter 3 section 2" is 第三章第二节, whichever way a chapter's sections are printed.
      if (prev.kind === "chapter" && r.kind === "section" && /^section/i.test(r.match)) r.kind = "subchapter";
      r.within = { kind: prev.kind, number: prev.number, ...(prev.partWord ? { partWord: true } : {}), ...(prev.within ? { within: prev.within } : {}) };
      // The whole chain is the reference: what is left of the question (its topic) holds none of its parts.
      starts.set(r, starts.get(prev)!);
      r.match = query.slice(starts.get(r)!, r.end);
      outer.add(prev);
    }
  }
  // English names the outer unit after: "item 2 of box 3", "section 2 of chapter 3", "row 8 in annex 1".
  for (const [i, r] of sorted.entries()) {
    const next = sorted[i + 1];
    if (!next || r.within || outer.has(r) || !/^\s*(?:of|in)\s+(?:the\s+)?$/i.test(query.slice(r.end, next.start))) continue;
    // An entry of a box or an annex is its row (item 2 of box 3).
    const kind = (next.kind === "box" || next.kind === "annex") && r.kind === "task" ? "row" : next.kind === "chapter" && r.kind === "section" ? "subchapter" : r.kind;
    if (!scopes(next, { ...r, kind }) || kind === next.kind) continue;
    Object.assign(r, { kind, within: { kind: next.kind, number: next.number }, match: query.slice(r.start, next.end) });
    outer.add(next);
  }
  return found.filter((r) => !outer.has(r)).map(({ start: _s, end: _e, ...r }) => r);
}
