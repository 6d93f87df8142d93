import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Logger } from "../logger.js";
import type { PlanDocument } from "../plan/types.js";
import { type Chunk, makeChunks } from "./chunks.js";
import type { PolicyEmbeddings } from "./embeddings/factory.js";
import { HnswStore, toDocument } from "./store.js";

/** Bump when the chunk or file layout changes: older indexes are then rebuilt. */
export const INDEX_FORMAT_VERSION = 2;

const EMBED_BATCH = 512;

const FILES = { vectors: "vectors.hnsw", chunks: "chunks.json", manifest: "manifest.json" } as const;

/** What an index was built from; a mismatch with the present seeds or embedder means rebuild. */
export interface Manifest {
  formatVersion: number;
  embedder: { id: string; dimensions: number };
  seeds: Array<{ doc: string; sha256: string }>;
  chunkCount: number;
  /** sha256 and size of every index file, to detect truncation or corruption. */
  files: Record<string, { sha256: string; bytes: number }>;
  builtAt: string;
}

/** An opened index: the chunks and their vectors. */
export interface OpenIndex {
  chunks: Chunk[];
  store: HnswStore;
  manifest: Manifest;
  /** Why it was built now, or "loaded" when the saved one was used. */
  origin: "loaded" | "built";
  reason?: string;
  ms: number;
}

/** Options for {@link openIndex}. */
export interface OpenIndexOptions {
  docs: PlanDocument[];
  embedder: PolicyEmbeddings;
  dir: string;
  logger: Logger;
  /** Rebuild even when the saved index is current (`policybot index`). */
  force?: boolean;
  /** Keep the index in memory only (tests, benchmarks). */
  persist?: boolean;
}

const sha256 = (data: Buffer | string) => createHash("sha256").update(data).digest("hex");

/**
 * Loads the saved index when it matches the seeds and embedder and its files are intact;
 * otherwise builds it, writes it atomically, and says why.
 * @example const index = await openIndex({ docs, embedder, dir: "index", logger });
 */
export async function openIndex(opts: OpenIndexOptions): Promise<OpenIndex> {
  const started = performance.now();
  const seeds = opts.docs.map((d) => ({ doc: d.id, sha256: d.hash }));
  if (!opts.force && opts.persist !== false) {
    const check = tryLoad(opts, seeds);
    if (check.index) return { ...check.index, origin: "loaded", ms: performance.now() - started };
    if (check.reason !== "no saved index") opts.logger.warn({ dir: opts.dir, reason: check.reason }, "index: rebuilding the vector index");
    const built = await build(opts, seeds);
    return { ...built, origin: "built", reason: check.reason, ms: performance.now() - started };
  }
  const built = await build(opts, seeds);
  return { ...built, origin: "built", reason: opts.force ? "rebuild requested" : "in memory", ms: performance.now() - started };
}

function tryLoad(opts: OpenIndexOptions, seeds: Manifest["seeds"]): { index?: Omit<OpenIndex, "origin" | "ms">; reason: string } {
  const path = (f: string) => join(opts.dir, f);
  if (!existsSync(path(FILES.manifest))) return { reason: "no saved index" };
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(path(FILES.manifest), "utf8")) as Manifest;
  } catch (err) {
    return { reason: `the manifest is unreadable (${(err as Error).message})` };
  }
  if (manifest.formatVersion !== INDEX_FORMAT_VERSION) return { reason: `index format ${manifest.formatVersion} is not ${INDEX_FORMAT_VERSION}` };
  if (manifest.embedder?.id !== opts.embedder.id) return { reason: `the embedder changed (${manifest.embedder?.id} → ${opts.embedder.id})` };
  if (JSON.stringify(manifest.seeds) !== JSON.stringify(seeds)) return { reason: "the seed documents changed" };
  for (const name of [FILES.vectors, FILES.chunks]) {
    const expected = manifest.files?.[name];
    if (!expected || !existsSync(path(name))) return { reason: `${name} is missing` };
    const bytes = readFileSync(path(name));
    if (bytes.length !== expected.bytes) return { reason: `${name} is truncated or was changed (${bytes.length} bytes, expected ${expected.bytes})` };
    if (sha256(bytes) !== expected.sha256) return { reason: `${name} is corrupt (checksum mismatch)` };
  }
  try {
    const chunks = JSON.parse(readFileSync(path(FILES.chunks), "utf8")) as Chunk[];
    if (chunks.length !== manifest.chunkCount) return { reason: "the chunk count does not match the manifest" };
    // Checksums only show accidents: someone who edits a chunk can recompute them. The chunks the
    // seeds make now are the truth; a saved index that differs from them is not used.
    const mismatch = differingChunk(chunks, makeChunks(opts.docs));
    if (mismatch) return { reason: `chunks.json does not match the seeds (${mismatch}); it was edited or made by another version` };
    opts.embedder.fit?.(chunks.map((c) => c.embedText));
    const store = HnswStore.read(path(FILES.vectors), opts.embedder, manifest.embedder.dimensions, chunks);
    return { index: { chunks, store, manifest }, reason: "loaded" };
  } catch (err) {
    return { reason: `the saved index could not be read (${(err as Error).message})` };
  }
}

/** Where two chunk lists first differ, or undefined when they are the same. */
function differingChunk(saved: Chunk[], fresh: Chunk[]): string | undefined {
  if (saved.length !== fresh.length) return `${saved.length} chunks saved, ${fresh.length} from the seeds`;
  const fields = ["doc", "ref", "kind", "text", "start", "embedText"] as const;
  for (let i = 0; i < fresh.length; i++) {
    const field = fields.find((f) => saved[i]?.[f] !== fresh[i]![f]);
    if (field) return `chunk ${i} (${fresh[i]!.doc} ${fresh[i]!.ref}) differs in ${field}`;
  }
  return undefined;
}

async function build(opts: OpenIndexOptions, seeds: Manifest["seeds"]): Promise<Omit<OpenIndex, "origin" | "ms">> {
  const chunks = makeChunks(opts.docs);
  opts.embedder.fit?.(chunks.map((c) => c.embedText));
  // In batches, so that a large corpus never holds every vector as a JS array at once.
  let store: HnswStore | undefined;
  for (let i = 0; i < chunks.length || !store; i += EMBED_BATCH) {
    const batch = chunks.slice(i, i + EMBED_BATCH);
    const vectors = batch.length ? await opts.embedder.embedDocuments(batch.map((c) => c.embedText)) : [];
    store ??= new HnswStore(opts.embedder, vectors[0]?.length ?? opts.embedder.dimensions, chunks.length);
    await store.addVectors(vectors, batch.map(toDocument));
    if (batch.length === 0) break;
  }
  const dimensions = store.dimensions;
  const manifest: Manifest = {
    formatVersion: INDEX_FORMAT_VERSION,
    embedder: { id: opts.embedder.id, dimensions },
    seeds,
    chunkCount: chunks.length,
    files: {},
    builtAt: new Date().toISOString(),
  };
  if (opts.persist !== false) {
    try {
      save(opts.dir, store, chunks, manifest);
    } catch (err) {
      // A read-only or full disk must not stop answering: the index works from memory.
      opts.logger.warn({ err, dir: opts.dir }, "index: could not save the index; using it from memory");
    }
  }
  return { chunks, store, manifest };
}

/** Writes every file under a temporary name, then renames; the manifest goes last. */
function save(dir: string, store: HnswStore, chunks: Chunk[], manifest: Manifest): void {
  mkdirSync(dir, { recursive: true });
  const tmp = (f: string) => join(dir, `.${f}.${process.pid}.tmp`);
  const written: string[] = [];
  try {
    store.writeIndex(tmp(FILES.vectors));
    written.push(FILES.vectors);
    writeFileSync(tmp(FILES.chunks), JSON.stringify(chunks));
    written.push(FILES.chunks);
    for (const f of written) {
      const bytes = readFileSync(tmp(f));
      manifest.files[f] = { sha256: sha256(bytes), bytes: bytes.length };
    }
    for (const f of written) renameSync(tmp(f), join(dir, f));
    writeFileSync(tmp(FILES.manifest), JSON.stringify(manifest, null, 2));
    renameSync(tmp(FILES.manifest), join(dir, FILES.manifest));
  } finally {
    for (const f of [...written, FILES.manifest]) rmSync(tmp(f), { force: true });
  }
}
