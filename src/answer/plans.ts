/**
 * Answers over several plans: citation tags that name their plan (〔职业教育改革方案·（十二）〕) once
 * more than one plan is loaded, the answer for each plan when a reference fits several, and the plan
 * list channels show (`GET /api/plans`, `/plans`).
 */
import type { PlanDocument, Unit } from "../plan/types.js";
import type { PlanCatalog, PlanInfo } from "../retrieve/plans.js";
import type { PlanRetrieval } from "../retrieve/router.js";
import type { Target } from "../targets/types.js";
import { extractiveAnswer, type DraftAnswer, type ExtractiveDeps } from "./extractive.js";
import type { Citation } from "./types.js";

/** Separates a plan's short name from a unit's label in a citation tag. */
export const PLAN_SEPARATOR = "·";

/** How a citation is shown: 〔第5项〕 with one plan loaded, 〔千万工程方案·第5项〕 with several. */
export function citationTag(c: Pick<Citation, "label" | "plan">): string {
  return `〔${c.plan ? `${c.plan}${PLAN_SEPARATOR}` : ""}${c.label}〕`;
}

/** Adds the plan's short name to each citation (only when several plans are loaded). */
export function withPlanNames(citations: Citation[], catalog: PlanCatalog): Citation[] {
  return citations.map((c) => {
    const plan = catalog.citeName(c.doc);
    return plan ? { ...c, plan } : c;
  });
}

/**
 * Qualifies the tags of a one-plan answer text: 〔（十二）〕 → 〔职业教育改革方案·（十二）〕. Only the
 * plan's own labels are tags; 〔2019〕 in a quoted 文号 is left alone.
 */
export function qualifyTags(text: string, plan: string | undefined, doc: Pick<PlanDocument, "units">): string {
  if (!plan) return text;
  const labels = new Set(doc.units.map((u) => u.label));
  return text.replace(/〔([^〔〕]{1,40})〕/g, (m, label: string) => (labels.has(label) ? `〔${plan}${PLAN_SEPARATOR}${label}〕` : m));
}

/** Copies of units whose label names their plan, for the LLM's excerpts and the stream check. */
export function unitsLabelledByPlan(units: Unit[], catalog: PlanCatalog): Unit[] {
  return units.map((u) => {
    const plan = catalog.citeName(u.doc);
    return plan ? { ...u, label: `${plan}${PLAN_SEPARATOR}${u.label}` } : u;
  });
}

/**
 * A reference several plans have (第三部分, （十二）), answered for each plan in turn, each part
 * tagged with its plan. Declined only when no plan answers.
 */
export function answerForEachPlan(each: PlanRetrieval[], deps: ExtractiveDeps, catalog: PlanCatalog): DraftAnswer {
  const parts = each.map(({ doc, retrieval }) => ({ doc, draft: extractiveAnswer(retrieval, deps) }));
  const answering = parts.filter((p) => !p.draft.abstained);
  const shown = answering.length > 0 ? answering : parts.slice(0, 1);
  const en = each[0]?.retrieval.query.language === "en";
  const names = shown.map((p) => catalog.get(p.doc)?.shortName ?? p.doc);
  // No count in words: every number in an answer must be one its citations hold.
  const lead = shown.length > 1 ? (en ? `Several plans have this (${names.join(", ")}):` : `多份方案都有这一部分（${names.join("、")}），分别是：`) : "";
  const body = shown.map((p) => {
    const name = catalog.get(p.doc)?.shortName ?? p.doc;
    return `【${name}】${qualifyTags(p.draft.answer, catalog.citeName(p.doc), deps.docs.find((d) => d.id === p.doc) ?? { units: [] })}`;
  });
  return {
    answer: [lead, ...body].filter(Boolean).join("\n\n"),
    abstained: answering.length === 0,
    ...(answering.length === 0 && shown[0]?.draft.grade ? { grade: shown[0].draft.grade } : {}),
    citations: withPlanNames(shown.flatMap((p) => p.draft.citations), catalog),
  };
}

/** One loaded plan as `GET /api/plans` and `/plans` show it. */
export interface PlanSummary extends PlanInfo {
  units: number;
  parts: number;
  sections: number;
  tasks: number;
  targets: number;
}

/** The loaded plans with their counts. */
export function summarizePlans(catalog: PlanCatalog, docs: readonly PlanDocument[], targets: readonly Target[]): PlanSummary[] {
  return catalog.plans.map((p) => {
    const units = docs.find((d) => d.id === p.id)?.units ?? [];
    const count = (kind: Unit["kind"]) => units.filter((u) => u.kind === kind).length;
    return { ...p, units: units.length, parts: count("part"), sections: count("section"), tasks: count("task"), targets: targets.filter((t) => t.doc === p.id).length };
  });
}
