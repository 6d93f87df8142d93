import type { Awaitable } from "../../storage/awaitable.js";
import { StorageError } from "../../storage/errors.js";
import type { BotContext } from "./context.js";

/**
 * Runs a store call an update can do without (chat history, de-duplication, the answer record):
 * on a storage fault it gives the fallback, so that a broken database never stops an answer.
 */
export async function bestEffort<T>(ctx: BotContext, fn: () => Awaitable<T>, fallback: T): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (!(err instanceof StorageError)) throw err;
    ctx.log.debug({ part: err.part, fault: err.fault }, "telegram: storage unavailable; going on without it");
    return fallback;
  }
}
