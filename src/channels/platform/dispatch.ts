import type { Logger } from "../../logger.js";
import { scrubSecrets } from "../../logger.js";
import type { Conversation } from "./conversation.js";
import { localDeliveries, type DeliveryMemory } from "./delivery.js";
import { KeyedQueue } from "./http.js";
import type { Inbound, Reply } from "./types.js";

/** Runs verified events: once per delivery id, one chat at a time, errors turned into a polite reply. */
export interface Dispatch {
  /** Queues an event unless its delivery id was seen; resolves false for a duplicate. */
  accept(deliveryId: string, ev: Inbound, send: (replies: Reply[]) => Promise<void>): Promise<boolean>;
  idle(): Promise<void>;
}

/**
 * The part every platform shares after verification: de-duplication, per-chat order, the
 * conversation, and sending. Platforms retry a callback that was slow to answer, so the callback is
 * acknowledged at once and the reply goes out through the platform's API.
 */
export function createDispatch(opts: { platform: string; conversation: Conversation; logger: Logger; secrets: string[]; deliveries?: DeliveryMemory }): Dispatch {
  const seen = opts.deliveries ?? localDeliveries();
  const queue = new KeyedQueue();
  const log = opts.logger.child({ channel: opts.platform });
  return {
    accept(deliveryId, ev, sendReplies) {
      let fresh!: (first: boolean) => void;
      const result = new Promise<boolean>((resolve) => (fresh = resolve));
      // The duplicate check runs inside the chat's queue, so a chat's events keep their order.
      void queue.push(ev.chatId, async () => {
        const first = await seen.first(deliveryId);
        fresh(first);
        if (!first) {
          log.info({ deliveryId }, "platform: duplicate delivery; already answered");
          return;
        }
        let replies: Reply[];
        try {
          replies = await opts.conversation.handle(ev);
        } catch (err) {
          log.error({ err: { message: scrubSecrets(String((err as Error)?.message ?? err), opts.secrets) } }, "platform: error while handling an event");
          replies = [{ body: "抱歉，处理这条消息时出错了，请稍后再试。" }];
        }
        if (replies.length) await sendReplies(replies);
      }, (err) => {
        fresh(false);
        log.error({ err: { message: scrubSecrets(String((err as Error)?.message ?? err), opts.secrets) } }, "platform: could not send the reply");
      });
      return result;
    },
    idle: () => queue.idle(),
  };
}
