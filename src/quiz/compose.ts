/**
 * Which targets a round asks about: only fair ones (their unit and measure read right), each once,
 * the topic's first and, when the topic has too few, related ones (same unit or section, then the
 * nearest by wording). Pure functions of the ledger, the units and a seed.
 */
import type { Unit } from "../plan/types.js";
import { figureOf } from "../targets/extract.js";
import { scanClause } from "../targets/scan.js";
import type { Target } from "../targets/types.js";
import { answerWithLetter, filterTargets, formatOptions, type GenerateOptions, makeQuestion, mulberry32, type QuizData, shuffle, targetKey } from "./generate.js";
import { QUESTION_TYPES, type QuestionType, type QuizQuestion } from "./types.js";

/** A round's questions, and what a person should be told about how they were chosen. */
export interface ComposedRound {
  questions: QuizQuestion[];
  /** Fair targets the topic selects (all fair targets without a topic). */
  topicTargets: number;
  /** Questions about related targets added because the topic had too few. */
  related: number;
  /** For the user, when the topic had fewer targets than asked: 主题“教育”只有3个目标，另补充了2道相关条目的题。 */
  note?: string;
}

const key = (doc: string, ref: string) => `${doc}\u0000${ref}`;

/**
 * A test of whether targets make fair questions: the quote is verbatim in the target's unit, the
 * quote's own figure reads back as the target's value and measure (6个月 is never 6个) and is
 * printed in digits (一半 would have to be asked as 50%), the figure is a single value (ranges are not asked), and the metric names something without taking in
 * another target's figure.
 * @example ledger.filter(fairTargets({ targets: ledger, units }))
 */
export function fairTargets(data: QuizData): (t: Target) => boolean {
  const units = new Map(data.units.map((u) => [key(u.doc, u.ref), u]));
  const byUnit = new Map<string, Target[]>();
  for (const t of data.targets) byUnit.set(key(t.doc, t.ref), [...(byUnit.get(key(t.doc, t.ref)) ?? []), t]);
  return (t) => {
    const u = units.get(key(t.doc, t.ref));
    if (!u || !t.quote || (t.high !== undefined && t.high !== t.value)) return false;
    const at = t.index ?? u.text.indexOf(t.quote);
    if (at < 0 || u.text.slice(at, at + t.quote.length) !== t.quote) return false;
    // The figure as the plan prints it, in digits: a question on 一所 or 一半 would have to answer 1所 or 50%.
    const digits = String(t.value);
    if (!(t.unit === "%" ? [`${digits}%`, `${digits}％`] : [`${digits}${t.unit}`]).some((f) => t.quote.includes(f))) return false;
    if (!scanClause(t.quote, 0, t.quote.length).some((k) => k.value === t.value && k.unit === t.unit && k.high === k.value)) return false;
    if ([...t.metric.replace(/[^\u4e00-\u9fff]/g, "")].length < 2) return false;
    const others = (byUnit.get(key(t.doc, t.ref)) ?? []).filter((o) => o !== t && `${o.value}${o.unit}` !== `${t.value}${t.unit}`);
    return !others.some((o) => t.metric.includes(figureOf(o)));
  };
}

/** Character pairs of a text, for a rough "how close in wording" between a target and a topic. */
function bigrams(s: string): Set<string> {
  const chars = [...s.replace(/[^\u4e00-\u9fffA-Za-z0-9]/g, "")];
  return new Set(chars.slice(1).map((c, i) => chars[i]! + c));
}

/**
 * Targets related to a topic's own, best first: those of the same units, then of the same sections
 * or parts, then the rest by how much of their wording they share with the topic and its targets.
 */
export function relatedTargets(own: readonly Target[], pool: readonly Target[], units: readonly Unit[], topic: string, rng: () => number): Target[] {
  const unitOf = new Map(units.map((u) => [key(u.doc, u.ref), u]));
  const mine = new Set(own.map(targetKey));
  const ownUnits = new Set(own.map((t) => key(t.doc, t.ref)));
  const ownParents = new Set(own.flatMap((t) => (unitOf.get(key(t.doc, t.ref))?.parents ?? []).map((p) => key(t.doc, p))));
  const ownDocs = new Set(own.map((t) => t.doc));
  const words = bigrams([topic, ...own.map((t) => `${t.metric}${unitOf.get(key(t.doc, t.ref))?.heading ?? ""}`)].join(" "));
  const rest = pool.filter((t) => !mine.has(targetKey(t)));
  const sameUnit = rest.filter((t) => ownUnits.has(key(t.doc, t.ref)));
  const parentOf = (t: Target) => unitOf.get(key(t.doc, t.ref))?.parents.at(-1);
  const ownParent = new Set(own.flatMap((t) => (parentOf(t) ? [key(t.doc, parentOf(t)!)] : [])));
  const sameSection = rest.filter((t) => !ownUnits.has(key(t.doc, t.ref)) && (ownParent.has(key(t.doc, parentOf(t) ?? "")) || ownUnits.has(key(t.doc, parentOf(t) ?? ""))));
  const near = new Set([...sameUnit, ...sameSection]);
  // Then by wording shared with the topic and its targets, a shared part or document breaking ties.
  const score = (t: Target) => {
    const u = unitOf.get(key(t.doc, t.ref));
    const b = bigrams(`${t.metric}${u?.heading ?? ""}`);
    let shared = 0;
    for (const x of b) if (words.has(x)) shared++;
    const kin = (u?.parents ?? []).some((p) => ownParents.has(key(t.doc, p))) ? 0.5 : 0;
    return shared + kin + (ownDocs.has(t.doc) ? 0.25 : 0);
  };
  const others = shuffle(rest.filter((t) => !near.has(t)), rng)
    .map((t) => ({ t, s: score(t) }))
    .sort((a, b) => b.s - a.s)
    .map((x) => x.t);
  return [...shuffle(sameUnit, rng), ...shuffle(sameSection, rng), ...others];
}

/** One target per figure: two ledger entries for the same figure of the same sentence are one question. */
function distinct(targets: readonly Target[]): Target[] {
  const seen = new Set<string>();
  return targets.filter((t) => {
    const k = `${t.doc}|${t.ref}|${t.index ?? t.quote}|${t.value}|${t.unit}`;
    if (seen.has(k) || seen.has(targetKey(t))) return false;
    seen.add(k).add(targetKey(t));
    return true;
  });
}

/**
 * A round of `count` questions: each target at most once, types rotating so that consecutive
 * questions differ; when the topic has fewer fair targets than asked, related ones fill the round
 * and `note` says so.
 * @example composeRound(targets, units, { count: 5, topic: "教育", seed: 1 }).note // "主题“教育”只有3个目标，另补充了2道相关条目的题。"
 */
export function composeRound(targets: readonly Target[], units: readonly Unit[], opts: GenerateOptions): ComposedRound {
  const rng = mulberry32(opts.seed ?? 1);
  const types = opts.types?.length ? opts.types : QUESTION_TYPES;
  const data = { targets, units };
  const fair = fairTargets(data);
  const topic = opts.topic?.trim();
  const own = distinct(filterTargets(targets, units, topic).filter(fair));
  const related = topic && own.length > 0 && own.length < opts.count ? relatedTargets(own, distinct(targets.filter(fair)), units, topic, rng) : [];
  const ownKeys = new Set(own.map(targetKey));
  const questions = askEach([...shuffle(own, rng), ...related], types, opts.count, rng, data);
  const extra = questions.filter((q) => !ownKeys.has(q.targetKey)).length;
  const note = topic && own.length > 0 && own.length < opts.count
    ? `主题“${topic}”只有${own.length}个目标${extra ? `，另补充了${extra}道相关条目的题` : ""}。`
    : undefined;
  return { questions, topicTargets: own.length, related: extra, ...(note ? { note } : {}) };
}

/** One question per target, in order, until `count`: the first type that fits, starting from a rotating one. */
function askEach(order: readonly Target[], types: readonly QuestionType[], count: number, rng: () => number, data: QuizData): QuizQuestion[] {
  const out: QuizQuestion[] = [];
  const asked = new Set<string>();
  for (const t of order) {
    if (out.length >= count) break;
    const k = targetKey(t);
    if (asked.has(k)) continue;
    for (let j = 0; j < types.length; j++) {
      const q = makeQuestion(t, types[(out.length + j) % types.length]!, Math.floor(rng() * 1e6), data);
      if (!q) continue;
      asked.add(k);
      out.push(q);
      break;
    }
  }
  return out;
}

/**
 * `count` questions on a topic (see {@link composeRound}), without the note.
 * @example generateQuestions(targets, units, { count: 5, topic: "教育", seed: 1 })
 */
export function generateQuestions(targets: readonly Target[], units: readonly Unit[], opts: GenerateOptions): QuizQuestion[] {
  return composeRound(targets, units, opts).questions;
}

/**
 * A printable sheet: numbered questions, then the answer key with the verbatim quote and label.
 * @example quizSheet(targets, units, { count: 10, seed: 3 }).text
 */
export function quizSheet(targets: readonly Target[], units: readonly Unit[], opts: GenerateOptions & { title?: string }): { questions: QuizQuestion[]; text: string; note?: string } {
  const { questions, note } = composeRound(targets, units, opts);
  const head = `${opts.title ?? "政策要点测验"}（共${questions.length}题${opts.topic ? `，主题：${opts.topic}` : ""}，编号 ${opts.seed ?? 1}）`;
  const lines = [head, ...(note ? [note] : []), "", "姓名：__________    得分：__________", ""];
  questions.forEach((q, i) => {
    lines.push(`${i + 1}. ${q.question}`);
    if (q.options.length) lines.push(...formatOptions(q).split("\n").map((l) => `   ${l}`));
    else lines.push("   答：______________");
    lines.push("");
  });
  lines.push("—— 答案 ——", "");
  questions.forEach((q, i) => lines.push(`${i + 1}. ${answerWithLetter(q)}　原文：“${q.quote}”（${q.label}）`));
  return { questions, text: lines.join("\n"), ...(note ? { note } : {}) };
}
