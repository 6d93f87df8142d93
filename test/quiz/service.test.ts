import { describe, expect, it } from "vitest";
import { makeQuestion, mulberry32, targetKey } from "../../src/quiz/generate.js";
import { createQuizService, schedule } from "../../src/quiz/service.js";
import { MemoryQuizStore } from "../../src/quiz/store.js";
import { QuizError } from "../../src/quiz/types.js";
import { extractTargets } from "../../src/targets/extract.js";
import { seedPlan } from "../helpers.js";

const doc = seedPlan();
const targets = extractTargets(doc);
const units = doc.units;
const data = { targets, units };

function setup() {
  let clock = 1_000_000;
  const store = new MemoryQuizStore();
  const quiz = createQuizService({ store, targets, units, now: () => clock, random: mulberry32(7) });
  return { quiz, store, at: (t: number) => (clock = t), now: () => clock };
}

describe("Leitner schedule", () => {
  it("sends a wrong answer to box 1, due now, and a right one up a box with a longer wait", () => {
    expect(schedule({ box: 4 }, false, 100)).toEqual({ box: 1, dueAt: 100 });
    expect(schedule(undefined, true, 0)).toEqual({ box: 2, dueAt: 60_000 });
    expect(schedule({ box: 2 }, true, 0)).toEqual({ box: 3, dueAt: 600_000 });
    expect(schedule({ box: 3 }, true, 0)).toEqual({ box: 4, dueAt: 3_600_000 });
    expect(schedule({ box: 4 }, true, 0)).toEqual({ box: 5, dueAt: 86_400_000 });
    expect(schedule({ box: 99 }, true, 0).box).toBe(8);
  });
});

describe("personal practice", () => {
  it("brings a wrong answer back sooner than a right one", () => {
    const { quiz, store, at, now } = setup();
    const [a, b] = [targets[0]!, targets[1]!];
    const qa = makeQuestion(a, "fill", 1, data)!;
    const qb = makeQuestion(b, "fill", 1, data)!;
    expect(quiz.answer("u", qa, "12345").correct).toBe(false);
    expect(quiz.answer("u", qb, qb.answer).correct).toBe(true);
    expect(store.getCard("u", targetKey(a))).toMatchObject({ box: 1, dueAt: now() });
    expect(store.getCard("u", targetKey(b))).toMatchObject({ box: 2, dueAt: now() + 60_000 });

    at(now() + 1_000);
    const again = quiz.next("u")!;
    expect(again.targetKey).toBe(targetKey(a)); // the wrong one, at once
    quiz.answer("u", again, again.answer);

    at(now() + 1_000);
    const fresh = quiz.next("u")!;
    expect([targetKey(a), targetKey(b)]).not.toContain(fresh.targetKey); // nothing due: an unseen target
    quiz.answer("u", fresh, fresh.answer);

    at(1_000_000 + 60_000);
    expect(quiz.next("u")!.targetKey).toBe(targetKey(b)); // the right one only after its minute
    expect(quiz.score("u")).toEqual({ answered: 4, correct: 3 });
  });

  it("asks unseen targets of the topic, each once, before repeating", () => {
    const { quiz } = setup();
    const seen = new Set<string>();
    for (let i = 0; i < 10; i++) {
      const q = quiz.next("v", { topic: "第5项" })!;
      expect(q.ref).toBe("task:5");
      seen.add(q.targetKey);
      quiz.answer("v", q, q.answer);
    }
    expect(seen.size).toBe(10);
    expect(quiz.next("v", { topic: "火星" })).toBeUndefined();
  });

  it("grades the server's copy of a question, found by its id", () => {
    const { quiz } = setup();
    const q = makeQuestion(targets.find((t) => t.value === 78)!, "fill", 3, data)!;
    expect(quiz.answer("w", { ...q, answer: "1万亩" }, "1万亩").correct).toBe(false);
    expect(quiz.answer("w", q.id, "78").correct).toBe(true);
    expect(() => quiz.answer("w", "fill:1:unknown", "1")).toThrow(QuizError);
  });

  it("ranks the leaderboard by correct answers, per chat when asked", () => {
    const { quiz } = setup();
    const q = makeQuestion(targets[0]!, "fill", 1, data)!;
    quiz.answer("ann", q, q.answer, { chatId: "c1" });
    quiz.answer("bob", q, q.answer, { chatId: "c1" });
    quiz.answer("bob", q, q.answer, { chatId: "c1" });
    quiz.answer("cid", q, "0", { chatId: "c2" });
    expect(quiz.leaderboard("c1", 10).map((s) => s.userId)).toEqual(["bob", "ann"]);
    expect(quiz.leaderboard(undefined, 2).map((s) => s.userId)).toEqual(["bob", "ann"]);
    expect(quiz.leaderboard("c2").map((s) => [s.userId, s.correct])).toEqual([["cid", 0]]);
  });
});

describe("a topic with few targets", () => {
  it("starts a round that asks each target once, says how many the topic has and fills up with related ones", () => {
    const { quiz } = setup();
    const first = quiz.startRound("c", "ann", { count: 5, topic: "教育" });
    expect(first.note).toMatch(/^主题“教育”只有3个目标，另补充了2道相关条目的题。$/);
    const keys = [first.question.targetKey];
    for (let r = quiz.advanceRound(first.roundId); r; r = quiz.advanceRound(first.roundId)) {
      expect(r.note).toBeUndefined();
      keys.push(r.question.targetKey);
    }
    expect(keys).toHaveLength(5);
    expect(new Set(keys).size).toBe(5);
    expect(quiz.startRound("d", "ann", { count: 2, topic: "第5项" }).note).toBeUndefined();
  });

  it("goes on with related targets in practice once the topic's own were asked this session", () => {
    const { quiz } = setup();
    expect(quiz.topicSize("教育")).toBe(3);
    const asked: string[] = [];
    for (let i = 0; i < 5; i++) {
      const q = quiz.next("p", { topic: "教育", exclude: asked })!;
      expect(asked).not.toContain(q.targetKey);
      if (i < 3) expect(["task:15", "task:19"]).toContain(q.ref);
      asked.push(q.targetKey);
      quiz.answer("p", q, q.answer);
    }
  });
});

describe("group rounds", () => {
  it("takes one answer per user per question and ranks by correct answers", () => {
    const { quiz, at, now } = setup();
    const first = quiz.startRound("chat", "ann", { count: 3, topic: "第5项" });
    expect(first).toMatchObject({ chatId: "chat", index: 0, total: 3 });
    expect(() => quiz.startRound("chat", "bob")).toThrow(/already running/);
    expect(quiz.activeRound("chat")?.id).toBe(first.roundId);

    const q0 = first.question;
    const wrong0 = q0.type === "fill" ? "1" : q0.options.find((o) => o !== q0.answer)!;
    expect(quiz.answerRound(first.roundId, "ann", "Ann", q0.answer)).toMatchObject({ first: true, grade: { correct: true } });
    at(now() + 500);
    // A second tap is ignored and reports the first answer.
    expect(quiz.answerRound(first.roundId, "ann", "Ann", wrong0)).toMatchObject({ first: false, grade: { correct: true } });
    expect(quiz.answerRound(first.roundId, "bob", "Bob", wrong0)).toMatchObject({ first: true, grade: { correct: false } });
    expect(quiz.answerRound(first.roundId, "bob", "Bob", q0.answer)).toMatchObject({ first: false, grade: { correct: false } });

    const second = quiz.advanceRound(first.roundId)!;
    expect(second.index).toBe(1);
    expect(() => quiz.answerRound(first.roundId, "bob", "Bob", "x", 0)).toThrow(/closed/);
    quiz.answerRound(first.roundId, "bob", "Bob", second.question.answer, 1);
    quiz.answerRound(first.roundId, "ann", "Ann", second.question.answer);

    const third = quiz.advanceRound(first.roundId)!;
    quiz.answerRound(first.roundId, "bob", "Bob", third.question.answer);
    expect(quiz.advanceRound(first.roundId)).toBeUndefined();
    expect(quiz.activeRound("chat")).toBeUndefined();
    expect(() => quiz.answerRound(first.roundId, "ann", "Ann", "x")).toThrow(/over/);

    const board = quiz.finishRound(first.roundId);
    expect(board.map((s) => [s.displayName, s.correct, s.answered])).toEqual([["Ann", 2, 2], ["Bob", 2, 3]]);
    // Same score: Ann answered faster on the questions she got right.
    expect(board[0]!.userId).toBe("ann");
    expect(quiz.leaderboard("chat").map((s) => s.userId)).toEqual(["ann", "bob"]);
  });

  it("orders the round by correct answers", () => {
    const { quiz } = setup();
    const r = quiz.startRound("g", "x", { count: 2 });
    const q = r.question;
    const wrong = q.type === "fill" ? "0" : q.options.find((o) => o !== q.answer)!;
    quiz.answerRound(r.roundId, "slow", "Slow", wrong);
    quiz.answerRound(r.roundId, "fast", "Fast", q.answer);
    expect(quiz.finishRound(r.roundId).map((s) => s.userId)).toEqual(["fast", "slow"]);
  });

  it("stops a round and allows a new one", () => {
    const { quiz } = setup();
    expect(quiz.stopRound("g")).toBeUndefined();
    const r = quiz.startRound("g", "x", { count: 2 });
    expect(quiz.stopRound("g")).toEqual([]);
    expect(quiz.roundQuestion(r.roundId)).toBeUndefined();
    expect(quiz.startRound("g", "x", { count: 1 }).total).toBe(1);
    expect(() => quiz.startRound("h", "x", { topic: "火星" })).toThrow(QuizError);
  });

  it("gives sheets of questions", () => {
    const { quiz } = setup();
    expect(quiz.sheet(5, { seed: 1 })).toEqual(quiz.sheet(5, { seed: 1 }));
    expect(quiz.sheet(3, { topic: "教育" }).every((q) => ["task:15", "task:19"].includes(q.ref))).toBe(true);
  });
});
