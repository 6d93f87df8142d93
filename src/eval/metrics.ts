import type { EvalItem } from "./dataset.js";

/** What a system returned for one question: ranked refs and whether it abstained. */
export interface SystemRun {
  refs: string[];
  abstained: boolean;
}

/** Retrieval figures over a set of questions. */
export interface RetrievalScores {
  n: number;
  answerable: number;
  hit1: number;
  hit3: number;
  mrr: number;
  /** Share of unanswerable questions flagged low-confidence (NaN when there are none). */
  abstainOnUnanswerable: number;
  /** Share of answerable questions wrongly flagged low-confidence. */
  abstainOnAnswerable: number;
}

/** Scores a system's runs against the expected refs. */
export function scoreRetrieval(items: EvalItem[], runs: SystemRun[]): RetrievalScores {
  let hit1 = 0, hit3 = 0, mrr = 0, answerable = 0, unans = 0, unansFlagged = 0, ansFlagged = 0;
  items.forEach((item, i) => {
    const run = runs[i]!;
    if (!item.answerable) {
      unans++;
      if (run.abstained) unansFlagged++;
      return;
    }
    answerable++;
    if (run.abstained) ansFlagged++;
    const rank = run.refs.findIndex((r) => item.expect.refs.includes(r));
    if (rank === 0) hit1++;
    if (rank >= 0 && rank < 3) hit3++;
    if (rank >= 0) mrr += 1 / (rank + 1);
  });
  const div = (a: number, b: number) => (b ? a / b : Number.NaN);
  return {
    n: items.length,
    answerable,
    hit1: div(hit1, answerable),
    hit3: div(hit3, answerable),
    mrr: div(mrr, answerable),
    abstainOnUnanswerable: div(unansFlagged, unans),
    abstainOnAnswerable: div(ansFlagged, answerable),
  };
}

/** Scores overall and per category. */
export function scoreByCategory(items: EvalItem[], runs: SystemRun[]): Map<string, RetrievalScores> {
  const out = new Map<string, RetrievalScores>([["all", scoreRetrieval(items, runs)]]);
  for (const cat of [...new Set(items.map((x) => x.category))].sort()) {
    const idx = items.map((x, i) => (x.category === cat ? i : -1)).filter((i) => i >= 0);
    out.set(cat, scoreRetrieval(idx.map((i) => items[i]!), idx.map((i) => runs[i]!)));
  }
  return out;
}
