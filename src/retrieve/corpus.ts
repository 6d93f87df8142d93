import type { Chunk } from "../indexing/chunks.js";
import { unitContext, unitSearchText } from "../indexing/chunks.js";
import type { PlanDocument, Unit } from "../plan/types.js";
import { toTarget } from "../targets/extract.js";
import { extractQuantities, RATE_BASE, type Quantity } from "../targets/quantities.js";
import type { Target } from "../targets/types.js";
import { Bm25Builder, type Bm25Data } from "./bm25.js";
import { sentenceAround } from "./figures.js";
import { CutText } from "./cut.js";
import { SubstringIndex, type SubstringData } from "./substrings.js";
import { addSegmenterWords, normalizeText, tokenize, type Tokens } from "./text.js";
import type { Figure } from "./types.js";
import { loadVocabulary } from "./vocabulary.js";

/** A unit's figures and dates (for answers) and its goals (the targets ledger), read once. */
export interface UnitQuantities {
  figures: Figure[];
  dates: Figure[];
  targets: Target[];
}

/**
 * Everything the retriever reads about a corpus at construction, worked out once: by the index
 * build (and saved in the index artifact), or by the retriever itself when it is given none.
 */
export interface CorpusData {
  bm25: Bm25Data;
  /** Every unit's normalised search text (context line, own text, children's headings), joined by line breaks. */
  corpusText: string;
  /** Unit i's text is corpusText[unitStarts[i], unitStarts[i + 1] − 1). */
  unitStarts: Int32Array;
  /** Every unit's heading, normalised. */
  headings: string[];
  /** The issuing notices' text, normalised. */
  noticeText: string;
  /** Words the segmenter learns before any text is cut (the plans' quoted terms, the vocabulary's short plan terms). */
  planTerms: string[];
  quantities: UnitQuantities[];
  /** Where each pair of characters occurs in corpusText (see {@link SubstringIndex}). */
  substrings: SubstringData;
}

/** A normalised text and its tokens; `span` says where it lies in a text cut once (see {@link CutText}). */
export interface TokenizedText {
  normalized: string;
  tokens: Tokens;
  span?: { cut: CutText; from: number; to: number };
}

/** A text normalised and tokenised. */
export const tokenizedText = (text: string): TokenizedText => {
  const normalized = normalizeText(text);
  return { normalized, tokens: tokenize(normalized) };
};

/**
 * Builds {@link CorpusData}, tokenising each text once: the index build reads the same tokens for its
 * embeddings (see {@link CorpusBuilder.unit} and {@link CorpusBuilder.sentence}). Lexical documents
 * are the units (ids 0…n−1), then the sentence chunks in chunk order.
 */
export class CorpusBuilder {
  readonly units: Unit[];
  private readonly unitIndex = new Map<string, number>();
  private readonly byRef = new Map<string, Map<string, Unit>>();
  private readonly bm25: Bm25Builder;
  private readonly unitParts: Array<string | undefined>;
  private readonly sentenceDoc = new Map<number, number>();
  private context: { unit: number; part: TokenizedText } | undefined;
  /** The unit whose search text was cut last, for its sentences. */
  private current: { unit: number; cut: CutText; aligned: boolean } | undefined;

  constructor(docs: PlanDocument[], private readonly chunks: Chunk[]) {
    this.units = docs.flatMap((d) => d.units);
    this.units.forEach((u, i) => this.unitIndex.set(unitKey(u.doc, u.ref), i));
    for (const d of docs) this.byRef.set(d.id, new Map(d.units.map((u) => [u.ref, u])));
    // The segmenter learns the plans' terms before any text is cut, so documents, their vectors and queries segment alike.
    addSegmenterWords(planTermsOf(this.units));
    let next = this.units.length;
    chunks.forEach((c, i) => {
      if (c.kind === "sentence" && this.unitIndex.has(unitKey(c.doc, c.ref))) this.sentenceDoc.set(i, next++);
    });
    this.bm25 = new Bm25Builder(next);
    this.unitParts = new Array(this.units.length);
  }

  /** Index of a unit by document and ref. */
  indexOf(doc: string, ref: string): number | undefined {
    return this.unitIndex.get(unitKey(doc, ref));
  }

  /** Unit i's context line and search text, tokenised (once; the lexical index takes the text). */
  unit(i: number): { context: TokenizedText; body: TokenizedText } {
    const u = this.units[i]!;
    const raw = unitSearchText(u, this.byRef.get(u.doc)!);
    const cut = new CutText(normalizeText(raw));
    // Normalisation maps character to character here, so a sentence's offsets in the unit hold in its normalised text.
    this.current = { unit: i, cut, aligned: cut.normalized.length === raw.length };
    const body: TokenizedText = { normalized: cut.normalized, tokens: cut.tokensIn(0, cut.normalized.length), span: { cut, from: 0, to: cut.normalized.length } };
    const context = this.contextOf(i);
    this.unitParts[i] = `${context.normalized}\n${body.normalized}`;
    this.bm25.setTokens(i, termsOf(body.tokens));
    return { context, body };
  }

  /** Sentence chunk `chunk`, tokenised (from its unit's cut when its unit came just before), with its unit's context line. */
  sentence(chunk: number): { context: TokenizedText; body: TokenizedText } {
    const c = this.chunks[chunk]!;
    const u = this.indexOf(c.doc, c.ref);
    const cur = this.current;
    let body: TokenizedText;
    if (cur && cur.unit === u && cur.aligned) {
      const from = c.start;
      const to = c.start + c.text.length;
      body = { normalized: cur.cut.normalized.slice(from, to), tokens: cur.cut.tokensIn(from, to), span: { cut: cur.cut, from, to } };
    } else body = tokenizedText(c.text);
    const doc = this.sentenceDoc.get(chunk);
    if (doc !== undefined) this.bm25.setTokens(doc, termsOf(body.tokens));
    return { context: u === undefined ? tokenizedText("") : this.contextOf(u), body };
  }

  private contextOf(i: number): TokenizedText {
    if (this.context?.unit !== i) this.context = { unit: i, part: tokenizedText(unitContext(this.units[i]!)) };
    return this.context.part;
  }

  /** The finished corpus; units and sentences not yet given are tokenised now. */
  finish(): CorpusData {
    for (let i = 0; i < this.units.length; i++) if (this.unitParts[i] === undefined) this.unit(i);
    for (const [chunk, doc] of this.sentenceDoc) if (!this.bm25.isSet(doc)) this.sentence(chunk);
    const unitStarts = new Int32Array(this.units.length + 1);
    for (let i = 0; i < this.units.length; i++) unitStarts[i + 1] = unitStarts[i]! + this.unitParts[i]!.length + 1;
    const corpusText = this.unitParts.join("\n");
    return {
      bm25: this.bm25.finish(),
      corpusText,
      substrings: new SubstringIndex(corpusText).toData(),
      unitStarts,
      headings: this.units.map((u) => normalizeText(u.heading)),
      noticeText: this.units.filter((u) => u.kind === "notice").map((u) => normalizeText(u.text)).join("\n"),
      planTerms: planTermsOf(this.units),
      quantities: this.units.map(quantitiesOf),
    };
  }
}

/** The corpus data of documents and their chunks, tokenised here (a retriever given no index). */
export function prepareCorpus(docs: PlanDocument[], chunks: Chunk[]): CorpusData {
  return new CorpusBuilder(docs, chunks).finish();
}

/** Quoted terms of the plans and the vocabulary's short plan terms: segmented as whole words. */
function planTermsOf(units: Unit[]): string[] {
  const terms = new Set<string>();
  for (const u of units) for (const m of u.text.matchAll(/“([^”]{2,12})”/g)) terms.add(m[1]!);
  for (const [, list] of loadVocabulary().expansions) for (const t of list) if (t.length <= 3) terms.add(t);
  return [...terms];
}

function quantitiesOf(u: Unit): UnitQuantities {
  const quantities = extractQuantities(u);
  const targets = quantities.filter((q) => q.role === "goal" && q.metric).map(toTarget);
  return { ...figuresAndDates(u, quantities), targets };
}

/** A unit's figures (goals, conditions, others) and dates; never 文号 or numbering. */
function figuresAndDates(unit: Unit, quantities: Quantity[]): { figures: Figure[]; dates: Figure[] } {
  // …nor the base of a rate (每10万人口, 每接收1名婴幼儿): a count it is per, never an amount asked for.
  const all = quantities.filter((q) => q.role !== "docnumber" && q.role !== "numbering" && !(q.kind === "count" && q.reason === RATE_BASE));
  const asFigure = (q: Quantity): Figure => ({ metric: q.metric, unit: q.unit, quote: q.quote, index: q.quoteStart, figure: q.figure });
  // A date alone says nothing ("2019年6月底前"): its sentence, verbatim, is what answers a when-question.
  const asDate = (q: Quantity): Figure => {
    const sentence = sentenceAround(unit.text, q.start, q.end - q.start).trim();
    return { metric: sentence, unit: q.unit, quote: sentence, index: unit.text.lastIndexOf(sentence, q.start), figure: q.figure };
  };
  return { figures: all.filter((q) => q.role !== "date").map(asFigure), dates: all.filter((q) => q.role === "date").map(asDate) };
}

/** The key of a unit in maps: document and ref. */
export function unitKey(doc: string, ref: string): string {
  return `${doc}\u0000${ref}`;
}

/** A text's lexical terms: its words as w:…, its bigrams as b:…. */
function termsOf(tokens: Tokens): Array<{ prefix: string; tokens: string[] }> {
  return [{ prefix: "w:", tokens: tokens.words }, { prefix: "b:", tokens: tokens.bigrams }];
}
