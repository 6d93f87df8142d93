/**
 * Copies a SQLite data folder (policybot.sqlite, quiz.sqlite) into PostgreSQL, keeping ids so that
 * vote buttons already sent still name their answers. Rows already copied are skipped, so a second
 * run after new activity copies only what is new.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import type pg from "pg";
import { UPDATE_RETENTION_MS } from "../../feedback/store.js";

/** Rows copied per table (tables missing from the SQLite files are absent). */
export type CopyReport = Record<string, { read: number; copied: number }>;

type Row = Record<string, unknown>;
type Copy = { table: string; from: string; to: string; columns: string[]; conflict: string; map: (r: Row) => unknown[] };

const bool = (v: unknown) => v === 1 || v === true;
const json = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));


const copies = (botId: number, now: number): Record<string, Copy[]> => ({
  "policybot.sqlite": [
    { table: "answers", from: "SELECT * FROM answers ORDER BY id", to: "answers", columns: ["id", "channel", "chat_id", "user_id", "question", "answer", "citations", "abstained", "mode", "ms", "created_at"], conflict: "(id)",
      map: (r) => [r.id, r.channel, r.chat_id, r.user_id, r.question, r.answer, json(r.citations), bool(r.abstained), r.mode, r.ms, r.created_at] },
    { table: "votes", from: "SELECT * FROM votes", to: "votes", columns: ["answer_id", "user_id", "vote", "voted_at"], conflict: "(answer_id, user_id)",
      map: (r) => [r.answer_id, r.user_id, r.vote, r.voted_at] },
    { table: "chat_plan", from: "SELECT * FROM chat_plan", to: "chat_plan", columns: ["chat_id", "doc", "updated_at"], conflict: "(chat_id)",
      map: (r) => [r.chat_id, r.doc, r.updated_at] },
    { table: "chat_history", from: "SELECT * FROM chat_history", to: "chat_history", columns: ["chat_id", "turns", "updated_at"], conflict: "(chat_id)",
      map: (r) => [r.chat_id, json(r.turns), r.updated_at] },
    { table: "handled_updates", from: "SELECT * FROM handled_updates", to: "handled_updates", columns: ["bot_id", "update_id", "handled_at"], conflict: "(bot_id, update_id)",
      map: (r) => (Number(r.handled_at) >= now - UPDATE_RETENTION_MS ? [r.bot_id, r.update_id, r.handled_at] : undefined) as unknown[] },
    // Files from before per-bot records: their updates belong to the configured bot.
    { table: "updates", from: "SELECT * FROM updates", to: "handled_updates", columns: ["bot_id", "update_id", "handled_at"], conflict: "(bot_id, update_id)",
      map: (r) => (Date.parse(String(r.handled_at)) >= now - UPDATE_RETENTION_MS ? [botId, r.update_id, Date.parse(String(r.handled_at))] : undefined) as unknown[] },
  ],
  "quiz.sqlite": [
    { table: "attempts", from: "SELECT * FROM attempts ORDER BY id", to: "attempts", columns: ["id", "user_id", "chat_id", "question_id", "target_key", "type", "correct", "answered_at"], conflict: "(id)",
      map: (r) => [r.id, r.user_id, r.chat_id, r.question_id, r.target_key, r.type, bool(r.correct), r.answered_at] },
    { table: "users", from: "SELECT * FROM users", to: "quiz_users", columns: ["user_id", "display_name", "updated_at"], conflict: "(user_id)",
      map: (r) => [r.user_id, r.display_name, r.updated_at] },
    { table: "cards", from: "SELECT * FROM cards", to: "cards", columns: ["user_id", "target_key", "box", "due_at", "updated_at"], conflict: "(user_id, target_key)",
      map: (r) => [r.user_id, r.target_key, r.box, r.due_at, r.updated_at] },
    { table: "rounds", from: "SELECT * FROM rounds", to: "rounds", columns: ["id", "chat_id", "started_by", "questions", "current_index", "state", "created_at"], conflict: "",
      map: (r) => [r.id, r.chat_id, r.started_by, json(r.questions), r.current_index, r.state, r.created_at] },
    { table: "round_answers", from: "SELECT * FROM round_answers", to: "round_answers", columns: ["round_id", "question_index", "user_id", "display_name", "response", "correct", "answered_at"], conflict: "(round_id, question_index, user_id)",
      map: (r) => [r.round_id, r.question_index, r.user_id, r.display_name, r.response, bool(r.correct), r.answered_at] },
  ],
});

/**
 * Copies every table in one PostgreSQL transaction: all of it lands, or none.
 * @example const report = await copySqliteToPostgres("data", db.pool, { botId });
 */
export async function copySqliteToPostgres(dataDir: string, pool: pg.Pool, opts: { botId?: number; now?: number } = {}): Promise<CopyReport> {
  const report: CopyReport = {};
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    for (const [file, tables] of Object.entries(copies(opts.botId ?? 0, opts.now ?? Date.now()))) {
      const path = join(dataDir, file);
      if (!existsSync(path)) continue;
      const src = new Database(path, { readonly: true, fileMustExist: true });
      try {
        for (const c of tables) {
          const exists = src.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(c.table);
          if (!exists) continue;
          const rows = src.prepare(c.from).all() as Row[];
          let copied = 0;
          const values = rows.map(c.map).filter(Boolean);
          // Rounds: one active round per chat is a partial unique index, so skip on any conflict.
          const onConflict = c.conflict ? `ON CONFLICT ${c.conflict} DO NOTHING` : "ON CONFLICT DO NOTHING";
          for (let i = 0; i < values.length; i += 500) {
            const batch = values.slice(i, i + 500);
            const params: unknown[] = [];
            const tuples = batch.map((v) => `(${v.map((x) => (params.push(x), `$${params.length}`)).join(", ")})`);
            const res = await client.query(`INSERT INTO ${c.to} (${c.columns.join(", ")}) VALUES ${tuples.join(", ")} ${onConflict}`, params);
            copied += res.rowCount ?? 0;
          }
          report[c.to] = { read: rows.length, copied };
        }
      } finally {
        src.close();
      }
    }
    // Ids were copied as they were: new rows must be numbered after them.
    for (const table of ["answers", "attempts"]) {
      await client.query(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), GREATEST((SELECT MAX(id) FROM ${table}), 1), (SELECT MAX(id) FROM ${table}) IS NOT NULL)`);
    }
    await client.query("COMMIT");
    return report;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
