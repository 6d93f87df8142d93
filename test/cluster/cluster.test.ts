/**
 * Three policybot instances in webhook mode behind nginx, sharing one PostgreSQL. The fake Bot API
 * delivers 2,000 updates from 100 chats as Telegram does (one at a time per chat, retried on any
 * non-200), and one instance is killed with SIGKILL mid-run. Needs TEST_DATABASE_URL and nginx
 * (.ci/run provides both); skips locally without them, fails in CI.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Update } from "grammy/types";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { readEvalSet } from "../../src/eval/dataset.js";
import { gradeAnswer } from "../../src/quiz/grade.js";
import type { QuizQuestion } from "../../src/quiz/types.js";
import { repoPath } from "../helpers.js";
import { buildIndex, type Cluster, NGINX, startCluster } from "../support/cluster.js";
import { type FakeTelegram, type SentMessage, startFakeTelegram } from "../support/fake-telegram.js";
import { freshDatabase, havePostgres } from "../support/postgres.js";
import { deliverWebhook } from "../support/webhook-delivery.js";

const PRIVATE_CHATS = 80;
const GROUP_CHATS = 20;
const STEPS = 20;
const SECRET = "cluster-test-secret";

const buttons = (m: SentMessage): string[] => ((m.reply_markup as { inline_keyboard?: Array<Array<{ callback_data?: string }>> })?.inline_keyboard ?? []).flat().map((b) => b.callback_data ?? "");

const nginxMissing = !NGINX;
if (nginxMissing && process.env.CI !== "true") console.warn("skipping the multi-instance test: nginx is not installed (apt-get install nginx-light; .ci/run installs it)");
const ready = havePostgres() && (!nginxMissing || process.env.CI === "true");

describe.runIf(ready)("three instances behind nginx on one PostgreSQL", () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it("answers 2,000 updates from 100 chats exactly once and in order while an instance is killed", async () => {
    expect(NGINX, "nginx must be installed in CI").toBeTruthy();
    const dir = mkdtempSync(join(tmpdir(), "policybot-cluster-"));
    if (!process.env.KEEP_CLUSTER_DIR) cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    else console.log(`cluster folder: ${dir}`);
    const fake = await startFakeTelegram();
    cleanups.push(() => fake.close());
    const db = await freshDatabase("policybot_cluster");
    cleanups.push(() => db.drop());
    const env = {
      SEEDS_DIR: repoPath("seeds"), INDEX_DIR: join(dir, "index"), DATABASE_URL: db.url, LOG_LEVEL: "warn", LOG_FORMAT: "json",
      TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot, WEBHOOK_URL: "https://bot.example.test/tg/hook", WEBHOOK_SECRET: SECRET,
      WEB: "off", USER_RATE_LIMIT: "10000", QUIZ_ROUND_SECONDS: "3600",
    };
    buildIndex(env);
    const cluster: Cluster = await startCluster({ size: 3, dir, env });
    cleanups.push(() => cluster.stop());

    const questions = readEvalSet(repoPath("test/fixtures/eval.jsonl")).filter((x) => !x.history && x.answerable).map((x) => x.q);
    const sentQuestions = new Map<number, string[]>();
    const votes = new Map<string, "up" | "down">(); // `${answerId}:${userId}` → last vote
    const callbackIds: string[] = [];
    const groupAnswers: Array<{ chatId: number; index: number; userId: number; response: string }> = [];

    const privateChat = (chatId: number) => {
      let step = 0;
      return (): Update | undefined => {
        if (step >= STEPS) return undefined;
        const k = step++;
        if (k % 4 === 3) {
          // A vote on the answer just received (the previous update was acknowledged, so it is there).
          const last = fake.sent(chatId).filter((m) => buttons(m).some((b) => b.startsWith("fb:"))).at(-1)!;
          const vote = k % 8 === 3 ? "up" : "down";
          const data = buttons(last).find((b) => b.startsWith(`fb:${vote}:`))!;
          votes.set(`${data.split(":")[2]}:${chatId}`, vote);
          const u = fake.pushUpdate(fake.callbackQuery({ chatId, userId: chatId, messageId: last.message_id, data }));
          callbackIds.push(u.callback_query!.id);
          return u;
        }
        const q = questions[(chatId * 7 + k) % questions.length]!;
        (sentQuestions.get(chatId) ?? sentQuestions.set(chatId, []).get(chatId)!).push(q);
        return fake.pushUpdate(fake.userMessage({ chatId, userId: chatId, text: q }));
      };
    };

    // A group: /quiz 3, five players answer each question, the starter moves on with /next, then /leaderboard.
    const groupChat = (chatId: number, firstUser: number) => {
      const script: Array<{ kind: "quiz" | "next" | "board" } | { kind: "answer"; index: number; player: number }> = [{ kind: "quiz" }];
      for (let index = 0; index < 3; index++) {
        for (let player = 0; player < 5; player++) script.push({ kind: "answer", index, player });
        script.push({ kind: "next" });
      }
      script.push({ kind: "board" });
      let step = 0;
      return (): Update | undefined => {
        const s = script[step++];
        if (!s) return undefined;
        if (s.kind !== "answer") {
          const text = s.kind === "quiz" ? "/quiz 3" : s.kind === "next" ? "/next" : "/leaderboard";
          return fake.pushUpdate(fake.userMessage({ chatId, userId: firstUser, text }));
        }
        const userId = firstUser + s.player;
        const question = fake.sent(chatId).filter((m) => m.plainText.startsWith(`第${s.index + 1}/3题`)).at(-1);
        if (!question) throw new Error(`group ${chatId}: no question ${s.index + 1} among ${JSON.stringify(fake.sent(chatId).map((m) => m.plainText.slice(0, 30)))}; logs: ${cluster.instances.map((i) => readFileSync(i.log, "utf8").split("\n").filter((l) => /"level":[45]0/.test(l)).slice(0, 3).join("\n")).join("\n")}`);
        const options = buttons(question).filter((b) => b.startsWith(`qr:${s.index}:`));
        if (options.length > 0) {
          const choice = (s.player * 3 - chatId) % options.length;
          groupAnswers.push({ chatId, index: s.index, userId, response: `#${choice}` });
          const u = fake.pushUpdate(fake.callbackQuery({ chatId, userId, messageId: question.message_id, data: options[choice]! }));
          callbackIds.push(u.callback_query!.id);
          return u;
        }
        const response = String((s.player + 1) * 13);
        groupAnswers.push({ chatId, index: s.index, userId, response });
        return fake.pushUpdate(fake.userMessage({ chatId, userId, text: response, replyToBotMessage: question.message_id }));
      };
    };

    const chats = [
      ...Array.from({ length: PRIVATE_CHATS }, (_, i) => privateChat(10_001 + i)),
      ...Array.from({ length: GROUP_CHATS }, (_, i) => groupChat(-20_001 - i, 30_000 + i * 10)),
    ];
    // Kill the second instance once 40% of the updates were acknowledged.
    let acked = 0;
    let killedAt = 0;
    const counted = chats.map((next) => () => {
      const u = next();
      if (++acked === Math.round(0.4 * (PRIVATE_CHATS + GROUP_CHATS) * STEPS)) {
        killedAt = Date.now();
        cluster.instances[1]!.child.kill("SIGKILL");
      }
      return u;
    });
    const started = Date.now();
    const deliveries = await deliverWebhook({ url: `${cluster.url}/tg/hook`, secret: SECRET, chats: counted });
    const seconds = (Date.now() - started) / 1000;
    // Replies still on their way (answerCallbackQuery after the acknowledgement) settle.
    await new Promise((r) => setTimeout(r, 500));

    expect(killedAt).toBeGreaterThan(0);
    expect(deliveries).toHaveLength((PRIVATE_CHATS + GROUP_CHATS) * STEPS);
    const retried = deliveries.filter((d) => d.statuses.length > 1).length;
    console.log(`cluster: ${deliveries.length} updates in ${seconds.toFixed(1)} s (${(deliveries.length / seconds).toFixed(0)}/s) through nginx to 3 instances, one killed at ${((killedAt - started) / 1000).toFixed(1)} s; ${retried} redelivered`);

    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    cleanups.push(() => client.end());

    // Telegram has no idempotent send: a reply the killed instance sent in the instant before it died,
    // whose transaction never committed, goes out again when the retry is handled. Such replies are
    // counted (they can only come from the killed instance's few updates in flight), never hidden.
    let resent = 0;
    // Private chats: exactly one answer per question, in the order asked. An answer whose record is not
    // in the database was sent by a transaction that rolled back: the killed instance's.
    const answers = new Map((await client.query<{ id: string; question: string }>("SELECT id, question FROM answers")).rows.map((r) => [Number(r.id), r.question]));
    const problems: string[] = [];
    for (const [chatId, asked] of sentQuestions) {
      const all = fake.sent(chatId).flatMap((m) => buttons(m).filter((b) => b.startsWith("fb:up:")).map((b) => answers.get(Number(b.split(":")[2]))));
      const answered = all.filter((q) => q !== undefined);
      resent += all.length - answered.length;
      if (JSON.stringify(answered) !== JSON.stringify(asked)) problems.push(`chat ${chatId}: asked ${asked.length}, answered ${answered.length} (${JSON.stringify(answered.filter((q, i) => q !== asked[i]).slice(0, 2))})`);
    }
    // Every callback answered exactly once.
    const callbackAnswers = new Map<string, number>();
    for (const c of fake.calls) if (c.method === "answerCallbackQuery" && c.status === 200) callbackAnswers.set(String(c.params.callback_query_id), (callbackAnswers.get(String(c.params.callback_query_id)) ?? 0) + 1);
    const badCallbacks = callbackIds.filter((id) => callbackAnswers.get(id) !== 1);
    if (badCallbacks.length) problems.push(`${badCallbacks.length} callbacks not answered exactly once: ${JSON.stringify(badCallbacks.slice(0, 3).map((id) => [id, callbackAnswers.get(id), fake.calls.filter((c) => c.method === "answerCallbackQuery" && String(c.params.callback_query_id) === id).map((c) => [c.status, c.response]), deliveries.find((d) => d.update.callback_query?.id === id)?.statuses, deliveries.find((d) => d.update.callback_query?.id === id)?.update.callback_query?.data]))}`);

    // Groups: the round's messages in order, once each; fill-in answers acknowledged once each.
    const expectedGroup = ["开始了一轮", "第1/3题", "本题答案", "第2/3题", "本题答案", "第3/3题", "本题答案", "本轮测验结束", "本群排行榜"];
    for (let i = 0; i < GROUP_CHATS; i++) {
      const chatId = -20_001 - i;
      // A message sent twice in a row (the same text) is the killed instance's reply sent again.
      const msgs = fake.sent(chatId).filter((m, j, a) => (j > 0 && a[j - 1]!.plainText === m.plainText && a[j - 1]!.reply_to === m.reply_to ? (resent++, false) : true)).map((m) => m.plainText);
      const acks = msgs.filter((t) => /^(✅ 正确！|❌ 不对)/.test(t));
      const flow = msgs.filter((t) => !/^(✅ 正确！|❌ 不对)/.test(t)).map((t) => expectedGroup.find((e) => t.includes(e)) ?? t.slice(0, 20));
      if (JSON.stringify(flow) !== JSON.stringify(expectedGroup)) problems.push(`group ${chatId}: ${JSON.stringify(flow)}`);
      const fills = groupAnswers.filter((a) => a.chatId === chatId && !a.response.startsWith("#")).length;
      if (acks.length > fills) resent += acks.length - fills;
      if (acks.length < fills) problems.push(`group ${chatId}: ${acks.length} acknowledgements for ${fills} fill-in answers`);
    }
    if (problems.length) console.log(problems.join("\n"));
    expect(problems, problems.slice(0, 10).join("\n")).toEqual([]);
    console.log(`cluster: every update answered, in order; ${resent} replies sent again after the kill (sent by the killed instance just before it died)`);
    // At most the updates the killed instance had in flight (its lock pool holds 16).
    expect(resent).toBeLessThanOrEqual(16);

    // Votes: the last vote of each user on each answer, nothing else.
    const stored = (await client.query<{ answer_id: string; user_id: string; vote: string }>("SELECT answer_id, user_id, vote FROM votes")).rows;
    expect(new Map(stored.map((r) => [`${r.answer_id}:${r.user_id}`, r.vote]))).toEqual(votes);

    // Quiz: each round finished with the scores the answers earn.
    const rounds = (await client.query<{ id: string; chat_id: string; state: string; questions: QuizQuestion[] }>("SELECT id, chat_id, state, questions FROM rounds")).rows;
    expect(rounds).toHaveLength(GROUP_CHATS);
    for (const r of rounds) {
      expect(r.state).toBe("finished");
      const expected = new Map<string, { answered: number; correct: number }>();
      for (const a of groupAnswers.filter((x) => String(x.chatId) === r.chat_id)) {
        const q = r.questions[a.index]!;
        const response = a.response.startsWith("#") ? q.options[Number(a.response.slice(1))]! : a.response;
        const s = expected.get(`tg:${a.userId}`) ?? { answered: 0, correct: 0 };
        s.answered++;
        if (gradeAnswer(q, response).correct) s.correct++;
        expected.set(`tg:${a.userId}`, s);
      }
      const got = (await client.query<{ user_id: string; answered: string; correct: string }>("SELECT user_id, COUNT(*) AS answered, COUNT(*) FILTER (WHERE correct) AS correct FROM round_answers WHERE round_id = $1 GROUP BY user_id", [r.id])).rows;
      expect(new Map(got.map((g) => [g.user_id, { answered: Number(g.answered), correct: Number(g.correct) }]))).toEqual(expected);
    }
    // The survivors logged no error beyond the killed instance's broken connections.
    for (const i of [0, 2]) expect(readFileSync(cluster.instances[i]!.log, "utf8")).not.toMatch(/"level":50/);
  }, 240_000);
});
