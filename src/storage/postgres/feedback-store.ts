import type { Citation } from "../../answer/types.js";
import { type AnswerRecord, type FeedbackRow, type FeedbackStore, UPDATE_RETENTION_MS, type UsageStats } from "../../feedback/store.js";
import type { Queryable } from "./database.js";

/**
 * Records an update as handled; false when this bot handled it within Telegram's 24-hour window (an
 * older record is an id Telegram reissued, and counts as new).
 */
export async function markHandled(db: Queryable, botId: number, updateId: number, at: number): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO handled_updates (bot_id, update_id, handled_at) VALUES ($1, $2, $3)
     ON CONFLICT (bot_id, update_id) DO UPDATE SET handled_at = excluded.handled_at WHERE handled_updates.handled_at < $4`,
    [botId, updateId, at, at - UPDATE_RETENTION_MS],
  );
  return (rowCount ?? 0) > 0;
}

/**
 * Answers, votes, chat history and handled updates in PostgreSQL, shared by every instance.
 * @example const store = new PgFeedbackStore(db.pool);
 */
export class PgFeedbackStore implements FeedbackStore {
  constructor(private readonly db: Queryable) {}

  async recordAnswer(a: Omit<AnswerRecord, "id" | "createdAt">): Promise<number> {
    const { rows } = await this.db.query<{ id: string }>(
      "INSERT INTO answers (channel, chat_id, user_id, question, answer, citations, abstained, mode, ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
      [a.channel, a.chatId, a.userId, a.question, a.answer, JSON.stringify(a.citations), a.abstained, a.mode, a.ms],
    );
    return Number(rows[0]!.id);
  }

  async vote(answerId: number, userId: string, vote: "up" | "down"): Promise<boolean> {
    if (!Number.isSafeInteger(answerId) || answerId <= 0) return false;
    // One statement: the answer's existence and the upsert cannot be split by a concurrent delete.
    const { rowCount } = await this.db.query(
      `INSERT INTO votes (answer_id, user_id, vote, voted_at) SELECT id, $2, $3, now() FROM answers WHERE id = $1
       ON CONFLICT (answer_id, user_id) DO UPDATE SET vote = excluded.vote, voted_at = excluded.voted_at`,
      [answerId, userId, vote],
    );
    return (rowCount ?? 0) > 0;
  }

  async exportFeedback(): Promise<FeedbackRow[]> {
    const { rows } = await this.db.query(
      `SELECT v.answer_id, v.vote, v.user_id, v.voted_at, a.question, a.answer, a.citations, a.chat_id, a.channel
       FROM votes v JOIN answers a ON a.id = v.answer_id ORDER BY v.voted_at, v.answer_id`,
    );
    return rows.map((r) => ({
      answerId: Number(r.answer_id),
      vote: r.vote as "up" | "down",
      userId: String(r.user_id),
      votedAt: (r.voted_at as Date).toISOString(),
      question: String(r.question),
      answer: String(r.answer),
      citations: (r.citations as Citation[]).map((c) => c.label),
      chatId: String(r.chat_id),
      channel: String(r.channel),
    }));
  }

  async stats(): Promise<UsageStats> {
    const { rows } = await this.db.query(
      `SELECT (SELECT COUNT(*) FROM answers) AS questions, (SELECT COUNT(*) FROM answers WHERE abstained) AS abstentions,
              (SELECT COUNT(*) FROM votes WHERE vote = 'up') AS up, (SELECT COUNT(*) FROM votes WHERE vote = 'down') AS down,
              (SELECT COALESCE(percentile_disc(0.5) WITHIN GROUP (ORDER BY ms), 0) FROM (SELECT ms FROM answers ORDER BY id DESC LIMIT 5000) r) AS p50,
              (SELECT COALESCE(percentile_disc(0.95) WITHIN GROUP (ORDER BY ms), 0) FROM (SELECT ms FROM answers ORDER BY id DESC LIMIT 5000) r) AS p95`,
    );
    const r = rows[0]!;
    return { questions: Number(r.questions), abstentions: Number(r.abstentions), up: Number(r.up), down: Number(r.down), p50ms: Number(r.p50), p95ms: Number(r.p95) };
  }

  async markUpdate(botId: number, updateId: number, at = Date.now()): Promise<boolean> {
    return markHandled(this.db, botId, updateId, at);
  }

  async wasHandled(botId: number, updateId: number, at = Date.now()): Promise<boolean> {
    const { rowCount } = await this.db.query("SELECT 1 FROM handled_updates WHERE bot_id = $1 AND update_id = $2 AND handled_at >= $3", [botId, updateId, at - UPDATE_RETENTION_MS]);
    return (rowCount ?? 0) > 0;
  }

  async history(chatId: string): Promise<Array<{ q: string; a?: string }>> {
    const { rows } = await this.db.query<{ turns: Array<{ q: string; a?: string }> }>("SELECT turns FROM chat_history WHERE chat_id = $1", [chatId]);
    return rows[0]?.turns ?? [];
  }

  async saveHistory(chatId: string, turns: Array<{ q: string; a?: string }>): Promise<void> {
    await this.db.query(
      "INSERT INTO chat_history (chat_id, turns, updated_at) VALUES ($1, $2, now()) ON CONFLICT (chat_id) DO UPDATE SET turns = excluded.turns, updated_at = excluded.updated_at",
      [chatId, JSON.stringify(turns)],
    );
  }

  async chatPlan(chatId: string): Promise<string | undefined> {
    const { rows } = await this.db.query<{ doc: string }>("SELECT doc FROM chat_plan WHERE chat_id = $1", [chatId]);
    return rows[0]?.doc;
  }

  async setChatPlan(chatId: string, doc: string | undefined): Promise<void> {
    if (doc === undefined) await this.db.query("DELETE FROM chat_plan WHERE chat_id = $1", [chatId]);
    else await this.db.query("INSERT INTO chat_plan (chat_id, doc, updated_at) VALUES ($1, $2, now()) ON CONFLICT (chat_id) DO UPDATE SET doc = excluded.doc, updated_at = excluded.updated_at", [chatId, doc]);
  }

  /** The pool belongs to whoever opened it (openPostgres); closing a store leaves it open. */
  close(): void {}
}
