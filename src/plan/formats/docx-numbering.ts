import { type AnyNode, type Element, isTag } from "domhandler";
import { DomUtils } from "htmlparser2";
import { toChineseNumeral } from "../numerals.js";

interface Level {
  start: number;
  fmt: string;
  text: string;
  /** "tab" | "space" | "nothing": what Word prints between the label and the text. */
  suffix: string;
  legal: boolean;
}

interface Num {
  abstractId: string;
  /** Level → start value that this list instance restarts at. */
  starts: Map<number, number>;
}

/** A paragraph's numbering reference: w:numPr on the paragraph or on its style. */
export interface NumRef {
  numId: string;
  level: number;
}

const STEMS = "甲乙丙丁戊己庚辛壬癸";
const BRANCHES = "子丑寅卯辰巳午未申酉戌亥";
const LEGAL = "零壹贰叁肆伍陆柒捌玖";

/** Word's numFmt values, printed as Word prints them; a bullet or unknown format prints nothing. */
export function formatNumber(n: number, fmt: string): string {
  switch (fmt) {
    case "decimal": return String(n);
    case "decimalZero": return String(n).padStart(2, "0");
    case "decimalFullWidth": case "decimalFullWidth2": return String(n).replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));
    case "chineseCounting": case "chineseCountingThousand": case "taiwaneseCounting": case "taiwaneseCountingThousand": case "japaneseCounting": case "koreanCounting":
      return toChineseNumeral(n);
    case "chineseLegalSimplified": return n < 10 ? LEGAL[n]! : toChineseNumeral(n).replace(/[一二三四五六七八九]/g, (c) => LEGAL["零一二三四五六七八九".indexOf(c)]!).replace(/十/g, "拾");
    case "ideographDigital": case "taiwaneseDigital": return String(n).replace(/\d/g, (d) => "〇一二三四五六七八九"[Number(d)]!);
    case "ideographTraditional": return STEMS[(n - 1) % 10] ?? String(n);
    case "ideographZodiac": return BRANCHES[(n - 1) % 12] ?? String(n);
    case "decimalEnclosedCircle": case "decimalEnclosedCircleChinese": case "ideographEnclosedCircle":
      return n >= 1 && n <= 20 ? String.fromCharCode(0x2460 + n - 1) : `(${n})`;
    case "decimalEnclosedParen": return n >= 1 && n <= 20 ? String.fromCharCode(0x2474 + n - 1) : `(${n})`;
    case "decimalEnclosedFullstop": return n >= 1 && n <= 20 ? String.fromCharCode(0x2488 + n - 1) : `${n}.`;
    case "upperLetter": case "lowerLetter": {
      const c = String.fromCharCode(65 + ((n - 1) % 26)).repeat(Math.floor((n - 1) / 26) + 1);
      return fmt === "upperLetter" ? c : c.toLowerCase();
    }
    case "upperRoman": case "lowerRoman": {
      const r = roman(n);
      return fmt === "upperRoman" ? r : r.toLowerCase();
    }
    default: return "";
  }
}

function roman(n: number): string {
  const table: [number, string][] = [[1000, "M"], [900, "CM"], [500, "D"], [400, "CD"], [100, "C"], [90, "XC"], [50, "L"], [40, "XL"], [10, "X"], [9, "IX"], [5, "V"], [4, "IV"], [1, "I"]];
  let out = "";
  for (const [v, s] of table) while (n >= v) (out += s), (n -= v);
  return out;
}

/**
 * A level's number format; "custom" formats (Word 2010+, WPS) give a sample such as "一, 二, 三"
 * or "001, 002, 003" in w:format, read here as the nearest built-in format.
 */
function levelFormat(numFmt: Element | undefined, w: string): string {
  const fmt = attr(numFmt, w, "val") ?? "decimal";
  if (fmt !== "custom") return fmt;
  const sample = attr(numFmt, w, "format") ?? "";
  if (/^[一二三四五六七八九十]/.test(sample)) return "chineseCounting";
  if (/^[０-９]/.test(sample)) return "decimalFullWidth";
  if (/^0\d/.test(sample)) return "decimalZero";
  if (/^[①-⑳]/.test(sample)) return "decimalEnclosedCircle";
  return "decimal";
}

const attr = (el: Element | undefined | null, w: string, name: string) => el?.attribs[`${w}:${name}`];
const child = (el: Element | undefined | null, name: string) => (el ? (el.children.find((c) => isTag(c) && c.name === name) as Element | undefined) : undefined);

/**
 * Word's automatic numbering (numbering.xml): counts each list in document order and gives the
 * label a paragraph prints (一、 （二） 3. ①), which is not in the paragraph's text.
 */
export class DocxNumbering {
  private readonly abstracts = new Map<string, Map<number, Level>>();
  private readonly nums = new Map<string, Num>();
  private readonly counters = new Map<string, (number | undefined)[]>();
  private readonly seenNums = new Set<string>();

  constructor(numberingXml: AnyNode[] | undefined, private readonly w: string) {
    if (!numberingXml) return;
    for (const el of DomUtils.findAll((e) => e.name === `${w}:abstractNum`, numberingXml)) {
      const levels = new Map<number, Level>();
      for (const lvl of el.children.filter((c): c is Element => isTag(c) && c.name === `${w}:lvl`)) {
        levels.set(Number(attr(lvl, w, "ilvl") ?? 0), {
          start: Number(attr(child(lvl, `${w}:start`), w, "val") ?? 1),
          fmt: levelFormat(child(lvl, `${w}:numFmt`), w),
          text: attr(child(lvl, `${w}:lvlText`), w, "val") ?? "",
          suffix: attr(child(lvl, `${w}:suff`), w, "val") ?? "tab",
          legal: child(lvl, `${w}:isLgl`) !== undefined,
        });
      }
      this.abstracts.set(attr(el, w, "abstractNumId") ?? "", levels);
    }
    for (const el of DomUtils.findAll((e) => e.name === `${w}:num`, numberingXml)) {
      const starts = new Map<number, number>();
      for (const o of el.children.filter((c): c is Element => isTag(c) && c.name === `${w}:lvlOverride`)) {
        const s = attr(child(o, `${w}:startOverride`), w, "val");
        if (s !== undefined) starts.set(Number(attr(o, w, "ilvl") ?? 0), Number(s));
      }
      this.nums.set(attr(el, w, "numId") ?? "", { abstractId: attr(child(el, `${w}:abstractNumId`), w, "val") ?? "", starts });
    }
  }

  /** The printed label of the next paragraph in this list ("" for bullets and unknown lists). */
  next(ref: NumRef): string {
    const num = this.nums.get(ref.numId);
    const levels = num && this.abstracts.get(num.abstractId);
    const level = levels?.get(ref.level);
    if (!num || !levels || !level) return "";
    const counts = this.counters.get(num.abstractId) ?? [];
    this.counters.set(num.abstractId, counts);
    if (!this.seenNums.has(ref.numId)) {
      this.seenNums.add(ref.numId);
      for (const [l, start] of num.starts) counts[l] = start - 1;
    }
    counts[ref.level] = (counts[ref.level] ?? level.start - 1) + 1;
    for (let l = ref.level + 1; l < counts.length; l++) counts[l] = undefined;
    if (level.fmt === "bullet" || level.fmt === "none") return "";
    const label = level.text.replace(/%(\d)/g, (_m, k: string) => {
      const l = Number(k) - 1;
      const lv = levels.get(l);
      const n = counts[l] ?? lv?.start ?? 1;
      return formatNumber(n, level.legal ? "decimal" : (lv?.fmt ?? "decimal"));
    });
    return label + (level.suffix === "space" ? " " : "");
  }
}
