import { Embeddings } from "@langchain/core/embeddings";
import { normalizeText, tokenize, type Tokens } from "../../retrieve/text.js";
import type { SparseRow } from "../sparse-store.js";

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

/** A text's embedding features with their weights, in the order {@link LocalHashEmbeddings} sums them. */
export type Features = Map<string, number>;

/** What a fitted embedder must keep to embed queries as it embedded the corpus: its document frequencies. */
export interface LocalHashState {
  docCount: number;
  features: string[];
  df: Int32Array;
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
    return this.fitFeatures(texts.map((t) => this.features(t)));
  }

  /** Fits on features already worked out (the index build tokenises each text once). */
  fitFeatures(all: Iterable<Features>): this {
    this.df = new Map();
    this.docCount = 0;
    for (const features of all) {
      this.docCount++;
      for (const f of features.keys()) this.df.set(f, (this.df.get(f) ?? 0) + 1);
    }
    return this;
  }

  /** Fits on a whole table of features (see {@link FeatureTable}). */
  fitTable(table: FeatureTable): this {
    const df = new Int32Array(table.names.length);
    for (const row of table.rows) for (const id of row.ids) df[id]!++;
    this.df = new Map();
    table.names.forEach((f, i) => this.df.set(f, df[i]!));
    this.docCount = table.rows.length;
    return this;
  }

  /**
   * Rows `from`..`to` of a table as sparse unit vectors: the same values as {@link embedFeatures}
   * (sums in the same order), stored as float32 at the slots they fill, slots ascending.
   */
  embedTableSparse(table: FeatureTable, from: number, to: number): SparseRow[] {
    this.prepareWeights(table);
    const { slots, idfs } = table.weights!;
    const v = new Float64Array(this.dimensions);
    const out: SparseRow[] = [];
    const mark = new Uint8Array(this.dimensions);
    const used = new Int32Array(this.dimensions);
    for (let r = from; r < to; r++) {
      const row = table.rows[r]!;
      let n = 0;
      for (let i = 0; i < row.ids.length; i++) {
        const slot = slots[row.ids[i]!]!;
        if (!mark[slot]) {
          mark[slot] = 1;
          used[n++] = slot;
        }
        v[slot]! += idfs[row.ids[i]!]! * (1 + Math.log(row.tfs[i]!));
      }
      const filled = used.slice(0, n).sort();
      let norm = 0;
      let kept = 0;
      for (const slot of filled) {
        norm += v[slot]! * v[slot]!;
        if (v[slot] !== 0) kept++;
      }
      norm = Math.sqrt(norm) || 1;
      const row32 = { slots: new Int32Array(kept), values: new Float32Array(kept) };
      let k = 0;
      for (const slot of filled) {
        if (v[slot] !== 0) {
          row32.slots[k] = slot;
          row32.values[k++] = v[slot]! / norm;
        }
        v[slot] = 0;
        mark[slot] = 0;
      }
      out.push(row32);
    }
    return out;
  }

  private prepareWeights(table: FeatureTable): void {
    if (table.weights && table.weights.slots.length === table.names.length) return;
    const slots = new Int32Array(table.names.length);
    const idfs = new Float64Array(table.names.length);
    table.names.forEach((f, i) => {
      const w = this.weightOf(f);
      slots[i] = w.slot;
      idfs[i] = w.signedIdf;
    });
    table.weights = { slots, idfs };
  }

  /** The fitted frequencies, to save beside the vectors. */
  state(): LocalHashState {
    return { docCount: this.docCount, features: [...this.df.keys()], df: Int32Array.from(this.df.values()) };
  }

  /** Takes back frequencies saved by {@link state}: queries then embed exactly as at build time. */
  restore(state: LocalHashState): this {
    this.docCount = state.docCount;
    this.df = new Map();
    state.features.forEach((f, i) => this.df.set(f, state.df[i]!));
    return this;
  }

  private weightOf(feature: string): { slot: number; signedIdf: number } {
    const n = Math.max(1, this.docCount);
    const idf = Math.log(1 + n / (1 + (this.df.get(feature) ?? 0)));
    const h = fnv1a(feature);
    return { slot: (h >>> 1) % this.dimensions, signedIdf: (h & 1 ? 1 : -1) * idf };
  }

  /** The weights of words, bigrams and characters (for {@link FeatureTable.addParts}). */
  get weights(): { word: number; bigram: number; char: number } {
    return { word: this.opts.wordWeight, bigram: this.opts.bigramWeight, char: this.opts.charWeight };
  }

  /** Features of a text. */
  features(text: string): Features {
    const norm = normalizeText(text);
    return this.featuresOfParts([{ normalized: norm, tokens: tokenize(norm) }]);
  }

  /**
   * Features of a text made of parts joined by line breaks, from each part's normalised text and
   * tokens. Segmentation and bigrams stop at a line break, so this equals {@link features} of the
   * joined text, feature for feature and in the same order.
   */
  featuresOfParts(parts: Array<{ normalized: string; tokens: Tokens }>): Features {
    const out: Features = new Map();
    const add = (f: string, w: number) => {
      if (w > 0) out.set(f, (out.get(f) ?? 0) + w);
    };
    for (const p of parts) for (const w of p.tokens.words) add(`w:${w}`, this.opts.wordWeight);
    for (const p of parts) for (const b of p.tokens.bigrams) add(`b:${b}`, this.opts.bigramWeight);
    if (this.opts.charWeight > 0) for (const p of parts) for (const c of p.normalized.match(/[\u3400-\u9fff]/g) ?? []) add(`c:${c}`, this.opts.charWeight);
    return out;
  }

  /** The vector of one text (synchronous; the async methods wrap it). */
  embed(text: string): number[] {
    return Array.from(this.embedFeatures(this.features(text)));
  }

  /** The unit vector of features (see {@link featuresOfParts}). */
  embedFeatures(features: Features): Float64Array {
    const v = new Float64Array(this.dimensions);
    for (const [f, tf] of features) {
      const { slot, signedIdf } = this.weightOf(f);
      v[slot]! += signedIdf * (1 + Math.log(tf));
    }
    return Float64Array.from(unit(v));
  }

  override async embedDocuments(texts: string[]): Promise<number[][]> {
    return texts.map((t) => this.embed(t));
  }

  override async embedQuery(text: string): Promise<number[]> {
    return this.embed(text);
  }
}

/** v scaled to length 1 (0 stays 0), as a plain array. */
function unit(v: Float64Array): number[] {
  let norm = 0;
  for (const x of v) norm += x * x;
  norm = Math.sqrt(norm) || 1;
  return Array.from(v, (x) => x / norm);
}

/** Features of many texts, interned to ids: what the index build keeps between fitting and embedding. */
export class FeatureTable {
  readonly names: string[] = [];
  readonly rows: Array<{ ids: Int32Array; tfs: Float64Array }> = [];
  private readonly ids = new Map<string, number>();
  /** Slot and signed idf per feature id, filled by the embedder once fitted. */
  weights?: { slots: Int32Array; idfs: Float64Array };

  private scratch = new Float64Array(1024);
  private readonly wordIds = new Map<string, number>();
  /** Bigram (two UTF-16 codes in one number) → id, and Chinese character (code − 0x3400) → id + 1. */
  private readonly bigramIds = new Map<number, number>();
  private readonly charIds = new Int32Array(0x9fff - 0x3400 + 1);

  /**
   * Adds the features of a text made of parts as the next row, as {@link LocalHashEmbeddings.featuresOfParts}
   * makes them (same features, same order, same sums) but straight to ids, without a map per text.
   */
  addParts(parts: Array<{ normalized: string; tokens: Tokens }>, weights: { word: number; bigram: number; char: number }): void {
    const touched: number[] = [];
    const intern = (name: string) => {
      let id = this.ids.get(name);
      if (id === undefined) {
        id = this.names.length;
        this.ids.set(name, id);
        this.names.push(name);
        if (id >= this.scratch.length) {
          const grown = new Float64Array(this.scratch.length * 2);
          grown.set(this.scratch);
          this.scratch = grown;
        }
      }
      return id;
    };
    const count = (id: number, w: number) => {
      if (this.scratch[id] === 0) touched.push(id);
      this.scratch[id]! += w;
    };
    if (weights.word > 0) {
      for (const p of parts) {
        for (const t of p.tokens.words) {
          let id = this.wordIds.get(t);
          if (id === undefined) this.wordIds.set(t, (id = intern(`w:${t}`)));
          count(id, weights.word);
        }
      }
    }
    if (weights.bigram > 0) {
      for (const p of parts) {
        for (const t of p.tokens.bigrams) {
          const key = t.charCodeAt(0) * 65536 + t.charCodeAt(1);
          let id = this.bigramIds.get(key);
          if (id === undefined) this.bigramIds.set(key, (id = intern(`b:${t}`)));
          count(id, weights.bigram);
        }
      }
    }
    if (weights.char > 0) {
      for (const p of parts) {
        const text = p.normalized;
        for (let i = 0; i < text.length; i++) {
          const code = text.charCodeAt(i);
          if (code < 0x3400 || code > 0x9fff) continue;
          let id = this.charIds[code - 0x3400]! - 1;
          if (id < 0) this.charIds[code - 0x3400] = (id = intern(`c:${text[i]}`)) + 1;
          count(id, weights.char);
        }
      }
    }
    const ids = Int32Array.from(touched);
    const tfs = new Float64Array(ids.length);
    ids.forEach((id, i) => {
      tfs[i] = this.scratch[id]!;
      this.scratch[id] = 0;
    });
    this.rows.push({ ids, tfs });
  }

  /** Adds one text's features as the next row. */
  add(features: Features): void {
    const ids = new Int32Array(features.size);
    const tfs = new Float64Array(features.size);
    let i = 0;
    for (const [f, tf] of features) {
      let id = this.ids.get(f);
      if (id === undefined) {
        id = this.names.length;
        this.ids.set(f, id);
        this.names.push(f);
      }
      ids[i] = id;
      tfs[i++] = tf;
    }
    this.rows.push({ ids, tfs });
  }
}
