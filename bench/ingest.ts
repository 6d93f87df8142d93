/**
 * Ingestion speed of one large plan, stage by stage: `node dist/bench/ingest.js [MB …]`.
 * Prints figures; never fails. The plan is made from the seed's own sentences (figures changed),
 * laid out as a real plan: an issuing notice, parts, sections restarting in every part, tasks
 * restarting in every section.
 */
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { buildIndex } from "../src/artifact/build.js";
import { LocalHashEmbeddings } from "../src/indexing/embeddings/local.js";
import { loadPlanFile } from "../src/plan/load.js";
import { toChineseNumeral } from "../src/plan/numerals.js";
import { parsePlan } from "../src/plan/parse.js";
import type { PlanDocument } from "../src/plan/types.js";
import { HybridRetriever } from "../src/retrieve/retriever.js";
import { mulberry32 } from "./synthetic.js";

/** A plan of about `bytes` UTF-8 bytes in the gov.cn layout. */
export function largePlan(seed: PlanDocument, bytes: number): string {
  const rand = mulberry32(11);
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
  const sentences = seed.units.flatMap((u) => u.text.split(/(?<=。)/).slice(1)).filter((s) => s.length > 8);
  const headings = seed.units.filter((u) => u.kind === "task" || u.kind === "section").map((u) => u.heading);
  const lines = [
    "某省人民政府关于印发某省城乡融合发展",
    "综合实施方案的通知",
    "某政发〔2031〕1号",
    "",
    "各市、县人民政府，省政府各部门：",
    "现将《某省城乡融合发展综合实施方案》印发给你们，请认真贯彻执行。",
    "某省人民政府",
    "2031年1月5日",
    "（此件公开发布）",
    "",
    "某省城乡融合发展综合实施方案",
    "",
    `为推进城乡融合发展，制定本方案。${pick(sentences)}`,
  ];
  let size = Buffer.byteLength(lines.join("\n"));
  for (let p = 1; size < bytes; p++) {
    lines.push(`${toChineseNumeral(((p - 1) % 99) + 1)}、${pick(headings)}`);
    for (let s = 1; s <= 8 && size < bytes; s++) {
      lines.push(`（${toChineseNumeral(s)}）${pick(headings)}`);
      for (let t = 1; t <= 6 && size < bytes; t++) {
        const body = Array.from({ length: 3 + Math.floor(rand() * 4) }, () => pick(sentences))
          .join("")
          .replace(/\d+(\.\d+)?/g, (n) => String(Math.max(1, Math.round(Number(n) * (0.5 + rand()) * 10) / 10)));
        const line = `${t}.${pick(headings)}。${body}`;
        lines.push(line);
        size += Buffer.byteLength(line) + 1;
      }
    }
  }
  return lines.join("\n");
}

/** CPU time (user + system) rather than wall time: the machine may be shared, and CPU time is what a stage costs. */
async function stage<T>(name: string, fn: () => T | Promise<T>, rows: Array<[string, number]>): Promise<T> {
  const started = process.cpuUsage();
  const out = await fn();
  const used = process.cpuUsage(started);
  rows.push([name, (used.user + used.system) / 1000]);
  return out;
}

async function run(mb: number): Promise<void> {
  const seed = loadPlanFile(join(process.cwd(), "seeds", "zhejiang-2026-qianwan-plan.txt"));
  const text = largePlan(seed, mb * 1024 * 1024);
  const bytes = Buffer.byteLength(text);
  const rows: Array<[string, number]> = [];
  const doc = await stage("parse", () => parsePlan(text, "large.txt"), rows);
  const embedder = new LocalHashEmbeddings();
  // One pass: chunks, tokens (once, for BM25 and the vectors), quantities, vectors.
  const { chunks, store, corpus } = await stage("index build", () => buildIndex({ docs: [doc], embedder }), rows);
  await stage("retriever", () => new HybridRetriever({ docs: [doc], chunks, store, embedder, corpus }), rows);
  const total = rows.reduce((sum, [, ms]) => sum + ms, 0);
  console.log(`\n## ${(bytes / 1048576).toFixed(2)} MB plan: ${doc.units.length} units, ${chunks.length} chunks`);
  for (const [name, ms] of rows) console.log(`${name.padEnd(20)} ${(ms / 1000).toFixed(2).padStart(7)} s CPU  ${((ms / total) * 100).toFixed(0).padStart(3)}%`);
  console.log(`${"total".padEnd(20)} ${(total / 1000).toFixed(2).padStart(7)} s CPU  ${(bytes / 1048576 / (total / 1000)).toFixed(2)} MB/s`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
  for (const mb of sizes.length ? sizes : [1]) await run(mb);
}
