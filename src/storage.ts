/**
 * Where user data lives: SQLite files in DATA_DIR (the default, one instance), or PostgreSQL when
 * DATABASE_URL is set (any number of instances). Both give the same stores; PostgreSQL adds what
 * several instances need to agree on.
 */
import { join } from "node:path";
import type { Config } from "./config.js";
import { type FeedbackStore, SqliteFeedbackStore } from "./feedback/store.js";
import type { Logger } from "./logger.js";
import { type QuizStore, quizDbPath, SqliteQuizStore } from "./quiz/store.js";
import type { UpdateGate } from "./storage/gate.js";
import type { RateLimit } from "./storage/limits.js";

/** The stores of one backend, and (PostgreSQL) the pieces that make several instances agree. */
export interface Storage {
  backend: "sqlite" | "postgres";
  feedback: FeedbackStore;
  quiz: QuizStore;
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
 * Opens the configured backend. PostgreSQL's client loads only when DATABASE_URL is set.
 * @example const storage = await openStorage(config); … await storage.close();
 */
export async function openStorage(config: Config): Promise<Storage> {
  if (config.DATABASE_URL) {
    const { openPostgresStorage } = await import("./storage/postgres/storage.js");
    return openPostgresStorage(config);
  }
  const feedback = new SqliteFeedbackStore(join(config.DATA_DIR, "policybot.sqlite"));
  const quiz = new SqliteQuizStore(quizDbPath(config.DATA_DIR));
  return {
    backend: "sqlite",
    feedback,
    quiz,
    async close() {
      quiz.close();
      feedback.close();
    },
  };
}
