/**
 * End to end: DingTalk Stream mode through the official dingtalk-stream SDK, against a fake gateway
 * on 127.0.0.1 (open-connection endpoint + WebSocket), replies through a fake sessionWebhook.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPlatforms, type RunningPlatforms } from "../../../src/channels/platform/start.js";
import { startFakePlatform, type FakePlatform } from "../../support/fake-platform.js";
import { startFakeStreamGateway, type FakeStreamGateway } from "../../support/fake-dingtalk-stream.js";
import { testConfig } from "../../support/kb.js";
import { platformDeps } from "../../support/platform-deps.js";

const CLIENT_ID = "dingstreamtestkey";
const SECRET = "dingtalk-stream-secret-for-tests";
const QUESTION = "今年高标准农田要建多少？";
let fake: FakePlatform;
let gateway: FakeStreamGateway;
let running: RunningPlatforms;
let n = 0;

beforeAll(async () => {
  fake = await startFakePlatform();
  gateway = await startFakeStreamGateway({ clientId: CLIENT_ID, clientSecret: SECRET });
  const config = testConfig({ DINGTALK_MODE: "stream", DINGTALK_CLIENT_ID: CLIENT_ID, DINGTALK_APP_SECRET: SECRET, DINGTALK_API_BASE: fake.url, DINGTALK_STREAM_GATEWAY: gateway.openUrl, PLATFORM_PORT: "0" });
  running = (await startPlatforms(await platformDeps(config)))!;
  await gateway.waitFor(() => gateway.connected());
}, 60_000);
afterAll(async () => {
  await running?.close();
  await gateway?.close();
  await fake?.close();
});

function message(text: string, o: { group?: boolean; at?: boolean; msgId?: string; chat?: string } = {}) {
  n += 1;
  return {
    msgtype: "text", text: { content: text }, msgId: o.msgId ?? `smsg${n}`, createAt: Date.now(),
    conversationType: o.group ? "2" : "1", conversationId: o.chat ?? `cidStream${n}`,
    senderId: "$:LWCP_v1:$abc", senderNick: "李四", senderStaffId: "staff2", chatbotUserId: "$:LWCP_v1:$bot", robotCode: CLIENT_ID,
    isInAtList: o.at ?? false, sessionWebhook: `${fake.url}/robot/sendBySession?session=${o.chat ?? n}`, sessionWebhookExpiredTime: Date.now() + 3_600_000,
  };
}

const replies = (session: string | number) => fake.requests.filter((r) => r.path === "/robot/sendBySession" && r.query.get("session") === String(session));
const markdown = (r: { json?: Record<string, unknown> }) => (r.json?.markdown as { text: string }).text;
const settle = () => new Promise((r) => setTimeout(r, 300));
const acked = (id: string) => gateway.frames.some((f) => f.headers?.messageId === id && f.code === 200);

describe("DingTalk robot (Stream mode, dingtalk-stream SDK)", () => {
  it("opens the connection with its credentials and a CALLBACK subscription to robot messages", () => {
    expect(running.streams).toEqual(["dingtalk"]);
    expect(running.names).toEqual([]);
    const open = gateway.opens[0]!;
    expect(open.clientId).toBe(CLIENT_ID);
    expect(open.subscriptions).toContainEqual({ type: "CALLBACK", topic: "/v1.0/im/bot/messages/get" });
  });

  it("ACKs a robot message and answers it with a quote per citation", async () => {
    const id = gateway.pushRobotMessage(message(QUESTION));
    await gateway.waitFor(() => acked(id));
    await fake.waitFor(() => replies(n).length > 0);
    const text = markdown(replies(n)[0]!);
    expect(text).toContain("原文引用");
    expect(text).toMatch(/^> 〔[^〕]+〕“.+”$/m);
  });

  it("echoes the gateway's ping", async () => {
    const id = gateway.ping();
    await gateway.waitFor(() => acked(id));
  });

  it("stays quiet in a group unless @-mentioned", async () => {
    const quiet = gateway.pushRobotMessage(message(QUESTION, { group: true, chat: "sg1" }));
    await gateway.waitFor(() => acked(quiet));
    await settle();
    expect(replies("sg1")).toHaveLength(0);
    gateway.pushRobotMessage(message(QUESTION, { group: true, at: true, chat: "sg1" }));
    await fake.waitFor(() => replies("sg1").length > 0);
    expect(markdown(replies("sg1")[0]!)).toContain("原文引用");
  });

  it("answers a message pushed twice (same msgId) once", async () => {
    const m = message(QUESTION, { chat: "sdup", msgId: "stream-same-id" });
    gateway.pushRobotMessage(m);
    gateway.pushRobotMessage(m);
    await fake.waitFor(() => replies("sdup").length > 0);
    await settle();
    expect(replies("sdup")).toHaveLength(1);
  });

  it("reconnects with a fresh ticket after the gateway drops the socket, and goes on answering", async () => {
    const before = gateway.connections();
    const opens = gateway.opens.length;
    gateway.drop();
    await gateway.waitFor(() => gateway.connections() > before && gateway.connected());
    expect(gateway.opens.length).toBeGreaterThan(opens);
    gateway.pushRobotMessage(message(QUESTION, { chat: "after" }));
    await fake.waitFor(() => replies("after").length > 0);
    expect(markdown(replies("after")[0]!)).toContain("原文引用");
  });

  it("ignores a malformed frame without falling over", async () => {
    gateway.sendRaw("{not json");
    gateway.pushRobotMessage({} as object, "empty");
    await gateway.waitFor(() => acked("empty"));
    gateway.pushRobotMessage(message(QUESTION, { chat: "still" }));
    await fake.waitFor(() => replies("still").length > 0);
  });
});
