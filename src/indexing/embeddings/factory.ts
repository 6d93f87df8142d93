import type { Embeddings } from "@langchain/core/embeddings";
import type { Config } from "../../config.js";
import { LocalHashEmbeddings } from "./local.js";
import { OpenAICompatibleEmbeddings } from "./openai.js";

/** An embedder that names itself for the index manifest. */
export type PolicyEmbeddings = Embeddings & { readonly id: string; dimensions: number; fit?(texts: string[]): unknown };

/** The embedder the configuration asks for (local by default). */
export function createEmbedder(config: Pick<Config, "EMBEDDER" | "EMBEDDING_BASE_URL" | "EMBEDDING_API_KEY" | "EMBEDDING_MODEL">): PolicyEmbeddings {
  if (config.EMBEDDER === "openai") {
    return new OpenAICompatibleEmbeddings({ baseURL: config.EMBEDDING_BASE_URL, apiKey: config.EMBEDDING_API_KEY, model: config.EMBEDDING_MODEL });
  }
  return new LocalHashEmbeddings();
}
