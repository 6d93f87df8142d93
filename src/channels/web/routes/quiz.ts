/**
 * The quiz (user = X-Client-Id): GET /api/quiz/next, POST /api/quiz/answer, GET /api/quiz/score for
 * single questions; POST /api/quiz/round and GET /api/quiz/leaderboard for rounds like the Telegram ones.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import type { Messages } from "../../../answer/messages.js";
import { filterTargets } from "../../../quiz/generate.js";
import { understands } from "../../../quiz/grade.js";
import type { RoundQuestion } from "../../../quiz/service.js";
import { QuizError, type QuizQuestion } from "../../../quiz/types.js";
import { HttpError, parse, readJson, sendJson, type RequestContext } from "../http.js";
import { planParam, type RouteDeps, type Routes, type WebQuiz } from "./deps.js";

const QuestionId = z.string().min(1).max(300);
const Name = z.string().trim().max(20).optional();
// Only the id is taken from the client: a question object it sends could carry an answer of its choosing.
const QuizAnswerBody = z
  .object({
    questionId: QuestionId.optional(),
    question: z.union([QuestionId, z.object({ id: QuestionId })]).optional(),
    response: z.string().max(2000),
    roundId: z.string().min(1).max(64).optional(),
    index: z.number().int().min(0).max(100).optional(),
    name: Name,
  })
  .refine((b) => b.roundId ?? b.questionId ?? b.question, { message: "give questionId (or question, or roundId)" });
const RoundBody = z.object({ topic: z.string().max(100).optional(), count: z.number().int().min(1).max(20).optional(), name: Name });
const CLIENT_ID = /^[A-Za-z0-9_-]{8,64}$/;

/** What the page may see of a question: the answer, quote and label stay on the server, for most questions they would give the answer away. */
const publicQuestion = (q: QuizQuestion) => ({ id: q.id, type: q.type, question: q.question, options: q.options, doc: q.doc });
const publicRound = (r: RoundQuestion) => ({ roundId: r.roundId, index: r.index, total: r.total, question: publicQuestion(r.question) });
/** A browser's round runs in its own "chat", so that one browser never joins another's round. */
const chatOf = (user: string) => `web:${user}`;
/** A player with no name shows as 访客 and the start of its id. */
const displayName = (name: string | undefined, user: string) => name || `访客${user.slice(0, 4)}`;

/** The quiz routes; each answers 404 when the server has no quiz. */
export function quizRoutes({ quiz, kb, engine }: RouteDeps): Routes {
  const units = kb.docs.flatMap((d) => d.units);
  function requireQuiz(m: Messages): WebQuiz {
    if (!quiz) throw new HttpError(404, m.quizDisabled);
    return quiz;
  }
  function requireRounds(m: Messages): Required<WebQuiz> {
    const svc = requireQuiz(m);
    if (!svc.startRound || !svc.answerRound || !svc.advanceRound || !svc.finishRound || !svc.stopRound || !svc.activeRound || !svc.roundQuestion || !svc.leaderboard) throw new HttpError(404, m.quizDisabled);
    return svc as Required<WebQuiz>;
  }
  const quizError = (err: unknown, m: Messages, topic = ""): never => {
    if (!(err instanceof QuizError)) throw err;
    if (err.code === "no-questions") throw new HttpError(404, m.quizNoTopic(topic));
    if (err.code === "unknown-question") throw new HttpError(404, m.quizUnknownQuestion);
    if (err.code === "no-round" || err.code === "round-over" || err.code === "stale-question") throw new HttpError(409, m.quizNoRound);
    if (err.code === "already-answered") throw new HttpError(409, m.quizAnswerOnce);
    if (err.code === "not-issued") throw new HttpError(409, m.quizNotIssued);
    throw new HttpError(400, err.message);
  };

  async function next(req: IncomingMessage, res: ServerResponse, ctx: RequestContext): Promise<void> {
    const svc = requireQuiz(ctx.m);
    const topic = ctx.query.get("topic")?.trim().slice(0, 100) || undefined;
    const doc = planParam(kb, ctx.query.get("doc"));
    const q = await svc.next(clientId(req, ctx.m), { topic, ...(doc ? { doc } : {}) });
    if (!q) throw new HttpError(404, ctx.m.quizNoTopic(topic ?? ""));
    sendJson(res, 200, publicQuestion(q));
  }

  async function round(req: IncomingMessage, res: ServerResponse, ctx: RequestContext): Promise<void> {
    const svc = requireRounds(ctx.m);
    const user = clientId(req, ctx.m);
    const body = parse(RoundBody, await readJson(req, ctx.m), ctx.m);
    const topic = body.topic?.trim() || undefined;
    // Starting again abandons the browser's unfinished round (a reload, another topic).
    if (await svc.activeRound(chatOf(user))) await svc.stopRound(chatOf(user));
    try {
      const count = body.count ?? 5;
      const started = publicRound(await svc.startRound(chatOf(user), user, { topic, count }));
      // Say how many targets the topic has, so that related questions in the round are no surprise.
      const note = topic ? ctx.m.quizTopicCount(topic, filterTargets(engine.targets, units, topic).length, count) : undefined;
      sendJson(res, 200, { ...started, ...(note ? { note } : {}) });
    } catch (err) {
      quizError(err, ctx.m, topic);
    }
  }

  async function answer(req: IncomingMessage, res: ServerResponse, ctx: RequestContext): Promise<void> {
    const svc = requireQuiz(ctx.m);
    const user = clientId(req, ctx.m);
    const body = parse(QuizAnswerBody, await readJson(req, ctx.m), ctx.m);
    if (body.roundId) return answerRound(res, ctx, user, body.roundId, body.response, body.index, body.name);
    const id = body.questionId ?? (typeof body.question === "string" ? body.question : body.question!.id);
    try {
      // One grade per question issued: resending an answer must not score again.
      const grade = await svc.answer(user, id, body.response, { issuedOnly: true });
      sendJson(res, 200, { ...grade, score: await svc.score(user) });
    } catch (err) {
      quizError(err, ctx.m);
    }
  }

  /** Grades the round's current question and moves on; after the last one, the round's result and the leaderboard. */
  async function answerRound(res: ServerResponse, ctx: RequestContext, user: string, roundId: string, response: string, index: number | undefined, name: string | undefined): Promise<void> {
    const svc = requireRounds(ctx.m);
    const current = await svc.roundQuestion(roundId);
    // Another browser's round id is treated as unknown, not as a way to answer for it.
    if (!current || current.chatId !== chatOf(user)) throw new HttpError(409, ctx.m.quizNoRound);
    // A typo is sent back to be answered again (422), not graded wrong.
    if (!understands(current.question, response)) {
      const q = current.question;
      throw new HttpError(422, q.type === "fill" ? ctx.m.quizNeedNumber : ctx.m.quizNotUnderstood(q.type === "true-false" ? "对/错" : q.options.map((_, i) => String.fromCharCode(65 + i)).join("/")));
    }
    try {
      const { grade } = await svc.answerRound(roundId, user, displayName(name, user), response, index);
      // A browser's round has one player: the answer moves it on (a concurrent resend finds it moved).
      const next = await svc.advanceRound(roundId, current.index);
      if (next === "stale") throw new QuizError("stale-question", ctx.m.quizNoRound);
      const base = { ...grade, score: await svc.score(user), index: current.index, total: current.total };
      if (next) return sendJson(res, 200, { ...base, next: publicRound(next) });
      const standings = await svc.finishRound(roundId);
      const mine = standings.find((s) => s.userId === user) ?? { answered: 0, correct: 0 };
      sendJson(res, 200, { ...base, finished: { correct: mine.correct, answered: current.total }, leaderboard: (await svc.leaderboard(undefined, 10)).map((s) => ({ ...s, me: s.userId === user, userId: undefined })) });
    } catch (err) {
      quizError(err, ctx.m);
    }
  }

  async function leaderboard(req: IncomingMessage, res: ServerResponse, ctx: RequestContext): Promise<void> {
    const svc = requireRounds(ctx.m);
    const user = clientIdOr(req, "");
    sendJson(res, 200, { leaderboard: (await svc.leaderboard(undefined, 10)).map((s) => ({ ...s, me: s.userId === user, userId: undefined })) });
  }

  async function score(req: IncomingMessage, res: ServerResponse, ctx: RequestContext): Promise<void> {
    sendJson(res, 200, await requireQuiz(ctx.m).score(clientId(req, ctx.m)));
  }

  return [
    ["/api/quiz/next", { method: "GET", handler: next }],
    ["/api/quiz/round", { method: "POST", handler: round }],
    ["/api/quiz/answer", { method: "POST", handler: answer }],
    ["/api/quiz/score", { method: "GET", handler: score }],
    ["/api/quiz/leaderboard", { method: "GET", handler: leaderboard }],
  ];
}

/** The browser's anonymous id (X-Client-Id), under which its quiz score and votes are kept. */
export function clientId(req: IncomingMessage, m: Messages): string {
  const id = req.headers["x-client-id"];
  if (typeof id !== "string" || !CLIENT_ID.test(id)) throw new HttpError(400, m.badClientId);
  return id;
}

/** The X-Client-Id when it is well formed, otherwise `fallback`. */
export function clientIdOr(req: IncomingMessage, fallback: string): string {
  const id = req.headers["x-client-id"];
  return typeof id === "string" && CLIENT_ID.test(id) ? id : fallback;
}
