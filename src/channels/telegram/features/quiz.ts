import { type Api, Composer, GrammyError, InlineKeyboard } from "grammy";
import type { Lang } from "../../../answer/messages.js";
import type { TelegramMessages } from "../../../answer/messages-telegram.js";
import type { Logger } from "../../../logger.js";
import { type Deadline, type DeadlineStore, MemoryDeadlineStore, startSweep } from "../../../quiz/deadlines.js";
import { hash32 } from "../../../quiz/generate.js";
import type { QuizService, RoundQuestion } from "../../../quiz/service.js";
import type { Standing } from "../../../quiz/store.js";
import { QuizError, type Grade, type QuizQuestion } from "../../../quiz/types.js";
import { StorageError } from "../../../storage/errors.js";
import type { BotContext, TelegramQuiz } from "../context.js";
import { telegramText } from "../lang.js";
import { escapeHtml } from "../render.js";

export type { TelegramQuiz } from "../context.js";

/** No quiz configured: /quiz says so. */
export function noQuiz(): TelegramQuiz {
  const composer = new Composer<BotContext>();
  composer.command(["quiz", "leaderboard", "stop", "next"], (ctx) => ctx.reply(ctx.t.quizOff));
  return { composer, dispose() {} };
}

const LETTERS = ["A", "B", "C", "D", "E", "F"];
/** A short, stable tag of a question id that fits in callback data. */
const shortId = (id: string) => hash32(id).toString(36);
/** The timer kinds this feature owns in the deadline store. */
const ROUND = "tg-round";
const PERSONAL = "tg-personal";
const roundKey = (chatId: string | number) => `tg:round:${chatId}`;
const personalKey = (chatId: string | number) => `tg:personal:${chatId}`;
/** An open personal question can be answered for a day (it used to last until a restart). */
const PERSONAL_TTL_MS = 86_400_000;

function questionHtml(t: TelegramMessages, q: QuizQuestion, header: string): string {
  const lines = [`<b>${escapeHtml(header)}</b>`, escapeHtml(q.question)];
  if (q.options.length) lines.push(...q.options.map((o, i) => `${LETTERS[i]}. ${escapeHtml(o)}`));
  else lines.push(`<i>${escapeHtml(t.quizFillHint)}</i>`);
  return lines.join("\n");
}

function gradeHtml(t: TelegramMessages, g: Grade): string {
  return `${escapeHtml(t.quizVerdict(g.correct ? t.quizRight : t.quizWrong, "\u0000", g.label)).replace("\u0000", `<b>${escapeHtml(g.expected)}</b>`)}\n<blockquote>${escapeHtml(g.quote)}</blockquote>`;
}

function standingsHtml(t: TelegramMessages, title: string, rows: Standing[]): string {
  if (rows.length === 0) return `<b>${escapeHtml(title)}</b>\n${escapeHtml(t.quizNobody)}`;
  const medal = ["🥇", "🥈", "🥉"];
  return [`<b>${escapeHtml(title)}</b>`, ...rows.map((r, i) => `${medal[i] ?? `${i + 1}.`} ${escapeHtml(t.quizStanding(r.displayName ?? r.userId, r.correct, r.answered))}`)].join("\n");
}

function keyboard(q: QuizQuestion, prefix: string): InlineKeyboard | undefined {
  if (q.options.length === 0) return undefined;
  const kb = new InlineKeyboard();
  q.options.forEach((_o, i) => kb.text(LETTERS[i]!, `${prefix}:${i}`));
  return kb;
}

const nameOf = (ctx: BotContext) => ctx.from?.username ? `@${ctx.from.username}` : [ctx.from?.first_name, ctx.from?.last_name].filter(Boolean).join(" ") || String(ctx.from?.id);

/** Options of {@link quizFeature}. */
export interface QuizFeatureOptions {
  /** Seconds each round question stays open (default 30). */
  roundSeconds?: number;
  /** Re-ask an active round's question when its chat speaks and the round has no deadline (default on). */
  resumeOnActivity?: boolean;
  /**
   * Where round deadlines and open personal questions live: the database, so that any instance closes
   * a round whose instance died. In this process's memory when absent.
   */
  deadlines?: DeadlineStore;
  /** How often due deadlines are swept once started (default 1 s). */
  sweepMs?: number;
  /** How long a claimed deadline is its claimer's before another instance may retry it (default 2 min). */
  leaseMs?: number;
}

/**
 * /quiz, /leaderboard, /next and /stop. In a private chat a personal quiz with spaced repetition;
 * in a group a round of N questions that everyone answers once, then a leaderboard. Each round
 * question's deadline is a row in the deadline store: this process sets a timer for its own rounds,
 * and every instance sweeps for overdue ones, so a round outlives the instance that started it. Of
 * the timer, the sweeps and /next, whoever claims the row closes the question; the others do nothing.
 */
export function quizFeature(quiz: QuizService, opts: QuizFeatureOptions = {}): TelegramQuiz {
  const c = new Composer<BotContext>();
  const roundMs = (opts.roundSeconds ?? 30) * 1000;
  const leaseMs = opts.leaseMs ?? 120_000;
  const deadlines = opts.deadlines ?? new MemoryDeadlineStore();
  const timers = new Map<string, NodeJS.Timeout>();
  let stopSweep: (() => void) | undefined;

  const userId = (ctx: BotContext) => `tg:${ctx.from!.id}`;
  const langOfData = (d: Deadline): Lang => (d.data.lang === "en" ? "en" : "zh");

  async function askPersonal(ctx: BotContext, topic?: string): Promise<void> {
    const q = await quiz.next(userId(ctx), { topic });
    if (!q) {
      await ctx.reply(topic ? ctx.t.quizNoTopic(topic) : ctx.t.quizNothing);
      return;
    }
    await deadlines.put({ key: personalKey(ctx.chat!.id), kind: PERSONAL, dueAt: Date.now() + PERSONAL_TTL_MS, data: { questionId: q.id, topic: topic ?? "" } });
    await ctx.reply(questionHtml(ctx.t, q, ctx.t.quizHeader), { parse_mode: "HTML", reply_markup: keyboard(q, `qp:${shortId(q.id)}`) });
  }

  /** Posts a round question and sets its deadline (with `token`, only while that claim holds). */
  async function postRoundQuestion(api: Api, log: Logger, rq: RoundQuestion, lang: Lang, token?: string): Promise<void> {
    const t = telegramText(lang);
    await api.sendMessage(rq.chatId, questionHtml(t, rq.question, t.quizRoundHeader(rq.index + 1, rq.total)), {
      parse_mode: "HTML",
      reply_markup: keyboard(rq.question, `qr:${rq.index}`),
    });
    const dueAt = Date.now() + roundMs;
    if (await deadlines.put({ key: roundKey(rq.chatId), kind: ROUND, dueAt, data: { roundId: rq.roundId, index: rq.index, lang } }, token)) arm(api, log, roundKey(rq.chatId), dueAt);
  }

  /** This process's timer for a deadline it set: the fast path (the sweep is the safety net). */
  function arm(api: Api, log: Logger, key: string, dueAt: number): void {
    clearTimeout(timers.get(key));
    const t = setTimeout(() => void fire(api, log, key).catch((err) => log.error({ err }, "quiz: could not advance the round")), Math.max(0, dueAt - Date.now()));
    t.unref();
    timers.set(key, t);
  }

  async function fire(api: Api, log: Logger, key: string): Promise<void> {
    timers.delete(key);
    const d = await deadlines.claim(key, Date.now(), leaseMs);
    if (!d) return; // gone, or another instance is closing it
    if (d.dueAt > Date.now()) {
      // Moved on meanwhile (a /next elsewhere): hand the claim back and wait for the new deadline.
      if (await deadlines.put({ key: d.key, kind: d.kind, dueAt: d.dueAt, data: d.data }, d.token)) arm(api, log, key, d.dueAt);
      return;
    }
    await handleDue(api, log, d);
  }

  /** Acts on a claimed deadline; a chat the bot can no longer write to ends its round instead of retrying forever. */
  async function handleDue(api: Api, log: Logger, d: Deadline): Promise<void> {
    if (d.kind === PERSONAL) {
      await deadlines.remove(d.key, d.token);
      return;
    }
    try {
      await closeQuestion(api, log, d);
    } catch (err) {
      if (!(err instanceof GrammyError) || (err.error_code !== 403 && err.error_code !== 400)) throw err;
      log.warn({ err: { message: err.message }, key: d.key }, "quiz: the chat refuses messages; its round is stopped");
      const round = await quiz.round(String(d.data.roundId));
      if (round?.state === "active") await quiz.stopRound(round.chatId);
      await deadlines.remove(d.key, d.token);
    }
  }

  /**
   * Closes the question a claimed deadline names: reveals the answer, moves the round on, asks the next
   * question or posts the leaderboard. A claimer that died half-way left the round ahead of its
   * announcements: the next claimer posts what is missing instead.
   */
  async function closeQuestion(api: Api, log: Logger, d: Deadline): Promise<void> {
    const lang = langOfData(d);
    const t = telegramText(lang);
    const round = await quiz.round(String(d.data.roundId));
    if (!round || round.state === "stopped") {
      await deadlines.remove(d.key, d.token);
      return;
    }
    if (round.state === "finished") {
      await api.sendMessage(round.chatId, standingsHtml(t, t.quizRoundOver, await quiz.finishRound(round.id)), { parse_mode: "HTML" });
      await deadlines.remove(d.key, d.token);
      return;
    }
    if (round.currentIndex !== Number(d.data.index)) {
      const rq = await quiz.roundQuestion(round.id);
      if (rq) await postRoundQuestion(api, log, rq, lang, d.token);
      return;
    }
    const q = round.questions[round.currentIndex]!;
    await api.sendMessage(round.chatId, `${escapeHtml(t.quizReveal("\u0000", q.label)).replace("\u0000", `<b>${escapeHtml(q.answer)}</b>`)}\n<blockquote>${escapeHtml(q.quote)}</blockquote>`, { parse_mode: "HTML" });
    // /stop may have ended the round meanwhile: only a move of this question goes on.
    const next = await quiz.advanceRound(round.id, round.currentIndex);
    if (next === "stale") {
      await deadlines.remove(d.key, d.token);
      return;
    }
    if (next) return postRoundQuestion(api, log, next, lang, d.token);
    await api.sendMessage(round.chatId, standingsHtml(t, t.quizRoundOver, await quiz.finishRound(round.id)), { parse_mode: "HTML" });
    await deadlines.remove(d.key, d.token);
  }

  // A round whose deadline is missing (started before deadlines were stored, or its timer lived in a
  // process's memory): the next activity in that chat re-asks the current question and sets one.
  c.use(async (ctx, next) => {
    if (opts.resumeOnActivity === false) return next();
    const chatId = ctx.chat && ctx.chat.type !== "private" ? String(ctx.chat.id) : undefined;
    const round = chatId ? await quiz.activeRound(chatId) : undefined;
    if (chatId && round && !ctx.msg?.text?.startsWith("/stop") && !(await deadlines.get(roundKey(chatId)))) {
      const rq = await quiz.roundQuestion(round.id);
      if (rq) {
        await ctx.api.sendMessage(chatId, ctx.t.quizResume);
        await postRoundQuestion(ctx.api, ctx.log, rq, ctx.lang);
      }
    }
    return next();
  });

  c.command("quiz", async (ctx) => {
    const arg = ctx.match.trim();
    if (ctx.chat.type === "private") return askPersonal(ctx, arg || undefined);
    const m = /^(\d{1,2})?\s*(.*)$/.exec(arg)!;
    const count = Math.min(20, Math.max(1, Number(m[1] ?? 5)));
    try {
      const rq = await quiz.startRound(String(ctx.chat.id), userId(ctx), { count, topic: m[2] || undefined });
      await ctx.reply(escapeHtml(ctx.t.quizStarted(nameOf(ctx), rq.total, roundMs / 1000)), { parse_mode: "HTML" });
      await postRoundQuestion(ctx.api, ctx.log, rq, ctx.lang);
    } catch (err) {
      if (err instanceof QuizError) return ctx.reply(err.code === "round-active" ? ctx.t.quizRoundRunning : ctx.t.quizNoRoundTopic(m[2] ?? ""));
      throw err;
    }
  });

  c.command("next", async (ctx) => {
    const chatId = String(ctx.chat.id);
    const round = await quiz.activeRound(chatId);
    if (!round) return ctx.reply(ctx.t.quizNoRound);
    if (round.startedBy !== userId(ctx)) return ctx.reply(ctx.t.quizOnlyStarter);
    const key = roundKey(chatId);
    let d = await deadlines.claim(key, Date.now(), leaseMs);
    if (!d && !(await deadlines.get(key))) {
      // A round without a deadline: close its current question now.
      await deadlines.put({ key, kind: ROUND, dueAt: Date.now(), data: { roundId: round.id, index: round.currentIndex, lang: ctx.lang } });
      d = await deadlines.claim(key, Date.now(), leaseMs);
    }
    // Not claimed: its deadline is being closed right now (by this or another instance).
    if (d) await handleDue(ctx.api, ctx.log, d);
  });

  c.command("stop", async (ctx) => {
    const chatId = String(ctx.chat.id);
    for (const key of [personalKey(chatId), roundKey(chatId)]) {
      clearTimeout(timers.get(key));
      timers.delete(key);
      await deadlines.remove(key);
    }
    const standings = await quiz.stopRound(chatId);
    if (!standings) return ctx.reply(ctx.chat.type === "private" ? ctx.t.quizStoppedPrivate : ctx.t.quizNoRoundNow);
    return ctx.reply(standingsHtml(ctx.t, ctx.t.quizStoppedBoard, standings), { parse_mode: "HTML" });
  });

  c.command("leaderboard", async (ctx) => {
    if (ctx.chat.type === "private") {
      const s = await quiz.score(userId(ctx));
      return ctx.reply(ctx.t.quizMyScore(s.correct, s.answered));
    }
    return ctx.reply(standingsHtml(ctx.t, ctx.t.quizChatBoard, await quiz.leaderboard(String(ctx.chat.id), 10)), { parse_mode: "HTML" });
  });

  /** Takes the chat's open personal question when `fits` it: one answer per question, on any instance. */
  async function takePersonal(chatId: string, fits: (q: QuizQuestion) => boolean): Promise<{ q: QuizQuestion; topic: string } | undefined> {
    const open = await deadlines.get(personalKey(chatId));
    const q = open && quiz.question(String(open.data.questionId));
    if (!open || !q || !fits(q)) return undefined;
    const taken = await deadlines.take(personalKey(chatId));
    return taken?.data.questionId === q.id ? { q, topic: String(taken.data.topic ?? "") } : undefined;
  }

  const continueHtml = (ctx: BotContext, topic: string) => escapeHtml(ctx.t.quizContinue(topic));

  // A personal multiple-choice answer.
  c.callbackQuery(/^qp:([0-9a-z]+):(\d)$/, async (ctx) => {
    const chatId = String(ctx.chat?.id);
    const option = Number(ctx.match[2]);
    // A button of an earlier question must not grade the one now open.
    const open = await takePersonal(chatId, (q) => shortId(q.id) === ctx.match[1] && q.options[option] !== undefined);
    if (!open) return ctx.answerCallbackQuery({ text: ctx.t.quizClosedPersonal });
    const grade = await quiz.answer(userId(ctx), open.q, open.q.options[option]!, { chatId });
    await ctx.answerCallbackQuery({ text: grade.correct ? ctx.t.quizRightShort : ctx.t.quizWrongShort }).catch(() => undefined);
    await ctx.reply(`${gradeHtml(ctx.t, grade)}\n${continueHtml(ctx, open.topic)}`, { parse_mode: "HTML" });
  });

  // A round answer in a group: once per user per question.
  c.callbackQuery(/^qr:(\d+):(\d)$/, async (ctx) => {
    const round = await quiz.activeRound(String(ctx.chat?.id));
    const index = Number(ctx.match[1]);
    if (!round || round.currentIndex !== index) return ctx.answerCallbackQuery({ text: ctx.t.quizClosed });
    const q = round.questions[index]!;
    const option = q.options[Number(ctx.match[2])];
    if (option === undefined) return ctx.answerCallbackQuery();
    try {
      const { grade, first } = await quiz.answerRound(round.id, userId(ctx), nameOf(ctx), option, index);
      await ctx.answerCallbackQuery({ text: first ? (grade.correct ? ctx.t.quizRightTap : ctx.t.quizWrongTap(grade.expected)) : ctx.t.quizAlready });
    } catch (err) {
      if (err instanceof QuizError) return ctx.answerCallbackQuery({ text: ctx.t.quizClosed });
      throw err;
    }
  });

  // Fill-in answers: in private the open question; in a group, a reply to the round's question.
  c.on("message:text", async (ctx, next) => {
    const text = ctx.msg.text.trim();
    if (text.startsWith("/")) return next();
    const chatId = String(ctx.chat.id);
    if (ctx.chat.type === "private") {
      // A long message or one without any number is a new question, not the answer to a fill-in.
      const looksLikeAnswer = text.length <= 24 && /[0-9０-９零〇一二两三四五六七八九十百千万亿]/.test(text);
      const open = looksLikeAnswer ? await takePersonal(chatId, (q) => q.options.length === 0) : undefined;
      if (!open) return next();
      const grade = await quiz.answer(userId(ctx), open.q, text, { chatId });
      return ctx.reply(`${gradeHtml(ctx.t, grade)}\n${continueHtml(ctx, open.topic)}`, { parse_mode: "HTML" });
    }
    const round = await quiz.activeRound(chatId);
    const q = round?.questions[round.currentIndex];
    if (!round || !q || q.options.length > 0 || ctx.msg.reply_to_message?.from?.id !== ctx.me.id) return next();
    const { grade, first } = await quiz.answerRound(round.id, userId(ctx), nameOf(ctx), text, round.currentIndex);
    if (first) await ctx.reply(grade.correct ? ctx.t.quizRightTap : ctx.t.quizWrongWait, { reply_parameters: { message_id: ctx.msg.message_id } });
  });

  return {
    composer: c,
    start(api, logger) {
      stopSweep?.();
      stopSweep = startSweep({
        store: deadlines,
        kinds: [ROUND, PERSONAL],
        handle: (d) => handleDue(api, logger, d),
        onError: (err, d) => {
          // A broken quiz database is logged once by its guard (and shows in /healthz), not every second.
          if (err instanceof StorageError) return logger.debug({ part: err.part, fault: err.fault }, "quiz: deadlines unavailable; sweeping again later");
          logger.error({ err, key: d?.key }, "quiz: could not close a due round question; it is retried when its claim lapses");
        },
        everyMs: opts.sweepMs,
        leaseMs,
      });
    },
    dispose() {
      stopSweep?.();
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
    },
  };
}
