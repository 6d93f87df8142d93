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
    if (cuts.length < 2) {
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

/** Offsets where the entries of an inline list start: （一）（二）… or （1）（2）… in order, the first after a colon. */
function inlineCuts(text: string): number[] {
  const half = toHalfWidth(text);
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
  return cuts;
}
