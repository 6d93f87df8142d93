/**
 * Where user data lives: SQLite files in DATA_DIR (the default, one instance), or PostgreSQL when
 * DATABASE_URL is set (any number of instances). Both give the same stores; PostgreSQL adds what
 * several instances need to agree on.
 */
import { join } from "node:path";
import type { Config } from "./config.js";
import { type FeedbackStore, SqliteFeedbackStore } from "./feedback/store.js";
import type { Logger } from "./logger.js";
import { type DeadlineStore, SqliteDeadlineStore } from "./quiz/deadlines.js";
import { openQuizDatabase, type QuizStore, quizDbPath, SqliteQuizStore } from "./quiz/store.js";
import type { UpdateGate } from "./storage/gate.js";
import { guardStore } from "./storage/guard.js";
import { StorageHealth } from "./storage/health.js";
import type { RateLimit } from "./storage/limits.js";

/** Where answers, votes and chat state live under DATA_DIR (SQLite). */
export const feedbackDbPath = (dataDir: string) => join(dataDir, "policybot.sqlite");

/** What the storage openers share: a logger for faults and the health that /healthz reports. */
export interface StorageDeps {
  logger: Logger;
  health?: StorageHealth;
}

/** The stores of one backend, and (PostgreSQL) the pieces that make several instances agree. */
export interface Storage {
  backend: "sqlite" | "postgres";
  feedback: FeedbackStore;
  quiz: QuizStore;
  /** Quiz timers (a round's question closes at its deadline) that outlive the process that set them. */
  deadlines: DeadlineStore;
  /** Handled updates and per-chat order across instances; absent: the bot's local gate. */
  gate?: UpdateGate;
  /** Per Telegram user, across instances; absent: a limiter in this process. */
  userLimit?: RateLimit;
  /** Per API client, across instances; absent: a limiter in this process. */
  apiLimit?: RateLimit;
  /** After a local reload the other instances reload; a reload elsewhere reloads here. */
  shareReloads?(knowledge: { reload(): Promise<void>; onReload(l: () => Promise<void> | void): void }, logger: Logger): Promise<void>;
  close(): Promise<void>;
}

/** The Telegram bot id: the number before the colon of its token (0 without a bot). */
export const botIdOf = (token: string | undefined) => Number(token?.split(":")[0] ?? 0) || 0;

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
