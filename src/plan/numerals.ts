/**
 * Chinese numerals as used in policy documents: numbering (一 … 九十九, 〇/零),
 * and quantities inside targets (七十八, 一千五百三十, 两万).
 */

const DIGITS: Record<string, number> = {
  〇: 0, 零: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9,
  壹: 1, 贰: 2, 叁: 3, 肆: 4, 伍: 5, 陆: 6, 柒: 7, 捌: 8, 玖: 9,
};
const SMALL_UNITS: Record<string, number> = { 十: 10, 拾: 10, 百: 100, 佰: 100, 千: 1000, 仟: 1000 };
const BIG_UNITS: Record<string, number> = { 万: 1e4, 亿: 1e8 };

/** Characters that can make up a Chinese numeral. */
export const CHINESE_NUMERAL_CHARS = "〇零一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟";
const NUMERAL_RE = new RegExp(`^[${CHINESE_NUMERAL_CHARS}]+$`);

/**
 * Parses a Chinese numeral into a number; returns undefined when the text is not one.
 * @example parseChineseNumeral("二十三") // 23
 */
export function parseChineseNumeral(text: string): number | undefined {
  if (!text || !NUMERAL_RE.test(text)) return undefined;
  // Positional digits only (二〇二六): read digit by digit.
  if ([...text].every((c) => c in DIGITS)) {
    if (text.length === 1) return DIGITS[text];
    return Number([...text].map((c) => DIGITS[c]).join(""));
  }
  let total = 0;
  let section = 0;
  let digit: number | undefined;
  for (const c of text) {
    if (c in DIGITS) {
      digit = DIGITS[c]!;
    } else if (c in SMALL_UNITS) {
      section += (digit ?? 1) * SMALL_UNITS[c]!;
      digit = undefined;
    } else if (c in BIG_UNITS) {
      section += digit ?? 0;
      total += (section === 0 ? 1 : section) * BIG_UNITS[c]!;
      section = 0;
      digit = undefined;
    }
  }
  return total + section + (digit ?? 0);
}

/** Parses "23", "２３" or "二十三" into 23; undefined for anything else. */
export function parseNumberToken(text: string): number | undefined {
  const t = toHalfWidth(text.trim());
  if (/^\d+$/.test(t)) return Number(t);
  return parseChineseNumeral(t);
}

const CN = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

/**
 * Formats 1–999 the way documents number their parts, sections and articles.
 * @example toChineseNumeral(14) // "十四"; toChineseNumeral(105) // "一百零五"
 */
export function toChineseNumeral(n: number): string {
  if (Number.isInteger(n) && n >= 100 && n <= 999) {
    const rest = n % 100;
    const tail = rest === 0 ? "" : rest < 10 ? `零${CN[rest]}` : rest < 20 ? `一${toChineseNumeral(rest)}` : toChineseNumeral(rest);
    return `${CN[Math.floor(n / 100)]}百${tail}`;
  }
  if (!Number.isInteger(n) || n < 0 || n > 99) return String(n);
  if (n < 10) return CN[n]!;
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? "" : CN[tens]}十${ones === 0 ? "" : CN[ones]}`;
}

/** Full-width ASCII (Ｎ０-９（）．、 etc.) to half-width; the ideographic space to a space. */
export function toHalfWidth(text: string): string {
  return text
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, " ");
}
