import type { Unit } from "../plan/types.js";
import type { AnalyzedQuery } from "./query.js";

/** A supporting piece of a retrieved unit. */
export interface SupportingChunk {
  text: string;
  /** Offset in the unit text. */
  start: number;
  score: number;
}

/** One unit found for a question. */
export interface RetrievedUnit {
  unit: Unit;
  /** Fused ranking score (higher is better; only comparable within one query). */
  score: number;
  /** Lexical score relative to the best unit (0–1), and the raw BM25 score. */
  lexical: number;
  lexicalRaw: number;
  vector: number;
  structural: boolean;
  /** Share of the question's information (idf-weighted words and bigrams) found in this unit, 0–1. */
  coverage: number;
  /** The unit's best-matching sentences, best first. */
  chunks: SupportingChunk[];
}

/** What ranking found: the analysed question and the units, best first. It judges nothing. */
export interface Ranking {
  query: AnalyzedQuery;
  units: RetrievedUnit[];
  /** The question's tokens weighted by how informative they are in this corpus. */
  weights: Map<string, number>;
}

/**
 * A figure stated in a unit, as the grading step reads it: what is measured, the measure word, and a
 * verbatim quote. Targets of the ledger are figures; so is every other quantity of a unit.
 */
export interface Figure {
  metric: string;
  /** The measure as written (万亩, %, 个月, 亿元); "" for a bare ratio. */
  unit: string;
  quote: string;
  /** Position of the quote in the unit's text, when known. */
  index?: number;
  /** The figure itself as printed (60%—70%), when known. */
  figure?: string;
  /** For a figure of a respective list (分别给予…), the condition it goes with, as printed (5亿美元). */
  condition?: string;
}

/** A figure of a retrieved unit that matches what a "how much" question asks about. */
export interface FigureMatch {
  figure: Figure;
  unit: Unit;
  score: number;
  /** The share of what the question is about that the figure and its sentence cover (0–1). */
  share?: number;
}

/** Why an answer is declined or only closest. */
export type GradeReason = "no-match" | "other-year" | "other-day" | "other-place" | "no-figure" | "no-date" | "unit-dates" | "advice" | "other-batch" | "outcome" | "forecast";
/** @deprecated the old name of {@link GradeReason}. */
export type LowConfidenceReason = GradeReason;

/**
 * How far the plans answer a question: `answered` (the figure or measure itself), `closest`
 * (related content, nothing that clearly answers), `declined` (no unit is about it).
 */
export type Grade = "answered" | "closest" | "declined";

/** A ranking with its grade: what the answer layer reads. */
export interface Retrieval extends Ranking {
  grade: Grade;
  /** Calibrated confidence that the top unit answers the question, 0–1. */
  confidence: number;
  /** True when the answer is declined (kept for callers that only ask yes or no). */
  lowConfidence: boolean;
  /** Why the grade is not `answered`, in words for logs, and as a code. */
  reason?: string;
  reasonCode?: GradeReason;
  /** For "how much" questions: figures of the top units that answer, best first. */
  figures: FigureMatch[];
  /** For a `closest` figure answer: the top units' figures of the kind asked, nearest first. */
  nearFigures: FigureMatch[];
  /** The top unit's own heading names the question's topic (a broad question about that unit). */
  topicInTitle: boolean;
}
