/**
 * End to end: a Feishu custom app's event subscription, encrypted and signed as Feishu documents
 * (AES-256-CBC with SHA256 of the encrypt key; X-Lark-Signature = SHA256 of timestamp + nonce + key + body),
 * answered with interactive cards through a fake IM API on 127.0.0.1.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPlatforms } from "../../../src/channels/platform/start.js";
import type { PlatformServer } from "../../../src/channels/platform/server.js";
import { FEISHU_CARD_CHARS } from "../../../src/channels/feishu/card.js";
import { feishuEncrypt, feishuSignature } from "../../../src/channels/feishu/crypto.js";
import { startFakePlatform, type FakePlatform } from "../../support/fake-platform.js";
import { testConfig } from "../../support/kb.js";
import { platformDeps } from "../../support/platform-deps.js";

const VTOKEN = "feishu-verification-token";
const EKEY = "feishu-encrypt-key";
const BOT = "ou_bot";
const QUESTION = "今年高标准农田要建多少？";
const LONG = "请把全部内容详细说明";
let fake: FakePlatform;
let server: PlatformServer;
let n = 0;

beforeAll(async () => {
  fake = await startFakePlatform();
  fake.route("/open-apis/auth/v3/tenant_access_token/internal", (r) => (r.json?.app_secret === "feishu-app-secret" ? { code: 0, msg: "ok", tenant_access_token: "t-abc", expire: 7200 } : { code: 10014, msg: "app secret invalid" }));
  fake.route("/open-apis/bot/v3/info", () => ({ code: 0, bot: { open_id: BOT, app_name: "policybot" } }));
  fake.route("/open-apis/im/v1/messages", (r) => (r.headers.authorization === "Bearer t-abc" ? { code: 0, msg: "success", data: { message_id: `om_${r.body.length}` } } : { code: 99991663, msg: "invalid token" }));
  const config = testConfig({ FEISHU_APP_ID: "cli_a1b2c3", FEISHU_APP_SECRET: "feishu-app-secret", FEISHU_VERIFICATION_TOKEN: VTOKEN, FEISHU_ENCRYPT_KEY: EKEY, FEISHU_API_BASE: fake.url, PLATFORM_PORT: "0" });
  const deps = await platformDeps(config);
  const engine = deps.knowledge.engine;
  deps.knowledge.engine = { ...engine, answer: async (req, o) => {
    const r = await engine.answer(req.question === LONG ? { ...req, question: QUESTION } : req, o);
    return req.question === LONG ? { ...r, answer: `${r.answer}\n`.repeat(Math.ceil(7000 / r.answer.length)) } : r;
  } };
  const running = (await startPlatforms(deps))!;
  server = { url: running.url!, close: running.close };
}, 60_000);
afterAll(async () => {
  await server?.close();
  await fake?.close();
});

async function post(payload: object, o: { forge?: boolean; plain?: boolean; at?: number } = {}): Promise<Response> {
  const body = JSON.stringify(o.plain ? payload : { encrypt: feishuEncrypt(JSON.stringify(payload), EKEY) });
  const ts = String(Math.floor((o.at ?? Date.now()) / 1000));
  const nonce = `nonce${++n}`;
  const sig = o.forge ? "f".repeat(64) : feishuSignature(ts, nonce, EKEY, body);
  return fetch(`${server.url}/feishu`, { method: "POST", headers: { "content-type": "application/json", "x-lark-request-timestamp": ts, "x-lark-request-nonce": nonce, "x-lark-signature": sig }, body });
}

function message(chat: string, text: string, o: { group?: boolean; at?: boolean; eventId?: string; user?: string } = {}) {
  n += 1;
  return {
    schema: "2.0",
    header: { event_id: o.eventId ?? `ev${n}`, event_type: "im.message.receive_v1", create_time: String(Date.now()), token: VTOKEN, app_id: "cli_a1b2c3", tenant_key: "tk" },
    event: {
      sender: { sender_id: { open_id: o.user ?? "ou_user1" }, sender_type: "user" },
      message: {
        message_id: `om_${n}`, chat_id: chat, chat_type: o.group ? "group" : "p2p", message_type: "text",
        content: JSON.stringify({ text: o.at ? `@_user_1 ${text}` : text }),
        ...(o.at ? { mentions: [{ key: "@_user_1", id: { open_id: BOT }, name: "policybot" }] } : {}),
      },
    },
  };
}

function press(chat: string, value: string, user = "ou_user1") {
  n += 1;
  return {
    schema: "2.0",
    header: { event_id: `card${n}`, event_type: "card.action.trigger", token: VTOKEN },
    event: { operator: { open_id: user }, action: { tag: "button", value: { pb: value } }, context: { open_chat_id: chat, open_message_id: "om_x" } },
  };
}

type Card = { elements: Array<{ tag: string; content?: string; actions?: Array<{ text: { content: string }; value: { pb: string } }> }> };
const cards = (chat: string): Card[] => fake.calls("/open-apis/im/v1/messages").filter((r) => r.json?.receive_id === chat && r.headers.authorization === "Bearer t-abc").map((r) => JSON.parse(r.json!.content as string) as Card);
const markdownOf = (c: Card) => c.elements.filter((e) => e.tag === "markdown").map((e) => e.content).join("\n");
const buttonsOf = (c: Card) => c.elements.flatMap((e) => e.actions ?? []);
const settle = () => new Promise((r) => setTimeout(r, 300));

describe("Feishu custom app (event subscription)", () => {
  it("refuses a well-signed event replayed outside the 5-minute window (401), and sends nothing", async () => {
    const before = fake.requests.length;
    const m = message("oc_replay", "今年高标准农田要建多少？");
    expect((await post(m, { at: Date.now() - 10 * 60_000 })).status).toBe(401);
    expect((await post(m, { at: Date.now() + 10 * 60_000 })).status).toBe(401);
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.requests.length).toBe(before);
  });
  it("answers the url_verification challenge, encrypted or plain, and refuses a wrong token", async () => {
    const res = await post({ challenge: "ch-123", token: VTOKEN, type: "url_verification" });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ challenge: "ch-123" });
    const plain = await post({ challenge: "ch-456", token: VTOKEN, type: "url_verification" }, { plain: true });
    expect(await plain.json()).toEqual({ challenge: "ch-456" });
    expect((await post({ challenge: "x", token: "wrong-token", type: "url_verification" })).status).toBe(401);
  });

  it("answers a one-to-one question with a card: a quote per citation and vote buttons", async () => {
    expect((await post(message("oc_p1", QUESTION))).status).toBe(200);
    await fake.waitFor(() => cards("oc_p1").length > 0);
    const card = cards("oc_p1")[0]!;
    expect(markdownOf(card)).toContain("原文引用");
    expect(markdownOf(card)).toMatch(/^> 〔[^〕]+〕“.+”$/m);
    const vote = buttonsOf(card).find((b) => b.value.pb.startsWith("fb:up:"));
    expect(vote).toBeDefined();
    const res = await post(press("oc_p1", vote!.value.pb));
    expect(((await res.json()) as { toast?: unknown }).toast).toBeDefined();
    await fake.waitFor(() => cards("oc_p1").some((c) => markdownOf(c).includes("谢谢反馈")));
  });

  it("refuses a forged signature and an unencrypted event with 401, sending nothing", async () => {
    const before = fake.requests.length;
    expect((await post(message("oc_forged", QUESTION), { forge: true })).status).toBe(401);
    expect((await post(message("oc_forged", QUESTION), { plain: true })).status).toBe(401);
    await settle();
    expect(fake.requests.length).toBe(before);
  });

  it("stays quiet in a group unless @-mentioned", async () => {
    await post(message("oc_g1", QUESTION, { group: true }));
    await settle();
    expect(cards("oc_g1")).toHaveLength(0);
    await post(message("oc_g1", QUESTION, { group: true, at: true }));
    await fake.waitFor(() => cards("oc_g1").length > 0);
    expect(markdownOf(cards("oc_g1")[0]!)).toContain("原文引用");
  });

  it("answers a duplicate event once", async () => {
    await post(message("oc_dup", QUESTION, { eventId: "ev-same" }));
    await post(message("oc_dup", QUESTION, { eventId: "ev-same" }));
    await fake.waitFor(() => cards("oc_dup").length > 0);
    await settle();
    expect(cards("oc_dup")).toHaveLength(1);
  });

  it("plays a quiz with card buttons", async () => {
    let found: { pb: string } | undefined;
    for (let i = 0; i < 6 && !found; i++) {
      const before = cards("oc_quiz").length;
      await post(message("oc_quiz", "/quiz"));
      await fake.waitFor(() => cards("oc_quiz").length > before);
      found = buttonsOf(cards("oc_quiz").at(-1)!).find((b) => b.value.pb.startsWith("qp:"))?.value;
    }
    expect(found).toBeDefined();
    const before = cards("oc_quiz").length;
    await post(press("oc_quiz", found!.pb));
    await fake.waitFor(() => cards("oc_quiz").length > before);
    expect(markdownOf(cards("oc_quiz").at(-1)!)).toMatch(/(✅ 正确|❌ 错误)：正确答案是/);
  });

  it("runs a group quiz round: typed and card-button answers, one per person, /next for the starter, a leaderboard", async () => {
    const chat = "oc_round";
    const at = (user: string, text: string) => post(message(chat, text, { group: true, at: true, user }));
    const toastOf = async (res: Response) => ((await res.json()) as { toast: { content: string } }).toast.content;
    const has = (text: string) => cards(chat).some((c) => markdownOf(c).includes(text));
    await at("ou_alice", "/quiz 3");
    await fake.waitFor(() => has("第1/3题"));
    expect(cards(chat)[0] && markdownOf(cards(chat)[0]!)).toContain("开始了一轮 3 题的测验");
    // A round's first question is a fill-in: answered by @-mentioning the bot with the figure.
    await at("ou_alice", "12万亩");
    await fake.waitFor(() => has("已记录 用户lice 的答案"));
    await at("ou_alice", "13万亩");
    await fake.waitFor(() => has("你已经回答过这道题了"));
    await at("ou_bob", "/next");
    await fake.waitFor(() => has("只有本轮发起人"));
    await at("ou_alice", "/next");
    await fake.waitFor(() => has("第2/3题"));
    expect(cards(chat).some((c) => /本题答案：\*\*.+\*\*/.test(markdownOf(c)))).toBe(true);
    const q2 = cards(chat).find((c) => markdownOf(c).includes("第2/3题"))!;
    const [a, b] = buttonsOf(q2);
    expect(a!.value.pb).toMatch(/^qr:/);
    const before = cards(chat).length;
    expect(await toastOf(await post(press(chat, a!.value.pb, "ou_alice")))).toMatch(/正确|错误/);
    expect(await toastOf(await post(press(chat, b!.value.pb, "ou_alice")))).toBe("你已经回答过这道题了。");
    expect(await toastOf(await post(press(chat, b!.value.pb, "ou_bob")))).toMatch(/正确|错误/);
    await settle();
    // Button answers are told to the presser only: nothing is posted to the group.
    expect(cards(chat).length).toBe(before);
    await at("ou_alice", "/next");
    await fake.waitFor(() => has("第3/3题"));
    // A button of the closed question no longer counts.
    expect(await toastOf(await post(press(chat, a!.value.pb, "ou_carol")))).toBe("这道题已经结束了。");
    await at("ou_alice", "/next");
    await fake.waitFor(() => has("本轮测验结束 · 排行榜"));
    const board = markdownOf(cards(chat).find((c) => markdownOf(c).includes("本轮测验结束 · 排行榜"))!);
    expect(board).toMatch(/用户lice：\d\/2/);
    expect(board).toMatch(/用户_bob：\d\/1/);
    expect(board).not.toContain("carol");
    await at("ou_alice", "/leaderboard");
    await fake.waitFor(() => has("本群排行榜"));
    await at("ou_alice", "/quiz 1");
    await fake.waitFor(() => has("第1/1题"));
    await at("ou_bob", "/quiz 1");
    await fake.waitFor(() => has("本群已有一轮测验在进行"));
  });

  it("retries a 429 from the IM API", async () => {
    fake.failNext("/open-apis/im/v1/messages", [429], (r) => r.json?.receive_id === "oc_busy");
    await post(message("oc_busy", QUESTION));
    await fake.waitFor(() => fake.calls("/open-apis/im/v1/messages").filter((r) => r.json?.receive_id === "oc_busy").length >= 2);
    await fake.waitFor(() => cards("oc_busy").length >= 2);
  });

  it("splits a reply too long for one card", async () => {
    await post(message("oc_long", LONG));
    await fake.waitFor(() => cards("oc_long").some((c) => markdownOf(c).includes("原文引用")));
    const all = cards("oc_long");
    expect(all.length).toBeGreaterThan(1);
    for (const c of all) expect(markdownOf(c).length).toBeLessThanOrEqual(FEISHU_CARD_CHARS);
    expect(buttonsOf(all.at(-1)!).length).toBeGreaterThan(0);
  });
});
