import type { EmbeddingsInterface } from "@langchain/core/embeddings";
import type { Chunk } from "../indexing/chunks.js";
import type { VectorIndex } from "../indexing/sparse-store.js";
import type { PlanDocument, Unit } from "../plan/types.js";
import { matchesRef, primaryKind, refLayout, type RefLayout } from "../plan/lookup.js";
import { Bm25Index, type QueryTerm } from "./bm25.js";
import { askedClasses, classFits, headingYear, measureClass, overlapNormalized } from "./figures.js";
import { gradeRanking, type GradeDeps } from "./grade.js";
import { asksContact, ownsPlace, planScopes, printsContact, relativeYearOf, type PlanScope } from "./scope.js";
import type { Figure, Ranking, Retrieval, RetrievedUnit, SupportingChunk } from "./types.js";
import { CONTEXT_WEIGHT, inheritContext, mergeTopic, namesNewThing, resolveFollowUp, type Turn } from "./followup.js";
import { addEnglishPlaces, analyzeQuery, hasEnglishPlace, headingTopic, namesPlace, type AnalyzedQuery } from "./query.js";
import { askedHead, askedKind, childrenOfKind, enumeratedOfKind } from "./enumeration.js";
import { placePinyin } from "./lexicon-data.js";
import { addSegmenterWords, bareHeading, isEnglish, normalizeText, tokenize } from "./text.js";
import { prepareCorpus, type CorpusData } from "./corpus.js";
import { SubstringIndex } from "./substrings.js";
import { englishContentWords, loadVocabulary, mapEnglish, type Vocabulary } from "./vocabulary.js";
import { GlossIndex } from "./gloss-index.js";
import { defaultLexicon } from "./lexicon.js";
import type { Target } from "../targets/types.js";
import { isTimeOfDay } from "../targets/quantities.js";

export type { Figure, FigureMatch, Grade, GradeReason, LowConfidenceReason, Ranking, Retrieval, RetrievedUnit, SupportingChunk } from "./types.js";

/** Tunable weights; defaults are what the evaluation set supports (see `npm run eval`). */
export interface RetrieverOptions {
  wordWeight?: number;
  bigramWeight?: number;
  expansionWeight?: number;
  vectorWeight?: number;
  /** Confidence below this abstains. */
  threshold?: number;
  /** Today, for relative years (明年); the system clock by default. */
  now?: () => Date;
}

/** Units scored before the coverage rerank: this many times k. */
const RERANK_POOL = 3;
/** Weight of coverage (0–1) beside the fused score (0–1, structural +2) in the rerank. */
const RERANK_COVERAGE = 0.5;
/** A question that names a place and asks whether it is in (包括我们这里吗, 我们这边能用上吗, 参加了吗). */
const INCLUDED_RE = /包括|包含|算不算|在不在|纳入|覆盖|轮到|能用上|用得上|能不能用|参加|参与|是不是试点|有没有我们|有我们/;
function asksPlaceIncluded(q: AnalyzedQuery): boolean {
  return q.language === "zh" && q.places.length + q.localPlaces.length > 0 && INCLUDED_RE.test(q.normalized);
}
/** At most this many words keep their spellings. */
const MAX_SPELLED = 10_000;
/** At most this many kinds keep their units' enumeration counts. */
const MAX_CACHED_KINDS = 64;
/** The unit listing a plan's places gains this much for such a question. */
const PLACE_LIST_BONUS = 0.5;
/** A list question's unit that enumerates this many of the kind asked… */
const MIN_ENUMERATED = 3;
/** …gains this much (a strong unit's score is about 1–2.5). */
const ENUMERATION_BONUS = 0.3;
/** Score added to a unit titled by the kind a list question asks for (报名材料 for 哪些材料), whose entries are the list. */
const TITLED_KIND_BONUS = 0.5;
const DEFAULTS: Required<RetrieverOptions> = { wordWeight: 1, bigramWeight: 0.5, expansionWeight: 0.6, vectorWeight: 0.35, threshold: 0.12, now: () => new Date() };

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
/** How far the fit of a unit's best figure of the asked measure moves it up (coverage moves it RERANK_COVERAGE). */
const FIGURE_RERANK = 0.3;
/** How far a unit titled by a year moves up when it is the year asked, and down when it is another. */
const YEAR_RERANK = 0.3;
/** Weight of a word said only in the asker's story, against one of the asking clause (1). */
const STORY_WEIGHT = 0.5;
/** How much the English reading of the units (GlossIndex) counts against an English question's Chinese readings. */
const GLOSS_SHARE = 0.6;
/** …for an English word the glossary, the register or the lexicon already read into plan terms. */
const GLOSS_READ_WEIGHT = 0.25;
/** Past this many units the English reading is not built (see addGlossScores). */
const GLOSS_MAX_UNITS = 20_000;
/** The asking clause must hold this share of the question's word weight to stand for what is asked. */
const STORY_ASK_MIN_SHARE = 0.3;

export class HybridRetriever {
  /** Whether the plans' own places have been given their English names (see rank). */
  private englishPlaces = false;
  /** Every unit read in English, built on the first English question. */
  private glossIndex?: GlossIndex;
  readonly units: Unit[];
  private readonly opts: Required<RetrieverOptions>;
  private readonly vocab: Vocabulary;
  private readonly lexDocs: LexDoc[] = [];
  private readonly bm25: Bm25Index;
  /** Per unit: the normalised text it can be matched on (own text, children's headings, context). */
  private readonly unitTexts: string[];
  /** A titled unit's own words, by index, for the numbered entries under it (对新引进到我市企业…具体标准如下：), read as theirs by coverage. */
  private readonly leads = new Map<number, string>();
  /** A numbered entry's (task, item) titled parent, by index; −1 for other units. */
  private readonly parentOf: Int32Array;
  /** What each unit's figures measure beyond their own sentence (see the constructor). */
  private readonly measuredBy: string[];
  /** Each unit's heading, a numbered entry's with its parent's before it. */
  private readonly entryHeadings: string[];
  /** Per unit: its heading, normalised once. */
  private readonly headings: string[];
  /** The issuing notices' text, normalised. */
  private readonly noticeText: string;
  private readonly unitIndex = new Map<string, number>();
  private readonly corpusText: string;
  /** Answers `corpusText.includes` without scanning it. */
  private readonly substrings: SubstringIndex;
  private readonly chunkUnit: number[];
  /** The targets ledger by unit (doc + ref). */
  private readonly targetsByUnit = new Map<string, Target[]>();
  /** Per plan: how many terms its units hold (for a term's density in the plan). */
  private readonly planLength = new Map<string, number>();
  /** Per plan: its title and short name, normalised (the words that name the plan rather than a unit). */
  private readonly titles = new Map<string, string>();
  /** Every figure and date of a unit, read with the targets at construction. */
  private readonly figureCache = new Map<string, { figures: Figure[]; dates: Figure[] }>();
  /** What each plan covers: its years, region and text. */
  private readonly scopes: Map<string, PlanScope>;
  /** Per plan: how its units are named by number (whether it prints 第N部分 headings). */
  private readonly layouts = new Map<string, RefLayout>();
  private readonly figureTexts = new WeakMap<Figure, string>();

  constructor(
    private readonly deps: { docs: PlanDocument[]; chunks?: Chunk[]; store?: VectorIndex; embedder?: EmbeddingsInterface; corpus?: CorpusData },
    opts: RetrieverOptions = {},
  ) {
    this.opts = { ...DEFAULTS, ...opts };
    this.vocab = loadVocabulary();
    this.units = deps.docs.flatMap((d) => d.units);
    for (const d of deps.docs) this.titles.set(d.id, normalizeText(`${d.meta.title} ${d.meta.shortName}`));
    for (const d of deps.docs) this.layouts.set(d.id, refLayout(d.units));
    this.scopes = planScopes(deps.docs);
    this.units.forEach((u, i) => this.unitIndex.set(key(u.doc, u.ref), i));
    // Worked out by the index build (or its artifact) when given; else here, from the documents.
    const corpus = deps.corpus ?? prepareCorpus(deps.docs, deps.chunks ?? []);
    if (deps.corpus) addSegmenterWords(corpus.planTerms);
    if (corpus.unitStarts.length !== this.units.length + 1) throw new Error(`retriever: the corpus data holds ${corpus.unitStarts.length - 1} units, the documents ${this.units.length}`);
    this.corpusText = corpus.corpusText;
    this.substrings = new SubstringIndex(corpus.corpusText, corpus.substrings);
    this.unitTexts = this.units.map((_, i) => corpus.corpusText.slice(corpus.unitStarts[i], corpus.unitStarts[i + 1]! - 1));
    this.headings = corpus.headings;
    // A numbered entry stands under its parent's title and lead as well as its own words (（一）发放就业安家补贴 ›
    // 对新引进到我市企业…就业的青年人才…具体标准如下： › 2.硕士研究生每人3万元): a question about the one is about the other.
    this.parentOf = Int32Array.from(this.units, (u) => {
      const p = u.kind === "task" || u.kind === "item" ? this.unitIndex.get(key(u.doc, u.parents[u.parents.length - 1] ?? "")) : undefined;
      return p !== undefined && this.units[p]!.kind !== "preamble" && this.units[p]!.kind !== "notice" ? p : -1;
    });
    // (Normalised once per parent, shared by its entries; so is the list's lead-in, the last clause of a line ending in a colon.)
    const leadIns = new Map<number, string>();
    for (const p of this.parentOf) {
      if (p < 0 || this.leads.has(p)) continue;
      this.leads.set(p, normalizeText(this.units[p]!.text));
      const line = this.units[p]!.text.split("\n").find((l, k) => k > 0 && /[：:]\s*$/.test(l)) ?? "";
      leadIns.set(p, normalizeText(/[^。；;！？]*$/.exec(line)![0]));
    }
    // What a unit's figures measure beyond their sentence: the title a numbered entry stands under, and the question a
    // 问答 entry answers (问：育儿补贴每年能领多少 over 答：…每孩每年3600元).
    // An entry of a list under a lead-in (4.2.1 启动条件：出现下列情况之一的，启动Ⅳ级应急响应： › （3）白沙站水位达到警戒水位
    // 6.50米) measures what the lead-in says, too.
    this.measuredBy = this.units.map((u, i) => {
      const p = this.parentOf[i]!;
      if (p < 0) return QA_HEADING_RE.test(u.heading) ? this.headings[i]! : "";
      return [this.headings[p]!, leadIns.get(p)!, QA_HEADING_RE.test(u.heading) ? this.headings[i]! : ""].join(" ").trim();
    });
    this.entryHeadings = this.units.map((_, i) => (this.parentOf[i]! >= 0 ? `${this.headings[this.parentOf[i]!]!}\n${this.headings[i]!}` : this.headings[i]!));
    this.noticeText = corpus.noticeText;
    this.units.forEach((_, i) => this.lexDocs.push({ unit: i, kind: "unit", text: "", start: 0 }));
    for (const c of deps.chunks ?? []) {
      if (c.kind !== "sentence") continue;
      const i = this.unitIndex.get(key(c.doc, c.ref));
      if (i !== undefined) this.lexDocs.push({ unit: i, kind: "sentence", text: c.text, start: c.start });
    }
    this.bm25 = new Bm25Index(corpus.bm25);
    if (this.bm25.size !== this.lexDocs.length) throw new Error(`retriever: the lexical index holds ${this.bm25.size} documents, expected ${this.lexDocs.length}`);
    this.lexDocs.forEach((d, i) => {
      if (d.kind === "unit") this.planLength.set(this.units[d.unit]!.doc, (this.planLength.get(this.units[d.unit]!.doc) ?? 0) + this.bm25.length(i));
    });
    this.chunkUnit = (deps.chunks ?? []).map((c) => this.unitIndex.get(key(c.doc, c.ref)) ?? -1);
    // Each unit's quantities were read once: the ledger's targets (its goals) and the figures and dates answers use.
    this.targets = [];
    this.units.forEach((u, i) => {
      const q = corpus.quantities[i]!;
      this.targets.push(...q.targets);
      if (q.targets.length) this.targetsByUnit.set(key(u.doc, u.ref), q.targets);
      this.figureCache.set(key(u.doc, u.ref), { figures: q.figures, dates: q.dates });
    });
  }

  /** How informative a token is in this corpus (BM25 idf of the word, or of the bigram when it is not a word). */
  termWeight(token: string): number {
    const word = this.bm25.df(`w:${token}`) > 0 ? this.bm25.idf(`w:${token}`) : 0;
    return word || this.bm25.idf(`b:${token}`);
  }

  /**
   * How much each plan, read as a whole, is about a question's words: per word, the log of its
   * density in the plan's units, weighted by how informative the word is. A plan that speaks of
   * 药品 and 医院 throughout is more about a question on medicine than one that names them once.
   */
  planAffinity(weights: Map<string, number>): Map<string, number> {
    const out = new Map<string, number>();
    for (const [token, w] of weights) {
      const term = this.bm25.df(`w:${token}`) > 0 ? `w:${token}` : `b:${token}`;
      const count = new Map<string, number>();
      this.bm25.forEachPosting(term, (doc, tf) => {
        const d = this.lexDocs[doc]!;
        if (d.kind === "unit") count.set(this.units[d.unit]!.doc, (count.get(this.units[d.unit]!.doc) ?? 0) + tf);
      });
      for (const [plan, c] of count) out.set(plan, (out.get(plan) ?? 0) + w * (MENTION_AFFINITY + Math.log(1 + (1000 * c) / (this.planLength.get(plan) ?? 1))));
    }
    return out;
  }

  /** The years a plan's text names (its own year, target years, its notice's date). */
  planYears(doc: string): ReadonlySet<number> | undefined {
    return this.scopes.get(doc)?.years;
  }

  /** The province or city whose government issued a plan (四川), undefined for a national plan. */
  planRegion(doc: string): string | undefined {
    return this.scopes.get(doc)?.region;
  }

  /** The plans' terms an English phrase reads as (the projects → 项目, total investment → 总投资), those the plans print. */
  englishTerms(text: string): string[] {
    const inCorpus = (t: string) => this.substrings.has(t);
    const mapped = mapEnglish(text, this.vocab, inCorpus);
    return [...new Set([...mapped.terms, ...mapped.groups.flatMap((g) => g.terms)])].filter(inCorpus);
  }

  /** The place a plan is for, as a question names it (株洲, 东海区), undefined for a national plan. */
  planPlace(doc: string): string | undefined {
    return this.scopes.get(doc)?.place;
  }

  /** Whether a place is a plan's own (its region, or named by its issuers or title): its figures are that place's. */
  ownsPlace(doc: string, place: string): boolean {
    return ownsPlace(this.scopes.get(doc), place);
  }

  /** Today, as the retriever counts relative years. */
  today(): Date {
    return this.opts.now();
  }

  /** The calendar years the question's relative year words mean today (明年 → next year). */
  relativeYears(words: readonly string[]): number[] {
    return words.map((w) => relativeYearOf(w, this.opts.now())).filter((y): y is number => y !== undefined);
  }

  /** The whole targets ledger of the loaded documents, in document order. */
  readonly targets: Target[];

  /** Every figure stated in a unit, for grading and figure answers. */
  figuresOf(unit: Pick<Unit, "doc" | "ref">): Figure[] {
    return this.quantitiesOf(unit).figures;
  }

  /** The dates a unit states, as figures (for when-questions). */
  datesOf(unit: Pick<Unit, "doc" | "ref">): Figure[] {
    return this.quantitiesOf(unit).dates;
  }

  private quantitiesOf(unit: Pick<Unit, "doc" | "ref">): { figures: Figure[]; dates: Figure[] } {
    return this.figureCache.get(key(unit.doc, unit.ref)) ?? { figures: [], dates: [] };
  }

  /** What the grading step reads about this corpus. */
  private get gradeDeps(): GradeDeps {
    return {
      threshold: this.opts.threshold,
      maxIdf: Math.log(1 + this.bm25.size),
      figuresOf: (u) => this.figuresOf(u),
      childrenOf: (u) => u.children.map((r) => this.unit(u.doc, r)).filter((c): c is Unit => c !== undefined),
      datesOf: (u) => this.datesOf(u),
      titleNamesTopic: (q, u) => this.titleNamesTopic(q, u),
      matchedMass: (u, w) => this.matchedMass(u, w),
      corpusHas: (t) => this.substrings.has(t),
      unitText: (u) => this.unitTexts[this.unitIndex.get(key(u.doc, u.ref))!]!,
      leadOf: (u) => this.measuredBy[this.unitIndex.get(key(u.doc, u.ref)) ?? -1] ?? "",
      scopeOf: (u) => this.scopes.get(u.doc),
      now: this.opts.now,
    };
  }

  /** The quantitative targets stated in a unit. */
  targetsOf(unit: Pick<Unit, "doc" | "ref">): Target[] {
    return this.targetsByUnit.get(key(unit.doc, unit.ref)) ?? [];
  }

  /** A unit by document and ref. */
  unit(doc: string, ref: string): Unit | undefined {
    const i = this.unitIndex.get(key(doc, ref));
    return i === undefined ? undefined : this.units[i];
  }

  /**
   * Finds the units that answer a question, best first, and grades how far they answer it: the
   * question is analysed once, {@link rank} ranks, and the grading step judges. `docs` limits it to those plans.
   */
  async retrieve(question: string, opts: RankOptions = {}): Promise<Retrieval> {
    return gradeRanking(await this.rank(question, opts), this.gradeDeps);
  }

  /** Ranks the units for a question (no judgement of scope, figures or dates); `history` resolves follow-ups; `docs` limits it to those plans. */
  async rank(question: string, opts: RankOptions = {}): Promise<Ranking> {
    const k = opts.k ?? 5;
    // Scoped to some plans: units of the others are never scored, so nothing of theirs can win.
    const scope = opts.docs ? new Set(opts.docs) : undefined;
    // Inside one plan, the words of its own title (无废城市, 药品集中采购) name the plan, not a unit:
    // they weigh little in ranking and count as covered by each of its units.
    const title = opts.withinPlan && scope?.size === 1 ? this.titles.get([...scope][0]!) : undefined;
    const inTitle = (token: string) => title !== undefined && token.length >= 2 && title.includes(token);
    const inScope = (i: number) => !scope || scope.has(this.units[i]!.doc);
    const inCorpus = (text: string) => this.substrings.has(text);
    // "…in Luoyang": an English question may name a plan's own city by its pinyin, looked up in the dictionary
    // when the first English question comes (not at start-up: most questions are Chinese).
    if (!this.englishPlaces && isEnglish(question)) {
      addEnglishPlaces(placePinyin([...this.scopes.values()].flatMap((sc) => (sc.region && !hasEnglishPlace(sc.region) ? [sc.region] : []))));
      this.englishPlaces = true;
    }
    const spellOut = (word: string) => {
      let found = this.spelled.get(word);
      if (!found) {
        if (this.spelled.size >= MAX_SPELLED) this.spelled.clear();
        found = this.substrings.spellOut(word);
        this.spelled.set(word, found);
      }
      return found;
    };
    const query = analyzeQuery(question, this.vocab, inCorpus, spellOut);
    const followUp = resolveFollowUp(question, opts.history);
    const context = followUp.context ? analyzeQuery(followUp.context, this.vocab, inCorpus, spellOut) : undefined;
    if (context) inheritContext(query, context, followUp.pointsBack === true);
    // "什么时候报名" asks about something else, not about when the plan was issued.
    if (query.intent.meta && !this.metaOnly(query, inTitle)) query.intent.meta = false;
    const n = this.units.length;
    const lexical = new Float64Array(n);
    const bestSentence = new Float64Array(n);
    // Sentence hits are kept as (doc, score) pairs; only the final top units turn them into chunks.
    const sentenceHits: Array<[doc: number, score: number]> = [];

    for (const [docId, score] of this.lexicalScores(query, context, inTitle)) {
      const d = this.lexDocs[docId]!;
      if (d.kind === "unit") lexical[d.unit]! += score;
      else {
        if (score > bestSentence[d.unit]!) bestSentence[d.unit] = score;
        sentenceHits.push([docId, score]);
      }
    }
    for (let i = 0; i < n; i++) lexical[i]! += 0.5 * bestSentence[i]!;
    if (query.language === "en") this.addGlossScores(query, lexical);
    // A unit whose own title names the topic is the natural answer to a broad question.
    const weights = new Map([...this.weightedTokens(query)].map(([t, w]) => [t, inTitle(t) ? w * TITLE_WEIGHT : w] as const));
    // A follow-up that names no thing of its own ("那2029年呢") asks its figure of the earlier topic; one that does
    // ("那蔬菜呢" after 粮食) asks of its own thing, which the earlier one would only crowd.
    const bareFollowUp = context !== undefined && !namesNewThing(query);
    if (bareFollowUp) for (const [t, w] of this.weightedTokens(context!)) if (!weights.has(t)) weights.set(t, inTitle(t) ? w * TITLE_WEIGHT : w);
    const topicWeights = new Map([...weights].filter(([t]) => t.length >= 2));
    for (let i = 0; i < n; i++) {
      // A list question asks for the titled unit itself, not one of its entries: only its own heading counts there.
      if (lexical[i]! > 0) lexical[i]! += HEADING_BONUS * overlapNormalized(query.intent.list ? this.headings[i]! : this.entryHeadings[i]!, topicWeights);
    }
    // …and matches some of what its titled unit matches (its lead says what the entry is about).
    if (!query.intent.list) {
      const own = Float64Array.from(lexical);
      for (let i = 0; i < n; i++) if (this.parentOf[i]! >= 0 && own[i]! > 0) lexical[i]! += ENTRY_LEAD_SHARE * own[this.parentOf[i]!]!;
    }

    const vector = new Float64Array(n);
    if (this.deps.store && this.deps.embedder && query.embedText.trim()) {
      const embedText = title ? withoutTitle(query.embedText, title) : query.embedText;
      const qv = await this.deps.embedder.embedQuery(bareFollowUp ? `${embedText} ${context!.embedText}` : embedText);
      const filter = scope ? (chunk: number) => (this.chunkUnit[chunk] ?? -1) >= 0 && inScope(this.chunkUnit[chunk]!) : undefined;
      for (const hit of this.deps.store.searchVector(qv, 40, filter)) {
        const u = this.chunkUnit[hit.chunk] ?? -1;
        if (u >= 0) vector[u] = Math.max(vector[u]!, 1 - hit.distance);
      }
      // A numbered entry is as near as the titled unit it stands under (its lead names what all its entries measure);
      // not for a list question, which asks for that unit itself.
      if (!query.intent.list) {
        for (let i = 0; i < n; i++) {
          const p = this.parentOf[i]!;
          if (p >= 0 && vector[p]! > vector[i]!) vector[i] = vector[p]!;
        }
      }
    }

    const structural = new Set<number>();
    for (const ref of query.structural) {
      // A bare 附件 names a plan's annex only where the plan has one: of several, it does not say which.
      const bare = ref.kind === "annex" && /^附[件表]$/.test(ref.match);
      const hits = [...this.units.entries()].filter(([, u]) => matchesRef(u, ref, this.layouts.get(u.doc)) && (!bare || this.annexCount(u.doc) === 1));
      // 第三章第三节 is the 节, not a （三） of another 节 of that chapter, in a plan that has the 节; and 第13项,
      // with no annex named, is the body's task 13, not an annex's line 13.
      const fit = (u: Unit) => (primaryKind(u, ref, this.layouts.get(u.doc)) ? 2 : 0) + (ref.within || ref.kind === "row" || !u.ref.startsWith("annex:") ? 1 : 0);
      const best = new Map<string, number>();
      for (const [, u] of hits) best.set(u.doc, Math.max(best.get(u.doc) ?? 0, fit(u)));
      for (const [i, u] of hits) if (fit(u) === best.get(u.doc)) structural.add(i);
    }
    // "附件任务分解表里，农贸市场项目的完成时限是什么时候": a topic named inside a referenced annex, box or part points to
    // the entries of it that speak of it (not to the whole annex); a list question still asks for the whole.
    if (!query.intent.list && query.structural.length > 0) for (const i of [...structural]) for (const d of this.entriesNamed(query, i)) structural.add(d);
    if (query.intent.meta) {
      // A plan printed without an issuing notice (a 政策解读, a guide) states its 文号 and date in its opening lines.
      this.noticed ??= new Set(this.units.filter((u) => u.kind === "notice").map((u) => u.doc));
      for (const [i, u] of this.units.entries()) if (u.kind === "notice" || (u.kind === "preamble" && !this.noticed.has(u.doc))) structural.add(i);
    }
    // "重点工作有哪些举措": a list question whose whole topic is a unit's heading asks for that unit's contents.
    const heading = query.intent.list && query.structural.length === 0 ? headingTopic(query.raw, EXACT_HEADING_MAX) : undefined;
    if (heading) {
      const bare = this.bareHeadings();
      for (const [i, u] of this.units.entries()) if (bare[i] === heading && u.kind !== "notice" && u.kind !== "preamble") structural.add(i);
    }
    if (query.intent.purpose) {
      for (const [i, u] of this.units.entries()) if (u.kind === "preamble") structural.add(i);
    }

    let maxLex = 1e-9;
    let maxVec = 1e-9;
    for (let i = 0; i < n; i++) {
      if (scope && !inScope(i)) {
        lexical[i] = 0;
        vector[i] = 0;
        structural.delete(i);
        continue;
      }
      if (lexical[i]! > maxLex) maxLex = lexical[i]!;
      if (vector[i]! > maxVec) maxVec = vector[i]!;
    }
    // Scores for every unit, then only the best k become result objects (the corpus may hold 10⁵ units).
    const scores = new Float64Array(n);
    let best: number[] = [];
    const pool = Math.max(k, Math.ceil(k * RERANK_POOL));
    for (let i = 0; i < n; i++) {
      const isStructural = structural.has(i);
      if (lexical[i] === 0 && vector[i] === 0 && !isStructural) continue;
      scores[i] = (1 - this.opts.vectorWeight) * (lexical[i]! / maxLex) + this.opts.vectorWeight * (vector[i]! / maxVec) + (isStructural ? 2 : 0);
      if (best.length < pool || scores[i]! > scores[best[best.length - 1]!]!) {
        best.push(i);
        best.sort((a, b) => scores[b]! - scores[a]!);
        if (best.length > pool) best.pop();
      }
    }
    this.addPlaceLists(query, best, scores, inScope);
    this.addContactUnits(query, best, scores, lexical, inScope);
    const measured = bareFollowUp ? mergeTopic(query, context!) : query;
    const coverage = new Map(best.map((i) => [i, this.coverage(measured, i, title)] as const));
    // How much of the question a unit covers reorders the best-scored units: BM25 favours a short unit that repeats
    // one word (试点) over the one that holds the question's other words too (11个城市…试点).
    // Only units that speak for themselves: a part's searchable text holds its sections' headings, which cover much and say little.
    // An English question's coverage counts any of a word's many readings, so it reorders less.
    const rerank = query.language === "en" ? RERANK_COVERAGE / 2 : RERANK_COVERAGE;
    for (const i of best) if (this.units[i]!.children.length === 0) scores[i] = scores[i]! + rerank * coverage.get(i)!;
    this.rerankByFigures(measured, best, scores, topicWeights);
    this.rerankByYear(measured, best, scores);
    this.rerankByEnumeration(query, best, scores, lexical, inScope);
    // The issuing notice and the document's own marks (文号, 附件 list) hold the plan's title and its annexes' names,
    // which match many questions on their words alone: they answer a question about the document, not its topic.
    if (!query.intent.meta && !DOCUMENT_ASK_RE.test(query.raw)) for (const i of best) if (this.units[i]!.kind === "notice" && !structural.has(i)) scores[i] = scores[i]! * NOTICE_OFF_TOPIC;
    best = best.sort((a, b) => scores[b]! - scores[a]!).slice(0, k);
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
    for (const [j, r] of top.entries()) r.coverage = coverage.get(best[j]!)!;
    return { query, units: top, weights };
  }

  /**
   * An English question matched against every unit read in English (see GlossIndex), beside its Chinese
   * readings: the best unit gains GLOSS_SHARE of the best lexical score, the others in proportion.
   */
  private addGlossScores(q: AnalyzedQuery, lexical: Float64Array): void {
    // Words the glossary or the register already read into the plans' terms are surer there; the English reading
    // matters most for the words nothing else read.
    const unread = new Set(q.unknownEnglish);
    const words = englishContentWords(q.raw).map((word) => ({ word, weight: unread.has(word) ? 1 : GLOSS_READ_WEIGHT }));
    // Built on the first English question: about 0.7 s and 35 MB per 0.5 MB of plan text, so a corpus past
    // GLOSS_MAX_UNITS units is read through its Chinese readings only, not held up for seconds.
    if (words.length === 0 || this.units.length > GLOSS_MAX_UNITS) return;
    this.glossIndex ??= new GlossIndex(this.unitTexts, defaultLexicon().dictionary);
    const scores = this.glossIndex.score(words);
    let top = 0;
    for (const s of scores.values()) if (s > top) top = s;
    if (top <= 0) return;
    let maxLex = 0;
    for (const v of lexical) if (v > maxLex) maxLex = v;
    const scale = (GLOSS_SHARE * (maxLex > 0 ? maxLex : 1)) / top;
    for (const [unit, s] of scores) lexical[unit]! += scale * s;
  }

  /**
   * The entries of a referenced unit that a question's own topic names: words of the question outside the
   * reference, the unit's heading and its plan's title, found in some of its descendants but not all.
   */
  private entriesNamed(q: AnalyzedQuery, container: number): number[] {
    const u = this.units[container]!;
    if (u.children.length === 0) return [];
    const own = normalizeText(`${u.label} ${u.heading} ${q.structural.map((r) => r.match).join(" ")} ${this.titles.get(u.doc) ?? ""}`);
    const places = new Set([...q.places, ...q.localPlaces]);
    const topic = q.words.filter((w) => w.length >= 2 && !own.includes(w) && !places.has(w) && !TOPIC_STOP_RE.test(w));
    if (topic.length === 0) return [];
    // Its descendants, through the children each unit lists (not a scan of every unit of every plan).
    const inside: number[] = [];
    for (let stack = [...u.children]; stack.length > 0; ) {
      const i = this.unitIndex.get(key(u.doc, stack.pop()!));
      if (i === undefined) continue;
      inside.push(i);
      stack.push(...this.units[i]!.children);
    }
    const telling = topic.filter((w) => { const n = inside.filter((i) => this.unitTexts[i]!.includes(w)).length; return n > 0 && n < inside.length; });
    return inside.filter((i) => telling.some((w) => this.unitTexts[i]!.includes(w)));
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

  /** The plans' spellings of words they never print, as looked up (液化气 → 液化石油气). */
  private readonly spelled = new Map<string, string[]>();

  /** How many annexes a plan has (附件1, 附件2 …), counted once per plan. */
  private readonly annexCounts = new Map<string, number>();
  private annexCount(doc: string): number {
    let n = this.annexCounts.get(doc);
    if (n === undefined) {
      n = this.units.filter((u) => u.doc === doc && u.kind === "annex").length;
      this.annexCounts.set(doc, n);
    }
    return n;
  }

  /** Per unit: its heading without spaces and punctuation, as a list question's topic is compared with it; made on first use. */
  private bareHeadingList?: string[];
  private bareHeadings(): string[] {
    this.bareHeadingList ??= this.units.map((u) => bareHeading(u.heading));
    return this.bareHeadingList;
  }

  /** A question about the plan itself (who, when, title) with little topic of its own. */
  private metaOnly(q: AnalyzedQuery, inTitle: (token: string) => boolean): boolean {
    // Words of the notice itself (印发, 通知, the issuers' names) and of the chosen plan's name (集采) are about the document, not a topic.
    const noticeText = this.noticeText;
    // "试点城市政府什么时候印发实施方案": a plan's body that itself speaks of issuing that (印发实施方案) makes it a question about the body.
    // "把实施方案印发出来" says the same as "印发实施方案".
    const normalized = q.normalized.replace(/\s+/g, "").replace(/把([\u4e00-\u9fff]{2,8}?)(印发|发布|出台|下发|颁布)/g, "$2$1");
    for (const m of normalized.matchAll(/(印发|发布|出台|下发|颁布)([\u4e00-\u9fff]{2,8})/g)) {
      const object = m[2]!.replace(/^(?:的|了|给|这个|这份|该|本)+/, "").split(/[的了吗呢啊是]|出来|下来|出去/)[0]!;
      // The object or its head (无废城市实施方案 → 实施方案), three characters at least: 方案 alone is this plan too.
      const heads = [...object].map((_, i) => object.slice(i)).filter((h) => h.length >= 3 && !noticeText.includes(`${m[1]}${h}`));
      const issued = heads.map((h) => new RegExp(`${m[1]}[^。；;！？\n]{0,12}${h}`));
      if (issued.length && this.units.some((u, i) => u.kind !== "notice" && issued.some((re) => re.test(this.unitTexts[i]!)))) return false;
    }
    // "Who issued the work plan on the 'Ten Million Project' (千万工程)": a quoted English phrase is a name, not a topic.
    const quoted = q.language === "en" ? [...q.raw.matchAll(/['"‘“]([^'"‘’“”]{3,80})['"’”]/g)].map((m) => m[1]!.toLowerCase()) : [];
    const named = new Set(q.expansions.filter((e) => quoted.some((s) => s.includes(e.phrase.toLowerCase()))).flatMap((e) => e.terms.flatMap((t) => tokensIn(t))));
    const topical = q.words.filter((w) => w.length >= 2 && !META_WORDS.test(w) && !noticeText.includes(w) && !inTitle(w) && !named.has(w));
    // "什么时候交报告" asks when something happens; only a question about the document (印发, 文号, 谁发的) may carry a topic word or two.
    return topical.length <= (DOCUMENT_ASK_RE.test(q.raw) ? 2 : 0);
  }

  /**
   * BM25 of the question's own words, plus, for each everyday phrase, its best-matching plan term only:
   * a phrase's terms are alternatives for one thing, so a unit holding all of them (医疗卫生人员,
   * 医疗卫生人才 and 省编市用 for 医生) is not three times as relevant as one holding one of them.
   */
  private lexicalScores(q: AnalyzedQuery, context?: AnalyzedQuery, inTitle: (token: string) => boolean = () => false): Map<number, number> {
    // An English question's Chinese words are its phrases' readings: they count as alternatives below, not as words of its own.
    const readings = q.language === "en" ? new Set(q.expansions.flatMap((e) => e.terms.flatMap((t) => tokensIn(t)))) : new Set<string>();
    const ownQuery = readings.size ? { ...q, words: q.words.filter((w) => !readings.has(w)), bigrams: q.bigrams.filter((b) => !readings.has(b)) } : q;
    const story = this.storyScale(q);
    const own = this.queryTerms({ ...ownQuery, expansions: [] }, context).map((t) => ({ ...t, weight: t.weight * (inTitle(t.term.slice(2)) ? TITLE_WEIGHT : 1) * story(t.term.slice(2)) }));
    const total = this.bm25.score(own);
    const asked = new Set(own.map((t) => t.term));
    const byPhrase = new Map<string, Map<string, number>>();
    for (const e of q.expansions) {
      const alternatives = byPhrase.get(e.phrase) ?? new Map<string, number>();
      for (const t of e.terms) alternatives.set(t, Math.max(alternatives.get(t) ?? 0, this.expansionScale(e) * story(e.phrase)));
      byPhrase.set(e.phrase, alternatives);
    }
    for (const alternatives of byPhrase.values()) {
      // Each alternative is scored against what it would score in a typical unit, so that a rare wording
      // (省编市用) is no stronger evidence of the phrase than a common one (医务人员); the phrase weighs
      // what its alternatives weigh on average.
      const scored: Array<{ scores: Map<number, number>; self: number }> = [];
      for (const [term, scale] of alternatives) {
        const tok = tokenize(term);
        // A token the question itself holds is scored once, as the question's.
        const terms = [
          ...tok.words.filter((w) => !asked.has(`w:${w}`)).map((w) => ({ term: `w:${w}`, weight: this.opts.wordWeight * this.opts.expansionWeight * scale * (inTitle(w) ? TITLE_WEIGHT : 1) })),
          ...tok.bigrams.filter((b) => !asked.has(`b:${b}`)).map((b) => ({ term: `b:${b}`, weight: this.opts.bigramWeight * this.opts.expansionWeight * 0.5 * scale * (inTitle(b) ? TITLE_WEIGHT : 1) })),
        ];
        const self = terms.reduce((sum, t) => sum + t.weight * this.bm25.idf(t.term), 0);
        if (self > 0) scored.push({ scores: this.bm25.score(terms), self });
      }
      if (scored.length === 0) continue;
      const mass = scored.reduce((sum, x) => sum + x.self, 0) / scored.length;
      // The best alternative counts in full, the others a little: a unit naming the thing several ways
      // (短缺, 供应, 储备 for 断货) is more surely about it than one naming it once.
      const best = new Map<number, number>();
      const rest = new Map<number, number>();
      for (const { scores, self } of scored) {
        for (const [doc, raw] of scores) {
          const score = (raw / self) * mass;
          const top = best.get(doc) ?? 0;
          rest.set(doc, (rest.get(doc) ?? 0) + Math.min(top, score));
          best.set(doc, Math.max(top, score));
        }
      }
      for (const [doc, score] of best) total.set(doc, (total.get(doc) ?? 0) + score + OTHER_ALTERNATIVES * (rest.get(doc) ?? 0));
    }
    return total;
  }

  /**
   * "哪几类固体废物", "选了哪些城市": a unit that enumerates at least three of the kind asked (以大宗工业固体废物、
   * 主要农业废弃物、生活垃圾和建筑垃圾、危险废物为重点; 北京、天津、上海…) is the list asked for.
   */
  private rerankByEnumeration(q: AnalyzedQuery, pool: number[], scores: Float64Array, lexical: Float64Array, inScope: (i: number) => boolean): void {
    if (!q.intent.list || q.language !== "zh") return;
    const kind = askedKind(q.raw);
    if (!kind) return;
    for (const i of pool) if (this.enumerated(i, kind) >= MIN_ENUMERATED) scores[i] = scores[i]! + ENUMERATION_BONUS;
    // "报名小学需要准备哪些材料": a unit titled by the thing asked ((四)报名材料) whose entries list it, where it matches the question.
    const head = askedHead(q.raw);
    this.listHeads ??= this.units.flatMap((u, i) => (u.children.length >= 2 ? [i] : []));
    for (const i of head ? this.listHeads : []) {
      if (!this.units[i]!.heading.endsWith(head!) || lexical[i] === 0 || !inScope(i)) continue;
      if (!pool.includes(i)) pool.push(i);
      scores[i] = scores[i]! + TITLED_KIND_BONUS;
    }
    // The parent of sub-units headed by the kind (阶段, 批, 类) lists them; it joins the pool when one of them is in it.
    if (kind.length < 2) return;
    const parents = new Set<number>();
    for (const i of pool) {
      const u = this.units[i]!;
      const parent = u.parents.length > 0 ? this.unitIndex.get(key(u.doc, u.parents[u.parents.length - 1]!)) : undefined;
      for (const j of [i, ...(parent !== undefined ? [parent] : [])]) {
        const children = this.units[j]!.children.map((r) => this.unit(this.units[j]!.doc, r)?.heading ?? "");
        if (childrenOfKind(children, kind)) parents.add(j);
      }
    }
    for (const j of parents) {
      if (!pool.includes(j)) pool.push(j);
      scores[j] = Math.max(...pool.map((i) => scores[i]!)) + ENUMERATION_BONUS;
    }
  }

  /** The units with entries of their own (two children or more), which a list question's titled unit is among (worked out at the first list question). */
  private listHeads?: number[];

  /** The plans that have an issuing notice (worked out at the first question about a document). */
  private noticed?: Set<string>;

  /** Per unit: whether it prints a number to call (worked out at the first contact question). */
  private contacts?: boolean[];

  /**
   * "农机购置补贴的事…电话多少": a number to call is where the plan prints numbers (联系方式: 县农业机械化服务中心（农机购置与
   * 应用补贴）：0736-2818710), not in the unit about the topic: a unit that prints one and matches the question joins the pool.
   */
  private addContactUnits(q: AnalyzedQuery, pool: number[], scores: Float64Array, lexical: Float64Array, inScope: (i: number) => boolean): void {
    if (!asksContact(q.raw)) return;
    this.contacts ??= this.units.map((u) => printsContact(u.text));
    for (let i = 0; i < this.units.length; i++) {
      if (!this.contacts[i] || lexical[i] === 0 || !inScope(i)) continue;
      scores[i] = scores[i]! + CONTACT_BONUS;
      if (!pool.includes(i)) pool.push(i);
    }
  }

  /**
   * "我住在杭州，这次试点包括我们这里吗": whether a place is in the plan is answered by the unit that lists its places
   * (选择北京、天津、上海…11个城市), however few of the question's words it holds: it joins the pool with a bonus.
   */
  private addPlaceLists(q: AnalyzedQuery, pool: number[], scores: Float64Array, inScope: (i: number) => boolean): void {
    if (!asksPlaceIncluded(q)) return;
    for (let i = 0; i < this.units.length; i++) {
      if (!inScope(i) || this.enumerated(i, "城市") < MIN_ENUMERATED) continue;
      scores[i] = scores[i]! + PLACE_LIST_BONUS;
      if (!pool.includes(i)) pool.push(i);
    }
  }

  /** Units' enumerations of a kind, counted once per unit and kind (a place list is looked for in every unit). */
  private readonly enumerations = new Map<string, Int16Array>();
  private enumerated(i: number, kind: string): number {
    let counts = this.enumerations.get(kind);
    if (!counts) {
      if (this.enumerations.size >= MAX_CACHED_KINDS) this.enumerations.clear();
      counts = new Int16Array(this.units.length).fill(-1);
      this.enumerations.set(kind, counts);
    }
    if (counts[i]! < 0) counts[i] = enumeratedOfKind(this.units[i]!.text, kind, namesPlace);
    return counts[i]!;
  }

  /**
   * "2027年要新开工改造多少个": of units titled by a year (1. 2027年。…, 2. 2028年。…), the one of the year asked
   * answers, the others do not, however alike their words.
   */
  private rerankByYear(q: AnalyzedQuery, pool: number[], scores: Float64Array): void {
    if (q.years.length === 0) return;
    for (const i of pool) {
      const year = headingYear(this.units[i]!.heading);
      if (year !== undefined) scores[i] = scores[i]! + (q.years.includes(year) ? YEAR_RERANK : -YEAR_RERANK);
    }
  }

  /**
   * "集采试点有几个城市", asked of the plan about pilot cities: every unit names 试点 and 城市, and the one stating a count
   * of cities answers. For a how-many question that names its measure (个, 元, %), the units holding a figure of that
   * measure whose words meet the question's are moved up, by how well their best such figure fits.
   */
  private rerankByFigures(q: AnalyzedQuery, pool: number[], scores: Float64Array, weights: Map<string, number>): void {
    if (q.intent.meta || !(q.intent.quantity || q.intent.clock)) return;
    // "几点开门": the units that print a time of day, as a how-many question's the units that print its kind of figure.
    const allowed = q.intent.clock ? new Set<string>() : askedClasses(q);
    if (!q.intent.clock && allowed.size === 0) return;
    const stated = (u: Unit) => (q.intent.clock ? this.datesOf(u).filter((f) => isTimeOfDay(f.figure)) : this.figuresOf(u));
    const fit = new Map<number, number>();
    for (const i of pool) {
      let bestFit = 0;
      for (const f of stated(this.units[i]!)) {
        if (!q.intent.clock && !classFits(allowed, measureClass(f.unit))) continue;
        bestFit = Math.max(bestFit, overlapNormalized(this.figureText(f), weights));
      }
      fit.set(i, bestFit);
    }
    const max = Math.max(0, ...fit.values());
    if (max <= 0) return;
    // Parents too (a section stating the count of its items answers), unlike the coverage rerank: measured better.
    for (const i of pool) scores[i] = scores[i]! + FIGURE_RERANK * (fit.get(i)! / max);
  }

  /** A figure's metric and quote, normalised once (the rerank reads them for every how-many question). */
  private figureText(f: Figure): string {
    let t = this.figureTexts.get(f);
    if (t === undefined) {
      t = normalizeText(`${f.metric} ${f.quote}`);
      this.figureTexts.set(f, t);
    }
    return t;
  }

  /**
   * How much a question word counts in ranking: in a question told as a story, a word said only in the story (种地 of
   * 我是种地的) counts STORY_WEIGHT of one in the asking clause (秸秆 of 那秸秆能拿来干什么) — when that clause
   * itself names most of the topic and does not point back to the story; "我家狗咬了人，我该怎么办？" is all story.
   */
  private storyScale(q: AnalyzedQuery): (token: string) => number {
    const ask = q.askingText;
    // "这行当会有扶持吗", "这种村子政府会管吗": the asking clause points back to the story, which is then its topic.
    if (!ask || /这|它|其/.test(ask)) return () => 1;
    let total = 0;
    let asked = 0;
    for (const w of new Set(q.words)) {
      if (w.length < 2) continue;
      const v = this.termWeight(w);
      total += v;
      if (ask.includes(w)) asked += v;
    }
    // A story word the plans lack (打工, 孩子) still tells the topic through the plan words it stands for (农民工, 儿童).
    for (const e of q.expansions) {
      if (q.words.includes(e.phrase) && this.termWeight(e.phrase) > 0) continue;
      const v = Math.max(0, ...e.terms.map((t) => this.termWeight(t))) * (e.weight ?? this.opts.expansionWeight);
      total += v;
      if (ask.includes(e.phrase)) asked += v;
    }
    if (total <= 0 || asked / total < STORY_ASK_MIN_SHARE) return () => 1;
    return (token) => (ask.includes(token) ? 1 : STORY_WEIGHT);
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
  private coverage(q: AnalyzedQuery, unit: number, title?: string): number {
    // A list question asks for the titled unit, not its entries: they do not borrow its lead then.
    const lead = q.intent.list ? undefined : this.leads.get(this.parentOf[unit]!);
    const unitText = lead ? `${this.unitTexts[unit]!}\n${lead}` : this.unitTexts[unit]!;
    const text = title ? `${unitText}\n${title}` : unitText;
    const maxIdf = Math.log(1 + this.bm25.size);
    // A token is covered in full by its own text or a reviewed term, in part by a lexicon guess (its weight).
    const covered = new Map<string, number>();
    for (const e of q.expansions) {
      if (!e.terms.some((t) => text.includes(t))) continue;
      // One reading present covers the phrase, and the phrase's other readings (an English question's words are its readings).
      const tokens = [...tokensIn(e.phrase), ...(q.language === "en" ? e.terms.flatMap((t) => tokensIn(t)) : [])];
      for (const c of tokens) covered.set(c, Math.max(covered.get(c) ?? 0, e.cover ?? e.weight ?? 1));
    }
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

  /** Whether the unit's heading contains one of the question's words (two characters or more) or their plan terms. */
  titleNamesTopic(q: AnalyzedQuery, unit: Unit): boolean {
    const heading = this.headings[this.unitIndex.get(key(unit.doc, unit.ref))!]!;
    const terms = [...q.words, ...q.expansions.flatMap((e) => e.terms)].filter((w) => w.length >= 2 && !/^\d+$/.test(w));
    return terms.some((w) => heading.includes(w));
  }

  /** Weight of the informative query tokens (two characters or more) that a unit contains. */
  matchedMass(unit: Unit, topicWeights: Map<string, number>): number {
    return overlapNormalized(this.unitTexts[this.unitIndex.get(key(unit.doc, unit.ref))!]!, topicWeights);
  }

}

/** Options of a ranking: how many units, the conversation, the plans searched. */
export interface RankOptions {
  k?: number;
  history?: Turn[];
  docs?: readonly string[];
  /** The one plan in `docs` has been chosen: the words of its own title no longer point to a unit. */
  withinPlan?: boolean;
}

/** Words that ask about a document rather than name a topic: who issued it, when, its 文号 and title. */
/** A list question's topic that is a unit's whole heading, however long the heading (深入推进基本公共服务一体化), names that unit. */
const EXACT_HEADING_MAX = 30;
const META_WORDS = /^(谁|发布|印发|发文|下发|出台|颁布|时候|什么时候|日期|哪天|哪年|哪一年|年份|时间|几号|几月|多少|文号|发文字号|字号|编号|号|部门|单位|发给|标题|名称|全称|全名|题目|文件|方案|这份|这个|工作|哪个|哪些|何时|落款|签发|成文|成文日期|发文日期|印发日期|发布日期)$/;

/** A question about the document itself: who issued it, to whom, its number or title. */
const DOCUMENT_ASK_RE = /(?:谁|部门|单位).{0,3}(?:发|制定|出台|颁布|签)|发布|印发|发文|下发|出台|颁布|发的|发给|发到|文号|标题|题目|名称|落款|签发|成文|issued|published|title|recipients|addressed|document number|reference number|issue date/i;

/** What one mention of a word is worth towards a plan's affinity, beside its density: a detail only one plan names points to it. */
const MENTION_AFFINITY = 0.25;
/** Words that ask or refer rather than name a topic (时候, 内容, 多少, 规定). */
const TOPIC_STOP_RE = /^(时候|什么|多少|内容|规定|要求|情况|方面|哪些|哪个|怎么|如何|是否|这个|那个|里面|其中|具体|主要|相关)$/;

/** What a notice's score is worth for a question that is not about the document (who issued it, when, its 文号). */
const NOTICE_OFF_TOPIC = 0.6;

/** Weight, inside a chosen plan, of a question word that is part of the plan's title. */
const TITLE_WEIGHT = 0.25;

/**
 * A question without the runs of two or more characters it shares with the plan's title
 * ("医用耗材集中带量采购试点的期限多长" → "的期限多长"), unless that leaves nothing to search on.
 */
export function withoutTitle(text: string, title: string): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    let j = i + 2;
    while (j <= text.length && title.includes(text.slice(i, j))) j++;
    if (j - 1 - i >= 2) i = j - 1;
    else out += text[i++];
  }
  return out.replace(/[\s\p{P}的之里中]/gu, "").length >= 2 ? out : text;
}

/** Share of a phrase's further matching alternatives added to its best one. */
const OTHER_ALTERNATIVES = 0.25;

/** Weight of query words found in a unit's own heading. */
const HEADING_BONUS = 0.5;
/** How far a unit printing a number to call moves up for a question asking one. */
const CONTACT_BONUS = 0.5;
/** A heading that is the question an entry answers (问：…, Q：…). */
const QA_HEADING_RE = /^(?:问|Q)\s*[：:]/i;
/** The share of its titled unit's lexical match a numbered entry that matches the question itself adds to its own. */
const ENTRY_LEAD_SHARE = 0.3;

function key(doc: string, ref: string): string {
  return `${doc}\u0000${ref}`;
}

function tokensIn(phrase: string): string[] {
  const { words, bigrams } = tokenize(phrase);
  return [...words, ...bigrams];
}
