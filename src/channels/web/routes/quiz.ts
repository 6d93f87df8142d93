/** GET /api/quiz/next, POST /api/quiz/answer, GET /api/quiz/score (user = X-Client-Id). */
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { QuizError } from "../../../quiz/types.js";
import { HttpError, parse, readJson, sendJson, type RequestContext } from "../http.js";
import type { RouteDeps, Routes, WebQuiz } from "./deps.js";

const QuestionId = z.string().min(1).max(300);
// Only the id is taken from the client: a question object it sends could carry an answer of its choosing.
const QuizAnswerBody = z
  .object({ questionId: QuestionId.optional(), question: z.union([QuestionId, z.object({ id: QuestionId })]).optional(), response: z.string().max(2000) })
  .refine((b) => b.questionId ?? b.question, { message: "give questionId (or question)" });
const CLIENT_ID = /^[A-Za-z0-9_-]{8,64}$/;

/** The quiz routes; each answers 404 when the server has no quiz. */
export function quizRoutes({ quiz }: RouteDeps): Routes {
  function requireQuiz(): WebQuiz {
    if (!quiz) throw new HttpError(404, "the quiz is not enabled on this server. 本服务未开启测验。");
    return quiz;
  }

  function next(req: IncomingMessage, res: ServerResponse, ctx: RequestContext): void {
    const svc = requireQuiz();
    const topic = ctx.query.get("topic")?.trim().slice(0, 100) || undefined;
    const q = svc.next(clientId(req), { topic });
    if (!q) throw new HttpError(404, `no quiz question for the topic "${topic ?? ""}". 没有与该主题相关的题目，请换个主题。`);
    // The answer, quote and label stay on the server: for most questions they would give the answer away.
    sendJson(res, 200, { id: q.id, type: q.type, question: q.question, options: q.options, doc: q.doc });
  }

  async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const svc = requireQuiz();
    const user = clientId(req);
    const body = parse(QuizAnswerBody, await readJson(req));
    const id = body.questionId ?? (typeof body.question === "string" ? body.question : body.question!.id);
    try {
      // One grade per question issued: resending an answer must not score again.
      const grade = svc.answer(user, id, body.response, { issuedOnly: true });
      sendJson(res, 200, { ...grade, score: svc.score(user) });
    } catch (err) {
      if (err instanceof QuizError) throw new HttpError(err.code === "unknown-question" ? 404 : err.code === "already-answered" || err.code === "not-issued" ? 409 : 400, err.message);
      throw err;
    }
  }

  function score(req: IncomingMessage, res: ServerResponse): void {
    sendJson(res, 200, requireQuiz().score(clientId(req)));
  }

  return [
    ["/api/quiz/next", { method: "GET", handler: next }],
    ["/api/quiz/answer", { method: "POST", handler: answer }],
    ["/api/quiz/score", { method: "GET", handler: score }],
  ];
}

/** The browser's anonymous id (X-Client-Id), under which its quiz score is kept. */
export function clientId(req: IncomingMessage): string {
  const id = req.headers["x-client-id"];
  if (typeof id !== "string" || !CLIENT_ID.test(id)) throw new HttpError(400, "send X-Client-Id: 8–64 characters of A–Z, a–z, 0–9, _ and -");
  return id;
}
