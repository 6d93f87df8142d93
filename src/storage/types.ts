/** The shapes of a storage backend, shared by the opener (storage.ts) and each backend (storage/postgres). */
import type { FeedbackStore } from "../feedback/store.js";
import type { Logger } from "../logger.js";
import type { DeadlineStore } from "../quiz/deadlines.js";
import type { QuizStore } from "../quiz/store.js";
import type { UpdateGate } from "./gate.js";
import type { StorageHealth } from "./health.js";
import type { RateLimit } from "./limits.js";

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
