import { parseArgs, type ParseArgsConfig } from "node:util";

/** A command-line usage problem; the message says what to type instead. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** parseArgs that turns Node's errors into a UsageError naming the command. */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig["options"]>>(command: string, argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(`policybot ${command}: ${(err as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, "")}. See \`policybot help\`.`);
  }
}
