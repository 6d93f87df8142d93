import { classifyLine, type Line } from "./lines.js";
import { parseChineseNumeral, toHalfWidth } from "./numerals.js";

/**
 * A list printed inside one paragraph: 燃放烟花爆竹应当遵守下列规定：（一）在室外…；（二）不得在窗口…；
 * Notices and regulations print an article's 项 this way as often as on lines of their own. Each entry
 * is a citable unit (六（二）, 第十二条（三）), so the line is split before each marker: the lead-in
 * stays with the heading, and each entry becomes a line of its own, with the same line number.
 *
 * Only a run that starts at （一） right after a colon and goes on in order, each marker after a
 * sentence's end (；。：), is a list: 按本方案第三部分第（一）项 or a lone （一） inside a sentence is not.
 */
const MARKER_RE = /[(（]\s*([一二三四五六七八九十]{1,3}|\d{1,2})\s*[)）]/g;
const BEFORE_MARKER = /[：:；;。]\s*$/;

/** Splits the lines that print a list inline; other lines are returned as they are. */
export function splitInlineLists(lines: Line[]): Line[] {
  const out: Line[] = [];
  for (const l of lines) {
    const cuts = l.kind === "table-row" || l.kind === "table-head" ? [] : inlineCuts(l.text);
    if (cuts.length === 0) {
      out.push(l);
      continue;
    }
    const pieces = [l.text.slice(0, cuts[0]), ...cuts.map((at, i) => l.text.slice(at, cuts[i + 1] ?? l.text.length))];
    // Each piece is read afresh (the lead-in as the part or article it opens, each entry as a section or item);
    // the line's repairs stay with its first piece.
    pieces.forEach((text, i) => {
      const trimmed = text.trim();
      out.push({ no: l.no, text: trimmed, repairs: i === 0 ? l.repairs : [], ...classifyLine(trimmed) });
    });
  }
  return out;
}

/**
 * Measures run on in their section's paragraph: （一）实施竹林培育工程。1.建设…（责任单位：县林业局）2.推进…。
 * Each 1. 2. 3. in order, the first after a sentence's end or a colon, each next one after a sentence's end or a
 * closing bracket (a measure's 责任单位), and followed by words, not digits (3.5亿元 is a figure).
 */
const RUN_IN_RE = /(\d{1,2})[.．](?=[\u3400-\u9fff“《])/g;
const BEFORE_FIRST_RUN_IN = /[。：:]\s*$/;
const BEFORE_RUN_IN = /[。；;）)]\s*$/;

function runInCuts(half: string): number[] {
  const cuts: number[] = [];
  // A line that opens with 1. is the first entry itself (1.建设…（责任单位：…）2.推进…): the next one starts at 2.
  const first = /^\s*1[.．](?=[\u3400-\u9fff“《])/.test(half) ? 1 : 0;
  for (const m of half.matchAll(RUN_IN_RE)) {
    const at = m.index!;
    if (at === 0) continue;
    const n = Number(m[1]);
    const before = half.slice(0, at);
    if (/\d$/.test(before)) continue;
    const next = first + cuts.length + 1;
    if (next === 1 ? n === 1 && BEFORE_FIRST_RUN_IN.test(before) : n === next && BEFORE_RUN_IN.test(before)) cuts.push(at);
  }
  return first + cuts.length >= 2 && cuts.length > 0 ? cuts : [];
}

/** A table's or document's notes, their first entry on the label's line: 说明：1.…, 注：1．… */
const NOTE_LEAD_RE = /^(?:说明|注|备注|注释)\s*[：:]\s*(?=1[.．、](?=[\u3400-\u9fff“《]))/;

/** Offsets where the entries of an inline list start (none unless it has two entries at least): run-in 1. 2. …, or （一）（二）… or （1）（2）… in order, the first after a colon. */
function inlineCuts(text: string): number[] {
  const half = toHalfWidth(text);
  const runIn = runInCuts(half);
  if (runIn.length > 0) return runIn;
  // 说明：1.本基准所称…, its 2. 3. on the lines below: the notes' first entry starts after the label.
  const note = NOTE_LEAD_RE.exec(half);
  if (note) return [note[0].length];
  const cuts: number[] = [];
  let expected = 1;
  let style: "cn" | "digit" | undefined;
  for (const m of half.matchAll(MARKER_RE)) {
    const at = m.index!;
    const before = half.slice(0, at);
    const digit = /^\d/.test(m[1]!);
    const n = digit ? Number(m[1]) : parseChineseNumeral(m[1]!);
    // A marker that opens the line is the line's own heading number, not an inline entry.
    if (at === 0) continue;
    if (cuts.length === 0) {
      if (n !== 1 || !/[：:]\s*$/.test(before)) continue;
      style = digit ? "digit" : "cn";
    } else if ((digit ? "digit" : "cn") !== style || n !== expected || !BEFORE_MARKER.test(before)) {
      continue;
    }
    cuts.push(at);
    expected = n + 1;
  }
  return cuts.length >= 2 ? cuts : [];
}
