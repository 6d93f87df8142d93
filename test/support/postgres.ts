/**
 * PostgreSQL for tests: a real server named by TEST_DATABASE_URL (.ci/run starts a throw-away
 * cluster and sets it). Locally, without it, PostgreSQL tests skip with a message; in CI they fail.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { it } from "vitest";

/** The server's URL, or undefined when no PostgreSQL is configured. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || undefined;

const SKIP_MESSAGE = "skipping PostgreSQL tests: TEST_DATABASE_URL is unset (e.g. postgres://postgres@127.0.0.1:5432/postgres; .ci/run sets it)";
let warned = false;

/** True when PostgreSQL tests can run; otherwise warns once, and in CI adds a failing test. */
export function havePostgres(): boolean {
  if (TEST_DATABASE_URL) return true;
  if (process.env.CI === "true") {
    it("has PostgreSQL in CI", () => {
      throw new Error("TEST_DATABASE_URL is unset in CI: .ci/run must start PostgreSQL and export it");
    });
  } else if (!warned) {
    warned = true;
    console.warn(SKIP_MESSAGE);
  }
  return false;
}

/** A new, empty database on the test server; drop() removes it. */
export async function freshDatabase(prefix = "policybot_test"): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(5).toString("hex")}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(TEST_DATABASE_URL!);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** Empties every table of policybot's schema (between tests on one database). */
export async function truncateAll(pool: pg.Pool): Promise<void> {
  await pool.query("TRUNCATE answers, votes, handled_updates, chat_history, rate_buckets, attempts, quiz_users, cards, rounds, round_answers, issued, chat_plan, deadlines RESTART IDENTITY CASCADE");
}
