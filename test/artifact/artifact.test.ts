import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ARTIFACT_FORMAT_VERSION } from "../../src/artifact/artifact.js";
import { loadConfig } from "../../src/config.js";
import { openKnowledgeBase, type KnowledgeBase } from "../../src/knowledge.js";
import { readEvalSet } from "../../src/eval/dataset.js";
import { FIXTURES, SEED_FILE } from "../helpers.js";
import { runCli } from "../cli/run.js";
import { memoryLogger } from "../support/kb.js";

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), "policybot-artifact-"));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A seeds folder with the seed plan and two invented plans, and an index folder beside it. */
function workspace() {
  const base = tmp();
  const seeds = join(base, "seeds");
  mkdirSync(seeds);
  copyFileSync(SEED_FILE, join(seeds, "zhejiang-2026-qianwan-plan.txt"));
  for (const f of readdirSync(join(FIXTURES, "multiplan")).slice(0, 2)) copyFileSync(join(FIXTURES, "multiplan", f), join(seeds, f));
  const config = loadConfig({ SEEDS_DIR: seeds, INDEX_DIR: join(base, "index") });
  return { base, seeds, config, index: join(base, "index") };
}

const QUESTIONS = [...readEvalSet(join(FIXTURES, "eval.jsonl")).slice(0, 30).map((x) => x.q), "养老服务补贴怎么申请", "河道整治到哪年完成", "第5项", "what is the farmland target"];

/** Everything a retrieval says, for exact comparison. */
async function answersOf(kb: KnowledgeBase) {
  const out = [];
  for (const q of QUESTIONS) {
    const r = await kb.retriever.retrieve(q, { k: 8 });
    out.push({ grade: r.grade, confidence: r.confidence, units: r.units.map((u) => ({ doc: u.unit.doc, ref: u.unit.ref, score: u.score, lexical: u.lexicalRaw, vector: u.vector, coverage: u.coverage, chunks: u.chunks })) });
  }
  return out;
}

describe("the index artifact", () => {
  it("loads with exactly the results of a fresh build from the seeds", async () => {
    const w = workspace();
    const built = await openKnowledgeBase({ config: w.config, logger: memoryLogger().logger });
    expect(built.index.origin).toBe("built");
    const loaded = await openKnowledgeBase({ config: w.config, logger: memoryLogger().logger });
    expect(loaded.index).toMatchObject({ origin: "loaded" });
    const fresh = await openKnowledgeBase({ config: w.config, logger: memoryLogger().logger, persist: false });
    expect(fresh.index.origin).toBe("built");
    expect(loaded.docs).toEqual(fresh.docs);
    expect(loaded.index.chunks).toEqual(fresh.index.chunks);
    expect(loaded.retriever.targets).toEqual(fresh.retriever.targets);
    const expected = await answersOf(fresh);
    expect(expected.some((a) => a.units.some((u) => u.vector > 0))).toBe(true);
    expect(await answersOf(loaded)).toEqual(expected);
  });

  it("writes a manifest with the format, the embedder and every seed's sha256", async () => {
    const w = workspace();
    const kb = await openKnowledgeBase({ config: w.config, logger: memoryLogger().logger });
    const manifest = JSON.parse(readFileSync(join(w.index, "manifest.json"), "utf8"));
    expect(manifest).toMatchObject({ format: "policybot-index", formatVersion: ARTIFACT_FORMAT_VERSION, embedder: { dimensions: 1024 }, counts: { docs: 3, chunks: kb.index.chunks.length } });
    expect(manifest.embedder.id).toMatch(/^local-hash/);
    expect(manifest.seeds.map((s: { file: string }) => s.file).sort()).toEqual(readdirSync(w.seeds).sort());
    expect(manifest.seeds.find((s: { file: string }) => s.file === "zhejiang-2026-qianwan-plan.txt").sha256).toBe(kb.docs.find((d) => d.id === "zhejiang-2026-qianwan-plan")!.hash);
    expect(Object.keys(manifest.files).sort()).toEqual(["corpus.bin", "docs.json"]);
  });

  it("sees an edited seed, says so once, and answers from the new text", async () => {
    const w = workspace();
    await openKnowledgeBase({ config: w.config, logger: memoryLogger().logger });
    const file = join(w.seeds, "zhejiang-2026-qianwan-plan.txt");
    writeFileSync(file, readFileSync(file, "utf8").replace("加强高标准农田建设", "加强示范性高标准农田建设"));
    const { logger, lines } = memoryLogger();
    const kb = await openKnowledgeBase({ config: w.config, logger });
    expect(kb.index.origin).toBe("built");
    expect(kb.index.reason).toBe("the seed documents changed (zhejiang-2026-qianwan-plan.txt was edited)");
    const warnings = lines.filter((l) => l.includes("not using the index"));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("zhejiang-2026-qianwan-plan.txt was edited");
    const r = await kb.retriever.retrieve("示范性高标准农田");
    expect(r.units[0]!.unit.text).toContain("示范性高标准农田");
    // The rebuilt artifact replaced the old one: the next instance loads it.
    expect((await openKnowledgeBase({ config: w.config, logger: memoryLogger().logger })).index.origin).toBe("loaded");
  });

  it("sees a seed added or removed", async () => {
    const w = workspace();
    await openKnowledgeBase({ config: w.config, logger: memoryLogger().logger });
    copyFileSync(join(FIXTURES, "multiplan", readdirSync(join(FIXTURES, "multiplan"))[2]!), join(w.seeds, "extra-plan.txt"));
    expect((await openKnowledgeBase({ config: w.config, logger: memoryLogger().logger })).index.reason).toBe("the seed documents changed (extra-plan.txt is new)");
    rmSync(join(w.seeds, "extra-plan.txt"));
    expect((await openKnowledgeBase({ config: w.config, logger: memoryLogger().logger })).index.reason).toBe("the seed documents changed (extra-plan.txt was removed)");
  });

  it.each([
    ["a truncated corpus file", (dir: string) => truncateSync(join(dir, "corpus.bin"), 1000), /corpus\.bin is truncated/],
    ["a corrupt corpus file", (dir: string) => {
      const bytes = readFileSync(join(dir, "corpus.bin"));
      bytes[bytes.length - 7] = bytes[bytes.length - 7]! ^ 0xff;
      writeFileSync(join(dir, "corpus.bin"), bytes);
    }, /corpus\.bin is corrupt \(checksum mismatch\)/],
    ["a missing document file", (dir: string) => rmSync(join(dir, "docs.json")), /docs\.json is missing/],
    ["an unreadable manifest", (dir: string) => writeFileSync(join(dir, "manifest.json"), "{nope"), /the manifest is unreadable/],
    ["another format version", (dir: string) => editManifest(dir, (m) => (m.formatVersion = ARTIFACT_FORMAT_VERSION - 1)), new RegExp(`index format ${ARTIFACT_FORMAT_VERSION - 1} is not ${ARTIFACT_FORMAT_VERSION}`)],
    ["another program version", (dir: string) => editManifest(dir, (m) => (m.code = "0".repeat(64))), /built by another version of policybot/],
    ["another embedder", (dir: string) => editManifest(dir, (m) => ((m.embedder as { id: string }).id = "openai:x:y")), /the embedder changed \(openai:x:y → local-hash/],
  ])("detects %s, says why in one warning, and rebuilds with the same results", async (_name, damage, reason) => {
    const w = workspace();
    const good = await openKnowledgeBase({ config: w.config, logger: memoryLogger().logger });
    const expected = await answersOf(good);
    damage(w.index);
    const { logger, lines } = memoryLogger();
    const rebuilt = await openKnowledgeBase({ config: w.config, logger });
    expect(rebuilt.index.origin).toBe("built");
    expect(rebuilt.index.reason).toMatch(reason);
    const warnings = lines.map((l) => JSON.parse(l) as { level: number; msg: string }).filter((l) => l.level === 40);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.msg).toMatch(reason);
    expect(await answersOf(rebuilt)).toEqual(expected);
  });

  it("keeps answering from memory when the index folder cannot be written", async () => {
    const w = workspace();
    writeFileSync(join(w.base, "not-a-dir"), "x");
    const config = loadConfig({ SEEDS_DIR: w.seeds, INDEX_DIR: join(w.base, "not-a-dir", "index") });
    const { logger, lines } = memoryLogger();
    const kb = await openKnowledgeBase({ config, logger });
    expect(kb.index.store.count).toBe(kb.index.chunks.length);
    expect(lines.join("")).toMatch(/could not save the index/);
    expect((await kb.retriever.retrieve("高标准农田今年建多少")).units[0]!.unit.ref).toBe("task:5");
  });
});

describe("policybot index --out", () => {
  it("builds a new artifact, prints its figures, and an instance loads it", async () => {
    const w = workspace();
    const out = join(w.base, "artifact-1");
    const r = await runCli(["index", "--out", out], undefined, { SEEDS_DIR: w.seeds, INDEX_DIR: w.index });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/从 3 份文件建立 \d+ 个片段/);
    expect(r.out).toMatch(/政策文本 0\.\d\d MB，[\d.]+ MB\/秒；索引文件 [\d.]+ MB（格式 3）/);
    expect(r.err).toBe(""); // no progress line when stderr is not a terminal
    expect(readdirSync(out).sort()).toEqual(["corpus.bin", "docs.json", "manifest.json"]);
    expect(existsSync(w.index)).toBe(false); // INDEX_DIR is left alone
    const kb = await openKnowledgeBase({ config: loadConfig({ SEEDS_DIR: w.seeds, INDEX_DIR: out }), logger: memoryLogger().logger });
    expect(kb.index.origin).toBe("loaded");
  });

  it("never overwrites an existing artifact", async () => {
    const w = workspace();
    const out = join(w.base, "artifact-1");
    expect((await runCli(["index", "--out", out], undefined, { SEEDS_DIR: w.seeds })).code).toBe(0);
    const before = readFileSync(join(out, "manifest.json"), "utf8");
    const again = await runCli(["index", "--out", out], undefined, { SEEDS_DIR: w.seeds });
    expect(again.code).toBe(1);
    expect(again.err).toContain(`${out} 已存在。索引文件写成后不再修改`);
    expect(readFileSync(join(out, "manifest.json"), "utf8")).toBe(before);
    const en = await runCli(["index", "--out", out, "--lang", "en"], undefined, { SEEDS_DIR: w.seeds });
    expect(en.err).toContain("exists already. An index artifact is never changed once written");
  });
});

function editManifest(dir: string, edit: (m: Record<string, unknown>) => void): void {
  const file = join(dir, "manifest.json");
  const m = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  edit(m);
  writeFileSync(file, JSON.stringify(m));
}
