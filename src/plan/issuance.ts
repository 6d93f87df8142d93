import { isDocNumber, RELEASE_RE } from "./frontmatter.js";
import { DATE_RE, isHeadingLine, parseDate, type Line } from "./lines.js";
import { toHalfWidth } from "./numerals.js";
import { GENRE_ALT } from "./genres.js";

/**
 * A document's own issuing marks when no issuing notice wraps it (a 意见 printed as it was issued):
 * the title, whose lead before 关于 names the issuers, a 文号 above or below it, the recipients line,
 * and at the end the signature, the date and a （此件公开发布） note.
 */
export interface Issuance {
  /** The red header above the 文号 and title: 某省人民政府办公厅文件. */
  header?: Line;
  /** The title's lines (a title may run over two or more lines). */
  titleLines: Line[];
  /** Issuers named before 关于 in the title, as printed there (国家发展改革委 国家能源局 → two). */
  titleIssuers: string[];
  docNumber?: Line;
  recipients?: Line;
  /** Issuer lines right above the closing date, as printed (two issuers may share a line). */
  signature: Line[];
  /** The closing date line. */
  date?: Line;
  /** A date printed under the title, often in brackets: （2024年1月1日）. */
  titleDate?: Line;
  release?: Line;
  /** Further notes under the date: （信息公开形式：主动公开）, （联系人：…）. */
  notes?: Line[];
  /** The list of attachments under the text (附件：1．重点任务分工表  2．…). */
  attachments?: Line[];
}

/** How an organ's name ends: 国家发展改革委, 国家能源局, 住房城乡建设部, 国务院办公厅, 某省人民政府, 中国人民银行. */
const ORGAN_END_RE = /(?:委员会|人民政府|政府|办公厅|办公室|国务院|中央|部门|委|局|部|厅|署|院|行|会|办|室|处|中心|公司|集团|总队|支队|大队|社|团)$/;
/** Where a second organ starts when two are printed without a space: 国家发展改革委|国家能源局, 宁波市卫生健康委员会|宁波市教育局. */
const ORGAN_START = "(?:国家|国务院|中共|中央|中国|全国|最高人民|[\\u4e00-\\u9fff]{2,3}(?:省|市|县|区)(?![场区域级内外]))";
const SPLIT_ORGANS_RE = new RegExp(`(?<=(?:委|局|部|厅|署|办公室|人民政府|委员会|银行))(?=${ORGAN_START})`, "g");
/** Sentence punctuation: a line holding any of it is running text, not a title, signature or recipients line. */
const SENTENCE_RE = /[。；;！？!?，,：:]/;
/** A kind of policy document ending a title: …实施意见, …行动方案 (a period in brackets may follow). */
const TITLE_KIND_RE = new RegExp(`(?:${GENRE_ALT}|规则|清单|政策)(?:[(（][^()（）]{0,16}[)）])?$`);
/** The colophon (版记) under a printed document: 抄送 lines, "…秘书局 2019年1月17日印发" (the date in figures or in words), 共印N份. */
const COLOPHON_RE = /^抄送[:：]|(?:\d{4}|[〇○零一二三四五六七八九]{4})年[\d〇零一二三四五六七八九十]{1,3}月[\d〇零一二三四五六七八九十]{1,3}日印发$|^[(（]共印\d+份[)）]$/;
/** A line of a 抄送 list carried over: names separated by ，、 and a closing 。 (省法院，省检察院。). */
const NAME_LIST_RE = /^(?:[^，,、。；;：:！？!?\s]{2,24}[，,、]\s*)*[^，,、。；;：:！？!?\s]{2,24}[，,、。]?$/;
/** A 抄送 list runs over at most this many further lines. */
const MAX_CARRIED_LINES = 4;
/** A rule printed around the colophon: ————, ______. */
const RULE_RE = /^[-—–－_＿=＝─━\s]{3,}$/;
/** The red header of a printed document: 某省人民政府办公厅文件. */
const RED_HEADER_RE = /^[\u4e00-\u9fff\s]{2,30}文件$/;
/** The line a 意见 is addressed to: 各省、自治区、直辖市人民政府，国务院各部委、各直属机构： */
const RECIPIENT_END_RE = /(?:人民政府|政府|部门|单位|机构|部委|委|局|厅|部|院|会|区|市|县|州|团|企业|学校|高校)$/;
/** At most this many content lines (title, 文号) come before the title is found. */
const MAX_HEAD_LINES = 4;
const MAX_TITLE_LINES = 4;
const MAX_TITLE_CHARS = 120;
/** A period printed under a title: （2021—2023年）. */
const TITLE_PERIOD_RE = /^[(（](?:[^()（）]{0,16}\d{4}[^()（）]{0,16}|试行|暂行|征求意见稿|送审稿|修订稿|讨论稿|草案|修订)[)）]$/;
/** A joint document may list each of its issuers on a line of its own. */
const MAX_SIGNATURE_LINES = 8;
/** Short lines without punctuation under the date (slogans, colophon) that may follow the closing. */
const MAX_TRAILER_LINES = 8;

const compact = (s: string) => s.replace(/\s+/g, "");
/** A blank line or a page number (a PDF copy prints one wherever its pages break). */
const isGap = (l: Line) => l.kind === "blank" || l.kind === "page-number";

/** Whether a line is the colophon (版记) printed under a document. */
export function isColophon(text: string): boolean {
  return COLOPHON_RE.test(compact(text));
}

/** 某县人民政府　　2026年5月6日: the signer and the date printed on one line. */
const SIGNED_DATE_RE = new RegExp(`^(\\S.{1,39}?)\\s+(${DATE_RE.source.slice(1, -1)})$`);

/**
 * Marks a line holding the signer and the date (某县人民政府　　2026年5月6日) as the date line, with the
 * date as its rest and the signer as its marker, when everything before the date is organs.
 */
export function markSignedDates(lines: Line[]): void {
  for (const l of lines) {
    if (l.kind !== "text") continue;
    const m = SIGNED_DATE_RE.exec(toHalfWidth(l.text).trim());
    if (!m || SENTENCE_RE.test(m[1]!) || !splitOrgans(m[1]!).every(isOrgan)) continue;
    l.kind = "date";
    l.marker = l.text.slice(0, m[1]!.length).trim();
    l.rest = l.text.slice(l.text.length - m[2]!.length);
  }
}

/** Whether a line is only a rule (————) such as a printed document draws around its colophon. */
export function isRule(text: string): boolean {
  return RULE_RE.test(text);
}

/**
 * Where the colophon (版记) at the very end of a printed document starts: a 抄送 line whose list may
 * run over further lines, the 印发 line (某省人民政府办公厅  2026年11月5日印发), 共印N份 and rules
 * around them. Undefined when the document does not end with one.
 * @example colophonStart(lines) // index of "抄送：省委各部门，…，"
 */
export function colophonStart(lines: Line[], end = lines.length): number | undefined {
  let start: number | undefined;
  let carried = 0;
  for (let i = end - 1; i >= 0; i--) {
    const l = lines[i]!;
    if (l.kind === "blank" || l.kind === "page-number" || isRule(l.text)) continue;
    const t = compact(l.text);
    if (/^抄送[:：]/.test(t)) return i;
    if (isColophon(l.text)) {
      start = i;
      continue;
    }
    // The 抄送 list carried over to the next lines belongs to it: organs only, between 抄送 and the 印发 line or the end.
    if (l.kind === "text" && ++carried <= MAX_CARRIED_LINES && t.length <= 80 && NAME_LIST_RE.test(t)) {
      const names = t.replace(/[。]$/, "").split(/[，,、]/);
      if (names.filter(isOrgan).length * 2 >= names.length) continue;
    }
    break;
  }
  return start;
}

/** Whether a name ends like an organ (委, 局, 部, 办公厅, 人民政府, 国务院…). */
export function isOrgan(name: string): boolean {
  const n = compact(name);
  return n.length >= 2 && n.length <= 30 && !/\d/.test(n) && ORGAN_END_RE.test(n);
}

/** Organs named in a run of text, split at spaces and where a second organ starts (国家发展改革委国家能源局). */
export function splitOrgans(text: string): string[] {
  return text.trim().split(/\s+/).flatMap((s) => s.split(SPLIT_ORGANS_RE)).filter(Boolean);
}

/** The issuers a title names before 关于 (国务院关于…, 国家发展改革委 国家能源局关于…), or none. */
export function titleLead(title: string): { lead: string; issuers: string[] } | undefined {
  const m = /^(.{2,160}?)关于/.exec(title.trim());
  if (!m) return undefined;
  const issuers = splitOrgans(m[1]!);
  return issuers.length && issuers.every(isOrgan) ? { lead: m[1]!, issuers } : undefined;
}

/**
 * Finds the issuing marks a document without an issuing notice prints itself: a title naming its
 * issuers, a 文号, recipients and, closing the body, the signature and date. Undefined when it prints
 * none of the issuers, 文号 or date (a plan that is just a title and its text).
 * @example findIssuance(lines)?.docNumber?.text // "发改能源规〔2027〕318号"
 */
export function findIssuance(lines: Line[], skip: ReadonlySet<number> = new Set()): Issuance | undefined {
  const first = lines.findIndex((l) => isHeadingLine(l));
  if (first < 0) return undefined;
  let head = lines.slice(0, first).filter((l) => l.kind !== "blank" && l.kind !== "page-number" && !skip.has(l.no)).slice(0, MAX_HEAD_LINES + MAX_TITLE_LINES);
  const issuance: Issuance = { titleLines: [], titleIssuers: [], signature: [] };
  // 某省人民政府办公厅文件 above the 文号 and title names the issuer, not the plan.
  if (head[0] && RED_HEADER_RE.test(head[0].text.trim()) && head.length > 1) {
    issuance.header = head[0];
    head = head.slice(1);
  }
  const numberAt = head.findIndex((l, i) => i < MAX_HEAD_LINES && isDocNumber(l.text));
  if (numberAt >= 0) issuance.docNumber = head[numberAt];
  let after = numberAt;
  for (let h = 0; h < MAX_HEAD_LINES && h < head.length; h++) {
    const run = titleRun(lines, head[h]!, first);
    if (!run.length) continue;
    issuance.titleLines = run;
    issuance.titleIssuers = titleLead(run.map((l) => l.text).join(""))?.issuers ?? [];
    after = Math.max(after, h + run.length - 1);
    break;
  }
  // （2024年1月1日） under the title is the date of issue (中共中央 国务院 documents as published).
  const dated = head[after + 1];
  if (after >= 0 && dated && isDateLine(dated)) {
    issuance.titleDate = dated;
    after++;
  }
  // 各省、自治区…： is printed right under the title and 文号, before the text.
  const addressed = head[after + 1];
  if (after >= 0 && addressed && isRecipients(addressed.text)) issuance.recipients = addressed;
  readClosing(lines, first, issuance, skip);
  const marked = issuance.titleIssuers.length || issuance.docNumber || issuance.date || issuance.titleDate;
  return marked ? issuance : undefined;
}

/** The title's lines starting at a line: consecutive lines without sentence punctuation that together end in a kind of document. */
function titleRun(lines: Line[], start: Line, end: number): Line[] {
  const i = lines.indexOf(start);
  let joined = "";
  for (let j = i, n = 0; j < end && n < MAX_TITLE_LINES; j++, n++) {
    // A double-spaced copy splits a title begun with 关于 by single blank lines.
    if (n > 0 && isGap(lines[j]!) && /关于/.test(joined)) {
      let k = j;
      while (k < end && k < j + 3 && isGap(lines[k]!)) k++;
      if (k < end && lines[k]!.kind === "text") j = k;
    }
    const l = lines[j]!;
    const titled = l.kind === "text" && !SENTENCE_RE.test(l.text) && !/^[(（]/.test(l.text) && !isDocNumber(l.text);
    if (!(titled || (j > i && TITLE_PERIOD_RE.test(l.text)))) return [];
    joined += compact(l.text);
    if (joined.length > MAX_TITLE_CHARS) return [];
    if (TITLE_KIND_RE.test(toHalfWidth(joined))) {
      // …管理办法 / （试行）: a status or period printed on the line below belongs to the title (a date there does not).
      let at = j + 1;
      while (at < end && at < j + 4 && isGap(lines[at]!)) at++;
      const below = lines[at];
      const noted = below && at < end && TITLE_PERIOD_RE.test(below.text) && !isDateLine(below);
      return lines.slice(i, noted ? at + 1 : j + 1).filter((x) => !isGap(x));
    }
  }
  return [];
}

/** Whether a line is only a date, bare or in brackets: 2024年1月1日, （2024年1月1日）. */
function isDateLine(l: Line): boolean {
  return l.kind === "date" || (/^[(（].*[)）]$/.test(l.text) && parseDate(l.text.slice(1, -1)) !== null);
}

/** Whether a line is a recipients line: organs and places separated by 、 and ，, ending in ：. */
function isRecipients(text: string): boolean {
  const t = toHalfWidth(compact(text));
  if (!/:$/.test(t) || /[。;!?]/.test(t) || t.length > 150 || /以下|如下/.test(t)) return false;
  const pieces = t.slice(0, -1).split(/[,、]/);
  return pieces.every((p) => p.length >= 1 && p.length <= 20) && RECIPIENT_END_RE.test(pieces.at(-1)!);
}

/**
 * The closing under the body (before any 附件): a date line, the signature lines right above it and
 * a release note right below it; only slogans and a colophon may follow before the annexes or the end.
 */
function readClosing(lines: Line[], first: number, issuance: Issuance, skip: ReadonlySet<number>): void {
  let end = lines.findIndex((l, i) => i > first && l.kind === "annex");
  if (end < 0) end = lines.length;
  let trailer = 0;
  let dateAt = -1;
  let below: Line | undefined;
  for (let i = end - 1; i > first; i--) {
    const l = lines[i]!;
    // The list of attachments may be printed under the date as well as above the signature.
    if (l.kind === "blank" || l.kind === "page-number" || l.attachments || skip.has(l.no)) continue;
    if (l.kind === "date") {
      dateAt = i;
      break;
    }
    const loose = l.kind === "text" && l.text.length <= 40 && !SENTENCE_RE.test(l.text);
    if (!(loose || isColophon(l.text) || RELEASE_RE.test(toHalfWidth(l.text))) || ++trailer > MAX_TRAILER_LINES) return;
    if (isDocNumber(l.text)) below = l;
  }
  if (dateAt < 0) return;
  issuance.date = lines[dateAt]!;
  const notes: Line[] = [];
  for (const l of lines.slice(dateAt + 1, end)) {
    if (l.kind === "blank" || l.kind === "page-number" || l.attachments) continue;
    if (!RELEASE_RE.test(toHalfWidth(l.text))) break;
    notes.push(l);
  }
  if (notes.length) [issuance.release, issuance.notes] = [notes[0], notes.slice(1)];
  for (let i = dateAt - 1; i > first && issuance.signature.length < MAX_SIGNATURE_LINES; i--) {
    const l = lines[i]!;
    if (l.kind === "blank" || l.kind === "page-number") continue;
    if (l.kind !== "text" || l.attachments || SENTENCE_RE.test(l.text) || l.text.length > 40 || !splitOrgans(l.text).every(isOrgan)) break;
    issuance.signature.unshift(l);
  }
  // A 文号 printed at the end instead of under the title: right under the date or right above the signature.
  const top = lines.slice(first + 1, lines.indexOf(issuance.signature[0] ?? issuance.date)).findLast((l) => l.kind !== "blank" && l.kind !== "page-number");
  issuance.docNumber ??= below ?? (top && isDocNumber(top.text) ? top : undefined);
}

/** Every line of the issuing marks taken out of the text flow (the title stays: it heads the preamble). */
export function issuanceLines(issuance: Issuance): Line[] {
  const { header, docNumber, titleDate, recipients, attachments = [], signature, date, release, notes = [] } = issuance;
  return [header, docNumber, titleDate, recipients, ...attachments, ...signature, date, release, ...notes].filter((l): l is Line => l !== undefined).sort((a, b) => a.no - b.no);
}
