import { createInterface } from "node:readline";
import { z } from "zod";
import { answerJson as toJson } from "../../answer/json.js";
import { AnswerInputError, HistoryTurn, type AnswerResult } from "../../answer/types.js";
import { parseCommandArgs, UsageError } from "../args.js";
import { type Command, type CommandContext, println } from "../context.js";
import { openEngine } from "../engine.js";


/** Readable text for a terminal: the answer, then each citation with its quote. */
export function formatForTerminal(r: AnswerResult): string {
  const lines = [r.answer];
  if (r.citations.length) {
    lines.push("", "引用 / Citations:");
    for (const c of r.citations) lines.push(`  〔${c.label}〕${c.heading}\n     “${c.quote}”`);
  }
  return lines.join("\n");
}

const JsonlLine = z.object({ id: z.unknown().optional(), q: z.string(), history: z.array(HistoryTurn).optional() });

/** `policybot ask "<question>" [--json] | --jsonl`. */
export const askCommand: Command = {
  name: "ask",
  usage: 'policybot ask "<question>" [--json] | --jsonl',
  summary: "answer a question with citations; --jsonl answers JSON lines from stdin",
  async run(argv, ctx) {
    const { values, positionals } = parseCommandArgs("ask", argv, { json: { type: "boolean" }, jsonl: { type: "boolean" } });
    if (values.jsonl) return runJsonl(ctx);
    const question = positionals.join(" ");
    if (!question.trim()) throw new UsageError('policybot ask: give a question, e.g. policybot ask "今年高标准农田要建多少？"');
    const engine = await openEngine(ctx);
    try {
      const r = await engine.answer({ question });
      println(ctx.stdout, values.json ? JSON.stringify(toJson(r), null, 2) : formatForTerminal(r));
      return 0;
    } catch (err) {
      if (err instanceof AnswerInputError) throw new UsageError(`policybot ask: ${err.message}`);
      throw err;
    }
  },
};

async function runJsonl(ctx: CommandContext): Promise<number> {
  const engine = await openEngine(ctx);
  const rl = createInterface({ input: ctx.stdin, crlfDelay: Infinity });
  let lineNo = 0;
  let failures = 0;
  for await (const line of rl) {
    lineNo++;
    if (!line.trim()) continue;
    let id: unknown = null;
    try {
      let raw: unknown;
      try {
        raw = JSON.parse(line);
      } catch {
        throw new AnswerInputError(`line ${lineNo} is not valid JSON`);
      }
      const parsed = JsonlLine.safeParse(raw);
      id = (raw as { id?: unknown })?.id ?? null;
      if (!parsed.success) throw new AnswerInputError(`line ${lineNo}: ${parsed.error.issues.map((i) => `${i.path.join(".") || "line"}: ${i.message}`).join("; ")}`);
      const r = await engine.answer({ question: parsed.data.q, history: parsed.data.history });
      println(ctx.stdout, JSON.stringify({ id, ...toJson(r) }));
    } catch (err) {
      failures++;
      const message = err instanceof AnswerInputError ? err.message : "internal error while answering";
      if (!(err instanceof AnswerInputError)) ctx.logger.error({ err, line: lineNo }, "ask --jsonl: failed to answer");
      println(ctx.stdout, JSON.stringify({ id, error: message }));
    }
  }
  return failures > 0 ? 1 : 0;
}
