import { createRequire } from "node:module";
import { pino, type Logger } from "pino";
import type PinoPretty from "pino-pretty";

// pino-pretty is only needed on a terminal; loading it lazily keeps one-shot commands quick.
const requireCjs = createRequire(import.meta.url);

export type { Logger } from "pino";

/** Options for {@link createLogger}. */
export interface LoggerOptions {
  level?: string;
  /** auto: human-readable when stderr is a terminal, JSON otherwise. */
  format?: "auto" | "pretty" | "json";
  /** Secret values (tokens, keys) scrubbed from every log line, wherever they appear. */
  secrets?: string[];
  /** Where lines go; stderr by default so that command output on stdout stays clean. */
  destination?: NodeJS.WritableStream;
}

/** Field names that are always redacted, at the top level and one level down. */
const REDACT_KEYS = ["token", "apiKey", "api_key", "authorization", "password", "secret", "botToken", "TELEGRAM_BOT_TOKEN", "LLM_API_KEY", "EMBEDDING_API_KEY", "API_TOKEN", "WEBHOOK_SECRET"];

/**
 * Creates the process logger: structured pino with secrets redacted by key and by value.
 * @example const log = createLogger({ level: "info", secrets: secretsOf(config) });
 */
export function createLogger(opts: LoggerOptions = {}): Logger {
  const secrets = (opts.secrets ?? []).filter((s) => s.length >= 6);
  const scrub = (line: string) => scrubSecrets(line, secrets);
  const dest = opts.destination ?? process.stderr;
  const usePretty = opts.format === "pretty" || (opts.format !== "json" && (dest as { isTTY?: boolean }).isTTY === true);
  const options: pino.LoggerOptions = {
    level: opts.level ?? "info",
    redact: { paths: REDACT_KEYS.flatMap((k) => [k, `*.${k}`, `headers.${k}`]), censor: "[redacted]" },
    base: undefined,
    serializers: { err: pino.stdSerializers.err },
    hooks: {
      streamWrite: secrets.length ? scrub : undefined,
    },
  };
  if (usePretty) {
    const pretty = requireCjs("pino-pretty") as typeof PinoPretty;
    return pino(options, pretty({ colorize: true, destination: 2, translateTime: "SYS:HH:MM:ss", ignore: "pid,hostname" }));
  }
  return pino(options, dest as pino.DestinationStream);
}

/** Scrubs known secret values from a string (for error messages shown to users). */
export function scrubSecrets(text: string, secrets: string[]): string {
  return secrets.filter((s) => s.length >= 6).reduce((acc, s) => acc.split(s).join("[redacted]"), text);
}
