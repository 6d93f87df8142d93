import { autoRetry } from "@grammyjs/auto-retry";
import { Bot } from "grammy";
import { afterEach, describe, expect, it } from "vitest";
import { type ApiResponse, type FakeTelegram, parseTelegramHtml, startFakeTelegram } from "./fake-telegram.js";

let fake: FakeTelegram | undefined;

async function start(): Promise<FakeTelegram> {
  fake = await startFakeTelegram();
  return fake;
}

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** Calls the fake the way grammY does: POST with a JSON body. */
async function call(
  f: FakeTelegram,
  method: string,
  params: Record<string, unknown> = {},
  init: { token?: string; signal?: AbortSignal } = {},
): Promise<{ status: number; body: ApiResponse<any> }> {
  const res = await fetch(`${f.apiRoot}/bot${init.token ?? f.token}/${method}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(params),
    signal: init.signal,
  });
  return { status: res.status, body: (await res.json()) as ApiResponse<any> };
}

describe("fake Telegram server (plain fetch)", () => {
  it("listens on 127.0.0.1 and answers getMe", async () => {
    const f = await start();
    expect(f.apiRoot).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const { status, body } = await call(f, "getMe");
    expect(status).toBe(200);
    expect(body).toEqual({
      ok: true,
      result: expect.objectContaining({
        is_bot: true,
        first_name: "PolicyBot",
        username: "policy_test_bot",
        can_join_groups: true,
        can_read_all_group_messages: false,
        supports_inline_queries: true,
      }),
    });
    expect(f.calls.map((c) => c.method)).toEqual(["getMe"]);
  });

  it("rejects a wrong token with 401 and an unknown method with 404", async () => {
    const f = await start();
    expect(await call(f, "getMe", {}, { token: "1:wrong" })).toEqual({
      status: 401,
      body: { ok: false, error_code: 401, description: "Unauthorized" },
    });
    expect(await call(f, "sendTelepathy")).toEqual({
      status: 404,
      body: { ok: false, error_code: 404, description: "Not Found: method not found" },
    });
  });

  it("answers 400 to a non-JSON body", async () => {
    const f = await start();
    const form = new FormData();
    form.set("chat_id", "1");
    const res = await fetch(`${f.apiRoot}/bot${f.token}/sendDocument`, { method: "POST", body: form });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ ok: false, error_code: 400 });
  });

  it("holds a long poll until an update arrives, and confirmed updates are dropped", async () => {
    const f = await start();
    const started = Date.now();
    const poll = call(f, "getUpdates", { offset: 0, timeout: 10 });
    await f.waitFor((c) => c.method === "getUpdates"); // the poll is being held
    const pushed = f.pushUpdate(f.userMessage({ chatId: 7, userId: 7, text: "hello" }));

    const { body } = await poll;
    expect(Date.now() - started).toBeLessThan(2000);
    expect(body.ok && body.result).toEqual([pushed]);
    expect(pushed.message?.from?.id).toBe(7);

    // Without confirmation the update is delivered again ...
    const again = await call(f, "getUpdates", { timeout: 0 });
    expect(again.body.ok && again.body.result).toEqual([pushed]);
    // ... confirming it by offset drops it for good (a restarted bot must not see it twice).
    const confirmed = await call(f, "getUpdates", { offset: pushed.update_id + 1, timeout: 0 });
    expect(confirmed.body).toEqual({ ok: true, result: [] });
    const afterRestart = await call(f, "getUpdates", { offset: 0, timeout: 0 });
    expect(afterRestart.body).toEqual({ ok: true, result: [] });
    expect(f.pendingUpdates).toEqual([]);
  });

  it("answers an empty long poll when the timeout passes", async () => {
    const f = await start();
    const started = Date.now();
    const { body } = await call(f, "getUpdates", { timeout: 1 });
    expect(body).toEqual({ ok: true, result: [] });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it("keeps updates queued when the client aborts a long poll", async () => {
    const f = await start();
    const controller = new AbortController();
    const aborted = call(f, "getUpdates", { timeout: 30 }, { signal: controller.signal });
    await f.waitFor((c) => c.method === "getUpdates");
    controller.abort();
    await expect(aborted).rejects.toThrow();
    await f.waitFor((c) => c.method === "getUpdates" && c.status === 0);

    const pushed = f.pushUpdate(f.userMessage({ chatId: 7, userId: 7, text: "still here" }));
    const { body } = await call(f, "getUpdates", { timeout: 0 });
    expect(body.ok && body.result).toEqual([pushed]);
  });

  it("computes command and mention entities for user messages", async () => {
    const f = await start();
    const update = f.userMessage({
      chatId: -1001234,
      userId: 5,
      text: "/ask@policy_test_bot what about @someone? mail a@b.cd, path a/b",
    });
    expect(update.message.chat).toMatchObject({ id: -1001234, type: "supergroup" });
    expect(update.message.entities).toEqual([
      { type: "bot_command", offset: 0, length: 20 },
      { type: "mention", offset: 32, length: 8 },
    ]);
  });

  describe("HTML validation", () => {
    it("accepts Telegram HTML and returns plain text with entities", async () => {
      const f = await start();
      const { status, body } = await call(f, "sendMessage", {
        chat_id: 42,
        text: "<b>x</b><blockquote expandable>q</blockquote>",
        parse_mode: "HTML",
      });
      expect(status).toBe(200);
      expect(body.ok && body.result).toMatchObject({
        chat: { id: 42, type: "private" },
        text: "xq",
        entities: [
          { type: "bold", offset: 0, length: 1 },
          { type: "expandable_blockquote", offset: 1, length: 1 },
        ],
      });
      expect(f.sent(42)).toMatchObject([{ method: "sendMessage", text: "<b>x</b><blockquote expandable>q</blockquote>", plainText: "xq" }]);
    });

    it("rejects an unclosed tag", async () => {
      const f = await start();
      const { status, body } = await call(f, "sendMessage", { chat_id: 42, text: "<b>x", parse_mode: "HTML" });
      expect(status).toBe(400);
      expect(body).toEqual({
        ok: false,
        error_code: 400,
        description: "Bad Request: can't parse entities: Can't find end tag corresponding to start tag b",
      });
      expect(f.sent()).toEqual([]);
    });

    it("rejects a bare < and &", async () => {
      const f = await start();
      const { status, body } = await call(f, "editMessageText", {
        chat_id: 42,
        message_id: 1,
        text: "a < b & c",
        parse_mode: "HTML",
      });
      expect(status).toBe(400);
      expect(!body.ok && body.description).toMatch(/^Bad Request: can't parse entities: /);
      expect(parseTelegramHtml("a &lt; b &amp; c")).toEqual({ ok: true, text: "a < b & c", entities: [] });
      expect(parseTelegramHtml("a &lt; b & c")).toMatchObject({ ok: false, error: expect.stringContaining('"&"') });
    });

    it("mirrors Telegram's parser on nesting, attributes and pre/code", () => {
      expect(parseTelegramHtml("<b><i>x</b></i>")).toEqual({
        ok: false,
        error: 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"',
      });
      expect(parseTelegramHtml("<p>x</p>")).toEqual({ ok: false, error: 'Unsupported start tag "p" at byte offset 0' });
      expect(parseTelegramHtml('<span class="x">y</span>')).toMatchObject({ ok: false });
      expect(parseTelegramHtml('<pre><code class="language-ts">let a;</code></pre><a href="https://e.x/?a=1&amp;b=2">l</a>')).toEqual({
        ok: true,
        text: "let a;l",
        entities: [
          { type: "pre", offset: 0, length: 6, language: "ts" },
          { type: "text_link", offset: 6, length: 1, url: "https://e.x/?a=1&b=2" },
        ],
      });
      // Byte offsets count UTF-8 bytes, as Telegram's do.
      expect(parseTelegramHtml("浙江 <x>")).toEqual({ ok: false, error: 'Unsupported start tag "x" at byte offset 7' });
    });

    it("rejects text over 4096 characters after entity parsing", async () => {
      const f = await start();
      const ok = await call(f, "sendMessage", { chat_id: 1, text: `<b>${"a".repeat(4096)}</b>`, parse_mode: "HTML" });
      expect(ok.status).toBe(200);
      const tooLong = await call(f, "sendMessage", { chat_id: 1, text: "a".repeat(4097) });
      expect(tooLong.body).toEqual({ ok: false, error_code: 400, description: "Bad Request: message is too long" });
    });
  });

  it("failNext(429) answers with retry_after, then behaves normally", async () => {
    const f = await start();
    f.failNext("sendMessage", { status: 429, retryAfter: 3 });
    const limited = await call(f, "sendMessage", { chat_id: 1, text: "x" });
    expect(limited).toEqual({
      status: 429,
      body: {
        ok: false,
        error_code: 429,
        description: "Too Many Requests: retry after 3",
        parameters: { retry_after: 3 },
      },
    });
    expect(f.calls[0]).toMatchObject({ method: "sendMessage", status: 429, injected: true });
    expect((await call(f, "sendMessage", { chat_id: 1, text: "x" })).status).toBe(200);
  });

  it("tracks bot messages for edits, replies and callback queries", async () => {
    const f = await start();
    const sent = await call(f, "sendMessage", {
      chat_id: 9,
      text: "pick",
      reply_markup: { inline_keyboard: [[{ text: "A", callback_data: "a" }]] },
    });
    const messageId = (sent.body.ok && sent.body.result.message_id) as number;

    const press = f.pushUpdate(f.callbackQuery({ chatId: 9, userId: 9, messageId, data: "a" }));
    expect(press.callback_query?.message).toMatchObject({ message_id: messageId, text: "pick" });
    expect((await call(f, "answerCallbackQuery", { callback_query_id: press.callback_query?.id })).status).toBe(200);
    expect((await call(f, "answerCallbackQuery", { callback_query_id: press.callback_query?.id })).status).toBe(400);

    const same = await call(f, "editMessageText", {
      chat_id: 9,
      message_id: messageId,
      text: "pick",
      reply_markup: { inline_keyboard: [[{ text: "A", callback_data: "a" }]] },
    });
    expect(!same.body.ok && same.body.description).toMatch(/^Bad Request: message is not modified/);
    expect((await call(f, "editMessageText", { chat_id: 9, message_id: messageId, text: "picked" })).status).toBe(200);
    expect(f.sent(9).map((m) => [m.method, m.plainText])).toEqual([
      ["sendMessage", "pick"],
      ["editMessageText", "picked"],
    ]);

    const reply = f.userMessage({ chatId: 9, userId: 9, text: "thanks", replyToBotMessage: true });
    expect(reply.message.reply_to_message).toMatchObject({ message_id: messageId, text: "picked" });
    const badButton = await call(f, "sendMessage", {
      chat_id: 9,
      text: "x",
      reply_markup: { inline_keyboard: [[{ text: "B", callback_data: "x".repeat(65) }]] },
    });
    expect(badButton.body).toMatchObject({ description: "Bad Request: BUTTON_DATA_INVALID" });
  });

  it("waitFor resolves for past calls and rejects with the call list on timeout", async () => {
    const f = await start();
    await call(f, "sendChatAction", { chat_id: 1, action: "typing" });
    await expect(f.waitFor((c) => c.method === "sendChatAction")).resolves.toMatchObject({ status: 200 });
    await expect(f.waitFor((c) => c.method === "sendMessage", 100)).rejects.toThrow(
      /timed out after 100 ms[\s\S]*sendChatAction \{"chat_id":1,"action":"typing"\} -> 200/,
    );
  });

  it("close() ends a pending long poll promptly", async () => {
    const f = await start();
    const poll = call(f, "getUpdates", { timeout: 30 });
    await f.waitFor((c) => c.method === "getUpdates");
    const started = Date.now();
    await f.close();
    const { body } = await poll;
    expect(body).toEqual({ ok: true, result: [] });
    expect(Date.now() - started).toBeLessThan(1000);
    await expect(fetch(`${f.apiRoot}/bot${f.token}/getMe`)).rejects.toThrow();
  });
});

describe("grammY against the fake", () => {
  it("runs a real Bot with long polling: /start gets a reply", async () => {
    const f = await start();
    const bot = new Bot(f.token, { client: { apiRoot: f.apiRoot } });
    bot.command("start", (ctx) => ctx.reply("hi"));
    const running = bot.start({ drop_pending_updates: false });

    f.pushUpdate(f.userMessage({ chatId: 42, userId: 42, text: "/start" }));
    const [reply] = await f.waitForSent(1, 42);
    expect(reply).toMatchObject({ method: "sendMessage", chat_id: 42, text: "hi" });

    await bot.stop();
    await running;
    // grammY fetches its identity, removes any webhook before polling, and
    // confirms the handled update on stop so a restart will not see it again.
    const methods = f.calls.map((c) => c.method);
    expect(methods).toContain("getMe");
    expect(f.calls.find((c) => c.method === "deleteWebhook")?.params).toEqual({ drop_pending_updates: false });
    expect(methods.filter((m) => m !== "getUpdates")).toEqual(
      expect.arrayContaining(["getMe", "deleteWebhook", "sendMessage"]),
    );
    expect(f.pendingUpdates).toEqual([]);
    await f.close();
  });

  it("works with auto-retry: a 429 is waited out and the reply still arrives", async () => {
    const f = await start();
    const bot = new Bot(f.token, { client: { apiRoot: f.apiRoot } });
    bot.api.config.use(autoRetry());
    bot.command("start", (ctx) => ctx.reply("hi"));
    f.failNext("sendMessage", { status: 429, retryAfter: 1 });
    const running = bot.start();

    f.pushUpdate(f.userMessage({ chatId: 42, userId: 42, text: "/start" }));
    await f.waitForSent(1, 42, 5000);
    const attempts = f.calls.filter((c) => c.method === "sendMessage");
    expect(attempts.map((c) => c.status)).toEqual([429, 200]);
    expect(attempts[1]!.time - attempts[0]!.time).toBeGreaterThanOrEqual(900);

    await bot.stop();
    await running;
  });
});
