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
