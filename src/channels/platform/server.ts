import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "../../logger.js";
import type { Conversation } from "./conversation.js";
import type { DeliveryMemory } from "./delivery.js";
import type { RetryOptions } from "./http.js";
import type { Pusher } from "./types.js";

/** What every platform's callback endpoint is built with, beside its own credentials. */
export interface EndpointOptions {
  /** The platform's API origin (configurable, so tests and private deployments point it elsewhere). */
  apiBase: string;
  conversation: Conversation;
  logger: Logger;
  /** A signed callback whose timestamp is further than this from now is refused (a replay). */
  replayWindowMs?: number;
  deliveries?: DeliveryMemory;
  retry?: RetryOptions;
}

/** One platform's callback endpoint, mounted at `path` on the shared callback server. */
export interface PlatformEndpoint {
  /** dingtalk, wecom, feishu. */
  name: string;
  /** The callback path, e.g. /dingtalk. */
  path: string;
  /** Verifies, acknowledges and queues one callback; never throws. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void>;
  /** Waits for queued replies (shutdown, tests). */
  idle(): Promise<void>;
  /** Sends to a stored chat address (a quiz round's next question, from any instance). */
  pushTo?: Pusher;
}

/** The running callback server. */
export interface PlatformServer {
  url: string;
  close(): Promise<void>;
}

/**
 * One HTTP server for every enabled platform's callbacks (/dingtalk, /wecom, /feishu), beside the web server.
 * @example const s = await startPlatformServer({ host: "0.0.0.0", port: 8090, endpoints, logger });
 */
export async function startPlatformServer(opts: { host: string; port: number; endpoints: PlatformEndpoint[]; logger: Logger }): Promise<PlatformServer> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const endpoint = opts.endpoints.find((e) => url.pathname === e.path || url.pathname === `${e.path}/`);
    if (!endpoint) {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("not found");
      return;
    }
    endpoint.handle(req, res, url).catch((err) => {
      opts.logger.error({ err: { message: String((err as Error)?.message) }, platform: endpoint.name }, "platform: callback failed");
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = opts.host.includes(":") ? `[${opts.host}]` : opts.host;
  return {
    url: `http://${host}:${port}`,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all(opts.endpoints.map((e) => e.idle()));
    },
  };
}

/** Writes a small response. */
export function send(res: ServerResponse, status: number, body: string | object = ""): void {
  const json = typeof body !== "string";
  res.writeHead(status, { "content-type": json ? "application/json; charset=utf-8" : "text/plain; charset=utf-8" }).end(json ? JSON.stringify(body) : body);
}
