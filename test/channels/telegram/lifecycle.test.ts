/**
 * The bot's lifecycle against the fake Bot API: a restart on the same store (no update answered
 * twice, none lost), and webhook mode (secret token, health check).
 */
import { createServer, type AddressInfo } from "node:net";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { AnswerEngine } from "../../../src/answer/engine.js";
import type { Knowledge } from "../../../src/channels/telegram/context.js";
import { startTelegram, type RunningBot } from "../../../src/channels/telegram/run.js";
import { SqliteFeedbackStore } from "../../../src/feedback/store.js";
import { startFakeTelegram, type FakeTelegram, type UserMessageOptions } from "../../support/fake-telegram.js";
import { memoryLogger, sharedKb, testConfig, testEngine } from "../../support/kb.js";

const QUESTION = "今年高标准农田要建多少？";
const FAILING_QUESTION = "触发内部错误";

let knowledge: Knowledge;
beforeAll(async () => {
  const base = await testEngine();
  const engine: AnswerEngine = {
    mode: base.mode,
    targets: base.targets,
    answer: async (req, o) => {
      if (req.question.trim() === FAILING_QUESTION) throw new Error("internal failure");
      return base.answer(req, o);
    },
  };
  knowledge = { kb: await sharedKb(), engine, reload: async () => {}, onReload: () => {} };
});

// Torn down in order: bots first, then the fake, then the stores.
const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

const dm = (userId: number, text: string): UserMessageOptions => ({ chatId: userId, userId, text });

/** Resolves when `probe` holds, polling every 20 ms; rejects after `timeoutMs`. */
async function until(probe: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("a restart on the same store", () => {
  it("answers no update twice and answers an update that arrived while the bot was down, once", async () => {
    const fake = await startFakeTelegram();
    cleanup.push(() => fake.close());
    const { logger, lines } = memoryLogger();
    const config = testConfig({ TELEGRAM_API_ROOT: fake.apiRoot });
    const dbPath = join(config.DATA_DIR, "policybot.sqlite");
    const opts = { apiRoot: fake.apiRoot, throttle: false };

    const firstStore = new SqliteFeedbackStore(dbPath);
    cleanup.push(() => firstStore.close());
    const first: RunningBot = await startTelegram(fake.token, { config, logger, knowledge, store: firstStore }, opts);
    cleanup.push(() => first.stop());
    const u1 = fake.pushUpdate(fake.userMessage(dm(7001, "/start")));
    const u2 = fake.pushUpdate(fake.userMessage(dm(7002, QUESTION)));
    await fake.waitForSent(1, 7001);
    await fake.waitForSent(1, 7002);
    await first.stop();
    firstStore.close();

    // While the bot is down a user writes.
    const u3 = fake.pushUpdate(fake.userMessage(dm(7003, QUESTION)));

    // Telegram redelivers updates whose confirmation did not reach it before the old process stopped:
    // the new process's first poll gets u1 and u2 again, with u3.
    let firstOffset: unknown;
    fake.handle("getUpdates", (params) => {
      fake.handle("getUpdates", undefined);
      firstOffset = params.offset;
      return { ok: true, result: [u1, u2, ...fake.pendingUpdates.filter((u) => u.update_id > u2.update_id)] };
    });
    const secondStore = new SqliteFeedbackStore(dbPath);
    cleanup.push(() => secondStore.close());
    const second = await startTelegram(fake.token, { config, logger, knowledge, store: secondStore }, opts);
    cleanup.push(() => second.stop());

    const [late] = await fake.waitForSent(1, 7003);
    expect(late!.plainText).toContain("78万亩");
    await until(() => lines.filter((l) => l.includes("already handled before a restart")).length === 2, "both redelivered updates to be skipped");
    // The new process confirmed everything: its next poll asks for what comes after u3.
    await fake.waitFor((c) => c.method === "getUpdates" && Number(c.params.offset) === u3.update_id + 1);
    expect(fake.pendingUpdates).toEqual([]);
    await second.stop();

    expect(firstOffset ?? 0).toBe(0); // a new process starts without knowing what was confirmed
    expect(lines.some((l) => l.includes("error while handling an update"))).toBe(false);
    expect(lines.join("")).not.toContain(fake.token);
    expect(fake.sent(7001)).toHaveLength(1);
    expect(fake.sent(7002)).toHaveLength(1);
    expect(fake.sent(7003)).toHaveLength(1);
    expect([u1, u2, u3].every((u) => secondStore.wasHandled(second.bot.botInfo.id, u.update_id))).toBe(true);
  });
});

describe("webhook mode", () => {
  const SECRET = "wh-secret_0123456789";

  async function startWebhook() {
    const fake = await startFakeTelegram();
    cleanup.push(() => fake.close());
    // Telegram (and the fake) accept only an https URL; a local http server stands for the app behind its TLS proxy.
    fake.handle("setWebhook", () => ({ ok: true, result: true }));
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/tg`;
    const { logger, lines } = memoryLogger();
    const config = testConfig({ TELEGRAM_API_ROOT: fake.apiRoot, WEBHOOK_URL: url, WEBHOOK_SECRET: SECRET, WEBHOOK_PORT: String(port), HOST: "127.0.0.1" });
    const store = new SqliteFeedbackStore(join(config.DATA_DIR, "policybot.sqlite"));
    cleanup.push(() => store.close());
    const running = await startTelegram(fake.token, { config, logger, knowledge, store }, { apiRoot: fake.apiRoot, throttle: false });
    cleanup.push(() => running.stop());
    let updateId = 900_000;
    const post = (text: string, chatId: number, secret: string | null = SECRET, update_id = ++updateId) =>
      fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", ...(secret === null ? {} : { "X-Telegram-Bot-Api-Secret-Token": secret }) },
        body: JSON.stringify({ update_id, ...fake.userMessage(dm(chatId, text)) }),
      });
    return { fake, running, url, port, post, lines };
  }

  it("registers the webhook with the secret, answers a posted update, refuses a wrong secret, and reports health", async () => {
    const { fake, running, url, port, post, lines } = await startWebhook();
    expect(running.mode).toBe("webhook");
    const setWebhook = fake.calls.find((c) => c.method === "setWebhook")!;
    expect(setWebhook.params).toMatchObject({ url, secret_token: SECRET, allowed_updates: ["message", "callback_query", "inline_query"] });
    expect(fake.calls.some((c) => c.method === "getUpdates" || c.method === "deleteWebhook")).toBe(false);

    const ok = await post(QUESTION, 8001);
    expect(ok.status).toBe(200);
    // The update is handled before the webhook request is answered.
    expect(fake.sent(8001)).toHaveLength(1);
    expect(fake.sent(8001)[0]!.plainText).toContain("〔第5项〕");

    for (const secret of ["wrong-secret", null]) {
      const refused = await post(QUESTION, 8002, secret);
      expect(refused.status).toBe(401);
    }
    expect(fake.sent(8002)).toEqual([]);

    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true, mode: "webhook", bot: fake.botInfo.username, status: "ok" });
    expect((await fetch(`http://127.0.0.1:${port}/elsewhere`)).status).toBe(404);
    expect(lines.join("")).not.toContain(fake.token);
  });

  it("apologises for an update that throws (answering 200, so Telegram does not redeliver it), and answers a redelivery once", async () => {
    const { fake, post } = await startWebhook();
    const failed = await post(FAILING_QUESTION, 8003);
    expect(failed.status).toBe(200);
    expect(fake.sent(8003).map((m) => m.text)).toEqual(["抱歉，处理这条消息时出错了，请稍后再试。"]);

    const first = await post(QUESTION, 8004, SECRET, 950_000);
    const again = await post(QUESTION, 8004, SECRET, 950_000);
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(fake.sent(8004)).toHaveLength(1);
  });
});
