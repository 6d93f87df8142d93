/**
 * A fake DingTalk Stream gateway on 127.0.0.1, as the Stream protocol documents it: POST
 * /v1.0/gateway/connections/open with clientId, clientSecret and subscriptions returns an endpoint and
 * a one-time ticket; the WebSocket at endpoint?ticket= carries JSON frames {specVersion, type,
 * headers: {topic, messageId, …}, data}, and the client answers each CALLBACK with an ACK frame
 * {code: 200, headers: {messageId}, message: "OK", data}.
 */
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";

/** An ACK or other frame the client sent. */
export interface ClientFrame {
  code?: number;
  headers?: { messageId?: string; [k: string]: unknown };
  message?: string;
  data?: string;
}

/** The fake gateway. */
export interface FakeStreamGateway {
  /** The open-connection URL to configure (DINGTALK_STREAM_GATEWAY). */
  openUrl: string;
  /** Bodies posted to the open-connection endpoint. */
  opens: Array<Record<string, unknown>>;
  /** Frames received from the client, in order. */
  frames: ClientFrame[];
  /** WebSocket connections accepted so far. */
  connections(): number;
  /** True while a client is connected. */
  connected(): boolean;
  /** Pushes a robot message as a CALLBACK frame; returns its frame messageId. */
  pushRobotMessage(message: object, messageId?: string): string;
  /** Sends a raw text frame (for a malformed one). */
  sendRaw(text: string): void;
  /** Sends a SYSTEM ping frame (the client must echo it). */
  ping(): string;
  /** Drops the client's socket without a close handshake. */
  drop(): void;
  waitFor(predicate: () => boolean, ms?: number): Promise<void>;
  close(): Promise<void>;
}

/** Starts the fake gateway; `credentials` are the only clientId/clientSecret it accepts. */
export async function startFakeStreamGateway(credentials: { clientId: string; clientSecret: string }): Promise<FakeStreamGateway> {
  const opens: Array<Record<string, unknown>> = [];
  const frames: ClientFrame[] = [];
  const tickets = new Set<string>();
  let socket: WebSocket | undefined;
  let accepted = 0;
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (req.method !== "POST" || req.url !== "/v1.0/gateway/connections/open") return void res.writeHead(404).end();
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as Record<string, unknown>;
    opens.push(body);
    if (body.clientId !== credentials.clientId || body.clientSecret !== credentials.clientSecret) {
      return void res.writeHead(401, { "content-type": "application/json" }).end(JSON.stringify({ code: "InvalidAuthentication", message: "bad credentials" }));
    }
    const ticket = randomBytes(8).toString("hex");
    tickets.add(ticket);
    const { port } = server.address() as AddressInfo;
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ endpoint: `ws://127.0.0.1:${port}/connect`, ticket }));
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on("upgrade", (req, sock, head) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const ticket = url.searchParams.get("ticket") ?? "";
    // A ticket opens one connection, once.
    if (url.pathname !== "/connect" || !tickets.delete(ticket)) {
      sock.end("HTTP/1.1 401 Unauthorized\r\n\r\n");
      return;
    }
    wss.handleUpgrade(req, sock, head, (ws) => {
      accepted += 1;
      socket = ws;
      ws.on("message", (raw) => frames.push(JSON.parse(String(raw)) as ClientFrame));
      ws.on("close", () => {
        if (socket === ws) socket = undefined;
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const frame = (type: string, topic: string, data: string, messageId = randomBytes(6).toString("hex")) => {
    socket?.send(JSON.stringify({ specVersion: "1.0", type, headers: { appId: "app", connectionId: "conn", contentType: "application/json", messageId, time: String(Date.now()), topic }, data }));
    return messageId;
  };
  return {
    openUrl: `http://127.0.0.1:${port}/v1.0/gateway/connections/open`,
    opens,
    frames,
    connections: () => accepted,
    connected: () => socket !== undefined,
    pushRobotMessage: (message, messageId) => frame("CALLBACK", "/v1.0/im/bot/messages/get", JSON.stringify(message), messageId),
    sendRaw: (text) => socket?.send(text),
    ping: () => frame("SYSTEM", "ping", JSON.stringify({ opaque: "x" })),
    drop: () => socket?.terminate(),
    async waitFor(predicate, ms = 10_000) {
      const until = Date.now() + ms;
      while (!predicate()) {
        if (Date.now() > until) throw new Error("fake stream gateway: timed out waiting");
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async close() {
      for (const c of wss.clients) c.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
