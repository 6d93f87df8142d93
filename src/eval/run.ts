import { readFileSync } from "node:fs";
import type { KnowledgeBase } from "../knowledge.js";
import type { EvalItem } from "./dataset.js";
import { NaiveBaseline } from "./baseline.js";
import { expectedUnits, unitKey } from "./expected.js";
import { scoreByCategory, type RetrievalScores, type SystemRun } from "./metrics.js";

/** Per-question outcome, for listing misses. */
export interface EvalRow {
  item: EvalItem;
  expected: Set<string>;
  policybot: SystemRun & { confidence: number };
  baseline: SystemRun;
}

/** Both systems' scores, overall and per category. */
export interface EvalReport {
  rows: EvalRow[];
  policybot: Map<string, RetrievalScores>;
  baseline: Map<string, RetrievalScores>;
}

/** Runs policybot's retrieval and the naive baseline over the same questions. */
export async function evaluateRetrieval(kb: KnowledgeBase, items: EvalItem[], defaultDocs: string[]): Promise<EvalReport> {
  const baseline = await NaiveBaseline.create(kb.docs.map((doc) => ({ doc, raw: readFileSync(doc.file, "utf8") })));
  const rows: EvalRow[] = [];
  for (const item of items) {
    const r = await kb.retriever.retrieve(item.q, { k: 10, history: item.history });
    rows.push({
      item,
      expected: expectedUnits(item, kb.docs, defaultDocs),
      policybot: { keys: r.units.map((u) => unitKey(u.unit.doc, u.unit.ref)), abstained: r.grade !== "answered", confidence: r.confidence },
      baseline: baseline.run([...(item.history ?? []).map((h) => h.q), item.q].join(" ")),
    });
  }
  const expected = rows.map((r) => r.expected);
  return {
    rows,
    policybot: scoreByCategory(items, rows.map((r) => r.policybot), expected),
    baseline: scoreByCategory(items, rows.map((r) => r.baseline), expected),
  };
}

const pct = (x: number) => (Number.isNaN(x) ? "   –" : x.toFixed(2).padStart(4));

/** The side-by-side table `npm run eval` prints. */
export function formatReport(report: EvalReport, title: string): string {
  const lines = [
    title,
    `${"category".padEnd(13)} ${"n".padStart(3)} │ policybot: hit@1 hit@3  MRR  abst(unans) abst(ans) │ baseline: hit@1 hit@3  MRR  abst`,
  ];
  for (const [cat, p] of report.policybot) {
    const b = report.baseline.get(cat)!;
    lines.push(
      `${cat.padEnd(13)} ${String(p.n).padStart(3)} │            ${pct(p.hit1)}  ${pct(p.hit3)} ${pct(p.mrr)}     ${pct(p.abstainOnUnanswerable)}       ${pct(p.abstainOnAnswerable)}   │           ${pct(b.hit1)}  ${pct(b.hit3)} ${pct(b.mrr)}  ${pct(b.abstainOnUnanswerable)}`,
    );
  }
  return lines.join("\n");
}

/** Questions policybot got wrong, for reading. */
export function formatMisses(report: EvalReport): string {
  const out: string[] = [];
  for (const r of report.rows) {
    const { item, policybot } = r;
    const first = policybot.keys[0];
    const ok = item.answerable ? first !== undefined && r.expected.has(first) && !policybot.abstained : policybot.abstained;
    if (!ok) {
      const show = (k: string) => k.replace("\u0000", ":");
      out.push(`✗ ${item.id} [${item.category}] ${item.q}  expected ${[...item.expect.refs, ...item.expect.units].join("|") || "abstain"}${item.doc ? ` in ${item.doc}` : ""}; got ${policybot.keys.slice(0, 3).map(show).join(", ")} conf=${policybot.confidence.toFixed(2)}${policybot.abstained ? " (abstained)" : ""}`);
    }
  }
  return out.join("\n");
}
