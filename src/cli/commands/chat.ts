import { createInterface } from "node:readline";
import type { AnswerEngine } from "../../answer/engine.js";
import { AnswerInputError, type HistoryTurn } from "../../answer/types.js";
import { langOf, messages, type Messages } from "../../answer/messages.js";
import { openKnowledgeBase, type KnowledgeBase } from "../../knowledge.js";
import { findUnit } from "../../plan/lookup.js";
import { parseCommandArgs } from "../args.js";
import { type Command, type CommandContext, println } from "../context.js";
import { openEngine } from "../engine.js";
import { plain, type Colors } from "../style.js";
import { formatForTerminal } from "./ask.js";

/**
 * Full text of a unit by kind and number (/task 5, /section 三, /part 第二部分), followed by the units
 * under it (a section's tasks with their text; a part's sections by heading, since a part holds most of a plan).
 */
export function unitCommandText(kb: KnowledgeBase, kind: "task" | "section" | "part", arg: string, m: Messages = messages(), c: Colors = plain): string {
  const all = kb.docs.flatMap((d) => d.units);
  const found = findUnit(all, kind, arg);
  if ("error" in found) return found.error;
  const { unit } = found;
  const lines = [c.bold(`${c.cyan(`〔${unit.label}〕`)}${unit.heading}`), c.dim(unit.path)];
  if (unit.text.trim() && unit.text.trim() !== unit.heading) lines.push("", unit.text);
  const children = unit.children.map((ref) => all.find((u) => u.doc === unit.doc && u.ref === ref)).filter((u) => u !== undefined);
  if (children.length) {
    lines.push("", c.bold(m.tasksUnder));
    for (const child of children) {
      if (kind === "part") lines.push(`  ${c.cyan(`〔${child.label}〕`)}${child.heading}`);
      else lines.push("", `${c.cyan(`〔${child.label}〕`)}${child.text || child.heading}`);
    }
  }
  return lines.join("\n");
}

/** `policybot chat`: an interactive terminal chat with history. */
export const chatCommand: Command = {
  name: "chat",
  usage: "policybot chat",
  summary: "interactive terminal chat with follow-ups, /task N and /help",
  async run(argv, ctx) {
    parseCommandArgs("chat", argv, {}, ctx.m);
    const kb = await openKnowledgeBase({ config: ctx.config, logger: ctx.logger });
    const engine = await openEngine(ctx, kb);
    return runChat(ctx, kb, engine);
  },
};

/** The chat loop; returns when input ends, on /quit or on Ctrl-C. */
export async function runChat(ctx: CommandContext, kb: KnowledgeBase, engine: AnswerEngine): Promise<number> {
  const interactive = Boolean((ctx.stdin as { isTTY?: boolean }).isTTY);
  const rl = createInterface({ input: ctx.stdin, output: interactive ? ctx.stdout : undefined, terminal: interactive, crlfDelay: Infinity });
  const { m, c } = ctx;
  for (const doc of kb.docs) println(ctx.stdout, c.bold(`policybot · ${doc.meta.title}${doc.meta.dateText ? `（${doc.meta.issuers.join("、")} ${doc.meta.dateText}）` : ""}`));
  println(ctx.stdout, c.dim(m.chatMode(engine.mode === "llm" ? m.modeLlm : m.modeExtractive)));
  let history: HistoryTurn[] = [];
  rl.setPrompt(c.green(m.chatPrompt));
  rl.on("SIGINT", () => rl.close());
  if (interactive) rl.prompt();
  // for-await handles one line at a time, so piped questions are answered in order.
  for await (const line of rl) {
    const text = line.trim();
    if (text === "/quit" || text === "/exit") break;
    const reply = await handleLine(text);
    if (reply) println(ctx.stdout, reply);
    if (interactive) rl.prompt();
  }
  rl.close();

  async function handleLine(text: string): Promise<string | undefined> {
    if (!text) return undefined;
    if (text === "/help") return m.chatHelp;
    if (text === "/reset") {
      history = [];
      return m.chatReset;
    }
    const cmd = /^\/(task|section|part)\s*(.*)$/.exec(text);
    if (cmd) return unitCommandText(kb, cmd[1] as "task", cmd[2]!.trim(), m, c);
    if (text.startsWith("/")) return `${m.chatUnknown(text.split(/\s/)[0]!)}\n${m.chatHelp}`;
    // Each question is answered in its own language unless --lang fixed one.
    const qm = ctx.langExplicit ? m : messages(langOf(text));
    try {
      const r = await engine.answer({ question: text, history });
      history = [...history, { q: r.question, a: r.answer }].slice(-6);
      return `\n${formatForTerminal(r, qm, c)}\n`;
    } catch (err) {
      if (err instanceof AnswerInputError) return err.message;
      ctx.logger.error({ err }, "chat: failed to answer");
      return qm.answerFailed;
    }
  }
  println(ctx.stdout, m.chatBye);
  return 0;
}
