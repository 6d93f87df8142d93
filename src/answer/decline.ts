import type { PlanDocument } from "../plan/types.js";
import type { Retrieval } from "../retrieve/retriever.js";
import { planRegion } from "../retrieve/scope.js";
import { cite, dedupeCitations } from "./citations.js";
import { messages } from "./messages.js";
import type { Citation, DraftAnswer } from "./types.js";
import { tag } from "./unit-text.js";

/** Plans named one by one in a decline; beyond this, "and N more". */
const MAX_PLANS_NAMED = 4;

/**
 * A declined answer: says that the plans loaded do not answer, why when known, what those plans
 * cover (name, region, year), and the nearest units as a pointer — never as an answer.
 * @example declineAnswer(retrieval, docs, false).answer // "已载入的规划没有回答这个问题（…）。已载入的规划：…。最接近的内容（仅供参考，不是答案）：…"
 */
export function declineAnswer(r: Retrieval, docs: readonly PlanDocument[], en: boolean): DraftAnswer {
  const m = messages(en ? "en" : "zh");
  const why = r.reasonCode ? m.declinedWhy[r.reasonCode] : undefined;
  const parts = [m.declinedHead(why)];
  if (docs.length > 0) {
    const named = docs.slice(0, MAX_PLANS_NAMED).map((d) => m.planScope(d.meta.shortName, planRegion(d.meta)));
    const more = docs.length > MAX_PLANS_NAMED ? m.morePlans(docs.length) : "";
    parts.push(m.declinedCovers(`${named.join(m.listSeparator)}${more}`));
  }
  // Asked about another year or day: the year of the plan found, with its notice's date as the citation.
  const dated: Array<Citation | undefined> = [];
  if (r.reasonCode === "other-year" || r.reasonCode === "other-day") {
    const doc = docs.find((d) => d.id === r.units[0]?.unit.doc);
    const notice = doc?.units.find((u) => u.kind === "notice");
    const date = notice && doc?.meta.dateText ? cite(notice, doc.meta.dateText) : undefined;
    if (doc && date) {
      dated.push(date);
      parts.push(m.planIssued(doc.meta.shortName, date.quote));
    }
  }
  // A pointer only when something is near: below this confidence the nearest unit is noise.
  const nearest = r.confidence >= 0.1 ? r.units.filter((u) => u.unit.kind !== "notice").slice(0, 2) : [];
  if (nearest.length === 0) return { answer: parts.join(en ? " " : ""), abstained: true, grade: "declined", citations: dedupeCitations(dated) };
  // The heading is shown only where it is the unit's own text (a preamble's heading is the plan's title), so every figure shown is cited.
  // Saying "no such figure" beside a quote that holds a figure reads as a contradiction (新增4个市… for 缴多少保费): the units
  // pointed to are then those whose headings state no number, where there is one.
  const noFigure = r.reasonCode === "no-figure" || r.reasonCode === "no-date";
  const plain = noFigure ? nearest.filter((c) => !/[\d０-９]|[一二两三四五六七八九十百千万]+[个项条家所座人名万亿]/.test(c.unit.heading)) : nearest;
  const shown = (plain.length > 0 ? plain : nearest.slice(0, 1)).map((c) => ({ c, own: cite(c.unit, c.unit.heading) }));
  const list = shown.map(({ c, own }) => `${c.unit.label}${own ? ` ${c.unit.heading}` : ""}${tag(c.unit)}`).join(m.pointerSeparator);
  parts.push(m.declinedNearest(list));
  return { answer: parts.join(en ? " " : ""), abstained: true, grade: "declined", citations: dedupeCitations([...shown.map(({ own }) => own), ...dated]) };
}
