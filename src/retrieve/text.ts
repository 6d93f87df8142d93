import { Jieba } from "@node-rs/jieba";
import { dict } from "@node-rs/jieba/dict.js";
// The traditional→simplified build only (a tenth of the full dictionary), to keep start-up quick.
import * as OpenCC from "opencc-js/t2cn";
import { toHalfWidth } from "../plan/numerals.js";

const toSimplified = OpenCC.Converter({ from: "t", to: "cn" });

/**
 * The one normalisation applied to documents and queries alike: traditional → simplified,
 * full-width → half-width, lower case, unified quotes and dashes.
 */
export function normalizeText(text: string): string {
  return toHalfWidth(toSimplified(text))
    // Ⅳ级 is 四级 (response and warning levels are printed either way); one character for one, so lengths keep.
    .replace(ROMAN_RE, (c) => ROMAN_AS_HAN[(c.codePointAt(0)! - 0x2160) % 16]!)
    .toLowerCase()
    .replace(/[“”„‟〝〞"]/g, '"')
    .replace(/[‘’']/g, "'")
    .replace(/[—–－]/g, "-");
}

/** Roman numerals Ⅰ–Ⅹ and ⅰ–ⅹ, and the Chinese numerals they stand for. */
const ROMAN_RE = /[\u2160-\u2169\u2170-\u2179]/g;
const ROMAN_AS_HAN = "一二三四五六七八九十";

/**
 * A pattern for a short word's characters in order with `min`–`max` Chinese characters between each two, as an
 * abbreviation sits in the term it shortens (保额 in 保险金额, 集采 in 集中采购).
 * @example charactersInOrder("集采", 0, 2).test("集中采购") // true
 */
export function charactersInOrder(word: string, min: number, max: number): RegExp {
  return new RegExp([...word].join(`[\\u4e00-\\u9fff]{${min},${max}}`));
}

/** Whether a text is mostly traditional characters (it changes under conversion). */
export function isTraditional(text: string): boolean {
  const simplified = toSimplified(text);
  let changed = 0;
  for (let i = 0; i < text.length; i++) if (text[i] !== simplified[i]) changed++;
  return changed >= 1 && changed / Math.max(1, text.replace(/[^\u3400-\u9fff]/g, "").length) > 0.05;
}

/** Whether a question is written in English (Latin letters dominate, few Chinese characters). */
export function isEnglish(text: string): boolean {
  // Markup and code-like tokens (<script>, alert(1)) say nothing about the asker's language.
  const prose = text.replace(/<[^>]*>/g, " ").replace(/[A-Za-z_]+\([^)]*\)/g, " ");
  const latin = prose.match(/[A-Za-z]/g)?.length ?? 0;
  const cjk = prose.match(/[\u3400-\u9fff]/g)?.length ?? 0;
  return latin >= 6 && cjk <= latin / 6;
}

let jieba: Jieba | undefined;
const extraWords = new Set<string>();

/** The shared segmenter; loading its dictionary takes ~150 ms, so it happens once per process. */
export function segmenter(): Jieba {
  jieba ??= Jieba.withDict(dict);
  return jieba;
}

/** Teaches the segmenter whole terms (高标准农田, 充换电设施) so they are not cut apart. */
export function addSegmenterWords(words: Iterable<string>): void {
  const fresh = [...words].map((w) => normalizeText(w).trim()).filter((w) => w.length >= 2 && w.length <= 12 && !/\s/.test(w) && !extraWords.has(w));
  if (fresh.length === 0) return;
  for (const w of fresh) extraWords.add(w);
  segmenter().loadDict(new TextEncoder().encode(fresh.map((w) => `${w} 20000 n`).join("\n")));
}

/** Function words and question words that carry no topic. */
const STOPWORDS = new Set(
  ("的 了 是 在 和 与 及 等 对 把 将 为 以 于 由 从 向 到 也 都 就 还 又 而 并 或 之 其 这 那 这个 那个 这些 那些 " +
    "吗 呢 吧 啊 呀 嘛 哦 么 什么 怎么 怎样 怎么样 如何 哪些 哪个 哪 哪里 几 多少 是否 有没有 有 没有 能不能 能否 会不会 可以 可不可以 " +
    "请问 请 问 一下 告诉 我 我们 你 你们 他 她 它 他们 咱 咱们 自己 大家 想 想知道 知道 了解 说 讲 提到 " +
    "今年 明年 去年 计划 方案 文件 政策 规定 里 中 上 下 内 要 会 能 该 应该 需要 就是 还是 但是 因为 所以 如果 " +
    "个 些 一些 很 非常 比较 最 更 多 少 吧 嗯 呃 谢谢 你好 您好 您 啥 咋 么样 情况 方面 关于 具体 主要 目前 现在 " +
    "还有 别的 其他 其它 另外 其余 数字 内容")
    .split(/\s+/),
);

/** Tokens of a text: words (jieba) and character bigrams of Chinese runs, both normalised. */
export interface Tokens {
  words: string[];
  bigrams: string[];
}

const CJK_RUN = /[\u3400-\u9fff]+/g;
const WORDISH = /^[\u3400-\u9fffa-z0-9][\u3400-\u9fffa-z0-9.+%-]*$/;

/**
 * Splits normalised text into search tokens.
 * @example tokenize(normalizeText("新建高标准农田78万亩")).words // ["新建", "高标准农田", "78", "万亩"]
 */
export function tokenize(normalized: string): Tokens {
  const words = segmentWords(normalized);
  const bigrams: string[] = [];
  for (const run of normalized.match(CJK_RUN) ?? []) {
    for (let i = 0; i + 1 < run.length; i++) bigrams.push(run.slice(i, i + 2));
  }
  return { words, bigrams };
}

/** The search words of normalised text, cut by the shared segmenter or the one given. */
export function segmentWords(normalized: string, jieba: Jieba = segmenter()): string[] {
  const out: string[] = [];
  for (const piece of jieba.cut(normalized, false)) {
    const w = searchWord(piece);
    if (w) out.push(w);
  }
  return out;
}

/** The search word a piece of the segmenter's output stands for, or undefined (punctuation, stopwords). */
export function searchWord(piece: string): string | undefined {
  const w = piece.trim();
  return w && WORDISH.test(w) && !STOPWORDS.has(w) ? w : undefined;
}

let bare: Jieba | undefined;

/**
 * A segmenter with the stock dictionary only, which never learns the plans' terms: the local
 * embedder cuts documents with it, so that a document's vector does not depend on which plans
 * this process loaded before.
 */
export function bareSegmenter(): Jieba {
  bare ??= Jieba.withDict(dict);
  return bare;
}

/** Sentences of a unit's text, split after 。；!? and line breaks, with their offsets. */
export function splitSentences(text: string): Array<{ text: string; start: number }> {
  const out: Array<{ text: string; start: number }> = [];
  const re = /[^。；;！？!?\n]+[。；;！？!?]?/g;
  for (const m of text.matchAll(re)) {
    const s = m[0];
    const trimmed = s.trim();
    if (trimmed.length === 0) continue;
    out.push({ text: trimmed, start: m.index + s.indexOf(trimmed) });
  }
  return out;
}

/** A heading as compared with another or with a question: normalised, without punctuation, symbols or spaces (“三大行动” → 三大行动). */
export function bareHeading(heading: string): string {
  return normalizeText(heading).replace(/[\s\p{P}\p{S}]/gu, "");
}

/** Share of a heading's character pairs that a question contains (供排水和供电设施改造 names 改造供排水和供电设施). */
export function headingCoverage(raw: string, heading: string): number {
  const h = bareHeading(heading);
  if (h.length < 2) return 0;
  const q = bareHeading(raw);
  let hit = 0;
  for (let i = 0; i + 1 < h.length; i++) if (q.includes(h.slice(i, i + 2))) hit++;
  return hit / (h.length - 1);
}
