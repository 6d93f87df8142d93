/**
 * Quiz questions made from the targets ledger. Everything here is a pure function of the ledger,
 * the units and a seed, so a question can be rebuilt from its id alone (see {@link questionById})
 * and a printed sheet can be reproduced from its seed.
 */
import { createHash } from "node:crypto";
import { parseNumberToken, toHalfWidth } from "../plan/numerals.js";
import type { Unit } from "../plan/types.js";
import { normalizeText } from "../retrieve/text.js";
import type { Target } from "../targets/types.js";
import { QUESTION_TYPES, type QuestionType, type QuizQuestion } from "./types.js";

/** Options of {@link generateQuestions}. */
export interface GenerateOptions {
  count: number;
  /** A keyword (教育), a task (第5项, 第五项, 5), a section (（六）, 六) or a part (二、, 重点工作). */
  topic?: string;
  seed?: number;
  types?: readonly QuestionType[];
}

/**
 * A small seeded PRNG (mulberry32): the same seed gives the same questions on every machine.
 * @example const rng = mulberry32(42); rng() // 0.6011…
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit hash of a string, to derive per-question seeds. */
export function hash32(s: string): number {
  return createHash("sha1").update(s).digest().readUInt32BE(0);
}

/** Fisher–Yates with a given random source. */
export function shuffle<T>(items: readonly T[], rng: () => number): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

/**
 * The stable key of a target: spaced repetition and attempts are stored under it. It hashes the
 * metric, value and unit rather than using a position, so re-extracting the ledger keeps keys.
 * @example targetKey(t) // "zhejiang-2026-qianwan-plan:task:5:1f3a9c0b"
 */
export function targetKey(t: Target): string {
  return `${t.doc}:${t.ref}:${createHash("sha1").update(`${t.metric}|${t.value}|${t.unit}`).digest("hex").slice(0, 8)}`;
}

/** How a plain number is written: 78, 76.5, 1.8. */
export function formatValue(value: number, unit = ""): string {
  return `${String(value)}${unit}`;
}

// ---------------------------------------------------------------- topic filter

const CN_NUM = "〇零一二两三四五六七八九十百";
const num = (s: string) => parseNumberToken(s);
type RefMatch = { kind: Unit["kind"]; number: number };

/**
 * Reads a unit label typed by a person: 第5项/第五项/5 → task 5; （六）/(六)/六 → section 6; 二、/第二部分 → part 2.
 * @example parseLabel("第五项") // { kind: "task", number: 5 }
 */
export function parseLabel(text: string): RefMatch | undefined {
  const s = toHalfWidth(text).replace(/\s+/g, "");
  let m = /^(task|section|part):(\d+)$/.exec(s);
  if (m) return { kind: m[1] as Unit["kind"], number: Number(m[2]) };
  m = new RegExp(`^(?:第([0-9]+|[${CN_NUM}]+)项?|([0-9]+)项?)$`).exec(s);
  if (m && (m[2] || s.endsWith("项") || /^第[0-9]/.test(s))) return wrap("task", num(m[1] ?? m[2]!));
  m = new RegExp(`^(?:\\(([${CN_NUM}]+)\\)|([${CN_NUM}]+))$`).exec(s);
  if (m) return wrap("section", num(m[1] ?? m[2]!));
  m = new RegExp(`^(?:([${CN_NUM}]+)、.*|第([${CN_NUM}]+|[0-9]+)部分)$`).exec(s);
  if (m) return wrap("part", num(m[1] ?? m[2]!));
  return undefined;
}
const wrap = (kind: Unit["kind"], n: number | undefined) => (n === undefined ? undefined : { kind, number: n });

const unitKey = (doc: string, ref: string) => `${doc}\u0000${ref}`;

/** Units by doc and ref. */
function unitIndex(units: readonly Unit[]): Map<string, Unit> {
  return new Map(units.map((u) => [unitKey(u.doc, u.ref), u]));
}

/**
 * The targets a topic selects. A label selects that unit and everything under it; a unit heading
 * typed in full selects that unit; anything else is a keyword matched, after traditional →
 * simplified normalisation, against the metric, the quote and the heading of the target's unit.
 * No topic selects everything.
 * @example filterTargets(targets, units, "（六）") // targets of section 6 and of tasks 15–18
 */
export function filterTargets(targets: readonly Target[], units: readonly Unit[], topic?: string): Target[] {
  const t = topic?.trim();
  if (!t) return [...targets];
  const byKey = unitIndex(units);
  const label = parseLabel(t);
  const needle = normalizeText(t).replace(/\s+/g, "");
  const scopes = label
    ? units.filter((u) => u.kind === label.kind && u.number === label.number)
    : units.filter((u) => u.kind !== "preamble" && u.kind !== "notice" && [u.label, u.heading].some((x) => normalizeText(x).replace(/\s+/g, "") === needle));
  if (label || scopes.length) {
    const inScope = (tg: Target) => {
      const u = byKey.get(unitKey(tg.doc, tg.ref));
      return scopes.some((s) => s.doc === tg.doc && (s.ref === tg.ref || (u?.parents.includes(s.ref) ?? false)));
    };
    return targets.filter(inScope);
  }
  return targets.filter((tg) => {
    const heading = byKey.get(unitKey(tg.doc, tg.ref))?.heading ?? "";
    return [tg.metric, tg.quote, heading].some((x) => normalizeText(x).includes(needle));
  });
}

// ---------------------------------------------------------------- stems

const LEAD_WORDS = ["力争", "争取", "确保", "继续"];
const PRE_WORDS = ["稳定在", "保持在", "控制在", "缩小到", "缩小至", "提高到", "提高至", "提升到", "提升至", "增加到", "增长到", "下降到", "下降至", "降低到", "降低至", "减少到", "降至", "不低于", "不少于", "不超过", "不高于", "至少", "最少", "至多", "最多", "超过", "突破", "达到", "低于", "高于", "超", "达", "约", "近"];
const POST_WORDS = ["以上", "左右", "以内", "以下", "之内", "上下"];
/** Swaps that turn a true statement about a target's hedge into a false one. */
const POST_SWAP: Record<string, string> = { 以上: "左右", 左右: "以上", 以内: "以上", 以下: "以上", 之内: "以上", 上下: "以上" };
const PRE_SWAP: Record<string, string> = { 超: "约", 超过: "约", 突破: "约", 约: "超", 近: "超", 不低于: "不超过", 不少于: "不超过", 不超过: "不低于", 不高于: "不低于", 至少: "至多", 至多: "至少", 最少: "最多", 最多: "最少", 低于: "高于", 高于: "低于" };

const HEDGE_RE = new RegExp([...LEAD_WORDS, ...PRE_WORDS, ...POST_WORDS].sort((a, b) => b.length - a.length).join("|"), "g");

/** A sentence about a target split around its value: before + number + unit + after. */
interface Stem {
  before: string;
  number: string;
  unit: string;
  after: string;
}

const squash = (s: string) => s.replace(/\s+/g, "");

/**
 * The sentence a question is built on. The verbatim quote is used when it states this one value
 * and names the metric whole; otherwise (lists such as 粮食播种面积、产量分别…, items that lost
 * their verb) the sentence is rebuilt from the metric and the qualifier words.
 */
function stemOf(t: Target): Stem {
  const quoted = t.qualifier.includes("分别") ? undefined : quoteStem(t);
  if (quoted) return quoted;
  const words = t.qualifier.split("、").filter(Boolean);
  const lead = words.filter((w) => LEAD_WORDS.includes(w) && !t.metric.includes(w)).join("");
  const pre = words.find((w) => PRE_WORDS.includes(w)) ?? "";
  const post = words.find((w) => POST_WORDS.includes(w)) ?? "";
  return { before: `${lead}${t.metric}${pre}`, number: formatValue(t.value), unit: t.unit, after: post };
}

function quoteStem(t: Target): Stem | undefined {
  const units = t.unit === "%" ? ["%", "％"] : [t.unit];
  let hit: Stem | undefined;
  for (const m of t.quote.matchAll(/(?<![0-9０-９.．])[0-9０-９]+(?:[.．][0-9０-９]+)?/g)) {
    const end = m.index + m[0].length;
    const unit = units.find((u) => t.quote.startsWith(u, end));
    if (unit === undefined || Number(toHalfWidth(m[0])) !== t.value) continue;
    hit = { before: t.quote.slice(0, m.index), number: m[0], unit, after: t.quote.slice(end + unit.length) };
  }
  // The quote must name the metric; hedge words between its parts (每年至少1个月…) do not count against it.
  const plain = (x: string) => squash(x).replace(HEDGE_RE, "");
  if (!hit || !plain(hit.before + hit.after).includes(plain(t.metric))) return undefined;
  return hit;
}

/** Metrics that name a measure but not whose it is (年度计划投资, 规模, 比例): a blank needs the subject before it. */
const GENERIC_METRIC_RE = /^(?:年度|全年|年均|当年|计划|预计|总|累计|新增|实际|其中|每年)*(?:投资额?|资金|规模|数量|总量|总额|产值|金额|收入|比例|比重|占比|人数|个数|面积|产量|增速|增长|周期|时间|期限)$/;
const SUBJECT_MAX = 48;

/**
 * The words a blank needs to keep its subject: when the stem names only a measure (年度计划投资____亿元以上),
 * the clauses before it in its sentence (…的重点项目,力争实施项目2000个以上,), verbatim and never
 * holding the answer's number. "" when the stem is complete.
 */
function subjectOf(t: Target, s: Stem, u: Unit | undefined): string {
  const core = s.before.replace(new RegExp(`(?:${[...LEAD_WORDS, ...PRE_WORDS].join("|")})+$`), "").replace(/^(?:力争|争取|确保|继续)/, "");
  const cjk = (x: string) => [...x.replace(/[^\u4e00-\u9fff]/g, "")].length;
  // A count before its noun (新增____个国家优势特色产业) has its subject after the blank.
  const bare = GENERIC_METRIC_RE.test(core) || core === "" || (cjk(core) <= 2 && cjk(s.after.replace(/^(?:以上|左右|以内|以下|之内|上下)/, "")) <= 2);
  if (!u || t.index === undefined || !bare) return "";
  const text = u.text;
  let start = t.index;
  while (start > 0 && !/[。；;！？!?\n]/.test(text[start - 1]!)) start--;
  let ctx = text.slice(start, t.index);
  // Whole clauses only, from the nearest back, as many as fit.
  const parts = ctx.split(/(?<=[，,])/);
  while (parts.length > 1 && parts.join("").length > SUBJECT_MAX) parts.shift();
  ctx = parts.join("").replace(/^[（(][一二三四五六七八九十]+[)）]|^\d+[.．、]/, "").trim();
  if (!ctx || ctx.includes(String(t.value)) || ctx.length > SUBJECT_MAX * 1.5) return "";
  return /[，,、和及与]$/.test(ctx) ? ctx : `${ctx}，`;
}

const yearPrefix = (t: Target, s: Stem) => (t.year && !s.before.includes(String(t.year)) ? `${t.year}年，` : "");

/** The target stated as a sentence, value included (for which-task and true-false questions). */
export function statement(t: Target): string {
  const s = stemOf(t);
  return `${yearPrefix(t, s)}${s.before}${s.number}${s.unit}${s.after}`;
}

// ---------------------------------------------------------------- distractors

function decimals(v: number): number {
  return (String(v).split(".")[1] ?? "").length;
}

type Candidate = { v: number; s: string };

/** ×0.5, ×1.5, ±10% … of a value, rounded to the value's own precision (400 → hundreds, 76.5 → tenths). */
function nearbyValues(value: number, unit: string): Candidate[] {
  const d = decimals(value);
  let step = 10 ** -d;
  if (d === 0) while (value % (step * 10) === 0 && step * 10 < value) step *= 10;
  const round = (x: number) => Number((Math.round(x / step) * step).toFixed(d));
  const factors = [0.5, 1.5, 0.9, 1.1, 0.8, 1.2, 2, 0.75, 1.25, 3];
  const out = factors.map((f) => round(value * f));
  // Small counts (1个, 2亿元) barely move under scaling: step them instead.
  for (let k = 1; k <= 4; k++) out.push(round(value + k * step), round(value - k * step));
  // Written with the answer's decimals (1.8 → 3.0, not 3) so no option stands out by its form.
  return out.filter((v) => v > 0 && (unit !== "%" || v <= 100)).map((v) => ({ v, s: `${v.toFixed(d)}${unit}` }));
}

/** Three wrong values for a target, all in its unit, never equal to the answer nor to each other. */
function distractors(t: Target, all: readonly Target[], rng: () => number): string[] {
  const sameUnit = all.filter((o) => o.unit === t.unit && o.value !== t.value && o.value / t.value <= 10 && t.value / o.value <= 10);
  // Other targets of the same task first: they are the values a half-remembering reader mixes up.
  const ledger: Candidate[] = [
    ...shuffle(sameUnit.filter((o) => o.ref === t.ref && o.doc === t.doc), rng),
    ...shuffle(sameUnit.filter((o) => o.ref !== t.ref || o.doc !== t.doc), rng),
  ].map((o) => ({ v: o.value, s: formatValue(o.value, t.unit) }));
  const nearby = shuffle(nearbyValues(t.value, t.unit), rng);
  const fromLedger = Math.min(ledger.length, rng() < 0.5 ? 1 : 2);
  const taken = new Set([t.value]);
  const out: string[] = [];
  for (const c of [...ledger.slice(0, fromLedger), ...nearby, ...ledger.slice(fromLedger)]) {
    if (taken.has(c.v) || c.s === formatValue(t.value, t.unit)) continue;
    taken.add(c.v);
    out.push(c.s);
    if (out.length === 3) break;
  }
  return out;
}

/** How a unit is shown as an option: 第5项 增强粮食等重要农产品供给保障能力, （三）着力培育…, 一、总体要求. */
export function unitOption(u: Unit): string {
  const heading = [...u.heading].length > 30 ? `${[...u.heading].slice(0, 30).join("")}…` : u.heading;
  if (u.label.includes(u.heading)) return u.label;
  return u.label.endsWith("）") ? `${u.label}${heading}` : `${u.label} ${heading}`;
}

/** Units that are no answer to "which unit sets this target": the front matter and whole annexes. */
const NOT_OPTIONS = new Set<Unit["kind"]>(["preamble", "notice", "annex", "closing"]);

/** Three other units for a which-task question: siblings first, never the target's own unit or its parents. */
function unitDistractors(u: Unit, units: readonly Unit[], rng: () => number): Unit[] {
  const pool = units.filter((o) => o.doc === u.doc && !NOT_OPTIONS.has(o.kind) && o.ref !== u.ref && !u.parents.includes(o.ref));
  const parent = u.parents.at(-1);
  const tiers = [
    pool.filter((o) => o.kind === u.kind && o.parents.at(-1) === parent),
    pool.filter((o) => o.kind === u.kind && o.parents.at(-1) !== parent),
    pool.filter((o) => o.kind !== u.kind),
  ];
  return tiers.flatMap((tier) => shuffle(tier, rng)).slice(0, 3);
}

// ---------------------------------------------------------------- questions

/** What a question is built from: the whole ledger (distractors come from it) and the units. */
export interface QuizData {
  targets: readonly Target[];
  units: readonly Unit[];
}

/**
 * One question of a given type about one target; undefined when the type does not fit it
 * (a true-false question needs a hedge such as 以上 or 左右 to swap). `variant` seeds the choices.
 * @example makeQuestion(t, "fill", 7, data)?.question // "填空：新建和改造提升高标准农田____万亩（第5项）"
 */
export function makeQuestion(t: Target, type: QuestionType, variant: number, data: QuizData): QuizQuestion | undefined {
  const key = targetKey(t);
  const rng = mulberry32(hash32(`${variant}:${type}:${key}`));
  const base = { id: `${type}:${variant}:${key}`, type, ref: t.ref, label: t.label, quote: t.quote, doc: t.doc, targetKey: key };
  const u = unitIndex(data.units).get(unitKey(t.doc, t.ref));
  const s = stemOf(t);
  const year = yearPrefix(t, s) + subjectOf(t, s, u);
  const cite = t.label.startsWith("（") ? t.label : `（${t.label}）`;
  switch (type) {
    case "fill":
      return { ...base, question: `填空：${year}${s.before}____${s.unit}${s.after}${cite}`, options: [], answer: formatValue(t.value, t.unit) };
    case "choice": {
      const answer = formatValue(t.value, t.unit);
      const wrong = distractors(t, data.targets, rng);
      if (wrong.length === 0) return undefined;
      return { ...base, question: `选择：${year}${s.before}____${s.after}${cite}`, options: shuffle([answer, ...wrong], rng), answer };
    }
    case "which-task": {
      if (!u) return undefined;
      const wrong = unitDistractors(u, data.units, rng);
      if (wrong.length === 0) return undefined;
      const answer = unitOption(u);
      return { ...base, question: `以下目标是方案哪一项提出的：${statement(t)}`, options: shuffle([answer, ...wrong.map(unitOption)], rng), answer };
    }
    case "true-false": {
      const post = POST_WORDS.find((w) => s.after.startsWith(w));
      const pre = PRE_WORDS.find((w) => s.before.endsWith(w) && PRE_SWAP[w]);
      if (!post && !pre) return undefined;
      const truth = rng() < 0.5;
      let { before, after } = s;
      // After 缩小到/控制在 … the plan means "at most": 左右 turns into 以内 there, not 以上.
      const shrinking = /(?:缩小|下降|降低|降至|控制在|减少)[到至在]?$/.test(before);
      const swapped = shrinking && post === "左右" ? "以内" : shrinking && post === "以内" ? "左右" : post && POST_SWAP[post];
      if (!truth && post) after = swapped + after.slice(post.length);
      else if (!truth && pre) before = before.slice(0, -pre.length) + PRE_SWAP[pre]!;
      return { ...base, question: `判断对错：${year}${before}${s.number}${s.unit}${after}${cite}`, options: ["对", "错"], answer: truth ? "对" : "错" };
    }
  }
}

/**
 * Rebuilds a question from its id, so that a channel can send only the id and the grade is still
 * computed on the server's copy.
 */
export function questionById(id: string, data: QuizData): QuizQuestion | undefined {
  const m = /^([a-z-]+):(\d+):(.+)$/.exec(id);
  if (!m || !(QUESTION_TYPES as readonly string[]).includes(m[1]!)) return undefined;
  const t = data.targets.find((x) => targetKey(x) === m[3]);
  return t ? makeQuestion(t, m[1] as QuestionType, Number(m[2]), data) : undefined;
}

const LETTERS = "ABCDEFGH";

/** Option lines of a question: "A. 78万亩   B. 39万亩 …". */
export function formatOptions(q: QuizQuestion): string {
  return q.options.map((o, i) => `${LETTERS[i]}. ${o}`).join(q.type === "which-task" ? "\n" : "    ");
}

/** The answer as a key shows it: the letter too for choice questions. */
export function answerWithLetter(q: QuizQuestion): string {
  const i = q.options.indexOf(q.answer);
  return i >= 0 && q.type !== "true-false" ? `${LETTERS[i]}. ${q.answer}` : q.answer;
}
