import { join } from "node:path";
import { createAnswerEngine } from "./answer/engine.js";
import { createLlm } from "./answer/create-llm.js";
import type { Knowledge } from "./channels/telegram/context.js";
import type { Config } from "./config.js";
import { SqliteFeedbackStore, type FeedbackStore } from "./feedback/store.js";
import { openKnowledgeBase } from "./knowledge.js";
import type { Logger } from "./logger.js";
import { createQuizService, type QuizService } from "./quiz/service.js";
import { quizDbPath, SqliteQuizStore } from "./quiz/store.js";
import { guardStore } from "./storage/guard.js";
import { StorageHealth } from "./storage/health.js";


/**
 * Opens the knowledge base and makes the answer engine, behind a holder whose reload() rebuilds
 * the index and swaps both (the /reindex command).
 */
export async function openKnowledge(config: Config, logger: Logger): Promise<Knowledge> {
  const make = async (force: boolean) => {
    const kb = await openKnowledgeBase({ config, logger, force });
    return { kb, engine: createAnswerEngine({ kb, config, logger, llm: await createLlm(config, logger) }) };
  };
  const first = await make(false);
  const listeners: Array<() => Promise<void> | void> = [];
  const holder: Knowledge = {
    ...first,
    async reload() {
      const next = await make(true);
      holder.kb = next.kb;
      holder.engine = next.engine;
      for (const listener of listeners) await listener();
    },
    onReload(listener) {
      listeners.push(listener);
    },
  };
  return holder;
}

/** Where answers, votes and chat state live under DATA_DIR. */
export const feedbackDbPath = (dataDir: string) => join(dataDir, "policybot.sqlite");

/** What the storage openers share: a logger for faults and the health that /healthz reports. */
export interface StorageDeps {
  logger: Logger;
  health?: StorageHealth;
}

/**
 * The store for answers, votes and chat state: DATA_DIR/policybot.sqlite. It never throws at open:
 * a file that cannot serve makes every call throw a StorageError naming it (see guardStore).
 */
export function openFeedbackStore(config: Config, deps: StorageDeps): FeedbackStore {
  const file = feedbackDbPath(config.DATA_DIR);
  return guardStore({ part: "feedback", file, open: () => new SqliteFeedbackStore(file), health: deps.health ?? new StorageHealth(), logger: deps.logger });
}

/**
 * The trainer quiz over the ledger, stored in DATA_DIR/quiz.sqlite; it follows the knowledge across
 * reloads. A quiz database that cannot serve makes quiz calls throw a StorageError; nothing else stops.
 */
export function openQuiz(config: Config, knowledge: Knowledge, deps: StorageDeps): { quiz: QuizService; close(): void } {
  const file = quizDbPath(config.DATA_DIR);
  const store = guardStore({ part: "quiz", file, open: () => new SqliteQuizStore(file), health: deps.health ?? new StorageHealth(), logger: deps.logger });
  const build = () => createQuizService({ store, targets: knowledge.engine.targets, units: knowledge.kb.docs.flatMap((d) => d.units) });
  let current = build();
  knowledge.onReload(() => {
    current = build();
  });
  // Channels keep this object; every call goes to the service over the current ledger.
  const quiz = new Proxy({} as QuizService, { get: (_target, name) => current[name as keyof QuizService] });
  return { quiz, close: () => store.close() };
}
