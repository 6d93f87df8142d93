import type Database from "better-sqlite3";
import type { Citation } from "../answer/types.js";
import type { Awaitable } from "../storage/awaitable.js";
import { openSqlite } from "../storage/sqlite.js";

/** An answer that was shown to someone, kept so that votes and statistics refer to it. */
export interface AnswerRecord {
  id: number;
  channel: string;
  chatId: string;
  userId: string;
  question: string;
  answer: string;
  citations: Citation[];
  abstained: boolean;
  mode: string;
  ms: number;
  createdAt: string;
}

/** A vote on an answer, exported by `policybot feedback`. */
export interface FeedbackRow {
  answerId: number;
  vote: "up" | "down";
  userId: string;
  votedAt: string;
  question: string;
  answer: string;
  citations: string[];
  chatId: string;
  channel: string;
}

/** Usage figures for /stats. */
export interface UsageStats {
  questions: number;
  abstentions: number;
  up: number;
  down: number;
  p50ms: number;
  p95ms: number;
}

/**
 * Telegram updates already handled, per bot: a redelivery after a restart is skipped. Update ids
 * are per bot, and Telegram reissues them (it keeps updates 24 hours, and after a week without
 * updates the next id is random), so only an id this bot handled within {@link UPDATE_RETENTION_MS} counts.
 */
export interface HandledUpdates {
  /** Marks an update handled; false when this bot handled it within the retention window. Older records are pruned. */
  markUpdate(botId: number, updateId: number, at?: number): Awaitable<boolean>;
  wasHandled(botId: number, updateId: number, at?: number): Awaitable<boolean>;
}

/** The recent turns of each chat, for follow-up questions. */
export interface ChatHistory {
  history(chatId: string): Awaitable<Array<{ q: string; a?: string }>>;
  saveHistory(chatId: string, turns: Array<{ q: string; a?: string }>): Awaitable<void>;
}

/** The plan each chat keeps to (Telegram's /use). */
export interface ChatPlans {
  /** The plan a chat chose with /use (a document id), if any. */
  chatPlan(chatId: string): Awaitable<string | undefined>;
  /** Remembers a chat's plan; undefined forgets it (all plans again). */
  setChatPlan(chatId: string, doc: string | undefined): Awaitable<void>;
}

/**
 * Where answers, votes and per-chat state are kept: SQLite by default ({@link SqliteFeedbackStore}),
 * PostgreSQL when DATABASE_URL is set (src/storage/postgres). Callers always await.
 */
export interface FeedbackStore extends HandledUpdates, ChatHistory, ChatPlans {
  recordAnswer(a: Omit<AnswerRecord, "id" | "createdAt">): Awaitable<number>;
  /** Stores a vote; a second vote by the same user on the same answer replaces the first. Returns false for an unknown answer. */
  vote(answerId: number, userId: string, vote: "up" | "down"): Awaitable<boolean>;
  exportFeedback(): Awaitable<FeedbackRow[]>;
  stats(): Awaitable<UsageStats>;
  close(): Awaitable<void>;
}

/** How long Telegram keeps an undelivered update, so how long a handled update id means anything. */
export const UPDATE_RETENTION_MS = 24 * 3_600_000;

/** Schema migrations; entry i brings user_version from i to i+1. Never edit one that shipped: append. */
const MIGRATIONS = [
  `CREATE TABLE IF NOT EXISTS answers (
     id INTEGER PRIMARY KEY AUTOINCREMENT, channel TEXT NOT NULL, chat_id TEXT NOT NULL, user_id TEXT NOT NULL,
     question TEXT NOT NULL, answer TEXT NOT NULL, citations TEXT NOT NULL, abstained INTEGER NOT NULL,
     mode TEXT NOT NULL, ms REAL NOT NULL, created_at TEXT NOT NULL);
   CREATE TABLE IF NOT EXISTS votes (
     answer_id INTEGER NOT NULL REFERENCES answers(id), user_id TEXT NOT NULL, vote TEXT NOT NULL CHECK (vote IN ('up','down')),
     voted_at TEXT NOT NULL, PRIMARY KEY (answer_id, user_id));
   CREATE TABLE IF NOT EXISTS updates (update_id INTEGER PRIMARY KEY, handled_at TEXT NOT NULL);
   CREATE TABLE IF NOT EXISTS chat_history (chat_id TEXT PRIMARY KEY, turns TEXT NOT NULL, updated_at TEXT NOT NULL);`,
  // Handled updates per bot with an age (the old table had neither: another bot's ids were skipped forever).
  `DROP TABLE updates;
   CREATE TABLE handled_updates (
     bot_id INTEGER NOT NULL, update_id INTEGER NOT NULL, handled_at INTEGER NOT NULL,
     PRIMARY KEY (bot_id, update_id)) WITHOUT ROWID;
   CREATE INDEX handled_updates_age ON handled_updates (handled_at);`,
  // The plan a chat keeps to (/use), once several plans are loaded.
  `CREATE TABLE chat_plan (chat_id TEXT PRIMARY KEY, doc TEXT NOT NULL, updated_at TEXT NOT NULL);`,
];

/** The schema version this policybot writes (a restore refuses a newer one). */
export const FEEDBACK_SCHEMA_VERSION = MIGRATIONS.length;

/** Pruning runs at most this often (a DELETE per update would be wasted work). */
const PRUNE_EVERY_MS = 600_000;

/**
 * SQLite storage (better-sqlite3, WAL): a stored vote survives a crash or kill of the process.
 * @example const store = new SqliteFeedbackStore("data/policybot.sqlite");
 */
export class SqliteFeedbackStore implements FeedbackStore {
  /** The connection (backups and tests use it). */
  readonly db: Database.Database;
  private readonly stmts;
  private lastPrune = 0;

  /** Throws StorageError when the file is not a usable database (see openSqlite). */
  constructor(path: string) {
    // In WAL mode NORMAL survives a crash of the process (only power loss can drop the last commits), at a fraction of FULL's fsyncs.
    this.db = openSqlite(path, { part: "feedback", synchronous: "NORMAL", migrations: MIGRATIONS });
    this.stmts = {
      insertAnswer: this.db.prepare(
        "INSERT INTO answers (channel, chat_id, user_id, question, answer, citations, abstained, mode, ms, created_at) VALUES (@channel, @chatId, @userId, @question, @answer, @citations, @abstained, @mode, @ms, @createdAt)",
      ),
      answerExists: this.db.prepare("SELECT 1 FROM answers WHERE id = ?"),
      upsertVote: this.db.prepare(
        "INSERT INTO votes (answer_id, user_id, vote, voted_at) VALUES (?, ?, ?, ?) ON CONFLICT(answer_id, user_id) DO UPDATE SET vote = excluded.vote, voted_at = excluded.voted_at",
      ),
      exportRows: this.db.prepare(
        "SELECT v.answer_id, v.vote, v.user_id, v.voted_at, a.question, a.answer, a.citations, a.chat_id, a.channel FROM votes v JOIN answers a ON a.id = v.answer_id ORDER BY v.voted_at, v.answer_id",
      ),
      counts: this.db.prepare(
        "SELECT (SELECT COUNT(*) FROM answers) AS questions, (SELECT COUNT(*) FROM answers WHERE abstained = 1) AS abstentions, (SELECT COUNT(*) FROM votes WHERE vote = 'up') AS up, (SELECT COUNT(*) FROM votes WHERE vote = 'down') AS down",
      ),
      latencies: this.db.prepare("SELECT ms FROM answers ORDER BY id DESC LIMIT 5000"),
      // A record older than the retention window is stale: marking the id again refreshes it and counts as new.
      markUpdate: this.db.prepare(
        "INSERT INTO handled_updates (bot_id, update_id, handled_at) VALUES (@bot, @update, @at) ON CONFLICT (bot_id, update_id) DO UPDATE SET handled_at = excluded.handled_at WHERE handled_at < @stale",
      ),
      hasUpdate: this.db.prepare("SELECT 1 FROM handled_updates WHERE bot_id = ? AND update_id = ? AND handled_at >= ?"),
      pruneUpdates: this.db.prepare("DELETE FROM handled_updates WHERE handled_at < ?"),
      getHistory: this.db.prepare("SELECT turns FROM chat_history WHERE chat_id = ?"),
      putHistory: this.db.prepare(
        "INSERT INTO chat_history (chat_id, turns, updated_at) VALUES (?, ?, ?) ON CONFLICT(chat_id) DO UPDATE SET turns = excluded.turns, updated_at = excluded.updated_at",
      ),
    };
  }

  recordAnswer(a: Omit<AnswerRecord, "id" | "createdAt">): number {
    const info = this.stmts.insertAnswer.run({ ...a, citations: JSON.stringify(a.citations), abstained: a.abstained ? 1 : 0, createdAt: new Date().toISOString() });
    return Number(info.lastInsertRowid);
  }

  vote(answerId: number, userId: string, vote: "up" | "down"): boolean {
    if (!this.stmts.answerExists.get(answerId)) return false;
    this.stmts.upsertVote.run(answerId, userId, vote, new Date().toISOString());
    return true;
  }

  exportFeedback(): FeedbackRow[] {
    return (this.stmts.exportRows.all() as Array<Record<string, string | number>>).map((r) => ({
      answerId: Number(r.answer_id),
      vote: r.vote as "up" | "down",
      userId: String(r.user_id),
      votedAt: String(r.voted_at),
      question: String(r.question),
      answer: String(r.answer),
      citations: (JSON.parse(String(r.citations)) as Citation[]).map((c) => c.label),
      chatId: String(r.chat_id),
      channel: String(r.channel),
    }));
  }

  stats(): UsageStats {
    const c = this.stmts.counts.get() as { questions: number; abstentions: number; up: number; down: number };
    const ms = (this.stmts.latencies.all() as Array<{ ms: number }>).map((r) => r.ms).sort((a, b) => a - b);
    const pct = (p: number) => (ms.length ? ms[Math.min(ms.length - 1, Math.floor(p * ms.length))]! : 0);
    return { ...c, p50ms: pct(0.5), p95ms: pct(0.95) };
  }

  markUpdate(botId: number, updateId: number, at = Date.now()): boolean {
    const stale = at - UPDATE_RETENTION_MS;
    const changed = this.stmts.markUpdate.run({ bot: botId, update: updateId, at, stale }).changes > 0;
    if (at - this.lastPrune >= PRUNE_EVERY_MS) {
      this.lastPrune = at;
      this.stmts.pruneUpdates.run(stale);
    }
    return changed;
  }

  wasHandled(botId: number, updateId: number, at = Date.now()): boolean {
    return Boolean(this.stmts.hasUpdate.get(botId, updateId, at - UPDATE_RETENTION_MS));
  }

  history(chatId: string): Array<{ q: string; a?: string }> {
    const row = this.stmts.getHistory.get(chatId) as { turns: string } | undefined;
    return row ? (JSON.parse(row.turns) as Array<{ q: string; a?: string }>) : [];
  }

  saveHistory(chatId: string, turns: Array<{ q: string; a?: string }>): void {
    this.stmts.putHistory.run(chatId, JSON.stringify(turns), new Date().toISOString());
  }

  chatPlan(chatId: string): string | undefined {
    const row = this.db.prepare("SELECT doc FROM chat_plan WHERE chat_id = ?").get(chatId) as { doc: string } | undefined;
    return row?.doc;
  }

  setChatPlan(chatId: string, doc: string | undefined): void {
    if (doc === undefined) this.db.prepare("DELETE FROM chat_plan WHERE chat_id = ?").run(chatId);
    else this.db.prepare("INSERT INTO chat_plan (chat_id, doc, updated_at) VALUES (?, ?, ?) ON CONFLICT(chat_id) DO UPDATE SET doc = excluded.doc, updated_at = excluded.updated_at").run(chatId, doc, new Date().toISOString());
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
