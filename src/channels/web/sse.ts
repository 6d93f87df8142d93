/** Server-sent events for a streamed answer. */
import type { IncomingMessage, ServerResponse } from "node:http";
import { SECURITY_HEADERS } from "./http.js";

/** True when the client asked for an event stream (Accept: text/event-stream). */
export function wantsStream(req: IncomingMessage): boolean {
  return (req.headers.accept ?? "").includes("text/event-stream");
}

/**
 * An event writer whose headers go out with the first event, so that an error before it
 * (a bad question) still gets a plain JSON 400.
 */
export function eventStream(res: ServerResponse): (name: string, data: unknown) => void {
  const open = () => {
    if (!res.headersSent) res.writeHead(200, { ...SECURITY_HEADERS, "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-store", "X-Accel-Buffering": "no" });
  };
  return (name, data) => {
    if (res.destroyed) return;
    open();
    res.write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
  };
}
