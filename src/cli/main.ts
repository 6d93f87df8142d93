import { ConfigError, loadConfig, secretsOf } from "../config.js";
import { createLogger } from "../logger.js";
import { PlanParseError } from "../plan/errors.js";
import { UsageError } from "./args.js";
import { type Command, type CommandContext, println } from "./context.js";
import { askCommand } from "./commands/ask.js";
import { chatCommand } from "./commands/chat.js";
import { evalCommand } from "./commands/eval.js";
import { feedbackCommand } from "./commands/feedback.js";
import { indexCommand } from "./commands/index.js";
import { quizCommand, targetsCommand } from "./commands/quiz.js";
import { searchCommand } from "./commands/search.js";
import { startCommand } from "./commands/start.js";
import { unitsCommand } from "./commands/units.js";

const commands: Command[] = [startCommand, askCommand, chatCommand, searchCommand, unitsCommand, targetsCommand, quizCommand, feedbackCommand, indexCommand, evalCommand];

function help(): string {
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
    println(stdout, help());
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    println(stderr, `policybot: unknown command "${name}".\n\n${help()}`);
    return 2;
  }
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
    logger.error({ err }, `policybot ${name} failed`);
    println(stderr, `policybot ${name}: ${(err as Error).message}`);
    return 1;
  }
}
