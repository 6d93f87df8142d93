import { parseChineseNumeral, toHalfWidth } from "./numerals.js";
import type { Repair } from "./types.js";

/** One source line after cleaning, with what it looks like. */
export interface Line {
  /** 1-based line number in the file. */
  no: number;
  /** Cleaned text (stray characters repaired, trimmed). */
  text: string;
  kind: LineKind;
  /** For headings: the printed number. */
  number?: number;
  /** For headings: the text after the numbering marker. */
  rest?: string;
  repairs: Repair[];
}

export type LineKind = "blank" | "part" | "section" | "task" | "date" | "page-number" | "text";

const CN_NUM = "〇零一二三四五六七八九十百";
const PART_RE = new RegExp(`^([${CN_NUM}]{1,4})\\s*[、.]\\s*(\\S.*)$`);
const PART_ALT_RE = new RegExp(`^第([${CN_NUM}]{1,4})部分\\s*[、:：]?\\s*(\\S.*)$`);
const SECTION_RE = new RegExp(`^[(（]\\s*([${CN_NUM}]{1,4})\\s*[)）]\\s*(\\S.*)$`);
// 1. 1． 1、 and full-width digits (made half-width before matching); not 1.8 (a decimal).
const TASK_RE = /^(\d{1,3})\s*[.、](?!\d)\s*(\S.*)$/;
/** A date line such as 2026年2月5日 or 二〇二六年二月五日. */
export const DATE_RE = new RegExp(`^(\\d{4}|[${CN_NUM}]{4})\\s*年\\s*(\\d{1,2}|[${CN_NUM}]{1,3})\\s*月\\s*(\\d{1,2}|[${CN_NUM}]{1,3})\\s*日$`);
const PAGE_NUMBER_RE = /^(?:[-—–－~\s]*\d{1,3}[-—–－~\s]*|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?)$/;

const CJK = "\\u3400-\\u9fff\\uf900-\\ufaff";
/** English function words dropped into Chinese text by a conversion tool ("保障性租赁住房 and 配售型…"). */
const STRAY_WORD_RE = new RegExp(`(?<=[${CJK}）)」”])\\s*\\b(and|or|AND|OR)\\b\\s*(?=[${CJK}（(「“])`, "g");
const STRAY_WORD_FIX: Record<string, string> = { and: "和", or: "或" };
/** Zero-width and control characters that carry no meaning in a document. */
const STRAY_CHAR_RE = /[\u200B-\u200D\u2060\uFEFF\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

/** Cleans one raw line and records every repair made to it. */
export function cleanLine(raw: string, no: number): { text: string; repairs: Repair[] } {
  const repairs: Repair[] = [];
  let text = raw.replace(/\u00A0/g, " ");
  const strayChars = text.match(STRAY_CHAR_RE);
  if (strayChars) {
    text = text.replace(STRAY_CHAR_RE, "");
    repairs.push({ kind: "stray-char", line: no, detail: `removed ${strayChars.length} invisible control character(s)` });
  }
  // Markdown decoration: heading marks and bold around a whole line.
  text = text.replace(/^\s*#{1,6}\s+/, "").replace(/^\s*\*\*(.+)\*\*\s*$/, "$1");
  text = text.replace(STRAY_WORD_RE, (_m, word: string) => {
    const fix = STRAY_WORD_FIX[word.toLowerCase()]!;
    repairs.push({ kind: "stray-word", line: no, detail: `replaced the English word "${word}" between Chinese words with "${fix}"` });
    return fix;
  });
  return { text: text.trim(), repairs };
}

/** Classifies a cleaned line: a heading (part, section, task), a date, a page number, text or blank. */
export function classifyLine(text: string): Pick<Line, "kind" | "number" | "rest"> {
  if (text === "") return { kind: "blank" };
  const half = toHalfWidth(text);
  if (PAGE_NUMBER_RE.test(half)) return { kind: "page-number" };
  if (DATE_RE.test(half.replace(/\s+/g, ""))) return { kind: "date" };
  let m = SECTION_RE.exec(half);
  if (m) return heading("section", m[1]!, text, half, m[2]!);
  m = PART_RE.exec(half) ?? PART_ALT_RE.exec(half);
  if (m) return heading("part", m[1]!, text, half, m[2]!);
  m = TASK_RE.exec(half);
  if (m) return { kind: "task", number: Number(m[1]), rest: sliceRest(text, half, m[2]!) };
  return { kind: "text" };
}

function heading(kind: "part" | "section", numeral: string, text: string, half: string, rest: string) {
  const number = parseChineseNumeral(numeral);
  if (number === undefined || number < 1) return { kind: "text" as const };
  return { kind, number, rest: sliceRest(text, half, rest) };
}

/** The rest of a heading line in its original characters (toHalfWidth keeps lengths). */
function sliceRest(text: string, half: string, restHalf: string): string {
  return text.slice(half.length - restHalf.length);
}

/** Whether a paragraph ends a sentence, so that the next line starts a new paragraph. */
export function endsSentence(text: string): boolean {
  return /[。！？；：!?;:…][”’」』）)\]】]*$/.test(text);
}

/** Whether two pieces of text should be joined without a space (Chinese on either side). */
export function joinsTight(left: string, right: string): boolean {
  return !(/[A-Za-z0-9]$/.test(left) && /^[A-Za-z0-9]/.test(right));
}

/** Parses a printed date (2026年2月5日, 二〇二六年二月五日) into YYYY-MM-DD. */
export function parseDate(text: string): string | null {
  const m = DATE_RE.exec(toHalfWidth(text).replace(/\s+/g, ""));
  if (!m) return null;
  const num = (s: string) => (/^\d+$/.test(s) ? Number(s) : parseChineseNumeral(s));
  const [y, mo, d] = [num(m[1]!), num(m[2]!), num(m[3]!)];
  if (!y || !mo || !d || mo > 12 || d > 31) return null;
  return `${y}-${String(mo).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}
