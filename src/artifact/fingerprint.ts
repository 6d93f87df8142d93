import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

/** The folders whose code and data decide what an index holds (parsing, chunks, tokens, quantities). */
const SHAPING = ["plan", "indexing", "retrieve", "targets", "artifact"];
/** Packages whose version changes segmentation, normalisation or the vector file. */
const PACKAGES = ["@node-rs/jieba", "opencc-js", "hnswlib-node"];

let cached: string | undefined;

/**
 * A sha256 over the program that builds an index: the code and data files of the folders that shape
 * it and the versions of the packages that cut and store text. An artifact built by another version
 * of policybot is rebuilt rather than trusted, even when the seeds are the same.
 */
export function codeFingerprint(): string {
  if (cached) return cached;
  const src = fileURLToPath(new URL("..", import.meta.url));
  const hash = createHash("sha256");
  const roots = SHAPING.map((d) => join(src, d));
  // Compiled code runs from dist/, but its data files (the vocabulary) stay in src/.
  if (src.includes("/dist/")) roots.push(join(src.replace(/\/dist\/src\/?$/, "/src/"), "retrieve", "data"));
  for (const root of roots) {
    for (const file of filesUnder(root)) {
      if (!/\.(js|ts|json)$/.test(file) || file.endsWith(".d.ts")) continue;
      hash.update(`${relative(src, file)}\0`).update(readFileSync(file)).update("\0");
    }
  }
  const require = createRequire(import.meta.url);
  for (const name of PACKAGES) {
    try {
      hash.update(`${name}@${(require(`${name}/package.json`) as { version: string }).version}\0`);
    } catch {
      hash.update(`${name}@?\0`);
    }
  }
  return (cached = hash.digest("hex"));
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path));
    else out.push(path);
  }
  return out;
}
