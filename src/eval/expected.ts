import { parseChineseNumeral } from "../plan/numerals.js";
import type { PlanDocument, Unit } from "../plan/types.js";
import type { EvalItem } from "./dataset.js";

/** A unit's identity across documents. */
export const unitKey = (doc: string, ref: string) => `${doc}\u0000${ref}`;

/**
 * Resolves a printed numbering chain to the units it names in one document:
 * `一` (part), `二（三）` (section （三） of part 二), `五（二）2` (item 2 under it), `（十二）` (any
 * section so numbered), `第5项` (task 5), `表1` (the rows of table 1), `preamble`, `notice`. Unknown chains
 * resolve to nothing.
 * @example resolveChain(doc, "二（三）") // [the section unit]
 */
export function resolveChain(doc: PlanDocument, chain: string): Unit[] {
  // ⒉ (a digit and its full stop in one character) is the task 2., ⑴ the item （1）.
  const c = chain.replace(/[\u2488-\u249B]/g, (d) => String(d.codePointAt(0)! - 0x2487)).replace(/[\u2474-\u2487]/g, (d) => `（${d.codePointAt(0)! - 0x2473}）`).replace(/[\s、.．:：]/g, "").replace(/\(/g, "（").replace(/\)/g, "）");
  if (/^(preamble|前言)$/i.test(c)) return doc.units.filter((u) => u.kind === "preamble");
  if (/^(notice|印发通知|通知)$/i.test(c)) return doc.units.filter((u) => u.kind === "notice");
  // Any unit's own printed label (二（二）（1）, 第三章第二节, 附件1序号3, 专栏1, 第十二条, 一（三）1.) names it.
  const labelled = doc.units.filter((u) => labelKey(u) === c);
  if (labelled.length > 0) return labelled;
  // A chain written without the bracketed heading an entry stands under (二③ for 二【支持标准】③).
  const unbracketed = c.includes("【") ? [] : doc.units.filter((u) => u.label.includes("【") && labelKey(u).replace(/【[^】]*】/g, "") === c);
  if (unbracketed.length > 0) return unbracketed;
  // A table row under the unit that holds the table (五序号3: row 3 of the table printed in part 五).
  const row = /^(.+?)序号(\d+)$/.exec(c);
  if (row) {
    const holders = new Set(resolveChain(doc, row[1]!).map((u) => u.ref));
    const rows = doc.units.filter((u) => u.kind === "row" && u.number === Number(row[2]) && u.parents.some((p) => holders.has(p)));
    if (rows.length > 0) return rows;
  }
  if (/^附[件表]$/.test(c)) return doc.units.filter((u) => u.kind === "annex");
  // A plan printed as the one annex of a short letter (附件 / …申报指南) is read as the document's body: 附件二（一） is its 二（一）.
  if (/^附件\d*./.test(c) && !doc.units.some((u) => u.kind === "annex")) return resolveChain(doc, c.replace(/^附件\d*/, ""));
  // A table by its caption's number (表1): its rows, each labelled with it (表1 主要江河干流堤防达标率（%）).
  if (/^表\d+$/.test(c)) return doc.units.filter((u) => u.label.split(/[\s　]/)[0] === c);
  const task = /^第(\d+|[一二三四五六七八九十]+)[项条]$/.exec(c);
  if (task) {
    const n = Number(task[1]) || parseChineseNumeral(task[1]!);
    return doc.units.filter((u) => u.kind === "task" && u.number === n && u.parents.every((p) => !p.startsWith("task:")));
  }
  const m = /^([一二三四五六七八九十]+)?(?:（([一二三四五六七八九十]+)）)?(\d+)?$/.exec(c);
  if (!m || (!m[1] && !m[2] && !m[3])) return [];
  const part = m[1] ? parseChineseNumeral(m[1]) : undefined;
  const section = m[2] ? parseChineseNumeral(m[2]) : undefined;
  const item = m[3] ? Number(m[3]) : undefined;
  const byRef = new Map(doc.units.map((u) => [u.ref, u]));
  const ancestors = (u: Unit) => u.parents.map((r) => byRef.get(r)).filter((x): x is Unit => Boolean(x));
  return doc.units.filter((u) => {
    const chainOf = [...ancestors(u), u];
    const partU = chainOf.find((x) => x.kind === "part");
    const sectionU = chainOf.find((x) => x.kind === "section");
    const leaf = item !== undefined ? "item" : section !== undefined ? "section" : "part";
    if (leaf === "part" && u.kind !== "part") return false;
    if (leaf === "section" && u.kind !== "section") return false;
    if (leaf === "item" && (u.kind === "part" || u.kind === "section" || u.kind === "preamble" || u.kind === "notice")) return false;
    if (part !== undefined && partU?.number !== part) return false;
    if (section !== undefined && sectionU?.number !== section) return false;
    if (item !== undefined && u.number !== item) return false;
    return true;
  });
}

/** A unit's label as a chain is written: without punctuation, and a part without its title (一、总体要求 → 一). */
function labelKey(u: Unit): string {
  // 一、总体要求 → 一; a decimal outline's 3 应急响应 → 3.
  const label = u.kind === "part" ? u.label.split(/[、.．\s]/)[0]! : u.label;
  return label.replace(/[\s、.．:：]/g, "").replace(/\(/g, "（").replace(/\)/g, "）");
}

/**
 * The units that count as a right first citation for a question: its expected refs and chains in
 * its document, and their descendants (a more specific unit inside an expected one is right too).
 */
export function expectedUnits(item: EvalItem, docs: PlanDocument[], defaultDocs: string[]): Set<string> {
  const docIds = item.doc ? [item.doc] : defaultDocs;
  const out = new Set<string>();
  for (const id of docIds) {
    const doc = docs.find((d) => d.id === id);
    if (!doc) continue;
    const hits: Unit[] = [];
    for (const ref of item.expect.refs) {
      const u = doc.units.find((x) => x.ref === ref);
      if (u) hits.push(u);
    }
    for (const chain of item.expect.units) hits.push(...resolveChain(doc, chain));
    const roots = new Set(hits.map((u) => u.ref));
    for (const u of doc.units) if (roots.has(u.ref) || u.parents.some((p) => roots.has(p))) out.add(unitKey(doc.id, u.ref));
  }
  return out;
}

/** Chains or refs of an item that name no unit of its document (a broken question, reported). */
export function unresolved(item: EvalItem, docs: PlanDocument[], defaultDocs: string[]): string[] {
  const docIds = item.doc ? [item.doc] : defaultDocs;
  const doc = docs.find((d) => docIds.includes(d.id));
  if (!doc) return [];
  return [
    ...item.expect.refs.filter((r) => !doc.units.some((u) => u.ref === r)),
    ...item.expect.units.filter((c) => resolveChain(doc, c).length === 0),
  ];
}
