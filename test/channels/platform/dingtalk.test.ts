/**
 * End to end: the DingTalk robot's HTTP callback, signed as DingTalk documents
 * (base64 HmacSHA256 of "timestamp\nappSecret"), answered through a fake sessionWebhook on 127.0.0.1.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dingtalkSign } from "../../../src/channels/dingtalk/sign.js";
import { DINGTALK_LIMIT } from "../../../src/channels/dingtalk/endpoint.js";
import { startPlatforms } from "../../../src/channels/platform/start.js";
import type { PlatformServer } from "../../../src/channels/platform/server.js";
import { startFakePlatform, type FakePlatform } from "../../support/fake-platform.js";
import { testConfig } from "../../support/kb.js";
import { platformDeps } from "../../support/platform-deps.js";

const SECRET = "dingtalk-app-secret-for-tests";
const QUESTION = "今年高标准农田要建多少？";
const LONG = "请把全部内容详细说明";
let fake: FakePlatform;
let server: PlatformServer;
let n = 0;

beforeAll(async () => {
  fake = await startFakePlatform();
  const config = testConfig({ DINGTALK_APP_SECRET: SECRET, DINGTALK_API_BASE: fake.url, PLATFORM_PORT: "0", QUIZ_ROUND_SECONDS: "5" });
  const deps = await platformDeps(config);
  const engine = deps.knowledge.engine;
  // One question gets a very long answer, to exercise splitting; every other goes to the real engine.
  deps.knowledge.engine = { ...engine, answer: async (req, o) => {
    const r = await engine.answer(req.question === LONG ? { ...req, question: QUESTION } : req, o);
    return req.question === LONG ? { ...r, answer: `${r.answer}\n`.repeat(Math.ceil(9000 / r.answer.length)) } : r;
  } };
  const running = (await startPlatforms(deps))!;
  server = { url: running.url!, close: running.close };
}, 60_000);
afterAll(async () => {
  await server?.close();
  await fake?.close();
});

function message(text: string, o: { group?: boolean; at?: boolean; msgId?: string; chat?: string } = {}) {
  n += 1;
  return {
    msgtype: "text", text: { content: text }, msgId: o.msgId ?? `msg${n}`, createAt: Date.now(),
    conversationType: o.group ? "2" : "1", conversationId: o.chat ?? (o.group ? "cidGroup" : `cidPrivate${n}`),
    senderId: "$:LWCP_v1:$abc", senderNick: "张三", senderStaffId: "staff1", chatbotUserId: "$:LWCP_v1:$bot",
    isInAtList: o.at ?? false, sessionWebhook: `${fake.url}/robot/sendBySession?session=${o.chat ?? n}`, sessionWebhookExpiredTime: Date.now() + 3_600_000,
  };
}

async function deliver(body: object, sign?: string): Promise<Response> {
  const ts = String(Date.now());
  return fetch(`${server.url}/dingtalk`, { method: "POST", headers: { "content-type": "application/json", timestamp: ts, sign: sign ?? dingtalkSign(ts, SECRET) }, body: JSON.stringify(body) });
}

const replies = (session: string | number) => fake.requests.filter((r) => r.path === "/robot/sendBySession" && r.query.get("session") === String(session));
const markdown = (r: { json?: Record<string, unknown> }) => (r.json?.markdown as { text: string }).text;
const settle = () => new Promise((r) => setTimeout(r, 300));

describe("DingTalk robot (HTTP callback)", () => {
  it("answers a one-to-one question as Markdown with a quote per citation", async () => {
    const m = message(QUESTION);
    expect((await deliver(m)).status).toBe(200);
    await fake.waitFor(() => replies(n).length > 0);
    const [reply] = replies(n);
    expect(reply!.json?.msgtype).toBe("markdown");
    expect(markdown(reply!)).toContain("原文引用");
    expect(markdown(reply!)).toMatch(/^> 〔[^〕]+〕“.+”$/m);
  });

  it("refuses a forged signature, or a replayed one, with 401 and sends nothing", async () => {
    const before = fake.requests.length;
    const res = await deliver(message(QUESTION), "Zm9yZ2VkLXNpZ25hdHVyZQ==");
    expect(res.status).toBe(401);
    // Well signed but outside the 5-minute replay window, either side.
    for (const at of [Date.now() - 10 * 60_000, Date.now() + 10 * 60_000]) {
      const stale = String(at);
      const old = await fetch(`${server.url}/dingtalk`, { method: "POST", headers: { timestamp: stale, sign: dingtalkSign(stale, SECRET) }, body: JSON.stringify(message(QUESTION)) });
      expect(old.status).toBe(401);
    }
    await settle();
    expect(fake.requests.length).toBe(before);
  });

  it("stays quiet in a group unless @-mentioned", async () => {
    await deliver(message(QUESTION, { group: true, chat: "g1" }));
    await settle();
    expect(replies("g1")).toHaveLength(0);
    await deliver(message(QUESTION, { group: true, at: true, chat: "g1" }));
    await fake.waitFor(() => replies("g1").length > 0);
    expect(markdown(replies("g1")[0]!)).toContain("原文引用");
  });

  it("answers a duplicate delivery once", async () => {
    const m = message(QUESTION, { chat: "dup", msgId: "same-msg-id" });
    await deliver(m);
    await deliver(m);
    await fake.waitFor(() => replies("dup").length > 0);
    await settle();
    expect(replies("dup")).toHaveLength(1);
  });

  it("plays a quiz round with letter answers", async () => {
    await deliver(message("/quiz", { chat: "quiz" }));
    await fake.waitFor(() => replies("quiz").length > 0);
    const question = markdown(replies("quiz")[0]!);
    expect(question).toContain("测验");
    const letter = /请回复 A/.test(question) ? "A" : "78万亩";
    await deliver(message(letter, { chat: "quiz" }));
    await fake.waitFor(() => replies("quiz").length > 1);
    expect(markdown(replies("quiz")[1]!)).toMatch(/(✅ 正确|❌ 错误)：正确答案是/);
    expect(markdown(replies("quiz")[1]!)).toMatch(/^> 〔/m);
  });

  it("runs a group quiz round whose question closes on its timer: answers typed after @, a leaderboard at the end", async () => {
    const say = (text: string, staff: string, nick: string) => deliver({ ...message(text, { group: true, at: true, chat: "round" }), senderStaffId: staff, senderNick: nick });
    const texts = () => replies("round").map(markdown);
    await say("/quiz 1", "s-wang", "王五");
    await fake.waitFor(() => texts().some((t) => t.includes("第1/1题")));
    expect(texts().join("\n")).toContain("王五 开始了一轮 1 题的测验，每题 5 秒");
    expect(texts().find((t) => t.includes("第1/1题"))).toContain("请@我并回复答案");
    await say("12万亩", "s-wang", "王五");
    await say("15万亩", "s-zhao", "赵六");
    await fake.waitFor(() => texts().filter((t) => t.startsWith("已记录")).length === 2);
    // Nobody types /next: the timer closes the question, reveals the answer and posts the leaderboard.
    await fake.waitFor(() => texts().some((t) => t.includes("本轮测验结束 · 排行榜")), 12_000);
    expect(texts().some((t) => /本题答案：\*\*.+\*\*/.test(t) && /^> 〔/m.test(t))).toBe(true);
    const board = texts().find((t) => t.includes("本轮测验结束 · 排行榜"))!;
    expect(board).toContain("王五：");
    expect(board).toContain("赵六：");
  }, 20_000);

  it("shows a unit by number (/task N) and lists the plans (/plans)", async () => {
    await deliver(message("/task 5", { chat: "units" }));
    await fake.waitFor(() => replies("units").length > 0);
    expect(markdown(replies("units")[0]!)).toMatch(/^\*\*〔第5项〕/);
    await deliver(message("/task 999", { chat: "units" }));
    await fake.waitFor(() => replies("units").length > 1);
    expect(markdown(replies("units")[1]!)).toContain("没有找到第999项");
    await deliver(message("/plans", { chat: "units" }));
    await fake.waitFor(() => replies("units").length > 2);
    expect(markdown(replies("units")[2]!)).toContain("已加载的方案");
  });

  it("retries a 429 from the webhook", async () => {
    fake.failNext("/robot/sendBySession", [429], (r) => r.query.get("session") === "busy");
    await deliver(message(QUESTION, { chat: "busy" }));
    await fake.waitFor(() => replies("busy").length >= 2);
    expect(replies("busy")).toHaveLength(2);
  });

  it("splits a reply too long for one message", async () => {
    await deliver(message(LONG, { chat: "long" }));
    await fake.waitFor(() => replies("long").some((r) => markdown(r).includes("原文引用")));
    const pages = replies("long").map(markdown);
    expect(pages.length).toBeGreaterThan(1);
    for (const p of pages) expect(p.length).toBeLessThanOrEqual(DINGTALK_LIMIT);
  });
});
