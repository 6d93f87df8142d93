import { langOf, type Lang, messages } from "../../answer/messages.js";
import type { BotContext } from "./context.js";

/**
 * The language to reply in: Chinese first; English when the user writes English, or (for a command or
 * a button with no words to go by) when their Telegram app is set to English (`language_code`).
 */
export function langOfUpdate(ctx: Pick<BotContext, "msg" | "inlineQuery" | "from">): Lang {
  const raw = ctx.msg?.text ?? ctx.msg?.caption ?? ctx.inlineQuery?.query ?? "";
  const words = raw.replace(/^\/\w+(@\w+)?/, " ").replace(/@\w+/g, " ").trim();
  if (/[\u3400-\u9fff]/.test(words)) return "zh";
  if (langOf(words) === "en") return "en";
  return /^en\b/i.test(ctx.from?.language_code ?? "") ? "en" : "zh";
}

/** The Telegram messages in a language. */
export const telegramText = (lang: Lang) => messages(lang).telegram;
