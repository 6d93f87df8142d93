import { createHash } from "node:crypto";
import { chmodSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { INDEX_FORMAT_VERSION, openIndex } from "../../src/indexing/build.js";
import { LocalHashEmbeddings } from "../../src/indexing/embeddings/local.js";
import { createLogger } from "../../src/logger.js";
import { parsePlan } from "../../src/plan/parse.js";
import { retrievalJson } from "../../src/retrieve/present.js";
import { HybridRetriever } from "../../src/retrieve/retriever.js";
import { seedPlan } from "../helpers.js";

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), "policybot-index-"));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function capture() {
  const lines: string[] = [];
  const sink = new Writable({ write(c, _e, cb) { lines.push(String(c)); cb(); } });
  return { logger: createLogger({ format: "json", destination: sink }), lines };
}

async function topRefs(index: Awaited<ReturnType<typeof openIndex>>, embedder: LocalHashEmbeddings, q: string) {
  const r = new HybridRetriever({ docs: [seedPlan()], chunks: index.chunks, store: index.store, embedder });
  // The first two: further down, near-equal scores may swap between two builds of the graph.
  return (await r.retrieve(q)).units.slice(0, 2).map((u) => u.unit.ref);
}

describe("the persistent vector index", () => {
  it("is built when missing, then loaded from index/ with a manifest", async () => {
    const dir = tmp();
    const { logger } = capture();
    const first = await openIndex({ docs: [seedPlan()], embedder: new LocalHashEmbeddings(), dir, logger });
    expect(first.origin).toBe("built");
    const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
    expect(manifest).toMatchObject({ formatVersion: INDEX_FORMAT_VERSION, embedder: { dimensions: 1024 }, chunkCount: first.chunks.length });
    expect(manifest.seeds).toEqual([{ doc: "zhejiang-2026-qianwan-plan", sha256: seedPlan().hash }]);
    const second = await openIndex({ docs: [seedPlan()], embedder: new LocalHashEmbeddings(), dir, logger });
    expect(second.origin).toBe("loaded");
    expect(second.store.count).toBe(first.chunks.length);
  });

  it("is rebuilt when the seeds or the embedder change", async () => {
    const dir = tmp();
    const { logger } = capture();
    await openIndex({ docs: [seedPlan()], embedder: new LocalHashEmbeddings(), dir, logger });
    const other = parsePlan("一、目标\n1.任务一。内容。", "other.txt");
    const changedSeeds = await openIndex({ docs: [seedPlan(), other], embedder: new LocalHashEmbeddings(), dir, logger });
    expect(changedSeeds).toMatchObject({ origin: "built", reason: "the seed documents changed" });
    const changedEmbedder = await openIndex({ docs: [seedPlan(), other], embedder: new LocalHashEmbeddings({ dimensions: 512 }), dir, logger });
    expect(changedEmbedder.origin).toBe("built");
    expect(changedEmbedder.reason).toMatch(/embedder changed/);
  });

  it.each([
    ["a truncated vector file", (dir: string) => truncateSync(join(dir, "vectors.hnsw"), 1000), /vectors\.hnsw is truncated/],
    ["a corrupt vector file", (dir: string) => {
      const bytes = readFileSync(join(dir, "vectors.hnsw"));
      bytes[bytes.length - 5] = bytes[bytes.length - 5]! ^ 0xff;
      writeFileSync(join(dir, "vectors.hnsw"), bytes);
    }, /vectors\.hnsw is corrupt/],
    ["a corrupt chunk file", (dir: string) => writeFileSync(join(dir, "chunks.json"), "[{"), /chunks\.json is truncated/],
    ["an unreadable manifest", (dir: string) => writeFileSync(join(dir, "manifest.json"), "{nope"), /manifest is unreadable/],
  ])("detects %s, warns and rebuilds with the same results", async (_name, damage, reason) => {
    const dir = tmp();
    const embedder = new LocalHashEmbeddings();
    const good = await openIndex({ docs: [seedPlan()], embedder, dir, logger: capture().logger });
    const expected = await topRefs(good, embedder, "高标准农田今年建多少");
    damage(dir);
    const { logger, lines } = capture();
    const rebuilt = await openIndex({ docs: [seedPlan()], embedder: new LocalHashEmbeddings(), dir, logger });
    expect(rebuilt.origin).toBe("built");
    expect(rebuilt.reason).toMatch(reason);
    expect(lines.join("")).toMatch(/rebuilding the vector index/);
    expect(await topRefs(rebuilt, embedder, "高标准农田今年建多少")).toEqual(expected);
    expect((await openIndex({ docs: [seedPlan()], embedder: new LocalHashEmbeddings(), dir, logger })).origin).toBe("loaded");
  });

  it("does not trust a chunk edited with its checksum recomputed: it rebuilds, and search shows the plan's figure", async () => {
    const dir = tmp();
    const embedder = new LocalHashEmbeddings();
    await openIndex({ docs: [seedPlan()], embedder, dir, logger: capture().logger });
    // Forge the index: the farmland figure becomes 87万亩, and the manifest's checksum is made to match.
    const chunksFile = join(dir, "chunks.json");
    const forged = readFileSync(chunksFile, "utf8").replaceAll("78万亩", "87万亩");
    expect(forged).toContain("87万亩");
    writeFileSync(chunksFile, forged);
    const manifestFile = join(dir, "manifest.json");
    const manifest = JSON.parse(readFileSync(manifestFile, "utf8"));
    const bytes = Buffer.from(forged);
    manifest.files["chunks.json"] = { sha256: createHash("sha256").update(bytes).digest("hex"), bytes: bytes.length };
    writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));

    const { logger, lines } = capture();
    const index = await openIndex({ docs: [seedPlan()], embedder: new LocalHashEmbeddings(), dir, logger });
    expect(index.origin).toBe("built");
    expect(index.reason).toMatch(/chunks\.json does not match the seeds \(chunk \d+ \(zhejiang-2026-qianwan-plan task:5\) differs in text\)/);
    expect(lines.join("")).toMatch(/rebuilding the vector index/);
    const r = new HybridRetriever({ docs: [seedPlan()], chunks: index.chunks, store: index.store, embedder });
    const shown = retrievalJson("高标准农田今年建多少", await r.retrieve("高标准农田今年建多少")).units.flatMap((u) => u.chunks).join("\n");
    expect(shown).toContain("78万亩");
    expect(shown).not.toContain("87万亩");
    expect(readFileSync(chunksFile, "utf8")).not.toContain("87万亩"); // the rebuilt index replaced the forged file
  });

  it("keeps answering from memory when the index folder cannot be written", async () => {
    const parent = tmp();
    const file = join(parent, "not-a-dir");
    writeFileSync(file, "x");
    const { logger, lines } = capture();
    const index = await openIndex({ docs: [seedPlan()], embedder: new LocalHashEmbeddings(), dir: join(file, "index"), logger });
    expect(index.store.count).toBeGreaterThan(100);
    expect(lines.join("")).toMatch(/could not save the index/);
    chmodSync(file, 0o644);
  });

  it("embeds deterministically", async () => {
    const a = new LocalHashEmbeddings().fit(["高标准农田", "5G基站"]);
    const b = new LocalHashEmbeddings().fit(["高标准农田", "5G基站"]);
    expect(await a.embedQuery("高标准农田建设")).toEqual(await b.embedQuery("高标准农田建设"));
  });
});
