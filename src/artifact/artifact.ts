import { createHash } from "node:crypto";
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { type Chunk, unitContext, unitSearchText } from "../indexing/chunks.js";
import type { PolicyEmbeddings } from "../indexing/embeddings/factory.js";
import { LocalHashEmbeddings } from "../indexing/embeddings/local.js";
import { SparseVectorStore } from "../indexing/sparse-store.js";
import { HnswStore } from "../indexing/store.js";
import { PlanParseError } from "../plan/errors.js";
import type { PlanSkip } from "../plan/load.js";
import type { PlanDocument, Unit } from "../plan/types.js";
import type { Bm25Data } from "../retrieve/bm25.js";
import type { CorpusData } from "../retrieve/corpus.js";
import type { BuiltIndex } from "./build.js";
import { codeFingerprint } from "./fingerprint.js";
import { pack, unpack, type Column } from "./pack.js";

/** Bump when a file's layout changes: an artifact of another format is rebuilt, never misread. */
export const ARTIFACT_FORMAT_VERSION = 3;

/** The files of an artifact; the manifest is written last. */
export const ARTIFACT_FILES = { manifest: "manifest.json", docs: "docs.json", corpus: "corpus.bin", vectors: "vectors.hnsw" } as const;

/** A seed file as the artifact saw it. */
export interface SeedFile {
  file: string;
  sha256: string;
}

/** What an artifact was built from and what it holds; a mismatch with the running instance means rebuild. */
export interface ArtifactManifest {
  format: "policybot-index";
  formatVersion: number;
  /** See {@link codeFingerprint}. */
  code: string;
  embedder: { id: string; dimensions: number };
  seeds: SeedFile[];
  counts: { docs: number; units: number; chunks: number; failed: number };
  /** sha256 and size of every other file, to detect truncation or damage. */
  files: Record<string, { sha256: string; bytes: number }>;
  /** Bytes of plan text indexed, and how long the build took. */
  textBytes: number;
  buildMs: number;
  builtAt: string;
}

/** Everything an instance needs, from an artifact or a fresh build. */
export interface IndexContents extends BuiltIndex {
  docs: PlanDocument[];
  errors: PlanParseError[];
  /** Files of the seeds folder that are not plans (a README), left out on purpose. */
  skipped: PlanSkip[];
}

/** An artifact folder exists already; artifacts are never changed once written. */
export class ArtifactExistsError extends Error {
  override readonly name = "ArtifactExistsError";
  constructor(readonly dir: string) {
    super(`artifact: ${dir} exists already; an index artifact is never changed once written: choose a new folder or remove this one`);
  }
}

const sha256File = (path: string): string => {
  // In pieces: the vector file of a large corpus is hundreds of megabytes.
  const hash = createHash("sha256");
  const fd = openSync(path, "r");
  try {
    const buf = Buffer.allocUnsafe(4 << 20);
    for (let n; (n = readSync(fd, buf, 0, buf.length, null)) > 0; ) hash.update(buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest("hex");
};

/** The seed files of some folders (the listing `loadPlans` reads) with their hashes. */
export function seedFilesOf(files: string[]): SeedFile[] {
  return files.map((f) => ({ file: basename(f), sha256: sha256File(f) }));
}

/**
 * Writes an artifact into a new folder beside `dir`, then renames it to `dir`: a reader sees the
 * whole artifact or none. An existing `dir` is an error unless `replace` (an instance's own saved
 * index), which swaps the whole folder and never edits a file in it.
 */
export function writeArtifact(dir: string, contents: IndexContents, meta: { embedder: PolicyEmbeddings; seeds: SeedFile[]; buildMs: number; replace?: boolean }): ArtifactManifest {
  const exists = existsSync(dir) && (!statSync(dir).isDirectory() || readdirSync(dir).length > 0);
  if (exists && !meta.replace) throw new ArtifactExistsError(dir);
  mkdirSync(dirname(dir), { recursive: true });
  const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
  mkdirSync(tmp);
  try {
    const { docs, errors, skipped, chunks, store, corpus } = contents;
    const units = docs.flatMap((d) => d.units);
    writeFileSync(join(tmp, ARTIFACT_FILES.docs), JSON.stringify({ docs, errors: errors.map((e) => ({ file: e.file, reason: e.reason, line: e.line })), skipped }));
    writeFileSync(join(tmp, ARTIFACT_FILES.corpus), packCorpus(units, chunks, corpus, meta.embedder, store));
    // Dense vectors (an endpoint's embedder) go in hnswlib's own file; sparse ones are in corpus.bin.
    const names: string[] = [ARTIFACT_FILES.docs, ARTIFACT_FILES.corpus];
    if (store instanceof HnswStore) {
      store.writeIndex(join(tmp, ARTIFACT_FILES.vectors));
      names.push(ARTIFACT_FILES.vectors);
    }
    const manifest = describeIndex(contents, meta);
    for (const f of names) {
      manifest.files[f] = { sha256: sha256File(join(tmp, f)), bytes: statSync(join(tmp, f)).size };
    }
    writeFileSync(join(tmp, ARTIFACT_FILES.manifest), `${JSON.stringify(manifest, null, 2)}\n`);
    if (exists) {
      const old = `${dir}.old-${process.pid}-${Date.now()}`;
      renameSync(dir, old);
      renameSync(tmp, dir);
      rmSync(old, { recursive: true, force: true });
    } else renameSync(tmp, dir);
    return manifest;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** The manifest of an index (its files' checksums are filled in when it is written). */
export function describeIndex(contents: IndexContents, meta: { embedder: PolicyEmbeddings; seeds: SeedFile[]; buildMs: number }): ArtifactManifest {
  const units = contents.docs.flatMap((d) => d.units);
  return {
    format: "policybot-index",
    formatVersion: ARTIFACT_FORMAT_VERSION,
    code: codeFingerprint(),
    embedder: { id: meta.embedder.id, dimensions: contents.store.dimensions },
    seeds: meta.seeds,
    counts: { docs: contents.docs.length, units: units.length, chunks: contents.chunks.length, failed: contents.errors.length },
    files: {},
    textBytes: units.reduce((n, u) => n + Buffer.byteLength(u.text), 0),
    buildMs: Math.round(meta.buildMs),
    builtAt: new Date().toISOString(),
  };
}

/**
 * Opens an artifact for this instance: the manifest must match the format, this program, the
 * embedder and the seeds' hashes, and every file its checksum. Returns the contents, or why not.
 */
export function readArtifact(dir: string, expect: { embedder: PolicyEmbeddings; seeds: SeedFile[] }): { contents?: IndexContents; manifest?: ArtifactManifest; reason: string } {
  const path = (f: string) => join(dir, f);
  if (!existsSync(path(ARTIFACT_FILES.manifest))) return { reason: existsSync(dir) && readdirSync(dir).length ? `${dir} holds no manifest.json` : "no saved index" };
  let manifest: ArtifactManifest;
  try {
    manifest = JSON.parse(readFileSync(path(ARTIFACT_FILES.manifest), "utf8")) as ArtifactManifest;
  } catch (err) {
    return { reason: `the manifest is unreadable (${(err as Error).message})` };
  }
  if (manifest.format !== "policybot-index" || manifest.formatVersion !== ARTIFACT_FORMAT_VERSION) {
    return { reason: `index format ${manifest.formatVersion} is not ${ARTIFACT_FORMAT_VERSION}` };
  }
  if (manifest.code !== codeFingerprint()) return { reason: "it was built by another version of policybot (the code fingerprint differs)" };
  if (manifest.embedder?.id !== expect.embedder.id) return { reason: `the embedder changed (${manifest.embedder?.id} → ${expect.embedder.id})` };
  const seedChange = seedDifference(manifest.seeds ?? [], expect.seeds);
  if (seedChange) return { reason: `the seed documents changed (${seedChange})` };
  const names = new Set<string>([ARTIFACT_FILES.docs, ARTIFACT_FILES.corpus, ...Object.keys(manifest.files ?? {})]);
  for (const name of names) {
    const expected = manifest.files?.[name];
    if (!expected || !existsSync(path(name))) return { reason: `${name} is missing` };
    const bytes = statSync(path(name)).size;
    if (bytes !== expected.bytes) return { reason: `${name} is truncated or was changed (${bytes} bytes, expected ${expected.bytes})` };
    if (sha256File(path(name)) !== expected.sha256) return { reason: `${name} is corrupt (checksum mismatch)` };
  }
  try {
    const saved = JSON.parse(readFileSync(path(ARTIFACT_FILES.docs), "utf8")) as { docs: PlanDocument[]; errors: Array<{ file: string; reason: string; line?: number }>; skipped: PlanSkip[] };
    const docs = saved.docs;
    const errors = saved.errors.map((e) => new PlanParseError(e.file, e.reason, e.line ?? undefined));
    const units = docs.flatMap((d) => d.units);
    const { chunks, corpus, sparse } = unpackCorpus(readFileSync(path(ARTIFACT_FILES.corpus)), docs, units, expect.embedder);
    if (chunks.length !== manifest.counts.chunks) throw new Error(`${chunks.length} chunks, the manifest says ${manifest.counts.chunks}`);
    const store = sparse ?? HnswStore.read(path(ARTIFACT_FILES.vectors), expect.embedder, manifest.embedder.dimensions, chunks);
    if (store.count !== chunks.length) throw new Error(`${store.count} vectors for ${chunks.length} chunks`);
    return { contents: { docs, errors, skipped: saved.skipped ?? [], chunks, store, corpus }, manifest, reason: "loaded" };
  } catch (err) {
    return { reason: `the saved index could not be read (${(err as Error).message})` };
  }
}

/** The first difference between the seeds an artifact was built from and the present ones. */
function seedDifference(saved: SeedFile[], now: SeedFile[]): string | undefined {
  const before = new Map(saved.map((s) => [s.file, s.sha256]));
  const after = new Map(now.map((s) => [s.file, s.sha256]));
  for (const s of now) {
    if (!before.has(s.file)) return `${s.file} is new`;
    if (before.get(s.file) !== s.sha256) return `${s.file} was edited`;
  }
  for (const s of saved) if (!after.has(s.file)) return `${s.file} was removed`;
  if (saved.map((s) => s.file).join("\n") !== now.map((s) => s.file).join("\n")) return "the seeds are read in another order";
  return undefined;
}

const KIND = { unit: 0, sentence: 1 } as const;

/** Chunks as columns (their text is a slice of their unit's), the corpus data, the embedder's fit. */
function packCorpus(units: Unit[], chunks: Chunk[], corpus: CorpusData, embedder: PolicyEmbeddings, store: BuiltIndex["store"]): Buffer {
  const index = new Map(units.map((u, i) => [`${u.doc}\u0000${u.ref}`, i]));
  const n = chunks.length;
  const cols = { unit: new Int32Array(n), kind: new Uint8Array(n), start: new Int32Array(n), length: new Int32Array(n) };
  chunks.forEach((c, i) => {
    cols.unit[i] = index.get(`${c.doc}\u0000${c.ref}`) ?? -1;
    cols.kind[i] = KIND[c.kind];
    cols.start[i] = c.start;
    cols.length[i] = c.text.length;
  });
  const { bm25, unitStarts, substrings, ...rest } = corpus;
  const fit = embedder instanceof LocalHashEmbeddings ? embedder.state() : undefined;
  const columns: Record<string, Column> = {
    "chunk.unit": cols.unit,
    "chunk.kind": cols.kind,
    "chunk.start": cols.start,
    "chunk.length": cols.length,
    "bm25.offsets": bm25.offsets,
    "bm25.docs": bm25.docs,
    "bm25.tfs": bm25.tfs,
    "bm25.lengths": bm25.lengths,
    unitStarts,
    "sub.keys": substrings.keys,
    "sub.offsets": substrings.offsets,
    "sub.positions": substrings.positions,
  };
  if (fit) columns["fit.df"] = fit.df;
  const sparse = store instanceof SparseVectorStore ? store.toData() : undefined;
  if (sparse) Object.assign(columns, { "vec.offsets": sparse.offsets, "vec.chunks": sparse.chunks, "vec.values": sparse.values });
  const vectors = sparse && { dimensions: sparse.dimensions, count: sparse.count };
  return pack({ corpus: rest, bm25: { k1: bm25.k1, b: bm25.b, terms: bm25.terms }, fit: fit && { docCount: fit.docCount, features: fit.features }, vectors }, columns);
}

function unpackCorpus(bytes: Buffer, docs: PlanDocument[], units: Unit[], embedder: PolicyEmbeddings): { chunks: Chunk[]; corpus: CorpusData; sparse?: SparseVectorStore } {
  const { json, columns } = unpack(bytes);
  const j = json as {
    corpus: Omit<CorpusData, "bm25" | "unitStarts" | "substrings">;
    bm25: Pick<Bm25Data, "k1" | "b" | "terms">;
    fit?: { docCount: number; features: string[] };
    vectors?: { dimensions: number; count: number };
  };
  const col = <T extends Column>(name: string): T => {
    const c = columns[name];
    if (!c) throw new Error(`corpus.bin has no ${name}`);
    return c as T;
  };
  const byRef = new Map(docs.map((d) => [d.id, new Map(d.units.map((u) => [u.ref, u]))]));
  const [unitOf, kind, start, length] = [col<Int32Array>("chunk.unit"), col<Uint8Array>("chunk.kind"), col<Int32Array>("chunk.start"), col<Int32Array>("chunk.length")];
  const chunks: Chunk[] = [];
  for (let i = 0; i < unitOf.length; i++) {
    const u = units[unitOf[i]!];
    if (!u) throw new Error(`chunk ${i} names unit ${unitOf[i]}, of ${units.length}`);
    const context = unitContext(u);
    if (kind[i] === KIND.unit) chunks.push({ doc: u.doc, ref: u.ref, kind: "unit", text: u.text, start: 0, embedText: `${context}\n${unitSearchText(u, byRef.get(u.doc)!)}` });
    else {
      const text = u.text.slice(start[i]!, start[i]! + length[i]!);
      chunks.push({ doc: u.doc, ref: u.ref, kind: "sentence", text, start: start[i]!, embedText: `${context}\n${text}` });
    }
  }
  if (j.fit) {
    if (!(embedder instanceof LocalHashEmbeddings)) throw new Error("the artifact holds a local embedder's fit, but another embedder is configured");
    embedder.restore({ docCount: j.fit.docCount, features: j.fit.features, df: col<Int32Array>("fit.df") });
  }
  const bm25: Bm25Data = { ...j.bm25, offsets: col("bm25.offsets"), docs: col("bm25.docs"), tfs: col("bm25.tfs"), lengths: col("bm25.lengths") };
  const sparse = j.vectors && new SparseVectorStore({ ...j.vectors, offsets: col("vec.offsets"), chunks: col("vec.chunks"), values: col("vec.values") });
  const substrings = { keys: col<Uint32Array>("sub.keys"), offsets: col<Int32Array>("sub.offsets"), positions: col<Int32Array>("sub.positions") };
  return { chunks, corpus: { ...j.corpus, bm25, unitStarts: col("unitStarts"), substrings }, sparse };
}
