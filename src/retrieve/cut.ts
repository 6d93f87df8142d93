import type { Jieba } from "@node-rs/jieba";
import { searchWord, segmenter, segmentWords, type Tokens } from "./text.js";

const CJK_RUN = /[\u3400-\u9fff]+/g;

/**
 * A normalised text cut once, from which the words of any span that starts and ends between two
 * pieces can be read without cutting again: jieba cuts each run of Chinese, letters and digits on
 * its own, so a sentence (bounded by 。；!? or a line break) gets the words it would get alone.
 * Where a span does not fall between pieces, its words are cut afresh.
 */
export class CutText {
  private readonly words: string[] = [];
  private readonly starts: number[] = [];
  /** Offsets where a piece begins or ends, ascending; empty when the pieces did not add up to the text. */
  private bounds: number[] = [];

  constructor(readonly normalized: string, private readonly jieba: Jieba = segmenter()) {
    let at = 0;
    this.bounds.push(0);
    for (const piece of jieba.cut(normalized, false)) {
      const word = searchWord(piece);
      if (word) {
        this.words.push(word);
        this.starts.push(at);
      }
      at += piece.length;
      this.bounds.push(at);
    }
    // Pieces that do not add up to the text leave offsets unknown: every span is then cut afresh.
    if (at !== normalized.length) this.bounds = [];
  }

  private isBound(at: number): boolean {
    const i = lowerBound(this.bounds, at);
    return i < this.bounds.length && this.bounds[i] === at;
  }

  /** The search words of normalized[from, to), as {@link segmentWords} gives them for that slice. */
  wordsIn(from: number, to: number): string[] {
    if (!this.isBound(from) || !this.isBound(to)) return segmentWords(this.normalized.slice(from, to), this.jieba);
    const out: string[] = [];
    for (let i = lowerBound(this.starts, from); i < this.starts.length && this.starts[i]! < to; i++) out.push(this.words[i]!);
    return out;
  }

  /** Tokens of normalized[from, to), as {@link tokenize} gives them for that slice. */
  tokensIn(from: number, to: number): Tokens {
    return { words: this.wordsIn(from, to), bigrams: bigramsOf(this.normalized.slice(from, to)) };
  }
}

function bigramsOf(normalized: string): string[] {
  const bigrams: string[] = [];
  for (const run of normalized.match(CJK_RUN) ?? []) for (let i = 0; i + 1 < run.length; i++) bigrams.push(run.slice(i, i + 2));
  return bigrams;
}

function lowerBound(xs: number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
