import { planFacts, verifyAnswer } from "../answer/citations.js";
import type { AnswerEngine } from "../answer/engine.js";
import type { AnswerResult } from "../answer/types.js";
import type { KnowledgeBase } from "../knowledge.js";
import { normalizeText } from "../retrieve/text.js";
import type { EvalItem } from "./dataset.js";
import { expectedUnits, unitKey } from "./expected.js";
import { div, groupIndexes } from "./metrics.js";

/** Answer-level figures over a group of questions (NaN where a figure has no question to count). */
export interface AnswerScores {
  n: number;
  /** Answerable questions with expected figures whose answer contains every one. */
  figurePresent: number;
  /** Answerable questions whose first citation names an expected unit (or one inside it). */
  citationCorrect: number;
  /** Answerable questions graded "declined" (a wrong refusal). */
  refused: number;
  /** Answerable questions graded "closest". */
  closest: number;
  /** Out-of-scope questions graded "declined". */
  declinedOutOfScope: number;
  /** Answered questions whose first citation is from another plan than the one asked about. */
  wrongPlan: number;
  /** List questions: mean share of the expected items present, and share with all present. */
  listItems: number;
  listComplete: number;
  /** Answers that say "no figure" while quoting a figure. */
  noFigureWithFigure: number;
  /** Answers whose every quote is verbatim in the unit it names. */
  quotesVerbatim: number;
  /** Answers whose every number appears in a cited unit. */
  numbersGrounded: number;
  p50ms: number;
  p95ms: number;
}

/** One question's answer and its checks. */
export interface AnswerRow {
  item: EvalItem;
  result: AnswerResult;
  expected: Set<string>;
  figureOk: boolean | undefined;
  citationOk: boolean | undefined;
  wrongPlan: boolean | undefined;
  listShare: number | undefined;
  noFigureWithFigure: boolean;
  quotesOk: boolean;
  numbersOk: boolean;
}

const NO_FIGURE_RE = /没有给出[^。]{0,12}(数字|数据|指标)|gives no (figure|number)/i;
const FIGURE_RE = /\d|[一二两三四五六七八九十百千万亿]+(个|项|条|家|所|人|年|月|天|亩|吨|元|批|倍)/;

/** Answers every question with the engine and checks each answer. */
export async function evaluateAnswers(kb: KnowledgeBase, engine: AnswerEngine, items: EvalItem[], defaultDocs: string[]): Promise<{ rows: AnswerRow[]; scores: Map<string, AnswerScores>; byDoc: Map<string, AnswerScores> }> {
  const rows: AnswerRow[] = [];
  for (const item of items) {
    const result = await engine.answer({ question: item.q, history: item.history });
    const check = verifyAnswer(result.answer, result.citations, (c) => kb.retriever.unit(c.doc, c.ref), result.abstained ? planFacts(kb.docs) : "");
    const answerText = normalizeText(result.answer);
    const expected = expectedUnits(item, kb.docs, defaultDocs);
    const answered = result.grade !== "declined";
    const first = result.citations[0];
    const wantDocs = item.doc ? [item.doc] : defaultDocs;
    rows.push({
      item,
      result,
      expected,
      figureOk: item.answerable && item.expect.figures.length ? answered && item.expect.figures.every((f) => answerText.includes(normalizeText(f))) : undefined,
      citationOk: item.answerable ? answered && first !== undefined && expected.has(unitKey(first.doc, first.ref)) : undefined,
      wrongPlan: item.answerable && answered && first ? !wantDocs.includes(first.doc) : undefined,
      listShare: item.answerable && item.expect.items.length ? item.expect.items.filter((x) => answerText.includes(normalizeText(x))).length / item.expect.items.length : undefined,
      noFigureWithFigure: NO_FIGURE_RE.test(result.answer) && result.citations.some((c) => FIGURE_RE.test(c.quote)),
      quotesOk: check.badQuotes.length === 0,
      numbersOk: check.ungroundedNumbers.length === 0,
    });
  }
  const score = (idx: number[]) => scoreRows(idx.map((i) => rows[i]!));
  const scores = new Map([...groupIndexes(items)].map(([k, idx]) => [k, score(idx)] as const));
  const byDoc = new Map([...groupIndexes(items, (x) => x.doc ?? defaultDocs.join("+"))].filter(([k]) => k !== "all").map(([k, idx]) => [k, score(idx)] as const));
  return { rows, scores, byDoc };
}

function scoreRows(rows: AnswerRow[]): AnswerScores {
  const share = (xs: Array<boolean | undefined>) => {
    const defined = xs.filter((x): x is boolean => x !== undefined);
    return div(defined.filter(Boolean).length, defined.length);
  };
  const lists = rows.map((r) => r.listShare).filter((x): x is number => x !== undefined);
  const answerable = rows.filter((r) => r.item.answerable);
  const ms = rows.map((r) => r.result.ms).sort((a, b) => a - b);
  const pct = (p: number) => ms[Math.min(ms.length - 1, Math.floor(p * ms.length))] ?? 0;
  return {
    n: rows.length,
    figurePresent: share(rows.map((r) => r.figureOk)),
    citationCorrect: share(rows.map((r) => r.citationOk)),
    refused: share(answerable.map((r) => r.result.grade === "declined")),
    closest: share(answerable.map((r) => r.result.grade === "closest")),
    declinedOutOfScope: share(rows.filter((r) => !r.item.answerable).map((r) => r.result.grade === "declined")),
    wrongPlan: share(rows.map((r) => r.wrongPlan)),
    listItems: div(lists.reduce((a, b) => a + b, 0), lists.length),
    listComplete: div(lists.filter((x) => x === 1).length, lists.length),
    noFigureWithFigure: rows.filter((r) => r.noFigureWithFigure).length,
    quotesVerbatim: share(rows.map((r) => r.quotesOk)),
    numbersGrounded: share(rows.map((r) => r.numbersOk)),
    p50ms: pct(0.5),
    p95ms: pct(0.95),
  };
}

const f = (x: number) => (Number.isNaN(x) ? "   –" : x.toFixed(2).padStart(4));

/** The answer-level table `npm run eval` prints: one row per group (category or plan). */
export function formatAnswerScores(groups: Map<string, AnswerScores>, title = "answers"): string {
  const lines = [`${title.padEnd(28)}    n │ cite@1  figure refused closest  decl(oos) wrongplan  list(items/all)  nofig+fig │ verbatim grounded │ p95 ms`];
  for (const [k, s] of groups) {
    lines.push(
      `${k.slice(0, 28).padEnd(28)} ${String(s.n).padStart(4)} │  ${f(s.citationCorrect)}   ${f(s.figurePresent)}   ${f(s.refused)}    ${f(s.closest)}     ${f(s.declinedOutOfScope)}      ${f(s.wrongPlan)}     ${f(s.listItems)} / ${f(s.listComplete)}     ${String(s.noFigureWithFigure).padStart(3)}     │   ${f(s.quotesVerbatim)}    ${f(s.numbersGrounded)}  │ ${s.p95ms.toFixed(1)}`,
    );
  }
  return lines.join("\n");
}

/** Answers that failed a check, for reading (never for a sealed set). */
export function formatAnswerMisses(rows: AnswerRow[]): string {
  return rows
    .filter((r) => r.figureOk === false || r.citationOk === false || r.wrongPlan || r.noFigureWithFigure || (r.listShare ?? 1) < 1 || !r.quotesOk || !r.numbersOk || (!r.item.answerable && r.result.grade !== "declined"))
    .map((r) => `✗ ${r.item.id} [${r.item.category}${r.item.doc ? ` ${r.item.doc}` : ""}] ${r.item.q}\n   expected ${[...r.item.expect.refs, ...r.item.expect.units].join("|") || "decline"} ${r.item.expect.figures.join(" ")}; ${r.result.grade}: ${r.result.answer.replace(/\n/g, " ⏎ ").slice(0, 220)}  [cite=${r.citationOk} fig=${r.figureOk} plan=${r.wrongPlan === true ? "WRONG" : "ok"} list=${r.listShare?.toFixed(2) ?? "–"} quotes=${r.quotesOk} nums=${r.numbersOk}]`)
    .join("\n");
}
