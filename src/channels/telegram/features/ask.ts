import { Composer, InlineKeyboard } from "grammy";
import type { InlineQueryResultArticle } from "grammy/types";
import { AnswerInputError, type AnswerResult } from "../../../answer/types.js";
import { citationTag } from "../../../answer/plans.js";
import { RateLimiter, type RateLimit } from "../../rate-limit.js";
import { chatPlan } from "./plans.js";
import { bestEffort } from "../best-effort.js";
import type { BotContext, BotDeps } from "../context.js";
import { answerBlocks, paginate } from "../render.js";
import type { TelegramMessages } from "../../../answer/messages-telegram.js";
import { telegramText } from "../lang.js";

const HISTORY_TURNS = 6;


/** 👍/👎 under an answer; the callback data names the stored answer. */
export function feedbackKeyboard(answerId: number, t: TelegramMessages = telegramText("zh")): InlineKeyboard {
  return new InlineKeyboard().text(t.voteUp, `fb:up:${answerId}`).text(t.voteDown, `fb:down:${answerId}`);
}

/** Under an answer given for several plans: one button per plan, to keep to that plan from now on. */
function pickerRow(keyboard: InlineKeyboard, plans: NonNullable<AnswerResult["plans"]>, catalogIds: string[], t: TelegramMessages): InlineKeyboard {
  keyboard.row();
  for (const p of plans) {
    const i = catalogIds.indexOf(p.doc);
    if (i >= 0) keyboard.text(t.onlyPlan(p.shortName), `pick:${i}`);
  }
  return keyboard;
}

/** Questions in private chats, /ask, mentions and replies in groups, inline queries, votes and /reset. */
export function askFeature(deps: BotDeps): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const local = deps.userLimit ? undefined : new RateLimiter(deps.config.USER_RATE_LIMIT);
  const limiter: RateLimit = deps.userLimit ?? local!;
  let takes = 0;
  /** True when the user may ask now. */
  const allow = async (userId: number) => {
    const now = Date.now();
    if (++takes % 1000 === 0) local?.sweep(now);
    return (await limiter.take(String(userId), now)) === 0;
  };

  c.command("reset", async (ctx) => {
    await bestEffort(ctx, () => deps.store.saveHistory(String(ctx.chat.id), []), undefined);
    return ctx.reply(ctx.t.reset);
  });

  c.command("ask", (ctx) => {
    const q = ctx.match.trim();
    if (!q) return ctx.reply(ctx.t.askUsage);
    return answerQuestion(ctx, q);
  });

  c.on("message:text", async (ctx, next) => {
    const text = ctx.msg.text;
    if (text.startsWith("/")) return next();
    if (ctx.chat.type === "private") return answerQuestion(ctx, text);
    // In groups: only when addressed (an @mention or a reply to the bot).
    const username = ctx.me.username;
    const mentioned = (ctx.msg.entities ?? []).some((e) => e.type === "mention" && text.slice(e.offset, e.offset + e.length).toLowerCase() === `@${username}`.toLowerCase());
    const repliedToBot = ctx.msg.reply_to_message?.from?.id === ctx.me.id;
    if (!mentioned && !repliedToBot) return next();
    const question = text.replace(new RegExp(`@${username}`, "gi"), " ").trim();
    if (!question) return ctx.reply(ctx.t.mentionEmpty(username));
    return answerQuestion(ctx, question);
  });

  // A plan picked under an answer given for several plans: the chat keeps to it, and the question is answered again from it.
  c.callbackQuery(/^pick:(\d+)$/, async (ctx) => {
    const plan = deps.knowledge.kb.catalog.plans[Number(ctx.match[1])];
    const chatId = ctx.chat?.id;
    if (!plan || chatId === undefined) {
      await ctx.answerCallbackQuery({ text: ctx.t.plansChanged }).catch((err) => ctx.log.warn({ err }, "telegram: answerCallbackQuery failed"));
      return;
    }
    await deps.store.setChatPlan(String(chatId), plan.id);
    await ctx.answerCallbackQuery({ text: ctx.t.useSwitchedShort(plan.shortName) }).catch((err) => ctx.log.warn({ err }, "telegram: answerCallbackQuery failed"));
    const last = (await deps.store.history(String(chatId))).at(-1);
    if (last) await answerQuestion(ctx, last.q);
    else await ctx.reply(ctx.t.useSwitched(plan.title));
  });

  c.callbackQuery(/^fb:(up|down):(\d+)$/, async (ctx) => {
    const [, vote, id] = ctx.match;
    const ok = await deps.store.vote(Number(id), String(ctx.from.id), vote as "up" | "down");
    await ctx.answerCallbackQuery({ text: ok ? (vote === "up" ? ctx.t.thanksUp : ctx.t.thanksDown) : ctx.t.answerExpired }).catch((err) => ctx.log.warn({ err }, "telegram: answerCallbackQuery failed"));
  });

  c.on("inline_query", async (ctx) => {
    const q = ctx.inlineQuery.query.trim();
    if (q.length < 2) return ctx.answerInlineQuery([], { cache_time: 60 });
    // Telegram sends an inline query per keystroke: they count against the same per-user limit.
    if (!allow(ctx.from.id)) return ctx.answerInlineQuery([], { cache_time: 5 });
    try {
      const r = await deps.knowledge.engine.answer({ question: q });
      const html = paginate(answerBlocks(r, ctx.t))[0]!;
      const result: InlineQueryResultArticle = {
        type: "article",
        id: `a${Buffer.from(q).toString("base64url").slice(0, 60)}`,
        title: r.abstained ? ctx.t.inlineNoAnswer : r.answer.split("\n")[0]!.slice(0, 60),
        description: r.citations.map((x) => citationTag(x)).join(" ") || undefined,
        input_message_content: { message_text: html, parse_mode: "HTML" },
      };
      await ctx.answerInlineQuery([result], { cache_time: 300 });
    } catch (err) {
      if (err instanceof AnswerInputError) return ctx.answerInlineQuery([], { cache_time: 10 });
      throw err;
    }
  });

  async function answerQuestion(ctx: BotContext, question: string): Promise<void> {
    const from = ctx.from;
    const chatId = String(ctx.chat!.id);
    if (from && !(await allow(from.id))) {
      await ctx.reply(ctx.t.tooFast);
      return;
    }
    const engine = deps.knowledge.engine;
    // Without the chat-state database a question is answered on its own, without follow-up context.
    const history = await bestEffort(ctx, () => deps.store.history(chatId), []);
    const defaultDoc = await bestEffort(ctx, () => chatPlan(deps, chatId), undefined);
    const replyTo = ctx.chat!.type === "private" ? {} : { reply_parameters: { message_id: ctx.msg!.message_id, allow_sending_without_reply: true } };
    let result: AnswerResult;
    try {
      if (engine.mode === "llm") {
        result = await answerWithStreaming(ctx, question, history, replyTo, defaultDoc);
      } else {
        result = await engine.answer({ question, history, defaultDoc });
        await sendAnswer(ctx, result, replyTo);
      }
    } catch (err) {
      if (err instanceof AnswerInputError) {
        await ctx.reply(err.message, replyTo);
        return;
      }
      throw err;
    }
    await bestEffort(ctx, () => deps.store.saveHistory(chatId, [...history, { q: result.question, a: result.answer }].slice(-HISTORY_TURNS)), undefined);
  }

  async function sendAnswer(ctx: BotContext, r: AnswerResult, extra: object, editMessageId?: number): Promise<void> {
    // Without its database the answer still goes out, only without the vote buttons.
    const answerId = await bestEffort<number | undefined>(ctx, () => deps.store.recordAnswer({
      channel: "telegram", chatId: String(ctx.chat!.id), userId: String(ctx.from?.id ?? ""), question: r.question, answer: r.answer,
      citations: r.citations, abstained: r.abstained, mode: r.mode, ms: r.ms,
    }), undefined);
    const pages = paginate(answerBlocks(r, ctx.t));
    for (const [i, page] of pages.entries()) {
      const last = i === pages.length - 1;
      const ids = deps.knowledge.kb.catalog.plans.map((p) => p.id);
      const keyboard = answerId !== undefined ? feedbackKeyboard(answerId, ctx.t) : undefined;
      const withPicker = r.plans && r.plans.length > 1 ? pickerRow(keyboard ?? new InlineKeyboard(), r.plans, ids, ctx.t) : keyboard;
      const markup = last && withPicker ? { reply_markup: withPicker } : {};
      if (i === 0 && editMessageId !== undefined) {
        const edited = await ctx.api.editMessageText(ctx.chat!.id, editMessageId, page, { parse_mode: "HTML", ...markup }).then(() => true, (err) => {
          ctx.log.warn({ err: { message: String(err?.message) } }, "telegram: could not edit the streamed message; sending the answer anew");
          return false;
        });
        if (edited) continue;
        // The draft must not stay beside the verified answer.
        await ctx.api.deleteMessage(ctx.chat!.id, editMessageId).catch((err) => ctx.log.warn({ err: { message: String(err?.message) } }, "telegram: could not delete the draft"));
      }
      await ctx.reply(page, { parse_mode: "HTML", ...(i === 0 ? extra : {}), ...markup });
    }
  }

  /** LLM mode: a typing indicator, a draft edited as tokens arrive, then the verified answer. */
  async function answerWithStreaming(ctx: BotContext, question: string, history: Array<{ q: string; a?: string }>, extra: object, defaultDoc?: string): Promise<AnswerResult> {
    // Optional: never waits, never fails the answer.
    void ctx.replyWithChatAction("typing").catch((err) => ctx.log.warn({ err: { message: String(err?.message) } }, "telegram: typing indicator failed"));
    let draftId: number | undefined;
    let text = "";
    let lastEdit = 0;
    let editing: Promise<unknown> = Promise.resolve();
    const onToken = (t: string) => {
      text += t;
      const now = Date.now();
      if (now - lastEdit < 1200 || text.length < 20) return;
      lastEdit = now;
      editing = editing.then(async () => {
        if (draftId === undefined) {
          const m = await ctx.reply(`${text}…`, extra).catch(() => undefined);
          draftId = m?.message_id;
        } else {
          await ctx.api.editMessageText(ctx.chat!.id, draftId, `${text.slice(0, 3500)}…`).catch((err) => ctx.log.debug({ err }, "telegram: draft edit failed"));
        }
      });
    };
    const r = await deps.knowledge.engine.answer({ question, history, defaultDoc }, { onToken });
    await editing;
    await sendAnswer(ctx, r, extra, draftId);
    return r;
  }

  return c;
}

/** Photos, stickers, voice and files get a helpful reply instead of silence. */
export function mediaFeature(): Composer<BotContext> {
  const c = new Composer<BotContext>();
  c.on(["message:photo", "message:sticker", "message:voice", "message:audio", "message:video", "message:video_note", "message:document", "message:animation", "message:location", "message:contact"], (ctx) => {
    if (ctx.chat.type !== "private") return;
    return ctx.reply(ctx.t.textOnly);
  });
  return c;
}
