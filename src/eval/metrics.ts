import type { EvalItem } from "./dataset.js";

/** What a system returned for one question: ranked unit keys (doc + ref) and whether it abstained. */
export interface SystemRun {
  keys: string[];
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

/** Scores a system's runs against the expected unit keys of each question. */
export function scoreRetrieval(items: EvalItem[], runs: SystemRun[], expected: Array<Set<string>>): RetrievalScores {
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
    const rank = run.keys.findIndex((k) => expected[i]!.has(k));
    if (rank === 0) hit1++;
    if (rank >= 0 && rank < 3) hit3++;
    if (rank >= 0) mrr += 1 / (rank + 1);
  });
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

/** a / b, NaN when there is nothing to divide by. */
export const div = (a: number, b: number) => (b ? a / b : Number.NaN);

/** Groups item indexes: "all", then each category (or any other key), sorted. */
export function groupIndexes(items: EvalItem[], keyOf: (item: EvalItem) => string | undefined = (x) => x.category): Map<string, number[]> {
  const out = new Map<string, number[]>([["all", items.map((_, i) => i)]]);
  const keys = [...new Set(items.map(keyOf).filter((k): k is string => Boolean(k)))].sort();
  for (const k of keys) out.set(k, items.map((x, i) => (keyOf(x) === k ? i : -1)).filter((i) => i >= 0));
  return out;
}

/** Scores overall and per category. */
export function scoreByCategory(items: EvalItem[], runs: SystemRun[], expected: Array<Set<string>>): Map<string, RetrievalScores> {
  const out = new Map<string, RetrievalScores>();
  for (const [k, idx] of groupIndexes(items)) {
    out.set(k, scoreRetrieval(idx.map((i) => items[i]!), idx.map((i) => runs[i]!), idx.map((i) => expected[i]!)));
  }
  return out;
}
