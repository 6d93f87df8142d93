import type { Writable } from "node:stream";
import type { BuildProgress } from "../artifact/build.js";

/**
 * A one-line progress display for an index build on a terminal (rewritten in place, cleared when
 * done); undefined when the stream is not a terminal, so that pipes and logs get no progress noise.
 */
export function terminalProgress(stream: Writable): (BuildProgress & { done(): void }) | undefined {
  if (!(stream as { isTTY?: boolean }).isTTY) return undefined;
  let last = 0;
  let shown = false;
  const started = performance.now();
  const progress = ((done: number, total: number, stage: "tokens" | "vectors") => {
    const now = performance.now();
    if (now - last < 100 && done < total) return;
    last = now;
    shown = true;
    const share = total ? done / total : 1;
    // Tokenising is most of the work; vectors the rest.
    const overall = stage === "tokens" ? share * 0.8 : 0.8 + share * 0.2;
    const bar = "█".repeat(Math.round(overall * 20)).padEnd(20, "░");
    stream.write(`\r\x1b[2Kindex ${bar} ${(overall * 100).toFixed(0).padStart(3)}% ${stage} ${done}/${total} chunks · ${((now - started) / 1000).toFixed(1)} s`);
  }) as BuildProgress & { done(): void };
  progress.done = () => {
    if (shown) stream.write("\r\x1b[2K");
  };
  return progress;
}
