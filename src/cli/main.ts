import { ConfigError, loadConfig, secretsOf } from "../config.js";
import { createLogger } from "../logger.js";
import { PlanParseError } from "../plan/errors.js";
import { StorageError } from "../storage/errors.js";
import { UsageError } from "./args.js";
import { type Command, type CommandContext, println } from "./context.js";
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
  { name: "backup", load: async () => (await import("./commands/backup.js")).backupCommand },
  { name: "restore", load: async () => (await import("./commands/backup.js")).restoreCommand },
  { name: "eval", load: async () => (await import("./commands/eval.js")).evalCommand },
];

async function help(): Promise<string> {
  const commands = await Promise.all(registry.map((r) => r.load()));
  const width = Math.max(...commands.map((c) => c.usage.length));
  return [
    "policybot: answers questions about policy plans, citing the plan's own numbered units.",
    "",
    "Usage:",
    ...commands.map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`),
    "",
    "Configuration comes from environment variables; see README.md.",
  ].join("\n");
}

/**
 * Runs one command line and returns the process exit code.
 * @example await main(["units", "--json"]);
 */
export async function main(argv: string[], io: Partial<Pick<CommandContext, "stdout" | "stderr" | "stdin">> = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const stdin = io.stdin ?? process.stdin;
  const [name = "help", ...rest] = argv;
  if (name === "help" || name === "--help" || name === "-h") {
    println(stdout, await help());
    return 0;
  }
  const entry = registry.find((c) => c.name === name);
  if (!entry) {
    println(stderr, `policybot: unknown command "${name}".\n\n${await help()}`);
    return 2;
  }
  const command = await entry.load();
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      println(stderr, err.message);
      return 78;
    }
    throw err;
  }
  const logger = createLogger({ level: config.LOG_LEVEL, format: config.LOG_FORMAT, secrets: secretsOf(config) });
  try {
    return await command.run(rest, { config, logger, stdout, stderr, stdin });
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
    println(stderr, `policybot ${name}: ${(err as Error).message}`);
    return 1;
  }
}
