/**
 * Where user data lives: SQLite files in DATA_DIR (the default, one instance), or PostgreSQL when
 * DATABASE_URL is set (any number of instances). Both give the same stores; PostgreSQL adds what
 * several instances need to agree on.
 */
import { join } from "node:path";
import type { Config } from "./config.js";
import { SqliteFeedbackStore } from "./feedback/store.js";
import { SqliteDeadlineStore } from "./quiz/deadlines.js";
import { openQuizDatabase, quizDbPath, SqliteQuizStore } from "./quiz/store.js";
import { guardStore } from "./storage/guard.js";
import { StorageHealth } from "./storage/health.js";

/** Where answers, votes and chat state live under DATA_DIR (SQLite). */
export const feedbackDbPath = (dataDir: string) => join(dataDir, "policybot.sqlite");

export { botIdOf, type Storage, type StorageDeps } from "./storage/types.js";
import type { Storage, StorageDeps } from "./storage/types.js";

/**
 * Opens the configured backend. PostgreSQL's client loads only when DATABASE_URL is set; it must be
 * reachable at start. SQLite never throws at open: a file that cannot serve makes every call of its
 * store throw a StorageError naming it (see guardStore), and nothing else stops.
 * @example const storage = await openStorage(config, { logger }); … await storage.close();
 */
export async function openStorage(config: Config, deps: StorageDeps): Promise<Storage> {
  if (config.DATABASE_URL) {
    const { openPostgresStorage } = await import("./storage/postgres/storage.js");
    return openPostgresStorage(config);
  }
  const health = deps.health ?? new StorageHealth();
  const feedbackFile = feedbackDbPath(config.DATA_DIR);
  const quizFile = quizDbPath(config.DATA_DIR);
  const feedback = guardStore({ part: "feedback", file: feedbackFile, open: () => new SqliteFeedbackStore(feedbackFile), health, logger: deps.logger });
  const quiz = guardStore({ part: "quiz", file: quizFile, open: () => new SqliteQuizStore(quizFile), health, logger: deps.logger });
  // A second connection to the quiz file: its migrations create the deadlines table.
  const deadlines = guardStore({ part: "quiz", file: quizFile, open: () => new SqliteDeadlineStore(openQuizDatabase(quizFile)), health, logger: deps.logger });
  return {
    backend: "sqlite",
    feedback,
    quiz,
    deadlines,
    async close() {
      deadlines.close();
      quiz.close();
      feedback.close();
    },
  };
}
