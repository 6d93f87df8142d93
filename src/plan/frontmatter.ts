import { toHalfWidth } from "./numerals.js";
import { isHeadingLine, type Line } from "./lines.js";

/** An issuing notice (印发…的通知) and its parts, as found in the text. */
export interface Notice {
  /** Every non-blank line of the notice, in order. */
  lines: Line[];
  /** The lines of the notice title (a gov.cn title runs over two or more lines). */
  titleLines: Line[];
  /** The title joined over its lines, without a trailing 文号 in brackets. */
  title: string;
  /** 国办发〔2018〕128号, as printed; null when the notice carries none. */
  docNumber: string | null;
  recipients: Line[];
  /** The notice's own sentences (between the recipients and the signature). */
  body: Line[];
  signature: Line[];
  date?: Line;
  /** （此件公开发布） and the like. */
  release?: Line;
}

/** Sentence punctuation: a line holding any of it is running text, not a title or a signature. */
const SENTENCE_RE = /[。；;：:！？!?，,]/;
/** A notice title once its lines are joined: 国务院办公厅关于印发…的通知. */
const NOTICE_TITLE_RE = /(印发|转发|颁发|发布)[\s\S]*通知$/;
/** The head of an order or announcement that promulgates a regulation: 芜湖市人民政府令, 青湖市人民代表大会常务委员会公告. */
const ORDER_TITLE_RE = /^[\u4e00-\u9fff]{2,30}?(?:(?:人民政府|政府|办公厅|委员会)令|常务委员会公告)$/;
/** The order's number on the line under its head: 第47号, 第十二号, （第12号）. */
const ORDER_NUMBER_RE = /^[(（]?第\s*(?:\d{1,4}|[一二三四五六七八九十百零〇]{1,6})\s*号[)）]?$/;
/** The sentence that hands the plan over, which confirms that a title is an issuing notice. */
const HANDOVER_RE = /(印发|转发)给你们|现(将|印发|转发)|现予(公布|发布|印发)|请(认真|结合|遵照|抓好|切实)|贯彻(执行|落实)|遵照执行|组织实施|已经.{0,10}同意/;
/** 国办发〔2018〕128号, 浙政发[2026]3号, 国发（2019）4号 (matched on the half-width text). */
const DOC_NUMBER = String.raw`[\u4e00-\u9fff]{1,12}?\s*[〔\[(【]\s*\d{4}\s*[〕\])】]\s*第?\s*\d{1,5}\s*号`;
const DOC_NUMBER_RE = new RegExp(`^${DOC_NUMBER}$`);
const TITLE_DOC_NUMBER_RE = new RegExp(`\\s*[(]\\s*(${DOC_NUMBER})\\s*[)]$`);
/**
 * Notes under the date: （此件公开发布）, （此件发至县级）, （信息公开形式：主动公开）, （联系人：王明，联系电话：…）
 * (matched on the half-width text).
 */
export const RELEASE_RE = /^[(（]\s*(?:此件[^()（）]{1,16}|信息公开(?:形式|选项|方式|属性)?\s*[:：][^()（）]{1,12}|联系(?:人|单位|电话|方式)\s*[:：][^()（）]{1,80})[)）]$/;
/** At most this many notes follow the date. */
const MAX_NOTES = 3;
const MAX_TITLE_LINES = 4;
const MAX_SIGNATURE_LINES = 6;
/** How far (in lines) a notice's date may sit below its title. */
const MAX_NOTICE_LINES = 60;
/** A notice is short: at most this many non-blank lines between its title and its date. */
const MAX_NOTICE_CONTENT = 20;

/** The red header a printed notice opens with: 国务院文件, 青溪市人民政府办公室文件. */
const RED_HEADER_RE = /^[\u4e00-\u9fff\s]{2,30}文件$/;
const compact = (s: string) => s.replace(/\s+/g, "");
/** A blank line or a page number (a PDF copy prints one wherever its pages break). */
const isGap = (l: Line) => l.kind === "blank" || l.kind === "page-number";
const isHeading = (l: Line) => l.kind === "part" || l.kind === "section" || l.kind === "task";

/** Whether a line is a 文号 such as 国办发〔2018〕128号. */
export function isDocNumber(text: string): boolean {
  return DOC_NUMBER_RE.test(toHalfWidth(compact(text)));
}

/**
 * Finds the issuing notice wherever it is printed (first, inside the text or last): a title of one
 * or more lines ending in 印发…通知, an optional 文号, recipients, the notice's sentences, the
 * signature, the date and a （此件公开发布） note.
 * @example findNotice(lines)?.docNumber // "国办发〔2018〕128号"
 */
export function findNotice(lines: Line[]): { notice: Notice; from: number; to: number } | undefined {
  const body = lines.findIndex((l) => isHeadingLine(l) && l.kind !== "annex");
  for (let i = 0; i < lines.length; i++) {
    const title = titleAt(lines, i);
    if (!title) continue;
    const found = readNotice(lines, i, title);
    // Once the plan's text has begun, a line that reads like a notice title may be the text's own
    // (各区政府印发年度计划的通知, a page of a cited notice): only a whole notice, addressed to its
    // recipients and closed by its date, is the issuing notice printed inside or after the plan.
    if (found && (body < 0 || i < body || (found.notice.recipients.length > 0 && found.notice.date))) return found;
  }
  return undefined;
}

/** The end (exclusive) of a notice title starting at line i, or undefined when none starts there. */
function titleAt(lines: Line[], i: number): number | undefined {
  const first = lines[i]!;
  if (first.kind !== "text" || SENTENCE_RE.test(first.text)) return undefined;
  // The red header (青溪市人民政府办公室文件) and the 文号 printed above a title are not its lines: the title starts under them.
  if (RED_HEADER_RE.test(first.text) || isDocNumber(first.text)) return undefined;
  // A title starts a block: the line above is blank, a 文号, or nothing.
  const above = lines[i - 1];
  if (above && above.kind !== "blank" && !isDocNumber(above.text) && above.kind !== "page-number") return undefined;
  let joined = "";
  for (let j = i, n = 0; j < lines.length && n < MAX_TITLE_LINES; j++, n++) {
    // A copy printed with a blank line after every line (double-spaced) splits a title begun with 关于
    // or 印发 by single blank lines.
    if (n > 0 && isGap(lines[j]!) && /关于|印发|转发/.test(joined)) {
      const k = nextContent(lines, j, 3);
      if (k !== undefined && lines[k]!.kind === "text") j = k;
    }
    const l = lines[j]!;
    if (l.kind !== "text" || (j > i && (SENTENCE_RE.test(l.text) || isDocNumber(l.text)))) return undefined;
    joined += compact(l.text);
    if (joined.length > 200) return undefined;
    // 芜湖市人民政府令 / 第47号: an order promulgating the regulation printed under it; its head may take two lines
    // (芜湖市人民代表大会常务委员会 / 公　　告).
    if (n <= 1 && ORDER_TITLE_RE.test(joined)) return j + 1;
    if (NOTICE_TITLE_RE.test(toHalfWidth(joined).replace(TITLE_DOC_NUMBER_RE, ""))) return j + 1;
  }
  return undefined;
}

function readNotice(lines: Line[], start: number, titleEnd: number): { notice: Notice; from: number; to: number } | undefined {
  const titleLines = lines.slice(start, titleEnd).filter((l) => l.kind !== "blank");
  // Lines join tight; spaces inside a line (between two issuers) stay, one each.
  let title = titleLines.map((l) => l.text.trim().replace(/\s+/g, " ")).join("");
  // An order's head is one name, however spaced (公　　告).
  if (ORDER_TITLE_RE.test(compact(title))) title = compact(title);
  let docNumber: string | null = null;
  const inTitle = TITLE_DOC_NUMBER_RE.exec(toHalfWidth(title));
  if (inTitle) {
    docNumber = compact(title.slice(title.length - inTitle[0].length)).replace(/^[(（]|[)）]$/g, "");
    title = title.slice(0, title.length - inTitle[0].length);
  }
  let from = start;
  // A 文号 printed right above the title (red-header layout) belongs to the notice.
  const above = prevContent(lines, start, 2);
  if (above !== undefined && isDocNumber(lines[above]!.text)) {
    docNumber ??= compact(lines[above]!.text);
    from = above;
    // …and so does the red header above it (国务院文件).
    const head = prevContent(lines, above, 2);
    if (head !== undefined && RED_HEADER_RE.test(lines[head]!.text)) from = head;
  }
  let k = nextContent(lines, titleEnd, 5);
  let after = titleEnd;
  if (k !== undefined && ORDER_TITLE_RE.test(compact(title)) && ORDER_NUMBER_RE.test(toHalfWidth(compact(lines[k]!.text)))) {
    // The order's number is its 文号: 芜湖市人民政府令第47号.
    docNumber ??= compact(title) + compact(lines[k]!.text);
    after = k + 1;
    k = nextContent(lines, k + 1, 5);
  } else if (k !== undefined && isDocNumber(lines[k]!.text)) {
    docNumber ??= compact(lines[k]!.text);
    after = k + 1;
    k = nextContent(lines, k + 1, 5);
  }
  // (Past the 文号 even when many blank lines follow it.)
  const bodyStart = k ?? after;

  // The notice ends at its date (then an optional release note); without a date, at the sentence
  // that hands the plan over. Only a notice that hands a plan over is an issuing notice.
  let dateIdx: number | undefined;
  let handover: number | undefined;
  let seen = 0;
  for (let j = bodyStart; j < lines.length && j < bodyStart + MAX_NOTICE_LINES && seen < MAX_NOTICE_CONTENT; j++) {
    const l = lines[j]!;
    if (isHeading(l)) break;
    if (isGap(l)) continue;
    seen++;
    if (l.kind === "date") {
      dateIdx = j;
      break;
    }
    if (l.kind === "text" && seen <= 8 && HANDOVER_RE.test(l.text)) handover ??= j;
  }
  if (handover === undefined) return undefined;
  let to: number;
  if (dateIdx !== undefined) {
    to = dateIdx;
    for (let n = 0; n < MAX_NOTES; n++) {
      const r = nextContent(lines, to + 1, 3);
      if (r === undefined || !RELEASE_RE.test(toHalfWidth(lines[r]!.text))) break;
      to = r;
    }
  } else {
    to = handover;
  }

  // A site's line of facts under the title (发布日期：… 来源：…) is neither a recipient nor the notice's text.
  const inside = lines.slice(bodyStart, (dateIdx ?? to) + (dateIdx === undefined ? 1 : 0)).filter((l) => !isGap(l) && !isPageChrome(l.text));
  const recipients: Line[] = [];
  for (const l of inside.slice(0, 3)) {
    if (/[。！？]/.test(l.text)) break;
    recipients.push(l);
    if (/[:：]$/.test(l.text)) break;
  }
  if (!recipients.length || !/[:：]$/.test(recipients.at(-1)!.text)) recipients.length = 0;
  const rest = inside.slice(recipients.length);
  let sigStart = rest.length;
  if (dateIdx !== undefined) {
    // Signature lines: short, no sentence; a joint notice may print each of several issuers on a line of its own.
    const signs = (l: Line) => !l.attachments && !SENTENCE_RE.test(l.text) && l.text.length <= 40 && !/^\d/.test(toHalfWidth(l.text));
    while (sigStart > 0 && rest.length - sigStart < MAX_SIGNATURE_LINES && signs(rest[sigStart - 1]!)) sigStart--;
  }
  const notice: Notice = {
    lines: lines.slice(from, to + 1).filter((l) => !isGap(l)),
    titleLines,
    title,
    docNumber,
    recipients,
    body: rest.slice(0, sigStart),
    signature: rest.slice(sigStart),
    ...(dateIdx !== undefined ? { date: lines[dateIdx]! } : {}),
    // The first note under the date (the others are in the notice's lines too).
    ...(to !== dateIdx && dateIdx !== undefined ? { release: lines[nextContent(lines, dateIdx + 1, 3)!]! } : {}),
  };
  return { notice, from, to };
}

/** Index of the next non-blank line from i, looking at most `within` lines ahead. */
function nextContent(lines: Line[], i: number, within: number): number | undefined {
  for (let j = i; j < lines.length && j < i + within + 1; j++) if (!isGap(lines[j]!)) return j;
  return undefined;
}

function prevContent(lines: Line[], i: number, within: number): number | undefined {
  for (let j = i - 1; j >= 0 && j >= i - within - 1; j--) if (!isGap(lines[j]!)) return j;
  return undefined;
}

/** Whether a line can be part of a document title: short, no sentence punctuation, not a note in brackets. */
export function isTitleLike(l: Line): boolean {
  return l.kind === "text" && l.text.length <= 60 && !SENTENCE_RE.test(l.text) && !/^[(（]/.test(l.text) && !isDocNumber(l.text);
}

/** Web page chrome: 来源：…, 发布时间：…, 【我要纠错】 责任编辑：…, 扫一扫在手机打开当前页, 打印本页 关闭窗口. */
const PAGE_CHROME_RE = /^(?:[(（【]?\s*(?:来源|信息来源|发布时间|发布日期|浏览次数|访问量|字号|责任编辑|编辑|审核|校对|作者)\s*[:：]|【我要纠错】|扫一扫|打印本页|关闭窗口|分享到)/;
/**
 * A web page's lines around a document: 来源：… 发布时间：…, （责任编辑：王明）, 【打印】【关闭】, 扫一扫在手机打开当前页.
 * Only looked for before the title and after the end, and among the lines of a notice copied from a site.
 */
export function isPageChrome(text: string): boolean {
  const t = toHalfWidth(text).trim();
  return t.length <= 80 && (PAGE_CHROME_RE.test(t) || /^(?:【[^】]{1,12}】\s*)+$/.test(t) || /^[\[(（【]?\s*责任编辑\s*[:：][^。]{1,20}[\])）】]?$/.test(t));
}
