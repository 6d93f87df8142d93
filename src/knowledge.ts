import type { Config } from "./config.js";
import { createEmbedder } from "./indexing/embeddings/factory.js";
import { openIndex, type OpenIndex } from "./indexing/build.js";
import type { Logger } from "./logger.js";
import type { PlanParseError } from "./plan/errors.js";
import { loadPlans } from "./plan/load.js";
import type { PlanDocument } from "./plan/types.js";
import { PlanCatalog } from "./retrieve/plans.js";
import { HybridRetriever } from "./retrieve/retriever.js";

/** Everything the answer layer and channels read: the documents, their index and the retriever. */
export interface KnowledgeBase {
  docs: PlanDocument[];
  errors: PlanParseError[];
  index: OpenIndex;
  retriever: HybridRetriever;
  /** The loaded plans by name: choosing one, and finding one named in a question. */
  catalog: PlanCatalog;
}

/**
 * Loads the seeds, opens (or builds) the vector index and makes the retriever. Files that fail to
 * parse are logged and skipped; with no document at all this throws.
 * @example const kb = await openKnowledgeBase({ config, logger });
 */
export async function openKnowledgeBase(deps: { config: Config; logger: Logger; force?: boolean; persist?: boolean; extraDirs?: string[] }): Promise<KnowledgeBase> {
  const { config, logger } = deps;
  const { docs, errors, skipped } = loadPlans(config.SEEDS_DIR);
  // More folders of plans beside the seeds (the evaluation's multi-plan mode); a repeated id loads once.
  for (const dir of deps.extraDirs ?? []) {
    const more = loadPlans(dir);
    errors.push(...more.errors);
    skipped.push(...more.skipped);
    for (const d of more.docs) if (!docs.some((x) => x.id === d.id)) docs.push(d);
  }
  for (const s of skipped) logger.info({ file: s.file }, s.message);
  for (const err of errors) logger.warn({ file: err.file, line: err.line }, err.message);
  for (const d of docs) for (const w of d.warnings) logger.warn({ file: d.file, line: w.line }, `plan: ${w.message}`);
  if (docs.length === 0) {
    throw new Error(`no policy documents could be loaded from ${config.SEEDS_DIR}/ (add plan files: .txt, .md, .html, .docx or .pdf)`);
  }
  const embedder = await createEmbedder(config);
  const index = await openIndex({ docs, embedder, dir: config.INDEX_DIR, logger, force: deps.force, persist: deps.persist });
  logger.debug({ origin: index.origin, reason: index.reason, chunks: index.chunks.length, ms: Math.round(index.ms) }, "index ready");
  const retriever = new HybridRetriever({ docs, chunks: index.chunks, store: index.store, embedder });
  return { docs, errors, index, retriever, catalog: new PlanCatalog(docs) };
}
