import { createHash } from "node:crypto";
import { basename, extname } from "node:path";
import { PlanParseError } from "./errors.js";
import { findContents } from "./contents.js";
import { findNotice, isPageChrome, isTitleLike } from "./frontmatter.js";
import { markAttachmentLists } from "./attachments.js";
import { colophonStart, findIssuance, isColophon, isRule, issuanceLines, markSignedDates } from "./issuance.js";
import { classifyLine, cleanLine, endsSentence, holdsPhoneNumber, isHeadingLine, joinsTight, type Line } from "./lines.js";
import { markBracketHeadings } from "./bracket-headings.js";
import { splitInlineLists } from "./inline-lists.js";
import { markDecimalHeadings } from "./decimal.js";
import { readInfoBox } from "./infobox.js";
import { readMeta } from "./meta.js";
import { toHalfWidth } from "./numerals.js";
import { markTables } from "./tables.js";
import type { ParseWarning, PlanDocument, Unit } from "./types.js";
import { buildUnits, CLOSING_RE, ISSUANCE_LABEL, noticeUnit, type Para } from "./units.js";
import { GENRE_ALT } from "./genres.js";

/** Why a line is out of the text flow: page furniture, the issuing notice, or the document's own issuing marks (文号, signature, date). */
type Removal = "furniture" | "notice" | "issuance";

const DOC_TYPE_RE = new RegExp(`(${GENRE_ALT})`);
/** A title that ends in a kind of document: …工作方案, …的意见, …规划（2026—2030年）. */
const TITLE_END_RE = new RegExp(`${DOC_TYPE_RE.source}(?:[(（][^()（）]{0,16}[)）])?$`);
/** 附件, 附件1, 附件： on its own line above the plan's title. */
const ATTACHMENT_RE = /^附件\s*\d{0,2}\s*[:：]?$/;
/** A period or a status printed under a title: （2021—2023年）, （试行）, （征求意见稿）. */
const TITLE_PERIOD_RE = /^[(（](?:[^()（）]{0,12}\d{4}[^()（）]{0,12}|试行|暂行|征求意见稿|送审稿|修订稿|讨论稿|草案|修订)[)）]$/;
/** Marks printed above a document's red header: its copy number (000123), secrecy (秘密★1年) and urgency (特急). */
const HEAD_MARK_RE = /^(?:\d{6}|(?:绝密|机密|秘密)(?:★\S{0,8})?|特急|加急|特提|平急|急件)$/;
/** A slogan block after the end is a few lines; a longer run without punctuation is content. */
const MAX_TAIL_FURNITURE = 8;
/** Blank lines and a page number between two lines of a title: at most this many lines apart. */
const MAX_GAP_LINES = 4;
/** A title printed over several lines stops at this many lines. */
const MAX_TITLE_LINES = 4;
const SENTENCE_PUNCT_RE = /[。，,；;：:！？!?、]/;

/** The document id for a seed file: its name without the extension. */
export function docIdFromFile(file: string): string {
  return basename(file, extname(file));
}

/**
 * Parses a policy plan's text into citable units. Page furniture, an issuing notice printed in the
 * middle of the text, page breaks inside words and stray characters are repaired by general rules.
 * @example parsePlan(readFileSync("seeds/plan.txt", "utf8"), "seeds/plan.txt").units[0].ref // "preamble"
 */
export function parsePlan(text: string, file: string, hash = createHash("sha256").update(text).digest("hex")): PlanDocument {
  const id = docIdFromFile(file);
  const warnings: ParseWarning[] = [];
  const lines: Line[] = splitInlineLists(
    text.split(/\r\n|\r|\n/).map((raw, i) => {
      const { text: cleaned, repairs } = cleanLine(raw, i + 1);
      return { no: i + 1, text: cleaned, repairs, ...classifyLine(cleaned) };
    }),
  );

  markAttachmentLists(lines);
  markTables(lines);
  markDecimalHeadings(lines);
  markBracketHeadings(lines);
  // A table of contents lists the headings printed below it: read once, as the headings themselves.
  const contents = findContents(lines);
  markSignedDates(lines);
  demoteEarlyAnnexes(lines);
  partsAsVolumes(lines);
  if (!lines.some((l) => isHeadingLine(l) && l.kind !== "annex")) {
    throw new PlanParseError(
      file,
      "no recognisable numbering was found (expected parts such as 一、, sections such as （一）, tasks such as 1., chapters such as 第一章 or articles such as 第一条)",
    );
  }

  const removed = new Map<number, Removal>();
  // A site's box of document facts (索引号, 发文字号, 成文日期…) above the text is page chrome.
  const box = readInfoBox(lines);
  const marks = [...headMarks(lines), ...(box?.lines ?? [])];
  for (const l of marks) removed.set(l.no, "furniture");
  const found = findNotice(lines);
  if (found) for (let i = found.from; i <= found.to; i++) removed.set(lines[i]!.no, "notice");
  // The colophon (抄送…, …印发) closes a printed document: like the marks above its header, it is about
  // the printing, not the plan. It ends the document, or (in some copies) the text before the annexes.
  const firstAnnex = lines.findIndex((l) => l.kind === "annex");
  const printing = new Set<number>(marks.map((l) => l.no));
  for (const end of firstAnnex > 0 ? [firstAnnex, lines.length] : [lines.length]) {
    const from = colophonStart(lines, end);
    if (from !== undefined) for (const l of lines.slice(from, end)) if (l.kind !== "blank" && !removed.has(l.no)) printing.add(l.no);
  }
  for (const no of printing) removed.set(no, "furniture");
  // Without a notice, the document may carry its own 文号 under the title and its signature and date
  // at the end: they are about the document, not policy text, so they leave the flow for a unit of their own.
  const issuance = found ? undefined : findIssuance(lines, printing);
  // The list of attachments names the annexes: it is about the document (its metadata), not policy text.
  const attachments = lines.filter((l) => l.attachments);
  const listed = attachments.filter((l) => !removed.has(l.no));
  if (issuance && listed.length) issuance.attachments = listed;
  if (issuance) for (const l of issuanceLines(issuance)) removed.set(l.no, "issuance");
  for (const l of listed) if (!removed.has(l.no)) removed.set(l.no, "furniture");
  for (const no of contents) if (!removed.has(no)) removed.set(no, "furniture");
  markFurniture(lines, removed);

  const content = lines.filter((l) => !removed.has(l.no) && l.kind !== "blank");
  if (content.length === 0) throw new PlanParseError(file, "nothing is left once page furniture is removed");
  const paras = buildParas(lines, removed);
  const units = buildUnits(id, paras, warnings);
  const notice = found?.notice;
  if (notice) units.push(noticeUnit(id, notice.lines, notice.titleLines, notice.title));

  const printedTitle = paras[0]?.title ? paras[0].text : undefined;
  const meta = readMeta(notice, printedTitle, units, id, issuance, attachments.flatMap((l) => l.attachments!), box);
  if (!notice && !issuance && box && (box.docNumber || box.issuers.length || box.date)) {
    // Without its own issuing marks, the document's facts are quoted from the site's box.
    units.push(noticeUnit(id, box.lines, [], meta.title, ISSUANCE_LABEL));
  }
  if (issuance) {
    // The title stays in the preamble only: as a short unit's text it would outrank the body on every title word.
    const block = issuanceLines(issuance);
    if (block.length) units.push(noticeUnit(id, block, [], meta.title, ISSUANCE_LABEL));
  }
  checkNumbering(units, warnings);
  return { id, file, meta, units, warnings, hash };
}

/** The lines at the very top that hold only a copy number, secrecy and urgency marks (000123　特急). */
function headMarks(lines: Line[]): Line[] {
  const marks: Line[] = [];
  for (const l of lines) {
    if (l.kind === "blank") continue;
    const tokens = toHalfWidth(l.text).trim().split(/\s+/);
    if (!tokens.every((t) => HEAD_MARK_RE.test(t))) break;
    marks.push(l);
  }
  return marks;
}

/**
 * 附件 above the plan's title (a gov.cn page prints the plan as the notice's attachment) is not an
 * annex of the plan: an annex heading counts only once the body has begun.
 */
function demoteEarlyAnnexes(lines: Line[]): void {
  for (const l of lines) {
    if (l.kind === "annex") {
      l.kind = "text";
      delete l.number;
      delete l.rest;
      delete l.marker;
    } else if (isHeadingLine(l)) return;
  }
}

/** 第一部分 in a plan that also prints 一、 parts is the level above them (第一部分 › 一、 › （一）). */
function partsAsVolumes(lines: Line[]): void {
  const parts = lines.filter((l) => l.kind === "part");
  if (!parts.some((l) => l.marker) || !parts.some((l) => !l.marker)) return;
  for (const l of parts) if (l.marker) l.kind = "volume";
}

/** Marks page numbers, running headers, a column header before the title and a slogan block after the end. */
function markFurniture(lines: Line[], removed: Map<number, Removal>): void {
  const counts = new Map<string, number>();
  for (const l of lines) if (l.kind === "text" && l.text.length <= 20) counts.set(l.text, (counts.get(l.text) ?? 0) + 1);
  for (const l of lines) {
    if (removed.has(l.no)) continue;
    if (l.kind === "page-number" || isRule(l.text) || (l.kind === "text" && (counts.get(l.text) ?? 0) >= 3 && !SENTENCE_PUNCT_RE.test(l.text))) {
      removed.set(l.no, "furniture");
    }
  }
  // Before the title: short lines standing alone (a column header such as 要闻) with no punctuation
  // that do not name a kind of document. The first line of a title printed over two lines is not alone.
  for (const [i, l] of lines.entries()) {
    if (removed.has(l.no) || l.kind === "blank") continue;
    const below = lines[i + 1];
    const alone = !below || below.kind === "blank" || removed.has(below.no);
    if (ATTACHMENT_RE.test(l.text) || isPageChrome(l.text) || (l.kind === "text" && alone && l.text.length < 8 && !SENTENCE_PUNCT_RE.test(l.text) && !DOC_TYPE_RE.test(l.text))) {
      removed.set(l.no, "furniture");
      continue;
    }
    break;
  }
  // After the end: a short block of lines without sentence punctuation (slogans, QR-code captions).
  const tail: Line[] = [];
  for (let i = lines.length - 1; i >= 0; i--) {
    const l = lines[i]!;
    if (removed.has(l.no) || l.kind === "blank" || l.kind === "page-number") continue;
    // The document's own closing (signature, date) ends the search: the body is above it.
    if (removed.get(l.no) === "issuance") break;
    if (isColophon(l.text) || isPageChrome(l.text)) {
      removed.set(l.no, "furniture");
      continue;
    }
    // A table's rows (cells split by tabs) and a line giving a number to call are content, however short.
    if (l.kind === "text" && !SENTENCE_PUNCT_RE.test(l.text) && l.text.length <= 40 && !isSignatureLine(lines, i) && !l.text.includes("\t") && !holdsPhoneNumber(l.text)) {
      tail.push(l);
      if (tail.length > MAX_TAIL_FURNITURE) return;
      continue;
    }
    // Lines right under a bare heading (附件 / 供水工程清单 / …) are what it heads, not slogans.
    if (isHeadingLine(l) && (!l.rest || TITLED_MARKERS.has(l.kind))) return;
    break;
  }
  for (const l of tail) removed.set(l.no, "furniture");
}

/** A closing signature (issuer lines right above a date line) is content, not furniture. */
function isSignatureLine(lines: Line[], i: number): boolean {
  for (let j = i + 1; j < lines.length && j < i + 5; j++) {
    if (lines[j]!.kind === "date") return true;
    if (lines[j]!.kind === "blank") return false;
  }
  return false;
}

/** Markers whose title may be printed on the line below them (附件2 / 年度目标表, 第一章 / 总则, 专栏1 / 重点工程). */
const TITLED_MARKERS = new Set<Line["kind"]>(["annex", "volume", "chapter", "subchapter", "box"]);

/** Headings a 专栏 box holds as its own entries; any other heading ends the box. */
const BOX_CONTENT = new Set<Line["kind"]>(["task", "item", "table-head", "table-row"]);

/** Joins lines into paragraphs, mending page breaks and text split around a removed insert. */
function buildParas(lines: Line[], removed: Map<number, Removal>): Para[] {
  const paras: Para[] = [];
  // Each paragraph's text is kept as pieces and joined once at the end: appending to one long string
  // and testing its end after every line would copy it each time (quadratic on a large plan).
  const pieces: string[][] = [];
  let gap: Removal | "blank" | undefined;
  let gapLines: number[] = [];
  let inBox = false;
  for (const l of lines) {
    const why = removed.get(l.no);
    if (why || l.kind === "blank") {
      if (why === "notice" || (why && gap !== "notice")) gap = why;
      else gap ??= "blank";
      if (why) gapLines.push(l.no);
      continue;
    }
    const prev = paras.at(-1);
    const own = pieces.at(-1);
    const last = own?.at(-1) ?? "";
    const isHeading = isHeadingLine(l) || l.kind === "date";
    // Inside a 专栏 box every line is an entry of its own (a name, a project), never a broken line.
    if (isHeading) inBox = l.kind === "box" || (inBox && BOX_CONTENT.has(l.kind));
    if (prev && ((prev.title && paras.length === 1) || prev.markerTitle) && continuesTitle(own!.join(""), prev, l, gap)) {
      // The document's title (or an annex's, a chapter's under its marker) printed over several lines is one title.
      own!.push(l.text);
      prev.lines.push(l.no);
      prev.repairs.push(...l.repairs);
    } else if (prev && !prev.closed && gap !== "issuance" && !isHeading && !endsSentence(last) && !inBox && !last.includes("\t") && !l.text.includes("\t") && !CLOSING_RE.test(l.text.trim())) {
      // (A line that opens as a document's closing does, 本措施自…起施行, starts a paragraph of its own.)
      // (A line holding a tab is a table row, as the .html/.docx/.pdf readers print them: rows stay apart.)
      const left = last.slice(-6);
      const right = l.text.slice(0, 6);
      own!.push(joinsTight(last, l.text) ? l.text : ` ${l.text}`);
      prev.lines.push(l.no);
      prev.repairs.push(...l.repairs);
      if (gap === "notice") {
        prev.repairs.push({
          kind: "join-around-insert",
          line: l.no,
          detail: `joined "…${left}" and "${right}…" across an inserted notice (lines ${gapLines[0]}–${gapLines.at(-1)})`,
        });
      } else if (gap) {
        prev.repairs.push({ kind: "join-page-break", line: l.no, detail: `joined "…${left}" and "${right}…" split by a page break` });
      }
    } else {
      const headingOnly = (isHeading && !/[。；;！？]/.test(l.rest ?? l.text)) || l.kind === "table-row" || l.kind === "table-head";
      const isTitle = paras.length === 0 && !isHeading;
      // 附件2 / 年度目标表, 第一章 / 总则: the title printed on the line under its marker is a line of its own.
      const underMarker = !isHeading && prev?.closed === true && prev.lines.length === 1 && !prev.first.rest && TITLED_MARKERS.has(prev.first.kind) && isTitleLike(l);
      const repairs = [...l.repairs];
      if (l.kind === "table-row") repairs.push({ kind: "table-row", line: l.no, detail: `a table row written out with its column names (printed: "${l.text}")` });
      paras.push({ text: "", lines: [l.no], repairs, first: l, closed: headingOnly || isTitle || underMarker, title: isTitle && isTitleLike(l), ...(underMarker && prev!.first.kind !== "box" ? { markerTitle: true } : {}) });
      pieces.push([l.kind === "table-row" ? l.rest! : l.text]);
    }
    gap = undefined;
    gapLines = [];
  }
  paras.forEach((p, i) => (p.text = pieces[i]!.join("")));
  return paras;
}

/**
 * Whether a line goes on with a title printed over several lines: right below it, a title-like line or
 * a period or status in brackets; past a blank line or a page break (a double-spaced or PDF copy) only
 * the bracketed line, or the rest of a title that does not yet end in a kind of document.
 */
function continuesTitle(title: string, para: Para, l: Line, gap: Removal | "blank" | undefined): boolean {
  if (para.lines.length >= MAX_TITLE_LINES || title.length + l.text.length > 120) return false;
  const bracketed = TITLE_PERIOD_RE.test(l.text);
  if (!gap) return isTitleLike(l) || bracketed;
  if (gap === "notice" || gap === "issuance" || l.no - para.lines.at(-1)! > MAX_GAP_LINES) return false;
  return bracketed || (isTitleLike(l) && !TITLE_END_RE.test(title) && TITLE_END_RE.test(l.text));
}

/** Warns when numbers skip or go backwards, which usually means damage the parser could not mend. */
function checkNumbering(units: Unit[], warnings: ParseWarning[]): void {
  for (const kind of ["part", "section", "task"] as const) {
    let prev = 0;
    // An annex numbers its own parts again from 一、.
    for (const u of units.filter((x) => x.kind === kind && !x.ref.startsWith("annex:"))) {
      const n = u.number!;
      if (n !== prev + 1 && n !== 1) {
        warnings.push({ line: u.source.startLine, message: `${kind} ${n} follows ${prev}: a number is missing or out of order` });
      }
      prev = n;
    }
  }
}
