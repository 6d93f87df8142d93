import { z } from "zod";

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no", "on", "off", ""])
  .transform((v) => ["true", "1", "yes", "on"].includes(v));
const idList = z
  .string()
  .regex(/^\s*(-?\d+\s*(,\s*-?\d+\s*)*)?$/, "a comma-separated list of numeric Telegram ids, e.g. 12345,-1001234567890")
  .transform((v) => v.split(",").map((s) => s.trim()).filter(Boolean).map(Number));
const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const opt = <T extends z.ZodTypeAny>(schema: T) => z.preprocess(blankToUndefined, schema.optional());
/** An http(s) URL only: file:, ftp: or javascript: URLs would make the SDKs read files or fail oddly. */
const httpUrl = (example: string) => z.url({ protocol: /^https?$/i, message: `an http:// or https:// URL such as ${example}` });
const optionalUrl = httpUrl("https://api.example.com/v1").optional();
/** Plain decimal digits only: Number() would read 0x4650 as hex and 1e3 as a thousand. */
const decimal = (pattern: RegExp) => (v: unknown) => (typeof v === "string" ? (pattern.test(v.trim()) ? Number(v.trim()) : Number.NaN) : v);
/** A whole number in decimal; unset or blank gives the default (so PORT= is 8080, never a random port). */
const int = (min: number, max: number, fallback: number) => {
  const expected = `a whole number from ${min} to ${max} in decimal digits`;
  return z.preprocess(blankToUndefined, z.preprocess(decimal(/^[+-]?\d+$/), z.number({ message: expected }).int(expected).min(min, expected).max(max, expected)).default(fallback));
};

/**
 * Every environment variable policybot reads, with its default. The README's configuration table
 * mirrors this schema.
 */
export const EnvSchema = z.object({
  SEEDS_DIR: z.string().default("seeds"),
  INDEX_DIR: z.string().default("index"),
  DATA_DIR: z.string().default("data"),
  DATABASE_URL: z.preprocess(
    blankToUndefined,
    z.string().regex(/^postgres(ql)?:\/\/\S+$/, "a PostgreSQL URL such as postgres://policybot:secret@127.0.0.1:5432/policybot (unset: SQLite files in DATA_DIR)").optional(),
  ),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  LOG_FORMAT: z.enum(["auto", "pretty", "json"]).default("auto"),

  EMBEDDER: z.enum(["local", "openai"]).default("local"),
  EMBEDDING_BASE_URL: z.preprocess(blankToUndefined, optionalUrl),
  EMBEDDING_MODEL: z.string().default("text-embedding-3-small"),
  EMBEDDING_API_KEY: z.preprocess(blankToUndefined, z.string().optional()),

  LLM_BASE_URL: z.preprocess(blankToUndefined, optionalUrl),
  LLM_MODEL: z.preprocess(blankToUndefined, z.string().optional()),
  LLM_API_KEY: z.preprocess(blankToUndefined, z.string().optional()),
  LLM_TIMEOUT_MS: int(500, 300_000, 20_000),
  LLM_TEMPERATURE: z.preprocess(blankToUndefined, z.preprocess(decimal(/^\d+(\.\d+)?$/), z.number({ message: "a number from 0 to 2" }).min(0, "a number from 0 to 2").max(2, "a number from 0 to 2")).default(0.2)),

  MAX_QUESTION_CHARS: int(20, 10_000, 500),

  TELEGRAM_BOT_TOKEN: z.preprocess(
    blankToUndefined,
    z.string().regex(/^\d+:[A-Za-z0-9_-]{20,}$/, "a bot token from @BotFather, like 123456:ABC-DEF…").optional(),
  ),
  TELEGRAM_API_ROOT: z.preprocess(blankToUndefined, httpUrl("https://api.telegram.org").default("https://api.telegram.org")),
  WEBHOOK_URL: z.preprocess(blankToUndefined, httpUrl("https://bot.example.com/telegram (one Telegram can reach)").optional()),
  WEBHOOK_SECRET: z.preprocess(
    blankToUndefined,
    z.string().regex(/^[A-Za-z0-9_-]{1,256}$/, "1–256 characters of A–Z, a–z, 0–9, _ and -").optional(),
  ),
  WEBHOOK_PORT: int(1, 65_535, 8443),
  ALLOWED_CHAT_IDS: idList.default([]),
  ADMIN_IDS: idList.default([]),
  USER_RATE_LIMIT: int(1, 10_000, 20),
  QUIZ_ROUND_SECONDS: int(5, 3_600, 30),

  HOST: z.string().min(1).default("127.0.0.1"),
  PORT: int(0, 65_535, 8080),
  API_TOKEN: z.preprocess(blankToUndefined, z.string().min(8, "at least 8 characters").optional()),
  WEB: z.enum(["auto", "on", "off"]).default("auto"),
  API_RATE_LIMIT: int(1, 100_000, 120),
  TRUST_PROXY: bool.default(false),

  // DingTalk, WeCom and Feishu callbacks share one server (see src/channels/platform/).
  PLATFORM_HOST: z.string().min(1).default("127.0.0.1"),
  PLATFORM_PORT: int(0, 65_535, 8090),
  DINGTALK_APP_SECRET: opt(z.string().min(8, "the robot's AppSecret from the DingTalk developer console")),
  DINGTALK_API_BASE: z.preprocess(blankToUndefined, httpUrl("https://oapi.dingtalk.com").default("https://oapi.dingtalk.com")),
  // Stream mode: the robot opens a WebSocket to DingTalk, so no public callback URL is needed.
  DINGTALK_MODE: z.enum(["callback", "stream"]).default("callback"),
  DINGTALK_CLIENT_ID: opt(z.string().min(4, "the app's AppKey (Client ID) from the DingTalk developer console")),
  DINGTALK_STREAM_GATEWAY: z.preprocess(blankToUndefined, httpUrl("https://api.dingtalk.com/v1.0/gateway/connections/open").default("https://api.dingtalk.com/v1.0/gateway/connections/open")),
  /** Callbacks (DingTalk, WeCom, Feishu) whose timestamp is further than this from now are refused, even signed. */
  PLATFORM_REPLAY_WINDOW_SECONDS: int(10, 86_400, 300),
  WECOM_CORP_ID: opt(z.string().regex(/^[A-Za-z0-9_-]{4,64}$/, "the corp id (ww…) from WeCom's admin console")),
  WECOM_AGENT_ID: opt(z.string().regex(/^\d{1,12}$/, "the app's AgentId (digits)")),
  WECOM_SECRET: opt(z.string().min(8, "the app's Secret")),
  WECOM_TOKEN: opt(z.string().regex(/^[A-Za-z0-9]{1,32}$/, "the callback Token: 1–32 letters and digits")),
  WECOM_ENCODING_AES_KEY: opt(z.string().regex(/^[A-Za-z0-9]{43}$/, "the callback EncodingAESKey: 43 letters and digits")),
  WECOM_API_BASE: z.preprocess(blankToUndefined, httpUrl("https://qyapi.weixin.qq.com").default("https://qyapi.weixin.qq.com")),
  FEISHU_APP_ID: opt(z.string().regex(/^cli_[A-Za-z0-9]+$/, "the App ID (cli_…) from the Feishu developer console")),
  FEISHU_APP_SECRET: opt(z.string().min(8, "the App Secret")),
  FEISHU_VERIFICATION_TOKEN: opt(z.string().min(8, "the event subscription Verification Token")),
  FEISHU_ENCRYPT_KEY: opt(z.string().min(1)),
  FEISHU_API_BASE: z.preprocess(blankToUndefined, httpUrl("https://open.feishu.cn").default("https://open.feishu.cn")),
});

/** Parsed configuration: one object, made once in main and passed down. */
export type Config = z.infer<typeof EnvSchema>;

/** The environment has invalid values; the message names every one and what it expects. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(readonly problems: string[]) {
    super(`config: invalid environment:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

/**
 * Reads the configuration from an environment (process.env by default).
 * @example const config = loadConfig(); // throws ConfigError naming every bad variable
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const known = Object.fromEntries(Object.keys(EnvSchema.shape).map((k) => [k, env[k]]));
  const result = EnvSchema.safeParse(known);
  if (!result.success) {
    const problems = result.error.issues.map((i) => {
      const name = String(i.path[0] ?? "environment");
      return `${name}=${JSON.stringify(redactValue(name, env[name]))}: expected ${i.message}`;
    });
    throw new ConfigError(problems);
  }
  const config = result.data;
  const cross: string[] = [];
  if (config.EMBEDDER === "openai" && !config.EMBEDDING_BASE_URL && !config.EMBEDDING_API_KEY) {
    cross.push("EMBEDDER=openai: expected EMBEDDING_BASE_URL or EMBEDDING_API_KEY to be set as well");
  }
  if ((config.LLM_BASE_URL || config.LLM_API_KEY) && !config.LLM_MODEL) {
    cross.push("LLM_MODEL is unset: expected a model name (e.g. gpt-4o-mini, deepseek-chat, qwen-plus) when LLM_BASE_URL or LLM_API_KEY is set");
  }
  if (config.WEBHOOK_URL && !config.WEBHOOK_SECRET) {
    cross.push("WEBHOOK_SECRET is unset: expected a secret (A–Z, a–z, 0–9, _ and -) when WEBHOOK_URL is set, so that only Telegram can post updates");
  }
  const wecom = ["WECOM_CORP_ID", "WECOM_AGENT_ID", "WECOM_SECRET", "WECOM_TOKEN", "WECOM_ENCODING_AES_KEY"] as const;
  if (wecom.some((k) => config[k]) && !wecom.every((k) => config[k])) cross.push(`WeCom needs all of ${wecom.join(", ")}; missing: ${wecom.filter((k) => !config[k]).join(", ")}`);
  const feishu = ["FEISHU_APP_ID", "FEISHU_APP_SECRET", "FEISHU_VERIFICATION_TOKEN"] as const;
  if (feishu.some((k) => config[k]) && !feishu.every((k) => config[k])) cross.push(`Feishu needs all of ${feishu.join(", ")} (FEISHU_ENCRYPT_KEY is optional); missing: ${feishu.filter((k) => !config[k]).join(", ")}`);
  if (config.DINGTALK_MODE === "stream" && !(config.DINGTALK_CLIENT_ID && config.DINGTALK_APP_SECRET)) cross.push("DINGTALK_MODE=stream: expected DINGTALK_CLIENT_ID (AppKey) and DINGTALK_APP_SECRET (AppSecret) to be set");
  if (cross.length) throw new ConfigError(cross);
  return config;
}

/** Whether an LLM endpoint is configured (a model plus a base URL or key). */
export function llmEnabled(config: Config): boolean {
  return Boolean(config.LLM_MODEL && (config.LLM_BASE_URL || config.LLM_API_KEY));
}

/** The configured secret values, for log scrubbing. */
export function secretsOf(config: Config): string[] {
  const dbPassword = config.DATABASE_URL ? safeUrl(config.DATABASE_URL)?.password : undefined;
  return [config.TELEGRAM_BOT_TOKEN, config.LLM_API_KEY, config.EMBEDDING_API_KEY, config.API_TOKEN, config.WEBHOOK_SECRET, config.DINGTALK_APP_SECRET, config.WECOM_SECRET, config.WECOM_TOKEN, config.WECOM_ENCODING_AES_KEY, config.FEISHU_APP_SECRET, config.FEISHU_VERIFICATION_TOKEN, config.FEISHU_ENCRYPT_KEY, dbPassword && decodeURIComponent(dbPassword)]
    .filter((s): s is string => typeof s === "string" && s.length >= 6);
}

function redactValue(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (name === "DATABASE_URL") return value.replace(/\/\/([^:/@]*):[^@]*@/, "//$1:[redacted]@");
  return /TOKEN|KEY|SECRET/.test(name) ? "[redacted]" : value;
}

function safeUrl(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/** What the terminal's environment says about output: the locale (POSIX order LC_ALL, LC_MESSAGES, LANG) and colour. */
export interface TerminalEnv {
  locale: string;
  /** NO_COLOR set (https://no-color.org): never colour. */
  noColor: boolean;
  /** FORCE_COLOR set to anything but 0: colour even when piped. */
  forceColor: boolean;
}

/**
 * Reads the terminal preferences, apart from loadConfig so that `policybot help` can use them
 * before (or without) a valid configuration.
 * @example terminalEnv({ LANG: "en_US.UTF-8" }).locale // "en_US.UTF-8"
 */
export function terminalEnv(env: Record<string, string | undefined> = process.env): TerminalEnv {
  return {
    locale: env.LC_ALL || env.LC_MESSAGES || env.LANG || "",
    noColor: Boolean(env.NO_COLOR),
    forceColor: Boolean(env.FORCE_COLOR) && env.FORCE_COLOR !== "0",
  };
}
