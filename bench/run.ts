import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAnswerEngine } from "../src/answer/engine.js";
import { loadConfig } from "../src/config.js";
import { readEvalSet } from "../src/eval/dataset.js";
import { buildIndex } from "../src/artifact/build.js";
import { LocalHashEmbeddings } from "../src/indexing/embeddings/local.js";
import { openKnowledgeBase } from "../src/knowledge.js";
import { createLogger } from "../src/logger.js";
import { loadPlanFile, loadPlans } from "../src/plan/load.js";
import { HybridRetriever } from "../src/retrieve/retriever.js";
import { openKnowledge } from "../src/app.js";
import { openStorage } from "../src/storage.js";
import { startTelegram } from "../src/channels/telegram/run.js";
import { createWebServer } from "../src/channels/web/server.js";
import { runLoadInChild } from "./load.js";
import { mulberry32, syntheticPlans } from "./synthetic.js";

/** Figures are printed, never asserted: `npm run bench [section …]`. */
const logger = createLogger({ level: "error" });
const mb = () => `${Math.round(process.memoryUsage().rss / 1024 / 1024)} MB rss`;
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;
const fmt = (ms: number) => `${ms.toFixed(2)} ms`;

/** 1,000 varied queries: the evaluation questions, their fragments, headings and word mixes. */
function varyQueries(n: number): string[] {
  const items = [...readEvalSet("test/fixtures/eval.jsonl"), ...readEvalSet("test/fixtures/eval-holdout.jsonl")].map((x) => x.q);
  const rand = mulberry32(11);
  const out: string[] = [];
  while (out.length < n) {
    const q = items[Math.floor(rand() * items.length)]!;
    const r = rand();
    if (r < 0.5) out.push(q);
    else if (r < 0.7) out.push(q.slice(0, Math.max(3, Math.floor(q.length * (0.4 + rand() * 0.5)))));
    else if (r < 0.85) out.push(`${q} ${items[Math.floor(rand() * items.length)]!.slice(0, 8)}`);
    else out.push(`请问${q.replace(/[？?]$/, "")}，具体是怎么规定的？`);
  }
  return out;
}

async function seedRetrieval(): Promise<void> {
  console.log("\n## Retrieval on the seed");
  const docs = [loadPlanFile("seeds/zhejiang-2026-qianwan-plan.txt")];
  const embedder = new LocalHashEmbeddings();
  const t0 = performance.now();
  const index = await buildIndex({ docs, embedder });
  const buildMs = performance.now() - t0;
  const retriever = new HybridRetriever({ docs, chunks: index.chunks, store: index.store, embedder, corpus: index.corpus });
  const queries = varyQueries(1000);
  for (const q of queries.slice(0, 50)) await retriever.retrieve(q);
  const times: number[] = [];
  for (const q of queries) {
    const s = performance.now();
    await retriever.retrieve(q);
    times.push(performance.now() - s);
  }
  console.log(`index build (${index.chunks.length} chunks, in memory): ${fmt(buildMs)}`);
  console.log(`retrieval over ${queries.length} varied queries: p50 ${fmt(percentile(times, 0.5))}, p95 ${fmt(percentile(times, 0.95))}, max ${fmt(Math.max(...times))}`);
  console.log(`process memory: ${mb()}`);
}

async function answers(): Promise<void> {
  console.log("\n## Offline answers over the evaluation set");
  const config = loadConfig({ SEEDS_DIR: "seeds", INDEX_DIR: mkdtempSync(join(tmpdir(), "policybot-bench-")) });
  const kb = await openKnowledgeBase({ config, logger });
  const engine = createAnswerEngine({ kb, config, logger });
  const items = [...readEvalSet("test/fixtures/eval.jsonl"), ...readEvalSet("test/fixtures/eval-holdout.jsonl")];
  for (const it of items.slice(0, 20)) await engine.answer({ question: it.q, history: it.history });
  const times: number[] = [];
  for (let round = 0; round < 5; round++) {
    for (const it of items) {
      const s = performance.now();
      await engine.answer({ question: it.q, history: it.history });
      times.push(performance.now() - s);
    }
  }
  console.log(`answer over ${items.length} questions × 5: p50 ${fmt(percentile(times, 0.5))}, p95 ${fmt(percentile(times, 0.95))}; ${mb()}`);
}

/**
 * Per size: the artifact is built here (`policybot index --out`'s code path), then a fresh child
 * process loads it as an instance does and reports load time, rss and retrieval latency.
 */
async function scale(): Promise<void> {
  console.log("\n## Scale: synthetic plan-shaped documents (bench/synthetic.ts), index artifact built once, loaded by a fresh process");
  const seed = loadPlanFile("seeds/zhejiang-2026-qianwan-plan.txt");
  const all = syntheticPlans(seed, 1000);
  const sizes = (process.env.BENCH_SCALE_SIZES ?? "100,300,1000").split(",").map(Number);
  for (const n of sizes) {
    const dir = mkdtempSync(join(tmpdir(), "policybot-scale-"));
    mkdirSync(join(dir, "seeds"));
    for (const d of all.slice(0, n)) writeFileSync(join(dir, "seeds", d.name), d.text);
    const config = loadConfig({ SEEDS_DIR: join(dir, "seeds"), INDEX_DIR: join(dir, "unused") });
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const kb = await openKnowledgeBase({ config, logger, out: join(dir, "artifact") });
    const buildMs = performance.now() - t0;
    const cpu = process.cpuUsage(c0);
    const buildCpuS = (cpu.user + cpu.system) / 1e6;
    const m = kb.index.manifest;
    const artifactMb = Object.values(m.files).reduce((s, f) => s + f.bytes, 0) / 1e6;
    const child = await loadInChild(join(dir, "seeds"), join(dir, "artifact"));
    console.log(
      `${String(n).padStart(5)} docs: ${m.counts.chunks} chunks, ${(m.textBytes / 1e6).toFixed(2)} MB text; build ${fmt(buildMs)} wall, ${buildCpuS.toFixed(1)} s CPU (${(m.textBytes / 1e6 / buildCpuS).toFixed(2)} MB/s of CPU); artifact ${artifactMb.toFixed(1)} MB` +
        ` | loaded instance (${child.origin}): load ${fmt(child.loadMs)} wall, ${fmt(child.loadCpuMs)} CPU, ${child.rssMb} MB rss; retrieval p50 ${fmt(child.p50)}, p95 ${fmt(child.p95)} wall, p95 ${fmt(child.cpuP95)} CPU`,
    );
    rmSync(dir, { recursive: true, force: true });
  }
}

interface ChildFigures {
  origin: string;
  loadMs: number;
  /** CPU time (user + system): what the work costs on a machine shared with other jobs. */
  loadCpuMs: number;
  rssMb: number;
  p50: number;
  p95: number;
  cpuP95: number;
}

/** Runs this file as `scale-child` in a new process: an instance's memory, not the builder's. */
async function loadInChild(seeds: string, index: string): Promise<ChildFigures> {
  const { execFileSync } = await import("node:child_process");
  const out = execFileSync(process.execPath, [process.argv[1]!, "scale-child", seeds, index], { encoding: "utf8", maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split("\n").at(-1)!) as ChildFigures;
}

async function scaleChild(): Promise<void> {
  const [seeds, index] = process.argv.slice(3);
  const config = loadConfig({ SEEDS_DIR: seeds!, INDEX_DIR: index! });
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const kb = await openKnowledgeBase({ config, logger });
  const loadMs = performance.now() - t0;
  const loadCpu = process.cpuUsage(c0);
  global.gc?.();
  const rssMb = Math.round(process.memoryUsage().rss / 1024 / 1024);
  const times: number[] = [];
  const cpu: number[] = [];
  const queries = varyQueries(250);
  for (const q of queries.slice(0, 50)) await kb.retriever.retrieve(q);
  for (const q of queries.slice(50)) {
    const s = performance.now();
    const c = process.cpuUsage();
    await kb.retriever.retrieve(q);
    const used = process.cpuUsage(c);
    times.push(performance.now() - s);
    cpu.push((used.user + used.system) / 1000);
  }
  const ms = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;
  const figures: ChildFigures = { origin: kb.index.origin, loadMs, loadCpuMs: ms(loadCpu), rssMb, p50: percentile(times, 0.5), p95: percentile(times, 0.95), cpuP95: percentile(cpu, 0.95) };
  console.log(JSON.stringify(figures));
}

async function web(): Promise<void> {
  console.log("\n## Web: POST /api/ask offline, load from a separate process on this machine");
  const config = loadConfig({ SEEDS_DIR: "seeds", INDEX_DIR: mkdtempSync(join(tmpdir(), "policybot-bench-")), PORT: "0", API_RATE_LIMIT: "100000" });
  const kb = await openKnowledgeBase({ config, logger });
  const engine = createAnswerEngine({ kb, config, logger });
  const server = createWebServer({ config, logger, kb, engine });
  const { url } = await server.listen();
  const bodies = [...readEvalSet("test/fixtures/eval.jsonl"), ...readEvalSet("test/fixtures/eval-holdout.jsonl")].map((x) => JSON.stringify({ q: x.q, history: x.history }));
  const spec = { url: `${url}api/ask`, method: "POST" as const, bodies, durationMs: 10_000 };
  await runLoadInChild({ ...spec, connections: 4, durationMs: 2000 });
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  for (const connections of [4, 16]) {
    const r = await runLoadInChild({ ...spec, connections });
    console.log(`closed loop, ${String(connections).padStart(2)} connections: ${r.rps.toFixed(0)} req/s, p50 ${fmt(r.p50)}, p95 ${fmt(r.p95)}, p99 ${fmt(r.p99)}, errors ${r.errors} ${JSON.stringify(r.statuses)}`);
  }
  const fixed = await runLoadInChild({ ...spec, connections: 64, rate: 300 });
  console.log(`open loop at 300 req/s: ${fixed.rps.toFixed(0)} req/s done, p50 ${fmt(fixed.p50)}, p95 ${fmt(fixed.p95)}, p99 ${fmt(fixed.p99)}, errors ${fixed.errors}`);
  clearInterval(sampler);
  console.log(`server memory under load: peak ${Math.round(peak / 1024 / 1024)} MB rss`);
  await server.close();
}

async function telegram(): Promise<void> {
  console.log("\n## Telegram: 100 concurrent private chats against a loopback Bot API server");
  const { startFakeTelegram } = await import("../test/support/fake-telegram.js");
  const fake = await startFakeTelegram();
  const config = loadConfig({ SEEDS_DIR: "seeds", INDEX_DIR: mkdtempSync(join(tmpdir(), "policybot-bench-")), DATA_DIR: mkdtempSync(join(tmpdir(), "policybot-bench-data-")), TELEGRAM_API_ROOT: fake.apiRoot, USER_RATE_LIMIT: "10000" });
  const knowledge = await openKnowledge(config, logger);
  const storage = await openStorage(config, { logger });
  const store = storage.feedback;
  const running = await startTelegram(fake.token, { config, logger, knowledge, store }, { apiRoot: fake.apiRoot, throttle: false });
  const questions = readEvalSet("test/fixtures/eval.jsonl").filter((x) => !x.history).map((x) => x.q);
  const chats = 100;
  const rate = Number(process.env.BENCH_TG_RATE ?? 200);
  const seconds = 10;
  const pushedAt = new Map<number, number[]>();
  const started = performance.now();
  let n = 0;
  for (let tick = 0; tick < seconds * 10; tick++) {
    const due = started + tick * 100;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    for (let k = 0; k < rate / 10; k++, n++) {
      const chatId = 1000 + (n % chats);
      fake.pushUpdate(fake.userMessage({ chatId, userId: chatId, text: questions[n % questions.length]! }));
      (pushedAt.get(chatId) ?? pushedAt.set(chatId, []).get(chatId)!).push(Date.now());
    }
  }
  await fake.waitForSent(n, undefined, 60_000).catch(() => undefined);
  const elapsed = (performance.now() - started) / 1000;
  const latencies: number[] = [];
  let answeredOnce = 0;
  for (const [chatId, pushes] of pushedAt) {
    const replies = fake.sent(chatId).filter((m) => m.method === "sendMessage");
    if (replies.length === pushes.length) answeredOnce++;
    pushes.forEach((t, i) => replies[i] && latencies.push(replies[i]!.time - t));
  }
  console.log(`${n} updates from ${chats} chats at ${rate}/s: ${latencies.length} replies in ${elapsed.toFixed(1)} s (${(latencies.length / elapsed).toFixed(0)} replies/s); chats answered exactly once per update: ${answeredOnce}/${chats}`);
  console.log(`update → reply: p50 ${fmt(percentile(latencies, 0.5))}, p95 ${fmt(percentile(latencies, 0.95))}, max ${fmt(Math.max(...latencies))}; ${mb()}`);
  await running.stop();
  await storage.close();
  await fake.close();
}

/**
 * Webhook throughput through nginx with 1 and with 3 instances on one PostgreSQL (the deployment of
 * the README), as Telegram delivers: one update at a time per chat, 40 connections. Needs
 * TEST_DATABASE_URL (a server where databases may be created) and nginx; skipped otherwise.
 */
async function instances(): Promise<void> {
  console.log("\n## Several instances: webhook updates through nginx, one PostgreSQL");
  const admin = process.env.TEST_DATABASE_URL;
  const { NGINX, buildIndex, startCluster } = await import("../test/support/cluster.js");
  if (!admin || !NGINX) {
    console.log("skipped: set TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres) and install nginx-light");
    return;
  }
  const { deliverWebhook } = await import("../test/support/webhook-delivery.js");
  const { startFakeTelegram } = await import("../test/support/fake-telegram.js");
  const pg = (await import("pg")).default;
  const questions = readEvalSet("test/fixtures/eval.jsonl").filter((x) => !x.history).map((x) => x.q);
  const chats = 60;
  const perChat = 10;
  for (const size of [1, 3]) {
    const name = `policybot_bench_${size}_${Date.now()}`;
    const c = new pg.Client({ connectionString: admin });
    await c.connect();
    await c.query(`CREATE DATABASE ${name}`);
    const url = new URL(admin);
    url.pathname = `/${name}`;
    const dir = mkdtempSync(join(tmpdir(), "policybot-bench-cluster-"));
    const fake = await startFakeTelegram();
    const env = { SEEDS_DIR: "seeds", INDEX_DIR: join(dir, "index"), DATABASE_URL: url.toString(), LOG_LEVEL: "error", TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot, WEBHOOK_URL: "https://bot.example.test/tg/hook", WEBHOOK_SECRET: "bench-secret", WEB: "off", USER_RATE_LIMIT: "10000" };
    buildIndex(env);
    const cluster = await startCluster({ size, dir, env });
    try {
      const sources = Array.from({ length: chats }, (_, i) => {
        let k = 0;
        return () => (k < perChat ? fake.pushUpdate(fake.userMessage({ chatId: 50_000 + i, userId: 50_000 + i, text: questions[(i * 7 + k++) % questions.length]! })) : undefined);
      });
      const started = performance.now();
      const deliveries = await deliverWebhook({ url: `${cluster.url}/tg/hook`, secret: "bench-secret", chats: sources });
      const seconds = (performance.now() - started) / 1000;
      const rss = await Promise.all(cluster.instances.map(async (inst) => {
        try {
          return Math.round(Number((await import("node:fs")).readFileSync(`/proc/${inst.child.pid}/status`, "utf8").match(/VmRSS:\s+(\d+)/)![1]) / 1024);
        } catch {
          return 0;
        }
      }));
      console.log(`${size} instance(s): ${deliveries.length} updates from ${chats} chats in ${seconds.toFixed(1)} s = ${(deliveries.length / seconds).toFixed(1)} updates/s (Telegram's per-bot send throttle on); rss per instance ${rss.join(", ")} MB`);
    } finally {
      await cluster.stop();
      await fake.close();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    }
  }
}

const sections: Record<string, () => Promise<void>> = { retrieval: seedRetrieval, answers, scale, web, telegram, instances };
/** Sections run only on request (the scale section's child process). */
const hidden: Record<string, () => Promise<void>> = { "scale-child": scaleChild };

async function main(): Promise<void> {
  if (process.argv[2] && hidden[process.argv[2]]) return hidden[process.argv[2]]!();
  const wanted = process.argv.slice(2);
  const names = wanted.length ? wanted : Object.keys(sections);
  console.log(`policybot bench · node ${process.version} · ${new Date().toISOString()}`);
  for (const name of names) {
    const run = sections[name];
    if (!run) {
      console.error(`unknown bench section "${name}"; choose from ${Object.keys(sections).join(", ")}`);
      process.exitCode = 2;
      return;
    }
    await run();
  }
}

await main();
