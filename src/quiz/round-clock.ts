/**
 * A group round's clock over the {@link DeadlineStore}, for any channel: each question's deadline is a
 * row, this process arms a timer for the rows it sets, and every instance sweeps for overdue ones, so a
 * round outlives the instance that asked its question. Whoever claims the row (the timer, a sweep,
 * /next) closes the question; the others do nothing. What is said is returned as {@link RoundEvent}s
 * for the channel to render.
 */
import { type Deadline, type DeadlineStore, startSweep } from "./deadlines.js";
import type { QuizService, RoundQuestion } from "./service.js";
import type { Standing } from "./store.js";
import type { QuizQuestion } from "./types.js";

/** What a channel says when a round moves. */
export type RoundEvent =
  | { kind: "reveal"; question: QuizQuestion }
  | { kind: "question"; question: RoundQuestion }
  | { kind: "standings"; standings: Standing[] };

/** Settings for {@link createRoundClock}. */
export interface RoundClockOptions {
  quiz: QuizService;
  deadlines: DeadlineStore;
  /** The deadline kind this clock owns (one per channel family, e.g. `platform-round`). */
  kind: string;
  roundMs: number;
  /** How long a claim is its claimer's before another instance may retry it (default 2 min). */
  leaseMs?: number;
  /**
   * Says events in a chat, from the deadline's data (what {@link RoundClock.asked} stored: enough to
   * reach the chat from any instance). A throw leaves the claim to lapse and be retried.
   */
  post(data: Record<string, unknown>, events: RoundEvent[]): Promise<void>;
  onError(err: unknown, d?: Deadline): void;
}

/** A round's clock. */
export interface RoundClock {
  /** Sets the deadline of a question just asked; `address` is stored to reach the chat later. */
  asked(rq: RoundQuestion, address: Record<string, unknown>): Promise<void>;
  /** /next: closes the chat's current question now; its events, or [] when another closer has it. */
  closeNow(chatId: string, roundId: string, index: number, address: Record<string, unknown>): Promise<RoundEvent[]>;
  /** Forgets the chat's deadline (/stop). */
  forget(chatId: string): Promise<void>;
  /** Whether the chat's round has a deadline (none: started before a restart lost it). */
  hasDeadline(chatId: string): Promise<boolean>;
  /** Starts sweeping for overdue deadlines (every instance). */
  sweep(everyMs?: number): void;
  dispose(): void;
}

/**
 * Creates a round clock.
 * @example const clock = createRoundClock({ quiz, deadlines, kind: "platform-round", roundMs: 30_000, post, onError });
 */
export function createRoundClock(o: RoundClockOptions): RoundClock {
  const leaseMs = o.leaseMs ?? 120_000;
  const timers = new Map<string, NodeJS.Timeout>();
  let stopSweep: (() => void) | undefined;
  const keyOf = (chatId: string) => `${o.kind}:${chatId}`;

  async function put(rq: RoundQuestion, address: Record<string, unknown>, token?: string): Promise<void> {
    const dueAt = Date.now() + o.roundMs;
    const key = keyOf(rq.chatId);
    if (await o.deadlines.put({ key, kind: o.kind, dueAt, data: { ...address, roundId: rq.roundId, index: rq.index } }, token)) arm(key, dueAt);
  }

  /** This process's timer for a deadline it set: the fast path (the sweep is the safety net). */
  function arm(key: string, dueAt: number): void {
    clearTimeout(timers.get(key));
    const t = setTimeout(() => void fire(key).catch((err) => o.onError(err)), Math.max(0, dueAt - Date.now()));
    t.unref();
    timers.set(key, t);
  }

  async function fire(key: string): Promise<void> {
    timers.delete(key);
    const d = await o.deadlines.claim(key, Date.now(), leaseMs);
    if (!d) return;
    if (d.dueAt > Date.now()) {
      // Moved on meanwhile (a /next elsewhere): hand the claim back and wait for the new deadline.
      if (await o.deadlines.put({ key: d.key, kind: d.kind, dueAt: d.dueAt, data: d.data }, d.token)) arm(key, d.dueAt);
      return;
    }
    const events = await close(d);
    if (events.length) await o.post(d.data, events);
  }

  /**
   * The events of closing a claimed deadline's question, the round moved on and the next deadline set.
   * A claimer that died half-way left the round ahead of its announcements: the next says what is missing.
   */
  async function close(d: Deadline): Promise<RoundEvent[]> {
    const round = await o.quiz.round(String(d.data.roundId));
    const address = Object.fromEntries(Object.entries(d.data).filter(([k]) => k !== "roundId" && k !== "index"));
    if (!round || round.state === "stopped") {
      await o.deadlines.remove(d.key, d.token);
      return [];
    }
    if (round.state === "finished") {
      await o.deadlines.remove(d.key, d.token);
      return [{ kind: "standings", standings: await o.quiz.finishRound(round.id) }];
    }
    if (round.currentIndex !== Number(d.data.index)) {
      const rq = await o.quiz.roundQuestion(round.id);
      if (!rq) return [];
      await put(rq, address, d.token);
      return [{ kind: "question", question: rq }];
    }
    const question = round.questions[round.currentIndex]!;
    const next = await o.quiz.advanceRound(round.id, round.currentIndex);
    if (next === "stale") {
      await o.deadlines.remove(d.key, d.token);
      return [];
    }
    if (next) {
      await put(next, address, d.token);
      return [{ kind: "reveal", question }, { kind: "question", question: next }];
    }
    await o.deadlines.remove(d.key, d.token);
    return [{ kind: "reveal", question }, { kind: "standings", standings: await o.quiz.finishRound(round.id) }];
  }

  return {
    asked: (rq, address) => put(rq, address),

    async closeNow(chatId, roundId, index, address) {
      const key = keyOf(chatId);
      let d = await o.deadlines.claim(key, Date.now(), leaseMs);
      if (!d && !(await o.deadlines.get(key))) {
        // A round without a deadline: close its current question now.
        await o.deadlines.put({ key, kind: o.kind, dueAt: Date.now(), data: { ...address, roundId, index } });
        d = await o.deadlines.claim(key, Date.now(), leaseMs);
      }
      if (!d) return [];
      clearTimeout(timers.get(key));
      timers.delete(key);
      return close(d);
    },

    async forget(chatId) {
      const key = keyOf(chatId);
      clearTimeout(timers.get(key));
      timers.delete(key);
      await o.deadlines.remove(key);
    },

    hasDeadline: async (chatId) => (await o.deadlines.get(keyOf(chatId))) !== undefined,

    sweep(everyMs) {
      stopSweep ??= startSweep({
        store: o.deadlines, kinds: [o.kind], everyMs, leaseMs, onError: o.onError,
        handle: async (d) => {
          const events = await close(d);
          if (events.length) await o.post(d.data, events);
        },
      });
    },

    dispose() {
      stopSweep?.();
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
    },
  };
}
