/** Terminal colours (picocolors): on for a terminal, off when piped or NO_COLOR is set, forced by FORCE_COLOR. */
import pc from "picocolors";
import type { Writable } from "node:stream";
import type { TerminalEnv } from "../config.js";

/** The colour functions a command uses; identity functions when colour is off. */
export type Colors = ReturnType<typeof pc.createColors>;

/** Colours for a stream, following the terminal's preferences. */
export function colors(stream: Writable, env: Pick<TerminalEnv, "noColor" | "forceColor">): Colors {
  const tty = Boolean((stream as { isTTY?: boolean }).isTTY);
  return pc.createColors(!env.noColor && (env.forceColor || tty));
}

/** No colour at all (formatting for files, tests and pipes). */
export const plain: Colors = pc.createColors(false);
