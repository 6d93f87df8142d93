import { createServer, type Server } from "node:http";
import { run, type RunnerHandle } from "@grammyjs/runner";
import { BotError, webhookCallback, type Bot } from "grammy";
import type { Logger } from "../../logger.js";
import { COMMANDS, commandMenu, createBot, type CreateBotOptions } from "./bot.js";
import type { BotContext, BotDeps } from "./context.js";

/** A running bot; `stop()` stops taking updates, finishes those in flight, then resolves. */
export interface RunningBot {
  bot: Bot<BotContext>;
  mode: "polling" | "webhook";
  stop(): Promise<void>;
}

const ALLOWED_UPDATES = ["message", "callback_query", "inline_query"] as const;

/** Registers the command menu; a failure is logged and never stops the bot. */
async function registerCommands(bot: Bot<BotContext>, logger: Logger): Promise<void> {
  await bot.api.setMyCommands(COMMANDS).catch((err) => logger.warn({ err: { message: String(err?.message) } }, "telegram: could not register the command menu"));
  // Telegram shows this menu to users whose app is in English.
  await bot.api.setMyCommands(commandMenu("en"), { language_code: "en" }).catch((err) => logger.warn({ err: { message: String(err?.message) } }, "telegram: could not register the English command menu"));
}

/**
 * Starts the bot: long polling through @grammyjs/runner, or a webhook server when WEBHOOK_URL is set.
 * @example const running = await startTelegram(token, deps); process.once("SIGTERM", () => running.stop());
 */
export async function startTelegram(token: string, deps: BotDeps, opts: CreateBotOptions = {}): Promise<RunningBot> {
  const { config, logger } = deps;
  const bot = createBot(token, deps, opts);
  await bot.init();
  await registerCommands(bot, logger);
  // Due round questions, this instance's or a dead one's, are closed with this bot's API.
  deps.quiz?.start?.(bot.api, logger);

  if (config.WEBHOOK_URL) {
    await bot.api.setWebhook(config.WEBHOOK_URL, { secret_token: config.WEBHOOK_SECRET, allowed_updates: [...ALLOWED_UPDATES], drop_pending_updates: false });
    const handle = webhookCallback(bot, "http", { secretToken: config.WEBHOOK_SECRET, timeoutMilliseconds: 55_000 });
    let inFlight = 0;
    const server: Server = createServer(async (req, res) => {
      if (req.method === "GET" && req.url === "/healthz") {
        const storage = deps.storage ? { status: deps.storage.status, storage: deps.storage.report() } : { status: "ok" };
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ ok: true, mode: "webhook", bot: bot.botInfo.username, ...storage }));
        return;
      }
      if (req.method !== "POST" || !req.url?.startsWith(new URL(config.WEBHOOK_URL!).pathname)) {
        res.writeHead(404).end();
        return;
      }
      inFlight++;
      try {
        await handle(req, res);
      } catch (err) {
        if (err instanceof BotError) {
          // webhookCallback does not call bot.catch (only polling does): apologise here as in polling, and
          // answer 200 so that Telegram does not redeliver the failing update again and again.
          await Promise.resolve(bot.errorHandler(err)).catch(() => undefined);
          if (!res.headersSent) res.writeHead(200).end();
          return;
        }
        logger.error({ err }, "telegram: webhook request failed");
        if (!res.headersSent) res.writeHead(500).end();
      } finally {
        inFlight--;
      }
    });
    await new Promise<void>((resolve) => server.listen(config.WEBHOOK_PORT, config.HOST, resolve));
    logger.info({ url: config.WEBHOOK_URL, port: config.WEBHOOK_PORT, bot: bot.botInfo.username }, "telegram: webhook server listening");
    return {
      bot,
      mode: "webhook",
      async stop() {
        await new Promise<void>((resolve) => server.close(() => resolve()));
        while (inFlight > 0) await new Promise((r) => setTimeout(r, 50));
      },
    };
  }

  // Polling and a webhook cannot both be set; polling wins when no WEBHOOK_URL is configured.
  await bot.api.deleteWebhook({ drop_pending_updates: false });
  const runner: RunnerHandle = run(bot, { runner: { fetch: { allowed_updates: [...ALLOWED_UPDATES] } } });
  logger.info({ bot: bot.botInfo.username }, "telegram: long polling");
  return {
    bot,
    mode: "polling",
    async stop() {
      if (runner.isRunning()) await runner.stop();
      // runner.stop() resolves once fetching has stopped, not when the updates being handled are done.
      while (runner.size() > 0) await new Promise((r) => setTimeout(r, 20));
    },
  };
}
