import type { Line } from "./lines.js";
import { toHalfWidth } from "./numerals.js";

/** 附件：1．重点任务分工表  2．年度目标表, 附件：重点任务分工表, 附件： (the list under the text, matched on the half-width text). */
const LIST_START_RE = /^附\s*件\s*[:：]\s*(.*)$/;
/** The mark after an entry's number: ．, 、, or a full stop that is no decimal point (1.5) unless a year follows (2.2027—2028年…表). */
const ENTRY_MARK = String.raw`(?:[．、]|\.(?![0-9])|\.(?=(?:19|20)\d{2}(?:年|[—–\-－~～至])))`;
/** One numbered entry of the list: 1．重点任务分工表, 2、年度目标表, 1．2026年任务表 (not 1.5, a decimal), matched on the printed text. */
const ENTRY_RE = new RegExp(String.raw`^([0-9０-９]{1,2})\s*${ENTRY_MARK}\s*(\S.*)$`);
/** Where the next entry starts on a line holding several: "1．重点任务分工表  2．年度目标表". */
const NEXT_ENTRY_RE = new RegExp(String.raw`[\s\u3000]+(?=[0-9０-９]{1,2}\s*${ENTRY_MARK}\s*\S)`);
/** An entry is a title: short, no sentence inside. */
const TITLE_RE = /^[^。；;！？!?]{2,60}[。]?$/;

/**
 * Finds the list of attachments a document prints under its text (附件：1．重点任务分工表 / 2．…, or
 * 附件：分工表 when the annex itself is printed further down, or 附件1：分工表 when 附件1 heads an annex
 * later) and marks its lines: they name the annexes and are not annexes themselves. Each line of the
 * list becomes text holding the titles it names; the real annex headings further down are left alone.
 * @example "附件：1．重点任务分工表  2．年度目标表" → attachments ["重点任务分工表", "年度目标表"]
 */
export function markAttachmentLists(lines: Line[]): void {
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    const half = toHalfWidth(l.text);
    const start = LIST_START_RE.exec(half);
    if (start) {
      const first = start[1] ? entries(l.text.slice(half.length - start[1].length)) : { titles: [], numbered: false };
      if (first === undefined) continue;
      // Entries printed on the lines below, numbered on from the ones on this line.
      const more: Array<{ at: number; titles: string[] }> = [];
      let next = first.numbered ? first.titles.length + 1 : first.titles.length ? 0 : 1;
      for (let j = i + 1; next > 0 && j < lines.length; j++) {
        // (A double-spaced copy prints a blank line between the entries, a PDF copy a page number.)
        if ((lines[j]!.kind === "blank" && lines[j + 1]?.kind !== "blank") || lines[j]!.kind === "page-number") continue;
        const below = lines[j]!;
        const m = ENTRY_RE.exec(below.text);
        if (!m || Number(toHalfWidth(m[1]!)) !== next) break;
        const got = entries(below.text);
        if (!got?.numbered) break;
        more.push({ at: j, titles: got.titles });
        next += got.titles.length;
      }
      const numbered = first.numbered || more.length > 0;
      const titles = first.titles.length + more.length;
      // An unnumbered 附件：分工表 is the list only when the annex it names is printed further down.
      if (titles === 0 || (!numbered && !annexBelow(lines, i + 1))) continue;
      asList(l, first.titles);
      for (const { at, titles: t } of more) asList(lines[at]!, t);
      i = more.at(-1)?.at ?? i;
      continue;
    }
    // 附件1：分工表 above another 附件1 that heads the annex itself is an entry of the list.
    if (l.kind === "annex" && l.rest && TITLE_RE.test(l.rest) && lines.slice(i + 1).some((x) => x.kind === "annex" && x.number === l.number && x.marker === l.marker)) {
      asList(l, [l.rest.replace(/。$/, "").trim()]);
    }
  }
}

/** The titles of the entries in a run of text: numbered (1．A  2．B) or a single unnumbered title; undefined when it is not a list. */
function entries(text: string): { titles: string[]; numbered: boolean } | undefined {
  const pieces = text.trim().split(NEXT_ENTRY_RE);
  const numbered = ENTRY_RE.test(pieces[0]!);
  const titles: string[] = [];
  for (const p of pieces) {
    const m = ENTRY_RE.exec(p);
    if (numbered !== Boolean(m)) return undefined;
    const title = (m ? m[2]! : p).trim().replace(/[。；;]$/, "");
    if (!TITLE_RE.test(title)) return undefined;
    titles.push(title);
  }
  if (!numbered && titles.length > 1) return undefined;
  return { titles, numbered };
}

/** Whether an annex heading is printed below line i. */
function annexBelow(lines: Line[], i: number): boolean {
  return lines.slice(i).some((l) => l.kind === "annex" && !LIST_START_RE.test(toHalfWidth(l.text)));
}

function asList(l: Line, titles: string[]): void {
  l.kind = "text";
  delete l.number;
  delete l.rest;
  delete l.marker;
  delete l.style;
  l.attachments = titles;
}
