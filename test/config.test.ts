import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, secretsOf } from "../src/config.js";
import { createLogger } from "../src/logger.js";

describe("configuration", () => {
  it("has offline defaults with an empty environment", () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ SEEDS_DIR: "seeds", INDEX_DIR: "index", EMBEDDER: "local", HOST: "127.0.0.1", PORT: 8080, ALLOWED_CHAT_IDS: [] });
    expect(c.TELEGRAM_BOT_TOKEN).toBeUndefined();
  });

  it("names every bad variable and what it expects, in one message, without echoing secrets", () => {
    let error: ConfigError | undefined;
    try {
      loadConfig({ PORT: "eighty", LOG_LEVEL: "loud", ALLOWED_CHAT_IDS: "12,abc", TELEGRAM_BOT_TOKEN: "not-a-token-secretvalue" });
    } catch (err) {
      error = err as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.problems).toHaveLength(4);
    expect(error!.message).toMatch(/PORT="eighty": expected a whole number/);
    expect(error!.message).toMatch(/LOG_LEVEL="loud": expected/);
    expect(error!.message).toMatch(/ALLOWED_CHAT_IDS="12,abc": expected a comma-separated list/);
    expect(error!.message).toMatch(/TELEGRAM_BOT_TOKEN="\[redacted\]"/);
    expect(error!.message).not.toContain("secretvalue");
  });

  it("parses id lists and requires a model when an LLM endpoint is given", () => {
    expect(loadConfig({ ADMIN_IDS: " 1, -100200 " }).ADMIN_IDS).toEqual([1, -100200]);
    expect(() => loadConfig({ LLM_BASE_URL: "http://127.0.0.1:11434/v1" })).toThrow(/LLM_MODEL is unset/);
  });
});

describe("logging", () => {
  it("never writes a secret, whether under a known key or inside a message", () => {
    const lines: string[] = [];
    const sink = new Writable({ write(chunk, _enc, cb) { lines.push(String(chunk)); cb(); } });
    const token = "123456:AAHsecretsecretsecretsecret";
    const config = loadConfig({ TELEGRAM_BOT_TOKEN: token, LLM_API_KEY: "sk-verysecretkey", LLM_MODEL: "m" });
    const log = createLogger({ format: "json", secrets: secretsOf(config), destination: sink });
    log.info({ token, nested: { apiKey: "sk-verysecretkey" } }, `calling https://api.telegram.org/bot${token}/getMe`);
    log.error({ err: new Error(`request to /bot${token}/sendMessage failed`) }, "failed");
    const out = lines.join("");
    expect(out).not.toContain("AAHsecret");
    expect(out).not.toContain("sk-verysecretkey");
    expect(out).toContain("[redacted]");
    expect(JSON.parse(lines[0]!).msg).toBe("calling https://api.telegram.org/bot[redacted]/getMe");
  });
});
