/**
 * End to end: the real grammY bot (runner long polling, auto-retry, the plain-text fallback) against
 * the fake Bot API server over real HTTP, played by users in a private chat and in groups.
 */
import { copyFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AnswerEngine } from "../../../src/answer/engine.js";
import { OpenAIAnswerer } from "../../../src/answer/llm.js";
import type { Knowledge } from "../../../src/channels/telegram/context.js";
import { quizFeature, type TelegramQuiz } from "../../../src/channels/telegram/features/quiz.js";
import { MESSAGE_LIMIT, paginate, unitBlocks } from "../../../src/channels/telegram/render.js";
import { startTelegram, type RunningBot } from "../../../src/channels/telegram/run.js";
import type { Config } from "../../../src/config.js";
import { SqliteFeedbackStore } from "../../../src/feedback/store.js";
import { openKnowledgeBase, type KnowledgeBase } from "../../../src/knowledge.js";
import { createQuizService, type QuizService } from "../../../src/quiz/service.js";
import { MemoryQuizStore } from "../../../src/quiz/store.js";
import { repoPath } from "../../helpers.js";
import { startFakeLlm, type FakeLlm } from "../../support/fake-llm.js";
import { parseTelegramHtml, startFakeTelegram, type FakeTelegram, type RecordedCall, type SentMessage, type UserMessageOptions } from "../../support/fake-telegram.js";
import { memoryLogger, sharedKb, testConfig, testEngine } from "../../support/kb.js";

const QUESTION = "今年高标准农田要建多少？";
const FAILING_QUESTION = "触发内部错误";
const ADMIN = 1001;
const GROUP = -5005;

let fake: FakeTelegram;
let running: RunningBot | undefined;
let config: Config;
let store: SqliteFeedbackStore;
let kb: KnowledgeBase;
let baseEngine: AnswerEngine;
let knowledge: Knowledge;
let quizService: QuizService;
let telegramQuiz: TelegramQuiz;
let llm: FakeLlm | undefined;
const { logger, lines } = memoryLogger();

/** The test engine, except that one question makes it throw (an internal error, not a user error). */
function failingEngine(base: AnswerEngine): AnswerEngine {
  return {
    mode: base.mode,
    targets: base.targets,
    async answer(req, opts) {
      // The message names the token, as a careless network error might: the logs must not repeat it.
      if (req.question.trim() === FAILING_QUESTION) throw new Error(`internal failure near ${fake.apiRoot}/bot${fake.token}/sendMessage`);
      return base.answer(req, opts);
    },
  };
}

/** Group rounds of multiple-choice questions only, so that every question has buttons to tap. */
const choiceOnly = (s: QuizService): QuizService => ({ ...s, startRound: (chatId, by, o) => s.startRound(chatId, by, { ...o, types: ["choice"] }) });

beforeAll(async () => {
  fake = await startFakeTelegram();
  config = testConfig({ TELEGRAM_API_ROOT: fake.apiRoot, ADMIN_IDS: String(ADMIN) });
  store = new SqliteFeedbackStore(join(config.DATA_DIR, "policybot.sqlite"));
  kb = await sharedKb();
  baseEngine = await testEngine();
  knowledge = { kb, engine: failingEngine(baseEngine), reload: async () => {}, onReload: () => {} };
  quizService = createQuizService({ store: new MemoryQuizStore(), targets: baseEngine.targets, units: kb.docs.flatMap((d) => d.units) });
  telegramQuiz = quizFeature(choiceOnly(quizService), { roundSeconds: 1 });
  running = await startTelegram(fake.token, { config, logger, knowledge, store, quiz: telegramQuiz }, { apiRoot: fake.apiRoot, throttle: false });
});

afterAll(async () => {
  telegramQuiz?.dispose();
  await running?.stop();
  await fake?.close();
  await llm?.close();
  store?.close();
});

/** Pushes a user's message and waits for `n` messages sent to (or edited in) that chat after it. */
async function exchange(opts: UserMessageOptions, n = 1): Promise<SentMessage[]> {
  const before = fake.sent(opts.chatId).length;
  fake.pushUpdate(fake.userMessage(opts));
  return (await fake.waitForSent(before + n, opts.chatId)).slice(before);
}

const dm = (userId: number, text: string): UserMessageOptions => ({ chatId: userId, userId, text });
const inGroup = (userId: number, text: string, extra: Partial<UserMessageOptions> = {}): UserMessageOptions => ({ chatId: GROUP, userId, text, ...extra });
const callbackData = (m: SentMessage): string[] => ((m.reply_markup as { inline_keyboard?: Array<Array<{ callback_data?: string }>> })?.inline_keyboard ?? []).flat().map((b) => b.callback_data ?? "");
const answered = (id: string) => (c: RecordedCall) => c.method === "answerCallbackQuery" && c.status === 200 && c.params.callback_query_id === id;

describe("the bot over real HTTP, long polling the fake Bot API", () => {
  it("starts by long polling: no webhook, the command menu registered; /start introduces the plan", async () => {
    expect(running!.mode).toBe("polling");
    const [reply] = await exchange(dm(ADMIN, "/start"));
    expect(fake.calls.map((c) => c.method)).toEqual(expect.arrayContaining(["getMe", "setMyCommands", "deleteWebhook", "getUpdates"]));
    expect(fake.calls.find((c) => c.method === "getUpdates")!.params.allowed_updates).toEqual(["message", "callback_query", "inline_query"]);
    expect(reply!.parse_mode).toBe("HTML");
    expect(reply!.plainText).toContain(kb.docs[0]!.meta.title);
    expect(reply!.plainText).toContain(QUESTION);
  });

  it("answers a question with the figure, the citation and the quote; a 👍 tap is stored and exported", async () => {
    const [reply] = await exchange(dm(ADMIN, QUESTION));
    expect(reply!.plainText).toContain("78万亩");
    expect(reply!.plainText).toContain("〔第5项〕");
    expect(reply!.entities.map((e) => e.type)).toContain("expandable_blockquote");
    const [up, down] = callbackData(reply!);
    expect(up).toMatch(/^fb:up:\d+$/);
    expect(down).toMatch(/^fb:down:\d+$/);

    const tap = fake.pushUpdate(fake.callbackQuery({ chatId: ADMIN, userId: ADMIN, messageId: reply!.message_id, data: up! }));
    const call = await fake.waitFor(answered(tap.callback_query!.id));
    expect(call.params.text).toBe("谢谢反馈！");
    expect(store.exportFeedback()).toEqual([
      expect.objectContaining({ answerId: Number(up!.split(":")[2]), vote: "up", userId: String(ADMIN), question: QUESTION, citations: ["第5项"], channel: "telegram", chatId: String(ADMIN) }),
    ]);
  });

  it("/task 5 and /task 五 return task 5's text", async () => {
    const unit = kb.docs[0]!.units.find((u) => u.ref === "task:5")!;
    for (const text of ["/task 5", "/task 五"]) {
      const [reply] = await exchange(dm(ADMIN, text));
      expect(reply!.plainText).toContain(`〔第5项〕${unit.heading}`);
      expect(reply!.plainText).toContain(unit.text);
    }
  });

  it("/stats answers the admin only", async () => {
    const [refused] = await exchange(dm(2002, "/stats"));
    expect(refused!.text).toBe("这个命令仅限管理员使用。");
    const [stats] = await exchange(dm(ADMIN, "/stats"));
    expect(stats!.text).toMatch(/^问题：1\n/);
    expect(stats!.text).toContain("👍 1 · 👎 0");
  });

  it("in a group: quiet without a mention, answers a mention and a reply to the bot, each as a reply", async () => {
    fake.pushUpdate(fake.userMessage(inGroup(2001, QUESTION)));
    const mention = fake.pushUpdate(fake.userMessage(inGroup(2001, `@${fake.botInfo.username} ${QUESTION}`)));
    // One chat's updates are handled in order, so once the mention is answered the plain message was handled too.
    const [first] = await fake.waitForSent(1, GROUP);
    expect(fake.sent(GROUP)).toHaveLength(1);
    expect(first!.reply_to).toBe(mention.message!.message_id);
    expect(first!.plainText).toContain("78万亩");

    const [reply] = await exchange(inGroup(2002, "城镇化率目标是多少？", { replyToBotMessage: true }));
    expect(reply!.reply_to).toBeDefined();
    expect(reply!.plainText).toMatch(/〔[^〕]+〕/);
  });

  it("sends a long unit in several messages of at most 4096 characters", async () => {
    const dir = mkdtempSync(join(tmpdir(), "policybot-seeds-"));
    copyFileSync(repoPath("seeds/zhejiang-2026-qianwan-plan.txt"), join(dir, "zhejiang-2026-qianwan-plan.txt"));
    const sentence = "推进超长条目测试工作，完善第九十九项的每一个环节并逐步落实到位。";
    writeFileSync(join(dir, "long-plan.txt"), `某市2026年超长条目测试工作要点\n\n为测试长回复，制定本要点。\n\n一、重点任务\n\n（一）超长条目\n\n99．超长条目。${sentence.repeat(300).slice(0, 9000)}\n`);
    const longKb = await openKnowledgeBase({ config: testConfig({ SEEDS_DIR: dir }), logger: memoryLogger().logger, persist: false });
    const unit = longKb.docs.flatMap((d) => d.units).find((u) => u.ref === "task:99")!;
    expect(unit.text.length).toBeGreaterThan(9000);
    const pages = paginate(unitBlocks(unit)).length;
    expect(pages).toBeGreaterThanOrEqual(3);

    knowledge.kb = longKb;
    try {
      const parts = await exchange(dm(ADMIN, "/task 99"), pages);
      expect(parts).toHaveLength(pages);
      for (const p of parts) {
        expect(p.parse_mode).toBe("HTML");
        expect(p.text.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
      }
      // Two plans are loaded here, so the unit's tag names its plan.
      expect(parts[0]!.plainText).toMatch(/^〔[^〔〕·]+·第99项〕超长条目/);
      expect(parts.map((p) => p.plainText).join("").replace(/\s/g, "")).toContain(unit.text.replace(/\s/g, ""));
    } finally {
      knowledge.kb = kb;
    }
  });

  it("waits out a 429 (retry_after 1) and then sends the reply", async () => {
    fake.failNext("sendMessage", { status: 429, retryAfter: 1 });
    const [reply] = await exchange(dm(3001, QUESTION));
    expect(reply!.plainText).toContain("78万亩");
    const sends = fake.calls.filter((c) => c.method === "sendMessage" && c.params.chat_id === 3001);
    expect(sends.map((c) => c.status)).toEqual([429, 200]);
    expect(sends[1]!.params.text).toBe(sends[0]!.params.text);
    expect(sends[1]!.time - sends[0]!.time).toBeGreaterThanOrEqual(950);
  });

  it("falls back to plain text when Telegram cannot parse the formatting", async () => {
    fake.failNext("sendMessage", { status: 400, description: "Bad Request: can't parse entities: Unsupported start tag" });
    const [reply] = await exchange(dm(3002, QUESTION));
    const [rejected, resent] = fake.calls.filter((c) => c.method === "sendMessage" && c.params.chat_id === 3002);
    expect(rejected!.status).toBe(400);
    expect(rejected!.params.parse_mode).toBe("HTML");
    expect(String(rejected!.params.text)).toContain("<blockquote expandable>");
    expect(resent!.status).toBe(200);
    expect(resent!.params.parse_mode).toBeUndefined();
    expect(reply!.parse_mode).toBeUndefined();
    expect(reply!.text).not.toMatch(/<\/?[a-z]+[ >]|&(amp|lt|gt);/);
    const html = parseTelegramHtml(String(rejected!.params.text));
    expect(html.ok && html.text.trim()).toBe(reply!.text.trim());
    expect(reply!.text).toContain("〔第5项〕");
    expect(callbackData(reply!)[0]).toMatch(/^fb:up:/);
  });

  it("apologises for an update that throws, and answers the next one", async () => {
    const failed = fake.pushUpdate(fake.userMessage(dm(3003, FAILING_QUESTION)));
    fake.pushUpdate(fake.userMessage(dm(3003, QUESTION)));
    const [apology, answer] = await fake.waitForSent(2, 3003);
    expect(apology!.text).toBe("抱歉，处理这条消息时出错了，请稍后再试。");
    expect(answer!.plainText).toContain("78万亩");
    const error = lines.map((l) => JSON.parse(l) as { msg: string; update_id?: number; err?: { message: string } }).find((l) => l.msg === "telegram: error while handling an update");
    expect(error).toMatchObject({ update_id: failed.update_id, err: { message: expect.stringContaining("internal failure") } });
    expect(error!.err!.message).toContain("[redacted]");
  });

  it("LLM mode: a 500 on the typing indicator does not hold up or lose the answer", async () => {
    llm = await startFakeLlm();
    const reply = "今年新建和改造提升高标准农田78万亩〔第5项〕。";
    llm.behave(() => ({ reply }));
    const answerer = new OpenAIAnswerer({ baseURL: llm.baseURL, apiKey: "sk-test-key-123", model: "test-model", timeoutMs: 5000, temperature: 0.2, logger });
    knowledge.engine = await testEngine(answerer, logger);
    try {
      fake.failNext("sendChatAction", { status: 500 });
      fake.pushUpdate(fake.userMessage(dm(3004, QUESTION)));
      const final = await fake.waitFor((c) => (c.method === "sendMessage" || c.method === "editMessageText") && c.status === 200 && c.params.chat_id === 3004 && JSON.stringify(c.params.reply_markup ?? {}).includes("fb:up"));
      const typing = fake.calls.filter((c) => c.method === "sendChatAction" && c.params.chat_id === 3004);
      expect(typing[0]).toMatchObject({ status: 500, injected: true, params: { action: "typing" } });
      // The answer did not wait for auto-retry's 3 s back-off on the indicator.
      expect(final.time - typing[0]!.time).toBeLessThan(2500);
      const shown = fake.sent(3004).at(-1)!;
      expect(shown.plainText.startsWith(reply)).toBe(true); // the fluent answer, not the extractive one
      expect(shown.entities.map((e) => e.type)).toContain("expandable_blockquote");
      expect(llm.calls.at(-1)!.stream).toBe(true);
      // Let the retried indicator finish, so nothing is left in flight.
      await fake.waitFor((c) => c.method === "sendChatAction" && c.params.chat_id === 3004 && c.status === 200, 6000);
    } finally {
      knowledge.engine = failingEngine(baseEngine);
    }
  });

  it("runs a quiz round in a group: buttons, one answer per user, /next, the timer and the leaderboard", async () => {
    const QUIZ_GROUP = -6006;
    const [intro, q1] = await exchange({ chatId: QUIZ_GROUP, userId: 4001, text: "/quiz 2" }, 2);
    expect(intro!.plainText).toMatch(/@user4001 开始了一轮 2 题的测验/);
    expect(q1!.plainText).toMatch(/^第1\/2题/);
    const round = (await quizService.activeRound(String(QUIZ_GROUP)))!;
    const question = round.questions[0]!;
    const right = question.options.indexOf(question.answer);
    const wrong = (right + 1) % question.options.length;
    expect(callbackData(q1!)).toEqual(question.options.map((_o, i) => `qr:0:${i}`));

    const tap = (userId: number, option: number) => fake.pushUpdate(fake.callbackQuery({ chatId: QUIZ_GROUP, userId, messageId: q1!.message_id, data: `qr:0:${option}` })).callback_query!.id;
    const taps = [tap(4001, right), tap(4002, wrong), tap(4001, wrong)];
    const [a, b, again] = await Promise.all(taps.map((id) => fake.waitFor(answered(id))));
    expect(a!.params.text).toBe("✅ 正确！");
    expect(b!.params.text).toMatch(/^❌ 错误，答案是 /);
    expect(again!.params.text).toBe("你已经回答过这道题了。");

    // /next by the starter reveals the answer and asks question 2; the 1 s timer then ends the round.
    const [reveal, q2] = await exchange({ chatId: QUIZ_GROUP, userId: 4001, text: "/next" }, 2);
    expect(reveal!.plainText).toContain(`本题答案：${question.answer}〔${question.label}〕`);
    expect(q2!.plainText).toMatch(/^第2\/2题/);
    const [, board] = await fake.waitForSent(fake.sent(QUIZ_GROUP).length + 2, QUIZ_GROUP, 4000).then((all) => all.slice(-2));
    expect(board!.plainText).toMatch(/^本轮测验结束 · 排行榜\n🥇 @user4001：1\/1\n🥈 @user4002：0\/1$/);
    expect(await quizService.activeRound(String(QUIZ_GROUP))).toBeUndefined();

    const [lb] = await exchange({ chatId: QUIZ_GROUP, userId: 4002, text: "/leaderboard" });
    expect(lb!.plainText).toContain("@user4001");
    expect(lb!.plainText).toContain("@user4002");
  });

  it("never writes the bot token to the log", () => {
    const log = lines.join("");
    expect(log).toContain("telegram: long polling");
    expect(log).toContain("telegram: update handled");
    expect(log).not.toContain(fake.token);
    expect(log).not.toContain(fake.token.split(":")[1]);
  });
});
