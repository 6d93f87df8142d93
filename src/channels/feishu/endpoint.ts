import { createDispatch } from "../platform/dispatch.js";
import { readBody, withinWindow } from "../platform/http.js";
import { send, type EndpointOptions, type PlatformEndpoint } from "../platform/server.js";
import type { Reply } from "../platform/types.js";
import { FeishuApi } from "./api.js";
import { replyCards } from "./card.js";
import { feishuDecrypt, verifyFeishu } from "./crypto.js";

/** Settings for {@link feishuEndpoint}. */
export interface FeishuOptions extends EndpointOptions {
  appId: string;
  appSecret: string;
  verificationToken: string;
  /** When set, events arrive encrypted and every request must carry a valid X-Lark-Signature. */
  encryptKey?: string;
}

/** How long a card callback waits for the conversation's toast; Feishu wants an answer within 3 s. */
const TOAST_WAIT_MS = 2_000;

interface FeishuBody {
  type?: string;
  challenge?: string;
  token?: string;
  schema?: string;
  header?: { event_id?: string; event_type?: string; token?: string; create_time?: string };
  event?: {
    sender?: { sender_id?: { open_id?: string } };
    message?: { message_id?: string; chat_id?: string; chat_type?: string; message_type?: string; content?: string; mentions?: Array<{ key?: string; id?: { open_id?: string } }> };
    operator?: { open_id?: string };
    action?: { value?: { pb?: string } };
    context?: { open_chat_id?: string; open_message_id?: string };
  };
}

/**
 * A Feishu custom app: event subscription (url_verification, encrypted and signed events, the
 * verification token), text messages answered as interactive cards, card buttons for votes and quiz answers.
 * @example feishuEndpoint({ appId, appSecret, verificationToken, encryptKey, apiBase, conversation, logger })
 */
export function feishuEndpoint(opts: FeishuOptions): PlatformEndpoint {
  const secrets = [opts.appSecret, opts.verificationToken, ...(opts.encryptKey ? [opts.encryptKey] : [])];
  const dispatch = createDispatch({ platform: "feishu", conversation: opts.conversation, logger: opts.logger, secrets, deliveries: opts.deliveries });
  const api = new FeishuApi(opts);
  // A toast-only reply (a round answer) is told to the presser alone, never posted to the chat.
  const sendTo = (chatId: string) => async (replies: Reply[]) => {
    for (const r of replies) if (!r.toastOnly) for (const card of replyCards(r)) await api.sendCard(chatId, card);
  };

  return {
    name: "feishu",
    path: "/feishu",
    idle: () => dispatch.idle(),
    pushTo: (address) => (typeof address.chatId === "string" ? sendTo(address.chatId) : undefined),
    async handle(req, res) {
      if (req.method !== "POST") return send(res, 405, "POST only");
      const raw = (await readBody(req)) ?? "";
      const h = (name: string) => {
        const v = req.headers[name];
        return Array.isArray(v) ? v[0] : v;
      };
      const signature = h("x-lark-signature");
      if (opts.encryptKey && signature !== undefined && !verifyFeishu(signature, h("x-lark-request-timestamp"), h("x-lark-request-nonce"), opts.encryptKey, raw)) {
        return send(res, 401, { msg: "bad signature" });
      }
      let body: FeishuBody & { encrypt?: string };
      try {
        body = JSON.parse(raw) as FeishuBody & { encrypt?: string };
        if (typeof body.encrypt === "string") {
          if (!opts.encryptKey) return send(res, 400, { msg: "encrypted event but FEISHU_ENCRYPT_KEY is unset" });
          body = JSON.parse(feishuDecrypt(body.encrypt, opts.encryptKey)) as FeishuBody;
        } else if (opts.encryptKey && body.type !== "url_verification") {
          // With an encrypt key Feishu encrypts and signs every event: a plain one is forged.
          return send(res, 401, { msg: "expected an encrypted event" });
        }
      } catch {
        return send(res, 401, { msg: "cannot decrypt or parse" });
      }
      // The verification token is inside the (decrypted) body; a wrong one is not from Feishu.
      const token = body.header?.token ?? body.token;
      if (token !== opts.verificationToken) return send(res, 401, { msg: "bad verification token" });
      if (opts.encryptKey && body.type !== "url_verification" && signature === undefined) return send(res, 401, { msg: "missing signature" });
      if (body.type === "url_verification") return send(res, 200, { challenge: body.challenge });
      // The signed timestamp when there is one, else the event's own creation time (v2 events carry it).
      const stamp = h("x-lark-request-timestamp");
      const fresh = stamp !== undefined ? withinWindow(stamp, opts.replayWindowMs) : body.header?.create_time === undefined || withinWindow(body.header.create_time, opts.replayWindowMs, "ms");
      if (!fresh) return send(res, 401, { msg: "expired request timestamp" });

      const type = body.header?.event_type;
      const eventId = body.header?.event_id;
      const ev = body.event;
      if (!eventId || !ev) return send(res, 200, {});
      if (type === "card.action.trigger") {
        const chatId = ev.context?.open_chat_id;
        const user = ev.operator?.open_id;
        const value = ev.action?.value?.pb;
        if (!chatId || !user || !value) return send(res, 200, { toast: { type: "info", content: "已收到" } });
        // Feishu shows the callback's response as a toast to the presser: wait briefly for the
        // conversation's own (正确！/ 你已经回答过…), else acknowledge and let it follow as a card.
        let toast!: (text: string | undefined) => void;
        const toastText = new Promise<string | undefined>((resolve) => (toast = resolve));
        const post = sendTo(chatId);
        const accepted = dispatch.accept(eventId, { platform: "feishu", chatId, userId: user, group: value.startsWith("qr:"), mentioned: true, button: value, address: { chatId } }, async (replies) => {
          toast(replies.find((r) => r.toast)?.toast);
          await post(replies);
        });
        void accepted.then((first) => (first ? undefined : toast("已收到")));
        const text = await Promise.race([toastText, new Promise<undefined>((r) => setTimeout(() => r(undefined), TOAST_WAIT_MS).unref())]);
        return send(res, 200, { toast: { type: "info", content: text ?? "已收到" } });
      }
      send(res, 200, {});
      if (type !== "im.message.receive_v1" || !ev.message?.chat_id) return;
      const m = ev.message;
      const chatId = m.chat_id!;
      const group = m.chat_type === "group";
      let text = "";
      try {
        text = m.message_type === "text" ? String((JSON.parse(m.content ?? "{}") as { text?: string }).text ?? "") : "";
      } catch {
        text = "";
      }
      const mentions = m.mentions ?? [];
      const botId = group && mentions.length ? await api.botOpenId() : undefined;
      // Without the bot's own id, any mention in a group counts (Feishu delivers group messages only when the app may read them).
      const mentioned = mentions.some((x) => !botId || x.id?.open_id === botId);
      for (const x of mentions) if (x.key) text = text.split(x.key).join(" ");
      void dispatch.accept(eventId, {
        platform: "feishu",
        chatId,
        userId: ev.sender?.sender_id?.open_id ?? "unknown",
        group,
        mentioned,
        text: m.message_type === "text" ? text.trim() : group ? "" : "/help",
        address: { chatId },
      }, sendTo(chatId));
    },
  };
}
