import type { AnswerResult } from "./types.js";

/** The answer as JSON (`policybot ask --json`, POST /api/ask): the contract integrations rely on. */
export function answerJson(r: AnswerResult) {
  return {
    question: r.question,
    answer: r.answer,
    abstained: r.abstained,
    mode: r.mode,
    citations: r.citations.map(({ doc, ref, label, heading, quote }) => ({ doc, ref, label, heading, quote })),
    ms: r.ms,
  };
}

/** The shape {@link answerJson} returns. */
export type AnswerJson = ReturnType<typeof answerJson>;

/** How firmly a question was answered; shown as a label beside declined and uncertain answers. */
export type AnswerGrade = "answered" | "closest" | "declined";

/**
 * The answer's grade: the engine's own when it sets one; otherwise an abstention with citations is the
 * closest match and one without any is declined.
 */
export function answerGrade(r: Pick<AnswerResult, "abstained" | "citations"> & { grade?: string }): AnswerGrade {
  if (r.grade === "answered" || r.grade === "closest" || r.grade === "declined") return r.grade;
  if (!r.abstained) return "answered";
  return r.citations.length ? "closest" : "declined";
}
