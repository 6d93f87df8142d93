import type { PlanDocument, Unit } from "../plan/types.js";
import { splitSentences } from "../retrieve/text.js";

/** A piece of text that is embedded and searched: a whole unit, or one sentence pointing to its unit. */
export interface Chunk {
  doc: string;
  ref: string;
  kind: "unit" | "sentence";
  /** The chunk's own text (a verbatim substring of the unit text for sentences). */
  text: string;
  /** Offset of `text` in the unit's text (0 for whole units). */
  start: number;
  /** What is embedded: the unit's path and heading first, so that a short sentence keeps its context. */
  embedText: string;
}

/** Context line for a unit: where it stands and what it is about. */
export function unitContext(unit: Unit): string {
  return unit.kind === "task" ? `${unit.path} ${unit.heading}` : unit.path;
}

/** Text that stands for a unit as a whole; units that are only a heading borrow their children's headings. */
export function unitSearchText(unit: Unit, byRef: Map<string, Unit>): string {
  const childHeadings = unit.children.map((r) => byRef.get(r)?.heading ?? "").join("；");
  return [unit.text, childHeadings].filter(Boolean).join("\n");
}

/** Every unit as a chunk, plus one chunk per sentence of units that have more than one sentence. */
export function makeChunks(docs: PlanDocument[]): Chunk[] {
  const chunks: Chunk[] = [];
  for (const doc of docs) {
    const byRef = new Map(doc.units.map((u) => [u.ref, u]));
    for (const unit of doc.units) {
      const context = unitContext(unit);
      chunks.push({ doc: doc.id, ref: unit.ref, kind: "unit", text: unit.text, start: 0, embedText: `${context}\n${unitSearchText(unit, byRef)}` });
      const sentences = splitSentences(unit.text);
      if (sentences.length < 2) continue;
      for (const s of sentences) {
        chunks.push({ doc: doc.id, ref: unit.ref, kind: "sentence", text: s.text, start: s.start, embedText: `${context}\n${s.text}` });
      }
    }
  }
  return chunks;
}
