/** HTTP plumbing shared by the web routes: errors, responses, JSON bodies. */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import type { z } from "zod";
import { messages, parseLang, type Lang, type Messages } from "../../answer/messages.js";
import type { Logger } from "../../logger.js";
import { StorageError } from "../../storage/errors.js";

/** Largest request body accepted; larger ones get 413 and are not read further. */
export const MAX_BODY_BYTES = 16 * 1024;

/** Sent on every response: the page uses only its own scripts and styles and cannot be framed. */
export const SECURITY_HEADERS: OutgoingHttpHeaders = {
  "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "X-Frame-Options": "DENY",
  "Cross-Origin-Opener-Policy": "same-origin",
};

/** Content type of every JSON response. */
export const JSON_TYPE = "application/json; charset=utf-8";

/** An error with an HTTP status whose message is safe to show. */
export class HttpError extends Error {
  constructor(readonly status: number, message: string, readonly headers: OutgoingHttpHeaders = {}) {
    super(message);
  }
}

/** What a route handler gets besides the request and response. */
export interface RequestContext {
  /** The path after the route's prefix (e.g. the unit ref of /api/units/…). */
  params: string;
  query: URLSearchParams;
  log: () => Logger;
  /** The client's language (Accept-Language: en… → English, otherwise Chinese) and its messages. */
  lang: Lang;
  m: Messages;
}

/** A route handler. */
export type Handler = (req: IncomingMessage, res: ServerResponse, ctx: RequestContext) => Promise<void> | void;

/** One API route: a method and its handler; keys ending in "/" match a prefix. */
export interface Route {
  method: "GET" | "POST";
  handler: Handler;
}

/** Writes a whole response with the security headers. */
export function send(res: ServerResponse, status: number, body: string | Buffer, headers: OutgoingHttpHeaders): void {
  res.writeHead(status, { ...SECURITY_HEADERS, ...headers, "Content-Length": Buffer.byteLength(body) });
  res.end(body);
}

/** Writes a JSON response that is never cached. */
export function sendJson(res: ServerResponse, status: number, value: unknown, headers: OutgoingHttpHeaders = {}): void {
  send(res, status, JSON.stringify(value), { "Content-Type": JSON_TYPE, "Cache-Control": "no-store", ...headers });
}

/** The language a request asks for: English when its first Accept-Language preference is English. */
export function requestLang(req: IncomingMessage): Lang {
  return parseLang(String(req.headers["accept-language"] ?? "").split(",")[0]) ?? "zh";
}

/** Throws 405 naming the allowed method. */
export function notAllowed(allow: string, m: Messages = messages()): never {
  throw new HttpError(405, m.methodNotAllowed(allow), { Allow: allow === "GET" ? "GET, HEAD" : allow });
}

/** Sends an error; only HttpError messages reach the client, anything else is logged and hidden. */
export function fail(res: ServerResponse, err: unknown, log: () => Logger, req: IncomingMessage, m: Messages = messages()): void {
  // A data file that cannot serve: the store has logged the file and the fix; the client learns what is unavailable.
  if (err instanceof StorageError) err = new HttpError(503, err.userMessage, { "Retry-After": "30" });
  const known = err instanceof HttpError;
  if (!known) log().error({ err, method: req.method, url: req.url }, "web: request failed");
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const status = known ? (err as HttpError).status : 500;
  // After 413 and 415 the rest of the body is never read, so the connection cannot be reused.
  const extra: OutgoingHttpHeaders = status === 413 || status === 415 ? { Connection: "close" } : {};
  sendJson(res, status, { error: known ? (err as HttpError).message : m.internalError }, { ...(known ? (err as HttpError).headers : {}), ...extra });
}

/** Validates a value against a schema, or throws 400 listing the problems. */
export function parse<T>(schema: z.ZodType<T>, value: unknown, m: Messages = messages()): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw new HttpError(400, m.invalidRequest(`${r.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ")}`));
}

/** Reads a JSON body of at most MAX_BODY_BYTES; stops reading as soon as it is too big. */
export async function readJson(req: IncomingMessage, m: Messages = messages()): Promise<unknown> {
  // Only JSON: a form or text/plain POST needs no CORS preflight, so any page could make a visitor's browser send one.
  const type = String(req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/json") {
    req.pause();
    throw new HttpError(415, m.notJsonType(type ? type.slice(0, 100) : ""));
  }
  const declared = Number(req.headers["content-length"]);
  const tooBig = () => new HttpError(413, m.bodyTooBig(MAX_BODY_BYTES / 1024));
  if (declared > MAX_BODY_BYTES) {
    req.pause();
    throw tooBig();
  }
  const raw = await new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        req.off("data", onData);
        req.pause();
        reject(tooBig());
      } else chunks.push(c);
    };
    req.on("data", onData);
    req.once("end", () => resolve(Buffer.concat(chunks, size)));
    req.once("error", () => reject(new HttpError(400, m.bodyUnreadable)));
  });
  const text = raw.toString("utf8");
  if (!text.trim()) throw new HttpError(400, m.bodyEmpty);
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, m.bodyNotJson);
  }
}
