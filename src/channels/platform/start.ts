import type { Config } from "../../config.js";
import { dingtalkEndpoint } from "../dingtalk/endpoint.js";
import { wecomEndpoint } from "../wecom/endpoint.js";
import { createConversation } from "./conversation.js";
import { startPlatformServer, type PlatformEndpoint, type PlatformServer } from "./server.js";
import type { PlatformDeps } from "./types.js";

/** The platforms whose variables are set, by name. */
export function enabledPlatforms(config: Config): string[] {
  return [config.DINGTALK_APP_SECRET && "dingtalk", config.WECOM_CORP_ID && "wecom", config.FEISHU_APP_ID && "feishu"].filter((n): n is string => Boolean(n));
}

/** The callback endpoints of the configured platforms, sharing one conversation (one quiz state, one rate limit). */
export function platformEndpoints(deps: PlatformDeps): PlatformEndpoint[] {
  const { config, logger } = deps;
  const conversation = createConversation(deps);
  const endpoints: PlatformEndpoint[] = [];
  if (config.DINGTALK_APP_SECRET) endpoints.push(dingtalkEndpoint({ appSecret: config.DINGTALK_APP_SECRET, apiBase: config.DINGTALK_API_BASE, conversation, logger }));
  if (config.WECOM_CORP_ID && config.WECOM_AGENT_ID && config.WECOM_SECRET && config.WECOM_TOKEN && config.WECOM_ENCODING_AES_KEY) {
    endpoints.push(wecomEndpoint({ corpId: config.WECOM_CORP_ID, agentId: config.WECOM_AGENT_ID, secret: config.WECOM_SECRET, token: config.WECOM_TOKEN, encodingAesKey: config.WECOM_ENCODING_AES_KEY, apiBase: config.WECOM_API_BASE, conversation, logger }));
  }
  return endpoints;
}

/**
 * Starts the callback server for every configured platform; undefined when none is configured.
 * @example const platforms = await startPlatforms(deps); // http://127.0.0.1:8090/dingtalk …
 */
export async function startPlatforms(deps: PlatformDeps): Promise<(PlatformServer & { names: string[] }) | undefined> {
  const endpoints = platformEndpoints(deps);
  if (endpoints.length === 0) return undefined;
  const server = await startPlatformServer({ host: deps.config.PLATFORM_HOST, port: deps.config.PLATFORM_PORT, endpoints, logger: deps.logger });
  return { ...server, names: endpoints.map((e) => e.name) };
}
