import type { Unit } from "../plan/types.js";
import type { AnalyzedQuery } from "./query.js";
import { normalizeText } from "./text.js";
import type { Figure, FigureMatch, RetrievedUnit } from "./types.js";

/** A figure must share at least this much informative text with the question to answer it… */
export const FIGURE_MIN_SCORE = 2.5;
/** …and at least this share of what the question is about. */
const FIGURE_MIN_SHARE = 0.25;

/** Measure words that count the same kind of thing; a target in another class cannot answer. */
const MEASURE_CLASSES: Array<[RegExp, string]> = [
  // People are counted with 个 as often as with 人 (多少个护理员), so they share a class.
  [/[个家所座处只套户人名位]$/, "count"],
  [/(公里|千米|km)$/i, "length"],
  [/亩$/, "area"],
  [/吨$/, "weight"],
  [/斤$/, "jin"],
  [/(元|块)$/, "money"],
  [/头$/, "head"],
  [/条$/, "chains"],
  [/[项宗]$/, "items"],
  [/(年|月|天)$/, "time"],
  [/(%|倍)$/, "share"],
];
/** The class of a measure word (count, area, money, time …); a figure answers only a question of its class. */
export function measureClass(unit: string): string {
  for (const [re, cls] of MEASURE_CLASSES) if (re.test(unit)) return cls;
  return unit === "" ? "share" : unit;
}
const MONEY_RE = /钱|元|资金|投资|投入|补贴|经费|费用|预算|拨款|budget|fund|money|yuan|invest|cost|spend/i;

/** Sum of the weights of the tokens a text contains. */
export function weightedOverlap(text: string, weights: Map<string, number>): number {
  return overlapNormalized(normalizeText(text), weights);
}

/** Like {@link weightedOverlap}, for text that is already normalised. */
export function overlapNormalized(norm: string, weights: Map<string, number>): number {
  let s = 0;
  for (const [t, v] of weights) if (norm.includes(t)) s += v;
  return s;
}

/** The measure classes a question asks for (a question can ask two: 多少个项目、投资多少); empty = any. */
export function askedClasses(q: AnalyzedQuery): Set<string> {
  const allowed = new Set<string>();
  if (q.intent.measure) allowed.add(measureClass(q.intent.measure));
  if (MONEY_RE.test(q.normalized) || MONEY_RE.test(q.raw)) allowed.add("money");
  return allowed;
}

/**
 * Figures of the top units, scored by how much of the question their metric and quote share. A
 * figure answers only when its measure fits what is asked (所/个/人, 元, 亩, %), it covers enough of
 * the question, and a city asked about is the figure's own.
 */
export function matchFigures(q: AnalyzedQuery, top: RetrievedUnit[], deps: { weights: Map<string, number>; figuresOf: (u: Unit) => Figure[]; maxIdf: number }): FigureMatch[] {
  const { weights, maxIdf } = deps;
  const allowed = askedClasses(q);
  // What the question is about, without the measure words: the share of it a target's metric covers.
  let topical = 0;
  for (const [t, v] of weights) if (!MONEY_RE.test(t)) topical += v;
  // Words the plans never use are part of what is asked (医保 in 医保报销比例): a figure cannot cover them.
  for (const w of q.words) if (!weights.has(w) && !MONEY_RE.test(w) && !q.expansions.some((e) => e.phrase.includes(w))) topical += maxIdf * (w.length >= 2 ? 1 : 0.3);
  const out: FigureMatch[] = [];
  top.slice(0, 3).forEach((ru, rank) => {
    for (const t of deps.figuresOf(ru.unit)) {
      if (allowed.size > 0 && !allowed.has(measureClass(t.unit))) continue;
      // "宁波要建多少5G基站": a province-wide figure does not answer for one city (unless the city is just where the asker lives).
      if (!q.narrative && q.localPlaces.some((p) => !ru.unit.text.includes(p))) continue;
      // "第二十三项的目标数字": a unit named by its number answers with its own targets.
      const named = ru.structural && q.structural.length > 0;
      const shared = weightedOverlap(`${t.metric} ${t.quote}`, weights) + (named ? FIGURE_MIN_SCORE : 0);
      // An English word maps to several plan terms, so an English question's share runs lower.
      const minShare = q.language === "en" ? FIGURE_MIN_SHARE / 2 : FIGURE_MIN_SHARE;
      if (!named && topical > 0 && shared / topical < minShare) continue;
      const score = shared * (ru.structural ? 1.2 : [1, 0.75, 0.55][rank]!);
      if (score > 0) out.push({ figure: t, unit: ru.unit, score });
    }
  });
  return out.sort((a, b) => b.score - a.score);
}

/**
 * The figures of the kind asked for in the best units, nearest to the question first: what a
 * `closest` answer offers when no figure clearly answers.
 */
export function nearFigures(q: AnalyzedQuery, top: RetrievedUnit[], deps: { weights: Map<string, number>; figuresOf: (u: Unit) => Figure[] }): FigureMatch[] {
  const allowed = askedClasses(q);
  const out: FigureMatch[] = [];
  // The best unit's own figures: a figure of another unit is not "close" to what was asked.
  top.slice(0, 1).forEach((ru, rank) => {
    for (const t of deps.figuresOf(ru.unit)) {
      if (allowed.size > 0 && !allowed.has(measureClass(t.unit))) continue;
      out.push({ figure: t, unit: ru.unit, score: (weightedOverlap(`${t.metric} ${t.quote}`, deps.weights) + 0.01) * (rank === 0 ? 1 : 0.6) });
    }
  });
  return out.sort((a, b) => b.score - a.score);
}
