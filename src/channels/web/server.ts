/**
 * The web channel: a JSON/SSE API over the answer engine plus one static page, on plain node:http.
 *
 * Routes (all /api/ routes need `Authorization: Bearer <API_TOKEN>` when API_TOKEN is set):
 *   POST /api/ask              { q, history? } → the `policybot ask --json` object; SSE with Accept: text/event-stream
 *   GET  /api/units/:ref?doc=  one unit's full text
 *   GET  /api/search?q=&k=     ranked units with confidence
 *   GET  /api/targets?q=       the targets ledger, filtered
 *   GET  /api/quiz/next?topic=, POST /api/quiz/answer, GET /api/quiz/score  (with a quiz; user = X-Client-Id)
 *   GET  /healthz, GET /, GET /assets/*   public
 */
import { retrievalJson } from "../../retrieve/present.js";
import { RateLimiter, type RateLimit } from "../rate-limit.js";
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { validateQuestion, type AnswerEngine } from "../../answer/engine.js";
import { AnswerInputError, HistoryTurn } from "../../answer/types.js";
import { toJson } from "../../cli/commands/ask.js";
import type { Config } from "../../config.js";
import type { KnowledgeBase } from "../../knowledge.js";
import type { Logger } from "../../logger.js";
import type { Target } from "../../targets/types.js";
import { filterTargets } from "../../quiz/generate.js";
import type { QuizService } from "../../quiz/service.js";
import { QuizError } from "../../quiz/types.js";

/** The quiz operations the web page uses (the QuizService of src/quiz/service.ts, or a stub in tests). */
export type WebQuiz = Pick<QuizService, "next" | "answer" | "score">;

/** What {@link createWebServer} needs. */
export interface WebServerDeps {
  config: Pick<Config, "HOST" | "PORT" | "API_TOKEN" | "API_RATE_LIMIT" | "MAX_QUESTION_CHARS" | "TRUST_PROXY">;
  logger: Logger;
  kb: KnowledgeBase;
  engine: AnswerEngine;
  quiz?: WebQuiz;
  /** Per-client request limit shared by every instance; one in this process when absent. */
  apiLimit?: RateLimit;
  /** Folder with index.html, app.js, style.css; found next to this module (or in src/ when run from dist/). */
  publicDir?: string;
}

/** A web server that is not yet listening. */
export interface WebServer {
  /** Binds to config.HOST:config.PORT (PORT 0 picks a free port). */
  listen(): Promise<{ url: string }>;
  /** Stops accepting, closes idle connections, and cuts in-flight ones after a short grace period. */
  close(): Promise<void>;
  server: Server;
}

/** Largest request body accepted; larger ones get 413 and are not read further. */
export const MAX_BODY_BYTES = 16 * 1024;

/** Sent on every response: the page uses only its own scripts and styles and cannot be framed. */
const SECURITY_HEADERS: OutgoingHttpHeaders = {
  "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "X-Frame-Options": "DENY",
  "Cross-Origin-Opener-Policy": "same-origin",
};
const JSON_TYPE = "application/json; charset=utf-8";
const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml", ".png": "image/png", ".ico": "image/x-icon", ".json": JSON_TYPE, ".txt": "text/plain; charset=utf-8",
};

const AskBody = z.object({ q: z.string(), history: z.array(HistoryTurn).max(10).optional() });
const QuestionId = z.string().min(1).max(300);
// Only the id is taken from the client: a question object it sends could carry an answer of its choosing.
const QuizAnswerBody = z
  .object({ questionId: QuestionId.optional(), question: z.union([QuestionId, z.object({ id: QuestionId })]).optional(), response: z.string().max(2000) })
  .refine((b) => b.questionId ?? b.question, { message: "give questionId (or question)" });
const CLIENT_ID = /^[A-Za-z0-9_-]{8,64}$/;

/** An error with an HTTP status whose message is safe to show. */
class HttpError extends Error {
  constructor(readonly status: number, message: string, readonly headers: OutgoingHttpHeaders = {}) {
    super(message);
  }
}

type Handler = (req: IncomingMessage, res: ServerResponse, ctx: RequestContext) => Promise<void> | void;
interface RequestContext {
  params: string;
  query: URLSearchParams;
  log: () => Logger;
}
interface Route {
  method: "GET" | "POST";
  handler: Handler;
}

/**
 * Creates the web channel. Static files are read once here, so requests never touch the disk.
 * @example const web = createWebServer({ config, logger, kb, engine }); const { url } = await web.listen();
 */
export function createWebServer(deps: WebServerDeps): WebServer {
  const { config, logger, kb, engine, quiz } = deps;
  const statics = loadStatic(deps.publicDir ?? findPublicDir());
  const local = new RateLimiter(config.API_RATE_LIMIT);
  const limiter: RateLimit = deps.apiLimit ?? local;
  const tokenDigest = config.API_TOKEN ? sha256(config.API_TOKEN) : undefined;
  const bootId = randomBytes(3).toString("hex");
  let requests = 0;

  // Everything that does not change per request is computed once.
  const health = JSON.stringify({
    ok: true,
    indexLoaded: kb.index.store.count > 0,
    documents: kb.docs.map((d) => ({ id: d.id, title: d.meta.title, units: d.units.length })),
    mode: engine.mode,
  });
  const units = kb.docs.flatMap((d) => d.units);
  const withHeading = (t: Target) => ({ ...t, heading: kb.retriever.unit(t.doc, t.ref)?.heading ?? "" });
  const ledger = engine.targets.map(withHeading);
  const ledgerJson = JSON.stringify({ count: ledger.length, targets: ledger });

  const routes = new Map<string, Route>([
    ["/api/ask", { method: "POST", handler: ask }],
    ["/api/units/", { method: "GET", handler: unit }],
    ["/api/search", { method: "GET", handler: search }],
    ["/api/targets", { method: "GET", handler: targets }],
    ["/api/quiz/next", { method: "GET", handler: quizNext }],
    ["/api/quiz/answer", { method: "POST", handler: quizAnswer }],
    ["/api/quiz/score", { method: "GET", handler: quizScore }],
  ]);

  const server = createServer((req, res) => {
    const reqId = `${bootId}-${(++requests).toString(36)}`;
    let child: Logger | undefined;
    const log = () => (child ??= logger.child({ reqId }));
    res.setHeader("X-Request-Id", reqId);
    handle(req, res, log).catch((err: unknown) => fail(res, err, log, req));
  });
  server.requestTimeout = 30_000; // slow uploads cannot hold a socket for minutes
  server.headersTimeout = 10_000;
  server.keepAliveTimeout = 5_000;
  const sweeper = setInterval(() => local.sweep(Date.now()), 60_000);
  sweeper.unref();

  async function handle(req: IncomingMessage, res: ServerResponse, log: () => Logger): Promise<void> {
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const path = q < 0 ? url : url.slice(0, q);
    const isGet = req.method === "GET" || req.method === "HEAD";
    if (!path.startsWith("/api/")) {
      const file = path === "/" || path === "/index.html" ? statics.get("index.html") : path.startsWith("/assets/") ? statics.get(path.slice(8)) : undefined;
      if (path === "/healthz") return isGet ? send(res, 200, health, { "Content-Type": JSON_TYPE, "Cache-Control": "no-store" }) : notAllowed("GET");
      if (!file || (path.startsWith("/assets/") && path.endsWith(".html"))) throw new HttpError(404, `not found: ${path.slice(0, 200)}`);
      if (!isGet) return notAllowed("GET");
      if (req.headers["if-none-match"] === file.etag) return send(res, 304, "", { ETag: file.etag });
      return send(res, 200, file.body, { "Content-Type": file.type, ETag: file.etag, "Cache-Control": "no-cache" });
    }
    const wait = await limiter.take(clientAddress(req, config.TRUST_PROXY), Date.now());
    if (wait > 0) throw new HttpError(429, `too many requests; try again in ${wait} s. 请求过于频繁，请${wait}秒后再试。`, { "Retry-After": String(wait) });
    if (tokenDigest && !authorized(req.headers.authorization, tokenDigest)) {
      throw new HttpError(401, "missing or wrong API token (send Authorization: Bearer <token>). 需要有效的访问令牌。", { "WWW-Authenticate": 'Bearer realm="policybot"' });
    }
    const key = path.startsWith("/api/units/") ? "/api/units/" : path;
    const route = routes.get(key);
    if (!route) throw new HttpError(404, `not found: ${path.slice(0, 200)}`);
    if (req.method !== route.method && !(route.method === "GET" && req.method === "HEAD")) return notAllowed(route.method);
    await route.handler(req, res, { params: path.slice(key.length), query: new URLSearchParams(q < 0 ? "" : url.slice(q + 1)), log });
  }

  async function ask(req: IncomingMessage, res: ServerResponse, ctx: RequestContext): Promise<void> {
    const body = parse(AskBody, await readJson(req));
    const request = { question: body.q, history: body.history };
    if (!wantsStream(req)) {
      sendJson(res, 200, toJson(await answerOr400(request)));
      return;
    }
    // Headers go out with the first token, so that a bad question still gets a plain 400.
    const open = () => {
      if (!res.headersSent) res.writeHead(200, { ...SECURITY_HEADERS, "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-store", "X-Accel-Buffering": "no" });
    };
    const event = (name: string, data: unknown) => {
      if (res.destroyed) return;
      open();
      res.write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
    };
    try {
      const result = await answerOr400(request, (text) => event("token", { text }));
      event("answer", toJson(result));
      event("done", {});
      res.end();
    } catch (err) {
      if (!res.headersSent) throw err;
      if (!(err instanceof HttpError)) ctx.log().error({ err }, "web: failed while streaming an answer");
      event("error", { error: err instanceof HttpError ? err.message : "internal error" });
      res.end();
    }
  }

  async function answerOr400(request: { question: string; history?: HistoryTurn[] }, onToken?: (t: string) => void) {
    try {
      return await engine.answer(request, onToken ? { onToken } : {});
    } catch (err) {
      if (err instanceof AnswerInputError) throw new HttpError(400, err.message);
      throw err;
    }
  }

  function unit(_req: IncomingMessage, res: ServerResponse, ctx: RequestContext): void {
    let ref: string;
    try {
      ref = decodeURIComponent(ctx.params);
    } catch {
      throw new HttpError(400, "the unit ref is not valid URL encoding (e.g. task%3A5)");
    }
    const doc = ctx.query.get("doc");
    const docs = doc ? kb.docs.filter((d) => d.id === doc) : kb.docs;
    if (doc && docs.length === 0) throw new HttpError(404, `no document ${doc}`);
    const u = docs.map((d) => kb.retriever.unit(d.id, ref)).find(Boolean);
    if (!u) throw new HttpError(404, `no unit ${ref}${doc ? ` in ${doc}` : ""}`);
    sendJson(res, 200, { doc: u.doc, ref: u.ref, label: u.label, heading: u.heading, path: u.path, text: u.text, children: u.children });
  }

  async function search(_req: IncomingMessage, res: ServerResponse, ctx: RequestContext): Promise<void> {
    const question = questionParam(ctx.query.get("q"));
    const k = Number(ctx.query.get("k") ?? 5);
    if (!Number.isInteger(k) || k < 1 || k > 50) throw new HttpError(400, "k must be a whole number from 1 to 50");
    const r = await kb.retriever.retrieve(question, { k });
    sendJson(res, 200, retrievalJson(question, r));
  }

  /** The ledger, filtered as the quiz filters topics: a label (第5项, （六）) selects a unit and its children, other text is a keyword. */
  function targets(_req: IncomingMessage, res: ServerResponse, ctx: RequestContext): void {
    const q = ctx.query.get("q")?.trim().slice(0, 100);
    if (!q) return send(res, 200, ledgerJson, { "Content-Type": JSON_TYPE, "Cache-Control": "no-store" });
    const hits = filterTargets(engine.targets, units, q).map(withHeading);
    sendJson(res, 200, { count: hits.length, targets: hits });
  }

  async function quizNext(req: IncomingMessage, res: ServerResponse, ctx: RequestContext): Promise<void> {
    const svc = requireQuiz();
    const topic = ctx.query.get("topic")?.trim().slice(0, 100) || undefined;
    const q = await svc.next(clientId(req), { topic });
    if (!q) throw new HttpError(404, `no quiz question for the topic "${topic ?? ""}". 没有与该主题相关的题目，请换个主题。`);
    // The answer, quote and label stay on the server: for most questions they would give the answer away.
    sendJson(res, 200, { id: q.id, type: q.type, question: q.question, options: q.options, doc: q.doc });
  }

  async function quizAnswer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const svc = requireQuiz();
    const user = clientId(req);
    const body = parse(QuizAnswerBody, await readJson(req));
    const id = body.questionId ?? (typeof body.question === "string" ? body.question : body.question!.id);
    try {
      const grade = await svc.answer(user, id, body.response);
      sendJson(res, 200, { ...grade, score: await svc.score(user) });
    } catch (err) {
      if (err instanceof QuizError) throw new HttpError(err.code === "unknown-question" ? 404 : 400, err.message);
      throw err;
    }
  }

  async function quizScore(req: IncomingMessage, res: ServerResponse): Promise<void> {
    sendJson(res, 200, await requireQuiz().score(clientId(req)));
  }

  function requireQuiz(): WebQuiz {
    if (!quiz) throw new HttpError(404, "the quiz is not enabled on this server. 本服务未开启测验。");
    return quiz;
  }

  function questionParam(raw: string | null): string {
    try {
      return validateQuestion(raw ?? "", config.MAX_QUESTION_CHARS);
    } catch (err) {
      if (err instanceof AnswerInputError) throw new HttpError(400, err.message);
      throw err;
    }
  }

  return {
    server,
    listen: () =>
      new Promise((resolve, reject) => {
        const onError = (err: Error) => reject(new Error(`web: cannot listen on ${config.HOST}:${config.PORT}: ${err.message}`));
        server.once("error", onError);
        server.listen(config.PORT, config.HOST, () => {
          server.off("error", onError);
          const { address, port } = server.address() as AddressInfo;
          resolve({ url: `http://${address.includes(":") ? `[${address}]` : address}:${port}/` });
        });
      }),
    close: () =>
      new Promise((resolve) => {
        clearInterval(sweeper);
        if (!server.listening) return resolve();
        server.close(() => resolve());
        server.closeIdleConnections();
        // In-flight requests (a long SSE answer) get a moment to finish, then are cut.
        setTimeout(() => server.closeAllConnections(), 1_000).unref();
      }),
  };
}

/**
 * Creates the web server and starts listening; what `npm start` calls when the web channel is on.
 * Stop it with `await web.close()` (e.g. on SIGTERM).
 * @example const web = await startWeb({ config, logger, kb, engine: await openEngine(ctx, kb) }); process.once("SIGTERM", () => web.close());
 */
export async function startWeb(deps: WebServerDeps): Promise<WebServer & { url: string }> {
  const web = createWebServer(deps);
  const { url } = await web.listen();
  deps.logger.info({ url, auth: Boolean(deps.config.API_TOKEN), rateLimitPerMinute: deps.config.API_RATE_LIMIT }, "web: listening");
  return { ...web, url };
}

function send(res: ServerResponse, status: number, body: string | Buffer, headers: OutgoingHttpHeaders): void {
  res.writeHead(status, { ...SECURITY_HEADERS, ...headers, "Content-Length": Buffer.byteLength(body) });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, value: unknown, headers: OutgoingHttpHeaders = {}): void {
  send(res, status, JSON.stringify(value), { "Content-Type": JSON_TYPE, "Cache-Control": "no-store", ...headers });
}

function notAllowed(allow: string): never {
  throw new HttpError(405, `method not allowed; use ${allow}`, { Allow: allow === "GET" ? "GET, HEAD" : allow });
}

/** Sends an error; only HttpError messages reach the client, anything else is logged and hidden. */
function fail(res: ServerResponse, err: unknown, log: () => Logger, req: IncomingMessage): void {
  const known = err instanceof HttpError;
  if (!known) log().error({ err, method: req.method, url: req.url }, "web: request failed");
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const status = known ? err.status : 500;
  // After 413 the rest of the body is never read, so the connection cannot be reused.
  const extra: OutgoingHttpHeaders = status === 413 ? { Connection: "close" } : {};
  sendJson(res, status, { error: known ? err.message : "internal error" }, { ...(known ? err.headers : {}), ...extra });
}

function wantsStream(req: IncomingMessage): boolean {
  return (req.headers.accept ?? "").includes("text/event-stream");
}

function clientId(req: IncomingMessage): string {
  const id = req.headers["x-client-id"];
  if (typeof id !== "string" || !CLIENT_ID.test(id)) throw new HttpError(400, "send X-Client-Id: 8–64 characters of A–Z, a–z, 0–9, _ and -");
  return id;
}

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw new HttpError(400, `invalid request: ${r.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ")}`);
}

/** Reads a JSON body of at most MAX_BODY_BYTES; stops reading as soon as it is too big. */
async function readJson(req: IncomingMessage): Promise<unknown> {
  const declared = Number(req.headers["content-length"]);
  const tooBig = () => new HttpError(413, `the request body is larger than ${MAX_BODY_BYTES / 1024} KB`);
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
    req.once("error", () => reject(new HttpError(400, "the request body could not be read")));
  });
  const text = raw.toString("utf8");
  if (!text.trim()) throw new HttpError(400, 'invalid JSON: the body is empty; send e.g. {"q":"今年高标准农田要建多少？"}');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new HttpError(400, `invalid JSON: ${(err as Error).message}`);
  }
}

const sha256 = (s: string) => createHash("sha256").update(s).digest();

/** Compares digests, so the time taken says nothing about the token (not even its length). */
function authorized(header: string | undefined, digest: Buffer): boolean {
  const m = /^Bearer[ ]+(\S+)\s*$/i.exec(header ?? "");
  return timingSafeEqual(sha256(m?.[1] ?? ""), digest) && Boolean(m);
}


interface StaticFile {
  body: Buffer;
  type: string;
  etag: string;
}

function findPublicDir(): string {
  const here = fileURLToPath(new URL("./public/", import.meta.url));
  // tsc does not copy the page into dist/, so a compiled server serves it from src/.
  const fromDist = fileURLToPath(new URL("../../../../src/channels/web/public/", import.meta.url));
  const dir = [here, fromDist].find((d) => existsSync(join(d, "index.html")));
  if (!dir) throw new Error(`web: the page is missing (looked for index.html in ${here} and ${fromDist})`);
  return dir;
}

function loadStatic(dir: string): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (!statSync(path).isFile()) continue;
    const body = readFileSync(path);
    files.set(name, { body, type: TYPES[extname(name)] ?? "application/octet-stream", etag: `"${createHash("sha1").update(body).digest("base64url")}"` });
  }
  if (!files.has("index.html")) throw new Error(`web: ${dir} has no index.html`);
  return files;
}

/**
 * The client a rate limit applies to: the socket's address, or — only behind a trusted reverse proxy
 * (TRUST_PROXY=on) — the nearest address in X-Forwarded-For, which clients cannot forge past the proxy.
 */
export function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  const socket = req.socket.remoteAddress ?? "?";
  if (!trustProxy) return socket;
  const forwarded = String(req.headers["x-forwarded-for"] ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  return forwarded.at(-1) ?? socket;
}
