import { createDispatch } from "../platform/dispatch.js";
import { readBody, withinWindow } from "../platform/http.js";
import { renderMarkdown } from "../platform/render.js";
import { send, type EndpointOptions, type PlatformEndpoint } from "../platform/server.js";
import type { Reply } from "../platform/types.js";
import { WecomApi } from "./api.js";
import { verifyWecom, WecomCryptoError, wecomDecrypt, xmlField } from "./crypto.js";

/** WeCom's Markdown message limit: 2048 bytes of UTF-8. */
export const WECOM_LIMIT_BYTES = 2048;

/** Settings for {@link wecomEndpoint}. */
export interface WecomOptions extends EndpointOptions {
  corpId: string;
  agentId: string;
  secret: string;
  token: string;
  encodingAesKey: string;
}

/**
 * A WeCom self-built app in callback mode: the URL verification handshake (GET), encrypted XML
 * messages verified and decrypted (POST), replies through the message API.
 * @example wecomEndpoint({ corpId, agentId, secret, token, encodingAesKey, apiBase, conversation, logger })
 */
export function wecomEndpoint(opts: WecomOptions): PlatformEndpoint {
  const secrets = [opts.secret, opts.token, opts.encodingAesKey];
  const dispatch = createDispatch({ platform: "wecom", conversation: opts.conversation, logger: opts.logger, secrets, deliveries: opts.deliveries });
  const api = new WecomApi(opts);
  const sender = (user: string) => async (replies: Reply[]) => {
    for (const r of replies) {
      for (const page of renderMarkdown(r, { limit: WECOM_LIMIT_BYTES, bytes: true, buttonsAsText: true })) await api.sendMarkdown(user, page);
    }
  };
  return {
    name: "wecom",
    path: "/wecom",
    idle: () => dispatch.idle(),
    pushTo: (address) => (typeof address.user === "string" ? sender(address.user) : undefined),
    async handle(req, res, url) {
      const q = url.searchParams;
      const [sig, ts, nonce] = [q.get("msg_signature"), q.get("timestamp"), q.get("nonce")];
      // The signature covers the timestamp: an old one means a captured request played again.
      if (req.method === "GET" || req.method === "POST") {
        if (!withinWindow(ts, opts.replayWindowMs)) return send(res, 401, "expired or missing timestamp");
      }
      if (req.method === "GET") {
        // The handshake when the callback URL is saved: echo the decrypted echostr.
        const echostr = q.get("echostr") ?? undefined;
        if (!verifyWecom(sig, opts.token, ts, nonce, echostr)) return send(res, 401, "bad signature");
        try {
          return send(res, 200, wecomDecrypt(echostr!, opts.encodingAesKey, opts.corpId));
        } catch (err) {
          if (err instanceof WecomCryptoError) return send(res, 401, "cannot decrypt");
          throw err;
        }
      }
      if (req.method !== "POST") return send(res, 405, "GET or POST only");
      const raw = (await readBody(req)) ?? "";
      const encrypt = xmlField(raw, "Encrypt");
      if (!verifyWecom(sig, opts.token, ts, nonce, encrypt)) return send(res, 401, "bad signature");
      let xml: string;
      try {
        xml = wecomDecrypt(encrypt!, opts.encodingAesKey, opts.corpId);
      } catch (err) {
        if (err instanceof WecomCryptoError) return send(res, 401, "cannot decrypt");
        throw err;
      }
      // An empty 200 tells WeCom the message arrived; the reply goes through the message API.
      send(res, 200, "");
      const type = xmlField(xml, "MsgType");
      const user = xmlField(xml, "FromUserName");
      const msgId = xmlField(xml, "MsgId") ?? `${user}:${xmlField(xml, "CreateTime")}:${xmlField(xml, "Event") ?? ""}`;
      if (!user || type === "event") return;
      // App messages are one-to-one: WeCom delivers no group messages to a self-built app.
      const sendTo = sender(user);
      void dispatch.accept(msgId, {
        platform: "wecom",
        chatId: user,
        userId: user,
        group: false,
        mentioned: false,
        text: type === "text" ? xmlField(xml, "Content") ?? "" : "/help",
        address: { user },
      }, sendTo);
    },
  };
}
