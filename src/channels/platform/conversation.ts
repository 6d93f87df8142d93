import { citationTag } from "../../answer/plans.js";
import { AnswerInputError, type AnswerResult } from "../../answer/types.js";
import { RateLimiter, type RateLimit } from "../rate-limit.js";
import { createPlatformPlans } from "./plans.js";
import { createPlatformQuiz } from "./quiz.js";
import type { Inbound, PlatformDeps, Pusher, Reply } from "./types.js";

const HISTORY_TURNS = 6;

/** The help text every platform shows for /help (and to a group mention without a question). */
export const PLATFORM_HELP = [
  "我是政策方案问答助手：直接提问，我会引用方案原文的条目回答。",
  "例如：今年高标准农田要建多少？",
  "按编号查看：/task 5 · /section 三 · /part 一；/plans 已加载的方案，/use 方案简称 只看一份方案。",
  "测验：/quiz 一题（回复 A/B/C 作答）；群里 /quiz 5 开始一轮 5 题的抢答，/next 下一题，/stop 结束，/leaderboard 排行榜。",
  "/reset 清空对话上下文，/help 帮助。群聊中请 @我 再提问。",
].join("\n");

/** Turns platform events into replies through the answer engine, quiz and feedback store. */
export interface Conversation {
  /** The replies for one event (empty: stay quiet). Never throws for a user's mistake. */
  handle(ev: Inbound): Promise<Reply[]>;
  /** Cancels quiz round timers (shutdown). */
  dispose(): void;
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

/**
 * The platform-neutral conversation: questions, /help, /reset, units and plans (/task, /plans, /use),
 * the quiz (personal in one-to-one chats, rounds in groups) and 👍/👎 votes. Groups are answered only
 * when the bot is mentioned. Chat and quiz state are in the stores, not in this object.
 * @example const reply = await createConversation(deps).handle({ platform: "dingtalk", chatId, userId, group: false, mentioned: false, text: "…" });
 */
export function createConversation(deps: PlatformDeps, opts: { pushTo?: (platform: string) => Pusher | undefined } = {}): Conversation {
  const local = deps.userLimit ? undefined : new RateLimiter(deps.config.USER_RATE_LIMIT);
  const limiter: RateLimit = deps.userLimit ?? local!;
  const plans = createPlatformPlans(deps.knowledge, deps.store);
  const quiz = deps.quiz && createPlatformQuiz({ quiz: deps.quiz, logger: deps.logger, roundMs: deps.config.QUIZ_ROUND_SECONDS * 1000, deadlines: deps.deadlines, pushTo: opts.pushTo ?? (() => undefined) });
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

  async function command(ev: Inbound, name: string, arg: string): Promise<Reply[]> {
    switch (name) {
      case "help":
      case "start":
        return [{ body: PLATFORM_HELP }];
      case "reset":
        await soft(() => deps.store.saveHistory(chatKey(ev), []), undefined);
        return [{ body: "已清空对话上下文，可以开始新的话题。" }];
      case "ask":
        return arg ? ask(ev, arg) : [{ body: "用法：/ask 你的问题，例如 /ask 今年高标准农田要建多少？" }];
      case "quiz":
      case "next":
      case "stop":
      case "leaderboard":
        return quiz ? (await quiz.command(ev, name, arg))! : [{ body: "测验功能尚未启用。" }];
      default:
        return (await plans.command(chatKey(ev), name, arg)) ?? [{ body: "未知命令。发送 /help 查看可用命令。" }];
    }
  }

  async function ask(ev: Inbound, question: string): Promise<Reply[]> {
    const now = Date.now();
    if (++takes % 1000 === 0) local?.sweep(now);
    if ((await limiter.take(userKey(ev), now)) > 0) return [{ body: "提问太频繁了，请稍等一分钟再问。" }];
    const chatId = chatKey(ev);
    const history = await soft(() => deps.store.history(chatId), []);
    const defaultDoc = await soft(() => plans.chatPlan(chatId), undefined);
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

  async function handle(ev: Inbound): Promise<Reply[]> {
    if (ev.button !== undefined) {
      const vote = /^fb:(up|down):(\d+)$/.exec(ev.button);
      if (vote) {
        const ok = await soft(() => deps.store.vote(Number(vote[2]), userKey(ev), vote[1] as "up" | "down"), false);
        const text = ok ? (vote[1] === "up" ? "谢谢反馈！" : "谢谢，我们会核查这个回答。") : "这条回答已过期。";
        return [{ body: text, toast: text }];
      }
      return (await quiz?.button(ev, ev.button)) ?? (await plans.button(chatKey(ev), ev.button)) ?? [];
    }
    const text = (ev.text ?? "").trim();
    if (ev.group && !ev.mentioned) return [];
    if (!text) return ev.group ? [{ body: "请在@我之后写上问题，例如：@我 今年高标准农田要建多少？" }] : [];
    const cmd = /^\/([a-z]+)(?:@\S+)?\s*([\s\S]*)$/i.exec(text);
    if (cmd) return command(ev, cmd[1]!.toLowerCase(), cmd[2]!.trim());
    return (await quiz?.typed(ev, text)) ?? ask(ev, text);
  }

  return {
    async handle(ev) {
      // A round that lost its deadline goes on at the group's next activity (not when that activity stops it).
      const resumed = quiz && !/^\/stop\b/i.test((ev.text ?? "").trim()) && (ev.button !== undefined || !ev.group || ev.mentioned) ? await quiz.resume(ev) : [];
      return [...resumed, ...(await handle(ev))];
    },
    dispose: () => quiz?.dispose(),
  };
}
