import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One chat-completions request the fake received. */
export interface LlmCall {
  model: string;
  stream: boolean;
  messages: Array<{ role: string; content: string }>;
  /** The request's Authorization header, so that a hostile reply can echo it. */
  authorization: string;
}

/**
 * What the fake does for a request: reply text, an HTTP error, or a delay first; or, for a
 * streamed request, raw server-sent-event text (`sse`) written as given, then the end of the
 * stream (`done`), nothing more while the connection stays open (`stall`), or a closed connection.
 */
export type LlmBehaviour =
  | { reply: string; delayMs?: number; finishReason?: string }
  | { status: number; delayMs?: number }
  | { stallAfterHeaders: true }
  | { sse: string[]; end: "done" | "stall" | "close" };

/** One streamed chunk as an SSE `data:` line, as OpenAI sends it. */
export function sseChunk(content: string, finishReason: string | null = null): string {
  return `data: ${JSON.stringify({ id: "chatcmpl-fake", created: 1, model: "m", object: "chat.completion.chunk", choices: [{ index: 0, delta: content ? { content } : {}, finish_reason: finishReason }] })}\n\n`;
}

/** An OpenAI-compatible /v1/chat/completions server on 127.0.0.1 for tests (streaming and not). */
export interface FakeLlm {
  baseURL: string;
  calls: LlmCall[];
  behave(fn: (call: LlmCall) => LlmBehaviour): void;
  close(): Promise<void>;
}

/** Starts the fake on a free port of 127.0.0.1. */
export async function startFakeLlm(): Promise<FakeLlm> {
  let behaviour: (call: LlmCall) => LlmBehaviour = () => ({ reply: "" });
  const calls: LlmCall[] = [];
  const server: Server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    if (req.method !== "POST" || !req.url?.endsWith("/chat/completions")) {
      res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "not found" } }));
      return;
    }
    const parsed = JSON.parse(body) as { model: string; stream?: boolean; messages: LlmCall["messages"] };
    const call: LlmCall = { model: parsed.model, stream: Boolean(parsed.stream), messages: parsed.messages, authorization: String(req.headers.authorization ?? "") };
    calls.push(call);
    const b = behaviour(call);
    if ("stallAfterHeaders" in b) {
      // Headers at once, then nothing: the SDK's own timeout no longer applies.
      res.writeHead(200, { "content-type": call.stream ? "text/event-stream" : "application/json" });
      res.flushHeaders();
      return;
    }
    if ("sse" in b) {
      res.writeHead(200, { "content-type": "text/event-stream" });
      for (const piece of b.sse) {
        if (res.destroyed) return;
        res.write(piece);
        await new Promise((r) => setTimeout(r, 2));
      }
      if (b.end === "done") res.end("data: [DONE]\n\n");
      else if (b.end === "close") res.destroy();
      return;
    }
    if (b.delayMs) await new Promise((r) => setTimeout(r, b.delayMs));
    if (res.destroyed) return;
    if ("status" in b) {
      res.writeHead(b.status, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "fake failure", type: "server_error" } }));
      return;
    }
    const base = { id: "chatcmpl-fake", created: 1, model: call.model };
    if (call.stream) {
      res.writeHead(200, { "content-type": "text/event-stream" });
      for (const piece of b.reply.match(b.reply.length > 10000 ? /[\s\S]{1,4096}/g : /[\s\S]{1,8}/g) ?? []) {
        res.write(`data: ${JSON.stringify({ ...base, object: "chat.completion.chunk", choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] })}\n\n`);
      }
      res.write(`data: ${JSON.stringify({ ...base, object: "chat.completion.chunk", choices: [{ index: 0, delta: {}, finish_reason: b.finishReason ?? "stop" }] })}\n\n`);
      res.end("data: [DONE]\n\n");
      return;
    }
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({
      ...base,
      object: "chat.completion",
      choices: [{ index: 0, message: { role: "assistant", content: b.reply }, finish_reason: b.finishReason ?? "stop" }],
      usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
    }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    calls,
    behave(fn) {
      behaviour = fn;
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
