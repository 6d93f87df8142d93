import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, secretsOf } from "../../../src/config.js";
import { enabledPlatforms } from "../../../src/channels/platform/start.js";

describe("chat platform configuration", () => {
  it("enables each platform whose variables are set, and keeps their secrets out of logs", () => {
    const config = loadConfig({
      DINGTALK_APP_SECRET: "ding-secret-123",
      WECOM_CORP_ID: "ww0011", WECOM_AGENT_ID: "1000002", WECOM_SECRET: "wecom-secret-1", WECOM_TOKEN: "tok123", WECOM_ENCODING_AES_KEY: "a".repeat(43),
      FEISHU_APP_ID: "cli_x1", FEISHU_APP_SECRET: "feishu-secret-1", FEISHU_VERIFICATION_TOKEN: "verify-token-1",
    });
    expect(enabledPlatforms(config)).toEqual(["dingtalk", "wecom", "feishu"]);
    expect(secretsOf(config)).toEqual(expect.arrayContaining(["ding-secret-123", "wecom-secret-1", "a".repeat(43), "feishu-secret-1", "verify-token-1"]));
  });

  it("names the missing WeCom variables, and redacts a bad secret's value", () => {
    expect(() => loadConfig({ WECOM_CORP_ID: "ww0011" })).toThrow(/missing: WECOM_AGENT_ID, WECOM_SECRET, WECOM_TOKEN, WECOM_ENCODING_AES_KEY/);
    try {
      loadConfig({ WECOM_ENCODING_AES_KEY: "too-short-secret" });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as Error).message).toContain('WECOM_ENCODING_AES_KEY="[redacted]"');
      expect((err as Error).message).not.toContain("too-short-secret");
    }
  });

  it("runs DingTalk in Stream mode only with its AppKey and AppSecret, and a 5-minute replay window by default", () => {
    expect(() => loadConfig({ DINGTALK_MODE: "stream", DINGTALK_APP_SECRET: "ding-secret-123" })).toThrow(/DINGTALK_MODE=stream: expected DINGTALK_CLIENT_ID/);
    expect(() => loadConfig({ DINGTALK_MODE: "websocket" })).toThrow(/DINGTALK_MODE/);
    const config = loadConfig({ DINGTALK_MODE: "stream", DINGTALK_CLIENT_ID: "dingkey1", DINGTALK_APP_SECRET: "ding-secret-123" });
    expect(config.DINGTALK_STREAM_GATEWAY).toBe("https://api.dingtalk.com/v1.0/gateway/connections/open");
    expect(config.PLATFORM_REPLAY_WINDOW_SECONDS).toBe(300);
    expect(enabledPlatforms(config)).toEqual(["dingtalk"]);
  });
});
