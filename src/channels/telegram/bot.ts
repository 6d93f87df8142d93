import { autoRetry } from "@grammyjs/auto-retry";
import { sequentialize } from "@grammyjs/runner";
import { apiThrottler } from "@grammyjs/transformer-throttler";
import { Bot, type Transformer } from "grammy";
import { scrubSecrets } from "../../logger.js";
import type { BotContext, BotDeps } from "./context.js";
import { adminFeature } from "./features/admin.js";
import { askFeature, mediaFeature } from "./features/ask.js";
import { helpFeature } from "./features/help.js";
import { plansFeature } from "./features/plans.js";
import { noQuiz } from "./features/quiz.js";
import { targetsFeature } from "./features/targets.js";
import { unitsFeature } from "./features/units.js";
import { htmlToPlain } from "./render.js";
import { StorageError } from "../../storage/errors.js";
import { bestEffort } from "./best-effort.js";
import { langOfUpdate, telegramText } from "./lang.js";
import type { Lang } from "../../answer/messages.js";

/** Options for {@link createBot}. */
export interface CreateBotOptions {
  /** Bot API root; defaults to config.TELEGRAM_API_ROOT. */
  apiRoot?: string;
  /** Throttle outgoing calls to Telegram's limits (default on; off only for loopback benchmarks). */
  throttle?: boolean;
  /** Skip getMe at start (tests that pass botInfo). */
  botInfo?: ConstructorParameters<typeof Bot>[1] extends infer O ? (O extends { botInfo?: infer B } ? B : never) : never;
}

/** The command menu registered at start, in a language (Chinese for everyone, English for English apps). */
export const commandMenu = (lang: Lang = "zh") => Object.entries(telegramText(lang).commands).map(([command, description]) => ({ command, description }));

/** The command menu shown by default (Chinese). */
export const COMMANDS = commandMenu("zh");

/** When Telegram rejects the HTML, the same reply goes out as plain text. */
export const plainTextFallback: Transformer = async (prev, method, payload, signal) => {
  const res = await prev(method, payload, signal);
  const p = payload as { parse_mode?: string; text?: string } | undefined;
  if (!res.ok && res.error_code === 400 && /can't parse entities/i.test(res.description) && p?.parse_mode && typeof p.text === "string" && (method === "sendMessage" || method === "editMessageText")) {
    const { parse_mode: _dropped, ...rest } = p;
    return prev(method, { ...rest, text: htmlToPlain(p.text) } as typeof payload, signal);
  }
  return res;
};

/**
 * Builds the bot: middleware order is decided here alone. Per-chat ordering, a child logger per
 * update, de-duplication across restarts and instances, access control, the features, and a last handler.
 * @example const bot = createBot(token, deps); await bot.init();
 */
export function createBot(token: string, deps: BotDeps, opts: CreateBotOptions = {}): Bot<BotContext> {
  const { config, logger, store } = deps;
  const gate = deps.gate;
  const bot = new Bot<BotContext>(token, {
    client: { apiRoot: opts.apiRoot ?? config.TELEGRAM_API_ROOT },
    ...(opts.botInfo ? { botInfo: opts.botInfo } : {}),
  });
  const secrets = [token];
  bot.api.config.use(plainTextFallback);
  bot.api.config.use(autoRetry({ maxRetryAttempts: 4, maxDelaySeconds: 60 }));
  if (opts.throttle !== false) bot.api.config.use(apiThrottler());

  // One chat's updates in order (follow-ups), different chats concurrently.
  bot.use(sequentialize((ctx: BotContext) => (ctx.chat?.id ?? ctx.from?.id)?.toString()));
  bot.use(async (ctx, next) => {
    ctx.log = logger.child({ update_id: ctx.update.update_id, chat_id: ctx.chat?.id });
    ctx.lang = langOfUpdate(ctx);
    ctx.t = telegramText(ctx.lang);
    const started = performance.now();
    if (gate) {
      // Several instances: the shared gate handles the update once, one chat at a time, or skips it.
      const chatKey = (ctx.chat?.id ?? ctx.from?.id)?.toString();
      const fresh = await gate.run({ updateId: ctx.update.update_id, ...(chatKey ? { chatKey } : {}) }, () => next());
      if (!fresh) {
        ctx.log.info("telegram: update already handled before a restart or by another instance; skipped");
        return;
      }
    } else {
      // Update ids are per bot: another bot on the same DATA_DIR has its own.
      const botId = ctx.me.id;
      // De-duplication is a nicety: without its database the update is handled (a redelivery may be answered twice).
      const handled = await bestEffort(ctx, () => store.wasHandled(botId, ctx.update.update_id), false);
      if (handled) {
        ctx.log.info("telegram: update already handled before a restart; skipped");
        return;
      }
      await next();
      await bestEffort(ctx, () => store.markUpdate(botId, ctx.update.update_id), false);
    }
    ctx.log.debug({ ms: Math.round(performance.now() - started) }, "telegram: update handled");
  });
  bot.use(async (ctx, next) => {
    const allowed = config.ALLOWED_CHAT_IDS;
    const chatId = ctx.chat?.id ?? ctx.from?.id;
    if (allowed.length === 0 || chatId === undefined || allowed.includes(chatId)) return next();
    if (ctx.inlineQuery) return ctx.answerInlineQuery([], { cache_time: 60 });
    if (ctx.callbackQuery) return ctx.answerCallbackQuery({ text: ctx.t.notAllowedShort });
    if (ctx.chat?.type === "private" || ctx.msg?.text?.startsWith("/")) {
      await ctx.reply(ctx.t.notAllowed);
    }
  });

  bot.use(helpFeature(deps));
  bot.use(plansFeature(deps));
  bot.use(unitsFeature(deps));
  bot.use(adminFeature(deps));
  bot.use(targetsFeature(deps));
  bot.use((deps.quiz ?? noQuiz()).composer);
  bot.use(askFeature(deps));
  bot.use(mediaFeature());
  bot.on("message", (ctx) => {
    if (ctx.chat.type === "private" && ctx.msg.text?.startsWith("/")) return ctx.reply(ctx.t.unknownCommand);
  });

  bot.catch(async (err) => {
    const ctx = err.ctx;
    if (err.error instanceof StorageError) {
      // The guarded store has logged the file and the fix; the user learns what is unavailable.
      ctx.log?.warn({ part: err.error.part, fault: err.error.fault }, "telegram: a feature is unavailable (storage)");
      if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: err.error.userMessage.slice(0, 200), show_alert: true }).catch(() => undefined);
      else if (ctx.chat) await ctx.reply(err.error.userMessage).catch(() => undefined);
      return;
    }
    logger.error({ err: { name: err.error instanceof Error ? err.error.name : "Error", message: scrubSecrets(String((err.error as Error)?.message ?? err.error), secrets), stack: scrubSecrets(String((err.error as Error)?.stack ?? ""), secrets) }, update_id: ctx.update.update_id }, "telegram: error while handling an update");
    // The error may come before the language was set (a failing first middleware).
    const t = ctx.t ?? telegramText(langOfUpdate(ctx));
    if (ctx.chat) await ctx.reply(t.failed).catch(() => undefined);
    else if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: t.failedShort }).catch(() => undefined);
  });
  return bot;
}
