import { classifyLine, joinsTight } from "../lines.js";

/** One text run of a PDF page, in PDF user space (y grows upwards). */
export interface PdfItem {
  s: string;
  x: number;
  y: number;
  w: number;
  size: number;
}

/** The text runs of one page. */
export interface PdfPage {
  width: number;
  height: number;
  items: PdfItem[];
}

/** A printed line: its text and where it sits. */
interface PdfLine {
  text: string;
  x: number;
  right: number;
  y: number;
  size: number;
  page: number;
  /** Lines above and below on the same page: a paragraph gap or a blank line shows as a larger step. */
  gapAbove: number;
}

/** Share of the page height at the top and bottom where headers, footers and page numbers sit. */
const MARGIN_ZONE = 0.12;
const LATIN_EDGE = /[A-Za-z0-9%.,)]$/;
const LATIN_START = /^[A-Za-z0-9(]/;

/**
 * Rebuilds a PDF's text: runs grouped into lines in reading order, page numbers and running
 * headers/footers dropped, lines wrapped at the right margin joined into one line per paragraph,
 * a blank line where the page shows an empty line.
 */
export function layoutPdf(pages: PdfPage[]): string {
  const lines = pages.flatMap((p, i) => pageLines(p, i));
  const kept = dropFurniture(lines, pages);
  return joinParagraphs(kept);
}

function pageLines(page: PdfPage, pageNo: number): PdfLine[] {
  const items = page.items.filter((it) => it.s.trim() !== "" && it.size > 0).sort((a, b) => b.y - a.y || a.x - b.x);
  const rows: PdfItem[][] = [];
  for (const it of items) {
    const row = rows.find((r) => Math.abs(r[0]!.y - it.y) <= 0.4 * Math.max(r[0]!.size, it.size));
    if (row) row.push(it);
    else rows.push([it]);
  }
  const out: PdfLine[] = [];
  for (const row of rows.sort((a, b) => b[0]!.y - a[0]!.y)) {
    row.sort((a, b) => a.x - b.x);
    const size = Math.max(...row.map((r) => r.size));
    let text = "";
    let end = row[0]!.x;
    for (const it of row) {
      const gap = it.x - end;
      if (text !== "") {
        if (gap > 1.5 * size) text += "\t";
        else if (gap > 0.8 * size || (gap > 0.15 * size && (LATIN_EDGE.test(text) || LATIN_START.test(it.s)))) text += " ";
      }
      text += it.s;
      end = Math.max(end, it.x + it.w);
    }
    const prev = out.at(-1);
    // An indent typed as spaces (　　 before a paragraph, as WPS and Word print) indents as much as an offset.
    const lead = /^[ \u3000\u00a0]*/.exec(row[0]!.s)![0];
    const indent = [...lead].reduce((w, c) => w + (c === "\u3000" ? 1 : 0.5) * row[0]!.size, 0);
    out.push({ text: text.trim(), x: row[0]!.x + indent, right: end, y: row[0]!.y, size, page: pageNo, gapAbove: prev ? prev.y - row[0]!.y : Infinity });
  }
  return out;
}

/** Page numbers (— 3 —, 第3页) and lines repeated in the same margin on many pages (running headers). */
function dropFurniture(lines: PdfLine[], pages: PdfPage[]): PdfLine[] {
  const inMargin = (l: PdfLine) => {
    const h = pages[l.page]!.height;
    return l.y > h * (1 - MARGIN_ZONE) || l.y < h * MARGIN_ZONE;
  };
  const shape = (t: string) => t.replace(/\s+/g, "").replace(/\d+/g, "#");
  const pagesWith = new Map<string, Set<number>>();
  for (const l of lines) if (inMargin(l)) pagesWith.set(shape(l.text), (pagesWith.get(shape(l.text)) ?? new Set()).add(l.page));
  const repeatedOn = Math.max(2, Math.ceil(pages.length / 2));
  return lines.filter((l) => {
    if (!inMargin(l)) return true;
    if (classifyLine(l.text).kind === "page-number") return false;
    return pages.length < 2 || (pagesWith.get(shape(l.text))?.size ?? 0) < repeatedOn;
  });
}

function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.floor(p * (s.length - 1))))] ?? 0;
}

function joinParagraphs(lines: PdfLine[]): string {
  if (lines.length === 0) return "";
  const body = lines.filter((l) => !l.text.includes("\t"));
  const size = percentile(body.map((l) => l.size), 0.5) || 12;
  const left = percentile(body.map((l) => l.x), 0.1);
  const right = percentile(body.map((l) => l.right), 0.9);
  const out: string[] = [];
  let prev: PdfLine | undefined;
  for (const l of lines) {
    const samePage = prev && prev.page === l.page;
    if (prev && samePage && l.gapAbove > 2.2 * Math.max(size, prev.size)) out.push("");
    const kind = classifyLine(l.text).kind;
    const wraps =
      prev !== undefined &&
      out.at(-1) !== "" &&
      prev.right >= right - 2.5 * prev.size &&
      l.x <= left + 0.5 * l.size &&
      Math.abs(prev.size - l.size) < 0.15 * prev.size &&
      !prev.text.includes("\t") &&
      !l.text.includes("\t") &&
      (kind === "text" || kind === "page-number") &&
      (!samePage || l.gapAbove <= 1.9 * l.size);
    if (wraps) {
      const last = out.pop()!;
      out.push(joinsTight(last, l.text) ? last + l.text : `${last} ${l.text}`);
    } else out.push(l.text);
    prev = l;
  }
  return out.join("\n").trim();
}
