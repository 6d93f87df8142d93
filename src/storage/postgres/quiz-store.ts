import type pg from "pg";
import { type Attempt, type Card, ISSUED_TTL_MS, type QuizStore, type Round, type RoundAnswer, type Standing } from "../../quiz/store.js";
import type { QuestionType, QuizQuestion } from "../../quiz/types.js";
import { currentClient, type Queryable } from "./database.js";

type Row = Record<string, unknown>;
const toAttempt = (r: Row): Attempt => ({ userId: String(r.user_id), chatId: (r.chat_id as string | null) ?? null, questionId: String(r.question_id), targetKey: String(r.target_key), type: r.type as QuestionType, correct: r.correct === true, answeredAt: Number(r.answered_at) });
const toCard = (r: Row): Card => ({ userId: String(r.user_id), targetKey: String(r.target_key), box: Number(r.box), dueAt: Number(r.due_at), updatedAt: Number(r.updated_at) });
const toRound = (r: Row): Round => ({ id: String(r.id), chatId: String(r.chat_id), startedBy: String(r.started_by), questions: r.questions as QuizQuestion[], currentIndex: Number(r.current_index), state: r.state as Round["state"], createdAt: Number(r.created_at) });
const toAnswer = (r: Row): RoundAnswer => ({ roundId: String(r.round_id), questionIndex: Number(r.question_index), userId: String(r.user_id), displayName: String(r.display_name), response: String(r.response), correct: r.correct === true, answeredAt: Number(r.answered_at) });
const toStanding = (r: Row): Standing => ({ userId: String(r.user_id), ...(r.display_name != null ? { displayName: String(r.display_name) } : {}), answered: Number(r.answered), correct: Number(r.correct) });

/**
 * The quiz in PostgreSQL: every instance sees the same attempts, cards and group rounds, so a round
 * started on one instance is answered and moved on by any other.
 * @example const store = new PgQuizStore(db.pool);
 */
export class PgQuizStore implements QuizStore {
  /** `db` is the pool, or (inside {@link transaction}) the one client the transaction runs on. */
  constructor(private readonly db: Queryable, private readonly pool?: pg.Pool) {}

  private async one(sql: string, params: unknown[]): Promise<Row | undefined> {
    return (await this.db.query(sql, params)).rows[0] as Row | undefined;
  }
  private async all(sql: string, params: unknown[]): Promise<Row[]> {
    return (await this.db.query(sql, params)).rows as Row[];
  }

  async transaction<T>(fn: (tx: QuizStore) => Promise<T>): Promise<T> {
    if (!this.pool) return fn(this); // already inside one
    const update = currentClient();
    if (update) {
      // Inside an update's transaction: a savepoint, so that a failed answer undoes only itself.
      await update.query("SAVEPOINT quiz");
      try {
        const result = await fn(new PgQuizStore(update));
        await update.query("RELEASE SAVEPOINT quiz");
        return result;
      } catch (err) {
        await update.query("ROLLBACK TO SAVEPOINT quiz").catch(() => undefined);
        throw err;
      }
    }
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      const result = await fn(new PgQuizStore(client));
      await client.query("COMMIT");
      return result;
    } catch (err) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }
  async recordAttempt(a: Attempt): Promise<void> {
    await this.db.query("INSERT INTO attempts (user_id, chat_id, question_id, target_key, type, correct, answered_at) VALUES ($1, $2, $3, $4, $5, $6, $7)", [a.userId, a.chatId ?? null, a.questionId, a.targetKey, a.type, a.correct, a.answeredAt]);
  }
  async lastAttempt(userId: string): Promise<Attempt | undefined> {
    const r = await this.one("SELECT * FROM attempts WHERE user_id = $1 ORDER BY answered_at DESC, id DESC LIMIT 1", [userId]);
    return r && toAttempt(r);
  }
  async score(userId: string) {
    const r = (await this.one("SELECT COUNT(*) AS answered, COUNT(*) FILTER (WHERE correct) AS correct FROM attempts WHERE user_id = $1", [userId]))!;
    return { answered: Number(r.answered), correct: Number(r.correct) };
  }
  async leaderboard(chatId: string | undefined, limit: number): Promise<Standing[]> {
    const rows = await this.all(
      `SELECT a.user_id, MAX(u.display_name) AS display_name, COUNT(*) AS answered, COUNT(*) FILTER (WHERE a.correct) AS correct
       FROM attempts a LEFT JOIN quiz_users u USING (user_id) WHERE ($1::text IS NULL OR a.chat_id = $1)
       GROUP BY a.user_id ORDER BY correct DESC, answered ASC, MIN(a.answered_at) ASC LIMIT $2`,
      [chatId ?? null, limit],
    );
    return rows.map(toStanding);
  }
  async setDisplayName(userId: string, name: string, at: number): Promise<void> {
    await this.db.query("INSERT INTO quiz_users (user_id, display_name, updated_at) VALUES ($1, $2, $3) ON CONFLICT (user_id) DO UPDATE SET display_name = excluded.display_name, updated_at = excluded.updated_at", [userId, name, at]);
  }
  async getCard(userId: string, targetKey: string): Promise<Card | undefined> {
    const r = await this.one("SELECT * FROM cards WHERE user_id = $1 AND target_key = $2", [userId, targetKey]);
    return r && toCard(r);
  }
  async putCard(c: Card): Promise<void> {
    await this.db.query("INSERT INTO cards (user_id, target_key, box, due_at, updated_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (user_id, target_key) DO UPDATE SET box = excluded.box, due_at = excluded.due_at, updated_at = excluded.updated_at", [c.userId, c.targetKey, c.box, c.dueAt, c.updatedAt]);
  }
  async cards(userId: string): Promise<Card[]> {
    return (await this.all("SELECT * FROM cards WHERE user_id = $1 ORDER BY due_at ASC, box ASC", [userId])).map(toCard);
  }
  async createRound(r: Round): Promise<void> {
    await this.db.query("INSERT INTO rounds (id, chat_id, started_by, questions, current_index, state, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)", [r.id, r.chatId, r.startedBy, JSON.stringify(r.questions), r.currentIndex, r.state, r.createdAt]);
  }
  async getRound(roundId: string): Promise<Round | undefined> {
    const r = await this.one("SELECT * FROM rounds WHERE id = $1", [roundId]);
    return r && toRound(r);
  }
  async activeRound(chatId: string): Promise<Round | undefined> {
    const r = await this.one("SELECT * FROM rounds WHERE chat_id = $1 AND state = 'active'", [chatId]);
    return r && toRound(r);
  }
  async updateRound(roundId: string, patch: Partial<Pick<Round, "currentIndex" | "state">>, fromIndex?: number): Promise<boolean> {
    const { rowCount } = await this.db.query(
      "UPDATE rounds SET current_index = COALESCE($1, current_index), state = COALESCE($2, state) WHERE id = $3 AND ($4::int IS NULL OR (state = 'active' AND current_index = $4))",
      [patch.currentIndex ?? null, patch.state ?? null, roundId, fromIndex ?? null],
    );
    return (rowCount ?? 0) > 0;
  }
  async addRoundAnswer(a: RoundAnswer): Promise<boolean> {
    const { rowCount } = await this.db.query(
      "INSERT INTO round_answers (round_id, question_index, user_id, display_name, response, correct, answered_at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
      [a.roundId, a.questionIndex, a.userId, a.displayName, a.response, a.correct, a.answeredAt],
    );
    return rowCount === 1;
  }
  async roundAnswer(roundId: string, questionIndex: number, userId: string): Promise<RoundAnswer | undefined> {
    const r = await this.one("SELECT * FROM round_answers WHERE round_id = $1 AND question_index = $2 AND user_id = $3", [roundId, questionIndex, userId]);
    return r && toAnswer(r);
  }
  async roundStandings(roundId: string): Promise<Standing[]> {
    const rows = await this.all(
      `SELECT user_id, MAX(display_name) AS display_name, COUNT(*) AS answered, COUNT(*) FILTER (WHERE correct) AS correct FROM round_answers
       WHERE round_id = $1 GROUP BY user_id ORDER BY correct DESC, SUM(CASE WHEN correct THEN answered_at ELSE 0 END) ASC, user_id ASC`,
      [roundId],
    );
    return rows.map(toStanding);
  }
  private issuedSincePrune = 0;
  async issueQuestion(userId: string, questionId: string, at: number): Promise<void> {
    await this.db.query(
      "INSERT INTO issued (user_id, question_id, issued_at, answered_at) VALUES ($1, $2, $3, NULL) ON CONFLICT (user_id, question_id) DO UPDATE SET issued_at = excluded.issued_at, answered_at = NULL",
      [userId, questionId, at],
    );
    if (++this.issuedSincePrune >= 1000) {
      this.issuedSincePrune = 0;
      await this.db.query("DELETE FROM issued WHERE issued_at < $1", [at - ISSUED_TTL_MS]);
    }
  }
  async claimQuestion(userId: string, questionId: string, at: number): Promise<"ok" | "answered" | "not-issued"> {
    const claimed = await this.db.query("UPDATE issued SET answered_at = $1 WHERE user_id = $2 AND question_id = $3 AND answered_at IS NULL AND issued_at >= $4", [at, userId, questionId, at - ISSUED_TTL_MS]);
    if (claimed.rowCount === 1) return "ok";
    return (await this.one("SELECT 1 FROM issued WHERE user_id = $1 AND question_id = $2 AND issued_at >= $3", [userId, questionId, at - ISSUED_TTL_MS])) ? "answered" : "not-issued";
  }
  async openQuestion(userId: string, since: number): Promise<string | undefined> {
    const row = await this.one("SELECT question_id FROM issued WHERE user_id = $1 AND answered_at IS NULL AND issued_at >= $2 ORDER BY issued_at DESC LIMIT 1", [userId, since]);
    return row ? String((row as { question_id: unknown }).question_id) : undefined;
  }
  /** The pool belongs to whoever opened it. */
  close(): void {}
}
