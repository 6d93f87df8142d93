import type { Logger } from "../logger.js";
import { StorageError, storageErrorOf, type StoragePart } from "./errors.js";
import type { StorageHealth } from "./health.js";

/** What {@link guardStore} needs. */
export interface GuardOptions<T> {
  part: StoragePart;
  file: string;
  /** Opens the store; throws StorageError (or an error {@link storageErrorOf} recognises) when the file cannot serve. */
  open: () => T;
  health: StorageHealth;
  logger: Logger;
  /**
   * Which errors are storage faults (default: SQLite result codes and errno, see storageErrorOf).
   * Another database's store passes its own; anything it returns undefined for passes through unchanged.
   */
  classify?: (err: unknown, part: StoragePart, file: string) => StorageError | undefined;
  /** After a failed open, how long calls fail fast before the next attempt to open (default 30 s). */
  retryMs?: number;
  now?: () => number;
}

/**
 * A store that never takes the process down: when its file cannot be opened, every call throws a
 * StorageError naming the file (and it tries to open it again now and then, so that a fixed
 * permission or a restored file is picked up without a restart); a call that fails on a storage
 * fault (a full disk, a damaged page) throws a StorageError too. /healthz follows through `health`.
 * Works for any store interface: the wrapper only sees method calls.
 * @example const store = guardStore({ part: "quiz", file, open: () => new SqliteQuizStore(file), health, logger });
 */
export function guardStore<T extends object & { close(): void }>(opts: GuardOptions<T>): T {
  const { part, file, health, logger } = opts;
  const now = opts.now ?? Date.now;
  const retryMs = opts.retryMs ?? 30_000;
  const classify = opts.classify ?? storageErrorOf;
  let store: T | undefined;
  let openError: StorageError | undefined;
  let lastTry = 0;
  let closed = false;

  const tryOpen = (): T => {
    if (store) return store;
    if (closed) throw openError ?? new StorageError(part, file, "cannot-open", "the store was closed");
    if (openError && now() - lastTry < retryMs) throw openError;
    lastTry = now();
    try {
      store = opts.open();
    } catch (err) {
      const e = classify(err, part, file);
      if (!e) throw err;
      if (!openError || openError.message !== e.message) logger.error({ part, file, fault: e.fault, detail: e.detail }, `${e.message} Until then it is unavailable; questions are still answered.`);
      openError = e;
      health.failed(e);
      throw e;
    }
    if (openError) logger.info({ part, file }, "storage: the database opened again; it is available");
    openError = undefined;
    health.opened(part, file);
    return store;
  };

  const fault = (name: string, err: unknown): unknown => {
    const e = classify(err, part, file);
    if (!e) return err;
    // Logged once per operation until it recovers, so a full disk does not flood the log.
    if (!health.isFailing(part) || health.report().find((r) => r.part === part)?.fault !== e.fault) logger.error({ part, file, operation: name, fault: e.fault, detail: e.detail }, e.message);
    health.failed(e, name);
    return e;
  };

  const call = (name: string, args: unknown[]): unknown => {
    const s = tryOpen();
    try {
      const result = (s as Record<string, (...a: unknown[]) => unknown>)[name]!(...args);
      // A method that answers later (a quiz transaction) fails later: the same faults, as a rejection.
      if (result instanceof Promise) {
        return result.then(
          (value) => {
            if (health.isFailing(part)) health.succeeded(part, name);
            return value;
          },
          (err) => Promise.reject(fault(name, err)),
        );
      }
      if (health.isFailing(part)) health.succeeded(part, name);
      return result;
    } catch (err) {
      throw fault(name, err);
    }
  };

  try {
    tryOpen();
  } catch (err) {
    if (!(err instanceof StorageError)) throw err;
  }

  return new Proxy({} as T, {
    get(_target, name) {
      if (name === "close") {
        return () => {
          closed = true;
          store?.close();
          store = undefined;
        };
      }
      // Not a thenable: `await store` must not call a store method named "then".
      if (typeof name !== "string" || name === "then") return undefined;
      // Data properties (a store's db handle, for tests and backups) come from the open store.
      const value = store ? (store as Record<string, unknown>)[name] : undefined;
      if (store && typeof value !== "function") return value;
      return (...args: unknown[]) => call(name, args);
    },
  });
}
