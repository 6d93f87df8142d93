import { Document } from "@langchain/core/documents";
import type { EmbeddingsInterface } from "@langchain/core/embeddings";
import { VectorStore } from "@langchain/core/vectorstores";
import hnswlib from "hnswlib-node";
import type { Chunk } from "./chunks.js";

const { HierarchicalNSW, BruteforceSearch } = hnswlib;
type Hnsw = InstanceType<typeof HierarchicalNSW> | InstanceType<typeof BruteforceSearch>;

/**
 * Up to this many vectors the store searches exactly (every vector compared, ~6 ms per query at
 * 12,000 chunks) instead of building an HNSW graph: building the graph took over half of a large
 * plan's start-up (6 s of CPU for a 1 MB plan) and found 97% of the true neighbours. Above it, the
 * graph's fast queries are worth its build.
 */
export const EXACT_SEARCH_MAX = 100_000;

/** Whether a store of `count` vectors searches exactly; build and read use the same rule. */
export const searchesExactly = (count: number) => count > 0 && count <= EXACT_SEARCH_MAX;

/** A chunk found by vector search; `distance` is 1 − cosine (lower is closer). */
export interface VectorHit {
  chunk: number;
  distance: number;
}

/**
 * A vector store on hnswlib-node (cosine space) behind LangChain's VectorStore interface: exact
 * search up to {@link EXACT_SEARCH_MAX} vectors, an HNSW graph above. Labels are chunk positions;
 * chunk metadata lives beside it in the index folder.
 */
export class HnswStore extends VectorStore {
  declare FilterType: (label: number) => boolean;
  private index: Hnsw | undefined;
  /** Per label: its chunk, made into a LangChain document only when a LangChain caller asks. */
  private docs: Array<Document | Chunk> = [];

  constructor(embeddings: EmbeddingsInterface, readonly dimensions: number, private readonly capacity = 0) {
    super(embeddings, {});
  }

  _vectorstoreType(): string {
    return "hnswlib-node";
  }

  /** Number of vectors in the index. */
  get count(): number {
    return this.index?.getCurrentCount() ?? 0;
  }

  async addVectors(vectors: number[][], documents: Array<Document | Chunk>): Promise<void> {
    const start = this.docs.length;
    if (!this.index) {
      if (searchesExactly(this.capacity)) {
        const exact = new BruteforceSearch("cosine", this.dimensions);
        exact.initIndex(Math.max(this.capacity, vectors.length));
        this.index = exact;
      } else {
        const graph = new HierarchicalNSW("cosine", this.dimensions);
        graph.initIndex({ maxElements: Math.max(16, this.capacity, vectors.length), m: 16, efConstruction: 100, randomSeed: 42 });
        this.index = graph;
      }
    } else if (this.index.getCurrentCount() + vectors.length > this.index.getMaxElements()) {
      if (!(this.index instanceof HierarchicalNSW)) {
        throw new Error(`store: ${this.index.getCurrentCount() + vectors.length} vectors exceed the capacity of ${this.index.getMaxElements()} given at construction`);
      }
      this.index.resizeIndex(this.index.getCurrentCount() + vectors.length);
    }
    vectors.forEach((v, i) => {
      if (v.length !== this.dimensions) throw new Error(`store: vector ${i} has ${v.length} dimensions, expected ${this.dimensions}`);
      this.index!.addPoint(v, start + i);
    });
    this.docs.push(...documents);
  }

  async addDocuments(documents: Document[]): Promise<void> {
    const vectors = await this.embeddings.embedDocuments(documents.map((d) => d.pageContent));
    await this.addVectors(vectors, documents);
  }

  /** Nearest chunks to a query vector; `filter` keeps only the chunks it accepts (one plan's). */
  searchVector(query: number[], k: number, filter?: (chunk: number) => boolean): VectorHit[] {
    if (!this.index || this.count === 0) return [];
    const n = Math.min(k, this.count);
    if (this.index instanceof HierarchicalNSW) this.index.setEf(Math.max(64, n * 2));
    const { neighbors, distances } = this.index.searchKnn(query, n, filter);
    return neighbors.map((chunk, i) => ({ chunk, distance: distances[i]! }));
  }

  async similaritySearchVectorWithScore(query: number[], k: number): Promise<[Document, number][]> {
    return this.searchVector(query, k).map((h) => {
      const d = this.docs[h.chunk]!;
      return [d instanceof Document ? d : toDocument(d), 1 - h.distance];
    });
  }

  /** Writes the vectors to a file (callers write to a temporary name, then rename). */
  writeIndex(path: string): void {
    if (!this.index) throw new Error("store: nothing to write");
    this.index.writeIndexSync(path);
  }

  /** Reads vectors written by {@link writeIndex}, with the chunks they stand for. */
  static read(path: string, embeddings: EmbeddingsInterface, dimensions: number, chunks: Chunk[]): HnswStore {
    const store = new HnswStore(embeddings, dimensions, chunks.length);
    const index = searchesExactly(chunks.length) ? new BruteforceSearch("cosine", dimensions) : new HierarchicalNSW("cosine", dimensions);
    index.readIndexSync(path);
    if (index.getCurrentCount() !== chunks.length) {
      throw new Error(`store: the index holds ${index.getCurrentCount()} vectors but there are ${chunks.length} chunks`);
    }
    store.index = index;
    store.docs = chunks;
    return store;
  }
}

/** A chunk as a LangChain document. */
export function toDocument(c: Chunk): Document {
  return new Document({ pageContent: c.embedText, metadata: { doc: c.doc, ref: c.ref, kind: c.kind, start: c.start } });
}
