import { describe, expect, it } from "vitest";
import { makeQuestion, mulberry32, targetKey } from "../../src/quiz/generate.js";
import { createQuizService, type RoundQuestion, schedule } from "../../src/quiz/service.js";
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
  it("sends a wrong answer to box 1, due now, and a right one up a box with a longer wait", async () => {
    expect(schedule({ box: 4 }, false, 100)).toEqual({ box: 1, dueAt: 100 });
    expect(schedule(undefined, true, 0)).toEqual({ box: 2, dueAt: 60_000 });
    expect(schedule({ box: 2 }, true, 0)).toEqual({ box: 3, dueAt: 600_000 });
    expect(schedule({ box: 3 }, true, 0)).toEqual({ box: 4, dueAt: 3_600_000 });
    expect(schedule({ box: 4 }, true, 0)).toEqual({ box: 5, dueAt: 86_400_000 });
    expect(schedule({ box: 99 }, true, 0).box).toBe(8);
  });
});

describe("personal practice", () => {
  it("brings a wrong answer back sooner than a right one", async () => {
    const { quiz, store, at, now } = setup();
    const [a, b] = [targets[0]!, targets[1]!];
    const qa = makeQuestion(a, "fill", 1, data)!;
    const qb = makeQuestion(b, "fill", 1, data)!;
    expect((await quiz.answer("u", qa, "12345")).correct).toBe(false);
    expect((await quiz.answer("u", qb, qb.answer)).correct).toBe(true);
    expect((await store.getCard("u", targetKey(a)))).toMatchObject({ box: 1, dueAt: now() });
    expect((await store.getCard("u", targetKey(b)))).toMatchObject({ box: 2, dueAt: now() + 60_000 });

    at(now() + 1_000);
    const again = (await quiz.next("u"))!;
    expect(again.targetKey).toBe(targetKey(a)); // the wrong one, at once
    await quiz.answer("u", again, again.answer);

    at(now() + 1_000);
    const fresh = (await quiz.next("u"))!;
    expect([targetKey(a), targetKey(b)]).not.toContain(fresh.targetKey); // nothing due: an unseen target
    await quiz.answer("u", fresh, fresh.answer);

    at(1_000_000 + 60_000);
    expect((await quiz.next("u"))!.targetKey).toBe(targetKey(b)); // the right one only after its minute
    expect((await quiz.score("u"))).toEqual({ answered: 4, correct: 3 });
  });

  it("asks unseen targets of the topic, each once, before repeating", async () => {
    const { quiz } = setup();
    const seen = new Set<string>();
    for (let i = 0; i < 10; i++) {
      const q = (await quiz.next("v", { topic: "第5项" }))!;
      expect(q.ref).toBe("task:5");
      seen.add(q.targetKey);
      await quiz.answer("v", q, q.answer);
    }
    expect(seen.size).toBe(10);
    expect((await quiz.next("v", { topic: "火星" }))).toBeUndefined();
  });

  it("grades the server's copy of a question, found by its id", async () => {
    const { quiz } = setup();
    const q = makeQuestion(targets.find((t) => t.value === 78)!, "fill", 3, data)!;
    expect((await quiz.answer("w", { ...q, answer: "1万亩" }, "1万亩")).correct).toBe(false);
    expect((await quiz.answer("w", q.id, "78")).correct).toBe(true);
    await expect(quiz.answer("w", "fill:1:unknown", "1")).rejects.toThrow(QuizError);
  });

  it("ranks the leaderboard by correct answers, per chat when asked", async () => {
    const { quiz } = setup();
    const q = makeQuestion(targets[0]!, "fill", 1, data)!;
    await quiz.answer("ann", q, q.answer, { chatId: "c1" });
    await quiz.answer("bob", q, q.answer, { chatId: "c1" });
    await quiz.answer("bob", q, q.answer, { chatId: "c1" });
    await quiz.answer("cid", q, "0", { chatId: "c2" });
    expect((await quiz.leaderboard("c1", 10)).map((s) => s.userId)).toEqual(["bob", "ann"]);
    expect((await quiz.leaderboard(undefined, 2)).map((s) => s.userId)).toEqual(["bob", "ann"]);
    expect((await quiz.leaderboard("c2")).map((s) => [s.userId, s.correct])).toEqual([["cid", 0]]);
  });
});

describe("a topic with few targets", () => {
  it("starts a round that asks each target once, says how many the topic has and fills up with related ones", async () => {
    const { quiz } = setup();
    const first = await quiz.startRound("c", "ann", { count: 5, topic: "教育" });
    expect(first.note).toMatch(/^主题“教育”只有3个目标，另补充了2道相关条目的题。$/);
    const keys = [first.question.targetKey];
    for (let r = await quiz.advanceRound(first.roundId); r && r !== "stale"; r = await quiz.advanceRound(first.roundId)) {
      expect(r.note).toBeUndefined();
      keys.push(r.question.targetKey);
    }
    expect(keys).toHaveLength(5);
    expect(new Set(keys).size).toBe(5);
    expect((await quiz.startRound("d", "ann", { count: 2, topic: "第5项" })).note).toBeUndefined();
  });

  it("goes on with related targets in practice once the topic's own were asked this session", async () => {
    const { quiz } = setup();
    expect(quiz.topicSize("教育")).toBe(3);
    const asked: string[] = [];
    for (let i = 0; i < 5; i++) {
      const q = (await quiz.next("p", { topic: "教育", exclude: asked }))!;
      expect(asked).not.toContain(q.targetKey);
      if (i < 3) expect(["task:15", "task:19"]).toContain(q.ref);
      asked.push(q.targetKey);
      await quiz.answer("p", q, q.answer);
    }
  });
});

describe("group rounds", () => {
  it("takes one answer per user per question and ranks by correct answers", async () => {
    const { quiz, at, now } = setup();
    const first = (await quiz.startRound("chat", "ann", { count: 3, topic: "第5项" }));
    expect(first).toMatchObject({ chatId: "chat", index: 0, total: 3 });
    await expect(quiz.startRound("chat", "bob")).rejects.toThrow(/already running/);
    expect((await quiz.activeRound("chat"))?.id).toBe(first.roundId);

    const q0 = first.question;
    const wrong0 = q0.type === "fill" ? "1" : q0.options.find((o) => o !== q0.answer)!;
    expect((await quiz.answerRound(first.roundId, "ann", "Ann", q0.answer))).toMatchObject({ first: true, grade: { correct: true } });
    at(now() + 500);
    // A second tap is ignored and reports the first answer.
    expect((await quiz.answerRound(first.roundId, "ann", "Ann", wrong0))).toMatchObject({ first: false, grade: { correct: true } });
    expect((await quiz.answerRound(first.roundId, "bob", "Bob", wrong0))).toMatchObject({ first: true, grade: { correct: false } });
    expect((await quiz.answerRound(first.roundId, "bob", "Bob", q0.answer))).toMatchObject({ first: false, grade: { correct: false } });

    const second = (await quiz.advanceRound(first.roundId)) as RoundQuestion;
    expect(second.index).toBe(1);
    await expect(quiz.answerRound(first.roundId, "bob", "Bob", "x", 0)).rejects.toThrow(/closed/);
    await quiz.answerRound(first.roundId, "bob", "Bob", second.question.answer, 1);
    await quiz.answerRound(first.roundId, "ann", "Ann", second.question.answer);

    const third = (await quiz.advanceRound(first.roundId)) as RoundQuestion;
    await quiz.answerRound(first.roundId, "bob", "Bob", third.question.answer);
    expect((await quiz.advanceRound(first.roundId))).toBeUndefined();
    expect((await quiz.activeRound("chat"))).toBeUndefined();
    await expect(quiz.answerRound(first.roundId, "ann", "Ann", "x")).rejects.toThrow(/over/);

    const board = (await quiz.finishRound(first.roundId));
    expect(board.map((s) => [s.displayName, s.correct, s.answered])).toEqual([["Ann", 2, 2], ["Bob", 2, 3]]);
    // Same score: Ann answered faster on the questions she got right.
    expect(board[0]!.userId).toBe("ann");
    expect((await quiz.leaderboard("chat")).map((s) => s.userId)).toEqual(["ann", "bob"]);
  });

  it("moves a question on once when two callers close it (a timer and /next, on two instances)", async () => {
    const { quiz } = setup();
    const r = await quiz.startRound("race", "x", { count: 3 });
    const [a, b] = await Promise.all([quiz.advanceRound(r.roundId, 0), quiz.advanceRound(r.roundId, 0)]);
    expect([a, b].filter((x) => x === "stale")).toHaveLength(1);
    expect((await quiz.roundQuestion(r.roundId))?.index).toBe(1);
  });

  it("orders the round by correct answers", async () => {
    const { quiz } = setup();
    const r = (await quiz.startRound("g", "x", { count: 2 }));
    const q = r.question;
    const wrong = q.type === "fill" ? "0" : q.options.find((o) => o !== q.answer)!;
    await quiz.answerRound(r.roundId, "slow", "Slow", wrong);
    await quiz.answerRound(r.roundId, "fast", "Fast", q.answer);
    expect((await quiz.finishRound(r.roundId)).map((s) => s.userId)).toEqual(["fast", "slow"]);
  });

  it("stops a round and allows a new one", async () => {
    const { quiz } = setup();
    expect((await quiz.stopRound("g"))).toBeUndefined();
    const r = (await quiz.startRound("g", "x", { count: 2 }));
    expect((await quiz.stopRound("g"))).toEqual([]);
    expect((await quiz.roundQuestion(r.roundId))).toBeUndefined();
    expect((await quiz.startRound("g", "x", { count: 1 })).total).toBe(1);
    await expect(quiz.startRound("h", "x", { topic: "火星" })).rejects.toThrow(QuizError);
  });

  it("gives sheets of questions", async () => {
    const { quiz } = setup();
    expect(quiz.sheet(5, { seed: 1 })).toEqual(quiz.sheet(5, { seed: 1 }));
    expect(quiz.sheet(3, { topic: "教育" }).every((q) => ["task:15", "task:19"].includes(q.ref))).toBe(true);
  });
});
