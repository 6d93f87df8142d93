/**
 * The PostgreSQL schema as numbered migrations, recorded in `schema_migrations`. Entry i is version
 * i+1. Never edit one that shipped: append.
 */
import type pg from "pg";
import { DEADLINES_TABLE } from "../../quiz/deadlines.js";

/** Every migration, in order. */
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE answers (
     id BIGSERIAL PRIMARY KEY,
     channel TEXT NOT NULL,
     chat_id TEXT NOT NULL,
     user_id TEXT NOT NULL,
     question TEXT NOT NULL,
     answer TEXT NOT NULL,
     citations JSONB NOT NULL,
     abstained BOOLEAN NOT NULL,
     mode TEXT NOT NULL,
     ms DOUBLE PRECISION NOT NULL,
     created_at TIMESTAMPTZ NOT NULL DEFAULT now()
   );
   CREATE TABLE votes (
     answer_id BIGINT NOT NULL REFERENCES answers (id),
     user_id TEXT NOT NULL,
     vote TEXT NOT NULL CHECK (vote IN ('up', 'down')),
     voted_at TIMESTAMPTZ NOT NULL,
     PRIMARY KEY (answer_id, user_id)
   );
   CREATE TABLE handled_updates (
     bot_id BIGINT NOT NULL,
     update_id BIGINT NOT NULL,
     handled_at BIGINT NOT NULL,
     PRIMARY KEY (bot_id, update_id)
   );
   CREATE INDEX handled_updates_age ON handled_updates (handled_at);
   CREATE TABLE chat_history (chat_id TEXT PRIMARY KEY, turns JSONB NOT NULL, updated_at TIMESTAMPTZ NOT NULL);
   CREATE TABLE rate_buckets (key TEXT PRIMARY KEY, tokens DOUBLE PRECISION NOT NULL, at BIGINT NOT NULL, allowed BOOLEAN NOT NULL);
   CREATE TABLE attempts (
     id BIGSERIAL PRIMARY KEY,
     user_id TEXT NOT NULL,
     chat_id TEXT,
     question_id TEXT NOT NULL,
     target_key TEXT NOT NULL,
     type TEXT NOT NULL,
     correct BOOLEAN NOT NULL,
     answered_at BIGINT NOT NULL
   );
   CREATE INDEX attempts_user ON attempts (user_id, answered_at);
   CREATE INDEX attempts_chat ON attempts (chat_id, user_id);
   CREATE TABLE quiz_users (user_id TEXT PRIMARY KEY, display_name TEXT NOT NULL, updated_at BIGINT NOT NULL);
   CREATE TABLE cards (
     user_id TEXT NOT NULL,
     target_key TEXT NOT NULL,
     box INTEGER NOT NULL,
     due_at BIGINT NOT NULL,
     updated_at BIGINT NOT NULL,
     PRIMARY KEY (user_id, target_key)
   );
   CREATE TABLE rounds (
     id TEXT PRIMARY KEY,
     chat_id TEXT NOT NULL,
     started_by TEXT NOT NULL,
     questions JSONB NOT NULL,
     current_index INTEGER NOT NULL DEFAULT 0,
     state TEXT NOT NULL CHECK (state IN ('active', 'finished', 'stopped')),
     created_at BIGINT NOT NULL
   );
   CREATE UNIQUE INDEX rounds_one_active ON rounds (chat_id) WHERE state = 'active';
   CREATE TABLE round_answers (
     round_id TEXT NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
     question_index INTEGER NOT NULL,
     user_id TEXT NOT NULL,
     display_name TEXT NOT NULL,
     response TEXT NOT NULL,
     correct BOOLEAN NOT NULL,
     answered_at BIGINT NOT NULL,
     PRIMARY KEY (round_id, question_index, user_id)
   );
   CREATE TABLE issued (
     user_id TEXT NOT NULL,
     question_id TEXT NOT NULL,
     issued_at BIGINT NOT NULL,
     answered_at BIGINT,
     PRIMARY KEY (user_id, question_id)
   );
   CREATE INDEX issued_age ON issued (issued_at);
   CREATE TABLE chat_plan (chat_id TEXT PRIMARY KEY, doc TEXT NOT NULL, updated_at TIMESTAMPTZ NOT NULL);`,
  // Round deadlines owned by the database, claimed by any instance (quiz/deadlines.ts).
  DEADLINES_TABLE,
];

/** Any number, so that instances starting together migrate one at a time. */
const MIGRATION_LOCK = 7_400_114;

/**
 * Brings the database to the latest schema; safe to run from several instances at once (an advisory
 * lock lets one migrate while the others wait). Returns the versions it applied.
 */
export async function migrate(pool: pg.Pool): Promise<number[]> {
  const client = await pool.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
    await client.query("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())");
    const { rows } = await client.query<{ v: number | null }>("SELECT MAX(version) AS v FROM schema_migrations");
    const current = rows[0]?.v ?? 0;
    if (current > MIGRATIONS.length) {
      throw new Error(`postgres: the database is at schema version ${current}, newer than this policybot (${MIGRATIONS.length}); upgrade policybot`);
    }
    const applied: number[] = [];
    for (let v = current; v < MIGRATIONS.length; v++) {
      await client.query("BEGIN");
      try {
        await client.query(MIGRATIONS[v]!);
        await client.query("INSERT INTO schema_migrations (version) VALUES ($1)", [v + 1]);
        await client.query("COMMIT");
      } catch (err) {
        await client.query("ROLLBACK");
        throw err;
      }
      applied.push(v + 1);
    }
    return applied;
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
}
