import type { Unit } from "../plan/types.js";
import { normalizeText } from "../retrieve/text.js";
import { foldDigits, spelledNumbersToDigits, statedQuantities, unitQuantities, VAGUE_RE, type StatedQuantity } from "./quantities.js";

/**
 * The sentence-support check for model-written text: a sentence is shown only when the unit it
 * cites supports it. Wording, figures, negations and contact details are each checked against the
 * cited unit's own text; nothing here knows any particular plan.
 */

/** How closely a sentence's wording must be contained in its unit (share of its bigrams found there). See README. */
export const MIN_CONTAINMENT = 0.6;
/** How many novel bigrams in a row a sentence may add (今年要新建 → 今年, 年要, 要新). */
export const MAX_NOVEL_RUN = 4;
/** How much of what a figure is said to measure must be in the unit's words around that figure. */
export const MIN_FIGURE_CONTEXT = 0.5;

/** Why a sentence was not shown; one line each, for logs and tests. */
export type Unsupported =
  | "no-citation"
  | "wording"
  | "figure"
  | "unreadable-figure"
  | "polarity"
  | "contact"
  | "latin";

/**
 * Framing words a paraphrase may add without making a claim (方案提出, 具体如下, 此外). They are
 * removed before the wording is compared; a sentence made only of them is connective text.
 */
const FRAMING = (
  "根据方案 按照方案 该方案 本方案 工作方案 方案中 方案里 方案 文件中 文件 " +
  "具体来说 具体而言 具体如下 具体包括 主要包括 主要有 主要是 包括以下 包括 包含 如下 以下几点 以下 几点 几个方面 方面 " +
  "此外 另外 同时 其中 首先 其次 再次 最后 总之 综上 总的来说 简而言之 另一方面 " +
  "一是 二是 三是 四是 五是 六是 七是 八是 九是 十是 " +
  "提出了 提出 明确了 明确 要求 指出 强调 部署 安排 规定 写明 表示 " +
  "主要措施 主要举措 措施 举措 内容 相关 有关 重点 目标 任务 工作 今年 全年 年度 本年 当年 " +
  "需要 应当 将会 将 要 会 计划 还 也 都 并 即 就 则 又 这 该 此 其 是 有 的 了 和 与 及 以及 等 在 对 为 把 从 由 向 于 中 里 上 下 你 您 我们 问题 关于 这个"
).split(/\s+/).sort((a, b) => b.length - a.length);
const FRAMING_RE = new RegExp(FRAMING.join("|"), "g");
const FRAMING_EN = new Set(("the a an of to in on and or for with by as at is are be will this that these those it its plan plans says say states state " +
  "sets set out calls call task tasks item items section part also about specifically including include includes such following " +
  "year this year main key measures measure points").split(/\s+/));

/** Words that negate, forbid or permit: a sentence may not add one, nor drop one its unit has. */
const POLARITY = [
  "不得", "不准", "不许", "不能", "不可", "不再", "不必", "不用", "不需", "不会", "不要", "不是", "并非", "无需", "无须", "暂不", "尚未", "未能",
  "禁止", "严禁", "严防", "杜绝", "允许", "准许", "许可", "可以", "取消", "废止", "废除", "撤销", "暂停", "停止", "终止", "放松", "放宽",
  "放开", "松绑", "免费", "免除", "减免", "豁免", "无偿", "自由", "随意", "任意", "不限", "无限", "没有", "全部", "一律", "所有",
];
/**
 * Words that make a claim a reader acts on (money, obligations, contact, dates, who gets what) or
 * that turn a measure's direction (提高/降低): a sentence may use one only when its unit does.
 */
const CLAIM_WORDS = [
  "补贴", "补助", "奖励", "奖金", "发放", "领取", "收费", "收取", "缴纳", "缴费", "罚款", "处罚", "报销", "退还", "贷款", "免息", "现金",
  "银行卡", "账号", "账户", "密码", "验证码", "转账", "汇款", "扫码", "二维码", "链接", "网址", "官网", "网站", "电话", "热线", "微信",
  "公众号", "短信", "邮箱", "登录", "注册", "点击", "下载", "每户", "每人", "人人", "必须", "强制", "立即", "马上", "明年", "后年", "去年",
  "上半年", "下半年", "增加", "减少", "提高", "降低", "扩大", "缩小", "下降", "上升", "削减", "压减", "暂缓", "推迟", "提前", "延长", "缩短",
];
/** Single characters that negate, permit or claim a thing done (已); checked with the character after them (不断, 可获). */
const POLARITY_CHARS = /[不无未非勿别莫否免可已]/g;
const POLARITY_EN: Array<[RegExp, RegExp]> = [
  [/\b(not|no|never|none|nor|without|n't)\b/i, /不|无|未|非|没有/],
  [/\b(allow|allows|allowed|permit|permits|permitted|may|can|free(ly)?)\b/i, /允许|可以|准许|可|免费|无偿|自由/],
  [/\b(ban|bans|banned|prohibit\w*|forbid\w*)\b/i, /禁止|严禁|不得|严防/],
  [/\b(abolish\w*|cancel\w*|scrap\w*|remov\w*|relax\w*|loosen\w*|waiv\w*|exempt\w*)\b/i, /取消|废止|废除|放松|放宽|免除|减免|豁免/],
];

const URL_RE = /(?:[a-z][a-z0-9+.-]*:\/\/|www\.)[^\s，。；、）)】」”"'<>]+/gi;
const EMAIL_RE = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+/gu;
const DOMAIN_RE = /(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+[\p{L}][\p{L}\p{N}-]*[\p{L}\p{N}]/gu;
const PHONE_RE = /\+?\d[\d\s()-]{5,}\d/g;
const LATIN_WORD_RE = /[a-z][a-z0-9]*(?:[.'-][a-z0-9]+)*|[0-9]+[a-z]+[a-z0-9]*/g;
const HAN_RUN_RE = /[\u3400-\u9fff]+/g;
const LABEL_TEXT_RE = /〔[^〔〕]*〕/g;

/** The normalised form every check compares: simplified, half-width, lower case, digits of any script as ASCII. */
export function checkForm(text: string): string {
  return foldDigits(normalizeText(text.replace(/[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\u00ad]/g, "")));
}

/** What the checks read of the cited units, prepared once per reply. */
export interface UnitEvidence {
  text: string;
  bigrams: Set<string>;
  quantities: StatedQuantity[];
}

/** Prepares the cited units' text for the checks. */
export function evidenceOf(units: Unit[]): UnitEvidence {
  const text = units.map((u) => checkForm(u.text)).join("\n");
  const bigrams = new Set<string>();
  for (const run of text.match(HAN_RUN_RE) ?? []) {
    for (let i = 0; i < run.length; i++) bigrams.add(run.slice(i, i + 2));
  }
  return { text, bigrams, quantities: units.flatMap((u) => unitQuantities(u, checkForm)) };
}

/**
 * Whether one sentence (its labels already resolved to `units`) is supported by those units;
 * undefined when it is, the first failing check otherwise.
 * @example unsupportedBy("新建和改造提升高标准农田78万亩", evidenceOf([task5])) // undefined
 */
export function unsupportedBy(sentence: string, evidence: UnitEvidence | undefined, english = false): Unsupported | undefined {
  const s = spelledNumbersToDigits(checkForm(sentence.replace(LABEL_TEXT_RE, " ")));
  if (!evidence) return isConnective(s) ? undefined : "no-citation";
  if (contactsIn(s).some((c) => !evidence.text.includes(c))) return "contact";
  if (!english && (s.match(LATIN_WORD_RE) ?? []).some((w) => !evidence.text.includes(w))) return "latin";
  if (wordingScore(s, evidence, english) === undefined) return "wording";
  const figures = figureProblem(s, evidence);
  if (figures) return figures;
  if (polarityProblem(s, evidence, english)) return "polarity";
  return undefined;
}

/** A sentence with no claim: only framing words, punctuation and labels (具体如下：). */
export function isConnective(sentence: string): boolean {
  const s = spelledNumbersToDigits(checkForm(sentence.replace(LABEL_TEXT_RE, " ")));
  if (/\d/.test(s) || contactsIn(s).length > 0 || VAGUE_RE.test(s)) return false;
  VAGUE_RE.lastIndex = 0;
  const han = s.replace(FRAMING_RE, " ").match(HAN_RUN_RE) ?? [];
  const latin = (s.match(/[a-z]+/g) ?? []).filter((w) => !FRAMING_EN.has(w));
  return han.length === 0 && latin.length === 0;
}

function contactsIn(s: string): string[] {
  const out = [...(s.match(URL_RE) ?? []), ...(s.match(EMAIL_RE) ?? []), ...(s.match(PHONE_RE) ?? [])];
  // A decimal such as 76.5 is not a domain: the last label must have a letter.
  for (const d of s.match(DOMAIN_RE) ?? []) if (/\p{L}/u.test(d.split(".").at(-1)!)) out.push(d);
  return out.map((c) => c.replace(/[.,;:!?]+$/, ""));
}

/**
 * The share of the sentence's claim bigrams found in the unit, or undefined when it is below
 * {@link MIN_CONTAINMENT} or the sentence adds a long run of words the unit does not have.
 */
export function wordingScore(s: string, evidence: UnitEvidence, english = false): number | undefined {
  const runs = (s.replace(FRAMING_RE, " ").match(HAN_RUN_RE) ?? []);
  let total = 0;
  let found = 0;
  let novelRun = 0;
  let worstRun = 0;
  for (const run of runs) {
    const grams = run.length === 1 ? [run] : Array.from({ length: run.length - 1 }, (_, i) => run.slice(i, i + 2));
    for (const g of grams) {
      total++;
      if (evidence.bigrams.has(g)) {
        found++;
        novelRun = 0;
      } else worstRun = Math.max(worstRun, ++novelRun);
    }
    novelRun = 0;
  }
  if (english) return englishWording(s, evidence, total, found);
  if (total === 0) return 1;
  const score = found / total;
  if (score < MIN_CONTAINMENT || worstRun > MAX_NOVEL_RUN) return undefined;
  // A short clause of its own (…78万亩，农户自费) must be supported as well, not carried by the rest;
  // a clause that only names the topic (针对农村妇女，为了改善信号，在就业方面) is not a claim.
  for (const clause of s.split(/[，,；;：:]/)) {
    if (TOPIC_RE.test(clause.trim())) continue;
    const grams = claimBigrams(clause);
    if (grams.length >= 2 && grams.filter((g) => evidence.bigrams.has(g)).length / grams.length < MIN_CLAUSE_CONTAINMENT) return undefined;
  }
  return score;
}

/** How much of a clause of two or more claim bigrams must be in the unit. */
export const MIN_CLAUSE_CONTAINMENT = 0.5;
const TOPIC_RE = /^(?:为了|针对|对于|关于|至于|面向|就|在)[^，,；;：:]{0,14}(?:方面|而言|来说|问题|上|中)?$/;

/**
 * English sentences cannot be compared word for word with Chinese units: each must quote the
 * unit's Chinese wording, and that quote must pass; English words beyond framing are limited.
 */
function englishWording(s: string, _evidence: UnitEvidence, total: number, found: number): number | undefined {
  if (total < 4) return undefined;
  const score = found / total;
  const words = (s.match(/[a-z]+/g) ?? []).filter((w) => !FRAMING_EN.has(w));
  // The English around the quote may only frame it (the plan sets out:), not add claims of its own.
  return score >= MIN_CONTAINMENT && words.length <= 6 ? score : undefined;
}

function figureProblem(s: string, evidence: UnitEvidence): Unsupported | undefined {
  for (const v of s.match(VAGUE_RE) ?? []) if (!evidence.text.includes(v)) return "unreadable-figure";
  // Numerals of other kinds (①, Ⅻ, ½, ²) cannot be compared: only as the unit writes them.
  for (const c of s.match(/[^\d\P{N}]/gu) ?? []) if (!evidence.text.includes(c)) return "unreadable-figure";
  for (const q of statedQuantities(s)) {
    if (q.value === undefined) return "unreadable-figure";
    if (!evidence.quantities.some((u) => sameQuantity(q, u))) return "figure";
  }
  return undefined;
}

function sameQuantity(q: StatedQuantity, u: StatedQuantity): boolean {
  if (u.value === undefined || Math.abs(u.value - q.value!) > 1e-9 * Math.max(1, Math.abs(u.value))) return false;
  if (q.measure && q.measure !== u.measure) return false;
  if (q.direction && q.direction !== u.direction && !(q.direction === "about" && !u.direction)) return false;
  // A year dates the plan rather than measuring something: being in the unit is enough.
  if (q.measure === "年" && q.value! >= 1900 && q.value! <= 2100) return true;
  const grams = claimBigrams(q.context);
  if (grams.length === 0) return true;
  const around = new Set(claimBigrams(u.context, false));
  return grams.filter((g) => around.has(g)).length / grams.length >= MIN_FIGURE_CONTEXT;
}

function claimBigrams(text: string, dropFraming = true): string[] {
  const runs = (dropFraming ? text.replace(FRAMING_RE, " ") : text).match(HAN_RUN_RE) ?? [];
  return runs.flatMap((r) => (r.length === 1 ? [r] : Array.from({ length: r.length - 1 }, (_, i) => r.slice(i, i + 2))));
}

function polarityProblem(s: string, evidence: UnitEvidence, english: boolean): boolean {
  if (english) return POLARITY_EN.some(([en, zh]) => en.test(s) && !zh.test(evidence.text));
  for (const w of [...POLARITY, ...CLAIM_WORDS]) if (s.includes(w) && !evidence.text.includes(w)) return true;
  for (const m of s.matchAll(POLARITY_CHARS)) {
    const pair = s.slice(m.index, m.index + 2);
    if (!evidence.text.includes(pair)) return true;
  }
  // A flip by omission: the sentence repeats what the unit forbids (严禁X) without the word that forbids it.
  for (const w of POLARITY) {
    for (let at = evidence.text.indexOf(w); at >= 0; at = evidence.text.indexOf(w, at + 1)) {
      const object = (evidence.text.slice(at + w.length, at + w.length + 8).match(HAN_RUN_RE) ?? [])[0]?.slice(0, 3);
      if (object && object.length === 3 && s.includes(object) && !s.includes(w)) return true;
    }
  }
  return false;
}
