import type { AnswerEngine } from "../../../answer/engine.js";
import type { Config } from "../../../config.js";
import type { FeedbackStore } from "../../../feedback/store.js";
import type { KnowledgeBase } from "../../../knowledge.js";
import type { QuizService } from "../../../quiz/service.js";
import { UnknownPlanError } from "../../../retrieve/plans.js";
import { HttpError, type Route } from "../http.js";

/** The quiz operations the web page uses (the QuizService of src/quiz/service.ts, or a stub in tests). */
export type WebQuiz = Pick<QuizService, "next" | "answer" | "score"> &
  Partial<Pick<QuizService, "startRound" | "answerRound" | "advanceRound" | "finishRound" | "stopRound" | "activeRound" | "roundQuestion" | "leaderboard">>;

/** What the API routes read. */
export interface RouteDeps {
  config: Pick<Config, "MAX_QUESTION_CHARS">;
  kb: KnowledgeBase;
  engine: AnswerEngine;
  quiz?: WebQuiz;
  store?: Pick<FeedbackStore, "recordAnswer" | "vote">;
}

/** The plan a `doc` parameter names (id, short name, 文号…); undefined when absent; 400 listing the plans when it names none. */
export function planParam(kb: KnowledgeBase, value: string | null | undefined): string | undefined {
  if (value === null || value === undefined || value.trim() === "") return undefined;
  try {
    return kb.catalog.resolve(value.slice(0, 200)).id;
  } catch (err) {
    if (err instanceof UnknownPlanError) throw new HttpError(400, `doc: ${err.message}`);
    throw err;
  }
}

/** Routes keyed by path (a key ending in "/" matches a prefix). */
export type Routes = Array<[string, Route]>;
