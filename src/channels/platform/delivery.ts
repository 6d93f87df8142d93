import { createHash } from "node:crypto";
import type { HandledUpdates } from "../../feedback/store.js";
import { SeenIds } from "./http.js";

/** Remembers delivery ids so that a platform's retried callback is answered once. */
export interface DeliveryMemory {
  /** True the first time a delivery id is offered, false for a duplicate (here or on another instance). */
  first(deliveryId: string): Promise<boolean>;
}

/** A 48-bit number from a string: fits the store's BIGINT columns and a JS number exactly. */
function hash48(s: string): number {
  return createHash("sha256").update(s).digest().readUIntBE(0, 6);
}

/**
 * Delivery ids kept in the shared store's handled-updates table (SQLite, or PostgreSQL across
 * instances), keyed per platform and app. Telegram keys that table by its positive bot id; platforms
 * use negative keys so the two never meet. Ids are hashed to 48 bits: a collision needs ~10^7
 * deliveries within the table's 24-hour retention.
 */
export function storeDeliveries(store: HandledUpdates, platform: string, appId: string, onError: (err: unknown) => void): DeliveryMemory {
  const key = -hash48(`${platform}:${appId}`);
  // The local memory answers a redelivery to this instance without a store round trip.
  const local = new SeenIds();
  return {
    async first(deliveryId) {
      if (!local.first(deliveryId)) return false;
      try {
        return await store.markUpdate(key, hash48(deliveryId));
      } catch (err) {
        // The store down: answering a duplicate twice beats not answering at all.
        onError(err);
        return true;
      }
    },
  };
}

/** Delivery ids remembered in this process only (tests, and callers without a store). */
export function localDeliveries(): DeliveryMemory {
  const seen = new SeenIds();
  return { first: async (id) => seen.first(id) };
}
