import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { decodePlanBytes } from "./decode.js";
import { PlanParseError } from "./errors.js";
import { docxToText } from "./formats/docx.js";
import { htmlToText } from "./formats/html.js";
import { mhtToText } from "./formats/mht.js";
import { hasPlanTitle, nonPlanByContent, nonPlanByName } from "./formats/nonplan.js";
import { pdfToText } from "./formats/pdf.js";
import { sniffFormat } from "./formats/sniff.js";
import { distinctShortNames } from "./meta.js";
import { parsePlan } from "./parse.js";
import type { PlanDocument, SourceFormat, Unit } from "./types.js";

/** A file of the seeds folder that is not a plan (a README, notes, a list of links), left out on purpose. */
export interface PlanSkip {
  file: string;
  reason: string;
  /** One line for a log or the terminal: the file and why it was left out. */
  message: string;
}

/** The documents that loaded, one error per file that should have and did not, and the files left out. */
export interface LoadResult {
  docs: PlanDocument[];
  errors: PlanParseError[];
  skipped: PlanSkip[];
}

/** Largest text or web page accepted; policy plans are tens of kilobytes. */
export const MAX_SEED_BYTES = 5 * 1024 * 1024;
/** Largest .docx or .pdf accepted: images inside make them much larger than their text. */
export const MAX_BINARY_SEED_BYTES = 50 * 1024 * 1024;

/** The reader of each format: bytes in, the plan's lines out. */
const READERS: Record<SourceFormat, (bytes: Uint8Array, file: string) => string> = {
  txt: decodePlanBytes,
  md: decodePlanBytes,
  html: htmlToText,
  mht: mhtToText,
  docx: docxToText,
  pdf: pdfToText,
};

/** A file that is not a plan; the loader lists it as skipped rather than as an error. */
export class NotAPlanError extends Error {
  override readonly name = "NotAPlanError";
  constructor(readonly file: string, readonly reason: string) {
    super(`plan: ${file}: ${reason}，已跳过（skipped）`);
  }
}

/** The plan text of a file in any supported format, and that format. Throws PlanParseError or NotAPlanError. */
export function readPlanSource(path: string, bytes: Uint8Array): { text: string; format: SourceFormat } {
  const byName = nonPlanByName(path);
  if (byName) throw new NotAPlanError(path, byName);
  const sniffed = sniffFormat(basename(path), bytes);
  if ("ignored" in sniffed) throw new NotAPlanError(path, sniffed.ignored);
  if ("unsupported" in sniffed) throw new PlanParseError(path, sniffed.unsupported);
  const { format } = sniffed;
  if (format !== "docx" && format !== "pdf" && format !== "mht" && bytes.length > MAX_SEED_BYTES) {
    throw new PlanParseError(path, `the file is ${bytes.length} bytes; the limit is ${MAX_SEED_BYTES}`);
  }
  if (bytes.length === 0) throw new PlanParseError(path, "文件是空的（the file is empty）");
  const text = READERS[format](bytes, path);
  if (text.trim() === "") throw new PlanParseError(path, "文件中没有文字（the file has no text）");
  const byContent = nonPlanByContent(text);
  if (byContent) throw new NotAPlanError(path, byContent);
  return { text, format };
}

/** Parses one file of any supported format; throws PlanParseError naming the file (NotAPlanError for a README or notes). */
export function loadPlanFile(path: string): PlanDocument {
  let bytes: Buffer;
  try {
    const size = statSync(path).size;
    if (size > MAX_BINARY_SEED_BYTES) throw new PlanParseError(path, `the file is ${size} bytes; the limit is ${MAX_BINARY_SEED_BYTES}`);
    bytes = readFileSync(path);
  } catch (err) {
    if (err instanceof PlanParseError) throw err;
    throw new PlanParseError(path, `cannot read the file (${(err as Error).message})`, undefined, { cause: err });
  }
  const hash = createHash("sha256").update(bytes).digest("hex");
  const { text, format } = readPlanSource(path, bytes);
  try {
    return { ...parsePlan(text, path, hash), format };
  } catch (err) {
    // Chinese notes without a document title or numbering are not a plan; a plan that fails to parse is an error.
    if (err instanceof PlanParseError && /no recognisable numbering/.test(err.reason) && !hasPlanTitle(text)) {
      throw new NotAPlanError(path, "没有方案标题，也没有编号的条目，不是方案（no document title and no numbered units）");
    }
    throw err;
  }
}

/** The files of a seeds folder that may be plans: every visible file, sorted by name. */
export function listSeedFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => (e.isFile() || e.isSymbolicLink()) && !e.name.startsWith(".") && !e.name.startsWith("~$"))
    .map((e) => e.name)
    .sort()
    .map((f) => join(dir, f));
}

/**
 * Loads every document in a seeds folder. A file that fails is reported and the others still load;
 * files that are not plans (README.md, notes, links) are listed as skipped.
 * @example const { docs, errors, skipped } = loadPlans("seeds");
 */
export function loadPlans(dir: string): LoadResult {
  let files: string[];
  try {
    files = listSeedFiles(dir);
  } catch (err) {
    return { docs: [], errors: [new PlanParseError(dir, `cannot read the seeds folder (${(err as Error).message})`, undefined, { cause: err })], skipped: [] };
  }
  const docs: PlanDocument[] = [];
  const errors: PlanParseError[] = [];
  const skipped: PlanSkip[] = [];
  for (const file of files) {
    try {
      docs.push(loadPlanFile(file));
    } catch (err) {
      if (err instanceof NotAPlanError) skipped.push({ file, reason: err.reason, message: err.message });
      else errors.push(err instanceof PlanParseError ? err : new PlanParseError(file, String((err as Error)?.message ?? err), undefined, { cause: err }));
    }
  }
  const seen = new Set<string>();
  for (const d of docs) {
    if (seen.has(d.id)) errors.push(new PlanParseError(d.file, `another seed file has the same document id "${d.id}"`));
    seen.add(d.id);
  }
  const unique = docs.filter((d, i) => docs.findIndex((x) => x.id === d.id) === i);
  distinctShortNames(unique);
  return { docs: unique, errors, skipped };
}

/** Every unit of every document, in document order. */
export function allUnits(docs: PlanDocument[]): Unit[] {
  return docs.flatMap((d) => d.units);
}
