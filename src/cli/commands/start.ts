import { openFeedbackStore, openKnowledge } from "../../app.js";
import { startTelegram, type RunningBot } from "../../channels/telegram/run.js";
import { parseCommandArgs } from "../args.js";
import { type Command, println } from "../context.js";
import { runChat } from "./chat.js";

/** `policybot start`: the Telegram bot when a token is set; otherwise the local chat. */
export const startCommand: Command = {
  name: "start",
  usage: "policybot start",
  summary: "run policybot: the Telegram bot with TELEGRAM_BOT_TOKEN, otherwise the local chat (what `npm start` runs)",
  async run(argv, ctx) {
    parseCommandArgs("start", argv, {});
    const { config, logger } = ctx;
    const knowledge = await openKnowledge(config, logger);
    const store = openFeedbackStore(config);
    let bot: RunningBot | undefined;
    if (config.TELEGRAM_BOT_TOKEN) {
      bot = await startTelegram(config.TELEGRAM_BOT_TOKEN, { config, logger, knowledge, store });
      println(ctx.stdout, `policybot: Telegram bot @${bot.bot.botInfo.username} is running (${bot.mode}). Ctrl-C stops it.`);
      await new Promise<void>((resolve) => {
        const stop = async (signal: string) => {
          logger.info({ signal }, "policybot: stopping; finishing updates in flight");
          await bot!.stop();
          store.close();
          resolve();
        };
        process.once("SIGINT", () => void stop("SIGINT"));
        process.once("SIGTERM", () => void stop("SIGTERM"));
      });
      return 0;
    }
    try {
      return await runChat(ctx, knowledge.kb, knowledge.engine);
    } finally {
      store.close();
    }
  },
};
