import { z } from "zod";

/** The kinds of question the quiz asks. */
export const QuestionType = z.enum(["fill", "choice", "which-task", "true-false"]);
export type QuestionType = z.infer<typeof QuestionType>;

/** Every question type, in the order the generator rotates through them. */
export const QUESTION_TYPES: readonly QuestionType[] = QuestionType.options;

/**
 * One quiz question about one target of the ledger.
 * `options` is empty for fill questions; otherwise it holds `answer` exactly once
 * (for true-false it is ["对", "错"]).
 */
export const QuizQuestion = z.object({
  /** `type:variant:targetKey`: enough to rebuild the same question from the ledger (see `questionById`). */
  id: z.string().min(1),
  type: QuestionType,
  question: z.string().min(1),
  options: z.array(z.string()),
  answer: z.string().min(1),
  /** The unit the target is stated in (task:5) and how a person cites it (第5项). */
  ref: z.string(),
  label: z.string(),
  /** The verbatim span of the plan the answer comes from. */
  quote: z.string(),
  doc: z.string(),
  /** Stable key of the target (doc:ref:hash of metric, value and unit); spaced repetition is kept per key. */
  targetKey: z.string(),
});
export type QuizQuestion = z.infer<typeof QuizQuestion>;

/** The verdict on one answer, with what the plan says. */
export const Grade = z.object({
  correct: z.boolean(),
  /** The right answer as it would be shown (78万亩, 对, 第5项 …). */
  expected: z.string(),
  quote: z.string(),
  label: z.string(),
  ref: z.string(),
  /** One line for the user: 正确/错误, the right answer and the citation. */
  explanation: z.string(),
});
export type Grade = z.infer<typeof Grade>;

/** A quiz-level problem a channel should show to the user (no round running, round already running …). */
export class QuizError extends Error {
  override readonly name = "QuizError";
  constructor(
    readonly code: "no-round" | "round-active" | "round-over" | "stale-question" | "no-questions" | "unknown-question" | "already-answered" | "not-issued",
    message: string,
  ) {
    super(message);
  }
}
