/**
 * Answer checking that forgives the ways people type numbers (78, 78万, 七十八万亩, ７８万亩,
 * 百分之七十六点五) but not a wrong number or a wrong measure word (78亩, 78万吨).
 */
import { parseChineseNumeral, toHalfWidth } from "../plan/numerals.js";
import { answerWithLetter, parseLabel } from "./generate.js";
import type { Grade, QuizQuestion } from "./types.js";

const CN_DIGITS: Record<string, number> = { 〇: 0, 零: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
/** Base units that start with a magnitude character but are not 千×瓦: they must not be split. */
const WHOLE_UNITS = ["千瓦时", "千瓦", "千米", "千克"];
const MAGNITUDES: Record<string, number> = { 万亿: 1e12, 亿: 1e8, 万: 1e4, 千: 1e3 };
/** Measure words people use interchangeably. */
const SAME_BASE: Record<string, string> = { "％": "%", 名: "人", 千米: "公里" };

/** 七十六点五 → 76.5; 一点八 → 1.8; 七十八万 → 780000. parseChineseNumeral has no 点, so decimals are read here. */
export function parseChineseDecimal(text: string): number | undefined {
  const [int, frac, ...rest] = text.split("点");
  if (rest.length || int === undefined) return undefined;
  const whole = int === "" ? 0 : parseChineseNumeral(int);
  if (whole === undefined) return undefined;
  if (frac === undefined) return whole;
  if (!frac || ![...frac].every((c) => c in CN_DIGITS)) return undefined;
  return Number(`${whole}.${[...frac].map((c) => CN_DIGITS[c]).join("")}`);
}

/** A number typed by a person and what follows it: "78 万亩" → { number: 78, rest: "万亩" }. */
export function parseQuantity(text: string): { number: number; rest: string } | undefined {
  let s = toHalfWidth(text)
    .replace(/\s+/g, "")
    .replace(/(\d),(?=\d{3})/g, "$1")
    .replace(/[。.!！?？、,，;；]+$/, "")
    // Hedges are not what is asked: "达到78万亩以上" is read as 78万亩.
    .replace(/^(?:大约|约|达到|达|超过|超|不低于|不少于|近|为|是|答)/, "")
    .replace(/(?:以上|左右|以内|以下|之内|上下)$/, "");
  let percent = false;
  if (s.startsWith("百分之")) (percent = true), (s = s.slice(3));
  const arabic = /^(\d+(?:\.\d+)?)(.*)$/.exec(s);
  const chinese = /^([〇零一二两三四五六七八九十百千万亿]+(?:点[〇零一二两三四五六七八九]+)?)(.*)$/.exec(s);
  const m = arabic ?? chinese;
  if (!m) return undefined;
  const n = arabic ? Number(m[1]) : parseChineseDecimal(m[1]!);
  if (n === undefined || !Number.isFinite(n)) return undefined;
  return { number: n, rest: (percent ? "%" : "") + m[2]! };
}

/** 万亩 → 1e4 and 亩; 千瓦 → 1 and 千瓦; % → 1 and %. */
function splitUnit(unit: string): { mag: number; base: string } {
  if (WHOLE_UNITS.includes(unit)) return { mag: 1, base: unit };
  const m = /^(万亿|亿|万|千)?(.*)$/.exec(unit)!;
  const base = m[2]!;
  return { mag: m[1] ? MAGNITUDES[m[1]]! : 1, base: SAME_BASE[base] ?? base };
}

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

/**
 * Whether a typed quantity means `value` in `unit` (the plan's scale: 78 with 万亩).
 * A bare number is read at the plan's scale (78) or at face value (780000); a measure word must match.
 * @example quantityMatches("七十八万亩", 78, "万亩") // true
 */
export function quantityMatches(response: string, value: number, unit: string): boolean {
  const p = parseQuantity(response);
  if (!p) return false;
  const want = splitUnit(unit);
  const got = splitUnit(p.rest);
  if (got.base !== "" && got.base !== want.base) return false;
  if (close(p.number * got.mag, value * want.mag)) return true;
  return p.rest === "" && close(p.number, value);
}

const TRUE_WORDS = ["对", "是", "正确", "对的", "是的", "true", "t", "yes", "y", "√", "✓", "✔", "o", "○"];
const FALSE_WORDS = ["错", "否", "错误", "错的", "不对", "不是", "false", "f", "no", "n", "×", "✗", "✘", "x", "╳"];

const norm = (s: string) => toHalfWidth(s).replace(/\s+/g, "").replace(/[。.!！]+$/, "").toLowerCase();

/**
 * Which option a response picks: the option text, a letter (A, b, (C)) or a 1-based index;
 * -1 when it picks none.
 */
export function pickedOption(q: QuizQuestion, response: string): number {
  const r = norm(response);
  const exact = q.options.findIndex((o) => norm(o) === r);
  if (exact >= 0) return exact;
  const letter = /^[(（]?([a-h])(?:[)）.、:：]|$)/.exec(r);
  if (letter && (r.length <= 3 || q.options.some((o) => r.endsWith(norm(o))))) {
    const i = letter[1]!.charCodeAt(0) - 97;
    if (i < q.options.length) return i;
  }
  if (/^[1-9]$/.test(r) && Number(r) <= q.options.length) return Number(r) - 1;
  return -1;
}

/** Whether a response to a choice/which-task/true-false question is right. */
function optionCorrect(q: QuizQuestion, response: string): boolean {
  const picked = pickedOption(q, response);
  if (picked >= 0) return q.options[picked] === q.answer;
  const r = norm(response);
  if (q.type === "true-false") {
    if (TRUE_WORDS.includes(r)) return q.answer === "对";
    if (FALSE_WORDS.includes(r)) return q.answer === "错";
    return false;
  }
  if (q.type === "which-task") {
    // A label on its own (第5项, 第五项, （三）) names the unit as well as the option text does.
    const label = parseLabel(response);
    return label !== undefined && `${label.kind}:${label.number}` === q.ref;
  }
  // A value typed instead of a letter: judge it like a fill answer.
  const a = parseQuantity(q.answer);
  return a !== undefined && quantityMatches(response, a.number, a.rest);
}

/**
 * Grades a response to a question.
 * @example gradeAnswer(q, "七十八万亩").correct // true when q.answer is "78万亩"
 */
export function gradeAnswer(q: QuizQuestion, response: string): Grade {
  let correct: boolean;
  if (q.type === "fill") {
    const a = parseQuantity(q.answer);
    correct = a !== undefined && quantityMatches(response, a.number, a.rest);
  } else {
    correct = optionCorrect(q, response);
  }
  const expected = answerWithLetter(q);
  const source = `原文：“${q.quote}”（${q.label}）`;
  const explanation = correct ? `✓ 正确。${source}` : `✗ 错误，正确答案：${expected}。${source}`;
  return { correct, expected, quote: q.quote, label: q.label, ref: q.ref, explanation };
}

/**
 * Whether a response can be graded at all: a quantity for a fill question; an option (text, letter or
 * number), a quantity, a yes/no word or a unit label for the others. A channel asks again instead of
 * grading a typo (a stray key, "w") as wrong.
 */
export function understands(q: QuizQuestion, response: string): boolean {
  const r = norm(response);
  if (!r) return false;
  if (q.type === "fill") return parseQuantity(response) !== undefined;
  if (pickedOption(q, response) >= 0 || q.options.some((o) => norm(o) === r)) return true;
  if (q.type === "true-false") return TRUE_WORDS.includes(r) || FALSE_WORDS.includes(r);
  if (q.type === "which-task" && parseLabel(response) !== undefined) return true;
  return parseQuantity(response) !== undefined;
}
