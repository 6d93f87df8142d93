import type { Line } from "./lines.js";
import { toHalfWidth } from "./numerals.js";

/** 目录, 目　录, 目 录 (a table of contents' own heading). */
const CONTENTS_RE = /^目\s*录$/;
/** Headings a table of contents lists. */
const LISTED = new Set<Line["kind"]>(["volume", "chapter", "subchapter", "part", "section", "article", "box", "annex"]);
/** A title as a table of contents prints it: dot leaders and a page number after it. */
const LEADER_RE = /[\s.…·．。\-—_－~]+$/;
const PAGE_RE = /[\s.…·．\-—_－~]*\d{1,3}$/;
const SENTENCE_RE = /[。；;！？!?]/;
/** 前言……1, 附件 ………… 20: an entry without a number, only as a table of contents prints it. */
const UNNUMBERED_ENTRY_RE = /^[^。；;！？!?，,]{1,30}?\s*[.…·．]{2,}\s*\d{1,3}$/;
/** Without a 目录 heading, a run of bare headings is taken for one only from this many entries up. */
const MIN_BARE_ENTRIES = 3;

/** A heading's title for comparing: no spaces, no leaders, no page number. */
function titleKey(text: string): string {
  return toHalfWidth(text).replace(/\s+/g, "").replace(LEADER_RE, "");
}

/** The same entry without a trailing page number (第一章 总则……3 → 总则). */
function withoutPage(text: string): string {
  return toHalfWidth(text).replace(/\s+/g, "").replace(PAGE_RE, "").replace(LEADER_RE, "");
}

/**
 * The lines of a table of contents: a run of heading-only lines (第一章 …, 第一节 …, with dot leaders
 * or page numbers), under a 目录 line or not, every one of which is printed again later as a real
 * heading with the same number and title. Such a run says nothing of its own: its lines leave the
 * text, so that the chapters are not read twice and the text before the first real heading is the
 * preamble. A run with a line that is not printed again (a real chapter, followed by its first
 * section) is no table of contents.
 * @returns the 1-based numbers of the lines to leave out.
 */
export function findContents(lines: Line[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    const head = CONTENTS_RE.test(lines[i]!.text.replace(/\s+/g, "")) ? lines[i] : undefined;
    const start = head ? i + 1 : i;
    if (!head && !LISTED.has(lines[i]!.kind)) continue;
    const entries: Line[] = [];
    let j = start;
    for (; j < lines.length; j++) {
      const l = lines[j]!;
      if (l.kind === "blank" || l.kind === "page-number") continue;
      // Under 目录, an unnumbered entry with dot leaders and a page number (前言……1, 附件……20) is part of it.
      if (head && l.kind === "text" && UNNUMBERED_ENTRY_RE.test(toHalfWidth(l.text))) continue;
      // …and so is a bare 附件 listed there when the annex is printed again below (its title on the line under it).
      if (head && entries.length > 0 && l.kind === "annex" && !l.rest?.trim() && lines.slice(j + 1).some((x) => x.kind === "annex" && x.marker === l.marker)) continue;
      // An entry is a bare heading: a line with a sentence of its own is text, not a listing.
      if (!LISTED.has(l.kind) || SENTENCE_RE.test(l.rest ?? "")) break;
      // A contents entry prints its title; a bare number (第一章 over its title) or an entry listed
      // already is the body beginning.
      if (!l.rest?.trim() || entries.some((e) => e.kind === l.kind && e.number === l.number && withoutPage(e.rest!) === withoutPage(l.rest!))) break;
      entries.push(l);
    }
    if (entries.length < (head ? 2 : MIN_BARE_ENTRIES) || !allPrintedAgain(lines, entries, j)) continue;
    if (head) out.push(head.no);
    for (let k = start; k < j; k++) if (lines[k]!.kind !== "blank") out.push(lines[k]!.no);
    i = j - 1;
  }
  return out;
}

/** Whether each entry is printed again, in the same order, as a heading after the run (from line index `from`). */
function allPrintedAgain(lines: Line[], entries: Line[], from: number): boolean {
  let at = from;
  for (const e of entries) {
    let found = false;
    for (; at < lines.length; at++) {
      const l = lines[at]!;
      if (l.kind === e.kind && l.number === e.number && sameTitle(e, titleOf(lines, at))) {
        found = true;
        at++;
        break;
      }
    }
    if (!found) return false;
  }
  return true;
}

/** A heading's title: the rest of its line, or the line under it when the marker stands alone (第一章 / 总则). */
function titleOf(lines: Line[], i: number): string {
  const own = lines[i]!.rest ?? "";
  if (own.trim()) return own;
  const next = lines.slice(i + 1).find((l) => l.kind !== "blank");
  return next && next.kind === "text" ? next.text : "";
}

function sameTitle(entry: Line, title: string): boolean {
  const listed = entry.rest ?? "";
  const key = titleKey(title);
  return titleKey(listed) === key || withoutPage(listed) === key;
}
