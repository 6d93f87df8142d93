import { type Config, llmEnabled } from "../config.js";
import type { Logger } from "../logger.js";
import type { OpenAIAnswerer } from "./llm.js";

/** The LLM answerer the configuration asks for, if any (the OpenAI SDK loads only then). */
export async function createLlm(config: Config, logger: Logger): Promise<OpenAIAnswerer | undefined> {
  if (!llmEnabled(config)) return undefined;
  const { OpenAIAnswerer } = await import("./llm.js");
  return new OpenAIAnswerer({
    baseURL: config.LLM_BASE_URL,
    apiKey: config.LLM_API_KEY,
    model: config.LLM_MODEL!,
    timeoutMs: config.LLM_TIMEOUT_MS,
    temperature: config.LLM_TEMPERATURE,
    logger,
  });
}
