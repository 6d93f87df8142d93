import type { LexiconData } from "./lexicon-data.js";
import { stemsOf } from "./lexicon.js";

/**
 * Every unit read in English: each word of its text stands for the stems of its dictionary glosses,
 * each weighted by its share of the word's senses (烟花 → fireworks; 班 → class at a fifteenth). An
 * English question is then matched against the units' own words, whichever Chinese word a plan chose,
 * rather than through a few Chinese readings picked for the whole corpus (fireworks → 烟花爆竹, 焰火,
 * 礼花 …, each too ambiguous alone to be kept). Okapi BM25 over these fractional counts; a stem that
 * glosses some word of most units (make, set) weighs little.
 */
export class GlossIndex {
  /** Stem → its id; per stem id, the units holding it and how surely (parallel arrays, ascending units). */
  private readonly stemIds = new Map<string, number>();
  private readonly units: number[][] = [];
  private readonly weights: number[][] = [];
  private readonly lengths: Float64Array;
  private readonly avgLength: number;

  /** @param texts each unit's text, read as the dictionary's longest words from the left */
  constructor(texts: readonly string[], data: LexiconData) {
    this.lengths = new Float64Array(texts.length);
    const senses = new Map<string, Sense | null>();
    const sensesOf = (word: string): Sense | null => {
      let s = senses.get(word);
      if (s !== undefined) return s;
      const found = wordSenses(word, data);
      s = found ? { ids: [...found.keys()].map((stem) => this.idOf(stem)), weights: [...found.values()] } : null;
      senses.set(word, s);
      return s;
    };
    const bag = new Map<number, number>();
    texts.forEach((text, unit) => {
      bag.clear();
      for (const word of dictionaryWords(text, data)) {
        const s = sensesOf(word);
        if (s) for (let i = 0; i < s.ids.length; i++) bag.set(s.ids[i]!, (bag.get(s.ids[i]!) ?? 0) + s.weights[i]!);
      }
      let length = 0;
      for (const [id, w] of bag) {
        length += w;
        this.units[id]!.push(unit);
        this.weights[id]!.push(w);
      }
      this.lengths[unit] = length;
    });
    let total = 0;
    for (const l of this.lengths) total += l;
    this.avgLength = total / Math.max(1, texts.length);
  }

  private idOf(stem: string): number {
    let id = this.stemIds.get(stem);
    if (id === undefined) {
      id = this.units.length;
      this.stemIds.set(stem, id);
      this.units.push([]);
      this.weights.push([]);
    }
    return id;
  }

  /**
   * BM25 of each unit for English words: each word counts once, as the best of its stems (procurement →
   * procure), weighted as given.
   */
  score(words: ReadonlyArray<{ word: string; weight: number }>, k1 = 1.2, b = 0.75): Map<number, number> {
    const n = this.lengths.length;
    const out = new Map<number, number>();
    for (const { word, weight } of words) {
      const best = new Map<number, number>();
      for (const stem of stemsOf(word)) {
        const id = this.stemIds.get(stem);
        if (id === undefined) continue;
        const units = this.units[id]!;
        const tfs = this.weights[id]!;
        // Document frequency counts a unit by how surely it holds the stem.
        let df = 0;
        for (const w of tfs) df += Math.min(1, w);
        const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
        for (let i = 0; i < units.length; i++) {
          const unit = units[i]!;
          const tf = tfs[i]!;
          const s = (idf * tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * this.lengths[unit]!) / this.avgLength));
          if (s > (best.get(unit) ?? 0)) best.set(unit, s);
        }
      }
      for (const [unit, s] of best) out.set(unit, (out.get(unit) ?? 0) + weight * s);
    }
    return out;
  }
}

/** A word's stems (by id) and their weights. */
interface Sense {
  ids: number[];
  weights: number[];
}

/** A stem carried by less than this share of a word's senses is too faint to index (a character of thirty senses, 打): the same figures on the English questions, a third of the memory. */
const MIN_SENSE = 0.1;

/** Longest dictionary word first: the dictionary's own segmentation, so every word found has its glosses. */
const MAX_WORD = 6;

/** The dictionary words of a text, longest match from the left; a character no word starts at is skipped. */
function dictionaryWords(text: string, data: LexiconData): string[] {
  const out: string[] = [];
  for (const run of text.match(/[\u3400-\u9fff]+/g) ?? []) {
    for (let i = 0; i < run.length; ) {
      let len = Math.min(MAX_WORD, run.length - i);
      while (len > 1 && !data.glossesOf.has(run.slice(i, i + len))) len--;
      if (data.glossesOf.has(run.slice(i, i + len))) out.push(run.slice(i, i + len));
      i += len;
    }
  }
  return out;
}

/**
 * A dictionary word's English stems, each weighted by the share of its senses that carry it.
 */
function wordSenses(word: string, data: LexiconData): Map<string, number> | null {
  const glosses = data.glossesOf.get(word);
  if (glosses?.length) {
    const out = new Map<string, number>();
    for (const g of glosses) for (const stem of new Set(data.stemsOf.get(g) ?? [])) out.set(stem, Math.min(1, (out.get(stem) ?? 0) + 1 / glosses.length));
    for (const [stem, w] of out) if (w < MIN_SENSE) out.delete(stem);
    return out.size ? out : null;
  }
  return null;
}
