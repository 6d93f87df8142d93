import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { loadPlanFile } from "../src/plan/load.js";
import type { PlanDocument } from "../src/plan/types.js";

/** Absolute path of a file in the repository. */
export const repoPath = (rel: string) => fileURLToPath(new URL(`../${rel}`, import.meta.url));
export const SEED_FILE = repoPath("seeds/zhejiang-2026-qianwan-plan.txt");
export const FIXTURES = repoPath("test/fixtures");

let seed: PlanDocument | undefined;
/** The parsed seed plan (parsed once per test file). */
export function seedPlan(): PlanDocument {
  return (seed ??= loadPlanFile(SEED_FILE));
}
export const seedText = () => readFileSync(SEED_FILE, "utf8");
