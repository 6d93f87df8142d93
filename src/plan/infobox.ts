import { isHeadingLine, parseDate, type Line } from "./lines.js";
import { toHalfWidth } from "./numerals.js";

/**
 * The box a government site prints above a policy document (索引号, 主题分类, 发文机关, 成文日期,
 * 标题, 发文字号, 发布日期): page chrome for the text, and facts about the document where the text
 * itself carries none.
 */
export interface InfoBox {
  lines: Line[];
  title?: string;
  issuers: string[];
  docNumber?: string;
  /** 成文日期 as YYYY-MM-DD, and as printed. */
  date?: string;
  dateText?: string;
}

/** 索 引 号：…, 主题分类：…, 发文机关：…, 成文日期：…, 标　　题：…, 发文字号：…, 发布日期：… (spaces inside the key allowed). */
const KEY_RE = /^(索引号|主题分类|主题词|体裁分类|发文机关|发布机构|成文日期|成文时间|发布日期|发布时间|生成日期|实施日期|标题|名称|发文字号|文号|有效性|时效性|信息来源|来源|公开方式|公开范围|所属主题|分类)[:：]\s*(.*)$/;
/** A box has at least this many lines. */
const MIN_BOX_LINES = 2;

/** The key and value of a box line, or undefined when the line is not one. */
function entry(l: Line): { key: string; value: string } | undefined {
  if (l.kind !== "text") return undefined;
  const half = toHalfWidth(l.text).trim();
  // The key may be spread with spaces (索 引 号, 标　　题); the value keeps its own.
  const colon = half.search(/[:：]/);
  if (colon < 0 || colon > 12) return undefined;
  const m = KEY_RE.exec(`${half.slice(0, colon).replace(/\s+/g, "")}${half.slice(colon)}`);
  return m ? { key: m[1]!, value: l.text.trim().slice(l.text.trim().length - m[2]!.length).trim() } : undefined;
}

/** 2026年03月09日, 2026-03-09, 2026/3/9 → 2026-03-09. */
function isoDate(text: string): string | null {
  const iso = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(toHalfWidth(text).trim());
  if (iso) return `${iso[1]}-${iso[2]!.padStart(2, "0")}-${iso[3]!.padStart(2, "0")}`;
  return parseDate(text);
}

/**
 * Finds the site's box of document facts above the text (before the first heading): a run of at least
 * two key–value lines such as 发文字号：国办发〔2019〕2号.
 * @example readInfoBox(lines)?.docNumber // "澄政办发〔2026〕17号"
 */
export function readInfoBox(lines: Line[]): InfoBox | undefined {
  const first = lines.findIndex((l) => isHeadingLine(l) && l.kind !== "annex");
  const head = first < 0 ? lines : lines.slice(0, first);
  let best: Line[] = [];
  for (let i = 0; i < head.length; i++) {
    const run: Line[] = [];
    let j = i;
    for (; j < head.length && (entry(head[j]!) || head[j]!.kind === "blank"); j++) if (head[j]!.kind !== "blank") run.push(head[j]!);
    if (run.length > best.length) best = run;
    i = Math.max(i, j - 1);
  }
  if (best.length < MIN_BOX_LINES) return undefined;
  const box: InfoBox = { lines: best, issuers: [] };
  for (const l of best) {
    const { key, value } = entry(l)!;
    if (!value) continue;
    if (key === "标题" || key === "名称") box.title ??= value;
    else if (key === "发文机关" || key === "发布机构") box.issuers = value.split(/[\s、，,；;]+/).filter(Boolean);
    else if (key === "发文字号" || key === "文号") box.docNumber ??= value.replace(/\s+/g, "");
    else if (key === "成文日期" || key === "成文时间") {
      const date = isoDate(value);
      if (date) [box.date, box.dateText] = [date, value];
    }
  }
  return box;
}
