import type { Composer, Context } from "grammy";
import type { AnswerEngine } from "../../answer/engine.js";
import type { Lang } from "../../answer/messages.js";
import type { TelegramMessages } from "../../answer/messages-telegram.js";
import type { Config } from "../../config.js";
import type { FeedbackStore } from "../../feedback/store.js";
import type { KnowledgeBase } from "../../knowledge.js";
import type { Logger } from "../../logger.js";
import type { StorageHealth } from "../../storage/health.js";

/** The knowledge base and engine in use; /reindex swaps both. */
export interface Knowledge {
  kb: KnowledgeBase;
  engine: AnswerEngine;
  /** Rebuilds the index from the seeds, swaps in a new engine, then tells the listeners. */
  reload(): Promise<void>;
  /** Called after each reload, so that other channels (the web server, the quiz) follow. */
  onReload(listener: () => Promise<void> | void): void;
}

/** What the bot's features need. */
export interface BotDeps {
  config: Config;
  logger: Logger;
  knowledge: Knowledge;
  store: FeedbackStore;
  /** Runs each update once, one chat at a time; on the local store when absent. */
  gate?: import("../../storage/gate.js").UpdateGate;
  /** Per-user question limit shared by every instance; one in this process when absent. */
  userLimit?: import("../rate-limit.js").RateLimit;
  /** Optional trainer quiz (see features/quiz.ts). */
  quiz?: TelegramQuiz;
  /** The data files' state, for the webhook server's /healthz. */
  storage?: StorageHealth;
}

/** grammY's context with a per-update child logger and the reply language with its messages. */
export type BotContext = Context & { log: Logger; lang: Lang; t: TelegramMessages };

/** The quiz as the bot sees it (built by features/quiz.ts). */
export interface TelegramQuiz {
  composer: Composer<BotContext>;
  /** Starts closing due rounds (any instance's) with this bot's API; the bot calls it once it is ready. */
  start?(api: import("grammy").Api, logger: Logger): void;
  /** Cancels round timers and the sweep (shutdown). */
  dispose(): void;
}
