import type { AnswerGrade, AnswerResult } from "./types.js";

/** The answer as JSON (`policybot ask --json`, POST /api/ask): the contract integrations rely on. */
export function answerJson(r: AnswerResult) {
  return {
    question: r.question,
    answer: r.answer,
    abstained: r.abstained,
    grade: answerGrade(r),
    mode: r.mode,
    citations: r.citations.map(({ doc, ref, label, heading, quote, plan }) => ({ doc, ref, label, heading, quote, ...(plan ? { plan } : {}) })),
    ...(r.plans ? { plans: r.plans } : {}),
    ms: r.ms,
  };
}

/** The shape {@link answerJson} returns. */
export type AnswerJson = ReturnType<typeof answerJson>;

/**
 * The answer's grade: the engine's own when it sets one; otherwise an abstention with citations is the
 * closest match and one without any is declined.
 */
export function answerGrade(r: Pick<AnswerResult, "abstained" | "citations"> & { grade?: AnswerGrade }): AnswerGrade {
  if (r.grade === "answered" || r.grade === "closest" || r.grade === "declined") return r.grade;
  if (!r.abstained) return "answered";
  return r.citations.length ? "closest" : "declined";
}
