import { createInterface } from "node:readline";
import { z } from "zod";
import { answerGrade, answerJson } from "../../answer/json.js";
import { langOf, messages, type Messages } from "../../answer/messages.js";
import { AnswerInputError, HistoryTurn, type AnswerResult } from "../../answer/types.js";
import { validateQuestion } from "../../answer/engine.js";
import { parseCommandArgs, UsageError } from "../args.js";
import { type Command, type CommandContext, println } from "../context.js";
import { openEngine } from "../engine.js";
import { plain, type Colors } from "../style.js";
import { openKnowledgeBase } from "../../knowledge.js";
import { choosePlan } from "../plans.js";
import { citationTag } from "../../answer/plans.js";

const squash = (s: string) => s.replace(/\s+/g, "");

/**
 * Readable text for a terminal: a label when the answer is uncertain or declined, the answer, then
 * each citation; a quote the answer already shows in full is not printed a second time.
 */
export function formatForTerminal(r: AnswerResult, m: Messages = messages(langOf(r.question)), c: Colors = plain): string {
  const grade = answerGrade(r);
  const lines: string[] = [];
  if (grade !== "answered") lines.push(c.yellow(`【${grade === "closest" ? m.gradeClosest : m.gradeDeclined}】`));
  // Citation markers stand out so that the eye finds the source of each sentence.
  lines.push(r.answer.replace(/〔[^〕]{1,40}〕/g, (x) => c.cyan(x)));
  if (r.citations.length) {
    const shown = squash(r.answer);
    lines.push("", c.bold(m.citations));
    const seen = new Set<string>();
    for (const cit of r.citations) {
      const key = `${cit.doc}\u0000${cit.ref}\u0000${cit.quote}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const repeated = !cit.quote || cit.quote === cit.heading || shown.includes(squash(cit.quote));
      lines.push(`  ${c.cyan(citationTag(cit))}${cit.heading}${repeated ? "" : `\n     ${c.dim(`“${cit.quote}”`)}`}`);
    }
  }
  return lines.join("\n");
}

/** Which fields of a line are missing or of the wrong type, in the user's language (zod's own words are English). */
function describeIssues(raw: unknown, issues: readonly z.core.$ZodIssue[], m: Messages): string {
  const at = (path: readonly PropertyKey[]) => path.reduce<unknown>((v, k) => (v !== null && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[k] : undefined), raw);
  return [...new Set(issues.map((i) => {
    const field = i.path.map(String).join(".") || (m === messages("en") ? "the line" : "整行");
    return at(i.path) === undefined ? m.jsonlMissing(field) : m.jsonlWrongType(field);
  }))].join(m === messages("en") ? "; " : "；");
}

const JsonlLine = z.object({ id: z.unknown().optional(), q: z.string(), history: z.array(HistoryTurn).optional(), doc: z.string().optional() });

/** `policybot ask "<question>" [--json] | --jsonl`. */
export const askCommand: Command = {
  name: "ask",
  usage: 'policybot ask "<question>" [--doc PLAN] [--json] | --jsonl',
  summary: "answer a question with citations; --doc answers from one plan; --jsonl answers JSON lines from stdin",
  async run(argv, ctx) {
    const { values, positionals } = parseCommandArgs("ask", argv, { json: { type: "boolean" }, jsonl: { type: "boolean" }, doc: { type: "string" } }, ctx.m);
    if (values.jsonl) return runJsonl(ctx, values.doc);
    const question = positionals.join(" ");
    if (!question.trim()) throw new UsageError(ctx.m.cliNeedQuestion("ask"));
    // An English question is answered and labelled in English unless --lang says otherwise.
    const m = ctx.langExplicit ? ctx.m : messages(langOf(question));
    const kb = await openKnowledgeBase({ config: ctx.config, logger: ctx.logger });
    const doc = choosePlan("ask", kb.docs, values.doc, kb.catalog);
    const engine = await openEngine(ctx, kb);
    try {
      const r = await engine.answer({ question, doc });
      println(ctx.stdout, values.json ? JSON.stringify(answerJson(r), null, 2) : formatForTerminal(r, m, ctx.c));
      return 0;
    } catch (err) {
      if (err instanceof AnswerInputError) throw new UsageError(`policybot ask: ${err.message}`);
      throw err;
    }
  },
};

async function runJsonl(ctx: CommandContext, docOption?: string): Promise<number> {
  const kb = await openKnowledgeBase({ config: ctx.config, logger: ctx.logger });
  const fallbackDoc = choosePlan("ask", kb.docs, docOption, kb.catalog);
  const engine = await openEngine(ctx, kb);
  const rl = createInterface({ input: ctx.stdin, crlfDelay: Infinity });
  let lineNo = 0;
  let failures = 0;
  // Per-line errors in the user's language (--lang, else the locale); a question's own problem follows
  // the question's language unless --lang says otherwise, as for a single ask.
  const m = ctx.m;
  for await (const line of rl) {
    lineNo++;
    if (!line.trim()) continue;
    let id: unknown = null;
    try {
      let raw: unknown;
      try {
        raw = JSON.parse(line);
      } catch {
        throw new AnswerInputError(m.jsonlNotJson(lineNo));
      }
      const parsed = JsonlLine.safeParse(raw);
      id = (raw as { id?: unknown })?.id ?? null;
      if (!parsed.success) throw new AnswerInputError(m.jsonlBadLine(lineNo, describeIssues(raw, parsed.error.issues, m)));
      let doc = fallbackDoc;
      if (parsed.data.doc !== undefined) {
        try {
          doc = kb.catalog.resolve(parsed.data.doc).id;
        } catch (err) {
          throw new AnswerInputError(m.jsonlBadDoc(lineNo, (err as Error).message));
        }
      }
      const q = parsed.data.q;
      try {
        validateQuestion(q, ctx.config.MAX_QUESTION_CHARS, ctx.langExplicit || !q.trim() ? ctx.lang : undefined);
      } catch (err) {
        if (err instanceof AnswerInputError) throw new AnswerInputError(m.jsonlLine(lineNo, err.message));
        throw err;
      }
      const r = await engine.answer({ question: q, history: parsed.data.history, doc });
      println(ctx.stdout, JSON.stringify({ id, ...answerJson(r) }));
    } catch (err) {
      failures++;
      const message = err instanceof AnswerInputError ? err.message : m.jsonlInternal(lineNo);
      if (!(err instanceof AnswerInputError)) ctx.logger.error({ err, line: lineNo }, "ask --jsonl: failed to answer");
      println(ctx.stdout, JSON.stringify({ id, error: message }));
    }
  }
  return failures > 0 ? 1 : 0;
}
