import { DWClient, TOPIC_ROBOT, type DWClientDownStream } from "dingtalk-stream";
import type { Logger } from "../../logger.js";
import { scrubSecrets } from "../../logger.js";
import type { Conversation } from "../platform/conversation.js";
import type { DeliveryMemory } from "../platform/delivery.js";
import { createDispatch } from "../platform/dispatch.js";
import { fetchJson, PlatformApiError, type RetryOptions } from "../platform/http.js";
import { acceptDingtalk, dingtalkPusher, type DingtalkMessage } from "./message.js";
import type { Pusher } from "../platform/types.js";

/** Settings for {@link startDingtalkStream}. */
export interface DingtalkStreamOptions {
  /** The app's AppKey (Client ID). */
  clientId: string;
  /** The app's AppSecret (Client Secret). */
  clientSecret: string;
  /** The open-connection endpoint (https://api.dingtalk.com/v1.0/gateway/connections/open). */
  gateway: string;
  /** Replies go only to a sessionWebhook on this origin. */
  apiBase: string;
  conversation: Conversation;
  logger: Logger;
  deliveries?: DeliveryMemory;
  retry?: RetryOptions;
}

/** A running Stream connection. */
export interface DingtalkStream {
  /** True while the WebSocket is open. */
  readonly connected: boolean;
  /** Waits for queued replies (tests, shutdown). */
  idle(): Promise<void>;
  /** Sends to a stored chat address (a quiz round's next question). */
  pushTo: Pusher;
  close(): Promise<void>;
}

/**
 * The SDK's client with its one hard-coded address made configurable. `DWClient.getEndpoint()` posts
 * to the constant GATEWAY_URL; this override makes the same documented request (clientId,
 * clientSecret, ua, subscriptions → endpoint + ticket) to `gateway`, so that private deployments and
 * tests point it elsewhere. Everything else (the WebSocket, ping replies, ACK frames, reconnecting
 * after a dropped socket) is the SDK's.
 */
class GatewayClient extends DWClient {
  stopped = false;
  private failures = 0;
  constructor(private readonly gateway: string, private readonly log: Logger, private readonly secret: string, opts: { clientId: string; clientSecret: string }) {
    super({ ...opts, keepAlive: true, ua: "policybot" });
  }

  override async getEndpoint(): Promise<this> {
    // Throwing here ends the SDK's reconnect loop (it retries only while not user-disconnected).
    if (this.stopped) throw new Error("dingtalk: stream stopped");
    const self = this as unknown as { dw_url?: string; heartbeatIntervallId?: NodeJS.Timeout };
    // The SDK starts a heartbeat per socket and clears it only on disconnect(): clear the old one.
    clearInterval(self.heartbeatIntervallId);
    // The SDK retries every second; back off while the gateway keeps failing (bad credentials, outage).
    if (this.failures) await new Promise((r) => setTimeout(r, Math.min(30_000, 250 * 2 ** this.failures)));
    const { clientId, clientSecret, ua, subscriptions } = this.getConfig();
    try {
      const body = await fetchJson<{ endpoint?: string; ticket?: string }>("dingtalk", this.gateway, {
        method: "POST", headers: { accept: "application/json" }, body: JSON.stringify({ clientId, clientSecret, ua, subscriptions }),
      }, { attempts: 1 });
      if (!body.endpoint || !body.ticket) throw new PlatformApiError("dingtalk", 200, "the gateway returned no endpoint or ticket (check DINGTALK_CLIENT_ID and DINGTALK_APP_SECRET)");
      const url = new URL(body.endpoint);
      url.searchParams.set("ticket", body.ticket);
      self.dw_url = url.toString();
      this.failures = 0;
      return this;
    } catch (err) {
      this.failures += 1;
      this.log.warn({ err: { message: scrubSecrets(String((err as Error)?.message ?? err), [this.secret]) }, failures: this.failures }, "dingtalk: cannot open a Stream connection; retrying");
      throw err;
    }
  }

  // The SDK parses frames without a guard: a malformed one must not take the process down.
  override onDownStream(data: string): void {
    try {
      super.onDownStream(data);
    } catch (err) {
      this.log.warn({ err: { message: String((err as Error)?.message ?? err) } }, "dingtalk: unreadable Stream frame; ignored");
    }
  }
}

/**
 * DingTalk Stream mode through the official `dingtalk-stream` SDK: no public URL needed. Robot
 * messages arrive as CALLBACK frames on /v1.0/im/bot/messages/get, are ACKed at once (so DingTalk
 * does not push them again), de-duplicated by msgId, and answered through the sessionWebhook.
 * @example const stream = await startDingtalkStream({ clientId, clientSecret, gateway, apiBase, conversation, logger });
 */
export async function startDingtalkStream(opts: DingtalkStreamOptions): Promise<DingtalkStream> {
  const log = opts.logger.child({ channel: "dingtalk", mode: "stream" });
  const dispatch = createDispatch({ platform: "dingtalk", conversation: opts.conversation, logger: opts.logger, secrets: [opts.clientSecret], deliveries: opts.deliveries });
  const robot = { dispatch, apiBase: opts.apiBase, logger: log, retry: opts.retry };
  const client = new GatewayClient(opts.gateway, log, opts.clientSecret, { clientId: opts.clientId, clientSecret: opts.clientSecret });
  client.registerCallbackListener(TOPIC_ROBOT, (frame: DWClientDownStream) => {
    client.socketCallBackResponse(frame.headers.messageId, {});
    let msg: DingtalkMessage;
    try {
      msg = JSON.parse(frame.data) as DingtalkMessage;
    } catch {
      log.warn({ messageId: frame.headers.messageId }, "dingtalk: robot message is not JSON; ignored");
      return;
    }
    acceptDingtalk(robot, msg);
  });
  // connect() never rejects: it retries in the background until the gateway answers.
  await client.connect();
  return {
    get connected() {
      return client.connected;
    },
    idle: () => dispatch.idle(),
    pushTo: dingtalkPusher(opts.apiBase, opts.retry),
    async close() {
      client.stopped = true;
      client.disconnect();
      await dispatch.idle();
    },
  };
}
