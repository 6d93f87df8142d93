import type { Unit } from "../plan/types.js";
import type { Citation } from "./types.js";

/** Makes a citation; the quote must be verbatim in the unit's text, or there is no citation. */
export function cite(unit: Unit, quote: string): Citation | undefined {
  const q = quote.trim();
  if (!q || !unit.text.includes(q)) return undefined;
  return { doc: unit.doc, ref: unit.ref, label: unit.label, heading: unit.heading, quote: q };
}

/** Removes duplicate citations (same unit and quote), keeping the first. */
export function dedupeCitations(citations: Array<Citation | undefined>): Citation[] {
  const seen = new Set<string>();
  const out: Citation[] = [];
  for (const c of citations) {
    if (!c) continue;
    const key = `${c.doc}|${c.ref}|${c.quote}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(c);
  }
  return out;
}

/** Numbers as they appear in text: 78, 76.5, 1,530 (commas removed), full-width digits. */
export function numbersIn(text: string): string[] {
  return (text.replace(/[０-９．]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).match(/\d+(?:[.,]\d+)*/g) ?? []).map((n) => n.replace(/,/g, ""));
}

/** Problems found when checking an answer against its citations. */
export interface Verification {
  /** Quotes that are not verbatim in the unit they name. */
  badQuotes: Citation[];
  /** Numbers in the answer that appear in no cited unit. */
  ungroundedNumbers: string[];
}

/** Checks that every quote is verbatim and every number in the answer appears in a cited unit. */
export function verifyAnswer(answer: string, citations: Citation[], unitOf: (c: Citation) => Unit | undefined): Verification {
  const badQuotes = citations.filter((c) => !unitOf(c)?.text.includes(c.quote));
  const citedText = citations.map((c) => unitOf(c)?.text ?? "").join("\n");
  const citedNumbers = new Set(numbersIn(citedText));
  const ungroundedNumbers = [...new Set(numbersIn(answer))].filter((n) => !citedNumbers.has(n) && !citedText.includes(n));
  return { badQuotes, ungroundedNumbers };
}
