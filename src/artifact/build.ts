import { type Chunk, makeChunks } from "../indexing/chunks.js";
import type { PolicyEmbeddings } from "../indexing/embeddings/factory.js";
import { FeatureTable, LocalHashEmbeddings } from "../indexing/embeddings/local.js";
import { SparseVectorStore, type VectorIndex } from "../indexing/sparse-store.js";
import { HnswStore } from "../indexing/store.js";
import type { PlanDocument } from "../plan/types.js";
import { CorpusBuilder, tokenizedText, type CorpusData, type TokenizedText } from "../retrieve/corpus.js";
import { CutText } from "../retrieve/cut.js";
import { bareSegmenter, segmentWords } from "../retrieve/text.js";

/** Called as the build goes: chunks done of the total, and the stage. */
export type BuildProgress = (done: number, total: number, stage: "tokens" | "vectors") => void;

/** What a build makes: the chunks, their vectors and the retriever's corpus data. */
export interface BuiltIndex {
  chunks: Chunk[];
  /** Sparse exact search for the local embedder's vectors; hnswlib for an endpoint's dense ones. */
  store: VectorIndex;
  corpus: CorpusData;
}

const EMBED_BATCH = 512;

/**
 * Builds the index of documents in one pass over their text: each unit and sentence is normalised
 * and cut once, and the same tokens feed the lexical index and (with the local embedder) the
 * vectors, which are fitted and embedded from interned feature ids.
 * @example const built = await buildIndex({ docs, embedder });
 */
export async function buildIndex(opts: { docs: PlanDocument[]; embedder: PolicyEmbeddings; onProgress?: BuildProgress }): Promise<BuiltIndex> {
  const { docs, embedder, onProgress } = opts;
  const chunks = makeChunks(docs);
  const corpus = new CorpusBuilder(docs, chunks);
  const local = embedder instanceof LocalHashEmbeddings ? embedder : undefined;
  const table = local ? new FeatureTable() : undefined;
  const step = Math.max(1, Math.floor(chunks.length / 200));
  // The vectors take the lexical tokens' bigrams and characters, and words cut by the bare segmenter
  // (see bareSegmenter): once per unit's text, its sentences read from that cut; once per context line.
  const jieba = table ? bareSegmenter() : undefined;
  let bareCut: { of: CutText; cut: CutText } | undefined;
  let bareContext: { of: TokenizedText; part: TokenizedText } | undefined;
  const bare = (p: TokenizedText): TokenizedText => {
    let words: string[];
    if (p.span) {
      if (bareCut?.of !== p.span.cut) bareCut = { of: p.span.cut, cut: new CutText(p.span.cut.normalized, jieba) };
      words = bareCut.cut.wordsIn(p.span.from, p.span.to);
    } else words = segmentWords(p.normalized, jieba);
    return { normalized: p.normalized, tokens: { words, bigrams: p.tokens.bigrams } };
  };
  const contextOf = (p: TokenizedText) => {
    if (bareContext?.of !== p) bareContext = { of: p, part: bare(p) };
    return bareContext.part;
  };
  let unit = -1;
  chunks.forEach((c, i) => {
    let parts;
    if (c.kind === "unit") {
      unit = corpus.indexOf(c.doc, c.ref) ?? -1;
      parts = unit >= 0 ? corpus.unit(unit) : undefined;
    } else parts = corpus.sentence(i);
    if (table) table.addParts(parts ? [contextOf(parts.context), bare(parts.body)] : [bare(tokenizedText(c.embedText))], local!.weights);
    if (onProgress && i % step === 0) onProgress(i, chunks.length, "tokens");
  });
  const data = corpus.finish();
  if (table) {
    local!.fitTable(table);
    const rows = [];
    for (let i = 0; i < chunks.length; i += EMBED_BATCH) {
      const end = Math.min(chunks.length, i + EMBED_BATCH);
      rows.push(...local!.embedTableSparse(table, i, end));
      onProgress?.(end, chunks.length, "vectors");
    }
    return { chunks, store: SparseVectorStore.fromRows(rows, local!.dimensions), corpus: data };
  }
  embedder.fit?.(chunks.map((c) => c.embedText));
  // In batches, so that a large corpus never holds every vector as a JS array at once.
  let store: HnswStore | undefined;
  for (let i = 0; i < chunks.length || !store; i += EMBED_BATCH) {
    const end = Math.min(chunks.length, i + EMBED_BATCH);
    const vectors = end > i ? await embedder.embedDocuments(chunks.slice(i, end).map((c) => c.embedText)) : [];
    // A remote embedder tells its size with its first vectors.
    store ??= new HnswStore(embedder, vectors[0]?.length ?? embedder.dimensions, chunks.length);
    await store.addVectors(vectors, chunks.slice(i, end));
    if (end <= i) break;
    onProgress?.(end, chunks.length, "vectors");
  }
  return { chunks, store, corpus: data };
}
