/** POST /api/ask and GET /api/search: answers (JSON or SSE) and ranked units. */
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { validateQuestion } from "../../../answer/engine.js";
import { answerJson } from "../../../answer/json.js";
import { AnswerInputError, HistoryTurn } from "../../../answer/types.js";
import { retrievalJson } from "../../../retrieve/present.js";
import { HttpError, parse, readJson, sendJson, type RequestContext } from "../http.js";
import { eventStream, wantsStream } from "../sse.js";
import type { RouteDeps, Routes } from "./deps.js";

const AskBody = z.object({ q: z.string(), history: z.array(HistoryTurn).max(10).optional() });

/** The answer routes. */
export function askRoutes({ config, kb, engine }: RouteDeps): Routes {
  async function answerOr400(request: { question: string; history?: HistoryTurn[] }, onToken?: (t: string) => void) {
    try {
      return await engine.answer(request, onToken ? { onToken } : {});
    } catch (err) {
      if (err instanceof AnswerInputError) throw new HttpError(400, err.message);
      throw err;
    }
  }

  async function ask(req: IncomingMessage, res: ServerResponse, ctx: RequestContext): Promise<void> {
    const body = parse(AskBody, await readJson(req));
    const request = { question: body.q, history: body.history };
    if (!wantsStream(req)) {
      sendJson(res, 200, answerJson(await answerOr400(request)));
      return;
    }
    const event = eventStream(res);
    try {
      const result = await answerOr400(request, (text) => event("token", { text }));
      event("answer", answerJson(result));
      event("done", {});
      res.end();
    } catch (err) {
      if (!res.headersSent) throw err;
      if (!(err instanceof HttpError)) ctx.log().error({ err }, "web: failed while streaming an answer");
      event("error", { error: err instanceof HttpError ? err.message : "internal error" });
      res.end();
    }
  }

  async function search(_req: IncomingMessage, res: ServerResponse, ctx: RequestContext): Promise<void> {
    let question: string;
    try {
      question = validateQuestion(ctx.query.get("q") ?? "", config.MAX_QUESTION_CHARS);
    } catch (err) {
      if (err instanceof AnswerInputError) throw new HttpError(400, err.message);
      throw err;
    }
    const k = Number(ctx.query.get("k") ?? 5);
    if (!Number.isInteger(k) || k < 1 || k > 50) throw new HttpError(400, "k must be a whole number from 1 to 50");
    const r = await kb.retriever.retrieve(question, { k });
    sendJson(res, 200, retrievalJson(question, r));
  }

  return [
    ["/api/ask", { method: "POST", handler: ask }],
    ["/api/search", { method: "GET", handler: search }],
  ];
}
