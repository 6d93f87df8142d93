import { describeIndex, readArtifact, seedFilesOf, writeArtifact, type ArtifactManifest, type IndexContents } from "./artifact/artifact.js";
import { buildIndex, type BuildProgress } from "./artifact/build.js";
import type { Config } from "./config.js";
import type { Chunk } from "./indexing/chunks.js";
import { createEmbedder } from "./indexing/embeddings/factory.js";
import type { VectorIndex } from "./indexing/sparse-store.js";
import type { Logger } from "./logger.js";
import { PlanParseError } from "./plan/errors.js";
import { listSeedFiles, loadPlans, type LoadResult } from "./plan/load.js";
import type { PlanDocument } from "./plan/types.js";
import { PlanCatalog } from "./retrieve/plans.js";
import { HybridRetriever } from "./retrieve/retriever.js";

/** The index an instance answers from, and where it came from. */
export interface OpenIndex {
  chunks: Chunk[];
  store: VectorIndex;
  manifest: ArtifactManifest;
  /** "loaded" from the artifact in INDEX_DIR, or "built" from the seeds (with the reason). */
  origin: "loaded" | "built";
  reason?: string;
  ms: number;
}

/** Everything the answer layer and channels read: the documents, their index and the retriever. */
export interface KnowledgeBase {
  docs: PlanDocument[];
  errors: PlanParseError[];
  index: OpenIndex;
  retriever: HybridRetriever;
  /** The loaded plans by name: choosing one, and finding one named in a question. */
  catalog: PlanCatalog;
}

/** Options of {@link openKnowledgeBase}. */
export interface KnowledgeOptions {
  config: Config;
  logger: Logger;
  /** Build from the seeds even when INDEX_DIR holds a current artifact. */
  force?: boolean;
  /** false: never read or write INDEX_DIR (tests, benchmarks). */
  persist?: boolean;
  /** More folders of plans beside the seeds (the evaluation's multi-plan mode); a repeated id loads once. */
  extraDirs?: string[];
  /** Told how a build goes (a progress line on a terminal). */
  onProgress?: BuildProgress;
  /** Build and write a new artifact to this folder (which must not exist yet), not to INDEX_DIR. */
  out?: string;
}

/**
 * Loads the index artifact in INDEX_DIR when its manifest matches this program, the embedder and
 * the seeds' hashes; otherwise (saying why) parses the seeds, builds the index and saves it there.
 * With no document at all this throws.
 * @example const kb = await openKnowledgeBase({ config, logger });
 */
export async function openKnowledgeBase(deps: KnowledgeOptions): Promise<KnowledgeBase> {
  const { config, logger } = deps;
  const started = performance.now();
  const embedder = await createEmbedder(config);
  const dirs = [config.SEEDS_DIR, ...(deps.extraDirs ?? [])];
  let contents: IndexContents | undefined;
  let manifest: ArtifactManifest | undefined;
  let reason = deps.force || deps.out ? "rebuild requested" : deps.persist === false ? "in memory" : undefined;
  const seeds = () => seedFilesOf(dirs.flatMap((d) => safeList(d)));
  if (reason === undefined) {
    const r = readArtifact(config.INDEX_DIR, { embedder, seeds: seeds() });
    ({ contents, manifest, reason } = r);
    if (!contents && r.reason !== "no saved index") logger.warn({ dir: config.INDEX_DIR, reason: r.reason }, `index: not using the index in ${config.INDEX_DIR} (${r.reason}); building it from the seeds`);
  }
  if (!contents || !manifest) {
    const seedList = seeds();
    const { docs, errors, skipped } = loadAll(dirs);
    if (docs.length === 0) {
      for (const s of skipped) logger.info({ file: s.file }, s.message);
      for (const err of errors) logger.warn({ file: err.file, line: err.line }, err.message);
      throw new Error(`no policy documents could be loaded from ${config.SEEDS_DIR}/ (add plan files: .txt, .md, .html, .docx or .pdf)`);
    }
    const t0 = performance.now();
    const built = await buildIndex({ docs, embedder, onProgress: deps.onProgress });
    contents = { ...built, docs, errors, skipped };
    const meta = { embedder, seeds: seedList, buildMs: performance.now() - t0 };
    manifest = describeIndex(contents, meta);
    if (deps.out) manifest = writeArtifact(deps.out, contents, meta);
    else if (deps.persist !== false) {
      try {
        manifest = writeArtifact(config.INDEX_DIR, contents, { ...meta, replace: true });
      } catch (err) {
        // A read-only or full disk must not stop answering: the index works from memory.
        logger.warn({ err, dir: config.INDEX_DIR }, "index: could not save the index; using it from memory");
      }
    }
  }
  const { docs, errors, skipped, chunks, store, corpus } = contents;
  for (const s of skipped) logger.info({ file: s.file }, s.message);
  for (const err of errors) logger.warn({ file: err.file, line: err.line }, err.message);
  for (const d of docs) for (const w of d.warnings) logger.warn({ file: d.file, line: w.line }, `plan: ${w.message}`);
  const retriever = new HybridRetriever({ docs, chunks, store, embedder, corpus });
  const origin = reason === "loaded" ? "loaded" : "built";
  const index: OpenIndex = { chunks, store, manifest, origin, reason: origin === "built" ? reason : undefined, ms: performance.now() - started };
  logger.debug({ origin, reason, docs: docs.length, chunks: chunks.length, mb: +(manifest.textBytes / 1e6).toFixed(2), ms: Math.round(index.ms) }, `index ${origin}`);
  return { docs, errors, index, retriever, catalog: new PlanCatalog(docs) };
}

function safeList(dir: string): string[] {
  try {
    return listSeedFiles(dir);
  } catch {
    return [];
  }
}

function loadAll(dirs: string[]): LoadResult {
  const [first, ...rest] = dirs;
  const { docs, errors, skipped } = loadPlans(first!);
  for (const dir of rest) {
    const more = loadPlans(dir);
    errors.push(...more.errors);
    skipped.push(...more.skipped);
    for (const d of more.docs) if (!docs.some((x) => x.id === d.id)) docs.push(d);
  }
  return { docs, errors, skipped };
}
