import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { createAnswerEngine, type AnswerEngine, type FluentAnswerer } from "../../src/answer/engine.js";
import { loadConfig, type Config } from "../../src/config.js";
import { openKnowledgeBase, type KnowledgeBase } from "../../src/knowledge.js";
import { createLogger, type Logger } from "../../src/logger.js";
import { repoPath } from "../helpers.js";

/** A test configuration: the repository's seeds, an index in a fresh temporary folder. */
export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({ SEEDS_DIR: repoPath("seeds"), INDEX_DIR: mkdtempSync(join(tmpdir(), "policybot-test-")), DATA_DIR: mkdtempSync(join(tmpdir(), "policybot-data-")), ...env });
}

/** A logger whose JSON lines are kept for assertions. */
export function memoryLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({ write(c, _e, cb) { lines.push(String(c)); cb(); } });
  return { logger: createLogger({ format: "json", level: "debug", destination: sink }), lines };
}

let shared: Promise<KnowledgeBase> | undefined;
/** The seed knowledge base, opened once per test file. */
export function sharedKb(): Promise<KnowledgeBase> {
  shared ??= openKnowledgeBase({ config: testConfig(), logger: memoryLogger().logger, persist: false });
  return shared;
}

/** An answer engine over the shared knowledge base. */
export async function testEngine(llm?: FluentAnswerer, logger = memoryLogger().logger): Promise<AnswerEngine> {
  return createAnswerEngine({ kb: await sharedKb(), config: testConfig(), logger, llm });
}

/** A knowledge base over one folder of fixture plans (test/fixtures/NAME), in memory, with its engine. */
export async function fixtureKb(name: string): Promise<{ kb: KnowledgeBase; engine: AnswerEngine }> {
  const kb = await openKnowledgeBase({ config: testConfig({ SEEDS_DIR: repoPath(join("test/fixtures", name)) }), logger: memoryLogger().logger, persist: false });
  return { kb, engine: createAnswerEngine({ kb, config: testConfig(), logger: memoryLogger().logger }) };
}

/** Asks, checks that every quote is verbatim in the unit it names, and returns the answer. */
export async function askChecked(kb: KnowledgeBase, engine: AnswerEngine, question: string) {
  const r = await engine.answer({ question });
  for (const c of r.citations) {
    const unit = kb.docs.find((d) => d.id === c.doc)?.units.find((u) => u.ref === c.ref);
    if (!unit?.text.includes(c.quote)) throw new Error(`${question}: quote not verbatim in ${c.doc}/${c.ref}: ${c.quote}`);
  }
  return r;
}
