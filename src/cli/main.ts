import { messages, parseLang, type Lang, type Messages } from "../answer/messages.js";
import { ConfigError, loadConfig, secretsOf, terminalEnv } from "../config.js";
import { createLogger } from "../logger.js";
import { PlanParseError } from "../plan/errors.js";
import { StorageError } from "../storage/errors.js";
import { takeLang, UsageError } from "./args.js";
import { type Command, type CommandContext, println } from "./context.js";
import { colors, type Colors } from "./style.js";
/**
 * Each command's module is loaded only when it runs, so that `policybot ask` does not pay for the
 * Telegram and web stacks at start-up.
 */
const registry: Array<{ name: string; load: () => Promise<Command> }> = [
  { name: "start", load: async () => (await import("./commands/start.js")).startCommand },
  { name: "ask", load: async () => (await import("./commands/ask.js")).askCommand },
  { name: "chat", load: async () => (await import("./commands/chat.js")).chatCommand },
  { name: "search", load: async () => (await import("./commands/search.js")).searchCommand },
  { name: "plans", load: async () => (await import("./commands/plans.js")).plansCommand },
  { name: "units", load: async () => (await import("./commands/units.js")).unitsCommand },
  { name: "targets", load: async () => (await import("./commands/quiz.js")).targetsCommand },
  { name: "quiz", load: async () => (await import("./commands/quiz.js")).quizCommand },
  { name: "feedback", load: async () => (await import("./commands/feedback.js")).feedbackCommand },
  { name: "index", load: async () => (await import("./commands/index.js")).indexCommand },
  { name: "migrate", load: async () => (await import("./commands/migrate.js")).migrateCommand },
  { name: "backup", load: async () => (await import("./commands/backup.js")).backupCommand },
  { name: "restore", load: async () => (await import("./commands/backup.js")).restoreCommand },
  { name: "eval", load: async () => (await import("./commands/eval.js")).evalCommand },
];

/** The help text, from the catalogue; usage lines come from the commands (placeholders translated in Chinese). */
async function help(m: Messages, c: Colors): Promise<string> {
  const commands = await Promise.all(registry.map((r) => r.load()));
  const rows = commands.map((cmd) => ({ usage: m.usage[cmd.name] ?? cmd.usage, summary: m.summary[cmd.name] ?? cmd.summary }));
  return [
    c.bold(m.cliTagline),
    "",
    m.cliUsage,
    // Usage and summary on two lines: usage lines are long, and a terminal is often narrow.
    ...rows.map((r) => `  ${c.cyan(r.usage)}\n      ${r.summary}`),
    "",
    c.dim(m.cliFooter),
  ].join("\n");
}

/**
 * Runs one command line and returns the process exit code. `--lang zh|en` anywhere on the line, else
 * LANG / LC_ALL, picks the language of help and messages (Chinese by default).
 * @example await main(["units", "--json"]);
 */
export async function main(argv: string[], io: Partial<Pick<CommandContext, "stdout" | "stderr" | "stdin">> & { env?: Record<string, string | undefined> } = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const stdin = io.stdin ?? process.stdin;
  const term = terminalEnv(io.env);
  const taken = takeLang(argv);
  const explicit = parseLang(taken.lang);
  const lang: Lang = explicit ?? parseLang(term.locale) ?? "zh";
  const m = messages(lang);
  const c = colors(stdout, term);
  if (taken.lang !== undefined && !explicit) {
    println(stderr, m.cliBadArgs("--lang", `${taken.lang || "''"} → zh | en`));
    return 2;
  }
  const [name = "help", ...rest] = taken.rest;
  if (name === "help" || name === "--help" || name === "-h") {
    println(stdout, await help(m, c));
    return 0;
  }
  const entry = registry.find((cmd) => cmd.name === name);
  if (!entry) {
    println(stderr, `${m.cliUnknownCommand(name)}\n\n${await help(m, colors(stderr, term))}`);
    return 2;
  }
  const command = await entry.load();
  let config;
  try {
    config = loadConfig(io.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      println(stderr, m.cliConfig(err.message));
      return 78;
    }
    throw err;
  }
  const logger = createLogger({ level: config.LOG_LEVEL, format: config.LOG_FORMAT, secrets: secretsOf(config) });
  try {
    return await command.run(rest, { config, logger, stdout, stderr, stdin, lang, m, c, langExplicit: Boolean(explicit) });
  } catch (err) {
    if (err instanceof UsageError || err instanceof PlanParseError) {
      println(stderr, err.message);
      return 2;
    }
    if (err instanceof StorageError) {
      // The message names the file and the fix; a stack trace would add nothing.
      println(stderr, `policybot ${name}: ${err.message}`);
      return 1;
    }
    logger.error({ err }, `policybot ${name} failed`);
    println(stderr, m.cliFailed(name, (err as Error).message));
    return 1;
  }
}
