import { z } from "zod";

/** A citation: the unit that supports a claim and a quote that is verbatim in that unit's text. */
export const Citation = z.object({
  doc: z.string(),
  ref: z.string(),
  label: z.string(),
  heading: z.string(),
  quote: z.string(),
  /** The plan's short name, set only when several plans are loaded (the tag reads 〔plan·label〕). */
  plan: z.string().optional(),
});
export type Citation = z.infer<typeof Citation>;

/** A previous turn, for follow-ups. */
export const HistoryTurn = z.object({ q: z.string(), a: z.string().optional() });
export type HistoryTurn = z.infer<typeof HistoryTurn>;

/** What was retrieved, for transparency and debugging. */
export interface RetrievedRef {
  doc: string;
  ref: string;
  label: string;
  heading: string;
  score: number;
}

/**
 * How far the answer goes: `answered` (the figure or measure itself), `closest` (the plan has
 * related content but nothing that clearly answers; the closest figures or measures are given),
 * `declined` (no unit is about the question; the closest units are named).
 */
export type AnswerGrade = "answered" | "closest" | "declined";

/** How the answer was produced. */
export type AnswerMode = "extractive" | "llm";

/** The one answer object every channel shows. */
export interface AnswerResult {
  question: string;
  answer: string;
  /** True only for declined answers. */
  abstained: boolean;
  grade: AnswerGrade;
  mode: AnswerMode;
  /** First the citation that answers most directly. */
  citations: Citation[];
  /** With several plans loaded: the plans the answer is from (several when a reference fits each). */
  plans?: Array<{ doc: string; shortName: string }>;
  retrieved: RetrievedRef[];
  confidence: number;
  /** Set when the fluent (LLM) mode was tried and the offline answer was used instead. */
  fallback?: string;
  ms: number;
}

/** The question is unusable (empty, too long); the message is for the user. */
export class AnswerInputError extends Error {
  override readonly name = "AnswerInputError";
}

/** An answer before timing and retrieval details are added. */
export interface DraftAnswer {
  answer: string;
  abstained: boolean;
  /** Defaults to declined when abstained, else answered. */
  grade?: AnswerGrade;
  citations: Citation[];
}
