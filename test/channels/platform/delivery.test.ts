/**
 * Duplicate deliveries across instances: two DingTalk callback servers over one store (as two
 * processes behind one URL with a shared database) answer a delivery retried to the other one once.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dingtalkSign } from "../../../src/channels/dingtalk/sign.js";
import { storeDeliveries } from "../../../src/channels/platform/delivery.js";
import { startPlatforms, type RunningPlatforms } from "../../../src/channels/platform/start.js";
import { SqliteFeedbackStore } from "../../../src/feedback/store.js";
import { startFakePlatform, type FakePlatform } from "../../support/fake-platform.js";
import { testConfig } from "../../support/kb.js";
import { platformDeps } from "../../support/platform-deps.js";

const SECRET = "dingtalk-app-secret-for-tests";
let fake: FakePlatform;
const instances: RunningPlatforms[] = [];

beforeAll(async () => {
  fake = await startFakePlatform();
  const first = testConfig({ DINGTALK_APP_SECRET: SECRET, DINGTALK_API_BASE: fake.url, PLATFORM_PORT: "0" });
  for (const config of [first, { ...first }]) instances.push((await startPlatforms(await platformDeps(config)))!);
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

  it("keys ids per platform and app, apart from Telegram's bot ids", async () => {
    const store = new SqliteFeedbackStore(":memory:");
    const a = storeDeliveries(store, "dingtalk", "appA", () => undefined);
    const b = storeDeliveries(store, "feishu", "appA", () => undefined);
    expect(await a.first("id-1")).toBe(true);
    expect(await b.first("id-1")).toBe(true);
    expect(await storeDeliveries(store, "dingtalk", "appA", () => undefined).first("id-1")).toBe(false);
    store.close();
  });
});
