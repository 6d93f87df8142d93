import { citationTag } from "../../answer/plans.js";
import { AnswerInputError, type AnswerResult } from "../../answer/types.js";
import type { QuizQuestion } from "../../quiz/types.js";
import { RateLimiter, type RateLimit } from "../rate-limit.js";
import type { Inbound, PlatformDeps, Reply } from "./types.js";

const HISTORY_TURNS = 6;
const LETTERS = ["A", "B", "C", "D", "E", "F"];

/** The help text every platform shows for /help (and to a group mention without a question). */
export const PLATFORM_HELP = [
  "我是政策方案问答助手：直接提问，我会引用方案原文的条目回答。",
  "例如：今年高标准农田要建多少？",
  "命令：/quiz 测验一题（回复 A/B/C 作答），/reset 清空对话上下文，/help 帮助。",
  "群聊中请 @我 再提问。",
].join("\n");

/** Turns platform events into replies through the answer engine, quiz and feedback store. */
export interface Conversation {
  /** The replies for one event (empty: stay quiet). Never throws for a user's mistake. */
  handle(ev: Inbound): Promise<Reply[]>;
}

/** The reply for an answer: text, then a quote per citation, with vote buttons when it was recorded. */
export function answerReply(r: AnswerResult, answerId?: number): Reply {
  return {
    body: r.answer,
    quotesTitle: r.abstained ? "相关条目：" : "原文引用：",
    quotes: r.citations.map((c) => ({ tag: citationTag(c), quote: c.quote })),
    ...(answerId !== undefined ? { buttons: [{ text: "👍 有用", value: `fb:up:${answerId}` }, { text: "👎 不准确", value: `fb:down:${answerId}` }] } : {}),
  };
}

function questionReply(q: QuizQuestion): Reply {
  const options = q.options.map((o, i) => `${LETTERS[i]}. ${o}`).join("\n");
  return {
    title: "测验",
    body: [q.question, options].filter(Boolean).join("\n"),
    buttons: q.options.map((_o, i) => ({ text: LETTERS[i]!, value: `qz:${i}` })),
    hint: q.options.length ? `请回复 ${LETTERS.slice(0, q.options.length).join("/")} 作答。` : "请直接回复答案，例如 78万亩。",
  };
}

/**
 * The platform-neutral conversation: questions, /help, /reset, a personal /quiz with button or
 * letter answers, and 👍/👎 votes. Groups are answered only when the bot is mentioned.
 * @example const reply = await createConversation(deps).handle({ platform: "dingtalk", chatId, userId, group: false, mentioned: false, text: "…" });
 */
export function createConversation(deps: PlatformDeps): Conversation {
  const local = deps.userLimit ? undefined : new RateLimiter(deps.config.USER_RATE_LIMIT);
  const limiter: RateLimit = deps.userLimit ?? local!;
  /** The open quiz question per platform, chat and user. */
  const pending = new Map<string, string>();
  let takes = 0;

  const chatKey = (ev: Inbound) => `${ev.platform}:${ev.chatId}`;
  const userKey = (ev: Inbound) => `${ev.platform}:${ev.userId}`;

  /** Store calls are niceties: without the database the answer still goes out. */
  async function soft<T>(fn: () => T | Promise<T>, fallback: T): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      deps.logger.warn({ err: { message: String((err as Error)?.message) } }, "platform: store unavailable; continuing without it");
      return fallback;
    }
  }

  async function grade(ev: Inbound, response: string): Promise<Reply[]> {
    const key = `${chatKey(ev)}:${ev.userId}`;
    const q = deps.quiz && pending.get(key) ? deps.quiz.question(pending.get(key)!) : undefined;
    if (!q || !deps.quiz) return [{ body: "这道题已经结束了，发送 /quiz 再来一题。", toast: "这道题已经结束了" }];
    pending.delete(key);
    const g = await deps.quiz.answer(userKey(ev), q, response, { chatId: chatKey(ev) });
    return [{
      body: `${g.correct ? "✅ 正确" : "❌ 错误"}：正确答案是 **${g.expected}**\n发送 /quiz 继续。`,
      quotes: [{ tag: `〔${g.label}〕`, quote: g.quote }],
      toast: g.correct ? "正确！" : "错误",
    }];
  }

  /** A letter (or a short answer with a number, for fill questions) while a question is open. */
  function quizResponse(ev: Inbound, text: string): string | undefined {
    const id = pending.get(`${chatKey(ev)}:${ev.userId}`);
    const q = id ? deps.quiz?.question(id) : undefined;
    if (!q) return undefined;
    if (q.options.length) {
      const i = LETTERS.indexOf(text.trim().toUpperCase());
      return i >= 0 && i < q.options.length ? q.options[i] : undefined;
    }
    return text.length <= 24 && /[0-9０-９零〇一二两三四五六七八九十百千万亿]/.test(text) ? text : undefined;
  }

  async function command(ev: Inbound, name: string, arg: string): Promise<Reply[]> {
    switch (name) {
      case "help":
      case "start":
        return [{ body: PLATFORM_HELP }];
      case "reset":
        await soft(() => deps.store.saveHistory(chatKey(ev), []), undefined);
        return [{ body: "已清空对话上下文，可以开始新的话题。" }];
      case "quiz": {
        if (!deps.quiz) return [{ body: "测验功能尚未启用。" }];
        const q = await deps.quiz.next(userKey(ev), { topic: arg || undefined });
        if (!q) return [{ body: arg ? `没有找到与“${arg}”相关的目标，换个关键词试试。` : "目前没有可出的题目。" }];
        pending.set(`${chatKey(ev)}:${ev.userId}`, q.id);
        return [questionReply(q)];
      }
      case "ask":
        return arg ? ask(ev, arg) : [{ body: "用法：/ask 你的问题，例如 /ask 今年高标准农田要建多少？" }];
      default:
        return [{ body: "未知命令。发送 /help 查看可用命令。" }];
    }
  }

  async function ask(ev: Inbound, question: string): Promise<Reply[]> {
    const now = Date.now();
    if (++takes % 1000 === 0) local?.sweep(now);
    if ((await limiter.take(userKey(ev), now)) > 0) return [{ body: "提问太频繁了，请稍等一分钟再问。" }];
    const chatId = chatKey(ev);
    const history = await soft(() => deps.store.history(chatId), []);
    const defaultDoc = await soft(() => deps.store.chatPlan(chatId), undefined);
    let r: AnswerResult;
    try {
      r = await deps.knowledge.engine.answer({ question, history, defaultDoc });
    } catch (err) {
      if (err instanceof AnswerInputError) return [{ body: err.message }];
      throw err;
    }
    await soft(() => deps.store.saveHistory(chatId, [...history, { q: r.question, a: r.answer }].slice(-HISTORY_TURNS)), undefined);
    const answerId = await soft<number | undefined>(() => deps.store.recordAnswer({
      channel: ev.platform, chatId, userId: ev.userId, question: r.question, answer: r.answer,
      citations: r.citations, abstained: r.abstained, mode: r.mode, ms: r.ms,
    }), undefined);
    return [answerReply(r, answerId)];
  }

  return {
    async handle(ev) {
      if (ev.button !== undefined) {
        const vote = /^fb:(up|down):(\d+)$/.exec(ev.button);
        if (vote) {
          const ok = await soft(() => deps.store.vote(Number(vote[2]), userKey(ev), vote[1] as "up" | "down"), false);
          const text = ok ? (vote[1] === "up" ? "谢谢反馈！" : "谢谢，我们会核查这个回答。") : "这条回答已过期。";
          return [{ body: text, toast: text }];
        }
        const pick = /^qz:(\d)$/.exec(ev.button);
        if (pick) {
          const id = pending.get(`${chatKey(ev)}:${ev.userId}`);
          const option = id ? deps.quiz?.question(id)?.options[Number(pick[1])] : undefined;
          return grade(ev, option ?? "");
        }
        return [];
      }
      const text = (ev.text ?? "").trim();
      if (ev.group && !ev.mentioned) return [];
      if (!text) return ev.group ? [{ body: "请在@我之后写上问题，例如：@我 今年高标准农田要建多少？" }] : [];
      const cmd = /^\/([a-z]+)(?:@\S+)?\s*([\s\S]*)$/i.exec(text);
      if (cmd) return command(ev, cmd[1]!.toLowerCase(), cmd[2]!.trim());
      const response = quizResponse(ev, text);
      if (response !== undefined) return grade(ev, response);
      return ask(ev, text);
    },
  };
}
