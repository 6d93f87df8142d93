/** A document could not be read or parsed. The message names the file (and the line where it helps). */
export class PlanParseError extends Error {
  override readonly name = "PlanParseError";
  constructor(
    readonly file: string,
    readonly reason: string,
    readonly line?: number,
    options?: { cause?: unknown },
  ) {
    super(`plan: ${file}${line ? `:${line}` : ""}: ${reason}`, options);
  }
}
