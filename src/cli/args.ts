import { parseArgs, type ParseArgsConfig } from "node:util";
import { messages, type Messages } from "../answer/messages.js";

/** A command-line usage problem; the message says what to type instead. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** Node's parseArgs messages, said in the user's language. */
function explain(message: string, m: Messages): string {
  const text = message.replace(/^TypeError \[[A-Z_]+\]: /, "");
  const unknown = /^Unknown option '([^']+)'/.exec(text);
  if (unknown) return m.unknownOption(unknown[1]!);
  const missing = /^Option '(-\S+)(?: <value>)?' argument missing/.exec(text) ?? /^Option '([^']+)' argument missing/.exec(text);
  if (missing) return m.missingValue(missing[1]!.replace(/ <value>$/, ""));
  const noValue = /^Option '([^']+)' does not take an argument/.exec(text);
  if (noValue) return m.noValue(noValue[1]!);
  return text;
}

/** parseArgs that turns Node's errors into a UsageError naming the command, in the user's language. */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig["options"]>>(command: string, argv: string[], options: T, m: Messages = messages()) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(m.cliBadArgs(command, explain((err as Error).message, m)));
  }
}

/**
 * Takes `--lang zh|en` (or `--lang=en`) out of a command line, wherever it is.
 * @example takeLang(["ask", "--lang", "en", "hi"]) // { lang: "en", rest: ["ask", "hi"] }
 */
export function takeLang(argv: string[]): { lang?: string; rest: string[] } {
  const rest: string[] = [];
  let lang: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--") {
      rest.push(...argv.slice(i));
      break;
    }
    if (a === "--lang") lang = argv[++i] ?? "";
    else if (a.startsWith("--lang=")) lang = a.slice(7);
    else rest.push(a);
  }
  return { lang, rest };
}
