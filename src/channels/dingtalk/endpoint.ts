import { createDispatch } from "../platform/dispatch.js";
import { readBody } from "../platform/http.js";
import { send, type EndpointOptions, type PlatformEndpoint } from "../platform/server.js";
import { acceptDingtalk, dingtalkPusher, type DingtalkMessage } from "./message.js";
import { verifyDingtalk } from "./sign.js";

export { DINGTALK_LIMIT } from "./message.js";

/** Settings for {@link dingtalkEndpoint}. */
export interface DingtalkOptions extends EndpointOptions {
  appSecret: string;
  /** Replies go only to a sessionWebhook on this origin (https://oapi.dingtalk.com), never elsewhere. */
  apiBase: string;
}

/**
 * The enterprise-internal robot in HTTP callback mode: verifies `timestamp` + `sign`, answers
 * one-to-one chats and group messages that @-mention it, replying as Markdown to the sessionWebhook.
 * @example startPlatformServer({ endpoints: [dingtalkEndpoint({ appSecret, apiBase, conversation, logger })], … })
 */
export function dingtalkEndpoint(opts: DingtalkOptions): PlatformEndpoint {
  const dispatch = createDispatch({ platform: "dingtalk", conversation: opts.conversation, logger: opts.logger, secrets: [opts.appSecret], deliveries: opts.deliveries });
  const robot = { dispatch, apiBase: opts.apiBase, logger: opts.logger, retry: opts.retry };
  return {
    name: "dingtalk",
    path: "/dingtalk",
    idle: () => dispatch.idle(),
    pushTo: dingtalkPusher(opts.apiBase, opts.retry),
    async handle(req, res) {
      if (req.method !== "POST") return send(res, 405, "POST only");
      const ts = header(req.headers.timestamp);
      const sign = header(req.headers.sign);
      const raw = await readBody(req);
      // Nothing is parsed before the signature (and its age) checks out.
      if (!verifyDingtalk(ts, sign, opts.appSecret, Date.now(), opts.replayWindowMs)) return send(res, 401, { errcode: 401, errmsg: "bad or expired signature" });
      let msg: DingtalkMessage;
      try {
        msg = JSON.parse(raw ?? "") as DingtalkMessage;
      } catch {
        return send(res, 400, { errcode: 400, errmsg: "not JSON" });
      }
      send(res, 200, {});
      acceptDingtalk(robot, msg);
    },
  };
}

function header(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}
