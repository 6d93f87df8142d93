import type { Config } from "../../config.js";
import type { FeedbackStore } from "../../feedback/store.js";
import type { Logger } from "../../logger.js";
import type { QuizService } from "../../quiz/service.js";
import type { RateLimit } from "../rate-limit.js";
import type { Knowledge } from "../telegram/context.js";

/** One event from a chat platform, already verified and decoded by its adapter. */
export interface Inbound {
  /** Which platform (dingtalk, wecom, feishu): keys chats, users and duplicates apart. */
  platform: string;
  chatId: string;
  userId: string;
  userName?: string;
  /** A group chat: answered only when `mentioned`. */
  group: boolean;
  mentioned: boolean;
  /** The message text (mentions removed), or absent for a button press. */
  text?: string;
  /** The value of a pressed button (see {@link Button}). */
  button?: string;
  /**
   * How to reach this chat later, from any instance (a group round's next question when its time is
   * up): plain JSON, kept with the round's deadline, turned back into a sender by the platform's {@link Pusher}.
   */
  address?: Record<string, string>;
}

/** Sends replies to a chat from its stored address; undefined when the address is no good. */
export type Pusher = (address: Record<string, unknown>) => ((replies: Reply[]) => Promise<void>) | undefined;

/** A button under a reply; `value` comes back in {@link Inbound.button} when pressed. */
export interface Button {
  text: string;
  value: string;
}

/** One verbatim quote backing a citation. */
export interface Quote {
  tag: string;
  quote: string;
}

/** A reply in a platform-neutral shape; each adapter renders it for its message format. */
export interface Reply {
  title?: string;
  body: string;
  /** A heading before the quotes (原文引用：/相关条目：). */
  quotesTitle?: string;
  quotes?: Quote[];
  buttons?: Button[];
  /** A short line for platforms without buttons (回复 A/B/C 作答). */
  hint?: string;
  /** For a button press: a short acknowledgement (a toast on Feishu). */
  toast?: string;
  /** Only the toast, for the person who pressed (a round answer must not tell the group). */
  toastOnly?: boolean;
}

/** What every platform channel needs: the same engine, quiz, store and limiter as Telegram. */
export interface PlatformDeps {
  config: Config;
  logger: Logger;
  knowledge: Knowledge;
  store: FeedbackStore;
  quiz?: QuizService;
  /** Per-user question limit shared by every instance; one in this process when absent. */
  userLimit?: RateLimit;
  /** Where group rounds' deadlines live (the database: any instance closes an overdue question); memory when absent. */
  deadlines?: import("../../quiz/deadlines.js").DeadlineStore;
}
