import { bodySentences } from "../answer/unit-text.js";
import { planFacts, verifyAnswer } from "../answer/citations.js";
import type { AnswerEngine } from "../answer/engine.js";
import type { KnowledgeBase } from "../knowledge.js";
import type { PlanDocument, Unit } from "../plan/types.js";
import { extractQuantities } from "../targets/quantities.js";

/**
 * Questions built from every unit of every loaded plan, no question set needed: a plan's own labels,
 * headings, goal figures and dates, asked back. They test mechanisms on plans nobody wrote questions
 * for (any folder given to `eval --plans`), not paraphrase: each question quotes the plan's wording.
 */
export interface SweepScores {
  doc: string;
  /** "<label>讲什么", asked of the plan: first citation is that unit. */
  label: Rate;
  /** "<heading>有哪些举措" of a unit with children or three measures: first citation is it (or a child), and every child or measure is listed. */
  list: Rate & { complete: number };
  /** "<metric>的目标是多少" for each goal figure: the figure is in the answer. */
  figure: Rate;
  /** "<heading>什么时候完成" of a unit stating one date: the date is in the answer. */
  date: Rate;
  /** The plan's issuer, 文号, date and full title asked by its short name: each is in the answer. */
  meta: Rate;
  /** Every answer above: quotes verbatim and every number grounded in a cited unit. */
  grounded: Rate;
}

interface Rate {
  n: number;
  right: number;
}

const rate = (): Rate => ({ n: 0, right: 0 });

/** Sweeps every plan of a knowledge base (the seed's too). */
export async function sweepPlans(kb: KnowledgeBase, engine: AnswerEngine): Promise<SweepScores[]> {
  const facts = planFacts(kb.docs);
  const out: SweepScores[] = [];
  for (const doc of kb.docs) {
    const s: SweepScores = { doc: doc.id, label: rate(), list: { ...rate(), complete: 0 }, figure: rate(), date: rate(), meta: rate(), grounded: rate() };
    const ask = async (question: string, scoped: boolean) => {
      const r = await engine.answer({ question, ...(scoped ? { doc: doc.id } : {}) });
      const check = verifyAnswer(r.answer, r.citations, (c) => kb.retriever.unit(c.doc, c.ref), r.abstained ? facts : "");
      s.grounded.n++;
      if (check.badQuotes.length === 0 && check.ungroundedNumbers.length === 0) s.grounded.right++;
      return r;
    };
    const once = <K>(keys: K[]) => {
      const count = new Map<K, number>();
      for (const k of keys) count.set(k, (count.get(k) ?? 0) + 1);
      return (k: K) => count.get(k) === 1;
    };
    const uniqueLabel = once(doc.units.map((u) => u.label));
    const uniqueHeading = once(doc.units.map((u) => u.heading));
    const children = (u: Unit) => u.children.map((r) => kb.retriever.unit(doc.id, r)).filter((c): c is Unit => c !== undefined);
    for (const u of doc.units) {
      if (u.kind === "notice" || u.kind === "preamble") continue;
      if (uniqueLabel(u.label)) {
        s.label.n++;
        if ((await ask(`${u.label}讲什么`, true)).citations[0]?.ref === u.ref) s.label.right++;
      }
      const headed = uniqueHeading(u.heading) && u.heading.length >= 4 && u.heading.length <= 20 && u.kind !== "row" && u.kind !== "closing";
      const kids = children(u);
      const measures = bodySentences(u);
      const items = kids.length >= 2 ? kids.map((k) => k.heading.slice(0, 12)) : measures.length >= 3 ? measures.map((m) => m.slice(0, 12)) : [];
      if (headed && items.length > 0) {
        s.list.n++;
        const r = await ask(`${u.heading}有哪些举措`, true);
        const first = r.citations[0]?.ref;
        if (first === u.ref || (first !== undefined && u.children.includes(first))) s.list.right++;
        if (items.every((x) => r.answer.includes(x))) s.list.complete++;
      }
      const dates = kb.retriever.datesOf(u).map((f) => f.figure ?? "").filter((f) => /月|底|前/.test(f));
      if (headed && dates.length === 1) {
        s.date.n++;
        if ((await ask(`${u.heading}什么时候完成`, true)).answer.includes(dates[0]!)) s.date.right++;
      }
    }
    const asked = new Set<string>();
    for (const u of doc.units) {
      for (const q of extractQuantities(u)) {
        const metric = q.metric.replace(/[（(][^）)]*[)）]$/, "");
        const question = `${metric}的目标是多少`;
        if (q.role !== "goal" || metric.length < 4 || asked.has(question)) continue;
        asked.add(question);
        s.figure.n++;
        if ((await ask(question, true)).answer.includes(q.figure)) s.figure.right++;
      }
    }
    for (const [question, want] of metaQuestions(doc, kb.catalog.get(doc.id)?.shortName ?? doc.meta.shortName)) {
      s.meta.n++;
      const r = await ask(question, false);
      if (r.answer.replace(/\s/g, "").includes(want.replace(/\s/g, "")) && r.citations[0]?.doc === doc.id) s.meta.right++;
    }
    out.push(s);
  }
  return out;
}

function metaQuestions(doc: PlanDocument, short: string): Array<[string, string]> {
  const m = doc.meta;
  const out: Array<[string, string]> = [];
  if (m.issuers[0]) out.push([`${short}是哪个部门印发的`, m.issuers[0]]);
  if (m.docNumber) out.push([`${short}的文号是多少`, m.docNumber]);
  if (m.dateText) out.push([`${short}是什么时候印发的`, m.dateText]);
  if (m.issuers.length > 0) out.push([`${short}的全称是什么`, m.title]);
  return out;
}

/** The sweep as a table, one row per plan. */
export function formatSweep(rows: SweepScores[]): string {
  const f = (r: Rate) => (r.n === 0 ? "   –    " : `${(r.right / r.n).toFixed(2)} (${String(r.n).padStart(3)})`);
  const lines = ["sweep (questions built from each plan's own labels, headings, goal figures, dates and facts)", `${"plan".padEnd(32)} │ label         list first / complete     figure        date          meta          grounded`];
  for (const r of rows) {
    const complete = r.list.n === 0 ? "  –  " : (r.list.complete / r.list.n).toFixed(2);
    lines.push(`${r.doc.slice(0, 32).padEnd(32)} │ ${f(r.label)}   ${f(r.list)} / ${complete}    ${f(r.figure)}    ${f(r.date)}    ${f(r.meta)}    ${f(r.grounded)}`);
  }
  return lines.join("\n");
}
