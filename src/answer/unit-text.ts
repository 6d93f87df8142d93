import type { Unit } from "../plan/types.js";
import { splitSentences } from "../retrieve/text.js";

/** The citation tag after a quoted sentence: 〔第5项〕. */
export const tag = (u: Unit) => `〔${u.label}〕`;

/** A unit's label with its heading, unless the label already says it (一、总体要求). */
export const named = (u: Unit) => (u.label.endsWith(u.heading) ? u.label : `${u.label}“${u.heading}”`);

const NUMBERING_RE = /^\s*(\d{1,3}\s*[.．、]|[（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、)\s*/;

/**
 * The sentences of a unit that say something: its numbered heading sentence (一、…, （十二）….,
 * a task's first sentence) and a preamble's title line are left out.
 */
export function bodySentences(unit: Unit): string[] {
  const all = splitSentences(unit.text).map((s) => s.text);
  // The first sentence of a task or inline section is its heading; the first line of a preamble is the title.
  if (unit.kind === "task" || unit.kind === "preamble" || (unit.kind === "section" && !unit.text.includes("\n"))) return all.slice(1);
  // A heading printed on its own line ("（十二）多措并举打造…。" then the body): not a measure.
  const first = all[0];
  if (first && NUMBERING_RE.test(first) && first.replace(NUMBERING_RE, "").replace(/[。.]$/, "").length <= unit.heading.length + 2) return all.slice(1);
  return all;
}
