import type { Config } from "../../config.js";
import { botIdOf, type Storage } from "../types.js";
import { ambientQueryable, openPostgres } from "./database.js";
import { PgDeadlineStore } from "./deadline-store.js";
import { PgFeedbackStore } from "./feedback-store.js";
import { PgUpdateGate } from "./gate.js";
import { reloadBus, type ReloadBus } from "./notify.js";
import { PgQuizStore } from "./quiz-store.js";
import { PgRateLimit } from "./rate-limit.js";

/**
 * Every store on one PostgreSQL database (migrated on open), with the shared gate, rate limits and
 * reload notices that several instances need.
 */
export async function openPostgresStorage(config: Config): Promise<Storage> {
  const db = await openPostgres(config.DATABASE_URL!);
  const botId = botIdOf(config.TELEGRAM_BOT_TOKEN);
  let bus: ReloadBus | undefined;
  return {
    backend: "postgres",
    // Store queries join the transaction of the update being handled (see PgUpdateGate).
    feedback: new PgFeedbackStore(ambientQueryable(db.pool)),
    quiz: new PgQuizStore(ambientQueryable(db.pool), db.pool),
    deadlines: new PgDeadlineStore(ambientQueryable(db.pool)),
    gate: new PgUpdateGate(db, botId),
    userLimit: new PgRateLimit(db.pool, "tg", config.USER_RATE_LIMIT),
    apiLimit: new PgRateLimit(db.pool, "api", config.API_RATE_LIMIT),
    async shareReloads(knowledge, logger) {
      let remote = false;
      bus = await reloadBus(config.DATABASE_URL!, async () => {
        remote = true;
        try {
          logger.info("postgres: another instance rebuilt the index; reloading");
          await knowledge.reload();
        } finally {
          remote = false;
        }
      }, logger);
      knowledge.onReload(async () => {
        if (!remote) await bus?.announce();
      });
    },
    async close() {
      await bus?.close();
      await db.close();
    },
  };
}
