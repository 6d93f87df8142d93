import { existsSync } from "node:fs";
import { join } from "node:path";
import { botIdOf } from "../../storage.js";
import { parseCommandArgs, UsageError } from "../args.js";
import { type Command, println } from "../context.js";

/** `policybot migrate [--from DIR]`: a SQLite data folder into the PostgreSQL of DATABASE_URL. */
export const migrateCommand: Command = {
  name: "migrate",
  usage: "policybot migrate [--from DIR]",
  summary: "create the PostgreSQL schema of DATABASE_URL and copy a SQLite data folder (DATA_DIR) into it",
  async run(argv, ctx) {
    const { values } = parseCommandArgs("migrate", argv, { from: { type: "string" } });
    const url = ctx.config.DATABASE_URL;
    if (!url) throw new UsageError("policybot migrate: DATABASE_URL is unset. 请设置 DATABASE_URL=postgres://user:password@host:5432/db 后再运行。");
    const from = values.from ?? ctx.config.DATA_DIR;
    const files = ["policybot.sqlite", "quiz.sqlite"].filter((f) => existsSync(join(from, f)));
    const { openPostgres } = await import("../../storage/postgres/database.js");
    const { copySqliteToPostgres } = await import("../../storage/postgres/from-sqlite.js");
    const db = await openPostgres(url);
    try {
      if (files.length === 0) {
        println(ctx.stdout, `schema is up to date; no SQLite files in ${from}/ to copy (policybot.sqlite, quiz.sqlite).`);
        return 0;
      }
      const report = await copySqliteToPostgres(from, db.pool, { botId: botIdOf(ctx.config.TELEGRAM_BOT_TOKEN) });
      for (const [table, r] of Object.entries(report)) println(ctx.stdout, `${table.padEnd(16)} ${String(r.copied).padStart(7)} copied of ${r.read}`);
      println(ctx.stdout, `copied ${files.join(" and ")} from ${from}/ into PostgreSQL; rows copied before were skipped. Set DATABASE_URL for every instance to use it.`);
      return 0;
    } finally {
      await db.close();
    }
  },
};
