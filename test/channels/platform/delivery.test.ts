/**
 * Duplicate deliveries across instances: two DingTalk callback servers over one store (as two
 * processes behind one URL with a shared database) answer a delivery retried to the other one once.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dingtalkSign } from "../../../src/channels/dingtalk/sign.js";
import { storeDeliveries } from "../../../src/channels/platform/delivery.js";
import { startPlatforms, type RunningPlatforms } from "../../../src/channels/platform/start.js";
import { SqliteFeedbackStore } from "../../../src/feedback/store.js";
import { openQuizDatabase, SqliteQuizStore } from "../../../src/quiz/store.js";
import { SqliteDeadlineStore } from "../../../src/quiz/deadlines.js";
import { join } from "node:path";
import { startFakePlatform, type FakePlatform } from "../../support/fake-platform.js";
import { testConfig } from "../../support/kb.js";
import { platformDeps } from "../../support/platform-deps.js";

const SECRET = "dingtalk-app-secret-for-tests";
let fake: FakePlatform;
const instances: RunningPlatforms[] = [];

beforeAll(async () => {
  fake = await startFakePlatform();
  const first = testConfig({ DINGTALK_APP_SECRET: SECRET, DINGTALK_API_BASE: fake.url, PLATFORM_PORT: "0", QUIZ_ROUND_SECONDS: "5" });
  // Two instances, each with its own connections to one feedback file and one quiz file.
  const quizFile = join(first.DATA_DIR, "quiz.sqlite");
  for (const config of [first, { ...first }]) {
    instances.push((await startPlatforms(await platformDeps(config, { quizStore: new SqliteQuizStore(quizFile), deadlines: new SqliteDeadlineStore(openQuizDatabase(quizFile)) })))!);
  }
}, 60_000);
afterAll(async () => {
  for (const i of instances) await i.close();
  await fake?.close();
});

async function deliver(url: string, body: object): Promise<number> {
  const ts = String(Date.now());
  return (await fetch(`${url}/dingtalk`, { method: "POST", headers: { timestamp: ts, sign: dingtalkSign(ts, SECRET) }, body: JSON.stringify(body) })).status;
}

describe("duplicate deliveries through the shared store", () => {
  it("answers a message delivered to two instances once", async () => {
    const m = {
      msgtype: "text", text: { content: "/help" }, msgId: "cross-instance-id", conversationType: "1", conversationId: "cidX",
      senderStaffId: "s1", sessionWebhook: `${fake.url}/robot/sendBySession?session=x`,
    };
    expect(await deliver(instances[0]!.url!, m)).toBe(200);
    await fake.waitFor((all) => all.some((r) => r.query.get("session") === "x"));
    expect(await deliver(instances[1]!.url!, m)).toBe(200);
    await new Promise((r) => setTimeout(r, 400));
    expect(fake.requests.filter((r) => r.query.get("session") === "x")).toHaveLength(1);
  });

  it("grades on one instance the quiz question the other one asked, once", async () => {
    const base = { msgtype: "text", conversationType: "1", conversationId: "cidQ", senderStaffId: "s-quiz", sessionWebhook: `${fake.url}/robot/sendBySession?session=q` };
    const texts = () => fake.requests.filter((r) => r.query.get("session") === "q").map((r) => (r.json?.markdown as { text: string }).text);
    await deliver(instances[0]!.url!, { ...base, msgId: "q1", text: { content: "/quiz" } });
    await fake.waitFor(() => texts().length === 1);
    const answer = /请回复 A/.test(texts()[0]!) ? "A" : "12万亩";
    await deliver(instances[1]!.url!, { ...base, msgId: "q2", text: { content: answer } });
    await fake.waitFor(() => texts().length === 2);
    expect(texts()[1]).toMatch(/(✅ 正确|❌ 错误)：正确答案是/);
  });

  it("runs one group round across instances", async () => {
    const base = { msgtype: "text", conversationType: "2", isInAtList: true, conversationId: "cidR", sessionWebhook: `${fake.url}/robot/sendBySession?session=r` };
    const texts = () => fake.requests.filter((r) => r.query.get("session") === "r").map((r) => (r.json?.markdown as { text: string }).text);
    await deliver(instances[0]!.url!, { ...base, msgId: "r1", senderStaffId: "s-a", senderNick: "甲", text: { content: "/quiz 2" } });
    await fake.waitFor(() => texts().some((t) => t.includes("第1/2题")));
    await deliver(instances[1]!.url!, { ...base, msgId: "r2", senderStaffId: "s-b", senderNick: "乙", text: { content: "/quiz 2" } });
    await fake.waitFor(() => texts().some((t) => t.includes("本群已有一轮测验在进行")));
    await deliver(instances[1]!.url!, { ...base, msgId: "r3", senderStaffId: "s-b", senderNick: "乙", text: { content: "12万亩" } });
    await fake.waitFor(() => texts().some((t) => t.includes("已记录 乙 的答案")));
    await deliver(instances[1]!.url!, { ...base, msgId: "r4", senderStaffId: "s-a", senderNick: "甲", text: { content: "/stop" } });
    await fake.waitFor(() => texts().some((t) => t.includes("测验已结束 · 排行榜")));
    expect(texts().find((t) => t.includes("测验已结束"))).toContain("乙：");
  });

  it("keys ids per platform and app, apart from Telegram's bot ids", async () => {
    const store = new SqliteFeedbackStore(":memory:");
    const a = storeDeliveries(store, "dingtalk", "appA", () => undefined);
    const b = storeDeliveries(store, "feishu", "appA", () => undefined);
    expect(await a.first("id-1")).toBe(true);
    expect(await b.first("id-1")).toBe(true);
    expect(await storeDeliveries(store, "dingtalk", "appA", () => undefined).first("id-1")).toBe(false);
    store.close();
  });

  it("closes a round's question on the other instance when the one that asked it is gone", async () => {
    const base = { msgtype: "text", conversationType: "2", isInAtList: true, conversationId: "cidD", sessionWebhook: `${fake.url}/robot/sendBySession?session=d` };
    const texts = () => fake.requests.filter((r) => r.query.get("session") === "d").map((r) => (r.json?.markdown as { text: string }).text);
    await deliver(instances[0]!.url!, { ...base, msgId: "d1", senderStaffId: "s-a", senderNick: "甲", text: { content: "/quiz 1" } });
    await fake.waitFor(() => texts().some((t) => t.includes("第1/1题")));
    await instances[0]!.close();
    // Only instance 1 is left: its sweep finds the overdue deadline and reaches the group through the stored address.
    await fake.waitFor(() => texts().some((t) => t.includes("本轮测验结束 · 排行榜")), 15_000);
    expect(texts().filter((t) => t.includes("本题答案")).length).toBe(1);
  }, 20_000);
});
