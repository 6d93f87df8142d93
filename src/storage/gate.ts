/** Which update, and the chat whose updates must not overlap. */
export interface UpdateKey {
  updateId: number;
  /** A chat (or, without one, the user); updates with the same key are handled one at a time. */
  chatKey?: string;
}

/**
 * Runs each incoming update once: a redelivered update (a retry after a timeout or a restart) is
 * skipped, and one chat's updates never overlap, across instances (src/storage/postgres/gate.ts).
 * A single instance needs none: the bot orders a chat's updates itself and keeps handled updates in
 * its FeedbackStore.
 */
export interface UpdateGate {
  /** Runs handle unless the update was handled before; false when it was skipped as a duplicate. */
  run(key: UpdateKey, handle: () => Promise<void>): Promise<boolean>;
}
