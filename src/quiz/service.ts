/**
 * The quiz as channels (CLI, Telegram, web) use it: personal practice with spaced repetition and
 * group rounds in a chat. It owns no I/O beyond its {@link QuizStore}.
 */
import { randomBytes } from "node:crypto";
import type { Unit } from "../plan/types.js";
import type { Target } from "../targets/types.js";
import { composeRound, fairTargets, generateQuestions, relatedTargets } from "./compose.js";
import { filterTargets, makeQuestion, mulberry32, questionById, shuffle, targetKey } from "./generate.js";
import { gradeAnswer } from "./grade.js";
import type { Card, QuizStore, Round, Standing } from "./store.js";
import { QUESTION_TYPES, type Grade, QuizError, type QuestionType, type QuizQuestion } from "./types.js";

/**
 * Leitner intervals: a right answer moves a target up one box and it comes back after the box's
 * interval (box 2 after 1 min, box 3 after 10 min, box 4 after 1 h, box 5 after 1 day …).
 * Box 1 is where a wrong answer puts it: due at once.
 */
export const BOX_INTERVALS_MS = [60_000, 600_000, 3_600_000, 86_400_000, 3 * 86_400_000, 7 * 86_400_000, 30 * 86_400_000];
export const MAX_BOX = BOX_INTERVALS_MS.length + 1;

/**
 * The next state of a card after an answer. A target never seen counts as box 1.
 * @example schedule(undefined, true, 0) // { box: 2, dueAt: 60000 }
 */
export function schedule(card: Pick<Card, "box"> | undefined, correct: boolean, now: number): { box: number; dueAt: number } {
  if (!correct) return { box: 1, dueAt: now };
  const box = Math.min((card?.box ?? 1) + 1, MAX_BOX);
  return { box, dueAt: now + BOX_INTERVALS_MS[box - 2]! };
}

/** What {@link createQuizService} needs. */
export interface QuizServiceOptions {
  store: QuizStore;
  /** The whole ledger: topics select from it and distractors come from it. */
  targets: readonly Target[];
  units: readonly Unit[];
  /** Clock in epoch ms; injected by tests. */
  now?: () => number;
  /** Random source for picking targets, types and round seeds; injected by tests. */
  random?: () => number;
}

/** The question a round is on. */
export interface RoundQuestion {
  roundId: string;
  chatId: string;
  /** 0-based. */
  index: number;
  total: number;
  question: QuizQuestion;
  /** On a round's first question, when its topic had fewer targets than asked: what was done about it (主题“教育”只有3个目标，另补充了2道相关条目的题。). */
  note?: string;
}

/** The quiz operations channels call. Each resolves once its store has answered. */
export interface QuizService {
  /**
   * The next question for a user: due repetitions first (wrong answers are due at once), then unseen targets,
   * of one plan when `doc` is given. Targets in `exclude` (keys asked earlier in the same session) are
   * skipped; once the topic's own run out, related targets follow. Undefined when the topic selects nothing.
   */
  next(userId: string, opts?: { topic?: string; types?: readonly QuestionType[]; doc?: string; exclude?: readonly string[] }): Promise<QuizQuestion | undefined>;
  /** How many targets a topic offers questions about (all of them without a topic), in one plan when `doc` is given. */
  topicSize(topic?: string, doc?: string): number;
  /** The question `next` last put to a user within `withinMs` (default an hour) that is still unanswered. */
  openQuestion(userId: string, withinMs?: number): Promise<QuizQuestion | undefined>;
  /** A question rebuilt from its id (channels may keep only the id). */
  question(id: string): QuizQuestion | undefined;
  /**
   * Grades, records the attempt and moves the target's Leitner box. The server's copy of the question wins over the one passed in.
   * With `issuedOnly` (channels whose clients can resend a request), only a question that `next` put to this user is graded, and only
   * once: otherwise QuizError "already-answered" or "not-issued", and nothing is recorded.
   */
  answer(userId: string, question: QuizQuestion | string, response: string, opts?: { chatId?: string; issuedOnly?: boolean }): Promise<Grade>;
  score(userId: string): Promise<{ answered: number; correct: number }>;
  leaderboard(chatId?: string, limit?: number): Promise<Standing[]>;
  /** Starts a round in a chat; throws QuizError "round-active" when one runs, "no-questions" when the topic selects nothing. */
  startRound(chatId: string, startedBy: string, opts?: { count?: number; topic?: string; types?: readonly QuestionType[] }): Promise<RoundQuestion>;
  /** The current question of an active round. */
  roundQuestion(roundId: string): Promise<RoundQuestion | undefined>;
  /**
   * One user's answer to the current question. Only the first answer counts: a second tap returns
   * `first: false` and the grade of the first. With `questionIndex`, a tap on an older question
   * throws QuizError "stale-question".
   */
  answerRound(roundId: string, userId: string, displayName: string, response: string, questionIndex?: number): Promise<{ grade: Grade; first: boolean }>;
  /**
   * Moves to the next question; undefined (and the round finished) after the last one. With
   * `fromIndex`, only when the round is still on that question: of two callers closing the same
   * question (a timer and /next, on any instance) one gets `"moved"` and the other `"stale"`.
   */
  advanceRound(roundId: string, fromIndex?: number): Promise<RoundQuestion | undefined | "stale">;
  /** Ends the round and returns its leaderboard (by correct answers, ties to the faster). */
  finishRound(roundId: string): Promise<Standing[]>;
  activeRound(chatId: string): Promise<Round | undefined>;
  /** A round in any state (active, finished or stopped); undefined when there is none by that id. */
  round(roundId: string): Promise<Round | undefined>;
  /** Stops the chat's active round; its leaderboard, or undefined when none ran. */
  stopRound(chatId: string): Promise<Standing[] | undefined>;
  /** Questions for a printable sheet (deterministic given the seed). */
  sheet(count: number, opts?: { topic?: string; seed?: number; types?: readonly QuestionType[] }): QuizQuestion[];
}

/**
 * Creates the quiz service over a store and the ledger.
 * @example const quiz = createQuizService({ store: new SqliteQuizStore(quizDbPath(dir)), targets, units });
 */
export function createQuizService(opts: QuizServiceOptions): QuizService {
  const { store, targets, units } = opts;
  const now = opts.now ?? Date.now;
  const random = opts.random ?? Math.random;
  const data = { targets, units };
  const fair = fairTargets(data);
  const quizTargets = targets.filter(fair);

  /** A question of one of the allowed types about t, types tried in a random order. */
  const ask = (t: Target, types: readonly QuestionType[]): QuizQuestion | undefined => {
    const rng = mulberry32(Math.floor(random() * 2 ** 32));
    const order = shuffle(types, rng);
    for (const type of order) {
      const q = makeQuestion(t, type, Math.floor(rng() * 1e6), data);
      if (q) return q;
    }
    return undefined;
  };

  const record = async (tx: QuizStore, userId: string, q: QuizQuestion, correct: boolean, chatId: string | undefined, at: number) => {
    await tx.recordAttempt({ userId, chatId: chatId ?? null, questionId: q.id, targetKey: q.targetKey, type: q.type, correct, answeredAt: at });
    await tx.putCard({ userId, targetKey: q.targetKey, ...schedule(await tx.getCard(userId, q.targetKey), correct, at), updatedAt: at });
  };

  const view = (r: Round): RoundQuestion | undefined => {
    const question = r.questions[r.currentIndex];
    return r.state === "active" && question ? { roundId: r.id, chatId: r.chatId, index: r.currentIndex, total: r.questions.length, question } : undefined;
  };

  const activeOrThrow = async (roundId: string): Promise<Round> => {
    const r = await store.getRound(roundId);
    if (!r) throw new QuizError("no-round", `no quiz round ${roundId}`);
    if (r.state !== "active") throw new QuizError("round-over", `quiz round ${roundId} is over`);
    return r;
  };

  const service: QuizService = {
    async next(userId, o = {}) {
      const inDoc = quizTargets.filter((t) => !o.doc || t.doc === o.doc);
      const own = filterTargets(inDoc, units, o.topic);
      if (own.length === 0) return undefined;
      const excluded = new Set(o.exclude ?? []);
      let pool = own.filter((t) => !excluded.has(targetKey(t)));
      // The topic's own targets are all asked this session: go on with related ones.
      if (pool.length === 0 && o.topic?.trim()) pool = relatedTargets(own, inDoc, units, o.topic, random).filter((t) => !excluded.has(targetKey(t))).slice(0, 5);
      if (pool.length === 0) pool = own;
      const types = o.types?.length ? o.types : QUESTION_TYPES;
      const inPool = new Map(pool.map((t) => [targetKey(t), t]));
      const cards = (await store.cards(userId)).filter((c) => inPool.has(c.targetKey));
      // Asking again the target just answered teaches nothing; skip it while there is a choice.
      const last = (await store.lastAttempt(userId))?.targetKey;
      const ok = (k: string) => k !== last || pool.length === 1;
      const t0 = now();
      const due = cards.filter((c) => c.dueAt <= t0 && ok(c.targetKey)).sort((a, b) => a.box - b.box || a.dueAt - b.dueAt);
      const seen = new Set(cards.map((c) => c.targetKey));
      const unseen = pool.filter((t) => !seen.has(targetKey(t)));
      const candidates = [
        ...due.map((c) => inPool.get(c.targetKey)!),
        ...shuffle(unseen, random),
        ...cards.filter((c) => c.dueAt > t0 && ok(c.targetKey)).map((c) => inPool.get(c.targetKey)!),
        ...pool,
      ];
      for (const t of candidates) {
        const q = ask(t, types);
        if (q) {
          await store.issueQuestion(userId, q.id, t0);
          return q;
        }
      }
      return undefined;
    },

    question: (id) => questionById(id, data),

    async openQuestion(userId, withinMs = 3_600_000) {
      const id = await store.openQuestion(userId, now() - withinMs);
      return id === undefined ? undefined : questionById(id, data);
    },

    topicSize: (topic, doc) => filterTargets(quizTargets.filter((t) => !doc || t.doc === doc), units, topic).length,

    async answer(userId, question, response, o = {}) {
      const id = typeof question === "string" ? question : question.id;
      const q = questionById(id, data) ?? (typeof question === "string" ? undefined : question);
      if (!q) throw new QuizError("unknown-question", `unknown quiz question ${id}`);
      const grade = gradeAnswer(q, response);
      const at = now();
      await store.transaction(async (tx) => {
        const claim = o.issuedOnly ? await tx.claimQuestion(userId, q.id, at) : "ok";
        if (claim === "answered") throw new QuizError("already-answered", "这道题已经答过了，每道题只计一次分；请换下一题。(this question was already answered)");
        if (claim === "not-issued") throw new QuizError("not-issued", "这道题不是发给你的，或已过期；请先获取新题目。(this question was not issued to you)");
        await record(tx, userId, q, grade.correct, o.chatId, at);
      });
      return grade;
    },

    score: async (userId) => store.score(userId),
    leaderboard: async (chatId, limit = 10) => store.leaderboard(chatId, limit),

    async startRound(chatId, startedBy, o = {}) {
      if (await store.activeRound(chatId)) throw new QuizError("round-active", "a quiz round is already running in this chat");
      const { questions, note } = composeRound(targets, units, { count: o.count ?? 5, topic: o.topic, types: o.types, seed: Math.floor(random() * 2 ** 31) });
      if (questions.length === 0) throw new QuizError("no-questions", `no targets match the topic "${o.topic ?? ""}"`);
      const round: Round = { id: randomBytes(6).toString("base64url"), chatId, startedBy, questions, currentIndex: 0, state: "active", createdAt: now() };
      try {
        await store.createRound(round);
      } catch (err) {
        // Two starts racing: the unique index on active rounds lets only one through.
        if (await store.activeRound(chatId)) throw new QuizError("round-active", "a quiz round is already running in this chat");
        throw err;
      }
      return { ...view(round)!, ...(note ? { note } : {}) };
    },

    async roundQuestion(roundId) {
      const r = await store.getRound(roundId);
      return r && view(r);
    },

    async answerRound(roundId, userId, displayName, response, questionIndex) {
      const r = await activeOrThrow(roundId);
      if (questionIndex !== undefined && questionIndex !== r.currentIndex) throw new QuizError("stale-question", "that question of the round is closed");
      const q = r.questions[r.currentIndex]!;
      const grade = gradeAnswer(q, response);
      const at = now();
      const first = await store.transaction(async (tx) => {
        const added = await tx.addRoundAnswer({ roundId, questionIndex: r.currentIndex, userId, displayName, response, correct: grade.correct, answeredAt: at });
        if (added) {
          await tx.setDisplayName(userId, displayName, at);
          await record(tx, userId, q, grade.correct, r.chatId, at);
        }
        return added;
      });
      if (first) return { grade, first };
      // A second tap: report the first answer, so tapping every option reveals nothing.
      const earlier = await store.roundAnswer(roundId, r.currentIndex, userId);
      return { grade: gradeAnswer(q, earlier?.response ?? response), first: false };
    },

    async advanceRound(roundId, fromIndex) {
      const r = await activeOrThrow(roundId);
      if (fromIndex !== undefined && fromIndex !== r.currentIndex) return "stale";
      const from = r.currentIndex;
      const next = from + 1;
      const last = next >= r.questions.length;
      const moved = await store.updateRound(roundId, last ? { currentIndex: r.questions.length, state: "finished" } : { currentIndex: next }, from);
      if (!moved) return "stale";
      return last ? undefined : view({ ...r, currentIndex: next });
    },

    async finishRound(roundId) {
      const r = await store.getRound(roundId);
      if (!r) throw new QuizError("no-round", `no quiz round ${roundId}`);
      if (r.state === "active") await store.updateRound(roundId, { state: "finished" });
      return store.roundStandings(roundId);
    },

    activeRound: async (chatId) => store.activeRound(chatId),
    round: async (roundId) => store.getRound(roundId),

    async stopRound(chatId) {
      const r = await store.activeRound(chatId);
      if (!r) return undefined;
      await store.updateRound(r.id, { state: "stopped" });
      return store.roundStandings(r.id);
    },

    sheet: (count, o = {}) => generateQuestions(targets, units, { count, ...o }),
  };
  return service;
}
