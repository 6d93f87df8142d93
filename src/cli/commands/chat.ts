import { createInterface } from "node:readline";
import type { AnswerEngine } from "../../answer/engine.js";
import { AnswerInputError, type HistoryTurn } from "../../answer/types.js";
import { openKnowledgeBase, type KnowledgeBase } from "../../knowledge.js";
import { findUnit } from "../../plan/lookup.js";
import { parseCommandArgs } from "../args.js";
import { type Command, type CommandContext, println } from "../context.js";
import { openEngine } from "../engine.js";
import { formatForTerminal } from "./ask.js";

const HELP = `输入问题即可，例如：
  今年高标准农田要建多少？        （官员：数字和出处）
  我们村手机信号不好，有打算改善吗？  （居民：日常说法）
  第5项讲什么 / （三）下面有哪些任务   （按编号查）
命令：/task N  /section N  /part N  /reset（清空上下文）  /help  /quit（或 Ctrl-D）`;

/** Full text of a unit by kind and number (/task 5, /section 三, /part 第二部分). */
export function unitCommandText(kb: KnowledgeBase, kind: "task" | "section" | "part", arg: string): string {
  const found = findUnit(kb.docs.flatMap((d) => d.units), kind, arg);
  if ("error" in found) return found.error;
  const { unit } = found;
  return `〔${unit.label}〕${unit.heading}\n${unit.path}\n\n${unit.text}`;
}

/** `policybot chat`: an interactive terminal chat with history. */
export const chatCommand: Command = {
  name: "chat",
  usage: "policybot chat",
  summary: "interactive terminal chat with follow-ups, /task N and /help",
  async run(argv, ctx) {
    parseCommandArgs("chat", argv, {});
    const kb = await openKnowledgeBase({ config: ctx.config, logger: ctx.logger });
    const engine = await openEngine(ctx, kb);
    return runChat(ctx, kb, engine);
  },
};

/** The chat loop; returns when input ends, on /quit or on Ctrl-C. */
export async function runChat(ctx: CommandContext, kb: KnowledgeBase, engine: AnswerEngine): Promise<number> {
  const interactive = Boolean((ctx.stdin as { isTTY?: boolean }).isTTY);
  const rl = createInterface({ input: ctx.stdin, output: interactive ? ctx.stdout : undefined, terminal: interactive, crlfDelay: Infinity });
  const doc = kb.docs[0]!;
  println(ctx.stdout, `policybot · ${doc.meta.title}${doc.meta.dateText ? `（${doc.meta.issuers.join("、")} ${doc.meta.dateText}）` : ""}`);
  println(ctx.stdout, `模式：${engine.mode === "llm" ? "LLM（已校验引用）" : "离线摘录"}。输入 /help 查看用法，Ctrl-D 退出。`);
  let history: HistoryTurn[] = [];
  rl.setPrompt("问> ");
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
    if (text === "/help") return HELP;
    if (text === "/reset") {
      history = [];
      return "已清空上下文。";
    }
    const cmd = /^\/(task|section|part)\s*(.*)$/.exec(text);
    if (cmd) return unitCommandText(kb, cmd[1] as "task", cmd[2]!.trim());
    if (text.startsWith("/")) return `未知命令 ${text.split(/\s/)[0]}。\n${HELP}`;
    try {
      const r = await engine.answer({ question: text, history });
      history = [...history, { q: r.question, a: r.answer }].slice(-6);
      return `\n${formatForTerminal(r)}\n`;
    } catch (err) {
      if (err instanceof AnswerInputError) return err.message;
      ctx.logger.error({ err }, "chat: failed to answer");
      return "抱歉，回答时出错了，请换个说法再试。";
    }
  }
  println(ctx.stdout, "再见。");
  return 0;
}
