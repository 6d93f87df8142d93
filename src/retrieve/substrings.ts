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
