import { UPDATE_RETENTION_MS } from "../../feedback/store.js";
import type { UpdateGate, UpdateKey } from "../gate.js";
import { type Postgres, withClient } from "./database.js";
import { markHandled } from "./feedback-store.js";

/**
 * Runs each update once across every instance, and one chat's updates one at a time.
 *
 * An update is handled inside one transaction that holds the chat's advisory lock and the update's
 * row in `handled_updates`, and commits after the handler finished. A redelivery that reaches
 * another instance meanwhile waits on the lock (or on the row), then sees the committed row and is
 * skipped. An instance that dies mid-update loses its connection, so PostgreSQL rolls the
 * transaction back and frees the lock: Telegram's retry is then handled afresh by another instance.
 * The stores' writes made while handling (answers, votes, quiz rounds, chat history) are in the
 * same transaction, so a retried update never finds half of its effects already applied.
 * @example const gate = new PgUpdateGate(db, botId); await gate.run({ updateId, chatKey }, handle);
 */
export class PgUpdateGate implements UpdateGate {
  private runs = 0;
  constructor(private readonly db: Postgres, private readonly botId: number) {}

  async run(key: UpdateKey, handle: () => Promise<void>): Promise<boolean> {
    if (++this.runs % 1000 === 0) void this.prune().catch(() => undefined);
    const client = await this.db.lockPool.connect();
    try {
      await client.query("BEGIN");
      if (key.chatKey !== undefined) await client.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [`policybot:${this.botId}:chat:${key.chatKey}`]);
      if (!(await markHandled(client, this.botId, key.updateId, Date.now()))) {
        await client.query("COMMIT");
        return false;
      }
      // What the handler writes through the stores joins this transaction (see withClient).
      await withClient(client, handle);
      await client.query("COMMIT");
      return true;
    } catch (err) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  /** Forgets handled updates older than Telegram's redelivery window. */
  async prune(now = Date.now()): Promise<number> {
    const { rowCount } = await this.db.pool.query("DELETE FROM handled_updates WHERE handled_at < $1", [now - UPDATE_RETENTION_MS]);
    return rowCount ?? 0;
  }
}
