import type { Knowledge } from "../../src/channels/telegram/context.js";
import type { PlatformDeps } from "../../src/channels/platform/types.js";
import type { Config } from "../../src/config.js";
import { SqliteFeedbackStore } from "../../src/feedback/store.js";
import { createQuizService } from "../../src/quiz/service.js";
import { MemoryQuizStore, type QuizStore } from "../../src/quiz/store.js";
import type { DeadlineStore } from "../../src/quiz/deadlines.js";
import { join } from "node:path";
import { memoryLogger, sharedKb, testEngine } from "./kb.js";

/** Real engine, quiz and feedback store over the seed plans, for the platform channels' tests. */
export async function platformDeps(config: Config, opts: { quizStore?: QuizStore; deadlines?: DeadlineStore } = {}): Promise<PlatformDeps & { store: SqliteFeedbackStore; lines: string[] }> {
  const kb = await sharedKb();
  const engine = await testEngine();
  const knowledge: Knowledge = { kb, engine, async reload() {}, onReload() {} };
  const quiz = createQuizService({ store: opts.quizStore ?? new MemoryQuizStore(), targets: engine.targets, units: kb.docs.flatMap((d) => d.units) });
  const { logger, lines } = memoryLogger();
  const store = new SqliteFeedbackStore(join(config.DATA_DIR, "feedback.sqlite"));
  return { config, logger, knowledge, store, quiz, lines, ...(opts.deadlines ? { deadlines: opts.deadlines } : {}) };
}
