/**
 * Every hostile reply of llm-hostile-cases.ts through each channel a user reads: the CLI
 * (`policybot ask` with LLM settings pointing at the fake server), `POST /api/ask` and its SSE
 * stream. Nothing forbidden reaches the output, and the API key reaches no log and no stream.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { OpenAIAnswerer } from "../../src/answer/llm.js";
import { createWebServer, type WebServer } from "../../src/channels/web/server.js";
import { loadConfig } from "../../src/config.js";
import { runCli } from "../cli/run.js";
import { repoPath } from "../helpers.js";
import { startFakeLlm, type FakeLlm } from "../support/fake-llm.js";
import { memoryLogger, sharedKb, testEngine } from "../support/kb.js";
import { HOSTILE_CASES, TRUE_SENTENCE } from "./llm-hostile-cases.js";

const KEY = "sk-channel-secret-9876543210";
const Q = "今年高标准农田要建多少？";
let fake: FakeLlm;
let web: WebServer;
let base: string;
let lines: string[];
const indexDir = mkdtempSync(join(tmpdir(), "policybot-llm-cli-"));
const dataDir = mkdtempSync(join(tmpdir(), "policybot-llm-data-"));

/** Everything the process writes to its own stdout and stderr while a test runs (the SDK's console output too). */
let printed = "";
const originals = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };
beforeEach(() => {
  printed = "";
  // Kept, not passed on: the CLI logs at debug level here.
  const capture = ((chunk: unknown, ...rest: unknown[]) => {
    printed += String(chunk);
    const done = rest.find((r) => typeof r === "function") as (() => void) | undefined;
    done?.();
    return true;
  }) as typeof process.stdout.write;
  process.stdout.write = capture;
  process.stderr.write = capture;
});
afterEach(() => {
  process.stdout.write = originals.out;
  process.stderr.write = originals.err;
});

beforeAll(async () => {
  fake = await startFakeLlm();
  const mem = memoryLogger();
  lines = mem.lines;
  // The logger has no secrets to scrub: a key in any line would mean it reached the logger at all.
  const llm = new OpenAIAnswerer({ baseURL: fake.baseURL, apiKey: KEY, model: "test-model", timeoutMs: 800, temperature: 0.2, logger: mem.logger });
  const engine = await testEngine(llm, mem.logger);
  const config = loadConfig({ SEEDS_DIR: repoPath("seeds"), INDEX_DIR: indexDir, PORT: "0", API_RATE_LIMIT: "100000" });
  web = createWebServer({ config, logger: mem.logger, kb: await sharedKb(), engine });
  base = (await web.listen()).url.replace(/\/$/, "");
});
afterAll(async () => {
  await web.close();
  await fake.close();
});

const cliEnv = { SEEDS_DIR: repoPath("seeds"), INDEX_DIR: indexDir, DATA_DIR: dataDir, LLM_MODEL: "test-model", LOG_LEVEL: "debug", LOG_FORMAT: "json", LLM_TIMEOUT_MS: "800" };

function expectClean(shown: string, forbidden: string[]) {
  for (const f of forbidden) expect(shown).not.toContain(f);
  expect(shown).not.toContain(KEY);
}

describe("through the CLI", () => {
  it("shows an honest reply in LLM mode", async () => {
    fake.behave(() => ({ reply: TRUE_SENTENCE }));
    const r = await runCli(["ask", Q, "--json"], undefined, { ...cliEnv, LLM_BASE_URL: fake.baseURL, LLM_API_KEY: KEY });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ mode: "llm", answer: TRUE_SENTENCE });
  });

  it.each(HOSTILE_CASES.filter((c) => !c.streamOnly).map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    fake.behave(c.behave);
    const r = await runCli(["ask", Q], undefined, { ...cliEnv, LLM_BASE_URL: fake.baseURL, LLM_API_KEY: KEY });
    expect(r.code).toBe(0);
    expect(r.out).toContain("78万亩");
    // The capture works: the CLI's own log lines (on stderr) are in it.
    expect(printed).toMatch(/"msg":"(llm|answer): /);
    expectClean(`${r.out}\n${r.err}\n${printed}`, c.forbidden);
  });
});

describe("through POST /api/ask and its SSE stream", () => {
  const ask = (accept?: string) =>
    fetch(`${base}/api/ask`, { method: "POST", headers: { "Content-Type": "application/json", ...(accept ? { Accept: accept } : {}) }, body: JSON.stringify({ q: Q }) });

  it("streams an honest reply sentence by sentence, then the same answer under mode llm", async () => {
    fake.behave(() => ({ reply: TRUE_SENTENCE }));
    const body = await (await ask("text/event-stream")).text();
    const tokens = [...body.matchAll(/event: token\ndata: (.*)\n/g)].map((m) => (JSON.parse(m[1]!) as { text: string }).text);
    const answer = JSON.parse(/event: answer\ndata: (.*)\n/.exec(body)![1]!) as { mode: string; answer: string };
    expect(tokens).toEqual([TRUE_SENTENCE]);
    expect(answer).toMatchObject({ mode: "llm", answer: TRUE_SENTENCE });
  });

  it.each(HOSTILE_CASES.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    fake.behave(c.behave);
    if (!c.streamOnly) {
      const res = await ask();
      expect(res.status).toBe(200);
      const json = (await res.json()) as { answer: string; mode: string };
      expect(json.answer).toContain("78万亩");
      expect(json.answer).not.toMatch(/[<>]/);
      expectClean(JSON.stringify(json), c.forbidden);
    }
    const sse = await ask("text/event-stream");
    expect(sse.headers.get("content-type")).toMatch(/text\/event-stream/);
    const body = await sse.text();
    expect(body).toMatch(/event: answer\n/);
    // Token events included: nothing unchecked is streamed before the answer replaces it.
    expectClean(body.replace(/\\u003c/g, "<"), c.forbidden);
    expectClean(`${lines.join("")}\n${printed}`, []);
  });
});
