import type { Readable, Writable } from "node:stream";
import type { Config } from "../config.js";
import type { Logger } from "../logger.js";

/** What every command gets: the parsed configuration, a logger and its streams. */
export interface CommandContext {
  config: Config;
  logger: Logger;
  stdout: Writable;
  stderr: Writable;
  stdin: Readable;
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
