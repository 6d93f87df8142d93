/**
 * One connection to PostgreSQL for an instance: a pool for queries and a separate pool for the
 * per-chat locks, which are held while an update is handled. Kept apart so that lock holders, which
 * also query, can never take every connection and wait on themselves.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import pg from "pg";
import { migrate } from "./migrations.js";

/** What {@link openPostgres} makes. */
export interface Postgres {
  /** For queries and short transactions. */
  pool: pg.Pool;
  /** For connections held across the handling of one update (the per-chat lock). */
  lockPool: pg.Pool;
  close(): Promise<void>;
}

/** Options of {@link openPostgres}. */
export interface PostgresOptions {
  /** Connections for queries (default 8). */
  max?: number;
  /** Updates handled at once, each holding a connection (default 16). */
  lockMax?: number;
  /** Run migrations first (default true). */
  migrate?: boolean;
}

/** The database could not be reached or set up; the message says what to check. */
export class PostgresError extends Error {
  override readonly name = "PostgresError";
}

/** DATABASE_URL with the password hidden, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(an unreadable URL)";
  }
}

/**
 * Connects, checks the server answers and migrates the schema.
 * @example const db = await openPostgres(config.DATABASE_URL!);
 */
export async function openPostgres(url: string, opts: PostgresOptions = {}): Promise<Postgres> {
  const common = { connectionString: url, connectionTimeoutMillis: 10_000, application_name: "policybot" };
  const pool = new pg.Pool({ ...common, max: opts.max ?? 8 });
  const lockPool = new pg.Pool({ ...common, max: opts.lockMax ?? 16 });
  // A dropped idle connection (a server restart) must not crash the process: the pool replaces it.
  pool.on("error", () => undefined);
  lockPool.on("error", () => undefined);
  try {
    await pool.query("SELECT 1");
    if (opts.migrate !== false) await migrate(pool);
  } catch (err) {
    await Promise.all([pool.end(), lockPool.end()]).catch(() => undefined);
    throw new PostgresError(`postgres: cannot use ${redactUrl(url)}: ${(err as Error).message}. Check that the server runs and DATABASE_URL names an existing database and a user that may create tables.`, { cause: err });
  }
  return {
    pool,
    lockPool,
    async close() {
      await Promise.all([pool.end(), lockPool.end()]);
    },
  };
}

/** Something queries can go to: the pool, or one client inside a transaction. */
export type Queryable = Pick<pg.Pool, "query">;

/** The transaction an update is handled in, while it is open. */
interface Ambient {
  client: pg.PoolClient;
  open: boolean;
}
const ambient = new AsyncLocalStorage<Ambient>();

/**
 * Runs fn with every store query made through {@link ambientQueryable} on `client`, so that what
 * handling an update writes commits (or rolls back) with its handled-update record. Work that
 * outlives fn (a quiz timer started meanwhile) falls back to the pool.
 */
export async function withClient<T>(client: pg.PoolClient, fn: () => Promise<T>): Promise<T> {
  const state: Ambient = { client, open: true };
  try {
    return await ambient.run(state, fn);
  } finally {
    state.open = false;
  }
}

/** The open update transaction's client, if this code runs inside one. */
export function currentClient(): pg.PoolClient | undefined {
  const s = ambient.getStore();
  return s?.open ? s.client : undefined;
}

/** Queries go to the current update's transaction when there is one, else to the pool. */
export function ambientQueryable(pool: pg.Pool): Queryable {
  const query = (...args: unknown[]) => (currentClient() ?? pool).query(...(args as [string, unknown[]]));
  return { query: query as unknown as pg.Pool["query"] };
}
