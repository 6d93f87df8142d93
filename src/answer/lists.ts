import type { Unit } from "../plan/types.js";
import { weightedOverlap } from "../retrieve/figures.js";
import type { Figure, Retrieval, RetrievedUnit } from "../retrieve/types.js";
import { cite, dedupeCitations } from "./citations.js";
import type { DraftAnswer } from "./types.js";
import { bodySentences, named, tag } from "./unit-text.js";

/** Where list answers read a unit's figures. */
export interface FigureSource {
  figuresOf(unit: Unit): Figure[];
}

/** A list question that asks for figures (目标数字有哪些, 量化指标, what targets) rather than measures. */
const FIGURES_RE = /目标数字|数字|指标|量化|目标值|targets?|figures?|numbers?|indicators?/i;

/** Whether a list question asks for the figures (目标数字有哪些) rather than the measures. */
export function asksFigureList(raw: string): boolean {
  return FIGURES_RE.test(raw);
}
/** Children shown with their own measures; a larger parent lists its children's headings only. */
const MAX_GROUPS = 8;
/** Measures shown under each child of a parent unit. */
const PER_GROUP = 3;

/**
 * Complete lists for 有哪些/哪些举措/目标数字/what-measures questions: every figure that matches
 * (the named unit's, or the topic's across units), or every measure of the unit, grouped by child
 * unit when it has children. Undefined when there is nothing to list.
 */
export function listAnswer(r: Retrieval, deps: FigureSource, en: boolean): DraftAnswer | undefined {
  const top = r.units[0];
  if (!top) return undefined;
  if (FIGURES_RE.test(r.query.raw)) return figuresList(r, deps, en);
  if (top.unit.children.length === 0) return measuresList(top.unit, en);
  return undefined;
}

/** Every figure of the best unit, and those of the next units that speak of the question's topic. */
function figuresList(r: Retrieval, deps: FigureSource, en: boolean): DraftAnswer | undefined {
  const top = r.units[0]!;
  const topical = new Map([...r.weights].filter(([t]) => t.length >= 2 && !FIGURES_RE.test(t)));
  const units: RetrievedUnit[] = top.structural ? [top] : r.units.filter((u) => u.unit.kind !== "notice" && u.score >= top.score * 0.6).slice(0, 4);
  const rows: Array<{ unit: Unit; quote: string }> = [];
  for (const [i, ru] of units.entries()) {
    for (const f of deps.figuresOf(ru.unit)) {
      // The best unit lists all its figures; another unit only those about the topic.
      if (i > 0 && weightedOverlap(`${f.metric} ${f.quote}`, topical) === 0) continue;
      if (!rows.some((x) => x.unit === ru.unit && x.quote.includes(f.quote))) {
        for (let j = rows.length - 1; j >= 0; j--) if (rows[j]!.unit === ru.unit && f.quote.includes(rows[j]!.quote)) rows.splice(j, 1);
        rows.push({ unit: ru.unit, quote: f.quote });
      }
    }
  }
  if (rows.length === 0) return undefined;
  // No count in the text: every number an answer shows must be one a cited unit states.
  const intro = en ? "The plan's figures on this:" : "方案中的相关目标数字：";
  return {
    answer: [intro, ...rows.map((x) => (en ? `• “${x.quote}”${tag(x.unit)}` : `• ${x.quote}${tag(x.unit)}`))].join("\n"),
    abstained: false,
    citations: dedupeCitations(rows.map((x) => cite(x.unit, x.quote))),
  };
}

/** Every measure (sentence) of a unit, each cited. */
function measuresList(unit: Unit, en: boolean): DraftAnswer | undefined {
  const sentences = bodySentences(unit);
  if (sentences.length === 0) return undefined;
  const intro = en ? `${unit.label} (${unit.heading}) sets out these measures:` : `方案${named(unit)}提出的全部举措：`;
  return {
    answer: [intro, ...sentences.map((s) => (en ? `• “${s}”${tag(unit)}` : `• ${s}${tag(unit)}`))].join("\n"),
    abstained: false,
    citations: dedupeCitations(sentences.map((s) => cite(unit, s))),
  };
}

/** A parent unit's measures grouped by child: each child's heading, then its first measures. */
export function groupedMeasures(unit: Unit, children: Unit[], en: boolean): DraftAnswer | undefined {
  if (children.length === 0 || children.length > MAX_GROUPS) return undefined;
  const lines = [en ? `${named(unit)} covers:` : `${named(unit)}包括：`];
  const citations = [];
  for (const c of children) {
    lines.push(`▸ ${c.label} ${c.heading}${tag(c)}`);
    citations.push(cite(c, c.heading));
    const body = bodySentences(c);
    for (const s of body.slice(0, PER_GROUP)) {
      lines.push(en ? `  • “${s}”${tag(c)}` : `  • ${s}${tag(c)}`);
      citations.push(cite(c, s));
    }
    if (body.length > PER_GROUP) lines.push(en ? `  • … and more in ${c.label}` : `  • ……（${c.label}还有更多举措）`);
  }
  return { answer: lines.join("\n"), abstained: false, citations: dedupeCitations(citations) };
}
