import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { decodePlanBytes } from "./decode.js";
import { PlanParseError } from "./errors.js";
import { distinctShortNames } from "./meta.js";
import { parsePlan } from "./parse.js";
import type { PlanDocument, Unit } from "./types.js";

/** The documents that loaded, and one error per file that did not. */
export interface LoadResult {
  docs: PlanDocument[];
  errors: PlanParseError[];
}

/** Largest seed file accepted; policy plans are tens of kilobytes. */
export const MAX_SEED_BYTES = 5 * 1024 * 1024;

/** Parses one file; throws PlanParseError naming the file. */
export function loadPlanFile(path: string): PlanDocument {
  let bytes: Buffer;
  try {
    const size = statSync(path).size;
    if (size > MAX_SEED_BYTES) throw new PlanParseError(path, `the file is ${size} bytes; the limit is ${MAX_SEED_BYTES}`);
    bytes = readFileSync(path);
  } catch (err) {
    if (err instanceof PlanParseError) throw err;
    throw new PlanParseError(path, `cannot read the file (${(err as Error).message})`, undefined, { cause: err });
  }
  const hash = createHash("sha256").update(bytes).digest("hex");
  return parsePlan(decodePlanBytes(bytes, path), path, hash);
}

/** The seed files of a folder: every .txt and .md file, sorted by name. */
export function listSeedFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => /\.(txt|md)$/i.test(f) && !f.startsWith("."))
    .sort()
    .map((f) => join(dir, f));
}

/**
 * Loads every document in a seeds folder. A file that fails is reported and the others still load.
 * @example const { docs, errors } = loadPlans("seeds");
 */
export function loadPlans(dir: string): LoadResult {
  let files: string[];
  try {
    files = listSeedFiles(dir);
  } catch (err) {
    return { docs: [], errors: [new PlanParseError(dir, `cannot read the seeds folder (${(err as Error).message})`, undefined, { cause: err })] };
  }
  const docs: PlanDocument[] = [];
  const errors: PlanParseError[] = [];
  for (const file of files) {
    try {
      docs.push(loadPlanFile(file));
    } catch (err) {
      errors.push(err instanceof PlanParseError ? err : new PlanParseError(file, String((err as Error)?.message ?? err), undefined, { cause: err }));
    }
  }
  const seen = new Set<string>();
  for (const d of docs) {
    if (seen.has(d.id)) errors.push(new PlanParseError(d.file, `another seed file has the same document id "${d.id}"`));
    seen.add(d.id);
  }
  const unique = docs.filter((d, i) => docs.findIndex((x) => x.id === d.id) === i);
  distinctShortNames(unique);
  return { docs: unique, errors };
}

/** Every unit of every document, in document order. */
export function allUnits(docs: PlanDocument[]): Unit[] {
  return docs.flatMap((d) => d.units);
}
