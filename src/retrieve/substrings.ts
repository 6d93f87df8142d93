import { charactersInOrder, segmenter } from "./text.js";

/** The arrays of a {@link SubstringIndex}: what the index artifact stores. */
export interface SubstringData {
  /** Every pair of adjacent UTF-16 codes in the text (first × 65536 + second), ascending. */
  keys: Uint32Array;
  /** Pair keys[k] starts at positions[offsets[k] .. offsets[k+1]) of the text, ascending. */
  offsets: Int32Array;
  positions: Int32Array;
}

/**
 * Answers "does this text occur in the corpus?" without scanning the corpus: every position is
 * listed under the pair of characters that starts there, and a phrase is checked only where its
 * rarest pair occurs. Query analysis asks this dozens of times per question; on 1,000 plans a scan
 * of the whole corpus text each time was most of the retrieval time. Same answers as `includes`.
 */
export class SubstringIndex {
  private readonly present = new Uint8Array(65536);

  constructor(private readonly text: string, private readonly data: SubstringData = pairIndex(text)) {
    for (let i = 0; i < text.length; i++) this.present[text.charCodeAt(i)] = 1;
  }

  /** The arrays, to save. */
  toData(): SubstringData {
    return this.data;
  }

  /** Whether `phrase` occurs in the text (as `text.includes(phrase)`). */
  has(phrase: string): boolean {
    if (phrase.length === 0) return true;
    if (phrase.length === 1) return this.present[phrase.charCodeAt(0)] === 1;
    let best = -1;
    let bestAt = 0;
    let bestCount = Infinity;
    for (let j = 0; j + 1 < phrase.length; j++) {
      const k = this.find(phrase.charCodeAt(j) * 65536 + phrase.charCodeAt(j + 1));
      if (k < 0) return false;
      const count = this.data.offsets[k + 1]! - this.data.offsets[k]!;
      if (count < bestCount) [best, bestAt, bestCount] = [k, j, count];
    }
    if (phrase.length === 2) return true;
    for (let p = this.data.offsets[best]!, end = this.data.offsets[best + 1]!; p < end; p++) {
      const start = this.data.positions[p]! - bestAt;
      if (start >= 0 && this.text.startsWith(phrase, start)) return true;
    }
    return false;
  }

  /**
   * The terms of the text a short word abbreviates (液化气 → 液化石油气, 集采 → 集中采购): spans that start with its
   * first character and hold its characters in order, at most `gap` apart, most frequent first.
   * @example index.spellOut("集采") // ["集中采购"]
   */
  spellOut(word: string, gap = 2, limit = 2): string[] {
    if (word.length < 2 || word.length > 3) return [];
    const re = new RegExp(`^(?:${charactersInOrder(word, 0, gap).source})`);
    const first = word.charCodeAt(0);
    const keys = this.data.keys;
    // The pairs that start with the word's first character are one run of the sorted keys.
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (keys[mid]! < first * 65536) lo = mid + 1;
      else hi = mid;
    }
    const counts = new Map<string, number>();
    let seen = 0;
    for (let k = lo; k < keys.length && keys[k]! < (first + 1) * 65536 && seen < SPELL_OUT_MAX_STARTS; k++) {
      for (let p = this.data.offsets[k]!, end = this.data.offsets[k + 1]!; p < end && seen < SPELL_OUT_MAX_STARTS; p++, seen++) {
        const at = this.data.positions[p]!;
        const m = re.exec(this.text.slice(at, at + word.length + gap * (word.length - 1)));
        if (!m || m[0] === word) continue;
        const key = `${m[0]}\u0000${this.text.slice(at + m[0].length, at + m[0].length + 3)}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
    // To the end of the word the last character belongs to (集中采 → 集中采购), for the likeliest spans only (the segmenter is slow).
    const terms = new Map<string, number>();
    for (const [key, n] of [...counts].sort((a, b) => b[1] - a[1]).slice(0, SPELL_OUT_SPANS)) {
      const [span, after] = key.split("\u0000") as [string, string];
      const term = toWordEnd(span, after);
      terms.set(term, (terms.get(term) ?? 0) + n);
    }
    return [...terms].sort((a, b) => b[1] - a[1] || a[0].length - b[0].length).slice(0, limit).map(([t]) => t);
  }

  private find(key: number): number {
    const keys = this.data.keys;
    let lo = 0;
    let hi = keys.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (keys[mid] === key) return mid;
      if (keys[mid]! < key) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
}

/** A span cut to end where the word its last character belongs to ends, as the segmenter reads the text after it. */
function toWordEnd(span: string, after: string): string {
  let out = "";
  for (const w of segmenter().cut(span + after, false)) {
    out += w;
    if (out.length >= span.length) return out;
  }
  return span;
}

/** At most this many places where a word's first character occurs are tried when spelling it out (a common character occurs very often). */
const SPELL_OUT_MAX_STARTS = 2000;
/** At most this many distinct spans are cut to their word's end. */
const SPELL_OUT_SPANS = 12;

/** Counts each pair, sorts the distinct pairs, then lists positions pair by pair. */
function pairIndex(text: string): SubstringData {
  const counts = new Map<number, number>();
  for (let i = 0; i + 1 < text.length; i++) {
    const key = text.charCodeAt(i) * 65536 + text.charCodeAt(i + 1);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const keys = Uint32Array.from(counts.keys()).sort();
  const offsets = new Int32Array(keys.length + 1);
  const slot = new Map<number, number>();
  keys.forEach((key, k) => {
    offsets[k + 1] = offsets[k]! + counts.get(key)!;
    slot.set(key, offsets[k]!);
  });
  const positions = new Int32Array(offsets[keys.length]!);
  for (let i = 0; i + 1 < text.length; i++) {
    const key = text.charCodeAt(i) * 65536 + text.charCodeAt(i + 1);
    const p = slot.get(key)!;
    positions[p] = i;
    slot.set(key, p + 1);
  }
  return { keys, offsets, positions };
}
