/**
 * Where quiz progress lives: attempts, Leitner boxes, group rounds and their answers.
 * {@link QuizStore} may answer at once or later, so that a server database (src/storage/postgres)
 * implements the same calls; {@link SqliteQuizStore} is the default, {@link MemoryQuizStore} is for tests.
 */
import { join } from "node:path";
import type Database from "better-sqlite3";
import type { Awaitable } from "../storage/awaitable.js";
import { openSqlite } from "../storage/sqlite.js";
import { DEADLINES_TABLE } from "./deadlines.js";
import type { QuestionType, QuizQuestion } from "./types.js";

/** One answer to one question. Times are epoch milliseconds. */
export interface Attempt {
  userId: string;
  chatId?: string | null;
  questionId: string;
  targetKey: string;
  type: QuestionType;
  correct: boolean;
  answeredAt: number;
}

/** Spaced-repetition state of one target for one user. */
export interface Card {
  userId: string;
  targetKey: string;
  /** Leitner box, 1 (just got it wrong) upwards. */
  box: number;
  dueAt: number;
  updatedAt: number;
}

/** A quiz played by a whole chat, one question at a time. */
export interface Round {
  id: string;
  chatId: string;
  startedBy: string;
  questions: QuizQuestion[];
  currentIndex: number;
  state: "active" | "finished" | "stopped";
  createdAt: number;
}

/** One user's answer to one question of a round. */
export interface RoundAnswer {
  roundId: string;
  questionIndex: number;
  userId: string;
  displayName: string;
  response: string;
  correct: boolean;
  answeredAt: number;
}

/** A line of a leaderboard. */
export interface Standing {
  userId: string;
  displayName?: string;
  answered: number;
  correct: number;
}

/**
 * Storage behind the quiz service. SQLite and memory answer at once, PostgreSQL later: callers
 * always await, and the service works on whichever it is given.
 */
export interface QuizStore {
  /**
   * Runs fn atomically on the store it is handed (an answer and its box update land together or not
   * at all). Every call inside fn must go to `tx`, not to the outer store.
   */
  transaction<T>(fn: (tx: QuizStore) => Promise<T>): Promise<T>;
  recordAttempt(a: Attempt): Awaitable<void>;
  /** The user's most recent attempt, to avoid asking the same target twice in a row. */
  lastAttempt(userId: string): Awaitable<Attempt | undefined>;
  score(userId: string): Awaitable<{ answered: number; correct: number }>;
  /** By correct answers, then fewer attempts; only attempts in that chat when chatId is given. */
  leaderboard(chatId: string | undefined, limit: number): Awaitable<Standing[]>;
  setDisplayName(userId: string, name: string, at: number): Awaitable<void>;
  getCard(userId: string, targetKey: string): Awaitable<Card | undefined>;
  putCard(card: Card): Awaitable<void>;
  /** Every card of a user, soonest due first. */
  cards(userId: string): Awaitable<Card[]>;
  /** Throws when the chat already has an active round. */
  createRound(round: Round): Awaitable<void>;
  getRound(roundId: string): Awaitable<Round | undefined>;
  activeRound(chatId: string): Awaitable<Round | undefined>;
  /**
   * Changes an active round. With `fromIndex`, only when the round is still active on that question
   * (two instances closing one question: one wins). Returns whether the round changed.
   */
  updateRound(roundId: string, patch: Partial<Pick<Round, "currentIndex" | "state">>, fromIndex?: number): Awaitable<boolean>;
  /** false (and nothing stored) when the user already answered that question of the round. */
  addRoundAnswer(a: RoundAnswer): Awaitable<boolean>;
  roundAnswer(roundId: string, questionIndex: number, userId: string): Awaitable<RoundAnswer | undefined>;
  /** By correct answers, ties to whoever was faster. */
  roundStandings(roundId: string): Awaitable<Standing[]>;
  /** Remembers that a question was put to a user; issuing it again reopens it. */
  issueQuestion(userId: string, questionId: string, at: number): Awaitable<void>;
  /**
   * Takes the one answer an issued question allows: "ok" the first time (the question is closed by
   * it), "answered" after that, "not-issued" for a question never put to this user.
   */
  claimQuestion(userId: string, questionId: string, at: number): Awaitable<"ok" | "answered" | "not-issued">;
  /** The question last issued to a user at or after `since` and not yet answered (chat platforms keep no session of their own). */
  openQuestion(userId: string, since: number): Awaitable<string | undefined>;
  close(): Awaitable<void>;
}

/** Where the quiz database lives under DATA_DIR. */
export const quizDbPath = (dataDir: string) => join(dataDir, "quiz.sqlite");

/** Schema migrations; entry i brings user_version from i to i+1. Never edit one that shipped: append. */
const MIGRATIONS = [
  `CREATE TABLE attempts (
     id INTEGER PRIMARY KEY,
     user_id TEXT NOT NULL,
     chat_id TEXT,
     question_id TEXT NOT NULL,
     target_key TEXT NOT NULL,
     type TEXT NOT NULL,
     correct INTEGER NOT NULL CHECK (correct IN (0, 1)),
     answered_at INTEGER NOT NULL
   );
   CREATE INDEX attempts_user ON attempts (user_id, answered_at);
   CREATE INDEX attempts_chat ON attempts (chat_id, user_id);
   CREATE TABLE users (user_id TEXT PRIMARY KEY, display_name TEXT NOT NULL, updated_at INTEGER NOT NULL);
   CREATE TABLE cards (
     user_id TEXT NOT NULL,
     target_key TEXT NOT NULL,
     box INTEGER NOT NULL,
     due_at INTEGER NOT NULL,
     updated_at INTEGER NOT NULL,
     PRIMARY KEY (user_id, target_key)
   ) WITHOUT ROWID;
   CREATE TABLE rounds (
     id TEXT PRIMARY KEY,
     chat_id TEXT NOT NULL,
     started_by TEXT NOT NULL,
     questions TEXT NOT NULL,
     current_index INTEGER NOT NULL DEFAULT 0,
     state TEXT NOT NULL CHECK (state IN ('active', 'finished', 'stopped')),
     created_at INTEGER NOT NULL
   );
   CREATE UNIQUE INDEX rounds_one_active ON rounds (chat_id) WHERE state = 'active';
   CREATE TABLE round_answers (
     round_id TEXT NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
     question_index INTEGER NOT NULL,
     user_id TEXT NOT NULL,
     display_name TEXT NOT NULL,
     response TEXT NOT NULL,
     correct INTEGER NOT NULL CHECK (correct IN (0, 1)),
     answered_at INTEGER NOT NULL,
     PRIMARY KEY (round_id, question_index, user_id)
   ) WITHOUT ROWID;`,
  // Questions put to a user, so that each is graded once (the web page could otherwise resend one answer forever).
  `CREATE TABLE issued (
     user_id TEXT NOT NULL,
     question_id TEXT NOT NULL,
     issued_at INTEGER NOT NULL,
     answered_at INTEGER,
     PRIMARY KEY (user_id, question_id)
   ) WITHOUT ROWID;
   CREATE INDEX issued_age ON issued (issued_at);`,
  // Round deadlines kept in the file, so that a restart finds them (quiz/deadlines.ts).
  DEADLINES_TABLE,
];

/** The schema version this policybot writes (a restore refuses a newer one). */
export const QUIZ_SCHEMA_VERSION = MIGRATIONS.length;

/** How long an issued question can still be answered. */
export const ISSUED_TTL_MS = 30 * 86_400_000;

/** Opens (creating or migrating) the quiz database file; a second connection for the deadline store uses it too. */
export const openQuizDatabase = (file: string) => openSqlite(file, { part: "quiz", synchronous: "FULL", migrations: MIGRATIONS });

type Row = Record<string, unknown>;
const toAttempt = (r: Row): Attempt => ({ userId: String(r.user_id), chatId: (r.chat_id as string | null) ?? null, questionId: String(r.question_id), targetKey: String(r.target_key), type: r.type as QuestionType, correct: r.correct === 1, answeredAt: Number(r.answered_at) });
const toCard = (r: Row): Card => ({ userId: String(r.user_id), targetKey: String(r.target_key), box: Number(r.box), dueAt: Number(r.due_at), updatedAt: Number(r.updated_at) });
const toRound = (r: Row): Round => ({ id: String(r.id), chatId: String(r.chat_id), startedBy: String(r.started_by), questions: JSON.parse(String(r.questions)) as QuizQuestion[], currentIndex: Number(r.current_index), state: r.state as Round["state"], createdAt: Number(r.created_at) });
const toAnswer = (r: Row): RoundAnswer => ({ roundId: String(r.round_id), questionIndex: Number(r.question_index), userId: String(r.user_id), displayName: String(r.display_name), response: String(r.response), correct: r.correct === 1, answeredAt: Number(r.answered_at) });
const toStanding = (r: Row): Standing => ({ userId: String(r.user_id), ...(r.display_name != null ? { displayName: String(r.display_name) } : {}), answered: Number(r.answered), correct: Number(r.correct) });

/**
 * The quiz database in one SQLite file. WAL with synchronous=FULL: a returned write is on disk,
 * so an answer survives a crash or a kill right after it was acknowledged.
 * @example const store = new SqliteQuizStore(quizDbPath(config.DATA_DIR));
 */
export class SqliteQuizStore implements QuizStore {
  readonly db: Database.Database;
  private readonly st;

  /** Throws StorageError when the file is not a usable quiz database (see openSqlite). */
  constructor(file: string) {
    this.db = openQuizDatabase(file);
    const p = (sql: string) => this.db.prepare(sql);
    this.st = {
      insertAttempt: p("INSERT INTO attempts (user_id, chat_id, question_id, target_key, type, correct, answered_at) VALUES (?, ?, ?, ?, ?, ?, ?)"),
      lastAttempt: p("SELECT * FROM attempts WHERE user_id = ? ORDER BY answered_at DESC, id DESC LIMIT 1"),
      score: p("SELECT COUNT(*) AS answered, COALESCE(SUM(correct), 0) AS correct FROM attempts WHERE user_id = ?"),
      board: p(`SELECT a.user_id, u.display_name, COUNT(*) AS answered, SUM(a.correct) AS correct FROM attempts a LEFT JOIN users u USING (user_id)
                WHERE (@chat IS NULL OR a.chat_id = @chat) GROUP BY a.user_id ORDER BY correct DESC, answered ASC, MIN(a.answered_at) ASC LIMIT @limit`),
      setName: p("INSERT INTO users (user_id, display_name, updated_at) VALUES (?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET display_name = excluded.display_name, updated_at = excluded.updated_at"),
      getCard: p("SELECT * FROM cards WHERE user_id = ? AND target_key = ?"),
      putCard: p("INSERT INTO cards (user_id, target_key, box, due_at, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_id, target_key) DO UPDATE SET box = excluded.box, due_at = excluded.due_at, updated_at = excluded.updated_at"),
      cards: p("SELECT * FROM cards WHERE user_id = ? ORDER BY due_at ASC, box ASC"),
      createRound: p("INSERT INTO rounds (id, chat_id, started_by, questions, current_index, state, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)"),
      getRound: p("SELECT * FROM rounds WHERE id = ?"),
      activeRound: p("SELECT * FROM rounds WHERE chat_id = ? AND state = 'active'"),
      updateRound: p("UPDATE rounds SET current_index = COALESCE(?, current_index), state = COALESCE(?, state) WHERE id = ? AND (? IS NULL OR (state = 'active' AND current_index = ?))"),
      addAnswer: p("INSERT OR IGNORE INTO round_answers (round_id, question_index, user_id, display_name, response, correct, answered_at) VALUES (?, ?, ?, ?, ?, ?, ?)"),
      getAnswer: p("SELECT * FROM round_answers WHERE round_id = ? AND question_index = ? AND user_id = ?"),
      standings: p(`SELECT user_id, MAX(display_name) AS display_name, COUNT(*) AS answered, SUM(correct) AS correct FROM round_answers
                    WHERE round_id = ? GROUP BY user_id ORDER BY correct DESC, SUM(CASE WHEN correct = 1 THEN answered_at ELSE 0 END) ASC, user_id ASC`),
      issue: p("INSERT INTO issued (user_id, question_id, issued_at, answered_at) VALUES (?, ?, ?, NULL) ON CONFLICT (user_id, question_id) DO UPDATE SET issued_at = excluded.issued_at, answered_at = NULL"),
      claim: p("UPDATE issued SET answered_at = ? WHERE user_id = ? AND question_id = ? AND answered_at IS NULL AND issued_at >= ?"),
      issuedRow: p("SELECT answered_at FROM issued WHERE user_id = ? AND question_id = ? AND issued_at >= ?"),
      pruneIssued: p("DELETE FROM issued WHERE issued_at < ?"),
      openIssued: p("SELECT question_id FROM issued WHERE user_id = ? AND answered_at IS NULL AND issued_at >= ? ORDER BY issued_at DESC LIMIT 1"),
    };
  }

  /** Serialises transactions: a second BEGIN on the one connection would fail while the first awaits. */
  private txChain: Promise<unknown> = Promise.resolve();
  transaction<T>(fn: (tx: QuizStore) => Promise<T>): Promise<T> {
    // better-sqlite3's transaction() takes only synchronous functions; the calls inside resolve at once,
    // so BEGIN … COMMIT around the awaited function holds the same statements.
    const run = this.txChain.then(async () => {
      this.db.exec("BEGIN IMMEDIATE");
      try {
        const result = await fn(this);
        this.db.exec("COMMIT");
        return result;
      } catch (err) {
        if (this.db.inTransaction) this.db.exec("ROLLBACK");
        throw err;
      }
    });
    this.txChain = run.catch(() => undefined);
    return run;
  }
  recordAttempt(a: Attempt): void {
    this.st.insertAttempt.run(a.userId, a.chatId ?? null, a.questionId, a.targetKey, a.type, a.correct ? 1 : 0, a.answeredAt);
  }
  lastAttempt(userId: string): Attempt | undefined {
    const r = this.st.lastAttempt.get(userId) as Row | undefined;
    return r && toAttempt(r);
  }
  score(userId: string) {
    const r = this.st.score.get(userId) as Row;
    return { answered: Number(r.answered), correct: Number(r.correct) };
  }
  leaderboard(chatId: string | undefined, limit: number): Standing[] {
    return (this.st.board.all({ chat: chatId ?? null, limit }) as Row[]).map(toStanding);
  }
  setDisplayName(userId: string, name: string, at: number): void {
    this.st.setName.run(userId, name, at);
  }
  getCard(userId: string, targetKey: string): Card | undefined {
    const r = this.st.getCard.get(userId, targetKey) as Row | undefined;
    return r && toCard(r);
  }
  putCard(c: Card): void {
    this.st.putCard.run(c.userId, c.targetKey, c.box, c.dueAt, c.updatedAt);
  }
  cards(userId: string): Card[] {
    return (this.st.cards.all(userId) as Row[]).map(toCard);
  }
  createRound(r: Round): void {
    this.st.createRound.run(r.id, r.chatId, r.startedBy, JSON.stringify(r.questions), r.currentIndex, r.state, r.createdAt);
  }
  getRound(roundId: string): Round | undefined {
    const r = this.st.getRound.get(roundId) as Row | undefined;
    return r && toRound(r);
  }
  activeRound(chatId: string): Round | undefined {
    const r = this.st.activeRound.get(chatId) as Row | undefined;
    return r && toRound(r);
  }
  updateRound(roundId: string, patch: Partial<Pick<Round, "currentIndex" | "state">>, fromIndex?: number): boolean {
    return this.st.updateRound.run(patch.currentIndex ?? null, patch.state ?? null, roundId, fromIndex ?? null, fromIndex ?? null).changes > 0;
  }
  addRoundAnswer(a: RoundAnswer): boolean {
    return this.st.addAnswer.run(a.roundId, a.questionIndex, a.userId, a.displayName, a.response, a.correct ? 1 : 0, a.answeredAt).changes === 1;
  }
  roundAnswer(roundId: string, questionIndex: number, userId: string): RoundAnswer | undefined {
    const r = this.st.getAnswer.get(roundId, questionIndex, userId) as Row | undefined;
    return r && toAnswer(r);
  }
  roundStandings(roundId: string): Standing[] {
    return (this.st.standings.all(roundId) as Row[]).map(toStanding);
  }
  issueQuestion(userId: string, questionId: string, at: number): void {
    this.st.issue.run(userId, questionId, at);
    if (++this.issuedSincePrune >= 1000) {
      this.issuedSincePrune = 0;
      this.st.pruneIssued.run(at - ISSUED_TTL_MS);
    }
  }
  claimQuestion(userId: string, questionId: string, at: number): "ok" | "answered" | "not-issued" {
    if (this.st.claim.run(at, userId, questionId, at - ISSUED_TTL_MS).changes === 1) return "ok";
    return this.st.issuedRow.get(userId, questionId, at - ISSUED_TTL_MS) ? "answered" : "not-issued";
  }
  openQuestion(userId: string, since: number): string | undefined {
    return (this.st.openIssued.get(userId, since) as { question_id: string } | undefined)?.question_id;
  }
  private issuedSincePrune = 0;
  close(): void {
    if (this.db.open) this.db.close();
  }
}

/** The same contract in memory, for tests and for channels that need no persistence. */
export class MemoryQuizStore implements QuizStore {
  private readonly attempts: Attempt[] = [];
  private readonly names = new Map<string, string>();
  private readonly cardMap = new Map<string, Card>();
  private readonly rounds = new Map<string, Round>();
  private readonly answers = new Map<string, RoundAnswer>();
  private readonly issued = new Map<string, { at: number; answered: boolean }>();

  transaction<T>(fn: (tx: QuizStore) => Promise<T>): Promise<T> {
    return fn(this);
  }
  recordAttempt(a: Attempt): void {
    this.attempts.push({ ...a, chatId: a.chatId ?? null });
  }
  lastAttempt(userId: string): Attempt | undefined {
    return this.attempts.filter((a) => a.userId === userId).at(-1);
  }
  score(userId: string) {
    const mine = this.attempts.filter((a) => a.userId === userId);
    return { answered: mine.length, correct: mine.filter((a) => a.correct).length };
  }
  leaderboard(chatId: string | undefined, limit: number): Standing[] {
    const rows = new Map<string, Standing & { first: number }>();
    for (const a of this.attempts) {
      if (chatId !== undefined && a.chatId !== chatId) continue;
      const s = rows.get(a.userId) ?? { userId: a.userId, answered: 0, correct: 0, first: a.answeredAt };
      s.answered++;
      if (a.correct) s.correct++;
      rows.set(a.userId, s);
    }
    return [...rows.values()]
      .sort((a, b) => b.correct - a.correct || a.answered - b.answered || a.first - b.first)
      .slice(0, limit)
      .map(({ first: _, ...s }) => ({ ...s, ...(this.names.has(s.userId) ? { displayName: this.names.get(s.userId)! } : {}) }));
  }
  setDisplayName(userId: string, name: string): void {
    this.names.set(userId, name);
  }
  getCard(userId: string, targetKey: string): Card | undefined {
    const c = this.cardMap.get(`${userId}\u0000${targetKey}`);
    return c && { ...c };
  }
  putCard(c: Card): void {
    this.cardMap.set(`${c.userId}\u0000${c.targetKey}`, { ...c });
  }
  cards(userId: string): Card[] {
    return [...this.cardMap.values()].filter((c) => c.userId === userId).sort((a, b) => a.dueAt - b.dueAt || a.box - b.box).map((c) => ({ ...c }));
  }
  createRound(r: Round): void {
    if (r.state === "active" && this.activeRound(r.chatId)) throw new Error(`chat ${r.chatId} already has an active round`);
    this.rounds.set(r.id, structuredClone(r));
  }
  getRound(roundId: string): Round | undefined {
    const r = this.rounds.get(roundId);
    return r && structuredClone(r);
  }
  activeRound(chatId: string): Round | undefined {
    const r = [...this.rounds.values()].find((x) => x.chatId === chatId && x.state === "active");
    return r && structuredClone(r);
  }
  updateRound(roundId: string, patch: Partial<Pick<Round, "currentIndex" | "state">>, fromIndex?: number): boolean {
    const r = this.rounds.get(roundId);
    if (!r || (fromIndex !== undefined && (r.state !== "active" || r.currentIndex !== fromIndex))) return false;
    Object.assign(r, patch);
    return true;
  }
  addRoundAnswer(a: RoundAnswer): boolean {
    const key = `${a.roundId}\u0000${a.questionIndex}\u0000${a.userId}`;
    if (this.answers.has(key)) return false;
    this.answers.set(key, { ...a });
    return true;
  }
  roundAnswer(roundId: string, questionIndex: number, userId: string): RoundAnswer | undefined {
    const a = this.answers.get(`${roundId}\u0000${questionIndex}\u0000${userId}`);
    return a && { ...a };
  }
  roundStandings(roundId: string): Standing[] {
    const rows = new Map<string, Standing & { time: number }>();
    for (const a of this.answers.values()) {
      if (a.roundId !== roundId) continue;
      const s = rows.get(a.userId) ?? { userId: a.userId, displayName: a.displayName, answered: 0, correct: 0, time: 0 };
      s.answered++;
      if (a.correct) (s.correct++, (s.time += a.answeredAt));
      rows.set(a.userId, s);
    }
    return [...rows.values()].sort((a, b) => b.correct - a.correct || a.time - b.time || a.userId.localeCompare(b.userId)).map(({ time: _, ...s }) => s);
  }
  issueQuestion(userId: string, questionId: string, at: number): void {
    this.issued.set(`${userId}\u0000${questionId}`, { at, answered: false });
  }
  claimQuestion(userId: string, questionId: string, at: number): "ok" | "answered" | "not-issued" {
    const i = this.issued.get(`${userId}\u0000${questionId}`);
    if (!i || i.at < at - ISSUED_TTL_MS) return "not-issued";
    if (i.answered) return "answered";
    i.answered = true;
    return "ok";
  }
  openQuestion(userId: string, since: number): string | undefined {
    let best: { id: string; at: number } | undefined;
    for (const [key, i] of this.issued) {
      const [user, id] = key.split("\u0000") as [string, string];
      if (user === userId && !i.answered && i.at >= since && (!best || i.at >= best.at)) best = { id, at: i.at };
    }
    return best?.id;
  }
  close(): void {}
}
