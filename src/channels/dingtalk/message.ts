import type { Logger } from "../../logger.js";
import type { Dispatch } from "../platform/dispatch.js";
import { fetchJson, PlatformApiError, type RetryOptions } from "../platform/http.js";
import { renderMarkdown, replyTitle } from "../platform/render.js";
import type { Pusher, Reply } from "../platform/types.js";

/** DingTalk's Markdown message limit is about 5000 characters; leave room for the title. */
export const DINGTALK_LIMIT = 4500;

/** The fields of DingTalk's robot message (HTTP callback body, or a Stream CALLBACK frame's data) that the bot uses. */
export interface DingtalkMessage {
  msgId?: string;
  msgtype?: string;
  text?: { content?: string };
  conversationType?: string;
  conversationId?: string;
  senderStaffId?: string;
  senderId?: string;
  senderNick?: string;
  isInAtList?: boolean;
  sessionWebhook?: string;
  sessionWebhookExpiredTime?: number;
}

/** What both DingTalk modes share once a message is verified (callback) or received (stream). */
export interface DingtalkRobot {
  dispatch: Dispatch;
  /** Replies go only to a sessionWebhook on this origin (https://oapi.dingtalk.com), never elsewhere. */
  apiBase: string;
  logger: Logger;
  retry?: RetryOptions;
}

/** Sends replies as Markdown messages to a message's sessionWebhook, split to DingTalk's limit. */
export function webhookSender(webhook: string, retry?: RetryOptions): (replies: Reply[]) => Promise<void> {
  const post = async (markdown: string, title: string) => {
    const body = await fetchJson<{ errcode?: number; errmsg?: string }>("dingtalk", webhook, { method: "POST", body: JSON.stringify({ msgtype: "markdown", markdown: { title, text: markdown } }) }, retry);
    if (body.errcode) throw new PlatformApiError("dingtalk", 200, `sessionWebhook refused the message: ${body.errcode} ${body.errmsg ?? ""}`);
  };
  return async (replies) => {
    for (const r of replies) {
      const title = replyTitle(r);
      for (const page of renderMarkdown(r, { limit: DINGTALK_LIMIT, buttonsAsText: true })) await post(page, title);
    }
  };
}

/**
 * Queues one robot message: one-to-one chats always, group messages that @-mention the robot
 * (DingTalk delivers only those to an enterprise robot, and says so in isInAtList).
 */
export function acceptDingtalk(robot: DingtalkRobot, msg: DingtalkMessage): void {
  const webhook = msg.sessionWebhook;
  if (!msg.msgId || !webhook || !msg.conversationId) return;
  const origin = safeOrigin(webhook);
  if (origin !== new URL(robot.apiBase).origin) {
    robot.logger.warn({ origin }, "dingtalk: sessionWebhook is not on DINGTALK_API_BASE; not replying");
    return;
  }
  const group = msg.conversationType === "2";
  const send = webhookSender(webhook, robot.retry);
  void robot.dispatch.accept(msg.msgId, {
    platform: "dingtalk",
    chatId: msg.conversationId,
    userId: msg.senderStaffId ?? msg.senderId ?? "unknown",
    userName: msg.senderNick,
    group,
    mentioned: msg.isInAtList === true,
    text: msg.msgtype === "text" ? msg.text?.content ?? "" : group ? "" : "/help",
    // The sessionWebhook stays valid for a while (sessionWebhookExpiredTime): long enough for a round's next question.
    address: { webhook },
  }, send);
}

/** Sends to a stored address's sessionWebhook, only on DINGTALK_API_BASE's origin. */
export function dingtalkPusher(apiBase: string, retry?: RetryOptions): Pusher {
  return (address) => {
    const webhook = typeof address.webhook === "string" ? address.webhook : undefined;
    return webhook && safeOrigin(webhook) === new URL(apiBase).origin ? webhookSender(webhook, retry) : undefined;
  };
}

function safeOrigin(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}
