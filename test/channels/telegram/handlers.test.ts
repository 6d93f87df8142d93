/**
 * Fast unit tests of the Telegram bot's handlers: updates go in through `bot.handleUpdate`, and every
 * Bot API call is answered by a recording transformer, so no network is used at all.
 */
import type { Transformer } from "grammy";
import type { Chat, Message, MessageEntity, Update, User, UserFromGetMe } from "grammy/types";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { AnswerEngine } from "../../../src/answer/engine.js";
import type { AnswerResult } from "../../../src/answer/types.js";
import { createBot, plainTextFallback } from "../../../src/channels/telegram/bot.js";
import type { BotDeps, Knowledge } from "../../../src/channels/telegram/context.js";
import { quizFeature, type TelegramQuiz } from "../../../src/channels/telegram/features/quiz.js";
import { answerBlocks, MESSAGE_LIMIT, paginate } from "../../../src/channels/telegram/render.js";
import { SqliteFeedbackStore, type FeedbackStore } from "../../../src/feedback/store.js";
import type { KnowledgeBase } from "../../../src/knowledge.js";
import { createQuizService } from "../../../src/quiz/service.js";
import { MemoryQuizStore, quizDbPath, SqliteQuizStore } from "../../../src/quiz/store.js";
import { guardStore } from "../../../src/storage/guard.js";
import { StorageHealth } from "../../../src/storage/health.js";
import { tempDir, writeGarbage } from "../../storage/damage.js";
import { detectEntities, parseTelegramHtml, testBotInfo } from "../../support/fake-telegram.js";
import { memoryLogger, sharedKb, testConfig, testEngine } from "../../support/kb.js";

const TOKEN = "123456789:AAHandlerTestTokenNeverSent_xyz";
const BOT: UserFromGetMe = testBotInfo();

const QUESTION = "今年高标准农田要建多少？";
const user = (id: number, extra: Partial<User> = {}): User => ({ id, is_bot: false, first_name: `User${id}`, username: `user${id}`, ...extra });
const ALICE = user(1001);
const BOB = user(1002);
const privateChat = (u: User): Chat.PrivateChat => ({ id: u.id, type: "private", first_name: u.first_name });
const GROUP: Chat.GroupChat = { id: -2001, type: "group", title: "测试群" };

let kb: KnowledgeBase;
let engine: AnswerEngine;
beforeAll(async () => {
  kb = await sharedKb();
  engine = await testEngine();
});

interface Call {
  method: string;
  payload: Record<string, any>;
}

/** What a user would see of a sent text: HTML parsed like Telegram does, or the text as is. */
function visible(p: Record<string, any>): string {
  if (p.parse_mode !== "HTML") return String(p.text);
  const parsed = parseTelegramHtml(String(p.text));
  if (!parsed.ok) throw new Error(`invalid HTML (${parsed.error}): ${String(p.text).slice(0, 300)}`);
  return parsed.text;
}

const harnesses: Array<{ calls: Call[]; dispose(): void }> = [];
afterEach(() => {
  // Whatever a test did, every formatted text the bot produced must be valid Telegram HTML within the limit.
  for (const h of harnesses.splice(0)) {
    for (const c of h.calls) {
      if ((c.method === "sendMessage" || c.method === "editMessageText") && c.payload.parse_mode === "HTML") {
        const parsed = parseTelegramHtml(String(c.payload.text));
        expect(parsed.ok, `${c.method} sent invalid HTML: ${JSON.stringify(parsed)}\n${String(c.payload.text).slice(0, 400)}`).toBe(true);
        expect(String(c.payload.text).length).toBeLessThanOrEqual(MESSAGE_LIMIT);
      }
    }
    h.dispose();
  }
});

/** A bot with a recording transformer in place of Telegram. */
function harness(env: Record<string, string> = {}, opts: { engine?: AnswerEngine; quiz?: (k: Knowledge) => TelegramQuiz; store?: FeedbackStore } = {}) {
  // A dead API root: should any call slip past the recorder, it fails instead of reaching Telegram.
  const config = testConfig({ TELEGRAM_API_ROOT: "http://127.0.0.1:9", USER_RATE_LIMIT: "1000", ...env });
  const store = opts.store ?? new SqliteFeedbackStore(":memory:");
  const { logger, lines } = memoryLogger();
  const knowledge: Knowledge = { kb, engine: opts.engine ?? engine, reload: async () => {}, onReload: () => {} };
  const quiz = opts.quiz?.(knowledge);
  const deps: BotDeps = { config, logger, knowledge, store, ...(quiz ? { quiz } : {}) };
  const bot = createBot(TOKEN, deps, { botInfo: BOT, throttle: false });
  const calls: Call[] = [];
  let nextMessageId = 5000;
  const record: Transformer = async (_prev, method, payload) => {
    const p = (payload ?? {}) as Record<string, any>;
    calls.push({ method, payload: p });
    if (method === "sendMessage" || method === "editMessageText") {
      const chatId = Number(p.chat_id);
      const message = {
        message_id: method === "editMessageText" ? Number(p.message_id) : ++nextMessageId,
        date: Math.floor(Date.now() / 1000),
        chat: chatId > 0 ? { id: chatId, type: "private", first_name: "x" } : { id: chatId, type: "group", title: "g" },
        from: BOT,
        text: visible(p),
      };
      return { ok: true, result: message } as any;
    }
    return { ok: true, result: true } as any;
  };
  bot.api.config.use(record);

  let updateId = 1;
  let messageId = 1;
  const h = {
    bot, deps, store, calls, lines,
    dispose() {
      quiz?.dispose();
      store.close();
    },
    /** Handles an update (an id is assigned when absent). */
    async push(update: Omit<Update, "update_id"> & { update_id?: number }): Promise<Update> {
      const u = { update_id: ++updateId, ...update } as Update;
      await bot.handleUpdate(u);
      return u;
    },
    message(from: User, text: string, chat: Chat = privateChat(from), extra: Partial<Message> = {}): Omit<Update, "update_id"> {
      const entities: MessageEntity[] = detectEntities(text);
      return { message: { message_id: ++messageId, date: Math.floor(Date.now() / 1000), chat, from, text, ...(entities.length ? { entities } : {}), ...extra } as Message & Update.NonChannel };
    },
    say(from: User, text: string, chat: Chat = privateChat(from), extra: Partial<Message> = {}) {
      return h.push(h.message(from, text, chat, extra));
    },
    /** Texts sent with sendMessage (optionally to one chat), as payloads. */
    sent(chatId?: number) {
      return calls.filter((c) => c.method === "sendMessage" && (chatId === undefined || Number(c.payload.chat_id) === chatId)).map((c) => c.payload);
    },
    callback(from: User, chat: Chat, data: string) {
      return h.push({
        callback_query: {
          id: String(9_000_000 + ++messageId),
          from,
          chat_instance: "ci",
          data,
          message: { message_id: 5001, date: Math.floor(Date.now() / 1000), chat, from: BOT, text: "…" } as Message,
        },
      });
    },
  };
  harnesses.push(h);
  return h;
}

/** The callback data of an inline keyboard, row by row. */
const buttons = (p: Record<string, any>): string[] => (p.reply_markup?.inline_keyboard ?? []).flat().map((b: { callback_data?: string }) => b.callback_data ?? "");

/** An answer of a given length, made of sentences (with characters that need escaping). */
function longResult(chars: number): AnswerResult {
  const sentence = "新建和改造提升高标准农田78万亩，A&B<C>“引号”。";
  const answer = sentence.repeat(Math.ceil(chars / sentence.length)).slice(0, chars);
  return {
    question: QUESTION, answer, abstained: false, grade: "answered", mode: "extractive", ms: 1, confidence: 1, retrieved: [],
    citations: [{ doc: "d", ref: "task:5", label: "第5项", heading: "增强粮食等重要农产品供给保障能力", quote: "新建和改造提升高标准农田78万亩" }],
  };
}

/** An engine returning a fixed result. */
const fixedEngine = (r: AnswerResult): AnswerEngine => ({ mode: "extractive", targets: engine.targets, answer: async () => r });

describe("private chat", () => {
  it("/start and /help show the plan's title and example questions", async () => {
    const h = harness();
    await h.say(ALICE, "/start");
    await h.say(ALICE, "/help");
    const [start, help] = h.sent(ALICE.id);
    expect(h.sent()).toHaveLength(2);
    for (const p of [start!, help!]) {
      expect(p.parse_mode).toBe("HTML");
      const text = visible(p);
      expect(text).toContain(`《${kb.docs[0]!.meta.title}》`);
      expect(text).toContain(QUESTION);
      expect(text).toContain("/task 5");
    }
  });

  it("answers a question in HTML with the figure, its citation, the quote in an expandable blockquote and 👍/👎 buttons", async () => {
    const h = harness();
    await h.say(ALICE, QUESTION);
    const sent = h.sent(ALICE.id);
    expect(sent).toHaveLength(1);
    const p = sent[0]!;
    expect(p.parse_mode).toBe("HTML");
    expect(p.text).toContain("78万亩");
    expect(p.text).toContain("〔第5项〕");
    expect(p.text).toMatch(/<blockquote expandable>[^<]*78万亩[^<]*<\/blockquote>/);
    expect(p.reply_parameters).toBeUndefined();
    const data = buttons(p);
    expect(data).toHaveLength(2);
    expect(data[0]).toMatch(/^fb:up:\d+$/);
    expect(data[1]).toMatch(/^fb:down:\d+$/);
    expect(data[0]!.split(":")[2]).toBe(data[1]!.split(":")[2]);
    expect(p.reply_markup.inline_keyboard.flat().map((b: { text: string }) => b.text).join(" ")).toMatch(/👍.*👎/);
  });

  it("records a 👍 vote from the button and says when an answer is unknown", async () => {
    const h = harness();
    await h.say(ALICE, QUESTION);
    const up = buttons(h.sent(ALICE.id)[0]!)[0]!;
    await h.callback(ALICE, privateChat(ALICE), up);
    await h.callback(ALICE, privateChat(ALICE), "fb:down:999999");
    const answers = h.calls.filter((c) => c.method === "answerCallbackQuery").map((c) => c.payload.text);
    expect(answers).toEqual(["谢谢反馈！", "这条回答已过期。"]);
    expect(h.store.exportFeedback()).toMatchObject([{ vote: "up", userId: String(ALICE.id), citations: ["第5项"], question: QUESTION }]);
  });

  it("escapes user and document text: what the user typed is what the user sees", async () => {
    const nasty = "<b>&amp; x";
    const h = harness({}, { quiz: (k) => quizFeature(createQuizService({ store: new MemoryQuizStore(), targets: k.engine.targets, units: k.kb.docs.flatMap((d) => d.units) })) });
    await h.say(ALICE, `/search 高标准农田${nasty}`);
    const search = h.sent(ALICE.id)[0]!;
    expect(search.parse_mode).toBe("HTML");
    expect(search.text).toContain("&lt;b&gt;&amp;amp; x");
    expect(visible(search)).toContain(`与“高标准农田${nasty}”相关的条目`);
    expect(visible(search)).toContain("〔第5项〕增强粮食等重要农产品供给保障能力");

    // A question with markup in it.
    await h.say(ALICE, `今年高标准农田${nasty}要建多少？`);
    expect(visible(h.sent(ALICE.id)[1]!)).toContain("78万亩");

    // A quiz topic that selects nothing is echoed back.
    await h.say(ALICE, `/quiz ${nasty}`);
    expect(visible(h.sent(ALICE.id)[2]!)).toContain(`“${nasty}”`);

    // A group quiz started by a user whose name has markup in it (no username).
    const eve = user(1005, { first_name: "<i>Eve", last_name: "& Co</i>", username: undefined });
    await h.say(eve, "/quiz 1", GROUP);
    const intro = h.sent(GROUP.id)[0]!;
    expect(intro.parse_mode).toBe("HTML");
    expect(visible(intro)).toContain("<i>Eve & Co</i> 开始了一轮 1 题的测验");
  });

  it("resumes a group round after a restart: the next activity re-asks the current question", async () => {
    const store = new MemoryQuizStore();
    const make = (k: Knowledge) => quizFeature(createQuizService({ store, targets: k.engine.targets, units: k.kb.docs.flatMap((d) => d.units) }), { roundSeconds: 60 });
    const before = harness({}, { quiz: make });
    await before.say(ALICE, "/quiz 3", GROUP);
    const firstQuestion = visible(before.sent(GROUP.id)[1]!);
    expect(firstQuestion).toContain("第1/3题");
    // A new process: same store, no timers.
    const after = harness({}, { quiz: make });
    await after.say(ALICE, "大家加油", GROUP);
    const sent = after.sent(GROUP.id).map((m) => visible(m));
    expect(sent[0]).toBe("继续进行中的测验：");
    expect(sent[1]).toBe(firstQuestion);
  });

  it("sends the helpful text-only reply to a photo or a sticker (and stays quiet about them in groups)", async () => {
    const h = harness();
    const media = (from: User, chat: Chat, extra: Record<string, unknown>) => h.push({ message: { message_id: 77, date: 1, chat, from, ...extra } as Message & Update.NonChannel });
    await media(ALICE, privateChat(ALICE), { photo: [{ file_id: "p", file_unique_id: "p", width: 90, height: 60 }] });
    await media(ALICE, privateChat(ALICE), { sticker: { file_id: "s", file_unique_id: "s", type: "regular", width: 512, height: 512, is_animated: false, is_video: false } });
    await media(ALICE, GROUP, { photo: [{ file_id: "p", file_unique_id: "p", width: 90, height: 60 }] });
    const sent = h.sent();
    expect(sent).toHaveLength(2);
    for (const p of sent) {
      expect(p.chat_id).toBe(ALICE.id);
      expect(p.parse_mode).toBeUndefined();
      expect(p.text).toMatch(/只能读文字问题.*例如/);
    }
  });

  it("answers an over-long question with the limit instead of an answer", async () => {
    const h = harness();
    await h.say(ALICE, "高标准农田建设".repeat(100));
    const [p] = h.sent(ALICE.id);
    expect(h.sent()).toHaveLength(1);
    expect(p!.text).toMatch(/问题太长，请精简到500字以内/);
    expect(p!.text).toContain("700");
    expect(p!.reply_markup).toBeUndefined();
  });

  it("limits questions per user (USER_RATE_LIMIT=2): the third gets a friendly message, another user is not affected", async () => {
    const h = harness({ USER_RATE_LIMIT: "2" });
    for (let i = 0; i < 3; i++) await h.say(ALICE, QUESTION);
    await h.say(BOB, QUESTION);
    const alice = h.sent(ALICE.id);
    expect(alice.map((p) => p.text.includes("78万亩"))).toEqual([true, true, false]);
    expect(alice[2]!.text).toBe("提问太频繁了，请稍等一分钟再问。");
    expect(h.sent(BOB.id)[0]!.text).toContain("78万亩");
  });

  it("/stats is for ADMIN_IDS only", async () => {
    const h = harness({ ADMIN_IDS: String(ALICE.id) });
    await h.say(ALICE, QUESTION);
    await h.say(BOB, "/stats");
    await h.say(ALICE, "/stats");
    expect(h.sent(BOB.id)[0]!.text).toBe("这个命令仅限管理员使用。");
    const stats = h.sent(ALICE.id)[1]!.text as string;
    expect(stats).toContain("问题：1");
    expect(stats).toMatch(/👍 0 · 👎 0/);
  });

  it("keeps per-chat history for follow-ups, and /reset clears it", async () => {
    const seen: Array<{ question: string; history: unknown[] }> = [];
    const spy: AnswerEngine = { mode: engine.mode, targets: engine.targets, answer: (req, o) => (seen.push({ question: req.question, history: req.history ?? [] }), engine.answer(req, o)) };
    const h = harness({}, { engine: spy });
    await h.say(ALICE, "就业方面有什么安排");
    await h.say(ALICE, "那青年创业呢？");
    const followUp = h.sent(ALICE.id)[1]!;
    expect(followUp.text).toContain("〔第22项〕");
    expect(seen[1]!.history).toEqual([{ q: "就业方面有什么安排", a: expect.stringContaining("〔第21项〕") }]);

    // Another chat has its own (empty) history.
    await h.say(BOB, "那青年创业呢？");
    expect(seen[2]!.history).toEqual([]);

    expect(h.store.history(String(ALICE.id))).toHaveLength(2);
    await h.say(ALICE, "/reset");
    expect(h.sent(ALICE.id)[2]!.text).toBe("已清空对话上下文，可以开始新的话题。");
    expect(h.store.history(String(ALICE.id))).toEqual([]);
    await h.say(ALICE, QUESTION);
    expect(seen[3]!.history).toEqual([]);
  });

  it("answers an update once even when it is delivered twice (also concurrently)", async () => {
    const h = harness();
    const update = { update_id: 4242, ...h.message(ALICE, QUESTION) } as Update;
    await h.bot.handleUpdate(update);
    await h.bot.handleUpdate(update);
    expect(h.sent()).toHaveLength(1);
    const again = { update_id: 4243, ...h.message(BOB, QUESTION) } as Update;
    await Promise.all([h.bot.handleUpdate(again), h.bot.handleUpdate(again)]);
    expect(h.sent(BOB.id)).toHaveLength(1);
    const botId = h.bot.botInfo.id;
    expect(h.store.wasHandled(botId, 4242) && h.store.wasHandled(botId, 4243)).toBe(true);
  });

  it("replies to unknown commands in private chats only", async () => {
    const h = harness();
    await h.say(ALICE, "/nonsense");
    await h.say(ALICE, "/nonsense", GROUP);
    expect(h.sent().map((p) => p.text)).toEqual(["未知命令。发送 /help 查看可用命令。"]);
  });

  it("with broken data files answers questions (without vote buttons) and says the quiz and votes are unavailable, naming the file", async () => {
    const dir = tempDir();
    const feedbackFile = `${dir}/policybot.sqlite`;
    writeGarbage(feedbackFile);
    writeGarbage(quizDbPath(dir));
    const health = new StorageHealth();
    const { logger } = memoryLogger();
    const store = guardStore({ part: "feedback", file: feedbackFile, open: () => new SqliteFeedbackStore(feedbackFile), health, logger });
    const quizStore = guardStore({ part: "quiz", file: quizDbPath(dir), open: () => new SqliteQuizStore(quizDbPath(dir)), health, logger });
    const h = harness({}, { store, quiz: (k) => quizFeature(createQuizService({ store: quizStore, targets: k.engine.targets, units: k.kb.docs.flatMap((d) => d.units) })) });
    await h.say(ALICE, QUESTION);
    const [answer] = h.sent(ALICE.id);
    expect(visible(answer!)).toContain("78万亩");
    expect(answer!.reply_markup).toBeUndefined();
    // As polling (and the webhook server) do: an error goes to bot.catch.
    const handled = (p: Promise<unknown>) => p.catch((err) => h.bot.errorHandler(err));
    await handled(h.say(ALICE, "/quiz"));
    expect(h.sent(ALICE.id)[1]!.text).toMatch(/^测验功能暂时不可用：数据文件 quiz\.sqlite 不是有效的数据库文件。提问和查阅条文不受影响/);
    await handled(h.callback(ALICE, privateChat(ALICE), "fb:up:1"));
    const alert = h.calls.find((c) => c.method === "answerCallbackQuery");
    expect(alert?.payload.text).toMatch(/反馈投票和对话记录功能暂时不可用：数据文件 policybot\.sqlite/);
    expect(h.lines.some((l) => l.includes("error while handling an update"))).toBe(false);
    expect(health.status).toBe("degraded");
  });

  it("/task N and /task 五 show the unit; an unknown number is said plainly", async () => {
    const h = harness();
    await h.say(ALICE, "/task 5");
    await h.say(ALICE, "/task 五");
    await h.say(ALICE, "/task 第5项");
    await h.say(ALICE, "/task 999");
    const [a, b, c, d] = h.sent(ALICE.id);
    expect(visible(a!)).toContain("〔第5项〕增强粮食等重要农产品供给保障能力");
    expect(visible(a!)).toContain("新建和改造提升高标准农田78万亩");
    expect(b!.text).toBe(a!.text);
    expect(c!.text).toBe(a!.text);
    expect(d!.text).toBe("没有找到第999项。");
  });
});

describe("groups", () => {
  const mention = `@${BOT.username} ${QUESTION}`;

  it("stays quiet without a mention, answers an @mention with a reply, and ignores other bots' mentions", async () => {
    const h = harness();
    await h.say(ALICE, QUESTION, GROUP);
    await h.say(ALICE, `@other_bot ${QUESTION}`, GROUP);
    expect(h.sent()).toHaveLength(0);
    const u = await h.say(ALICE, mention, GROUP);
    const [p] = h.sent(GROUP.id);
    expect(p!.text).toContain("78万亩");
    expect(p!.reply_parameters).toMatchObject({ message_id: u.message!.message_id });
  });

  it("answers a reply to the bot's message, but not a reply to someone else", async () => {
    const h = harness();
    const botMessage = { message_id: 3, date: 1, chat: GROUP, from: BOT, text: "之前的回答", reply_to_message: undefined } as NonNullable<Message["reply_to_message"]>;
    const bobMessage = { message_id: 4, date: 1, chat: GROUP, from: BOB, text: "随便说说", reply_to_message: undefined } as NonNullable<Message["reply_to_message"]>;
    await h.say(ALICE, QUESTION, GROUP, { reply_to_message: bobMessage });
    expect(h.sent()).toHaveLength(0);
    const u = await h.say(ALICE, QUESTION, GROUP, { reply_to_message: botMessage });
    const [p] = h.sent(GROUP.id);
    expect(p!.text).toContain("〔第5项〕");
    expect(p!.reply_parameters).toMatchObject({ message_id: u.message!.message_id });
  });

  it("answers /ask (also /ask@botname) and explains an empty /ask or a bare mention", async () => {
    const h = harness();
    await h.say(ALICE, `/ask ${QUESTION}`, GROUP);
    await h.say(BOB, `/ask@${BOT.username} ${QUESTION}`, GROUP);
    await h.say(ALICE, "/ask", GROUP);
    await h.say(ALICE, `@${BOT.username}`, GROUP);
    const sent = h.sent(GROUP.id);
    expect(sent).toHaveLength(4);
    expect(sent[0]!.text).toContain("78万亩");
    expect(sent[0]!.reply_parameters).toBeDefined();
    expect(sent[1]!.text).toContain("78万亩");
    expect(sent[2]!.text).toMatch(/^用法：\/ask/);
    expect(sent[3]!.text).toMatch(/请在@我之后写上问题/);
  });

  it("ALLOWED_CHAT_IDS: other chats get a polite refusal (groups only for commands), allowed ones an answer", async () => {
    const h = harness({ ALLOWED_CHAT_IDS: `${ALICE.id},${GROUP.id}` });
    const other: Chat.GroupChat = { id: -3001, type: "group", title: "别的群" };
    await h.say(ALICE, QUESTION);
    await h.say(BOB, QUESTION);
    await h.say(BOB, `/ask ${QUESTION}`, other);
    await h.say(BOB, mention, other);
    await h.say(BOB, mention, GROUP);
    await h.callback(BOB, privateChat(BOB), "fb:up:1");
    await h.push({ inline_query: { id: "iq1", from: BOB, query: QUESTION, offset: "" } });
    const refusal = "抱歉，本助手仅对授权的对话开放。如需使用，请联系管理员。";
    expect(h.sent(ALICE.id)[0]!.text).toContain("78万亩");
    expect(h.sent(BOB.id).map((p) => p.text)).toEqual([refusal]);
    expect(h.sent(other.id).map((p) => p.text)).toEqual([refusal]);
    expect(h.sent(GROUP.id)[0]!.text).toContain("78万亩");
    expect(h.calls.find((c) => c.method === "answerCallbackQuery")!.payload.text).toBe("此对话未获授权使用本助手。");
    expect(h.calls.find((c) => c.method === "answerInlineQuery")!.payload.results).toEqual([]);
    expect(h.store.exportFeedback()).toEqual([]);
  });
});

describe("inline mode", () => {
  it("answers an inline query with one HTML article, and nothing for a too-short query", async () => {
    const h = harness();
    await h.push({ inline_query: { id: "iq1", from: ALICE, query: QUESTION, offset: "" } });
    await h.push({ inline_query: { id: "iq2", from: ALICE, query: "x", offset: "" } });
    const [full, short] = h.calls.filter((c) => c.method === "answerInlineQuery").map((c) => c.payload);
    expect(full!.results).toHaveLength(1);
    const article = full!.results[0];
    expect(article.type).toBe("article");
    expect(article.description).toContain("〔第5项〕");
    expect(article.input_message_content.parse_mode).toBe("HTML");
    const parsed = parseTelegramHtml(article.input_message_content.message_text);
    expect(parsed.ok && parsed.text).toContain("78万亩");
    expect(short!.results).toEqual([]);
  });
});

describe("long replies", () => {
  it("paginate splits a 10,000-character reply into messages ≤ 4096 that each parse as balanced HTML", () => {
    const r = longResult(10_000);
    const pages = paginate(answerBlocks(r));
    expect(pages.length).toBeGreaterThanOrEqual(3);
    let plain = "";
    for (const page of pages) {
      expect(page.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
      const parsed = parseTelegramHtml(page);
      expect(parsed.ok, JSON.stringify(parsed).slice(0, 200)).toBe(true);
      if (parsed.ok) plain += parsed.text;
    }
    // Nothing is lost: every character of the answer is in some page (splits only drop whitespace).
    expect(plain.replace(/\s/g, "")).toContain(r.answer.replace(/\s/g, ""));
    expect(pages.at(-1)).toMatch(/<blockquote expandable>〔第5项〕“新建和改造提升高标准农田78万亩”<\/blockquote>$/);
  });

  it("paginate keeps pages within the limit even when nearly every character needs escaping", () => {
    const pages = paginate([{ text: "<&>".repeat(4000) }, { text: "&".repeat(5000), tag: "blockquote expandable" }]);
    let plain = "";
    for (const page of pages) {
      expect(page.length).toBeLessThanOrEqual(MESSAGE_LIMIT);
      const parsed = parseTelegramHtml(page);
      expect(parsed.ok).toBe(true);
      if (parsed.ok) plain += parsed.text;
    }
    expect(plain.replace(/\s/g, "")).toBe("<&>".repeat(4000) + "&".repeat(5000));
  });

  it("the bot sends a long answer in several messages, the buttons under the last one", async () => {
    const h = harness({}, { engine: fixedEngine(longResult(10_000)) });
    await h.say(ALICE, QUESTION);
    const sent = h.sent(ALICE.id);
    expect(sent.length).toBeGreaterThanOrEqual(3);
    expect(sent.slice(0, -1).every((p) => p.reply_markup === undefined)).toBe(true);
    expect(buttons(sent.at(-1)!)).toEqual([expect.stringMatching(/^fb:up:/), expect.stringMatching(/^fb:down:/)]);
  });
});

describe("LLM mode", () => {
  it("shows typing, streams a draft, then edits the draft into the verified answer with buttons", async () => {
    const final = await engine.answer({ question: QUESTION });
    const streaming: AnswerEngine = {
      mode: "llm",
      targets: engine.targets,
      async answer(_req, o) {
        o?.onToken?.("今年新建和改造提升高标准农田");
        o?.onToken?.("78万亩，正在核对引用……");
        return { ...final, mode: "llm" };
      },
    };
    const h = harness({}, { engine: streaming });
    await h.say(ALICE, QUESTION);
    const methods = h.calls.map((c) => c.method);
    expect(methods).toEqual(["sendChatAction", "sendMessage", "editMessageText"]);
    expect(h.calls[0]!.payload.action).toBe("typing");
    // The draft is plain text (the model's raw text is not HTML) and ends with an ellipsis.
    expect(h.calls[1]!.payload.parse_mode).toBeUndefined();
    expect(h.calls[1]!.payload.text).toMatch(/^今年新建和改造提升高标准农田78万亩.*…$/);
    const edit = h.calls[2]!.payload;
    expect(edit.message_id).toBe(5001); // the draft's id, as the recorder numbered it
    expect(edit.parse_mode).toBe("HTML");
    expect(edit.text).toContain("〔第5项〕");
    expect(buttons(edit)[0]).toMatch(/^fb:up:/);
  });
});

describe("plainTextFallback", () => {
  it("re-sends a message Telegram cannot parse without parse_mode, as plain text", async () => {
    const seen: Array<Record<string, unknown>> = [];
    const prev = (async (_method: string, payload: Record<string, unknown>) => {
      seen.push(payload);
      return seen.length === 1
        ? { ok: false, error_code: 400, description: "Bad Request: can't parse entities: Unsupported start tag \"x\" at byte offset 0" }
        : { ok: true, result: { message_id: 1 } };
    }) as any;
    const res = await plainTextFallback(prev, "sendMessage", { chat_id: 1, text: "<b>78万亩</b> A &amp; B &lt;C&gt;", parse_mode: "HTML" } as any);
    expect(res.ok).toBe(true);
    expect(seen[1]).toEqual({ chat_id: 1, text: "78万亩 A & B <C>" });
    // Other errors pass through untouched.
    seen.length = 0;
    const other = await plainTextFallback((async () => ({ ok: false, error_code: 403, description: "Forbidden: bot was blocked by the user" })) as any, "sendMessage", { chat_id: 1, text: "x", parse_mode: "HTML" } as any);
    expect(other.ok).toBe(false);
  });
});

describe("language: Chinese first, English for English questions and English apps", () => {
  const EVE = user(1009, { language_code: "en" });
  const quiz = (k: Knowledge) => quizFeature(createQuizService({ store: new MemoryQuizStore(), targets: k.engine.targets, units: k.kb.docs.flatMap((d) => d.units) }));
  const texts = (h: ReturnType<typeof harness>, chatId?: number) => h.sent(chatId).map((p) => visible(p));

  it("answers commands in the app's language: Chinese by default, English for language_code en", async () => {
    const h = harness({}, { quiz });
    for (const u of [ALICE, EVE]) for (const cmd of ["/help", "/stats", "/nosuchcommand", "/ask", "/search", "/leaderboard"]) await h.say(u, cmd);
    const [zh, en] = [texts(h, ALICE.id), texts(h, EVE.id)];
    expect(zh[0]).toContain("政策问答助手 policybot");
    expect(zh.slice(1)).toEqual(["这个命令仅限管理员使用。", "未知命令。发送 /help 查看可用命令。", "用法：/ask 你的问题，例如 /ask 今年高标准农田要建多少？", "用法：/search 关键词，例如 /search 养老", "你的成绩：答对 0 / 0 题。"]);
    expect(en[0]).toContain("policybot, the policy plan assistant");
    expect(en[0]).toContain("Officials");
    expect(en.slice(1)).toEqual(["This command is for administrators only.", "Unknown command. Send /help for the commands.", "Usage: /ask your question, e.g. /ask how much high-standard farmland this year?", "Usage: /search keywords, e.g. /search 养老", "Your score: 0 of 0 right."]);
  });

  it("follows the words over the app: a Chinese question from an English app gets Chinese, an English question gets English", async () => {
    const h = harness();
    await h.say(EVE, QUESTION);
    const zh = h.sent(EVE.id).at(-1)!;
    expect(visible(zh)).toContain("原文引用：");
    expect(buttons(zh).length).toBeGreaterThan(0);
    expect(zh.reply_markup.inline_keyboard.flat().map((b: { text: string }) => b.text)).toEqual(["👍 有用", "👎 不准确"]);
    await h.say(ALICE, "How much high-standard farmland will be built this year?");
    const en = visible(h.sent(ALICE.id).at(-1)!);
    expect(en).not.toMatch(/原文引用：|相关条目：/);
    const enMarkup = h.sent(ALICE.id).at(-1)!.reply_markup.inline_keyboard.flat().map((b: { text: string }) => b.text);
    expect(enMarkup).toEqual(["👍 Helpful", "👎 Inaccurate"]);
  });

  it("runs a personal quiz and a group round in English for an English app", async () => {
    const h = harness({}, { quiz });
    await h.say(EVE, "/quiz");
    const question = h.sent(EVE.id).at(-1)!;
    expect(visible(question)).toMatch(/^Quiz\n/);
    const first = buttons(question)[0];
    if (first) {
      await h.callback(EVE, privateChat(EVE), first);
      expect(visible(h.sent(EVE.id).at(-1)!)).toMatch(/^(✅ Right|❌ Wrong): the answer is .+〔.+〕[\s\S]*Send \/quiz to go on\.$/);
    } else {
      await h.say(EVE, "12"); // no words to go by: the app's language
      expect(visible(h.sent(EVE.id).at(-1)!)).toMatch(/^(✅ Right|❌ Wrong): the answer is /);
    }
    await h.say(EVE, "/quiz 1", GROUP);
    const [intro, q1] = texts(h, GROUP.id);
    expect(intro).toMatch(/^@user1009 started a round of 1 questions, 30 s each/);
    expect(q1).toMatch(/^Question 1\/1\n/);
    await h.say(EVE, "/next", GROUP);
    const [reveal, board] = texts(h, GROUP.id).slice(2);
    expect(reveal).toMatch(/^Answer: .+〔.+〕/);
    expect(board).toBe("Round over · leaderboard\nNobody has answered yet.");
  });

  it("every Telegram message exists in both languages, and the English ones say nothing in Chinese beyond the plan's own examples", async () => {
    const { messages } = await import("../../../src/answer/messages.js");
    const zh = messages("zh").telegram as Record<string, unknown>;
    const en = messages("en").telegram as Record<string, unknown>;
    expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort());
    // What an English user types or sees quoted from the plan: commands' arguments, labels, figures.
    const allowed = /第5项|三|一|养老|教育|（六）|78万亩|〔|〕/g;
    const render = (v: unknown): string => (typeof v === "function" ? String(v(...Array.from({ length: v.length }, (_x, i) => (i % 2 ? 2 : "X")))) : typeof v === "string" ? v : JSON.stringify(v));
    for (const [key, value] of Object.entries(en)) expect(render(value).replace(allowed, ""), key).not.toMatch(/[\u3400-\u9fff]/);
  });

  it("leaves no user-facing Chinese literal in the Telegram channel's source: every sentence comes from the catalogue", async () => {
    const { readdirSync, readFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const root = join(import.meta.dirname, "../../../src/channels/telegram");
    const files = readdirSync(root, { recursive: true }).map(String).filter((f) => f.endsWith(".ts"));
    expect(files.length).toBeGreaterThan(8);
    const offenders: string[] = [];
    for (const f of files) {
      readFileSync(join(root, f), "utf8").split("\n").forEach((line, i) => {
        // Comments and regular expressions (what users type, such as 全部 in /use 全部) are not replies.
        const code = line.replace(/^\s*(\/\/|\*|\/\*\*).*$/, "").replace(/\/\/ .*$/, "").replace(/\/(?:\\.|\[[^\]]*\]|[^/\n\\])+\/[gimsuy]*/g, "");
        if (/["'`][^"'`]*[\u3400-\u9fff]/.test(code)) offenders.push(`${f}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(offenders).toEqual([]);
  });
});

describe("quiz deadlines (SQLite, one instance)", () => {
  it("a round question overdue after a restart is closed by the sweep, once, without waiting for activity", async () => {
    const { SqliteDeadlineStore } = await import("../../../src/quiz/deadlines.js");
    const { openQuizDatabase } = await import("../../../src/quiz/store.js");
    const dir = tempDir();
    const store = new SqliteQuizStore(quizDbPath(dir));
    const deadlines = new SqliteDeadlineStore(openQuizDatabase(quizDbPath(dir)));
    let feature: TelegramQuiz | undefined;
    const make = (roundSeconds: number) => (k: Knowledge) => (feature = quizFeature(createQuizService({ store, targets: k.engine.targets, units: k.kb.docs.flatMap((d) => d.units) }), { roundSeconds, deadlines, sweepMs: 30 }));
    const before = harness({}, { quiz: make(0.4) });
    await before.say(ALICE, "/quiz 2", GROUP);
    expect(before.sent(GROUP.id).map((p) => visible(p))[1]).toMatch(/^第1\/2题/);
    feature!.dispose(); // the process dies before the deadline: its timer is gone, the row is not
    await new Promise((r) => setTimeout(r, 500));
    expect(await deadlines.get(`tg:round:${GROUP.id}`)).toMatchObject({ kind: "tg-round", data: { index: 0 } });

    const after = harness({}, { quiz: make(60) });
    feature!.start!(after.bot.api, after.deps.logger);
    const deadline = Date.now() + 3000;
    while (after.sent(GROUP.id).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 200));
    const sent = after.sent(GROUP.id).map((p) => visible(p));
    expect(sent).toHaveLength(2);
    expect(sent[0]).toMatch(/^本题答案：/);
    expect(sent[1]).toMatch(/^第2\/2题/);
    // The next question's deadline is 60 s away: the chat speaking now re-asks nothing.
    await after.say(BOB, "大家好", GROUP);
    expect(after.sent(GROUP.id)).toHaveLength(2);
    expect((await deadlines.get(`tg:round:${GROUP.id}`))!.data.index).toBe(1);
    feature!.dispose();
    deadlines.close();
    store.close();
  });
  it("a closer that died half-way: the next claimer posts what is missing (the next question, then the leaderboard), not the reveal again", async () => {
    const { MemoryDeadlineStore } = await import("../../../src/quiz/deadlines.js");
    const deadlines = new MemoryDeadlineStore();
    const qs = { store: new MemoryQuizStore() } as { store: MemoryQuizStore; service?: ReturnType<typeof createQuizService> };
    let feature: TelegramQuiz | undefined;
    const h = harness({}, { quiz: (k) => (feature = quizFeature((qs.service = createQuizService({ store: qs.store, targets: k.engine.targets, units: k.kb.docs.flatMap((d) => d.units) })), { roundSeconds: 60, deadlines, sweepMs: 10, leaseMs: 50 })) });
    await h.say(ALICE, "/quiz 2", GROUP);
    const key = `tg:round:${GROUP.id}`;
    const round = (await qs.service!.activeRound(String(GROUP.id)))!;
    // Another instance claimed question 1 at its deadline, revealed it, moved the round on, and died.
    const dead = deadlines.claim(key, Date.now(), 50)!;
    expect(await qs.service!.advanceRound(round.id, 0)).toMatchObject({ index: 1 });
    deadlines.put({ ...dead, dueAt: Date.now() - 1 }, dead.token); // its due time, as when it claimed
    deadlines.claim(key, Date.now(), 50);
    feature!.start!(h.bot.api, h.deps.logger);
    const sentAfter = h.sent(GROUP.id).length;
    const waitSent = async (n: number) => {
      const end = Date.now() + 3000;
      while (h.sent(GROUP.id).length < n && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    };
    await waitSent(sentAfter + 1);
    await new Promise((r) => setTimeout(r, 150));
    expect(h.sent(GROUP.id).slice(sentAfter).map((p) => visible(p).split("\n")[0])).toEqual(["第2/2题"]);
    expect(deadlines.get(key)).toMatchObject({ data: { index: 1 } });
    // Question 2 closed and the round finished by a claimer that died before the leaderboard.
    const again = deadlines.claim(key, Date.now(), 50)!;
    expect(await qs.service!.advanceRound(round.id, 1)).toBeUndefined();
    deadlines.put({ ...again, dueAt: Date.now() - 1 }, again.token);
    deadlines.claim(key, Date.now(), 50);
    await waitSent(sentAfter + 2);
    await new Promise((r) => setTimeout(r, 150));
    expect(h.sent(GROUP.id).slice(sentAfter).map((p) => visible(p).split("\n")[0])).toEqual(["第2/2题", "本轮测验结束 · 排行榜"]);
    expect(deadlines.get(key)).toBeUndefined();
    feature!.dispose();
  });

  it("with a broken quiz file the sweep logs nothing every second", async () => {
    const { SqliteDeadlineStore } = await import("../../../src/quiz/deadlines.js");
    const { openQuizDatabase } = await import("../../../src/quiz/store.js");
    const dir = tempDir();
    writeGarbage(quizDbPath(dir));
    const health = new StorageHealth();
    const { logger, lines } = memoryLogger();
    const file = quizDbPath(dir);
    const quizStore = guardStore({ part: "quiz", file, open: () => new SqliteQuizStore(file), health, logger });
    const deadlines = guardStore({ part: "quiz", file, open: () => new SqliteDeadlineStore(openQuizDatabase(file)), health, logger });
    let feature: TelegramQuiz | undefined;
    const h = harness({}, { quiz: (k) => (feature = quizFeature(createQuizService({ store: quizStore, targets: k.engine.targets, units: k.kb.docs.flatMap((d) => d.units) }), { deadlines, sweepMs: 10 })) });
    feature!.start!(h.bot.api, logger);
    await new Promise((r) => setTimeout(r, 300));
    const errors = () => lines.filter((l) => /"level":50/.test(l));
    // The guards' own reports at open (one per store), nothing per sweep.
    expect(errors().length).toBeLessThanOrEqual(2);
    expect(errors().join("")).not.toMatch(/could not close a due round/);
    expect(health.status).toBe("degraded");
    feature!.dispose();
  });
});
