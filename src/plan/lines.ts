import { parseChineseNumeral, parseNumberToken, toHalfWidth } from "./numerals.js";
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
  /** For items, boxes and annexes: the marker as printed, in half-width (（1）, ①, a., 专栏一, 附件2). */
  marker?: string;
  /** For items: which of the deeper numbering styles (（1）, 1）, ①, a.) it uses; each style is its own level. */
  style?: ItemStyle;
  /** For table rows and headers: the cells. */
  cells?: string[];
  /** For table rows under a caption (表1　主要指标): the table's number as printed, 表1. */
  table?: string;
  /** For a heading of a decimal outline (1 总则, 1.1 编制目的, 3.2.1 …): its number as printed, in half-width (3.2.1). */
  decimal?: string;
  /** A line of a table row's cells printed over several lines: text of that row, never a heading. */
  inRow?: boolean;
  /** For a line of the list of attachments (附件：1．重点任务分工表  2．…): the titles it names. */
  attachments?: string[];
  repairs: Repair[];
}

/** Kinds of heading line, outermost first, besides the page furniture and text. */
export const HEADING_KINDS = ["annex", "volume", "chapter", "subchapter", "part", "article", "box", "section", "task", "item", "table-head", "table-row"] as const;
export type HeadingKind = (typeof HEADING_KINDS)[number];
export type LineKind = HeadingKind | "blank" | "date" | "page-number" | "text";
/** Deeper numbering under a task: （1） then 1） then ① then a. */
export type ItemStyle = "paren" | "half" | "circled" | "letter" | "step";

/** Whether a line starts a unit (or a table row) rather than continuing a paragraph. */
export const isHeadingLine = (l: Pick<Line, "kind">): boolean => (HEADING_KINDS as readonly string[]).includes(l.kind);

const CN_NUM = "〇零一二三四五六七八九十百";
/** Characters printed for 〇 in a year (二○二六年): a white circle, a capital O, a Cyrillic О. */
const ZERO_LOOKALIKES = "○◯OОΟ";
const PART_RE = new RegExp(`^([${CN_NUM}]{1,4})\\s*[、.]\\s*(\\S.*)$`);
/** A question of a page of questions and answers: 问题一：…？, 问题3：…？ (the answer follows as 答：…). */
const QUESTION_RE = new RegExp(`^(问题)([${CN_NUM}]{1,3}|\\d{1,2})\\s*[：:、]\\s*(\\S.*[？?]\\s*)$`);
const PART_ALT_RE = new RegExp(`^第([${CN_NUM}]{1,4})部分\\s*[、:：]?\\s*(\\S.*)$`);
const SECTION_RE = new RegExp(`^[(（]\\s*([${CN_NUM}]{1,4})\\s*[)）]\\s*(\\S.*)$`);
// 1. 1． 1、 and full-width digits (made half-width before matching); not 1.8 (a decimal).
const TASK_RE = /^(\d{1,3})\s*[.、](?!\d)\s*(\S.*)$/;
/** 2.2027年10月底前…: a half-width point before a year is no decimal point either (2.2027年 is no amount). */
const TASK_YEAR_RE = /^(\d{1,3})\.((?:19|20)\d{2}\s*年.*)$/;
/** 1．2026年底前… and 1、2026年…: a full-width point or 、 is never a decimal point (matched on the printed text). */
const TASK_WIDE_RE = /^([0-9０-９]{1,3})\s*[．、]\s*([0-9０-９].*)$/;
/** A date line such as 2026年2月5日 or 二〇二六年二月五日 (the zero often typed as ○ or О). */
export const DATE_RE = new RegExp(`^(\\d{4}|[${CN_NUM}${ZERO_LOOKALIKES}]{4})\\s*年\\s*(\\d{1,2}|[${CN_NUM}]{1,3})\\s*月\\s*(\\d{1,2}|[${CN_NUM}]{1,3})\\s*日$`);
const N_CN = `[${CN_NUM}]{1,6}|\\d{1,3}`;
/** 第一篇 …: the level above chapters in a 纲要. */
const VOLUME_RE = new RegExp(`^第\\s*(${N_CN})\\s*篇(?:\\s*[、.:：]\\s*|\\s*)(.*)$`);
/** 第三章 总则, 第三章　数字基础设施 (the title may follow on the next line). */
const CHAPTER_RE = new RegExp(`^第\\s*(${N_CN})\\s*章(?:\\s*[、.:：]\\s*|\\s*)(.*)$`);
const SUBCHAPTER_RE = new RegExp(`^第\\s*(${N_CN})\\s*节(?:\\s*[、.:：]\\s*|\\s*)(.*)$`);
/** 第十二条 …, 第一条为了…; not a sentence that goes on about an article (第十二条规定的…, 第三条第二款). */
const INSERTED_ARTICLE_RE = new RegExp(`^第\\s*(${N_CN})\\s*条之([一二三四五六七八九十])(?:\\s*[.:：]\\s*|\\s+)(\\S.*)$`);
/** ⒈ to ⒛, the digits with a full stop in one character. */
const DOTTED_DIGIT_RE = /^([\u2488-\u249B])\s*(\S.*)$/;
/** A box's entry numbered with a leading zero, as 规划 print them: 01 智慧水网工程。… */
const PADDED_ENTRY_RE = /^0([1-9])[\s\u3000]+([\u3400-\u9fff“《].*)$/;
const ARTICLE_RE = new RegExp(`^第\\s*(${N_CN})\\s*条(?!规定|所|的|中|之|款|第|至|、|和|或|及)(?:\\s*[.:：]\\s*|\\s*)(.*)$`);
/** 专栏1 重点工程, 专栏一：…, 专栏 3 (a titled box of items). */
const BOX_RE = new RegExp(`^专栏\\s*(\\d{1,2}|[${CN_NUM}]{1,3})(?:\\s*[、.:：]\\s*|\\s+|$)(.*)$`);
/** 【专栏1 重点工程】, 【专栏2】重点工程, 〔专栏三〕: a box whose marker (and title) is printed in brackets. */
const BRACKET_BOX_RE = new RegExp(`^[【〔\\[]\\s*专栏\\s*(\\d{1,2}|[${CN_NUM}]{1,3})\\s*[、.:：]?\\s*([^】〕\\]]*?)\\s*[】〕\\]]\\s*(.*)$`, "d");
/** 附件, 附件1, 附件2：重点任务分工表, 附件 一, 附表1 (only after the body has begun; above the title it is furniture). */
const APPENDIX_RE = /^附录\s*([A-Z])(?:\s*[(（](?:规范性|资料性)(?:附录)?[)）])?\s*(.*)$/;
const ANNEX_RE = new RegExp(`^(?:附件|附表|附(?=\\s*[：:]))\\s*(\\d{1,2}|[${CN_NUM}]{1,3})?(?:\\s*[、.:：]\\s*|\\s+|$)(.*)$`);
/** 一 总体要求, 一　总体要求: a part heading printed with a space instead of 、. */
const PART_SPACE_RE = new RegExp(`^([${CN_NUM}]{1,3})\\s+([\\u3400-\\u9fff“《].*)$`);
/** Deeper numbering: （1）, ⑴, 1）, ①, a. / （a）. */
const ITEM_PATTERNS: Array<[ItemStyle, RegExp]> = [
  ["paren", /^\(\s*(\d{1,2})\s*\)\s*(\S.*)$/],
  ["paren", /^([\u2474-\u2487])\s*(\S.*)$/],
  ["half", /^(\d{1,2})\s*\)\s*(\S.*)$/],
  ["circled", /^([\u2460-\u2473])\s*(\S.*)$/],
  ["letter", /^([a-zA-Z])\s*[.、)]\s*(?=[\u3400-\u9fff“《])(.*)$/],
  ["letter", /^\(([a-zA-Z])\)\s*(\S.*)$/],
];
/** A step of a procedure: 第一步：申请。 */
const STEP_RE = /^第([一二三四五六七八九十]{1,3})步\s*[：:、.]\s*(\S.*)$/;
/** Page numbers: 3, — 3 —, -3-, ·3·, 3/12, 第3页 共12页 (matched on the half-width text). */
const PAGE_NUMBER_RE = /^(?:[-—–－~·•\s]*\d{1,3}[-—–－~·•\s]*|\d{1,3}\s*\/\s*\d{1,3}|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?)$/;

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
  // Markdown decoration: heading marks, bold around a whole line, and a bold lead sentence
  // (**（一）加强组织领导。**各地要…), which is how a converted document prints a heading in bold.
  text = text.replace(/^\s*#{1,6}\s+/, "").replace(/^\s*\*\*(.+)\*\*\s*$/, "$1").replace(/^(\s*)\*\*([^*]+)\*\*/, "$1$2");
  text = text.replace(STRAY_WORD_RE, (_m, word: string) => {
    const fix = STRAY_WORD_FIX[word.toLowerCase()]!;
    repairs.push({ kind: "stray-word", line: no, detail: `replaced the English word "${word}" between Chinese words with "${fix}"` });
    return fix;
  });
  return { text: text.trim(), repairs };
}

/** Classifies a cleaned line: a heading (part, section, task), a date, a page number, text or blank. */
export function classifyLine(text: string): Pick<Line, "kind" | "number" | "rest" | "marker" | "style"> {
  if (text === "") return { kind: "blank" };
  const half = toHalfWidth(text);
  if (PAGE_NUMBER_RE.test(half)) return { kind: "page-number" };
  if (DATE_RE.test(half.replace(/\s+/g, ""))) return { kind: "date" };
  let m = SECTION_RE.exec(half);
  if (m) return heading("section", m[1]!, text, half, m[2]!);
  // 第十二条之一 (an article an amendment inserted): an article of its own, cited as printed.
  m = INSERTED_ARTICLE_RE.exec(half);
  if (m) {
    const number = parseNumberToken(m[1]!);
    // Numbered between its article and the next (12.1), so articles still run in order.
    if (number !== undefined) return { kind: "article", number: number + (parseChineseNumeral(m[2]!) ?? 1) / 10, marker: `第${m[1]}条之${m[2]}`, rest: sliceRest(text, half, m[3]!) };
  }
  for (const [kind, re] of [["volume", VOLUME_RE], ["chapter", CHAPTER_RE], ["subchapter", SUBCHAPTER_RE], ["article", ARTICLE_RE]] as const) {
    m = re.exec(half);
    if (m) return heading(kind, m[1]!, text, half, m[2]!);
  }
  m = BRACKET_BOX_RE.exec(half);
  if (m) {
    // The title inside the brackets or after them, in the original characters (toHalfWidth keeps lengths).
    const group = m[2] ? 2 : 3;
    const [from, to] = m.indices![group]!;
    const rest = text.slice(from, to).trim();
    const number = parseNumberToken(m[1]!);
    if (number !== undefined && number >= 1 && rest.length <= 40 && !/[。；;！？，,]/.test(rest)) return { kind: "box", number, marker: `专栏${m[1]}`, rest };
  }
  // 附录A（规范性）: a standard's appendix, lettered; its clauses are numbered A.1, A.2.
  m = APPENDIX_RE.exec(half);
  if (m && m[2]!.length <= 40 && !/[。；;！？，,]/.test(m[2]!)) return { kind: "annex", number: m[1]!.charCodeAt(0) - 64, marker: `附录${m[1]}`, rest: sliceRest(text, half, m[2]!) };
  for (const [kind, re] of [["box", BOX_RE], ["annex", ANNEX_RE]] as const) {
    m = re.exec(half);
    // A box or annex heading is a title line, not a sentence that starts with the word.
    if (m && m[2]!.length <= 40 && !/[。；;！？，,]/.test(m[2]!)) {
      const marker = half.slice(0, half.length - m[2]!.length).replace(/[\s、.:：]+$/, "").replace(/\s+/g, "");
      const number = m[1] === undefined ? 1 : parseNumberToken(m[1]);
      if (number !== undefined && number >= 1) return { kind, number, marker, rest: sliceRest(text, half, m[2]!) };
    }
  }
  // 问题一：《若干政策》出台的背景是什么？ (a page of questions and answers): a part, cited as printed (问题一).
  m = QUESTION_RE.exec(half);
  if (m) {
    const number = parseNumberToken(m[2]!);
    if (number !== undefined && number >= 1) return { kind: "part", number, marker: `${m[1]}${m[2]}`, rest: sliceRest(text, half, m[3]!) };
  }
  m = PART_ALT_RE.exec(half);
  // 第一部分 is marked: in a plan that also prints 一、 parts it is the level above them.
  if (m) return { ...heading("part", m[1]!, text, half, m[2]!), marker: `第${m[1]}部分` };
  m = PART_RE.exec(half) ?? PART_SPACE_RE.exec(half);
  if (m) return heading("part", m[1]!, text, half, m[2]!);
  m = TASK_RE.exec(half);
  if (m) return { kind: "task", number: Number(m[1]), rest: sliceRest(text, half, m[2]!) };
  m = PADDED_ENTRY_RE.exec(half);
  if (m) return { kind: "task", number: Number(m[1]), rest: sliceRest(text, half, m[2]!) };
  // ⒈ ⒉ ⒊ (one character each, as a scanned page's text layer prints 1. 2. 3.): numbered tasks.
  m = DOTTED_DIGIT_RE.exec(half);
  if (m) return { kind: "task", number: m[1]!.codePointAt(0)! - 0x2487, rest: sliceRest(text, half, m[2]!) };
  m = TASK_YEAR_RE.exec(half);
  if (m) return { kind: "task", number: Number(m[1]), rest: sliceRest(text, half, m[2]!) };
  m = TASK_WIDE_RE.exec(text);
  if (m) return { kind: "task", number: Number(toHalfWidth(m[1]!)), rest: m[2]! };
  // 第一步：申请。 (a guide's steps): entries of the part they stand under, cited as printed (五、第三步).
  m = STEP_RE.exec(half);
  if (m) return { kind: "item", number: parseChineseNumeral(m[1]!) ?? 1, style: "step", marker: `第${m[1]}步`, rest: sliceRest(text, half, m[2]!) };
  for (const [style, re] of ITEM_PATTERNS) {
    m = re.exec(half);
    if (!m) continue;
    const number = itemNumber(m[1]!);
    const marker = half.slice(0, half.length - m[2]!.length).trim();
    return { kind: "item", number, style, marker, rest: sliceRest(text, half, m[2]!) };
  }
  return { kind: "text" };
}

/** The number of an item marker: 3 for （3）, ⑶, 3）, ③ and c. */
function itemNumber(token: string): number {
  const code = token.codePointAt(0)!;
  if (code >= 0x2460 && code <= 0x2473) return code - 0x2460 + 1;
  if (code >= 0x2474 && code <= 0x2487) return code - 0x2474 + 1;
  if (/^[a-z]$/i.test(token)) return token.toLowerCase().charCodeAt(0) - 96;
  return Number(token);
}

function heading(kind: "part" | "section" | "volume" | "chapter" | "subchapter" | "article", numeral: string, text: string, half: string, rest: string) {
  const number = parseNumberToken(numeral);
  if (number === undefined || number < 1) return { kind: "text" as const };
  return { kind, number, rest: sliceRest(text, half, rest) };
}

/** The rest of a heading line in its original characters (toHalfWidth keeps lengths). */
function sliceRest(text: string, half: string, restHalf: string): string {
  return text.slice(half.length - restHalf.length);
}

/** Whether a paragraph ends a sentence, so that the next line starts a new paragraph. */
export function endsSentence(text: string): boolean {
  // A line that ends with a whole telephone number (…（农机购置与应用补贴）：0736-2818710) is a contact entry of its own.
  return /[。！？；：!?;:…][”’」』）)\]】]*$/.test(text) || PHONE_END_RE.test(text);
}

/** A telephone number as printed, whole (0736-2818710, 13912345678, 400-888-1234): a source for the patterns that look for one. */
const PHONE_NUMBER = String.raw`(?<!\d)(?:\d{3,4}-\d{7,8}|1[3-9]\d{9}|400-?\d{3}-?\d{4})(?!\d)`;

/** Whether a line holds a telephone number (a contact line, never page furniture). */
export function holdsPhoneNumber(text: string): boolean {
  return PHONE_LINE_RE.test(text);
}
const PHONE_LINE_RE = new RegExp(PHONE_NUMBER);
const PHONE_END_RE = new RegExp(String.raw`[：:]\s*${PHONE_NUMBER}[）)]?$`);

/** Whether two pieces of text should be joined without a space (Chinese on either side). */
export function joinsTight(left: string, right: string): boolean {
  return !(/[A-Za-z0-9]$/.test(left) && /^[A-Za-z0-9]/.test(right));
}

/** Parses a printed date (2026年2月5日, 二〇二六年二月五日) into YYYY-MM-DD. */
export function parseDate(text: string): string | null {
  const m = DATE_RE.exec(toHalfWidth(text).replace(/\s+/g, ""));
  if (m) m[1] = m[1]!.replace(new RegExp(`[${ZERO_LOOKALIKES}]`, "g"), "〇");
  if (!m) return null;
  const num = (s: string) => (/^\d+$/.test(s) ? Number(s) : parseChineseNumeral(s));
  const [y, mo, d] = [num(m[1]!), num(m[2]!), num(m[3]!)];
  if (!y || !mo || !d || mo > 12 || d > 31) return null;
  return `${y}-${String(mo).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}
