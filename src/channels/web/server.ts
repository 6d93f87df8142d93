/**
 * The web channel: a JSON/SSE API over the answer engine plus one static page, on plain node:http.
 * This file wires the pieces; routes live in routes/, guards in auth.ts and limits.ts.
 *
 * Routes (all /api/ routes need `Authorization: Bearer <API_TOKEN>` when API_TOKEN is set):
 *   POST /api/ask              { q, history?, doc? } → the `policybot ask --json` object; SSE with Accept: text/event-stream
 *   GET  /api/plans            the loaded plans (id, shortName, title, issuers, 文号, date, counts)
 *   GET  /api/units/:ref?doc=  one unit's full text
 *   GET  /api/plans            the loaded plans (id, shortName, title, issuers, 文号, date, counts)
 *   GET  /api/search?q=&k=&doc=  ranked units with confidence
 *   GET  /api/targets?q=&doc=  the targets ledger, filtered
 *   GET  /api/toc?doc=         the plan's units in order, for browsing
 *   POST /api/feedback         { answerId, vote: "up"|"down" } (with a feedback store; user = X-Client-Id)
 *   GET  /api/quiz/next?topic=&doc=, POST /api/quiz/answer, GET /api/quiz/score  (with a quiz; user = X-Client-Id)
 *   POST /api/quiz/round { topic?, count?, name? }, POST /api/quiz/answer { roundId, … }: rounds with a leaderboard
 * Error messages follow Accept-Language (English when it prefers English, Chinese otherwise).
 *   GET  /healthz, GET /, GET /assets/*   public
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { AnswerEngine } from "../../answer/engine.js";
import { messages } from "../../answer/messages.js";
import type { Config } from "../../config.js";
import type { FeedbackStore } from "../../feedback/store.js";
import type { KnowledgeBase } from "../../knowledge.js";
import type { Logger } from "../../logger.js";
import type { StorageHealth } from "../../storage/health.js";
import { createAuth } from "./auth.js";
import { fail, HttpError, JSON_TYPE, notAllowed, requestLang, send, type Route } from "./http.js";
import { createLimiter } from "./limits.js";
import { askRoutes } from "./routes/ask.js";
import type { WebQuiz } from "./routes/deps.js";
import { planRoutes } from "./routes/plan.js";
import type { RateLimit } from "../rate-limit.js";
import { quizRoutes } from "./routes/quiz.js";
import { createStatic } from "./static.js";

export { MAX_BODY_BYTES } from "./http.js";
export { clientAddress } from "./limits.js";
export type { WebQuiz } from "./routes/deps.js";

/** The port is taken by another program; the CLI prints one line naming it (see cliPortInUse). */
export class PortInUseError extends Error {
  override readonly name = "PortInUseError";
  constructor(readonly port: number, cause: Error) {
    super(`web: port ${port} is already in use; set PORT= to another port`, { cause });
  }
}

/** What {@link createWebServer} needs. */
export interface WebServerDeps {
  config: Pick<Config, "HOST" | "PORT" | "API_TOKEN" | "API_RATE_LIMIT" | "MAX_QUESTION_CHARS" | "TRUST_PROXY">;
  logger: Logger;
  kb: KnowledgeBase;
  engine: AnswerEngine;
  quiz?: WebQuiz;
  /** Where answers and 👍/👎 votes are kept (the store the Telegram bot uses); without it the page shows no vote buttons. */
  store?: Pick<FeedbackStore, "recordAnswer" | "vote">;
  /** The data files' state, reported by /healthz (`degraded` while one cannot serve). */
  storage?: StorageHealth;
  /** Per-client request limit shared by every instance (PostgreSQL); one in this process when absent. */
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

/**
 * Creates the web channel. Static files are read once here, so requests never touch the disk.
 * @example const web = createWebServer({ config, logger, kb, engine }); const { url } = await web.listen();
 */
export function createWebServer(deps: WebServerDeps): WebServer {
  const { config, logger, kb, engine } = deps;
  const serveStatic = createStatic(deps.publicDir);
  const limiter = createLimiter(config.API_RATE_LIMIT, config.TRUST_PROXY, deps.apiLimit);
  const authorize = createAuth(config.API_TOKEN);
  const bootId = randomBytes(3).toString("hex");
  let requests = 0;

  // Everything that does not change per request is computed once.
  const about = {
    indexLoaded: kb.index.store.count > 0,
    documents: kb.docs.map((d) => ({ id: d.id, title: d.meta.title, units: d.units.length })),
    mode: engine.mode,
    feedback: Boolean(deps.store),
    quiz: Boolean(deps.quiz),
  };
  // ok: questions are answered; status: "degraded" while a data file cannot serve (its feature is off).
  const health = () => JSON.stringify({ ok: true, status: deps.storage?.status ?? "ok", ...about, ...(deps.storage ? { storage: deps.storage.report() } : {}) });
  const routeDeps = { config, kb, engine, quiz: deps.quiz, store: deps.store };
  const routes = new Map<string, Route>([...askRoutes(routeDeps), ...planRoutes(routeDeps), ...quizRoutes(routeDeps)]);
  const prefixes = [...routes.keys()].filter((k) => k.endsWith("/"));

  const server = createServer((req, res) => {
    const reqId = `${bootId}-${(++requests).toString(36)}`;
    let child: Logger | undefined;
    const log = () => (child ??= logger.child({ reqId }));
    res.setHeader("X-Request-Id", reqId);
    const started = performance.now();
    // One line per request; the path only (a query string can hold a question, which is logged at debug by its route).
    res.once("finish", () => log().info({ method: req.method, path: (req.url ?? "/").split("?")[0]!.slice(0, 200), status: res.statusCode, ms: Math.round(performance.now() - started) }, "web: request"));
    handle(req, res, log).catch((err: unknown) => fail(res, err, log, req, messages(requestLang(req))));
  });
  server.requestTimeout = 30_000; // slow uploads cannot hold a socket for minutes
  server.headersTimeout = 10_000;
  server.keepAliveTimeout = 5_000;

  async function handle(req: IncomingMessage, res: ServerResponse, log: () => Logger): Promise<void> {
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const path = q < 0 ? url : url.slice(0, q);
    const lang = requestLang(req);
    const m = messages(lang);
    if (!path.startsWith("/api/")) {
      if (path !== "/healthz") return serveStatic(req, res, path);
      if (req.method !== "GET" && req.method !== "HEAD") return notAllowed("GET", m);
      return send(res, 200, health(), { "Content-Type": JSON_TYPE, "Cache-Control": "no-store" });
    }
    await limiter.check(req, m);
    authorize(req, m);
    const key = prefixes.find((p) => path.startsWith(p)) ?? path;
    const route = routes.get(key);
    if (!route) throw new HttpError(404, m.notFound(path.slice(0, 200)));
    if (req.method !== route.method && !(route.method === "GET" && req.method === "HEAD")) return notAllowed(route.method, m);
    await route.handler(req, res, { params: path.slice(key.length), query: new URLSearchParams(q < 0 ? "" : url.slice(q + 1)), log, lang, m });
  }

  return {
    server,
    listen: () =>
      new Promise((resolve, reject) => {
        const onError = (err: NodeJS.ErrnoException) =>
          reject(err.code === "EADDRINUSE" ? new PortInUseError(config.PORT, err) : new Error(`web: cannot listen on ${config.HOST}:${config.PORT}: ${err.message}`, { cause: err }));
        server.once("error", onError);
        server.listen(config.PORT, config.HOST, () => {
          server.off("error", onError);
          const { address, port } = server.address() as AddressInfo;
          resolve({ url: `http://${address.includes(":") ? `[${address}]` : address}:${port}/` });
        });
      }),
    close: () =>
      new Promise((resolve) => {
        limiter.dispose();
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
