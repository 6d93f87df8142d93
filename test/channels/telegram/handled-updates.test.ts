/**
 * Handled-update records are per bot and last Telegram's 24 hours: a second bot on the same DATA_DIR,
 * whose update ids overlap the first's, is answered every time; an id Telegram reissues after the
 * window is handled again; old records are pruned by age.
 */
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Knowledge } from "../../../src/channels/telegram/context.js";
import { startTelegram, type RunningBot } from "../../../src/channels/telegram/run.js";
import { SqliteFeedbackStore, UPDATE_RETENTION_MS } from "../../../src/feedback/store.js";
import { startFakeTelegram } from "../../support/fake-telegram.js";
import { memoryLogger, sharedKb, testConfig, testEngine } from "../../support/kb.js";
import { tempDir } from "../../storage/damage.js";

const HOUR = 3_600_000;
const BOT_A = 111;
const BOT_B = 222;

describe("the handled-update records", () => {
  it("keep each bot's ids apart", () => {
    const store = new SqliteFeedbackStore(join(tempDir(), "policybot.sqlite"));
    expect(store.markUpdate(BOT_A, 500, 1000)).toBe(true);
    expect(store.markUpdate(BOT_A, 500, 1000)).toBe(false);
    expect(store.wasHandled(BOT_A, 500, 1000)).toBe(true);
    expect(store.wasHandled(BOT_B, 500, 1000)).toBe(false);
    expect(store.markUpdate(BOT_B, 500, 1000)).toBe(true);
    store.close();
  });

  it("count only within Telegram's 24 hours; an id reissued later is handled again; old records are pruned by age", () => {
    const file = join(tempDir(), "policybot.sqlite");
    const store = new SqliteFeedbackStore(file);
    const t0 = 10 * 24 * HOUR;
    store.markUpdate(BOT_A, 1, t0);
    store.markUpdate(BOT_A, 2, t0 + 20 * HOUR);
    expect(store.wasHandled(BOT_A, 1, t0 + 23 * HOUR)).toBe(true);
    expect(store.wasHandled(BOT_A, 1, t0 + UPDATE_RETENTION_MS + 1)).toBe(false);
    // A week without updates and Telegram starts from a random id: the same id is a new update.
    expect(store.markUpdate(BOT_A, 1, t0 + 8 * 24 * HOUR)).toBe(true);
    expect(store.wasHandled(BOT_A, 1, t0 + 8 * 24 * HOUR)).toBe(true);
    const rows = () => (new Database(file, { readonly: true }).prepare("SELECT bot_id, update_id FROM handled_updates ORDER BY update_id").all() as Array<{ update_id: number }>).map((r) => r.update_id);
    // Update 2 (20 hours after t0) is older than 24 hours by then and was pruned; update 1 was refreshed.
    expect(rows()).toEqual([1]);
    store.close();
  });

  it("replace the old per-process table when an older database is opened", () => {
    const file = join(tempDir(), "policybot.sqlite");
    const old = new Database(file);
    old.exec(`CREATE TABLE answers (id INTEGER PRIMARY KEY AUTOINCREMENT, channel TEXT NOT NULL, chat_id TEXT NOT NULL, user_id TEXT NOT NULL,
      question TEXT NOT NULL, answer TEXT NOT NULL, citations TEXT NOT NULL, abstained INTEGER NOT NULL, mode TEXT NOT NULL, ms REAL NOT NULL, created_at TEXT NOT NULL);
      CREATE TABLE votes (answer_id INTEGER NOT NULL REFERENCES answers(id), user_id TEXT NOT NULL, vote TEXT NOT NULL, voted_at TEXT NOT NULL, PRIMARY KEY (answer_id, user_id));
      CREATE TABLE updates (update_id INTEGER PRIMARY KEY, handled_at TEXT NOT NULL);
      CREATE TABLE chat_history (chat_id TEXT PRIMARY KEY, turns TEXT NOT NULL, updated_at TEXT NOT NULL);
      INSERT INTO updates VALUES (7, '2026-01-01T00:00:00Z');
      INSERT INTO answers (channel, chat_id, user_id, question, answer, citations, abstained, mode, ms, created_at) VALUES ('telegram', '1', '1', 'q', 'a', '[]', 0, 'extractive', 1, '2026-01-01');
      PRAGMA user_version = 1;`);
    old.close();
    const store = new SqliteFeedbackStore(file);
    expect(store.stats().questions).toBe(1); // nothing a user saved is lost
    expect(store.wasHandled(BOT_A, 7)).toBe(false);
    expect(store.markUpdate(BOT_A, 7)).toBe(true);
    store.close();
  });
});

describe("two bots on one DATA_DIR", () => {
  let knowledge: Knowledge;
  beforeAll(async () => {
    knowledge = { kb: await sharedKb(), engine: await testEngine(), reload: async () => {}, onReload: () => {} };
  });
  const cleanup: Array<() => unknown> = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  it("answers every update of the second bot although its update ids overlap the first's", async () => {
    const config = testConfig();
    const { logger, lines } = memoryLogger();
    const dbPath = join(config.DATA_DIR, "policybot.sqlite");
    const bots: RunningBot[] = [];
    const fakes = [];
    for (const token of ["111111:AAFirstBotTokenForTheTests00", "222222:AASecondBotTokenForTheTests0"]) {
      // Each fake is a separate bot whose update ids start at the same number.
      const fake = await startFakeTelegram({ token });
      cleanup.push(() => fake.close());
      const store = new SqliteFeedbackStore(dbPath);
      cleanup.push(() => store.close());
      const running = await startTelegram(fake.token, { config, logger, knowledge, store }, { apiRoot: fake.apiRoot, throttle: false });
      cleanup.push(() => running.stop());
      bots.push(running);
      fakes.push(fake);
    }
    expect(bots.map((b) => b.bot.botInfo.id)).toEqual([111111, 222222]);
    const commands = ["/start", "/help", "/task 5", "/about", "/targets", "/help"];
    // The first bot handles its updates before the second bot's arrive, so their records are there to collide with.
    const pushed: number[][] = [];
    for (const [i, fake] of fakes.entries()) {
      pushed.push(commands.map((text, n) => fake.pushUpdate(fake.userMessage({ chatId: 7000 + i * 100 + n, userId: 7000 + i * 100 + n, text })).update_id));
      for (const n of commands.keys()) await fake.waitForSent(1, 7000 + i * 100 + n);
    }
    expect(pushed[1]).toEqual(pushed[0]); // the same ids on both bots
    expect(lines.some((l) => l.includes("already handled before a restart"))).toBe(false);
  });
});
