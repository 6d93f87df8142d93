import type { PlanCatalog } from "./plans.js";
import type { Retrieval } from "./retriever.js";

/** The JSON shape of a ranked retrieval, shared by `policybot search --json` and `GET /api/search`. */
export function retrievalJson(question: string, r: Retrieval, catalog?: PlanCatalog) {
  return {
    question,
    confidence: Number(r.confidence.toFixed(3)),
    lowConfidence: r.lowConfidence,
    ...(r.reason ? { reason: r.reason } : {}),
    units: r.units.map((u) => ({
      doc: u.unit.doc,
      ...(catalog?.citeName(u.unit.doc) ? { plan: catalog.citeName(u.unit.doc) } : {}),
      ref: u.unit.ref,
      label: u.unit.label,
      heading: u.unit.heading,
      path: u.unit.path,
      score: Number(u.score.toFixed(4)),
      coverage: Number(u.coverage.toFixed(3)),
      structural: u.structural,
      chunks: u.chunks.map((c) => c.text),
    })),
  };
}
