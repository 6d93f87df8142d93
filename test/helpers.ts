import { readFileSync, statSync } from "node:fs";
import { dirname } from "node:path";
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

/**
 * Whether an unprivileged user can reach a path: every folder above it lets others through (o+x).
 * A clone inside a private temporary folder (mktemp -d is 0700) does not; tests that run a child
 * as user 65534 skip there, since that child could not even load the repository's files.
 */
export function othersCanReach(path: string): boolean {
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) return false;
    if (dirname(dir) === dir) return true;
  }
}
