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

  it("reads ports and counts as decimal digits only; a blank value is the default, never a random port", () => {
    expect(loadConfig({ PORT: "" }).PORT).toBe(8080);
    expect(loadConfig({ PORT: "  " }).PORT).toBe(8080);
    expect(loadConfig({ PORT: "8081" }).PORT).toBe(8081);
    expect(loadConfig({ PORT: "0" }).PORT).toBe(0); // explicit 0: a free port, as tests use
    for (const bad of ["0x4650", "1e3", "80.5", "0b101", "eighty", "65536", "-1"]) {
      expect(() => loadConfig({ PORT: bad }), bad).toThrow(/PORT=.*expected a whole number from 0 to 65535 in decimal digits/);
    }
    expect(() => loadConfig({ WEBHOOK_PORT: "0x20FB" })).toThrow(/WEBHOOK_PORT/);
    expect(() => loadConfig({ USER_RATE_LIMIT: "1e2" })).toThrow(/USER_RATE_LIMIT/);
    expect(loadConfig({ LLM_TEMPERATURE: "0.7" }).LLM_TEMPERATURE).toBe(0.7);
    expect(() => loadConfig({ LLM_TEMPERATURE: "0x1" })).toThrow(/LLM_TEMPERATURE/);
  });

  it("accepts only http(s) URLs", () => {
    expect(loadConfig({ LLM_BASE_URL: "http://127.0.0.1:11434/v1", LLM_MODEL: "m" }).LLM_BASE_URL).toBe("http://127.0.0.1:11434/v1");
    for (const name of ["LLM_BASE_URL", "EMBEDDING_BASE_URL", "TELEGRAM_API_ROOT", "WEBHOOK_URL"]) {
      for (const bad of ["file:///etc/passwd", "ftp://example.com/v1", "javascript:alert(1)", "data:text/plain,hi"]) {
        expect(() => loadConfig({ [name]: bad, LLM_MODEL: "m", WEBHOOK_SECRET: "s" }), `${name}=${bad}`).toThrow(new RegExp(`${name}=.*expected an http:// or https:// URL`));
      }
    }
    expect(loadConfig({ TELEGRAM_API_ROOT: "" }).TELEGRAM_API_ROOT).toBe("https://api.telegram.org");
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
