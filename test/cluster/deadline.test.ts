/**
 * A group round outlives the instance that started it: three policybot instances in webhook mode on one
 * PostgreSQL, a round started through instance A, A killed with SIGKILL right after asking its first
 * question. The two left (B and C) both sweep the database for due deadlines; one of them closes each
 * question when it is due, and every step is announced exactly once. Needs TEST_DATABASE_URL and nginx (.ci/run provides both).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Update } from "grammy/types";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { repoPath } from "../helpers.js";
import { buildIndex, type Cluster, NGINX, startCluster } from "../support/cluster.js";
import { startFakeTelegram } from "../support/fake-telegram.js";
import { freshDatabase, havePostgres } from "../support/postgres.js";

const SECRET = "deadline-test-secret";
const ROUND_SECONDS = 5;
const GROUP = -70_001;

const ready = havePostgres() && (!!NGINX || process.env.CI === "true");

describe.runIf(ready)("round deadlines in PostgreSQL across instances", () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it("a round started on instance A, A killed: B or C closes each question at its deadline and it is announced once", async () => {
    const dir = mkdtempSync(join(tmpdir(), "policybot-deadline-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const fake = await startFakeTelegram();
    cleanups.push(() => fake.close());
    const db = await freshDatabase("policybot_deadline");
    cleanups.push(() => db.drop());
    const env = {
      SEEDS_DIR: repoPath("seeds"), INDEX_DIR: join(dir, "index"), DATABASE_URL: db.url, LOG_LEVEL: "warn", LOG_FORMAT: "json",
      TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot, WEBHOOK_URL: "https://bot.example.test/tg/hook", WEBHOOK_SECRET: SECRET,
      WEB: "off", QUIZ_ROUND_SECONDS: String(ROUND_SECONDS),
    };
    buildIndex(env);
    // Two survivors sweep the same database: exactly one of them may close each question.
    const cluster: Cluster = await startCluster({ size: 3, dir, env });
    cleanups.push(() => cluster.stop());
    const [a, b] = cluster.instances as [Cluster["instances"][0], Cluster["instances"][0]];

    /** Delivers one update straight to an instance, as Telegram would through the balancer. */
    const deliver = async (port: number, u: Update) => {
      const res = await fetch(`http://127.0.0.1:${port}/tg/hook`, { method: "POST", headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": SECRET }, body: JSON.stringify(u) });
      expect(res.status).toBe(200);
    };
    const texts = () => fake.sent(GROUP).map((m) => m.plainText);
    const waitFor = async (what: string, ok: () => boolean, ms: number) => {
      const end = Date.now() + ms;
      while (!ok()) {
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}; sent: ${JSON.stringify(texts().map((t) => t.slice(0, 24)))}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };

    await deliver(a.port, fake.pushUpdate(fake.userMessage({ chatId: GROUP, userId: 501, text: "/quiz 2" })));
    await waitFor("question 1", () => texts().some((t) => t.startsWith("第1/2题")), 10_000);
    const askedAt = Date.now();
    a.child.kill("SIGKILL");
    // A player answers question 1 through B while A is dead (a button, or a reply for a fill-in question).
    const q1 = fake.sent(GROUP).find((m) => m.plainText.startsWith("第1/2题"))!;
    const option = ((q1.reply_markup as { inline_keyboard?: Array<Array<{ callback_data?: string }>> })?.inline_keyboard ?? []).flat()[0]?.callback_data;
    await deliver(b.port, fake.pushUpdate(option ? fake.callbackQuery({ chatId: GROUP, userId: 502, messageId: q1.message_id, data: option }) : fake.userMessage({ chatId: GROUP, userId: 502, text: "12", replyToBotMessage: q1.message_id })));

    await waitFor("the first reveal", () => texts().some((t) => t.startsWith("本题答案")), (ROUND_SECONDS + 10) * 1000);
    const revealedAfter = (Date.now() - askedAt) / 1000;
    await waitFor("the leaderboard", () => texts().some((t) => t.startsWith("本轮测验结束")), (ROUND_SECONDS + 10) * 1000);
    // Room for a second announcement, should anything send one.
    await new Promise((r) => setTimeout(r, 2500));

    const flow = texts().filter((t) => !/^(✅|❌)/.test(t)).map((t) => ["开始了一轮", "第1/2题", "本题答案", "第2/2题", "本轮测验结束"].find((k) => t.includes(k)) ?? t.slice(0, 20));
    expect(flow).toEqual(["开始了一轮", "第1/2题", "本题答案", "第2/2题", "本题答案", "本轮测验结束"]);
    // Closed at its deadline (the sweep runs every second), not before.
    expect(revealedAfter).toBeGreaterThanOrEqual(ROUND_SECONDS - 1);
    expect(revealedAfter).toBeLessThan(ROUND_SECONDS + 4);
    console.log(`deadline: question 1 revealed ${revealedAfter.toFixed(1)} s after it was asked (deadline ${ROUND_SECONDS} s), its instance killed`);
    expect(texts().find((t) => t.startsWith("本轮测验结束"))).toMatch(/@user502：[01]\/1/);

    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    cleanups.push(() => client.end());
    expect((await client.query("SELECT state FROM rounds WHERE chat_id = $1", [String(GROUP)])).rows).toEqual([{ state: "finished" }]);
    expect((await client.query("SELECT key FROM deadlines")).rows).toEqual([]);
  }, 120_000);
});
