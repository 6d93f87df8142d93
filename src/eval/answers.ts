import { verifyAnswer } from "../answer/citations.js";
import type { AnswerEngine } from "../answer/engine.js";
import type { AnswerResult } from "../answer/types.js";
import type { KnowledgeBase } from "../knowledge.js";
import { normalizeText } from "../retrieve/text.js";
import type { EvalItem } from "./dataset.js";

/** Answer-level figures over an evaluation set. */
export interface AnswerScores {
  n: number;
  /** Answerable questions with expected figures whose answer contains every one. */
  figurePresent: number;
  /** Answerable questions whose first citation names an expected unit. */
  citationCorrect: number;
  /** Answers whose every quote is verbatim in the unit it names. */
  quotesVerbatim: number;
  /** Answers whose every number appears in a cited unit. */
  numbersGrounded: number;
  abstainOnUnanswerable: number;
  abstainOnAnswerable: number;
  p50ms: number;
  p95ms: number;
}

/** One question's answer and its checks. */
export interface AnswerRow {
  item: EvalItem;
  result: AnswerResult;
  figureOk: boolean | undefined;
  citationOk: boolean | undefined;
  quotesOk: boolean;
  numbersOk: boolean;
}

/** Answers every question with the engine and checks each answer. */
export async function evaluateAnswers(kb: KnowledgeBase, engine: AnswerEngine, items: EvalItem[]): Promise<{ rows: AnswerRow[]; scores: AnswerScores }> {
  const rows: AnswerRow[] = [];
  for (const item of items) {
    const result = await engine.answer({ question: item.q, history: item.history });
    const check = verifyAnswer(result.answer, result.citations, (c) => kb.retriever.unit(c.doc, c.ref));
    const answerText = normalizeText(result.answer);
    rows.push({
      item,
      result,
      figureOk: item.answerable && item.expect.figures.length ? !result.abstained && item.expect.figures.every((f) => answerText.includes(normalizeText(f))) : undefined,
      citationOk: item.answerable ? !result.abstained && item.expect.refs.includes(result.citations[0]?.ref ?? "") : undefined,
      quotesOk: check.badQuotes.length === 0,
      numbersOk: check.ungroundedNumbers.length === 0,
    });
  }
  const share = (xs: Array<boolean | undefined>) => {
    const defined = xs.filter((x): x is boolean => x !== undefined);
    return defined.length ? defined.filter(Boolean).length / defined.length : Number.NaN;
  };
  const ms = rows.map((r) => r.result.ms).sort((a, b) => a - b);
  const pct = (p: number) => ms[Math.min(ms.length - 1, Math.floor(p * ms.length))] ?? 0;
  return {
    rows,
    scores: {
      n: rows.length,
      figurePresent: share(rows.map((r) => r.figureOk)),
      citationCorrect: share(rows.map((r) => r.citationOk)),
      quotesVerbatim: share(rows.map((r) => r.quotesOk)),
      numbersGrounded: share(rows.map((r) => r.numbersOk)),
      abstainOnUnanswerable: share(rows.filter((r) => !r.item.answerable).map((r) => r.result.abstained)),
      abstainOnAnswerable: share(rows.filter((r) => r.item.answerable).map((r) => r.result.abstained)),
      p50ms: pct(0.5),
      p95ms: pct(0.95),
    },
  };
}

/** The answer-level lines `npm run eval` prints. */
export function formatAnswerScores(s: AnswerScores): string {
  const f = (x: number) => (Number.isNaN(x) ? "–" : x.toFixed(2));
  return [
    `answers (${s.n}): figure present ${f(s.figurePresent)} · citation correct ${f(s.citationCorrect)} · quotes verbatim ${f(s.quotesVerbatim)} · numbers grounded ${f(s.numbersGrounded)}`,
    `         abstained on unanswerable ${f(s.abstainOnUnanswerable)} · on answerable ${f(s.abstainOnAnswerable)} · latency p50 ${s.p50ms.toFixed(1)} ms, p95 ${s.p95ms.toFixed(1)} ms`,
  ].join("\n");
}

/** Answers that failed a check, for reading. */
export function formatAnswerMisses(rows: AnswerRow[]): string {
  return rows
    .filter((r) => r.figureOk === false || r.citationOk === false || !r.quotesOk || !r.numbersOk || (!r.item.answerable && !r.result.abstained))
    .map((r) => `✗ ${r.item.id} ${r.item.q}\n   ${r.result.answer.replace(/\n/g, " ⏎ ").slice(0, 200)}  [fig=${r.figureOk} cite=${r.citationOk} quotes=${r.quotesOk} nums=${r.numbersOk}]`)
    .join("\n");
}
