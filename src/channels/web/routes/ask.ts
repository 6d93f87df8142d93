/** POST /api/ask, GET /api/search and POST /api/feedback: answers (JSON or SSE), ranked units and votes on answers. */
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { validateQuestion } from "../../../answer/engine.js";
import { answerJson } from "../../../answer/json.js";
import { AnswerInputError, HistoryTurn, type AnswerResult } from "../../../answer/types.js";
import { retrievalJson } from "../../../retrieve/present.js";
import { StorageError } from "../../../storage/errors.js";
import { HttpError, parse, readJson, sendJson, type RequestContext } from "../http.js";
import { eventStream, wantsStream } from "../sse.js";
import { planParam, type RouteDeps, type Routes } from "./deps.js";
import { clientIdOr } from "./quiz.js";
import { searchPlans } from "../../../retrieve/router.js";
import { summarizePlans } from "../../../answer/plans.js";

const AskBody = z.object({ q: z.string(), history: z.array(HistoryTurn).max(10).optional(), doc: z.string().max(200).optional() });
const FeedbackBody = z.object({ answerId: z.number().int().positive(), vote: z.enum(["up", "down"]) });

/** The answer routes. */
export function askRoutes({ config, kb, engine, store }: RouteDeps): Routes {
  async function answerOr400(request: { question: string; history?: HistoryTurn[]; doc?: string }, onToken?: (t: string) => void) {
    try {
      return await engine.answer(request, onToken ? { onToken } : {});
    } catch (err) {
      if (err instanceof AnswerInputError) throw new HttpError(400, err.message);
      throw err;
    }
  }

  /** The answer JSON, with the id votes refer to when answers are recorded. */
  async function reply(req: IncomingMessage, r: AnswerResult) {
    if (!store) return answerJson(r);
    const user = clientIdOr(req, "web");
    try {
      const answerId = await store.recordAnswer({ channel: "web", chatId: user, userId: user, question: r.question, answer: r.answer, citations: r.citations, abstained: r.abstained, mode: r.mode, ms: r.ms });
      return { ...answerJson(r), answerId };
    } catch (err) {
      // A broken feedback database costs the vote buttons (no answerId), never the answer.
      if (err instanceof StorageError) return answerJson(r);
      throw err;
    }
  }

  async function ask(req: IncomingMessage, res: ServerResponse, ctx: RequestContext): Promise<void> {
    const body = parse(AskBody, await readJson(req, ctx.m), ctx.m);
    ctx.log().debug({ question: body.q.slice(0, 500), turns: body.history?.length ?? 0 }, "web: question");
    const request = { question: body.q, history: body.history, doc: planParam(kb, body.doc) };
    if (!wantsStream(req)) {
      sendJson(res, 200, await reply(req, await answerOr400(request)));
      return;
    }
    const event = eventStream(res);
    try {
      const result = await answerOr400(request, (text) => event("token", { text }));
      event("answer", await reply(req, result));
      event("done", {});
      res.end();
    } catch (err) {
      if (!res.headersSent) throw err;
      if (!(err instanceof HttpError)) ctx.log().error({ err }, "web: failed while streaming an answer");
      event("error", { error: err instanceof HttpError ? err.message : ctx.m.internalError });
      res.end();
    }
  }

  async function feedback(req: IncomingMessage, res: ServerResponse, ctx: RequestContext): Promise<void> {
    if (!store) throw new HttpError(404, ctx.m.feedbackDisabled);
    const body = parse(FeedbackBody, await readJson(req, ctx.m), ctx.m);
    if (!(await store.vote(body.answerId, clientIdOr(req, "web"), body.vote))) throw new HttpError(404, ctx.m.noAnswer);
    sendJson(res, 200, { ok: true, answerId: body.answerId, vote: body.vote });
  }

  async function search(_req: IncomingMessage, res: ServerResponse, ctx: RequestContext): Promise<void> {
    let question: string;
    try {
      question = validateQuestion(ctx.query.get("q") ?? "", config.MAX_QUESTION_CHARS);
    } catch (err) {
      if (err instanceof AnswerInputError) throw new HttpError(400, err.message);
      throw err;
    }
    ctx.log().debug({ question }, "web: search");
    const k = Number(ctx.query.get("k") ?? 5);
    if (!Number.isInteger(k) || k < 1 || k > 50) throw new HttpError(400, ctx.m.badK);
    const r = await searchPlans({ retriever: kb.retriever, catalog: kb.catalog, docs: kb.docs }, question, { k, doc: planParam(kb, ctx.query.get("doc")) });
    sendJson(res, 200, retrievalJson(question, r, kb.catalog));
  }

  /** GET /api/plans: the loaded plans (id, short name, title, issuers, 文号, date, counts). */
  function plans(_req: IncomingMessage, res: ServerResponse): void {
    sendJson(res, 200, { count: kb.docs.length, plans: summarizePlans(kb.catalog, kb.docs, engine.targets) });
  }

  return [
    ["/api/ask", { method: "POST", handler: ask }],
    ["/api/search", { method: "GET", handler: search }],
    ["/api/plans", { method: "GET", handler: plans }],
    ["/api/feedback", { method: "POST", handler: feedback }],
  ];
}
