import { parseChineseNumeral } from "../plan/numerals.js";
import type { Unit } from "../plan/types.js";

/**
 * Quantities stated in a text (an LLM's sentence or a unit of the plan), read the same way on both
 * sides so that they can be compared: the number, its measure word, how firm it is, and the words
 * around it that say what it measures.
 */
export interface StatedQuantity {
  /** The number at absolute scale (78万亩 → 780000); undefined when it cannot be read (上万亩). */
  value: number | undefined;
  /** The canonical measure word without its multiplier (亩, %, 人, 年); "" for a bare number. */
  measure: string;
  /** up: 以上/超过/不少于…, down: 以下/以内/不超过…, about: 左右/约, "" when unstated. */
  direction: "up" | "down" | "about" | "";
  /** What the quantity measures: the words of its clause around it, other quantities left out. */
  context: string;
  /** As written. */
  raw: string;
}

const CN = "〇零一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟";
/** Measure words; longest first so that 平方公里 wins over 公里 and 个百分点 over 个. */
const MEASURES = [
  "个百分点", "百分点", "平方公里", "平方米", "立方米", "千瓦时", "千瓦", "公顷", "公里", "千米", "人次", "小时", "分钟",
  "%", "‰", "亩", "人", "名", "个", "家", "条", "米", "项", "宗", "吨", "斤", "头", "只", "元", "座", "所", "张", "台",
  "套", "处", "户", "件", "辆", "艘", "棵", "株", "倍", "年", "月", "日", "天", "岁", "次", "批", "级", "期", "届", "位", "间",
  "份", "本", "部", "支", "片", "块", "栋", "层", "床", "辆", "架", "公斤", "千克", "克", "升",
];
const SAME_MEASURE: Record<string, string> = { 名: "人", 位: "人", 千米: "公里", 千克: "公斤", 百分点: "个百分点" };
const MULTIPLIER: Record<string, number> = { 万亿: 1e12, 亿: 1e8, 千万: 1e7, 百万: 1e6, 万: 1e4, 千: 1e3, 百: 100 };
const MEASURE_SRC = MEASURES.map((m) => m.replace(/[%‰]/g, "\\$&")).join("|");
/** An Arabic number, its multiplier, measure word and the words that qualify it. */
const ARABIC_RE = new RegExp(`(超过|超|突破|不少于|不低于|不超过|不高于|低于|高于|至少|最多|约|近)?(\\d+(?:[.,]\\d+)*)\\s*(余|多)?(万亿|亿|千万|百万|万|千|百)?(余|多)?(${MEASURE_SRC})?(以上|以下|以内|之内|左右|上下|多|余)?`, "g");
/** A Chinese-numeral quantity needs a measure word (七十八万亩); 千万工程 and 一体化 are not quantities. */
const CHINESE_RE = new RegExp(`(超过|超|突破|不少于|不低于|不超过|不高于|低于|高于|至少|最多|约|近)?(第)?(百分之[${CN}点]+|[${CN}]+(?:点[${CN}]+)?)(余|多)?(${MEASURE_SRC})(以上|以下|以内|之内|左右|上下)?`, "g");
/** "One" as an article (一个重要任务, 一批项目): not a figure. */
const ARTICLE_RE = /^一(个|项|条|批|次|件|套|位|名|所|处|支|部|片|张|本|份)$/;
/** Quantities that cannot be read as a number (上万亩, 数百人, 成千上万): they must be in the unit as written. */
export const VAGUE_RE = new RegExp(`(?:上|数|几|近|逾|成)[十百千万亿](?:[${CN}]*)(?:余|多)?(?:${MEASURE_SRC})?|[十百千万亿](?:余|多)(?:${MEASURE_SRC})|成千上万|千千万万|若干`, "g");
const CLAUSE_END = /[，,；;。！？!?\n]/;

/** Any decimal digit of any script (٩, ९, ๙, 𝟗, ９) as an ASCII digit; the same length is not kept. */
export function foldDigits(text: string): string {
  return text.replace(/\p{Nd}/gu, (c) => {
    const cp = c.codePointAt(0)!;
    let start = cp;
    // Decimal digits come in runs of ten starting at zero; a block may hold several runs (𝟎…𝟿).
    while (start > 0 && /\p{Nd}/u.test(String.fromCodePoint(start - 1))) start--;
    return String((cp - start) % 10);
  });
}

const EN_SMALL: Record<string, number> = {
  zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12,
  thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19, twenty: 20, thirty: 30,
  forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90, dozen: 12, half: 0.5,
};
const EN_BIG: Record<string, number> = { hundred: 100, thousand: 1e3, million: 1e6, billion: 1e9, trillion: 1e12, lakh: 1e5, crore: 1e7 };
const EN_WORD = `(?:${[...Object.keys(EN_SMALL), ...Object.keys(EN_BIG)].join("|")})s?`;
const EN_NUMBER_RE = new RegExp(`\\b${EN_WORD}(?:[\\s-]+(?:and[\\s-]+)?${EN_WORD})*\\b`, "gi");

/** Spelled-out English numbers as digits (ninety-nine thousand → 99000), so that they are checked as figures. */
export function spelledNumbersToDigits(text: string): string {
  return text.replace(EN_NUMBER_RE, (m) => {
    let total = 0;
    let current = 0;
    for (const w of m.toLowerCase().split(/[\s-]+/).filter((x) => x !== "and").map((x) => x.replace(/s$/, ""))) {
      if (w in EN_SMALL) current += EN_SMALL[w]!;
      else if (w === "hundred") current = (current || 1) * 100;
      else {
        total += (current || 1) * EN_BIG[w]!;
        current = 0;
      }
    }
    return String(total + current);
  });
}

function direction(pre: string | undefined, post: string | undefined, approx: string | undefined): StatedQuantity["direction"] {
  const p = post ?? "";
  const q = pre ?? "";
  if (/以上|多|余/.test(p) || /超|突破|不少于|不低于|高于|至少/.test(q) || approx) return "up";
  if (/以下|以内|之内/.test(p) || /不超过|不高于|低于|最多/.test(q)) return "down";
  if (/左右|上下/.test(p) || /约|近/.test(q)) return "about";
  return "";
}

const canonical = (measure: string) => SAME_MEASURE[measure] ?? measure;

/**
 * The quantities a text states, in order. Ordinals (第四次) and articles (一个) are left out; the
 * text should be normalised (half-width) and have its digits folded first.
 * @example statedQuantities("新建和改造提升高标准农田78万亩") // [{ value: 780000, measure: "亩", context: "新建和改造提升高标准农田", … }]
 */
export function statedQuantities(text: string): StatedQuantity[] {
  const found: Array<StatedQuantity & { start: number; end: number }> = [];
  for (const m of text.matchAll(ARABIC_RE)) {
    const [raw, pre, digits, approx1, mult, approx2, measure, post] = m;
    // A digit inside a word (5G, 2.0版) or a label (第5项) is read all the same: it must be supported too.
    const n = Number(digits!.replace(/,(?=\d{3}\b)/g, ""));
    const value = Number.isFinite(n) ? n * (mult ? MULTIPLIER[mult]! : 1) : undefined;
    found.push({ value, measure: canonical(measure ?? ""), direction: direction(pre, post, approx1 ?? approx2), context: "", raw, start: m.index, end: m.index + raw.length });
  }
  for (const m of text.matchAll(CHINESE_RE)) {
    const [raw, pre, ordinal, numeral, approx, measure, post] = m;
    if (ordinal || ARTICLE_RE.test(`${numeral}${measure}`)) continue;
    if (found.some((f) => m.index < f.end && f.start < m.index + raw.length)) continue;
    const percent = numeral!.startsWith("百分之");
    const [int, frac] = numeral!.replace(/^百分之/, "").split("点");
    const whole = parseChineseNumeral(int!);
    const fraction = frac ? Number(`0.${[...frac].map((c) => parseChineseNumeral(c) ?? "x").join("")}`) : 0;
    const value = whole === undefined || Number.isNaN(fraction) ? undefined : whole + fraction;
    found.push({ value, measure: percent ? "%" : canonical(measure!), direction: direction(pre, post, approx), context: "", raw, start: m.index, end: m.index + raw.length });
  }
  found.sort((a, b) => a.start - b.start);
  // 980万亩、1950万吨以上: a direction after the last item of a list holds for every item.
  for (let i = found.length - 2; i >= 0; i--) {
    const q = found[i]!;
    const next = found[i + 1]!;
    if (!q.direction && next.direction && /^[\s和、及与]{0,2}$/.test(text.slice(q.end, next.start))) q.direction = next.direction;
  }
  // A bare number inside a name (5G基站, 1+3帮扶机制) does not cut a clause into two figures' contexts.
  const bounds = found.filter((q) => q.measure || /[万亿千百]/.test(q.raw));
  return found.map((q) => ({ value: q.value, measure: q.measure, direction: q.direction, raw: q.raw, context: contextOf(text, bounds.includes(q) ? bounds : [...bounds, q].sort((a, b) => a.start - b.start), q) }));
}

/**
 * The words that say what quantity i measures: from the previous quantity (or the clause start) to
 * it, and on to the clause end when nothing else follows. Items joined only by 和/、/及 share the
 * words before the first (面积、产量分别稳定在1530万亩以上和125亿斤以上).
 */
function contextOf(text: string, qs: Array<{ start: number; end: number }>, q: { start: number; end: number }): string {
  const i = qs.indexOf(q);
  let clauseStart = q.start;
  while (clauseStart > 0 && !CLAUSE_END.test(text[clauseStart - 1]!)) clauseStart--;
  let clauseEnd = q.end;
  while (clauseEnd < text.length && !CLAUSE_END.test(text[clauseEnd]!)) clauseEnd++;
  let from = clauseStart;
  for (let j = i - 1; j >= 0; j--) {
    const prev = qs[j]!;
    if (prev.end <= clauseStart) break;
    const between = text.slice(prev.end, j === i - 1 ? q.start : qs[j + 1]!.start);
    if (j === i - 1 && !/^[\s和、及与,，]{0,2}$/.test(between)) {
      from = prev.end;
      break;
    }
    if (j < i - 1 && !/^[\s和、及与]{0,2}$/.test(between)) {
      from = prev.end;
      break;
    }
  }
  const next = qs[i + 1];
  const to = next && next.start < clauseEnd ? next.start : clauseEnd;
  const before = text.slice(from, q.start);
  const after = text.slice(q.end, to);
  // A list item runs on to the next 、 (…“头雁”2000人、农创客4000人): only its own words follow it.
  return `${before} ${after.split(/[、和及]/)[0]}`;
}

/**
 * The quantities a unit states. One seam, so that the targets helper's reader can replace it.
 * @example unitQuantities(task5).find((q) => q.value === 780000)?.context // "…新建和改造提升高标准农田"
 */
export function unitQuantities(unit: Unit, normalize: (t: string) => string): StatedQuantity[] {
  return statedQuantities(foldDigits(normalize(unit.text)));
}
