/** /plans, /use and the plan picker, over three fixture plans; Bot API calls are recorded, never sent. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Transformer } from "grammy";
import type { Chat, Message, Update, User } from "grammy/types";
import { beforeAll, describe, expect, it } from "vitest";
import { createAnswerEngine } from "../../../src/answer/engine.js";
import { createBot } from "../../../src/channels/telegram/bot.js";
import type { Knowledge } from "../../../src/channels/telegram/context.js";
import { SqliteFeedbackStore } from "../../../src/feedback/store.js";
import { openKnowledgeBase, type KnowledgeBase } from "../../../src/knowledge.js";
import { parseTelegramHtml, testBotInfo } from "../../support/fake-telegram.js";
import { FIXTURES } from "../../helpers.js";
import { memoryLogger, testConfig } from "../../support/kb.js";

let kb: KnowledgeBase;
let knowledge: Knowledge;
beforeAll(async () => {
  kb = await openKnowledgeBase({ config: testConfig({ SEEDS_DIR: join(FIXTURES, "multiplan") }), logger: memoryLogger().logger, persist: false });
  knowledge = { kb, engine: createAnswerEngine({ kb, config: testConfig(), logger: memoryLogger().logger }), reload: async () => {}, onReload: () => {} };
});

const user = (id: number): User => ({ id, is_bot: false, first_name: `U${id}` });
const chatOf = (u: User): Chat.PrivateChat => ({ id: u.id, type: "private", first_name: u.first_name });

function harness(store: SqliteFeedbackStore, firstUpdate = 0) {
  const config = testConfig({ TELEGRAM_API_ROOT: "http://127.0.0.1:9", USER_RATE_LIMIT: "1000" });
  const bot = createBot("123456789:AAPlansTestTokenNeverSent_xyz", { config, logger: memoryLogger().logger, knowledge, store }, { botInfo: testBotInfo(), throttle: false });
  const sent: Array<Record<string, any>> = [];
  let id = 7000;
  const record: Transformer = async (_prev, method, payload) => {
    const p = (payload ?? {}) as Record<string, any>;
    if (method === "sendMessage") {
      sent.push(p);
      return { ok: true, result: { message_id: ++id, date: 0, chat: { id: Number(p.chat_id), type: "private", first_name: "x" }, text: String(p.text) } } as any;
    }
    return { ok: true, result: true } as any;
  };
  bot.api.config.use(record);
  // Update ids carry on after a restart: the store skips ids it already handled.
  let updateId = firstUpdate;
  const push = (u: Omit<Update, "update_id">) => bot.handleUpdate({ update_id: ++updateId, ...u } as Update);
  const text = (p: Record<string, any>) => (p.parse_mode === "HTML" ? (parseTelegramHtml(String(p.text)) as { text: string }).text : String(p.text));
  return {
    sent,
    text,
    say: (from: User, t: string) => {
      const entities = t.startsWith("/") ? [{ type: "bot_command" as const, offset: 0, length: t.split(" ")[0]!.length }] : undefined;
      return push({ message: { message_id: ++id, date: 0, chat: chatOf(from), from, text: t, ...(entities ? { entities } : {}) } as Message & Update.NonChannel });
    },
    tap: (from: User, data: string) => push({ callback_query: { id: String(++id), from, chat_instance: "ci", data, message: { message_id: 1, date: 0, chat: chatOf(from), text: "…" } as Message } }),
    last: () => sent.at(-1)!,
  };
}

describe("Telegram with several plans", () => {
  it("/plans lists the plans with a button for each", async () => {
    const h = harness(new SqliteFeedbackStore(":memory:"));
    await h.say(user(1), "/plans");
    const msg = h.last();
    for (const p of kb.catalog.plans) expect(h.text(msg)).toContain(p.shortName);
    const data = (msg.reply_markup.inline_keyboard as Array<Array<{ callback_data: string }>>).flat().map((b) => b.callback_data);
    expect(data).toEqual([...kb.catalog.plans.map((_, i) => `use:${i}`), "use:all"]);
  });

  it("/use keeps each chat to its own plan, remembered in the store across restarts", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "policybot-tg-plans-")), "policybot.sqlite");
    const store = new SqliteFeedbackStore(path);
    const h = harness(store);
    const alice = user(11);
    const bob = user(12);
    await h.say(alice, "/use 养老");
    expect(h.text(h.last())).toContain("已切换到《社区养老服务提升行动方案》");
    await h.say(bob, "/use qingshui-river");
    await h.say(alice, "第五部分讲什么");
    expect(h.text(h.last())).toContain("创新服务模式");
    expect(h.text(h.last())).not.toContain("长效管护");
    await h.say(bob, "第五部分讲什么");
    expect(h.text(h.last())).toContain("长效管护");
    store.close();

    const again = new SqliteFeedbackStore(path);
    expect(again.chatPlan(String(alice.id))).toBe("shequ-yanglao");
    expect(again.chatPlan(String(bob.id))).toBe("qingshui-river");
    const h2 = harness(again, 1000);
    await h2.say(alice, "/use 全部");
    expect(again.chatPlan(String(alice.id))).toBeUndefined();
    await h2.say(alice, "/use 没有这个方案");
    expect(h2.text(h2.last())).toMatch(/没有找到方案“没有这个方案”[\s\S]*qingshui-river/);
    again.close();
  });

  it("offers a picker under an answer given for several plans, and a pick answers again from that plan", async () => {
    const store = new SqliteFeedbackStore(":memory:");
    const h = harness(store);
    const carol = user(21);
    await h.say(carol, "（十二）里有哪些要求");
    const answer = h.last();
    const data = (answer.reply_markup.inline_keyboard as Array<Array<{ callback_data: string }>>).flat().map((b) => b.callback_data);
    const picks = data.filter((d) => d.startsWith("pick:"));
    expect(picks).toHaveLength(3);
    const river = kb.catalog.plans.findIndex((p) => p.id === "qingshui-river");
    await h.tap(carol, `pick:${river}`);
    expect(store.chatPlan(String(carol.id))).toBe("qingshui-river");
    const reply = h.text(h.last());
    expect(reply).toContain("生态补偿");
    expect(reply).not.toContain("家庭养老床位");
  });
});
