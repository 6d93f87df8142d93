import { MemoryDeadlineStore, type DeadlineStore } from "../../quiz/deadlines.js";
import { hash32 } from "../../quiz/generate.js";
import { createRoundClock, type RoundEvent } from "../../quiz/round-clock.js";
import type { QuizService, RoundQuestion } from "../../quiz/service.js";
import type { Standing } from "../../quiz/store.js";
import { QuizError, type Grade, type QuizQuestion } from "../../quiz/types.js";
import type { Logger } from "../../logger.js";
import type { Inbound, Pusher, Reply } from "./types.js";

const LETTERS = ["A", "B", "C", "D", "E", "F"];
/** A short, stable tag of a question id that fits in a button value. */
const shortId = (id: string) => hash32(id).toString(36);
/** A typed fill-in answer: short, with a number in it, and not asking anything (a question goes to the engine). */
const looksLikeFill = (text: string) => text.length <= 24 && /[0-9０-９零〇一二两三四五六七八九十百千万亿]/.test(text) && !/[？?吗呢哪怎]|多少|什么/.test(text);

/** Settings for {@link createPlatformQuiz}. */
export interface PlatformQuizOptions {
  quiz: QuizService;
  logger: Logger;
  /** How long a round's question stays open (QUIZ_ROUND_SECONDS). */
  roundMs: number;
  /** Round deadlines (the database, so that any instance closes an overdue question); memory when absent. */
  deadlines?: DeadlineStore;
  /** Each platform's sender for a stored chat address (a round's question closed by a timer or sweep). */
  pushTo: (platform: string) => Pusher | undefined;
  /** How often overdue deadlines are swept (default 1 s). */
  sweepMs?: number;
}

/** The quiz on the chat platforms: personal questions in one-to-one chats, rounds in groups. */
export interface PlatformQuiz {
  /** /quiz, /next, /stop, /leaderboard; undefined for other commands. */
  command(ev: Inbound, name: string, arg: string): Promise<Reply[] | undefined>;
  /** A quiz button (qp:…, qr:…); undefined for other buttons. */
  button(ev: Inbound, value: string): Promise<Reply[] | undefined>;
  /** A typed answer to the open question or round; undefined when the text is not one. */
  typed(ev: Inbound, text: string): Promise<Reply[] | undefined>;
  /** Replies to send before handling an event (the question of a round that lost its deadline). */
  resume(ev: Inbound): Promise<Reply[]>;
  /** Cancels round timers and the sweep (shutdown). */
  dispose(): void;
}

function questionReply(q: QuizQuestion, title: string, prefix: string, group: boolean): Reply {
  const options = q.options.map((o, i) => `${LETTERS[i]}. ${o}`).join("\n");
  const letters = LETTERS.slice(0, q.options.length).join("/");
  return {
    title,
    body: [q.question, options].filter(Boolean).join("\n"),
    buttons: q.options.map((_o, i) => ({ text: LETTERS[i]!, value: `${prefix}:${i}` })),
    hint: q.options.length
      ? group ? `请@我并回复 ${letters} 作答（飞书可直接点按钮）。` : `请回复 ${letters} 作答。`
      : group ? "请@我并回复答案，例如 78万亩。" : "请直接回复答案，例如 78万亩。",
  };
}

function gradeReply(g: Grade, next: string): Reply {
  return {
    body: `${g.correct ? "✅ 正确" : "❌ 错误"}：正确答案是 **${g.expected}**\n${next}`,
    quotes: [{ tag: `〔${g.label}〕`, quote: g.quote }],
    toast: g.correct ? "正确！" : "错误",
  };
}

function standingsReply(title: string, rows: Standing[]): Reply {
  const medal = ["🥇", "🥈", "🥉"];
  return { title, body: rows.length ? rows.map((r, i) => `${medal[i] ?? `${i + 1}.`} ${r.displayName ?? r.userId}：${r.correct}/${r.answered}`).join("\n") : "还没有人答题。" };
}

/**
 * The quiz for DingTalk, WeCom and Feishu over the shared {@link QuizService}: every piece of state
 * (the open personal question, rounds, answers, scores) is in the quiz store, so a retried delivery
 * or another instance sees the same quiz. Only a round's timer lives here, in the instance that
 * asked the question; `advanceRound` lets one closer win when two race.
 * @example const quiz = createPlatformQuiz({ quiz: service, logger, roundMs: 30_000 });
 */
export function createPlatformQuiz(opts: PlatformQuizOptions): PlatformQuiz {
  const { quiz } = opts;
  const chatKey = (ev: Inbound) => `${ev.platform}:${ev.chatId}`;
  const userKey = (ev: Inbound) => `${ev.platform}:${ev.userId}`;
  const nameOf = (ev: Inbound) => ev.userName ?? `用户${ev.userId.slice(-4)}`;
  const addressOf = (ev: Inbound) => ({ ...ev.address, platform: ev.platform });

  function roundQuestionReply(rq: RoundQuestion): Reply {
    return questionReply(rq.question, `第${rq.index + 1}/${rq.total}题`, `qr:${rq.roundId}:${rq.index}`, true);
  }

  const eventReplies = (events: RoundEvent[]): Reply[] => events.map((e) => {
    if (e.kind === "reveal") return { body: `本题答案：**${e.question.answer}**`, quotes: [{ tag: `〔${e.question.label}〕`, quote: e.question.quote }] };
    if (e.kind === "question") return roundQuestionReply(e.question);
    return standingsReply("本轮测验结束 · 排行榜", e.standings);
  });

  // Round deadlines are rows: a timer here, a sweep on every instance, /next anywhere; one closer wins.
  const clock = createRoundClock({
    quiz, deadlines: opts.deadlines ?? new MemoryDeadlineStore(), kind: "platform-round", roundMs: opts.roundMs,
    async post(data, events) {
      const send = opts.pushTo(String(data.platform))?.(data);
      if (!send) throw new Error(`platform: cannot reach the chat of a quiz round (${String(data.platform)})`);
      await send(eventReplies(events));
    },
    onError: (err) => opts.logger.error({ err: { message: String((err as Error)?.message ?? err) } }, "platform: could not advance the quiz round"),
  });
  clock.sweep(opts.sweepMs);

  async function gradePersonal(ev: Inbound, q: QuizQuestion, response: string): Promise<Reply[]> {
    try {
      // issuedOnly: the store grades an issued question once, whichever instance or retry asks.
      const g = await quiz.answer(userKey(ev), q, response, { chatId: chatKey(ev), issuedOnly: true });
      return [gradeReply(g, "发送 /quiz 继续。")];
    } catch (err) {
      if (err instanceof QuizError) return [{ body: "这道题已经结束了，发送 /quiz 再来一题。", toast: "这道题已经结束了" }];
      throw err;
    }
  }

  async function answerRound(ev: Inbound, roundId: string, index: number, response: string): Promise<Reply[]> {
    try {
      const { grade, first } = await quiz.answerRound(roundId, userKey(ev), nameOf(ev), response, index);
      const toast = first ? (grade.correct ? "✅ 正确！" : `❌ 错误，答案是 ${grade.expected}`) : "你已经回答过这道题了。";
      // A button press is told privately; a typed answer is acknowledged without giving the answer away.
      return ev.button !== undefined ? [{ body: toast, toast, toastOnly: true }] : [{ body: first ? `已记录 ${nameOf(ev)} 的答案。` : `${nameOf(ev)}，你已经回答过这道题了。` }];
    } catch (err) {
      if (err instanceof QuizError) return [{ body: "这道题已经结束了。", toast: "这道题已经结束了。", toastOnly: ev.button !== undefined }];
      throw err;
    }
  }

  return {
    async command(ev, name, arg) {
      const chat = chatKey(ev);
      switch (name) {
        case "quiz": {
          if (!ev.group) {
            const q = await quiz.next(userKey(ev), { topic: arg || undefined });
            if (!q) return [{ body: arg ? `没有找到与“${arg}”相关的目标，换个关键词试试。` : "目前没有可出的题目。" }];
            return [questionReply(q, "测验", `qp:${shortId(q.id)}`, false)];
          }
          const m = /^(\d{1,2})?\s*(.*)$/.exec(arg)!;
          const count = Math.min(20, Math.max(1, Number(m[1] ?? 5)));
          try {
            const rq = await quiz.startRound(chat, userKey(ev), { count, topic: m[2] || undefined });
            await clock.asked(rq, addressOf(ev));
            return [
              { body: `${nameOf(ev)} 开始了一轮 ${rq.total} 题的测验，每题 ${opts.roundMs / 1000} 秒，每人每题只计第一次回答。发起人可发送 /next 跳到下一题，/stop 结束。${rq.note ? `\n${rq.note}` : ""}` },
              roundQuestionReply(rq),
            ];
          } catch (err) {
            if (err instanceof QuizError) return [{ body: err.code === "round-active" ? "本群已有一轮测验在进行，发送 /stop 可以结束。" : `没有找到与“${m[2]}”相关的目标，换个关键词试试。` }];
            throw err;
          }
        }
        case "next": {
          const round = await quiz.activeRound(chat);
          if (!round) return [{ body: "当前没有进行中的测验。发送 /quiz 开始。" }];
          if (round.startedBy !== userKey(ev)) return [{ body: "只有本轮发起人可以跳到下一题。" }];
          return eventReplies(await clock.closeNow(chat, round.id, round.currentIndex, addressOf(ev)));
        }
        case "stop": {
          await clock.forget(chat);
          const standings = await quiz.stopRound(chat);
          if (!standings) return [{ body: ev.group ? "当前没有进行中的测验。" : "已结束测验。" }];
          return [standingsReply("测验已结束 · 排行榜", standings)];
        }
        case "leaderboard": {
          if (!ev.group) {
            const s = await quiz.score(userKey(ev));
            return [{ body: `你的成绩：答对 ${s.correct} / ${s.answered} 题。` }];
          }
          return [standingsReply("本群排行榜", await quiz.leaderboard(chat, 10))];
        }
        default:
          return undefined;
      }
    },

    async button(ev, value) {
      const personal = /^qp:([0-9a-z]+):(\d)$/.exec(value);
      if (personal) {
        const q = await quiz.openQuestion(userKey(ev));
        // A button of an earlier question must not grade the one now open.
        const option = q && shortId(q.id) === personal[1] ? q.options[Number(personal[2])] : undefined;
        if (!q || option === undefined) return [{ body: "这道题已经结束了，发送 /quiz 再来一题。", toast: "这道题已经结束了" }];
        return gradePersonal(ev, q, option);
      }
      const round = /^qr:([\w-]+):(\d+):(\d)$/.exec(value);
      if (!round) return undefined;
      const active = await quiz.activeRound(chatKey(ev));
      const index = Number(round[2]);
      const option = active && active.id === round[1] ? active.questions[index]?.options[Number(round[3])] : undefined;
      if (!active || option === undefined) return [{ body: "这道题已经结束了。", toast: "这道题已经结束了。", toastOnly: true }];
      return answerRound(ev, active.id, index, option);
    },

    async typed(ev, text) {
      if (ev.group) {
        const round = await quiz.activeRound(chatKey(ev));
        const q = round?.questions[round.currentIndex];
        if (!round || !q) return undefined;
        const i = LETTERS.indexOf(text.trim().toUpperCase());
        const response = q.options.length ? (i >= 0 && i < q.options.length ? q.options[i] : undefined) : looksLikeFill(text) ? text : undefined;
        return response === undefined ? undefined : answerRound(ev, round.id, round.currentIndex, response);
      }
      const q = await quiz.openQuestion(userKey(ev));
      if (!q) return undefined;
      if (q.options.length) {
        const i = LETTERS.indexOf(text.trim().toUpperCase());
        return i >= 0 && i < q.options.length ? gradePersonal(ev, q, q.options[i]!) : undefined;
      }
      return looksLikeFill(text) ? gradePersonal(ev, q, text) : undefined;
    },

    async resume(ev) {
      // A round whose deadline is gone (its timer lived in a process's memory): ask its question again.
      if (!ev.group) return [];
      const chat = chatKey(ev);
      const round = await quiz.activeRound(chat);
      if (!round || (await clock.hasDeadline(chat))) return [];
      const rq = await quiz.roundQuestion(round.id);
      if (!rq) return [];
      await clock.asked(rq, addressOf(ev));
      return [{ body: "继续进行中的测验：" }, roundQuestionReply(rq)];
    },

    dispose: () => clock.dispose(),
  };
}
