import { Document } from "@langchain/core/documents";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { LocalHashEmbeddings } from "../../src/indexing/embeddings/local.js";
import { HnswStore, searchesExactly } from "../../src/indexing/store.js";
import { mulberry32 } from "../../src/quiz/generate.js";

const DIM = 32;
const rand = mulberry32(5);
const vectors = Array.from({ length: 400 }, () => Array.from({ length: DIM }, () => rand() - 0.5));
const docs = vectors.map((_, i) => new Document({ pageContent: `v${i}`, metadata: {} }));
const cosine = (a: number[], b: number[]) => {
  let [ab, aa, bb] = [0, 0, 0];
  for (let i = 0; i < a.length; i++) [ab, aa, bb] = [ab + a[i]! * b[i]!, aa + a[i]! ** 2, bb + b[i]! ** 2];
  return ab / Math.sqrt(aa * bb);
};
const dir = mkdtempSync(join(tmpdir(), "policybot-store-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the vector store", () => {
  const embeddings = new LocalHashEmbeddings({ dimensions: DIM });

  it("searches a plan-sized store exactly: the true nearest vectors, closest first", async () => {
    expect(searchesExactly(vectors.length)).toBe(true);
    const store = new HnswStore(embeddings, DIM, vectors.length);
    await store.addVectors(vectors.slice(0, 200), docs.slice(0, 200));
    await store.addVectors(vectors.slice(200), docs.slice(200));
    const query = vectors[17]!.map((x, i) => x + (i % 3 === 0 ? 0.05 : 0));
    const truth = vectors.map((v, i) => [i, 1 - cosine(query, v)] as const).sort((a, b) => a[1] - b[1]).slice(0, 10);
    const hits = store.searchVector(query, 10);
    expect(hits.map((h) => h.chunk)).toEqual(truth.map(([i]) => i));
    for (const [k, h] of hits.entries()) expect(h.distance).toBeCloseTo(truth[k]![1], 4);
  });

  it("writes and reads the exact store back with the same answers", async () => {
    const store = new HnswStore(embeddings, DIM, vectors.length);
    await store.addVectors(vectors, docs);
    store.writeIndex(join(dir, "v.bin"));
    const chunks = vectors.map((_, i) => ({ doc: "d", ref: `task:${i}`, kind: "unit" as const, text: `v${i}`, start: 0, embedText: `v${i}` }));
    const read = HnswStore.read(join(dir, "v.bin"), embeddings, DIM, chunks);
    expect(read.count).toBe(400);
    expect(read.searchVector(vectors[3]!, 5)).toEqual(store.searchVector(vectors[3]!, 5));
  });

  it("refuses more vectors than an exact store was made for, with a message", async () => {
    const store = new HnswStore(embeddings, DIM, 10);
    await expect(store.addVectors(vectors.slice(0, 11), docs.slice(0, 11))).resolves.toBeUndefined();
    await expect(store.addVectors(vectors.slice(11, 12), docs.slice(11, 12))).rejects.toThrow(/exceed the capacity/);
  });

  it("grows a store made without a capacity (an HNSW graph)", async () => {
    const store = new HnswStore(embeddings, DIM);
    await store.addVectors(vectors.slice(0, 20), docs.slice(0, 20));
    await store.addVectors(vectors.slice(20, 60), docs.slice(20, 60));
    expect(store.count).toBe(60);
    expect(store.searchVector(vectors[42]!, 1)[0]!.chunk).toBe(42);
  });
});
