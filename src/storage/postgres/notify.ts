import { randomBytes } from "node:crypto";
import pg from "pg";

const CHANNEL = "policybot_reindex";

/** Tells every other instance that the index was rebuilt, and hears when another one did. */
export interface ReloadBus {
  /** This instance rebuilt its index: the others should too. */
  announce(): Promise<void>;
  close(): Promise<void>;
}

/**
 * LISTEN/NOTIFY on one connection of its own. A lost connection is reopened (after a second), and
 * the instance then reloads once, since a notice may have been missed meanwhile.
 * @example const bus = await reloadBus(url, () => knowledge.reload({ announce: false }), logger);
 */
export async function reloadBus(url: string, onRemote: () => Promise<void>, log: { warn(o: object, m: string): void }): Promise<ReloadBus> {
  const me = randomBytes(6).toString("hex");
  let client: pg.Client | undefined;
  let closed = false;
  const hear = (msg: pg.Notification) => {
    if (msg.channel !== CHANNEL || msg.payload === me) return;
    void onRemote().catch((err) => log.warn({ err }, "postgres: reload after another instance's /reindex failed"));
  };
  const connect = async (missed: boolean): Promise<void> => {
    const c = new pg.Client({ connectionString: url, application_name: "policybot-listen" });
    c.on("notification", hear);
    c.on("error", () => {
      void c.end().catch(() => undefined);
      if (closed) return;
      setTimeout(() => void connect(true).catch(() => undefined), 1000).unref();
    });
    await c.connect();
    await c.query(`LISTEN ${CHANNEL}`);
    client = c;
    if (missed) hear({ channel: CHANNEL, payload: "", processId: 0 } as pg.Notification);
  };
  await connect(false);
  return {
    async announce() {
      await client?.query("SELECT pg_notify($1, $2)", [CHANNEL, me]);
    },
    async close() {
      closed = true;
      await client?.end().catch(() => undefined);
    },
  };
}
