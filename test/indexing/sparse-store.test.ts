import { describe, expect, it } from "vitest";
import { buildIndex } from "../../src/artifact/build.js";
import { makeChunks, unitContext, unitSearchText } from "../../src/indexing/chunks.js";
import { FeatureTable, LocalHashEmbeddings } from "../../src/indexing/embeddings/local.js";
import { SparseVectorStore } from "../../src/indexing/sparse-store.js";
import { Bm25Index } from "../../src/retrieve/bm25.js";
import { normalizeText, tokenize } from "../../src/retrieve/text.js";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { loadPlanFile } from "../../src/plan/load.js";
import { CorpusBuilder } from "../../src/retrieve/corpus.js";
import { SubstringIndex } from "../../src/retrieve/substrings.js";
import { FIXTURES, seedPlan } from "../helpers.js";

const part = (text: string) => {
  const normalized = normalizeText(text);
  return { normalized, tokens: tokenize(normalized) };
};

describe("tokenising once for the lexical index and the vectors", () => {
  it("gives every chunk the features of its whole text, feature for feature and in order", () => {
    const doc = seedPlan();
    const byRef = new Map(doc.units.map((u) => [u.ref, u]));
    const embedder = new LocalHashEmbeddings();
    for (const c of makeChunks([doc])) {
      const unit = byRef.get(c.ref)!;
      const body = c.kind === "unit" ? unitSearchText(unit, byRef) : c.text;
      expect([...embedder.featuresOfParts([part(unitContext(unit)), part(body)])]).toEqual([...embedder.features(c.embedText)]);
    }
  });

  it("reads each sentence's tokens from its unit's one cut, as cutting the sentence alone gives them", () => {
    const docs = [seedPlan(), ...readdirSync(join(FIXTURES, "multiplan")).map((f) => loadPlanFile(join(FIXTURES, "multiplan", f)))];
    const chunks = makeChunks(docs);
    const builder = new CorpusBuilder(docs, chunks);
    let checked = 0;
    chunks.forEach((c, i) => {
      const got = c.kind === "unit" ? builder.unit(builder.indexOf(c.doc, c.ref)!).body : builder.sentence(i).body;
      const alone = part(c.kind === "unit" ? unitSearchText(builder.units[builder.indexOf(c.doc, c.ref)!]!, new Map(docs.find((d) => d.id === c.doc)!.units.map((u) => [u.ref, u]))) : c.text);
      expect({ normalized: got.normalized, tokens: got.tokens }).toEqual(alone);
      if (c.kind === "sentence" && got.span) checked++;
    });
    expect(checked).toBeGreaterThan(chunks.length / 2);
  });

  it("adds a text's parts to the feature table as the embedder's features of them", () => {
    const embedder = new LocalHashEmbeddings();
    const [direct, fromParts] = [new FeatureTable(), new FeatureTable()];
    for (const c of makeChunks([seedPlan()]).slice(0, 300)) {
      const parts = c.embedText.split("\n").map(part);
      direct.add(embedder.featuresOfParts(parts));
      fromParts.addParts(parts, embedder.weights);
    }
    expect(fromParts.names).toEqual(direct.names);
    expect(fromParts.rows).toEqual(direct.rows);
  });

  it("makes sparse vectors with the dense embedding's values", () => {
    const chunks = makeChunks([seedPlan()]);
    const embedder = new LocalHashEmbeddings();
    const table = new FeatureTable();
    for (const c of chunks) table.add(embedder.features(c.embedText));
    embedder.fitTable(table);
    const rows = embedder.embedTableSparse(table, 0, chunks.length);
    chunks.forEach((c, i) => {
      const dense = embedder.embed(c.embedText);
      const nonzero = dense.flatMap((x, slot) => (x !== 0 ? [slot] : []));
      expect([...rows[i]!.slots]).toEqual(nonzero);
      expect([...rows[i]!.values]).toEqual(nonzero.map((slot) => Math.fround(dense[slot]!)));
    });
  });
});

describe("the sparse vector store", () => {
  it("finds the same nearest chunks as comparing every dense vector", async () => {
    const embedder = new LocalHashEmbeddings();
    const { chunks, store } = await buildIndex({ docs: [seedPlan()], embedder });
    expect(store).toBeInstanceOf(SparseVectorStore);
    // The same vectors, dense: every slot of every chunk, zeros included.
    const { offsets, chunks: owners, values } = (store as SparseVectorStore).toData();
    const dense = chunks.map(() => new Array<number>(1024).fill(0));
    for (let slot = 0; slot < 1024; slot++) for (let p = offsets[slot]!; p < offsets[slot + 1]!; p++) dense[owners[p]!]![slot] = values[p]!;
    for (const q of ["高标准农田建设", "农村集体经济收入", "城乡居民收入比", "学校和医院"]) {
      const qv = await embedder.embedQuery(q);
      const exact = dense
        .map((v, chunk) => ({ chunk, sim: v.reduce((s, x, i) => s + x * qv[i]!, 0) }))
        .filter((h) => h.sim > 0)
        .sort((a, b) => b.sim - a.sim || a.chunk - b.chunk)
        .slice(0, 10);
      const found = store.searchVector(qv, 10);
      expect(found).toHaveLength(10);
      expect(found.map((h) => h.chunk)).toEqual(exact.map((h) => h.chunk));
      found.forEach((h, i) => expect(1 - h.distance).toBeCloseTo(exact[i]!.sim, 9));
    }
  });

  it("keeps only the chunks a filter accepts", async () => {
    const embedder = new LocalHashEmbeddings();
    const { store } = await buildIndex({ docs: [seedPlan()], embedder });
    const qv = await embedder.embedQuery("高标准农田建设");
    const even = store.searchVector(qv, 5, (c) => c % 2 === 0);
    expect(even).toHaveLength(5);
    expect(even.every((h) => h.chunk % 2 === 0)).toBe(true);
    expect(store.searchVector(qv, 0)).toEqual([]);
  });
});

describe("the BM25 postings in typed arrays", () => {
  it("score as the textbook formula and round-trip through their arrays", () => {
    const docs = [["w:农田", "b:农田", "w:建设"], ["w:农田", "w:农田", "w:收入"], ["w:收入"]];
    const index = new Bm25Index(docs);
    const again = new Bm25Index(index.toData());
    const avg = 7 / 3;
    const idf = (df: number) => Math.log(1 + (3 - df + 0.5) / (df + 0.5));
    const bm = (tf: number, len: number, df: number) => idf(df) * ((tf * 2.2) / (tf + 1.2 * (1 - 0.75 + (0.75 * len) / avg)));
    for (const ix of [index, again]) {
      const s = ix.score([{ term: "w:农田", weight: 1 }]);
      expect([...s.keys()]).toEqual([0, 1]);
      expect(s.get(0)).toBeCloseTo(bm(1, 3, 2), 12);
      expect(s.get(1)).toBeCloseTo(bm(2, 3, 2), 12);
      expect(ix.df("w:收入")).toBe(2);
      expect(ix.has(2, "w:收入")).toBe(true);
      expect(ix.has(0, "w:收入")).toBe(false);
      expect(ix.idf("w:没有")).toBe(0);
    }
  });
});

describe("the substring index", () => {
  it("answers as includes() does, for phrases in the plan, near misses and absent ones", () => {
    const text = normalizeText(seedPlan().units.map((u) => u.text).join("\n"));
    const index = new SubstringIndex(text);
    const again = new SubstringIndex(text, index.toData());
    const phrases = ["", "农", "高标准农田", "高标准农田78万亩", "标准农田建设", "农田高标准", "5g基站", "\n", "完全不在文中的话", "𠀀"];
    for (let i = 0; i < 400; i++) {
      const at = (i * 7919) % (text.length - 12);
      phrases.push(text.slice(at, at + 1 + (i % 11)), text.slice(at, at + 3) + "乙");
    }
    for (const p of phrases) {
      expect(index.has(p)).toBe(text.includes(p));
      expect(again.has(p)).toBe(text.includes(p));
    }
  });
});
