import { Composer, InlineKeyboard } from "grammy";
import { hash32 } from "../../../quiz/generate.js";
import type { QuizService, RoundQuestion } from "../../../quiz/service.js";
import type { Standing } from "../../../quiz/store.js";
import { QuizError, type Grade, type QuizQuestion } from "../../../quiz/types.js";
import type { BotContext, TelegramQuiz } from "../context.js";

export type { TelegramQuiz } from "../context.js";
import { escapeHtml } from "../render.js";


/** No quiz configured: /quiz says so. */
export function noQuiz(): TelegramQuiz {
  const composer = new Composer<BotContext>();
  composer.command(["quiz", "leaderboard", "stop", "next"], (ctx) => ctx.reply("测验功能尚未启用。"));
  return { composer, dispose() {} };
}

const LETTERS = ["A", "B", "C", "D", "E", "F"];
/** A short, stable tag of a question id that fits in callback data. */
const shortId = (id: string) => hash32(id).toString(36);

function questionHtml(q: QuizQuestion, header: string): string {
  const lines = [`<b>${escapeHtml(header)}</b>`, escapeHtml(q.question)];
  if (q.options.length) lines.push(...q.options.map((o, i) => `${LETTERS[i]}. ${escapeHtml(o)}`));
  else lines.push("<i>请直接回复答案，例如 78万亩</i>");
  return lines.join("\n");
}

function gradeHtml(g: Grade): string {
  return `${g.correct ? "✅ 正确" : "❌ 错误"}：正确答案是 <b>${escapeHtml(g.expected)}</b>〔${escapeHtml(g.label)}〕\n<blockquote>${escapeHtml(g.quote)}</blockquote>`;
}

function standingsHtml(title: string, rows: Standing[]): string {
  if (rows.length === 0) return `<b>${escapeHtml(title)}</b>\n还没有人答题。`;
  const medal = ["🥇", "🥈", "🥉"];
  return [`<b>${escapeHtml(title)}</b>`, ...rows.map((r, i) => `${medal[i] ?? `${i + 1}.`} ${escapeHtml(r.displayName ?? r.userId)}：${r.correct}/${r.answered}`)].join("\n");
}

function keyboard(q: QuizQuestion, prefix: string): InlineKeyboard | undefined {
  if (q.options.length === 0) return undefined;
  const kb = new InlineKeyboard();
  q.options.forEach((_o, i) => kb.text(LETTERS[i]!, `${prefix}:${i}`));
  return kb;
}

const nameOf = (ctx: BotContext) => ctx.from?.username ? `@${ctx.from.username}` : [ctx.from?.first_name, ctx.from?.last_name].filter(Boolean).join(" ") || String(ctx.from?.id);

/**
 * /quiz, /leaderboard, /next and /stop. In a private chat a personal quiz with spaced repetition;
 * in a group a round of N questions that everyone answers once, then a leaderboard.
 */
export function quizFeature(quiz: QuizService, opts: { roundSeconds?: number; resumeOnActivity?: boolean } = {}): TelegramQuiz {
  const c = new Composer<BotContext>();
  const roundMs = (opts.roundSeconds ?? 30) * 1000;
  /** The open personal question per private chat (fill answers come as plain text). */
  const pending = new Map<string, { questionId: string; topic?: string }>();
  const timers = new Map<string, NodeJS.Timeout>();
  /** Questions being closed (round id and index), so that a question is closed once. */
  const closing = new Set<string>();

  const userId = (ctx: BotContext) => `tg:${ctx.from!.id}`;

  async function askPersonal(ctx: BotContext, topic?: string): Promise<void> {
    const q = await quiz.next(userId(ctx), { topic });
    if (!q) {
      await ctx.reply(topic ? `没有找到与“${topic}”相关的目标，换个关键词试试（如 教育、第5项、（六））。` : "目前没有可出的题目。");
      return;
    }
    pending.set(String(ctx.chat!.id), { questionId: q.id, topic });
    await ctx.reply(questionHtml(q, "测验"), { parse_mode: "HTML", reply_markup: keyboard(q, `qp:${shortId(q.id)}`) });
  }

  async function postRoundQuestion(ctx: BotContext, rq: RoundQuestion): Promise<void> {
    await ctx.api.sendMessage(rq.chatId, questionHtml(rq.question, `第${rq.index + 1}/${rq.total}题`), {
      parse_mode: "HTML",
      reply_markup: keyboard(rq.question, `qr:${rq.index}`),
    });
    schedule(ctx, rq);
  }

  function schedule(ctx: BotContext, rq: RoundQuestion): void {
    clearTimeout(timers.get(rq.chatId));
    const t = setTimeout(() => void closeQuestion(ctx, rq.roundId, rq.index).catch((err) => ctx.log.error({ err }, "quiz: could not advance the round")), roundMs);
    t.unref();
    timers.set(rq.chatId, t);
  }

  /** Reveals the answer of the current question, then asks the next or posts the leaderboard. */
  async function closeQuestion(ctx: BotContext, roundId: string, index: number): Promise<void> {
    const current = await quiz.roundQuestion(roundId);
    // The timer and /next can race: only the first to claim this question closes it.
    const claim = `${roundId}:${index}`;
    if (!current || current.index !== index || closing.has(claim)) return;
    closing.add(claim);
    clearTimeout(timers.get(current.chatId));
    const q = current.question;
    await ctx.api.sendMessage(current.chatId, `本题答案：<b>${escapeHtml(q.answer)}</b>〔${escapeHtml(q.label)}〕\n<blockquote>${escapeHtml(q.quote)}</blockquote>`, { parse_mode: "HTML" });
    // Another instance (or /stop) may have moved the round meanwhile: only the one that moves it goes on.
    const next = await quiz.advanceRound(roundId, index);
    if (next === "stale") return;
    if (next) return postRoundQuestion(ctx, next);
    timers.delete(current.chatId);
    await ctx.api.sendMessage(current.chatId, standingsHtml("本轮测验结束 · 排行榜", await quiz.finishRound(roundId)), { parse_mode: "HTML" });
  }

  // A round survives a restart in the store, but its timer does not: the next activity in that chat
  // re-asks the current question and starts the clock again. Not with several instances: the timer
  // may well run on another one (the round is in the shared database; /next moves it on anywhere).
  c.use(async (ctx, next) => {
    if (opts.resumeOnActivity === false) return next();
    const chatId = ctx.chat && ctx.chat.type !== "private" ? String(ctx.chat.id) : undefined;
    const round = chatId ? await quiz.activeRound(chatId) : undefined;
    if (chatId && round && !timers.has(chatId) && !ctx.msg?.text?.startsWith("/stop")) {
      const rq = await quiz.roundQuestion(round.id);
      if (rq) {
        await ctx.api.sendMessage(chatId, "继续进行中的测验：");
        await postRoundQuestion(ctx, rq);
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
      await ctx.reply(`${escapeHtml(nameOf(ctx))} 开始了一轮 ${rq.total} 题的测验，每题 ${roundMs / 1000} 秒，每人每题只计第一次回答。发起人可发送 /next 跳到下一题，/stop 结束。`, { parse_mode: "HTML" });
      await postRoundQuestion(ctx, rq);
    } catch (err) {
      if (err instanceof QuizError) return ctx.reply(err.code === "round-active" ? "本群已有一轮测验在进行，发送 /stop 可以结束。" : err.message);
      throw err;
    }
  });

  c.command("next", async (ctx) => {
    const round = await quiz.activeRound(String(ctx.chat.id));
    if (!round) return ctx.reply("当前没有进行中的测验。发送 /quiz 开始。");
    if (round.startedBy !== userId(ctx)) return ctx.reply("只有本轮发起人可以跳到下一题。");
    return closeQuestion(ctx, round.id, round.currentIndex);
  });

  c.command("stop", async (ctx) => {
    const chatId = String(ctx.chat.id);
    pending.delete(chatId);
    clearTimeout(timers.get(chatId));
    timers.delete(chatId);
    const standings = await quiz.stopRound(chatId);
    if (!standings) return ctx.reply(ctx.chat.type === "private" ? "已结束测验。" : "当前没有进行中的测验。");
    return ctx.reply(standingsHtml("测验已结束 · 排行榜", standings), { parse_mode: "HTML" });
  });

  c.command("leaderboard", async (ctx) => {
    if (ctx.chat.type === "private") {
      const s = await quiz.score(userId(ctx));
      return ctx.reply(`你的成绩：答对 ${s.correct} / ${s.answered} 题。`);
    }
    return ctx.reply(standingsHtml("本群排行榜", await quiz.leaderboard(String(ctx.chat.id), 10)), { parse_mode: "HTML" });
  });

  // A personal multiple-choice answer.
  c.callbackQuery(/^qp:([0-9a-z]+):(\d)$/, async (ctx) => {
    const open = pending.get(String(ctx.chat?.id));
    const q = open && quiz.question(open.questionId);
    // A button of an earlier question must not grade the one now open.
    if (!open || !q || shortId(q.id) !== ctx.match[1]) return ctx.answerCallbackQuery({ text: "这道题已经结束了，发送 /quiz 再来一题。" });
    const option = q.options[Number(ctx.match[2])];
    if (option === undefined) return ctx.answerCallbackQuery();
    pending.delete(String(ctx.chat!.id));
    const grade = await quiz.answer(userId(ctx), q, option, { chatId: String(ctx.chat!.id) });
    await ctx.answerCallbackQuery({ text: grade.correct ? "正确！" : "错误" }).catch(() => undefined);
    await ctx.reply(`${gradeHtml(grade)}\n发送 /quiz${open.topic ? ` ${escapeHtml(open.topic)}` : ""} 继续。`, { parse_mode: "HTML" });
  });

  // A round answer in a group: once per user per question.
  c.callbackQuery(/^qr:(\d+):(\d)$/, async (ctx) => {
    const round = await quiz.activeRound(String(ctx.chat?.id));
    const index = Number(ctx.match[1]);
    if (!round || round.currentIndex !== index) return ctx.answerCallbackQuery({ text: "这道题已经结束了。" });
    const q = round.questions[index]!;
    const option = q.options[Number(ctx.match[2])];
    if (option === undefined) return ctx.answerCallbackQuery();
    try {
      const { grade, first } = await quiz.answerRound(round.id, userId(ctx), nameOf(ctx), option, index);
      await ctx.answerCallbackQuery({ text: first ? (grade.correct ? "✅ 正确！" : `❌ 错误，答案是 ${grade.expected}`) : "你已经回答过这道题了。" });
    } catch (err) {
      if (err instanceof QuizError) return ctx.answerCallbackQuery({ text: "这道题已经结束了。" });
      throw err;
    }
  });

  // Fill-in answers: in private the open question; in a group, a reply to the round's question.
  c.on("message:text", async (ctx, next) => {
    const text = ctx.msg.text.trim();
    if (text.startsWith("/")) return next();
    const chatId = String(ctx.chat.id);
    if (ctx.chat.type === "private") {
      const open = pending.get(chatId);
      const q = open && quiz.question(open.questionId);
      // A long message or one without any number is a new question, not the answer to a fill-in.
      const looksLikeAnswer = text.length <= 24 && /[0-9０-９零〇一二两三四五六七八九十百千万亿]/.test(text);
      if (!open || !q || q.options.length > 0 || !looksLikeAnswer) return next();
      pending.delete(chatId);
      const grade = await quiz.answer(userId(ctx), q, text, { chatId });
      return ctx.reply(`${gradeHtml(grade)}\n发送 /quiz${open.topic ? ` ${escapeHtml(open.topic)}` : ""} 继续。`, { parse_mode: "HTML" });
    }
    const round = await quiz.activeRound(chatId);
    const q = round?.questions[round.currentIndex];
    if (!round || !q || q.options.length > 0 || ctx.msg.reply_to_message?.from?.id !== ctx.me.id) return next();
    const { grade, first } = await quiz.answerRound(round.id, userId(ctx), nameOf(ctx), text, round.currentIndex);
    if (first) await ctx.reply(grade.correct ? "✅ 正确！" : "❌ 不对，等本题结束时公布答案。", { reply_parameters: { message_id: ctx.msg.message_id } });
  });

  return {
    composer: c,
    dispose() {
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
    },
  };
}
