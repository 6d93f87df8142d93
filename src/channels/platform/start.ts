import type { Config } from "../../config.js";
import { dingtalkEndpoint } from "../dingtalk/endpoint.js";
import { startDingtalkStream, type DingtalkStream } from "../dingtalk/stream.js";
import { wecomEndpoint } from "../wecom/endpoint.js";
import { feishuEndpoint } from "../feishu/endpoint.js";
import { createConversation, type Conversation } from "./conversation.js";
import { storeDeliveries, type DeliveryMemory } from "./delivery.js";
import { startPlatformServer, type PlatformEndpoint } from "./server.js";
import type { PlatformDeps, Pusher } from "./types.js";

/** The platforms whose variables are set, by name. */
export function enabledPlatforms(config: Config): string[] {
  return [config.DINGTALK_APP_SECRET && "dingtalk", config.WECOM_CORP_ID && "wecom", config.FEISHU_APP_ID && "feishu"].filter((n): n is string => Boolean(n));
}

/** Delivery ids in the shared store (across instances with PostgreSQL), per platform and app. */
function deliveries(deps: PlatformDeps, platform: string, appId: string): DeliveryMemory {
  return storeDeliveries(deps.store, platform, appId, (err) => deps.logger.warn({ err: { message: String((err as Error)?.message) }, platform }, "platform: store unavailable for duplicate checks; using this process's memory"));
}

/** The callback endpoints of the configured platforms (DingTalk only in callback mode), sharing one conversation. */
export function platformEndpoints(deps: PlatformDeps, conversation: Conversation = createConversation(deps)): PlatformEndpoint[] {
  const { config, logger } = deps;
  const replayWindowMs = config.PLATFORM_REPLAY_WINDOW_SECONDS * 1000;
  const endpoints: PlatformEndpoint[] = [];
  if (config.DINGTALK_APP_SECRET && config.DINGTALK_MODE === "callback") {
    endpoints.push(dingtalkEndpoint({ appSecret: config.DINGTALK_APP_SECRET, apiBase: config.DINGTALK_API_BASE, conversation, logger, replayWindowMs, deliveries: deliveries(deps, "dingtalk", config.DINGTALK_CLIENT_ID ?? "robot") }));
  }
  if (config.WECOM_CORP_ID && config.WECOM_AGENT_ID && config.WECOM_SECRET && config.WECOM_TOKEN && config.WECOM_ENCODING_AES_KEY) {
    endpoints.push(wecomEndpoint({ corpId: config.WECOM_CORP_ID, agentId: config.WECOM_AGENT_ID, secret: config.WECOM_SECRET, token: config.WECOM_TOKEN, encodingAesKey: config.WECOM_ENCODING_AES_KEY, apiBase: config.WECOM_API_BASE, conversation, logger, replayWindowMs, deliveries: deliveries(deps, "wecom", `${config.WECOM_CORP_ID}:${config.WECOM_AGENT_ID}`) }));
  }
  if (config.FEISHU_APP_ID && config.FEISHU_APP_SECRET && config.FEISHU_VERIFICATION_TOKEN) {
    endpoints.push(feishuEndpoint({ appId: config.FEISHU_APP_ID, appSecret: config.FEISHU_APP_SECRET, verificationToken: config.FEISHU_VERIFICATION_TOKEN, encryptKey: config.FEISHU_ENCRYPT_KEY, apiBase: config.FEISHU_API_BASE, conversation, logger, replayWindowMs, deliveries: deliveries(deps, "feishu", config.FEISHU_APP_ID) }));
  }
  return endpoints;
}

/** The running platform channels. */
export interface RunningPlatforms {
  /** The callback server's address, when any platform runs in callback mode. */
  url?: string;
  /** Platforms answering callbacks at `${url}/${name}`. */
  names: string[];
  /** Platforms connected outward instead (DingTalk Stream mode). */
  streams: string[];
  /** What is running, for the start-up line. */
  describe(): string;
  close(): Promise<void>;
}

/**
 * Starts every configured platform: one callback server for those in callback mode, an outgoing
 * Stream connection for DingTalk in stream mode; undefined when none is configured.
 * @example const platforms = await startPlatforms(deps); // http://127.0.0.1:8090/dingtalk …
 */
export async function startPlatforms(deps: PlatformDeps): Promise<RunningPlatforms | undefined> {
  const { config } = deps;
  // Quiz rounds reach a chat later through its platform's pusher, known once the channels exist.
  const pushers = new Map<string, Pusher>();
  const conversation = createConversation(deps, { pushTo: (platform) => pushers.get(platform) });
  const endpoints = platformEndpoints(deps, conversation);
  for (const e of endpoints) if (e.pushTo) pushers.set(e.name, e.pushTo);
  let stream: DingtalkStream | undefined;
  if (config.DINGTALK_MODE === "stream" && config.DINGTALK_CLIENT_ID && config.DINGTALK_APP_SECRET) {
    stream = await startDingtalkStream({
      clientId: config.DINGTALK_CLIENT_ID, clientSecret: config.DINGTALK_APP_SECRET, gateway: config.DINGTALK_STREAM_GATEWAY, apiBase: config.DINGTALK_API_BASE,
      conversation, logger: deps.logger, deliveries: deliveries(deps, "dingtalk", config.DINGTALK_CLIENT_ID),
    });
  }
  if (stream) pushers.set("dingtalk", stream.pushTo);
  if (endpoints.length === 0 && !stream) {
    conversation.dispose();
    return undefined;
  }
  const server = endpoints.length ? await startPlatformServer({ host: config.PLATFORM_HOST, port: config.PLATFORM_PORT, endpoints, logger: deps.logger }) : undefined;
  const names = endpoints.map((e) => e.name);
  const streams = stream ? ["dingtalk"] : [];
  return {
    url: server?.url,
    names,
    streams,
    describe: () => [
      names.length ? `${names.join(", ")} callbacks at ${names.map((n) => `${server!.url}/${n}`).join(" ")}` : "",
      streams.length ? `${streams.join(", ")} connected in Stream mode` : "",
    ].filter(Boolean).join("; "),
    async close() {
      conversation.dispose();
      await stream?.close();
      await server?.close();
    },
  };
}
