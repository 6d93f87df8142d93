import { Composer } from "grammy";
import type { BotContext } from "../context.js";

/** The quiz as the bot sees it; implemented over the quiz service. */
export interface TelegramQuiz {
  composer: Composer<BotContext>;
}

/** No quiz: /quiz explains that it is not enabled. */
export function noQuiz(): TelegramQuiz {
  const composer = new Composer<BotContext>();
  composer.command(["quiz", "leaderboard", "stop"], (ctx) => ctx.reply("测验功能尚未启用。"));
  return { composer };
}
