import type { Awaitable } from "./awaitable.js";

/** Which update, and the chat whose updates must not overlap. */
export interface UpdateKey {
  updateId: number;
  /** A chat (or, without one, the user); updates with the same key are handled one at a time. */
  chatKey?: string;
}

/**
 * Runs each incoming update once: a redelivered update (a retry after a timeout or a restart) is
 * skipped, and one chat's updates never overlap. The PostgreSQL gate (src/storage/postgres/gate.ts)
 * holds across instances; {@link localGate} holds within one process.
 */
export interface UpdateGate {
  /** Runs handle unless the update was handled before; false when it was skipped as a duplicate. */
  run(key: UpdateKey, handle: () => Promise<void>): Promise<boolean>;
}

/** Handled-update records as the single-instance stores keep them. */
export interface HandledUpdates {
  markUpdate(updateId: number): Awaitable<boolean>;
  wasHandled(updateId: number): Awaitable<boolean>;
}

/**
 * The single-instance gate: handled updates in the local store (one chat's order comes from the
 * bot's in-process sequentialize). An update is recorded once its handler finished.
 * @example const gate = localGate(feedbackStore);
 */
export function localGate(store: HandledUpdates): UpdateGate {
  return {
    async run(key, handle) {
      if (await store.wasHandled(key.updateId)) return false;
      await handle();
      await store.markUpdate(key.updateId);
      return true;
    },
  };
}
