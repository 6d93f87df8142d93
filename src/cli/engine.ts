import { createAnswerEngine, type AnswerEngine } from "../answer/engine.js";
import { OpenAIAnswerer } from "../answer/llm.js";
import { type Config, llmEnabled } from "../config.js";
import { openKnowledgeBase, type KnowledgeBase } from "../knowledge.js";
import type { Logger } from "../logger.js";
import type { CommandContext } from "./context.js";

/** The LLM answerer the configuration asks for, if any. */
export function createLlm(config: Config, logger: Logger): OpenAIAnswerer | undefined {
  if (!llmEnabled(config)) return undefined;
  return new OpenAIAnswerer({
    baseURL: config.LLM_BASE_URL,
    apiKey: config.LLM_API_KEY,
    model: config.LLM_MODEL!,
    timeoutMs: config.LLM_TIMEOUT_MS,
    temperature: config.LLM_TEMPERATURE,
    logger,
  });
}

/** The knowledge base and answer engine for a command. */
export async function openEngine(ctx: Pick<CommandContext, "config" | "logger">, kb?: KnowledgeBase): Promise<AnswerEngine> {
  const base = kb ?? (await openKnowledgeBase({ config: ctx.config, logger: ctx.logger }));
  return createAnswerEngine({ kb: base, config: ctx.config, logger: ctx.logger, llm: createLlm(ctx.config, ctx.logger) });
}
