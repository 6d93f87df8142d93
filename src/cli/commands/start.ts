import { openKnowledge, openQuiz } from "../../app.js";
import { openStorage } from "../../storage.js";
import { quizFeature } from "../../channels/telegram/features/quiz.js";
import { startTelegram, type RunningBot } from "../../channels/telegram/run.js";
import { PortInUseError, startWeb } from "../../channels/web/server.js";
import { startPlatforms } from "../../channels/platform/start.js";
import { StorageHealth } from "../../storage/health.js";
import { terminalProgress } from "../progress.js";
import { parseCommandArgs } from "../args.js";
import { type Command, println } from "../context.js";

/**
 * `policybot start` (what `npm start` runs): the web chat and HTTP API without a Telegram token;
 * the Telegram bot with one (and the web server beside it when WEB=on).
 */
export const startCommand: Command = {
  name: "start",
  usage: "policybot start",
  summary: "run policybot: web chat + HTTP API offline by default; the Telegram bot when TELEGRAM_BOT_TOKEN is set",
  async run(argv, ctx) {
    parseCommandArgs("start", argv, {}, ctx.m);
    const { config, logger, m, c } = ctx;
    const progress = terminalProgress(ctx.stderr);
    const knowledge = await openKnowledge(config, logger, { onProgress: progress }).finally(() => progress?.done());
    const { index } = knowledge.kb;
    // One line in the log, whichever way the index came: what was loaded or built, and how long it took.
    logger.info({ origin: index.origin, reason: index.reason, dir: config.INDEX_DIR, docs: knowledge.kb.docs.length, chunks: index.chunks.length, ms: Math.round(index.ms) }, `index ${index.origin} in ${(index.ms / 1000).toFixed(1)} s`);
    // One broken data file disables its feature and shows in /healthz; questions are answered regardless.
    const health = new StorageHealth();
    const storage = await openStorage(config, { logger, health });
    await storage.shareReloads?.(knowledge, logger);
    const store = storage.feedback;
    const quiz = openQuiz(storage.quiz, knowledge);
    const telegramQuiz = quizFeature(quiz.quiz, { roundSeconds: config.QUIZ_ROUND_SECONDS, deadlines: storage.deadlines });
    let bot: RunningBot | undefined;
    let web: Awaited<ReturnType<typeof startWeb>> | undefined;
    let platforms: Awaited<ReturnType<typeof startPlatforms>> | undefined;
    try {
      // DingTalk, WeCom and Feishu callbacks, on their own port, beside Telegram and the web server.
      platforms = await startPlatforms({ config, logger, knowledge, store, quiz: quiz.quiz, userLimit: storage.userLimit, deadlines: storage.deadlines });
      if (platforms) println(ctx.stdout, `policybot: ${platforms.describe()}`);
      if (config.TELEGRAM_BOT_TOKEN) {
        bot = await startTelegram(config.TELEGRAM_BOT_TOKEN, { config, logger, knowledge, store, quiz: telegramQuiz, storage: health, gate: storage.gate, userLimit: storage.userLimit });
        println(ctx.stdout, `policybot: Telegram bot @${bot.bot.botInfo.username} is running (${bot.mode}).`);
      }
      if (config.WEB === "on" || (config.WEB === "auto" && !bot && !platforms)) {
        try {
          web = await startWeb({ config, logger, kb: knowledge.kb, engine: knowledge.engine, quiz: quiz.quiz, store, storage: health, apiLimit: storage.apiLimit });
        } catch (err) {
          // A taken port is a set-up problem with a one-line fix, not a crash.
          if (!(err instanceof PortInUseError)) throw err;
          println(ctx.stderr, c.red(m.cliPortInUse(err.port)));
          return 1;
        }
        println(ctx.stdout, m.cliListening(c.bold(c.cyan(web.url)), knowledge.engine.mode === "llm" ? m.modeLlm : m.modeExtractive));
        println(ctx.stdout, c.dim(m.cliNextStep));
        // After /reindex the web server restarts on the new index, on the same address.
        knowledge.onReload(async () => {
          await web?.close();
          web = await startWeb({ config: { ...config, PORT: Number(new URL(web!.url).port) }, logger, kb: knowledge.kb, engine: knowledge.engine, quiz: quiz.quiz, store, storage: health, apiLimit: storage.apiLimit });
        });
      }
      if (!bot && !web && !platforms) {
        println(ctx.stderr, m.cliNothingToRun);
        return 1;
      }
      const signal = await new Promise<string>((resolve) => {
        process.once("SIGINT", () => resolve("SIGINT"));
        process.once("SIGTERM", () => resolve("SIGTERM"));
      });
      logger.info({ signal }, "policybot: stopping; finishing requests and updates in flight");
      return 0;
    } finally {
      telegramQuiz.dispose();
      await bot?.stop();
      await platforms?.close();
      await web?.close();
      await storage.close();
    }
  },
};
