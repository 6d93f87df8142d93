import { Embeddings } from "@langchain/core/embeddings";
import { normalizeText, tokenize } from "../../retrieve/text.js";

/** Options for {@link LocalHashEmbeddings}. */
export interface LocalHashOptions {
  /** Vector size (default 1024). */
  dimensions?: number;
  /** Weight of jieba words (default 1). */
  wordWeight?: number;
  /** Weight of character bigrams (default 0.6). */
  bigramWeight?: number;
  /** Weight of single Chinese characters (default 0.15): lets near-misses (种粮/粮食) still meet. */
  charWeight?: number;
}

/** FNV-1a, 32 bit: stable across runs and platforms, which the persisted index relies on. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Offline embeddings: TF-IDF-weighted jieba words, character bigrams and characters, hashed into a
 * fixed number of dimensions (signed hashing) and L2-normalised. Deterministic, no network, no
 * model download. IDF is fitted on the corpus with {@link LocalHashEmbeddings.fit}.
 */
export class LocalHashEmbeddings extends Embeddings {
  readonly dimensions: number;
  private readonly opts: Required<LocalHashOptions>;
  private df = new Map<string, number>();
  private docCount = 0;
  /** Each fitted feature's slot and signed IDF, worked out once at fit time rather than for every occurrence. */
  private weights = new Map<string, { slot: number; signedIdf: number }>();

  constructor(opts: LocalHashOptions = {}) {
    super({});
    this.opts = { dimensions: 1024, wordWeight: 1, bigramWeight: 0.6, charWeight: 0.15, ...opts };
    this.dimensions = this.opts.dimensions;
  }

  /** Identifies the embedder and its settings in the index manifest. */
  get id(): string {
    const o = this.opts;
    return `local-hash-v1:d${o.dimensions}:w${o.wordWeight}:b${o.bigramWeight}:c${o.charWeight}`;
  }

  /** Fits document frequencies on the corpus that will be indexed. */
  fit(texts: string[]): this {
    this.df = new Map();
    this.docCount = texts.length;
    for (const t of texts) for (const f of this.features(t).keys()) this.df.set(f, (this.df.get(f) ?? 0) + 1);
    this.weights = new Map();
    for (const f of this.df.keys()) this.weights.set(f, this.weightOf(f));
    return this;
  }

  private weightOf(feature: string): { slot: number; signedIdf: number } {
    const n = Math.max(1, this.docCount);
    const idf = Math.log(1 + n / (1 + (this.df.get(feature) ?? 0)));
    const h = fnv1a(feature);
    return { slot: (h >>> 1) % this.dimensions, signedIdf: (h & 1 ? 1 : -1) * idf };
  }

  private features(text: string): Map<string, number> {
    const norm = normalizeText(text);
    const { words, bigrams } = tokenize(norm);
    const out = new Map<string, number>();
    const add = (f: string, w: number) => {
      if (w > 0) out.set(f, (out.get(f) ?? 0) + w);
    };
    for (const w of words) add(`w:${w}`, this.opts.wordWeight);
    for (const b of bigrams) add(`b:${b}`, this.opts.bigramWeight);
    if (this.opts.charWeight > 0) for (const c of norm.match(/[\u3400-\u9fff]/g) ?? []) add(`c:${c}`, this.opts.charWeight);
    return out;
  }

  /** The vector of one text (synchronous; the async methods wrap it). */
  embed(text: string): number[] {
    const v = new Float64Array(this.dimensions);
    for (const [f, tf] of this.features(text)) {
      const { slot, signedIdf } = this.weights.get(f) ?? this.weightOf(f);
      v[slot]! += signedIdf * (1 + Math.log(tf));
    }
    let norm = 0;
    for (const x of v) norm += x * x;
    norm = Math.sqrt(norm) || 1;
    return Array.from(v, (x) => x / norm);
  }

  override async embedDocuments(texts: string[]): Promise<number[][]> {
    return texts.map((t) => this.embed(t));
  }

  override async embedQuery(text: string): Promise<number[]> {
    return this.embed(text);
  }
}
