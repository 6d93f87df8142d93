import type { EmbeddingsInterface } from "@langchain/core/embeddings";
import type { Chunk } from "../indexing/chunks.js";
import { unitContext, unitSearchText } from "../indexing/chunks.js";
import type { HnswStore } from "../indexing/store.js";
import type { PlanDocument, Unit } from "../plan/types.js";
import { Bm25Index, type QueryTerm } from "./bm25.js";
import { resolveFollowUp, type Turn } from "./followup.js";
import { analyzeQuery, type AnalyzedQuery } from "./query.js";
import { addSegmenterWords, normalizeText, tokenize } from "./text.js";
import { loadVocabulary, type Vocabulary } from "./vocabulary.js";

/** A supporting piece of a retrieved unit. */
export interface SupportingChunk {
  text: string;
  /** Offset in the unit text. */
  start: number;
  score: number;
}

/** One unit found for a question. */
export interface RetrievedUnit {
  unit: Unit;
  /** Fused ranking score (higher is better; only comparable within one query). */
  score: number;
  /** Lexical score relative to the best unit (0–1), and the raw BM25 score. */
  lexical: number;
  lexicalRaw: number;
  vector: number;
  structural: boolean;
  /** Share of the question's information (idf-weighted words and bigrams) found in this unit, 0–1. */
  coverage: number;
  /** The unit's best-matching sentences, best first. */
  chunks: SupportingChunk[];
}

/** What retrieval found, and how sure it is. */
export interface Retrieval {
  query: AnalyzedQuery;
  units: RetrievedUnit[];
  /** Calibrated confidence that the top unit answers the question, 0–1. */
  confidence: number;
  /** True when the answer layer should abstain. */
  lowConfidence: boolean;
  /** Why confidence is low, when it is. */
  reason?: string;
}

/** Tunable weights; defaults are what the evaluation set supports (see `npm run eval`). */
export interface RetrieverOptions {
  wordWeight?: number;
  bigramWeight?: number;
  expansionWeight?: number;
  vectorWeight?: number;
  /** Confidence below this abstains. */
  threshold?: number;
}

const DEFAULTS: Required<RetrieverOptions> = { wordWeight: 1, bigramWeight: 0.5, expansionWeight: 0.6, vectorWeight: 0.35, threshold: 0.42 };

interface LexDoc {
  unit: number;
  kind: "unit" | "sentence";
  text: string;
  start: number;
}

/**
 * Hybrid retrieval over plan units: BM25 (jieba words + character bigrams) on units and sentences,
 * hnswlib vectors, and structural references (第5项, （三）), fused into one ranking with a calibrated
 * confidence.
 */
export class HybridRetriever {
  readonly units: Unit[];
  private readonly opts: Required<RetrieverOptions>;
  private readonly vocab: Vocabulary;
  private readonly lexDocs: LexDoc[] = [];
  private readonly bm25: Bm25Index;
  /** Per unit: the normalised text it can be matched on (own text, children's headings, context). */
  private readonly unitTexts: string[];
  private readonly unitIndex = new Map<string, number>();
  private readonly corpusText: string;
  private readonly chunkUnit: number[];

  constructor(
    private readonly deps: { docs: PlanDocument[]; chunks?: Chunk[]; store?: HnswStore; embedder?: EmbeddingsInterface },
    opts: RetrieverOptions = {},
  ) {
    this.opts = { ...DEFAULTS, ...opts };
    this.vocab = loadVocabulary();
    this.units = deps.docs.flatMap((d) => d.units);
    this.units.forEach((u, i) => this.unitIndex.set(key(u.doc, u.ref), i));
    // Quoted terms of the plans and the vocabulary's plan terms segment as whole words.
    const planTerms = new Set<string>();
    for (const u of this.units) for (const m of u.text.matchAll(/“([^”]{2,12})”/g)) planTerms.add(m[1]!);
    for (const [, terms] of this.vocab.expansions) for (const t of terms) planTerms.add(t);
    addSegmenterWords(planTerms);

    const byRef = new Map<string, Map<string, Unit>>();
    for (const d of deps.docs) byRef.set(d.id, new Map(d.units.map((u) => [u.ref, u])));
    this.unitTexts = this.units.map((u) => normalizeText(`${unitContext(u)}\n${unitSearchText(u, byRef.get(u.doc)!)}`));
    this.corpusText = this.unitTexts.join("\n");
    this.units.forEach((u, i) => this.lexDocs.push({ unit: i, kind: "unit", text: unitSearchText(u, byRef.get(u.doc)!), start: 0 }));
    const sentenceChunks = (deps.chunks ?? []).filter((c) => c.kind === "sentence");
    for (const c of sentenceChunks) {
      const i = this.unitIndex.get(key(c.doc, c.ref));
      if (i !== undefined) this.lexDocs.push({ unit: i, kind: "sentence", text: c.text, start: c.start });
    }
    this.bm25 = new Bm25Index(this.lexDocs.map((d) => termsOf(normalizeText(d.text))));
    this.chunkUnit = (deps.chunks ?? []).map((c) => this.unitIndex.get(key(c.doc, c.ref)) ?? -1);
  }

  /** How informative a token is in this corpus (BM25 idf of the word, or of the bigram when it is not a word). */
  termWeight(token: string): number {
    const word = this.bm25.df(`w:${token}`) > 0 ? this.bm25.idf(`w:${token}`) : 0;
    return word || this.bm25.idf(`b:${token}`);
  }

  /** A unit by document and ref. */
  unit(doc: string, ref: string): Unit | undefined {
    const i = this.unitIndex.get(key(doc, ref));
    return i === undefined ? undefined : this.units[i];
  }

  /** Finds the units that answer a question, best first; `history` resolves follow-ups. */
  async retrieve(question: string, opts: { k?: number; history?: Turn[] } = {}): Promise<Retrieval> {
    const k = opts.k ?? 5;
    const query = analyzeQuery(question, this.vocab);
    const followUp = resolveFollowUp(question, opts.history);
    const context = followUp.context ? analyzeQuery(followUp.context, this.vocab) : undefined;
    if (context) inheritContext(query, context);
    const n = this.units.length;
    const lexical = new Float64Array(n);
    const bestSentence = new Map<number, SupportingChunk[]>();

    const terms = this.queryTerms(query, context);
    for (const [docId, score] of this.bm25.score(terms)) {
      const d = this.lexDocs[docId]!;
      if (d.kind === "unit") lexical[d.unit]! += score;
      else {
        const list = bestSentence.get(d.unit) ?? [];
        list.push({ text: d.text, start: d.start, score });
        bestSentence.set(d.unit, list);
      }
    }
    for (const [u, list] of bestSentence) {
      list.sort((a, b) => b.score - a.score);
      lexical[u]! += 0.5 * list[0]!.score;
    }

    const vector = new Float64Array(n);
    if (this.deps.store && this.deps.embedder && query.embedText.trim()) {
      const qv = await this.deps.embedder.embedQuery(context && query.words.length < 2 ? `${query.embedText} ${context.embedText}` : query.embedText);
      for (const hit of this.deps.store.searchVector(qv, 40)) {
        const u = this.chunkUnit[hit.chunk] ?? -1;
        if (u >= 0) vector[u] = Math.max(vector[u]!, 1 - hit.distance);
      }
    }

    const structural = new Set<number>();
    for (const ref of query.structural) {
      for (const [i, u] of this.units.entries()) if (u.kind === ref.kind && u.number === ref.number) structural.add(i);
    }
    if (query.intent.meta) {
      for (const [i, u] of this.units.entries()) if (u.kind === "notice" && this.metaOnly(query)) structural.add(i);
    }

    const maxLex = Math.max(...lexical, 1e-9);
    const maxVec = Math.max(...vector, 1e-9);
    const ranked: RetrievedUnit[] = [];
    for (let i = 0; i < n; i++) {
      const lex = lexical[i]! / maxLex;
      const vec = vector[i]! / maxVec;
      const isStructural = structural.has(i);
      if (lex === 0 && vec === 0 && !isStructural) continue;
      const score = (1 - this.opts.vectorWeight) * lex + this.opts.vectorWeight * vec + (isStructural ? 2 : 0);
      ranked.push({
        unit: this.units[i]!,
        score,
        lexical: lex,
        lexicalRaw: lexical[i]!,
        vector: vector[i]!,
        structural: isStructural,
        coverage: 0,
        chunks: (bestSentence.get(i) ?? []).slice(0, 3),
      });
    }
    ranked.sort((a, b) => b.score - a.score);
    const top = ranked.slice(0, k);
    const measured = context && query.words.length < 2 ? mergeTopic(query, context) : query;
    for (const r of top) r.coverage = this.coverage(measured, this.unitIndex.get(key(r.unit.doc, r.unit.ref))!);
    return { query, units: top, ...this.confidence(query, top) };
  }

  /** A question about the plan itself (who, when, title) with little topic of its own. */
  private metaOnly(q: AnalyzedQuery): boolean {
    const topical = q.words.filter((w) => !/^(谁|发布|印发|发文|下发|出台|颁布|时候|什么时候|日期|哪天|部门|单位|发给|标题|名称|文件|方案|这份|这个|工作|哪个|哪些|何时|落款)$/.test(w));
    return topical.length <= 2;
  }

  private queryTerms(q: AnalyzedQuery, context?: AnalyzedQuery): QueryTerm[] {
    const terms = new Map<string, number>();
    const add = (t: string, w: number) => terms.set(t, Math.max(terms.get(t) ?? 0, w));
    if (context) {
      // The earlier topic counts, but less than what the follow-up itself says.
      const scale = q.words.length ? CONTEXT_WEIGHT : 1;
      for (const t of this.queryTerms(context)) add(t.term, t.weight * scale);
    }
    for (const w of q.words) add(`w:${w}`, this.opts.wordWeight);
    for (const b of q.bigrams) add(`b:${b}`, this.opts.bigramWeight);
    for (const e of q.expansions) {
      for (const t of e.terms) {
        const tok = tokenize(t);
        for (const w of tok.words) add(`w:${w}`, this.opts.wordWeight * this.opts.expansionWeight);
        for (const b of tok.bigrams) add(`b:${b}`, this.opts.bigramWeight * this.opts.expansionWeight * 0.5);
      }
    }
    return [...terms].map(([term, weight]) => ({ term, weight }));
  }

  /**
   * Share of the question's information present in a unit: idf-weighted bigrams and words of the
   * question itself; an everyday phrase counts as present when one of its plan terms is.
   */
  private coverage(q: AnalyzedQuery, unit: number): number {
    const text = this.unitTexts[unit]!;
    const maxIdf = Math.log(1 + this.bm25.size);
    const covered = new Set<string>();
    for (const e of q.expansions) if (e.terms.some((t) => text.includes(t))) for (const c of tokensIn(e.phrase)) covered.add(c);
    let total = 0;
    let hit = 0;
    const weigh = (token: string, prefix: string, scale: number) => {
      const idf = this.bm25.df(`${prefix}${token}`) > 0 ? this.bm25.idf(`${prefix}${token}`) : maxIdf;
      const w = idf * scale * (token.length >= 2 ? 1 : 0.3);
      total += w;
      if (text.includes(token) || covered.has(token)) hit += w;
    };
    for (const w of new Set(q.words)) weigh(w, "w:", 1);
    for (const b of new Set(q.bigrams)) weigh(b, "b:", 0.5);
    return total > 0 ? hit / total : 0;
  }

  private confidence(q: AnalyzedQuery, top: RetrievedUnit[]): Pick<Retrieval, "confidence" | "lowConfidence" | "reason"> {
    const best = top[0];
    if (!best) return { confidence: 0, lowConfidence: true, reason: "nothing in the plans matches the question" };
    if (best.structural && q.structural.length > 0) return { confidence: 0.99, lowConfidence: false };
    const outside = this.outOfScope(q);
    if (outside) return { confidence: 0.05, lowConfidence: true, reason: outside };
    if (best.structural && q.intent.meta) return { confidence: 0.95, lowConfidence: false };
    const unknownPenalty = q.language === "en" ? Math.min(0.3, 0.06 * q.unknownEnglish.length) : 0;
    const confidence = Math.max(0, Math.min(1, 0.75 * best.coverage + 0.5 * best.vector - unknownPenalty));
    const lowConfidence = confidence < this.opts.threshold;
    return { confidence, lowConfidence, ...(lowConfidence ? { reason: "the plans do not clearly cover this question" } : {}) };
  }

  /** A year or place the plans never mention makes the question one they cannot answer. */
  private outOfScope(q: AnalyzedQuery): string | undefined {
    const missingYear = q.years.find((y) => !this.corpusText.includes(String(y)));
    if (missingYear) return `the plans do not cover ${missingYear}`;
    if (q.relativeYears.length) return `the plans cover their own year, not ${q.relativeYears[0]}`;
    const place = q.places.find((p) => !this.corpusText.includes(normalizeText(p)));
    if (place) return `the plans do not cover ${place}`;
    return undefined;
  }
}

/** How much an earlier turn's words count in a follow-up that has words of its own. */
const CONTEXT_WEIGHT = 0.4;

/** A follow-up without its own reference or intent takes them from the turn it follows. */
function inheritContext(query: AnalyzedQuery, context: AnalyzedQuery): void {
  if (query.structural.length === 0 && context.structural.length > 0 && query.words.length <= 3) query.structural = context.structural;
  if (!query.intent.quantity && !query.intent.list && !query.intent.meta) query.intent = { ...context.intent };
  if (query.years.length === 0) query.years = context.years;
  if (query.places.length === 0) query.places = context.places;
}

/** The follow-up's words together with the earlier topic, for measuring coverage. */
function mergeTopic(query: AnalyzedQuery, context: AnalyzedQuery): AnalyzedQuery {
  return { ...query, words: [...query.words, ...context.words], bigrams: [...query.bigrams, ...context.bigrams], expansions: [...query.expansions, ...context.expansions] };
}

function key(doc: string, ref: string): string {
  return `${doc}\u0000${ref}`;
}

function termsOf(normalized: string): string[] {
  const { words, bigrams } = tokenize(normalized);
  return [...words.map((w) => `w:${w}`), ...bigrams.map((b) => `b:${b}`)];
}

function tokensIn(phrase: string): string[] {
  const { words, bigrams } = tokenize(phrase);
  return [...words, ...bigrams];
}
