import { Embeddings } from "@langchain/core/embeddings";
import OpenAI from "openai";

/** Options for {@link OpenAICompatibleEmbeddings}. */
export interface OpenAIEmbeddingOptions {
  baseURL?: string;
  apiKey?: string;
  model: string;
  /** Texts per request (default 64; DashScope allows at most 10, so set it lower there). */
  batchSize?: number;
  timeoutMs?: number;
  maxRetries?: number;
}

/**
 * Embeddings from any OpenAI-compatible `/v1/embeddings` endpoint (OpenAI, Qwen/DashScope, Ollama,
 * vLLM …): batched, with a timeout and retries (the SDK retries 429 and 5xx with backoff).
 */
export class OpenAICompatibleEmbeddings extends Embeddings {
  private readonly client: OpenAI;
  private readonly batchSize: number;
  dimensions = 0;

  constructor(private readonly opts: OpenAIEmbeddingOptions) {
    super({});
    this.client = new OpenAI({
      baseURL: opts.baseURL,
      apiKey: opts.apiKey ?? "not-needed",
      timeout: opts.timeoutMs ?? 30_000,
      maxRetries: opts.maxRetries ?? 3,
    });
    this.batchSize = opts.batchSize ?? 64;
  }

  /** Identifies the endpoint and model in the index manifest. */
  get id(): string {
    return `openai:${this.opts.baseURL ?? "default"}:${this.opts.model}`;
  }

  override async embedDocuments(texts: string[]): Promise<number[][]> {
    const out: number[][] = [];
    for (let i = 0; i < texts.length; i += this.batchSize) {
      const batch = texts.slice(i, i + this.batchSize);
      const res = await this.client.embeddings.create({ model: this.opts.model, input: batch });
      const sorted = [...res.data].sort((a, b) => a.index - b.index);
      if (sorted.length !== batch.length) throw new Error(`embeddings: the endpoint returned ${sorted.length} vectors for ${batch.length} texts`);
      for (const d of sorted) out.push(d.embedding);
    }
    if (out[0]) this.dimensions = out[0].length;
    return out;
  }

  override async embedQuery(text: string): Promise<number[]> {
    const [v] = await this.embedDocuments([text]);
    return v!;
  }
}
