import type { Conversation } from "../platform/conversation.js";
import { createDispatch } from "../platform/dispatch.js";
import { fetchJson, PlatformApiError, readBody, type RetryOptions } from "../platform/http.js";
import { renderMarkdown, replyTitle } from "../platform/render.js";
import { send, type PlatformEndpoint } from "../platform/server.js";
import type { Logger } from "../../logger.js";
import { verifyDingtalk } from "./sign.js";

/** DingTalk's Markdown message limit is about 5000 characters; leave room for the title. */
export const DINGTALK_LIMIT = 4500;

/** Settings for {@link dingtalkEndpoint}. */
export interface DingtalkOptions {
  appSecret: string;
  /** Replies go only to a sessionWebhook on this origin (https://oapi.dingtalk.com), never elsewhere. */
  apiBase: string;
  conversation: Conversation;
  logger: Logger;
  retry?: RetryOptions;
}

/** The fields of DingTalk's robot message callback that the bot uses. */
interface DingtalkMessage {
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

/**
 * The enterprise-internal robot in HTTP callback mode: verifies `timestamp` + `sign`, answers
 * one-to-one chats and group messages that @-mention it, replying as Markdown to the sessionWebhook.
 * @example startPlatformServer({ endpoints: [dingtalkEndpoint({ appSecret, apiBase, conversation, logger })], … })
 */
export function dingtalkEndpoint(opts: DingtalkOptions): PlatformEndpoint {
  const dispatch = createDispatch({ platform: "dingtalk", conversation: opts.conversation, logger: opts.logger, secrets: [opts.appSecret] });
  const origin = new URL(opts.apiBase).origin;

  async function post(webhook: string, markdown: string, title: string): Promise<void> {
    const body = await fetchJson<{ errcode?: number; errmsg?: string }>("dingtalk", webhook, { method: "POST", body: JSON.stringify({ msgtype: "markdown", markdown: { title, text: markdown } }) }, opts.retry);
    if (body.errcode) throw new PlatformApiError("dingtalk", 200, `sessionWebhook refused the message: ${body.errcode} ${body.errmsg ?? ""}`);
  }

  return {
    name: "dingtalk",
    path: "/dingtalk",
    idle: () => dispatch.idle(),
    async handle(req, res) {
      if (req.method !== "POST") return send(res, 405, "POST only");
      const ts = header(req.headers.timestamp);
      const sign = header(req.headers.sign);
      const raw = await readBody(req);
      // Nothing is parsed before the signature checks out.
      if (!verifyDingtalk(ts, sign, opts.appSecret)) return send(res, 401, { errcode: 401, errmsg: "bad signature" });
      let msg: DingtalkMessage;
      try {
        msg = JSON.parse(raw ?? "") as DingtalkMessage;
      } catch {
        return send(res, 400, { errcode: 400, errmsg: "not JSON" });
      }
      send(res, 200, {});
      const webhook = msg.sessionWebhook;
      if (!msg.msgId || !webhook || !msg.conversationId) return;
      if (safeOrigin(webhook) !== origin) {
        opts.logger.warn({ origin: safeOrigin(webhook) }, "dingtalk: sessionWebhook is not on DINGTALK_API_BASE; not replying");
        return;
      }
      const group = msg.conversationType === "2";
      const text = msg.msgtype === "text" ? msg.text?.content ?? "" : "";
      dispatch.accept(msg.msgId, {
        platform: "dingtalk",
        chatId: msg.conversationId,
        userId: msg.senderStaffId ?? msg.senderId ?? "unknown",
        userName: msg.senderNick,
        group,
        mentioned: msg.isInAtList === true,
        text: msg.msgtype === "text" ? text : group ? "" : "/help",
      }, async (replies) => {
        for (const r of replies) {
          const title = replyTitle(r);
          for (const page of renderMarkdown(r, { limit: DINGTALK_LIMIT, buttonsAsText: true })) await post(webhook, page, title);
        }
      });
    },
  };
}

function header(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function safeOrigin(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}
