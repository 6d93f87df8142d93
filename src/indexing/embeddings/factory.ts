import type { Embeddings } from "@langchain/core/embeddings";
import type { Config } from "../../config.js";
import { LocalHashEmbeddings } from "./local.js";

/** An embedder that names itself for the index manifest. */
export type PolicyEmbeddings = Embeddings & { readonly id: string; dimensions: number; fit?(texts: string[]): unknown };

/** The embedder the configuration asks for (local by default; the OpenAI SDK loads only when asked for). */
export async function createEmbedder(config: Pick<Config, "EMBEDDER" | "EMBEDDING_BASE_URL" | "EMBEDDING_API_KEY" | "EMBEDDING_MODEL">): Promise<PolicyEmbeddings> {
  if (config.EMBEDDER === "openai") {
    const { OpenAICompatibleEmbeddings } = await import("./openai.js");
    return new OpenAICompatibleEmbeddings({ baseURL: config.EMBEDDING_BASE_URL, apiKey: config.EMBEDDING_API_KEY, model: config.EMBEDDING_MODEL });
  }
  return new LocalHashEmbeddings();
}
