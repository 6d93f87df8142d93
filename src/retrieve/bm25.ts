/** Options for {@link Bm25Index}; the defaults are the usual Okapi values. */
export interface Bm25Options {
  /** Term-frequency saturation (default 1.2). */
  k1?: number;
  /** Length normalisation (default 0.75). */
  b?: number;
}

/** A weighted query term. */
export interface QueryTerm {
  term: string;
  weight: number;
}

/**
 * Okapi BM25 over pre-tokenised documents. Terms are opaque strings, so words and bigrams
 * (prefixed by the caller) share one index.
 */
export class Bm25Index {
  private readonly k1: number;
  private readonly b: number;
  private readonly postings = new Map<string, Array<[doc: number, tf: number]>>();
  private readonly lengths: number[] = [];
  private avgLength = 0;

  constructor(docs: string[][], opts: Bm25Options = {}) {
    this.k1 = opts.k1 ?? 1.2;
    this.b = opts.b ?? 0.75;
    docs.forEach((terms, id) => {
      this.lengths.push(terms.length);
      const tf = new Map<string, number>();
      for (const t of terms) tf.set(t, (tf.get(t) ?? 0) + 1);
      for (const [t, n] of tf) {
        let list = this.postings.get(t);
        if (!list) this.postings.set(t, (list = []));
        list.push([id, n]);
      }
    });
    this.avgLength = this.lengths.reduce((a, n) => a + n, 0) / Math.max(1, this.lengths.length);
  }

  /** Number of documents. */
  get size(): number {
    return this.lengths.length;
  }

  /** Inverse document frequency (BM25+ style, never negative); 0 for unknown terms. */
  idf(term: string): number {
    const df = this.postings.get(term)?.length ?? 0;
    if (df === 0) return 0;
    return Math.log(1 + (this.size - df + 0.5) / (df + 0.5));
  }

  /** How many documents contain a term. */
  df(term: string): number {
    return this.postings.get(term)?.length ?? 0;
  }

  /** Scores every document that shares a term with the query; higher is better. */
  score(query: QueryTerm[]): Map<number, number> {
    const scores = new Map<number, number>();
    for (const { term, weight } of query) {
      const list = this.postings.get(term);
      if (!list) continue;
      const idf = this.idf(term);
      for (const [doc, tf] of list) {
        const norm = tf + this.k1 * (1 - this.b + (this.b * this.lengths[doc]!) / this.avgLength);
        scores.set(doc, (scores.get(doc) ?? 0) + weight * idf * ((tf * (this.k1 + 1)) / norm));
      }
    }
    return scores;
  }

  /** The documents that contain a term, with its frequency in each. */
  frequencies(term: string): ReadonlyArray<readonly [doc: number, tf: number]> {
    return this.postings.get(term) ?? [];
  }

  /** Whether a document contains a term. */
  has(doc: number, term: string): boolean {
    return this.postings.get(term)?.some(([d]) => d === doc) ?? false;
  }
}
