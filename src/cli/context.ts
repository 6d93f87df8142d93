import type { Readable, Writable } from "node:stream";
import { messages, type Lang, type Messages } from "../answer/messages.js";
import type { Config } from "../config.js";
import type { Logger } from "../logger.js";
import { colors, type Colors } from "./style.js";

/** What every command gets: the parsed configuration, a logger, its streams, and the user's language and colours. */
export interface CommandContext {
  config: Config;
  logger: Logger;
  stdout: Writable;
  stderr: Writable;
  stdin: Readable;
  /** From --lang, else the locale; a command may follow the language of a question instead. */
  lang: Lang;
  m: Messages;
  /** True when --lang was given: then it wins over the language of a question. */
  langExplicit?: boolean;
  /** Colours for stdout (plain when piped or NO_COLOR is set). */
  c: Colors;
}

/** One `policybot <name>` command. */
export interface Command {
  name: string;
  usage: string;
  summary: string;
  run(argv: string[], ctx: CommandContext): Promise<number>;
}

/** Writes a line to a stream. */
export function println(stream: Writable, text = ""): void {
  stream.write(`${text}\n`);
}

/** A context for a given language (tests, or a command answering an English question). */
export function withLang<T extends Pick<CommandContext, "lang" | "m">>(ctx: T, lang: Lang): T {
  return { ...ctx, lang, m: messages(lang) };
}

export { colors };
