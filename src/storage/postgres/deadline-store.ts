import { type Deadline, type DeadlineStore, newToken, toDeadline } from "../../quiz/deadlines.js";
import type { Queryable } from "./database.js";

type Row = Record<string, unknown>;

/**
 * Round deadlines in PostgreSQL, shared by every instance. A claim is a compare-and-set on the row;
 * the sweep takes due rows with FOR UPDATE SKIP LOCKED, so instances sweeping at once never wait on
 * or take each other's rows.
 * @example const deadlines = new PgDeadlineStore(ambientQueryable(db.pool));
 */
export class PgDeadlineStore implements DeadlineStore {
  /** Queries join the transaction of the update being handled, when there is one (see ambientQueryable). */
  constructor(private readonly db: Queryable) {}

  async put(d: Omit<Deadline, "token">, token?: string): Promise<boolean> {
    const data = JSON.stringify(d.data);
    if (token === undefined) {
      await this.db.query(
        `INSERT INTO deadlines (key, kind, due_at, data, token, claimed_until) VALUES ($1, $2, $3, $4, NULL, NULL)
         ON CONFLICT (key) DO UPDATE SET kind = excluded.kind, due_at = excluded.due_at, data = excluded.data, token = NULL, claimed_until = NULL`,
        [d.key, d.kind, d.dueAt, data],
      );
      return true;
    }
    const { rowCount } = await this.db.query("UPDATE deadlines SET kind = $1, due_at = $2, data = $3, token = NULL, claimed_until = NULL WHERE key = $4 AND token = $5", [d.kind, d.dueAt, data, d.key, token]);
    return rowCount === 1;
  }
  async get(key: string): Promise<Deadline | undefined> {
    const r = (await this.db.query("SELECT * FROM deadlines WHERE key = $1", [key])).rows[0] as Row | undefined;
    return r && toDeadline(r);
  }
  async remove(key: string, token?: string): Promise<boolean> {
    const { rowCount } = await this.db.query("DELETE FROM deadlines WHERE key = $1 AND ($2::text IS NULL OR token = $2)", [key, token ?? null]);
    return rowCount === 1;
  }
  async take(key: string): Promise<Deadline | undefined> {
    const r = (await this.db.query("DELETE FROM deadlines WHERE key = $1 RETURNING *", [key])).rows[0] as Row | undefined;
    return r && toDeadline(r);
  }
  async claim(key: string, now: number, leaseMs: number): Promise<Deadline | undefined> {
    const r = (await this.db.query("UPDATE deadlines SET token = $1, claimed_until = $2 WHERE key = $3 AND (claimed_until IS NULL OR claimed_until <= $4) RETURNING *", [newToken(), now + leaseMs, key, now])).rows[0] as Row | undefined;
    return r && toDeadline(r);
  }
  async claimDue(kinds: readonly string[], now: number, leaseMs: number, limit: number): Promise<Deadline[]> {
    const { rows } = await this.db.query(
      `UPDATE deadlines d SET token = $1, claimed_until = $2
       FROM (SELECT key FROM deadlines WHERE kind = ANY($3::text[]) AND due_at <= $4 AND (claimed_until IS NULL OR claimed_until <= $4)
             ORDER BY due_at LIMIT $5 FOR UPDATE SKIP LOCKED) due
       WHERE d.key = due.key RETURNING d.*`,
      [newToken(), now + leaseMs, [...kinds], now, limit],
    );
    return (rows as Row[]).map(toDeadline).sort((a, b) => a.dueAt - b.dueAt);
  }
  /** The pool belongs to whoever opened it. */
  close(): void {}
}
