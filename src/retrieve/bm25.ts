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

/** The postings of a {@link Bm25Index} as flat arrays: what the index artifact stores. */
export interface Bm25Data {
  k1: number;
  b: number;
  /** Every term, in id order. */
  terms: string[];
  /** Term id t's postings are docs/tfs[offsets[t] .. offsets[t+1]), documents ascending. */
  offsets: Int32Array;
  docs: Int32Array;
  tfs: Int32Array;
  /** Terms per document. */
  lengths: Int32Array;
}

/**
 * Okapi BM25 over pre-tokenised documents. Terms are opaque strings, so words and bigrams
 * (prefixed by the caller) share one index. Postings live in typed arrays (one Int32Array each for
 * documents and term frequencies, offsets per term id): a corpus of 10⁵ chunks holds millions of
 * postings, and one JS object per posting cost gigabytes.
 */
export class Bm25Index {
  private readonly k1: number;
  private readonly b: number;
  private readonly termIds = new Map<string, number>();
  private readonly data: Bm25Data;
  private readonly avgLength: number;

  constructor(docs: string[][] | Bm25Data, opts: Bm25Options = {}) {
    this.data = Array.isArray(docs) ? invert(docs, opts.k1 ?? 1.2, opts.b ?? 0.75) : docs;
    this.k1 = this.data.k1;
    this.b = this.data.b;
    this.data.terms.forEach((t, i) => this.termIds.set(t, i));
    let total = 0;
    for (const n of this.data.lengths) total += n;
    this.avgLength = total / Math.max(1, this.data.lengths.length);
  }

  /** The flat arrays, to save (see {@link Bm25Data}). */
  toData(): Bm25Data {
    return this.data;
  }

  /** Number of documents. */
  get size(): number {
    return this.data.lengths.length;
  }

  /** Inverse document frequency (BM25+ style, never negative); 0 for unknown terms. */
  idf(term: string): number {
    const df = this.df(term);
    if (df === 0) return 0;
    return Math.log(1 + (this.size - df + 0.5) / (df + 0.5));
  }

  /** How many documents contain a term. */
  df(term: string): number {
    const t = this.termIds.get(term);
    return t === undefined ? 0 : this.data.offsets[t + 1]! - this.data.offsets[t]!;
  }

  /** Scores every document that shares a term with the query; higher is better (in order of first match). */
  score(query: QueryTerm[]): Map<number, number> {
    // Summed in a typed array (per document, in query order), then handed out in order of first match.
    const sums = (this.sums ??= new Float64Array(this.size));
    const hit = (this.hit ??= new Uint8Array(this.size));
    const order: number[] = [];
    const { offsets, docs, tfs, lengths } = this.data;
    for (const { term, weight } of query) {
      const t = this.termIds.get(term);
      if (t === undefined) continue;
      const idf = this.idf(term);
      for (let p = offsets[t]!, end = offsets[t + 1]!; p < end; p++) {
        const doc = docs[p]!;
        const tf = tfs[p]!;
        const norm = tf + this.k1 * (1 - this.b + (this.b * lengths[doc]!) / this.avgLength);
        if (!hit[doc]) {
          hit[doc] = 1;
          order.push(doc);
        }
        sums[doc]! += weight * idf * ((tf * (this.k1 + 1)) / norm);
      }
    }
    const scores = new Map<number, number>();
    for (const doc of order) {
      scores.set(doc, sums[doc]!);
      sums[doc] = 0;
      hit[doc] = 0;
    }
    return scores;
  }

  private sums?: Float64Array;
  private hit?: Uint8Array;

  /** Calls `visit` for each document that contains a term, with the term's frequency there. */
  forEachPosting(term: string, visit: (doc: number, tf: number) => void): void {
    const t = this.termIds.get(term);
    if (t === undefined) return;
    const { offsets, docs, tfs } = this.data;
    for (let p = offsets[t]!, end = offsets[t + 1]!; p < end; p++) visit(docs[p]!, tfs[p]!);
  }

  /** How many terms a document holds. */
  length(doc: number): number {
    return this.data.lengths[doc] ?? 0;
  }

  /** Whether a document contains a term. */
  has(doc: number, term: string): boolean {
    const t = this.termIds.get(term);
    if (t === undefined) return false;
    // Postings are sorted by document: binary search.
    let lo = this.data.offsets[t]!;
    let hi = this.data.offsets[t + 1]! - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const d = this.data.docs[mid]!;
      if (d === doc) return true;
      if (d < doc) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }
}

/**
 * Builds {@link Bm25Data} document by document (in any order), keeping each document's distinct term
 * ids and frequencies as two small typed arrays until {@link Bm25Builder.finish} lays out the postings.
 */
export class Bm25Builder {
  private readonly ids = new Map<string, number>();
  private readonly terms: string[] = [];
  private readonly lengths: Int32Array;
  private readonly perDoc: Array<{ ids: Int32Array; tfs: Int32Array } | undefined>;
  private dfs = new Int32Array(1024);
  private total = 0;

  constructor(docCount: number, private readonly opts: Bm25Options = {}) {
    this.lengths = new Int32Array(docCount);
    this.perDoc = new Array(docCount);
  }

  /** Whether document `doc` has been given. */
  isSet(doc: number): boolean {
    return this.perDoc[doc] !== undefined;
  }

  /** The terms of document `doc` (0 ≤ doc < docCount). */
  set(doc: number, list: string[]): void {
    this.begin(doc);
    for (const term of list) this.count(this.idOf(term));
    this.end(doc, list.length);
  }

  /**
   * The terms of document `doc` given as tokens of two kinds, each term `${prefix}${token}`: the same
   * as {@link set} of the prefixed strings, without making one string per occurrence.
   */
  setTokens(doc: number, kinds: Array<{ prefix: string; tokens: string[] }>): void {
    this.begin(doc);
    let length = 0;
    for (const { prefix, tokens } of kinds) {
      let byToken = this.byPrefix.get(prefix);
      if (!byToken) this.byPrefix.set(prefix, (byToken = new Map()));
      for (const token of tokens) {
        let id = byToken.get(token);
        if (id === undefined) byToken.set(token, (id = this.idOf(`${prefix}${token}`)));
        this.count(id);
      }
      length += tokens.length;
    }
    this.end(doc, length);
  }

  private readonly byPrefix = new Map<string, Map<string, number>>();
  private local = new Int32Array(1024);
  private touched: number[] = [];

  private idOf(term: string): number {
    let id = this.ids.get(term);
    if (id === undefined) {
      id = this.terms.length;
      this.ids.set(term, id);
      this.terms.push(term);
      if (id >= this.dfs.length) {
        const grown = new Int32Array(this.dfs.length * 2);
        grown.set(this.dfs);
        this.dfs = grown;
        const local = new Int32Array(this.dfs.length);
        local.set(this.local);
        this.local = local;
      }
    }
    return id;
  }

  private begin(doc: number): void {
    if (this.perDoc[doc]) throw new Error(`bm25: document ${doc} was given twice`);
    this.touched = [];
  }

  private count(id: number): void {
    if (this.local[id] === 0) this.touched.push(id);
    this.local[id]!++;
  }

  private end(doc: number, length: number): void {
    this.lengths[doc] = length;
    const entry = { ids: Int32Array.from(this.touched), tfs: new Int32Array(this.touched.length) };
    entry.ids.forEach((id, i) => {
      entry.tfs[i] = this.local[id]!;
      this.local[id] = 0;
      this.dfs[id]!++;
    });
    this.total += entry.ids.length;
    this.perDoc[doc] = entry;
  }

  /** The postings, documents ascending within each term; documents never given count as empty. */
  finish(): Bm25Data {
    const n = this.terms.length;
    const offsets = new Int32Array(n + 1);
    for (let t = 0; t < n; t++) offsets[t + 1] = offsets[t]! + this.dfs[t]!;
    const cursor = offsets.slice(0, n);
    const docs = new Int32Array(this.total);
    const tfs = new Int32Array(this.total);
    this.perDoc.forEach((entry, d) => {
      if (!entry) return;
      for (let i = 0; i < entry.ids.length; i++) {
        const p = cursor[entry.ids[i]!]!++;
        docs[p] = d;
        tfs[p] = entry.tfs[i]!;
      }
    });
    return { k1: this.opts.k1 ?? 1.2, b: this.opts.b ?? 0.75, terms: this.terms, offsets, docs, tfs, lengths: this.lengths };
  }
}

function invert(list: string[][], k1: number, b: number): Bm25Data {
  const builder = new Bm25Builder(list.length, { k1, b });
  list.forEach((terms, d) => builder.set(d, terms));
  return builder.finish();
}
