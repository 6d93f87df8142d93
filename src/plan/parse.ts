import { createHash } from "node:crypto";
import { basename, extname } from "node:path";
import { PlanParseError } from "./errors.js";
import { classifyLine, cleanLine, endsSentence, joinsTight, parseDate, type Line } from "./lines.js";
import { toChineseNumeral } from "./numerals.js";
import { PATH_SEPARATOR, type DocMeta, type ParseWarning, type PlanDocument, type Repair, type Unit, type UnitKind } from "./types.js";

/** A paragraph: one or more source lines joined into one piece of text. */
interface Para {
  text: string;
  lines: number[];
  repairs: Repair[];
  first: Line;
  /** Heading-only paragraphs (一、总体要求) and the title never take continuation lines. */
  closed: boolean;
}

type Removal = "furniture" | "notice";

const DOC_TYPE_RE = /(方案|规划|意见|通知|计划|办法|纲要|要点|决定|条例|细则|规定|报告|措施)/;
const NOTICE_TITLE_RE = /印发.*通知$/;
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
  const lines: Line[] = text.split(/\r\n|\r|\n/).map((raw, i) => {
    const { text: cleaned, repairs } = cleanLine(raw, i + 1);
    return { no: i + 1, text: cleaned, repairs, ...classifyLine(cleaned) };
  });

  if (!lines.some((l) => l.kind === "part" || l.kind === "section" || l.kind === "task")) {
    throw new PlanParseError(
      file,
      "no recognisable numbering was found (expected parts such as 一、, sections such as （一） or tasks such as 1.)",
    );
  }

  const removed = new Map<number, Removal>();
  const notice = findNotice(lines, removed);
  markFurniture(lines, removed);

  const content = lines.filter((l) => !removed.has(l.no) && l.kind !== "blank");
  if (content.length === 0) throw new PlanParseError(file, "nothing is left once page furniture is removed");
  const paras = buildParas(lines, removed);
  const units = buildUnits(id, paras, warnings);
  if (notice) units.push(noticeUnit(id, notice));

  const meta = readMeta(notice, units, id);
  checkNumbering(units, warnings);
  return { id, file, meta, units, warnings, hash };
}

/** Finds an issuing notice (印发…的通知 … date) anywhere in the text and marks its lines. */
function findNotice(lines: Line[], removed: Map<number, Removal>): Line[] | undefined {
  const start = lines.findIndex((l) => l.kind === "text" && NOTICE_TITLE_RE.test(l.text.replace(/\s+/g, "")) && l.text.length < 200);
  if (start < 0) return undefined;
  let end = -1;
  for (let i = start + 1; i < Math.min(lines.length, start + 40); i++) {
    const l = lines[i]!;
    if (l.kind === "date") {
      end = i;
      break;
    }
    if (l.kind === "part" || l.kind === "section" || l.kind === "task") break;
  }
  if (end < 0) {
    // No date line: the notice is its title, the addressees and the sentence that hands the plan over.
    end = start;
    for (let i = start + 1; i < Math.min(lines.length, start + 10); i++) {
      if (lines[i]!.kind === "blank") continue;
      end = i;
      if (/印发给你们|请.*(贯彻|执行|落实)/.test(lines[i]!.text)) break;
    }
  }
  const block = lines.slice(start, end + 1);
  for (const l of block) removed.set(l.no, "notice");
  return block.filter((l) => l.kind !== "blank");
}

/** Marks page numbers, running headers, a column header before the title and a slogan block after the end. */
function markFurniture(lines: Line[], removed: Map<number, Removal>): void {
  const counts = new Map<string, number>();
  for (const l of lines) if (l.kind === "text" && l.text.length <= 20) counts.set(l.text, (counts.get(l.text) ?? 0) + 1);
  for (const l of lines) {
    if (removed.has(l.no)) continue;
    if (l.kind === "page-number" || (l.kind === "text" && (counts.get(l.text) ?? 0) >= 3 && !SENTENCE_PUNCT_RE.test(l.text))) {
      removed.set(l.no, "furniture");
    }
  }
  // Before the title: short lines with no punctuation that do not name a kind of document.
  for (const l of lines) {
    if (removed.has(l.no) || l.kind === "blank") continue;
    if (l.kind === "text" && l.text.length < 8 && !SENTENCE_PUNCT_RE.test(l.text) && !DOC_TYPE_RE.test(l.text)) {
      removed.set(l.no, "furniture");
      continue;
    }
    break;
  }
  // After the end: a block of lines without sentence punctuation (slogans, QR-code captions).
  for (let i = lines.length - 1; i >= 0; i--) {
    const l = lines[i]!;
    if (removed.has(l.no) || l.kind === "blank" || l.kind === "page-number") continue;
    if (l.kind === "text" && !SENTENCE_PUNCT_RE.test(l.text) && l.text.length <= 40 && !isSignatureLine(lines, i)) {
      removed.set(l.no, "furniture");
      continue;
    }
    break;
  }
}

/** A closing signature (issuer lines right above a date line) is content, not furniture. */
function isSignatureLine(lines: Line[], i: number): boolean {
  for (let j = i + 1; j < lines.length && j < i + 5; j++) {
    if (lines[j]!.kind === "date") return true;
    if (lines[j]!.kind === "blank") return false;
  }
  return false;
}

/** Joins lines into paragraphs, mending page breaks and text split around a removed insert. */
function buildParas(lines: Line[], removed: Map<number, Removal>): Para[] {
  const paras: Para[] = [];
  let gap: Removal | "blank" | undefined;
  let gapLines: number[] = [];
  for (const l of lines) {
    const why = removed.get(l.no);
    if (why || l.kind === "blank") {
      if (why === "notice" || (why && gap !== "notice")) gap = why;
      else gap ??= "blank";
      if (why) gapLines.push(l.no);
      continue;
    }
    const prev = paras.at(-1);
    const isHeading = l.kind === "part" || l.kind === "section" || l.kind === "task" || l.kind === "date";
    if (prev && !prev.closed && !isHeading && !endsSentence(prev.text)) {
      const left = prev.text.slice(-6);
      const right = l.text.slice(0, 6);
      prev.text += joinsTight(prev.text, l.text) ? l.text : ` ${l.text}`;
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
      const headingOnly = isHeading && !/[。；;！？]/.test(l.rest ?? l.text);
      const isTitle = paras.length === 0 && !isHeading;
      paras.push({ text: l.text, lines: [l.no], repairs: [...l.repairs], first: l, closed: headingOnly || isTitle });
    }
    gap = undefined;
    gapLines = [];
  }
  return mergeTitleLines(paras);
}

/** A title printed over two lines (no punctuation on either) is one title. */
function mergeTitleLines(paras: Para[]): Para[] {
  const [title, next] = paras;
  if (title?.closed && title.first.kind === "text" && next && next.first.kind === "text" && next.lines.length === 1 &&
      !SENTENCE_PUNCT_RE.test(next.text) && next.text.length < 40 && next.first.no === title.lines.at(-1)! + 1) {
    title.text += next.text;
    title.lines.push(...next.lines);
    paras.splice(1, 1);
  }
  return paras;
}

interface Draft {
  kind: UnitKind;
  number?: number;
  heading: string;
  paras: Para[];
  parent?: Draft;
  children: Draft[];
  ref?: string;
  label?: string;
}

function buildUnits(doc: string, paras: Para[], warnings: ParseWarning[]): Unit[] {
  const drafts: Draft[] = [];
  let preamble: Draft | undefined;
  let part: Draft | undefined;
  let section: Draft | undefined;
  let task: Draft | undefined;

  for (const p of paras) {
    const l = p.first;
    if (l.kind === "part" || l.kind === "section" || l.kind === "task") {
      const parent = l.kind === "part" ? undefined : l.kind === "section" ? part : (section ?? part);
      const d: Draft = { kind: l.kind, number: l.number!, heading: headingOf(l.rest ?? ""), paras: [p], parent, children: [] };
      parent?.children.push(d);
      drafts.push(d);
      if (l.kind === "part") [part, section, task] = [d, undefined, undefined];
      else if (l.kind === "section") [section, task] = [d, undefined];
      else task = d;
      continue;
    }
    const owner = task ?? section ?? part;
    if (owner) {
      owner.paras.push(p);
    } else {
      if (!preamble) {
        preamble = { kind: "preamble", heading: tidyTitle(p.text), paras: [], children: [] };
        drafts.unshift(preamble);
      }
      preamble.paras.push(p);
    }
  }
  assignRefs(drafts, warnings);
  return drafts.map((d) => toUnit(doc, d));
}

/** The title of a heading line: its first sentence, without the closing punctuation. */
function headingOf(rest: string): string {
  const first = rest.split(/[。；;！？]/)[0] ?? rest;
  return first.replace(/[,，、:：\s]+$/, "").trim();
}

/** Refs are kind:number; when a document restarts numbering (per section), the parent's number qualifies them. */
function assignRefs(drafts: Draft[], warnings: ParseWarning[]): void {
  for (const kind of ["part", "section", "task"] as const) {
    const ofKind = drafts.filter((d) => d.kind === kind);
    const numbers = ofKind.map((d) => d.number!);
    const restarts = new Set(numbers).size !== numbers.length;
    if (restarts) {
      warnings.push({ line: ofKind[0]!.paras[0]!.first.no, message: `${kind} numbers repeat; refs are qualified by their parent's number` });
    }
    for (const d of ofKind) {
      d.ref = restarts && d.parent ? `${kind}:${d.parent.number}.${d.number}` : `${kind}:${d.number}`;
      const own = kind === "task" ? `第${d.number}项` : kind === "section" ? `（${toChineseNumeral(d.number!)}）` : `${toChineseNumeral(d.number!)}、${d.heading}`;
      d.label = restarts && d.parent && kind !== "part" ? `${d.parent.label}${own}` : own;
    }
  }
  for (const d of drafts) if (d.kind === "preamble") [d.ref, d.label] = ["preamble", "前言"];
}

function pathOf(d: Draft): string {
  const chain: string[] = [];
  for (let cur: Draft | undefined = d; cur; cur = cur.parent) {
    chain.unshift(cur.kind === "section" ? `${cur.label}${cur.heading}` : cur.label!);
  }
  return chain.join(PATH_SEPARATOR);
}

function toUnit(doc: string, d: Draft): Unit {
  const lineNos = d.paras.flatMap((p) => p.lines);
  const parents: string[] = [];
  for (let cur = d.parent; cur; cur = cur.parent) parents.unshift(cur.ref!);
  return {
    doc,
    ref: d.ref!,
    kind: d.kind,
    ...(d.number !== undefined ? { number: d.number } : {}),
    label: d.label!,
    heading: d.heading,
    path: pathOf(d),
    parents,
    children: d.children.map((c) => c.ref!),
    text: d.paras.map((p) => p.text).join("\n"),
    source: { startLine: Math.min(...lineNos), endLine: Math.max(...lineNos), lines: lineNos },
    repairs: d.paras.flatMap((p) => p.repairs),
  };
}

function noticeUnit(doc: string, block: Line[]): Unit {
  const lineNos = block.map((l) => l.no);
  return {
    doc,
    ref: "notice",
    kind: "notice",
    label: "印发通知",
    heading: block[0]!.text.replace(/\s+/g, " "),
    path: "印发通知",
    parents: [],
    children: [],
    text: block.map((l) => l.text).join("\n"),
    source: { startLine: Math.min(...lineNos), endLine: Math.max(...lineNos), lines: lineNos },
    repairs: block.flatMap((l) => l.repairs),
  };
}

/** Removes the line-break space a title keeps between two Chinese characters. */
function tidyTitle(title: string): string {
  return title.replace(/(?<=[\u3400-\u9fff”“])\s+(?=[\u3400-\u9fff“”])/g, "").trim();
}

/** Title, issuers, date and recipients, from the notice where there is one. */
function readMeta(notice: Line[] | undefined, units: Unit[], id: string): DocMeta {
  const preamble = units.find((u) => u.kind === "preamble");
  const fallbackTitle = preamble ? preamble.heading : id;
  if (!notice) return { title: fallbackTitle, issuers: [], date: null, dateText: null, recipients: [] };

  const head = notice[0]!.text;
  const title = /《(.+?)》/.exec(head)?.[1];
  const dateLine = notice.find((l) => l.kind === "date");
  const recipientsLine = notice.find((l, i) => i > 0 && /[:：]$/.test(l.text));
  const recipients = recipientsLine
    ? splitTopLevel(recipientsLine.text.replace(/[:：]$/, ""), /[,，;；]/)
    : [];
  // Signature: the lines between the last sentence of the notice and its date.
  const dateIdx = dateLine ? notice.indexOf(dateLine) : notice.length;
  let sigStart = dateIdx;
  while (sigStart - 1 > 0 && !SENTENCE_PUNCT_RE.test(notice[sigStart - 1]!.text) && notice[sigStart - 1] !== recipientsLine) sigStart--;
  let issuers = notice.slice(sigStart, dateIdx).flatMap((l) => l.text.split(/\s+/)).filter(Boolean);
  if (issuers.length === 0) {
    const prefix = head.split(/印发|关于印发/)[0]?.trim() ?? "";
    issuers = prefix.split(/\s+/).filter(Boolean);
  }
  return {
    title: title ? tidyTitle(title) : fallbackTitle,
    issuers,
    date: dateLine ? parseDate(dateLine.text) : null,
    dateText: dateLine?.text ?? null,
    recipients,
  };
}

/** Splits on separators that are not inside brackets: 各市、县(市、区)党委和人民政府,省直属各单位 → two. */
function splitTopLevel(text: string, sep: RegExp): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = "";
  for (const c of text) {
    if ("(（《“".includes(c)) depth++;
    if (")）》”".includes(c)) depth = Math.max(0, depth - 1);
    if (depth === 0 && sep.test(c)) {
      if (cur.trim()) out.push(cur.trim());
      cur = "";
    } else cur += c;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

/** Warns when numbers skip or go backwards, which usually means damage the parser could not mend. */
function checkNumbering(units: Unit[], warnings: ParseWarning[]): void {
  for (const kind of ["part", "section", "task"] as const) {
    let prev = 0;
    for (const u of units.filter((x) => x.kind === kind)) {
      const n = u.number!;
      if (n !== prev + 1 && n !== 1) {
        warnings.push({ line: u.source.startLine, message: `${kind} ${n} follows ${prev}: a number is missing or out of order` });
      }
      prev = n;
    }
  }
}
