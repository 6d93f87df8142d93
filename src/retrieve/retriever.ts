import type { EmbeddingsInterface } from "@langchain/core/embeddings";
import type { Chunk } from "../indexing/chunks.js";
import { unitContext, unitSearchText } from "../indexing/chunks.js";
import type { HnswStore } from "../indexing/store.js";
import type { PlanDocument, Unit } from "../plan/types.js";
import { Bm25Index, type QueryTerm } from "./bm25.js";
import { FIGURE_MIN_SCORE, type FigureMatch, matchFigures, overlapNormalized } from "./figures.js";

export type { FigureMatch } from "./figures.js";
import { CONTEXT_WEIGHT, inheritContext, mergeTopic, resolveFollowUp, type Turn } from "./followup.js";
import { analyzeQuery, type AnalyzedQuery } from "./query.js";
import { addSegmenterWords, normalizeText, tokenize } from "./text.js";
import { loadVocabulary, type Vocabulary } from "./vocabulary.js";
import { extractTargets } from "../targets/extract.js";
import type { Target } from "../targets/types.js";

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

/** Why retrieval is not confident. */
export type LowConfidenceReason = "no-match" | "other-year" | "other-day" | "other-place" | "no-figure" | "no-date";

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
  reasonCode?: LowConfidenceReason;
  /** For "how much" questions: the matching targets of the top units, best first. */
  figures: FigureMatch[];
  /** The top unit's own heading names the question's topic (a broad question about that unit). */
  topicInTitle: boolean;
  /** The question's tokens weighted by how informative they are (see weightedTokens). */
  weights: Map<string, number>;
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

const DEFAULTS: Required<RetrieverOptions> = { wordWeight: 1, bigramWeight: 0.5, expansionWeight: 0.6, vectorWeight: 0.35, threshold: 0.12 };

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
  /** Per unit: its heading, normalised once. */
  private readonly headings: string[];
  /** The issuing notices' text, normalised. */
  private readonly noticeText: string;
  private readonly unitIndex = new Map<string, number>();
  private readonly corpusText: string;
  private readonly chunkUnit: number[];
  /** The targets ledger by unit (doc + ref). */
  private readonly targetsByUnit = new Map<string, Target[]>();

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
    for (const [, terms] of this.vocab.expansions) for (const t of terms) if (t.length <= 3) planTerms.add(t);
    addSegmenterWords(planTerms);

    const byRef = new Map<string, Map<string, Unit>>();
    for (const d of deps.docs) byRef.set(d.id, new Map(d.units.map((u) => [u.ref, u])));
    this.unitTexts = this.units.map((u) => normalizeText(`${unitContext(u)}\n${unitSearchText(u, byRef.get(u.doc)!)}`));
    this.corpusText = this.unitTexts.join("\n");
    this.headings = this.units.map((u) => normalizeText(u.heading));
    this.noticeText = this.units.filter((u) => u.kind === "notice").map((u) => normalizeText(u.text)).join("\n");
    this.units.forEach((u, i) => this.lexDocs.push({ unit: i, kind: "unit", text: unitSearchText(u, byRef.get(u.doc)!), start: 0 }));
    const sentenceChunks = (deps.chunks ?? []).filter((c) => c.kind === "sentence");
    for (const c of sentenceChunks) {
      const i = this.unitIndex.get(key(c.doc, c.ref));
      if (i !== undefined) this.lexDocs.push({ unit: i, kind: "sentence", text: c.text, start: c.start });
    }
    this.bm25 = new Bm25Index(this.lexDocs.map((d) => termsOf(normalizeText(d.text))));
    this.chunkUnit = (deps.chunks ?? []).map((c) => this.unitIndex.get(key(c.doc, c.ref)) ?? -1);
    this.targets = deps.docs.flatMap((d) => extractTargets(d));
    for (const t of this.targets) {
      const list = this.targetsByUnit.get(key(t.doc, t.ref)) ?? [];
      list.push(t);
      this.targetsByUnit.set(key(t.doc, t.ref), list);
    }
  }

  /** How informative a token is in this corpus (BM25 idf of the word, or of the bigram when it is not a word). */
  termWeight(token: string): number {
    const word = this.bm25.df(`w:${token}`) > 0 ? this.bm25.idf(`w:${token}`) : 0;
    return word || this.bm25.idf(`b:${token}`);
  }

  /** The whole targets ledger of the loaded documents, in document order. */
  readonly targets: Target[];

  /** The quantitative targets stated in a unit. */
  targetsOf(unit: Pick<Unit, "doc" | "ref">): Target[] {
    return this.targetsByUnit.get(key(unit.doc, unit.ref)) ?? [];
  }

  /** A unit by document and ref. */
  unit(doc: string, ref: string): Unit | undefined {
    const i = this.unitIndex.get(key(doc, ref));
    return i === undefined ? undefined : this.units[i];
  }

  /** Finds the units that answer a question, best first; `history` resolves follow-ups. */
  async retrieve(question: string, opts: { k?: number; history?: Turn[] } = {}): Promise<Retrieval> {
    const k = opts.k ?? 5;
    const inCorpus = (text: string) => this.corpusText.includes(text);
    const query = analyzeQuery(question, this.vocab, inCorpus);
    const followUp = resolveFollowUp(question, opts.history);
    const context = followUp.context ? analyzeQuery(followUp.context, this.vocab, inCorpus) : undefined;
    if (context) inheritContext(query, context, followUp.pointsBack === true);
    // "什么时候报名" asks about something else, not about when the plan was issued.
    if (query.intent.meta && !this.metaOnly(query)) query.intent.meta = false;
    const n = this.units.length;
    const lexical = new Float64Array(n);
    const bestSentence = new Float64Array(n);
    // Sentence hits are kept as (doc, score) pairs; only the final top units turn them into chunks.
    const sentenceHits: Array<[doc: number, score: number]> = [];

    const terms = this.queryTerms(query, context);
    for (const [docId, score] of this.bm25.score(terms)) {
      const d = this.lexDocs[docId]!;
      if (d.kind === "unit") lexical[d.unit]! += score;
      else {
        if (score > bestSentence[d.unit]!) bestSentence[d.unit] = score;
        sentenceHits.push([docId, score]);
      }
    }
    for (let i = 0; i < n; i++) lexical[i]! += 0.5 * bestSentence[i]!;
    // A unit whose own title names the topic is the natural answer to a broad question.
    const weights = this.weightedTokens(query);
    const topicWeights = new Map([...weights].filter(([t]) => t.length >= 2));
    for (let i = 0; i < n; i++) {
      if (lexical[i]! > 0) lexical[i]! += HEADING_BONUS * overlapNormalized(this.headings[i]!, topicWeights);
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
      for (const [i, u] of this.units.entries()) if (u.kind === "notice") structural.add(i);
    }
    if (query.intent.purpose) {
      for (const [i, u] of this.units.entries()) if (u.kind === "preamble") structural.add(i);
    }

    let maxLex = 1e-9;
    let maxVec = 1e-9;
    for (let i = 0; i < n; i++) {
      if (lexical[i]! > maxLex) maxLex = lexical[i]!;
      if (vector[i]! > maxVec) maxVec = vector[i]!;
    }
    // Scores for every unit, then only the best k become result objects (the corpus may hold 10⁵ units).
    const scores = new Float64Array(n);
    const best: number[] = [];
    for (let i = 0; i < n; i++) {
      const isStructural = structural.has(i);
      if (lexical[i] === 0 && vector[i] === 0 && !isStructural) continue;
      scores[i] = (1 - this.opts.vectorWeight) * (lexical[i]! / maxLex) + this.opts.vectorWeight * (vector[i]! / maxVec) + (isStructural ? 2 : 0);
      if (best.length < k || scores[i]! > scores[best[best.length - 1]!]!) {
        best.push(i);
        best.sort((a, b) => scores[b]! - scores[a]!);
        if (best.length > k) best.pop();
      }
    }
    const chunksOf = new Map<number, SupportingChunk[]>(best.map((i) => [i, []]));
    for (const [docId, score] of sentenceHits) {
      const d = this.lexDocs[docId]!;
      chunksOf.get(d.unit)?.push({ text: d.text, start: d.start, score });
    }
    const top: RetrievedUnit[] = best.map((i) => ({
      unit: this.units[i]!,
      score: scores[i]!,
      lexical: lexical[i]! / maxLex,
      lexicalRaw: lexical[i]!,
      vector: vector[i]!,
      structural: structural.has(i),
      coverage: 0,
      chunks: chunksOf.get(i)!.sort((a, b) => b.score - a.score).slice(0, 3),
    }));
    const measured = context && query.words.length < 2 ? mergeTopic(query, context) : query;
    for (const r of top) r.coverage = this.coverage(measured, this.unitIndex.get(key(r.unit.doc, r.unit.ref))!);
    const verdict = this.confidence(query, top, topicWeights);
    const topicInTitle = top[0] !== undefined && this.titleNamesTopic(query, top[0].unit);
    const figures = query.intent.quantity
      ? matchFigures(query, top, { weights, targetsOf: (u) => this.targetsOf(u), maxIdf: Math.log(1 + this.bm25.size) })
      : [];
    const byNumber = top[0]?.structural && query.structural.length > 0;
    // "第四部分有几块内容" counts children: a reference, not a target.
    const asksTarget = query.intent.quantity && !(byNumber && (top[0]!.unit.children.length > 0 || this.targetsOf(top[0]!.unit).length === 0));
    if (!verdict.lowConfidence && !(byNumber && !asksTarget)) {
      // A "how much" question is only answered by a figure about what it names; a "when" question by a date.
      if (asksTarget && !query.intent.meta && (figures[0]?.score ?? 0) < FIGURE_MIN_SCORE) {
        return { query, units: top, figures, topicInTitle, weights, confidence: Math.min(verdict.confidence, 0.3), lowConfidence: true, reason: "the plan gives no figure for this", reasonCode: "no-figure" };
      }
      const dated = top.slice(0, 2).filter((r) => r.unit.kind !== "notice").some((r) => r.chunks.some((c) => /\d{4}年|\d{1,2}月/.test(c.text)));
      if (query.intent.temporal && !query.intent.meta && !query.intent.quantity && !dated) {
        return { query, units: top, figures, topicInTitle, weights, confidence: Math.min(verdict.confidence, 0.3), lowConfidence: true, reason: "the plan gives no date for this", reasonCode: "no-date" };
      }
    }
    return { query, units: top, figures, topicInTitle, weights, ...verdict };
  }

  /** Query tokens weighted by how informative they are; everyday phrases contribute their plan terms. */
  weightedTokens(q: AnalyzedQuery): Map<string, number> {
    const w = new Map<string, number>();
    const add = (t: string, scale: number) => {
      if (!t) return;
      const v = this.termWeight(t) * scale * (t.length >= 2 ? 1 : 0.3);
      if (v > 0) w.set(t, Math.max(w.get(t) ?? 0, v));
    };
    for (const x of q.words) add(x, 1);
    for (const b of q.bigrams) add(b, 0.5);
    for (const e of q.expansions) {
      for (const t of e.terms) {
        add(t, 0.9 * (e.weight ?? 1));
        for (const x of tokenize(t).words) add(x, 0.7 * (e.weight ?? 1));
      }
    }
    if (q.language === "en") for (const t of q.normalized.split(/\s+/)) add(t, 1);
    return w;
  }

  /** In ranking, a lexicon expansion carries its own weight (against a question word); a reviewed one weighs expansionWeight. */
  private expansionScale(e: { weight?: number }): number {
    return e.weight === undefined ? 1 : e.weight / this.opts.expansionWeight;
  }

  /** A question about the plan itself (who, when, title) with little topic of its own. */
  private metaOnly(q: AnalyzedQuery): boolean {
    // Words of the notice itself (印发, 通知, the issuers' names) are about the document, not a topic.
    const noticeText = this.noticeText;
    const topical = q.words.filter((w) => !/^(谁|发布|印发|发文|下发|出台|颁布|时候|什么时候|日期|哪天|部门|单位|发给|标题|名称|文件|方案|这份|这个|工作|哪个|哪些|何时|落款)$/.test(w) && !(w.length >= 2 && noticeText.includes(w)));
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
        for (const w of tok.words) add(`w:${w}`, this.opts.wordWeight * this.opts.expansionWeight * this.expansionScale(e));
        for (const b of tok.bigrams) add(`b:${b}`, this.opts.bigramWeight * this.opts.expansionWeight * 0.5 * this.expansionScale(e));
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
    // A token is covered in full by its own text or a reviewed term, in part by a lexicon guess (its weight).
    const covered = new Map<string, number>();
    for (const e of q.expansions) if (e.terms.some((t) => text.includes(t))) for (const c of tokensIn(e.phrase)) covered.set(c, Math.max(covered.get(c) ?? 0, e.weight ?? 1));
    let total = 0;
    let hit = 0;
    const weigh = (token: string, prefix: string, scale: number) => {
      const idf = this.bm25.df(`${prefix}${token}`) > 0 ? this.bm25.idf(`${prefix}${token}`) : maxIdf;
      const w = idf * scale * (token.length >= 2 ? 1 : 0.3);
      total += w;
      hit += text.includes(token) ? w : w * (covered.get(token) ?? 0);
    };
    for (const w of new Set(q.words)) weigh(w, "w:", 1);
    for (const b of new Set(q.bigrams)) weigh(b, "b:", 0.5);
    return total > 0 ? hit / total : 0;
  }

  private confidence(q: AnalyzedQuery, top: RetrievedUnit[], topicWeights: Map<string, number>): Pick<Retrieval, "confidence" | "lowConfidence" | "reason" | "reasonCode"> {
    const best = top[0];
    if (!best) return { confidence: 0, lowConfidence: true, reason: "nothing in the plans matches the question", reasonCode: "no-match" };
    if (best.structural && q.structural.length > 0) return { confidence: 0.99, lowConfidence: false };
    const outside = this.outOfScope(q);
    if (outside) return { confidence: 0.05, lowConfidence: true, reason: outside.reason, reasonCode: outside.code };
    if (best.structural && (q.intent.meta || q.intent.purpose)) return { confidence: 0.95, lowConfidence: false };
    const unknownPenalty = q.language === "en" ? Math.min(0.3, 0.06 * q.unknownEnglish.length) : 0;
    const confidence = Math.max(0, Math.min(1, 0.75 * best.coverage + 0.5 * best.vector - unknownPenalty));
    // Low coverage alone is common for chatty questions; abstain when nothing informative matched either.
    // A unit whose own title names the question's topic (就业 → 促进高质量充分就业) is a match however short the question.
    const titled = this.titleNamesTopic(q, best.unit);
    const lowConfidence = !titled && (confidence < this.opts.threshold / 2 || (confidence < this.opts.threshold && this.matchedMass(best.unit, topicWeights) < MIN_MATCHED_MASS));
    return { confidence, lowConfidence, ...(lowConfidence ? { reason: "the plans do not clearly cover this question", reasonCode: "no-match" as const } : {}) };
  }

  /** Whether the unit's heading contains one of the question's words (two characters or more) or their plan terms. */
  private titleNamesTopic(q: AnalyzedQuery, unit: Unit): boolean {
    const heading = this.headings[this.unitIndex.get(key(unit.doc, unit.ref))!]!;
    const terms = [...q.words, ...q.expansions.flatMap((e) => e.terms)].filter((w) => w.length >= 2 && !/^\d+$/.test(w));
    return terms.some((w) => heading.includes(w));
  }

  /** Weight of the informative query tokens (two characters or more) that a unit contains. */
  private matchedMass(unit: Unit, topicWeights: Map<string, number>): number {
    return overlapNormalized(this.unitTexts[this.unitIndex.get(key(unit.doc, unit.ref))!]!, topicWeights);
  }

  /** A year or place the plans never mention makes the question one they cannot answer. */
  private outOfScope(q: AnalyzedQuery): { reason: string; code: LowConfidenceReason } | undefined {
    // "我2019年来杭州打工，我是安徽人…": in a resident's own story a year or a home province is background,
    // not what is asked; it only rules the question out when a figure or a date is asked for.
    if (q.narrative && !q.intent.quantity && !q.intent.temporal) return undefined;
    const missingYear = q.years.find((y) => !this.corpusText.includes(String(y)));
    if (missingYear) return { reason: `the plans do not cover ${missingYear}`, code: "other-year" };
    const relative = q.relativeYears[0];
    if (relative) {
      const day = /天|日|周|day|tomorrow|yesterday/i.test(relative);
      return { reason: `the plans cover their own year, not ${relative}`, code: day ? "other-day" : "other-year" };
    }
    const place = q.places.find((p) => !this.corpusText.includes(normalizeText(p)));
    if (place) return { reason: `the plans do not cover ${place}`, code: "other-place" };
    return undefined;
  }
}

/** Weight of query words found in a unit's own heading. */
const HEADING_BONUS = 0.5;
/** Below the confidence threshold, a unit must still match this much informative text. */
const MIN_MATCHED_MASS = 3;

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
