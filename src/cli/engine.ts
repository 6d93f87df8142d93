import { createAnswerEngine, type AnswerEngine } from "../answer/engine.js";
import { createLlm } from "../answer/create-llm.js";
import { openKnowledgeBase, type KnowledgeBase } from "../knowledge.js";
import type { CommandContext } from "./context.js";

/** The knowledge base and answer engine for a command. */
export async function openEngine(ctx: Pick<CommandContext, "config" | "logger">, kb?: KnowledgeBase): Promise<AnswerEngine> {
  const base = kb ?? (await openKnowledgeBase({ config: ctx.config, logger: ctx.logger }));
  return createAnswerEngine({ kb: base, config: ctx.config, logger: ctx.logger, llm: await createLlm(ctx.config, ctx.logger) });
}
