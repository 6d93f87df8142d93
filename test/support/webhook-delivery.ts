/**
 * Delivers updates to a webhook as Telegram does: POST with the secret header, one update of a chat
 * at a time (the next only after the previous was answered 200), many chats at once up to
 * max_connections, and every non-200 answer or failed connection retried with a growing delay.
 */
import type { Update } from "grammy/types";

/** One update's delivery. */
export interface Delivery {
  update: Update;
  /** HTTP status of each attempt (0: the connection failed or timed out). */
  statuses: number[];
  ackedAt?: number;
}

/** Options of {@link deliverWebhook}. */
export interface DeliveryOptions {
  url: string;
  secret: string;
  /** One source per chat: each call gives the chat's next update, undefined when the chat is done. */
  chats: Array<() => Update | undefined>;
  /** Requests in flight at once (Telegram's max_connections, default 40). */
  maxConnections?: number;
  /** Per attempt (default 60 s, as Telegram waits). */
  timeoutMs?: number;
}

/** Delivers every chat's updates; resolves when all were acknowledged. */
export async function deliverWebhook(opts: DeliveryOptions): Promise<Delivery[]> {
  const deliveries: Delivery[] = [];
  let free = opts.maxConnections ?? 40;
  const waiting: Array<() => void> = [];
  const acquire = async () => {
    if (free > 0) return void free--;
    await new Promise<void>((r) => waiting.push(r));
  };
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else free++;
  };
  const post = async (update: Update): Promise<number> => {
    await acquire();
    try {
      const res = await fetch(opts.url, {
        method: "POST",
        headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": opts.secret },
        body: JSON.stringify(update),
        signal: AbortSignal.timeout(opts.timeoutMs ?? 60_000),
      });
      await res.arrayBuffer();
      return res.status;
    } catch {
      return 0;
    } finally {
      release();
    }
  };
  await Promise.all(
    opts.chats.map(async (next) => {
      for (let update = next(); update; update = next()) {
        const d: Delivery = { update, statuses: [] };
        deliveries.push(d);
        for (let attempt = 0; ; attempt++) {
          const status = await post(update);
          d.statuses.push(status);
          if (status === 200) break;
          await new Promise((r) => setTimeout(r, Math.min(2_000, 100 * 2 ** attempt)));
        }
        d.ackedAt = Date.now();
      }
    }),
  );
  return deliveries;
}
