/**
 * End to end: a WeCom self-built app in callback mode, encrypted and signed as WeCom documents
 * (AES-256-CBC with the EncodingAESKey, SHA1 msg_signature), replying through a fake message API.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPlatforms } from "../../../src/channels/platform/start.js";
import type { PlatformServer } from "../../../src/channels/platform/server.js";
import { wecomDecrypt, wecomEncrypt, wecomSignature } from "../../../src/channels/wecom/crypto.js";
import { WECOM_LIMIT_BYTES } from "../../../src/channels/wecom/endpoint.js";
import { startFakePlatform, type FakePlatform } from "../../support/fake-platform.js";
import { testConfig } from "../../support/kb.js";
import { platformDeps } from "../../support/platform-deps.js";

const CORP = "ww1234567890abcdef";
const TOKEN = "wecomToken123";
const AES = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
const QUESTION = "今年高标准农田要建多少？";
const LONG = "请把全部内容详细说明";
let fake: FakePlatform;
let server: PlatformServer;
let n = 0;
let tokens = 0;

beforeAll(async () => {
  fake = await startFakePlatform();
  fake.route("/cgi-bin/gettoken", (r) => {
    if (r.query.get("corpid") !== CORP || r.query.get("corpsecret") !== "wecom-app-secret") return { errcode: 40013, errmsg: "invalid corpid" };
    tokens += 1;
    return { errcode: 0, errmsg: "ok", access_token: `token${tokens}`, expires_in: 7200 };
  });
  fake.route("/cgi-bin/message/send", (r) => (r.query.get("access_token") === `token${tokens}` ? { errcode: 0, errmsg: "ok" } : { errcode: 42001, errmsg: "access_token expired" }));
  const config = testConfig({ WECOM_CORP_ID: CORP, WECOM_AGENT_ID: "1000002", WECOM_SECRET: "wecom-app-secret", WECOM_TOKEN: TOKEN, WECOM_ENCODING_AES_KEY: AES, WECOM_API_BASE: fake.url, PLATFORM_PORT: "0" });
  const deps = await platformDeps(config);
  const engine = deps.knowledge.engine;
  // One question gets a very long answer, to exercise splitting; every other goes to the real engine.
  deps.knowledge.engine = { ...engine, answer: async (req, o) => {
    const r = await engine.answer(req.question === LONG ? { ...req, question: QUESTION } : req, o);
    return req.question === LONG ? { ...r, answer: `${r.answer}\n`.repeat(Math.ceil(4000 / r.answer.length)) } : r;
  } };
  const running = (await startPlatforms(deps))!;
  server = { url: running.url!, close: running.close };
}, 60_000);
afterAll(async () => {
  await server?.close();
  await fake?.close();
});

function signed(encrypt: string, forge = false, at = Date.now()) {
  const ts = String(Math.floor(at / 1000));
  const nonce = `n${++n}`;
  const sig = forge ? "0".repeat(40) : wecomSignature(TOKEN, ts, nonce, encrypt);
  return `msg_signature=${sig}&timestamp=${ts}&nonce=${nonce}`;
}

async function deliver(user: string, content: string, o: { msgId?: string; forge?: boolean; at?: number } = {}): Promise<Response> {
  const inner = `<xml><ToUserName><![CDATA[${CORP}]]></ToUserName><FromUserName><![CDATA[${user}]]></FromUserName><CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content><MsgId>${o.msgId ?? `${Date.now()}${++n}`}</MsgId><AgentID>1000002</AgentID></xml>`;
  const encrypt = wecomEncrypt(inner, AES, CORP);
  const body = `<xml><ToUserName><![CDATA[${CORP}]]></ToUserName><AgentID><![CDATA[1000002]]></AgentID><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`;
  return fetch(`${server.url}/wecom?${signed(encrypt, o.forge, o.at)}`, { method: "POST", headers: { "content-type": "text/xml" }, body });
}

const sent = (user: string) => fake.calls("/cgi-bin/message/send").filter((r) => r.json?.touser === user && (r.json as { markdown?: unknown }).markdown);
const ok = (user: string) => sent(user).filter((r) => r.query.get("access_token") === `token${tokens}`);
const content = (r: { json?: Record<string, unknown> }) => (r.json?.markdown as { content: string }).content;
const settle = () => new Promise((r) => setTimeout(r, 300));

describe("WeCom self-built app (callback mode)", () => {
  it("refuses a well-signed callback replayed outside the 5-minute window (401), and sends nothing", async () => {
    const before = fake.requests.length;
    expect((await deliver("replayer", "今年高标准农田要建多少？", { at: Date.now() - 10 * 60_000 })).status).toBe(401);
    expect((await deliver("replayer", "今年高标准农田要建多少？", { at: Date.now() + 10 * 60_000 })).status).toBe(401);
    const echostr = wecomEncrypt("echo-old", AES, CORP);
    expect((await fetch(`${server.url}/wecom?${signed(echostr, false, Date.now() - 10 * 60_000)}&echostr=${encodeURIComponent(echostr)}`)).status).toBe(401);
    await settle();
    expect(fake.requests.length).toBe(before);
  });

  it("passes the URL verification handshake and refuses a forged one", async () => {
    const echostr = wecomEncrypt("echo-1234567890", AES, CORP);
    const res = await fetch(`${server.url}/wecom?${signed(echostr)}&echostr=${encodeURIComponent(echostr)}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("echo-1234567890");
    const forged = await fetch(`${server.url}/wecom?${signed(echostr, true)}&echostr=${encodeURIComponent(echostr)}`);
    expect(forged.status).toBe(401);
  });

  it("decrypts what it encrypts, and refuses another corp's message", () => {
    const c = wecomEncrypt("你好 hello", AES, CORP);
    expect(wecomDecrypt(c, AES, CORP)).toBe("你好 hello");
    expect(() => wecomDecrypt(c, AES, "wwOther")).toThrow(/another corp/);
  });

  it("answers a question with a quote per citation, through a cached access_token", async () => {
    expect((await deliver("zhangsan", QUESTION)).status).toBe(200);
    await fake.waitFor(() => sent("zhangsan").length > 0);
    const reply = sent("zhangsan")[0]!;
    expect(reply.json?.agentid).toBe(1000002);
    expect(content(reply)).toContain("原文引用");
    expect(content(reply)).toMatch(/^> 〔[^〕]+〕“.+”$/m);
    await deliver("zhangsan", "/help");
    await fake.waitFor(() => sent("zhangsan").length > 1);
    expect(fake.calls("/cgi-bin/gettoken")).toHaveLength(1);
  });

  it("refreshes an expired access_token and sends again", async () => {
    tokens += 1; // the server has moved on: the cached token is now expired
    await deliver("lisi", "/help");
    await fake.waitFor(() => ok("lisi").length > 0);
    expect(fake.calls("/cgi-bin/gettoken")).toHaveLength(2);
  });

  it("refuses a forged signature with 401 and sends nothing", async () => {
    const before = fake.requests.length;
    expect((await deliver("mallory", QUESTION, { forge: true })).status).toBe(401);
    await settle();
    expect(fake.requests.length).toBe(before);
  });

  it("shows a unit by number (/task N) and keeps the quiz's open question in the store", async () => {
    await deliver("unitUser", "/task 5");
    await fake.waitFor(() => ok("unitUser").length > 0);
    expect(content(ok("unitUser")[0]!)).toMatch(/^\*\*〔第5项〕/);
    await deliver("unitUser", "/quiz");
    await fake.waitFor(() => ok("unitUser").length > 1);
    const question = content(ok("unitUser")[1]!);
    await deliver("unitUser", /请回复 A/.test(question) ? "A" : "12万亩");
    await fake.waitFor(() => ok("unitUser").length > 2);
    expect(content(ok("unitUser")[2]!)).toMatch(/(✅ 正确|❌ 错误)：正确答案是/);
  });

  it("answers a duplicate delivery once", async () => {
    await deliver("wangwu", QUESTION, { msgId: "1234567890123" });
    await deliver("wangwu", QUESTION, { msgId: "1234567890123" });
    await fake.waitFor(() => sent("wangwu").length > 0);
    await settle();
    expect(sent("wangwu")).toHaveLength(1);
  });

  it("plays a quiz with letter answers", async () => {
    await deliver("zhaoliu", "/quiz");
    await fake.waitFor(() => sent("zhaoliu").length > 0);
    const question = content(sent("zhaoliu")[0]!);
    await deliver("zhaoliu", /请回复 A/.test(question) ? "A" : "78万亩");
    await fake.waitFor(() => sent("zhaoliu").length > 1);
    expect(content(sent("zhaoliu")[1]!)).toMatch(/(✅ 正确|❌ 错误)：正确答案是/);
  });

  it("retries a 429 from the message API", async () => {
    fake.failNext("/cgi-bin/message/send", [429], (r) => r.json?.touser === "sunqi");
    await deliver("sunqi", QUESTION);
    await fake.waitFor(() => sent("sunqi").length >= 2);
    expect(fake.calls("/cgi-bin/message/send").filter((r) => r.json?.touser === "sunqi")).toHaveLength(2);
  });

  it("splits a reply longer than 2048 bytes into several messages", async () => {
    await deliver("zhouba", LONG);
    await fake.waitFor(() => sent("zhouba").some((r) => content(r).includes("原文引用")));
    const pages = sent("zhouba").map(content);
    expect(pages.length).toBeGreaterThan(1);
    for (const p of pages) expect(Buffer.byteLength(p)).toBeLessThanOrEqual(WECOM_LIMIT_BYTES);
  });
});
