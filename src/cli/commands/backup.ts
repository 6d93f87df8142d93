import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { FEEDBACK_SCHEMA_VERSION } from "../../feedback/store.js";
import { QUIZ_SCHEMA_VERSION } from "../../quiz/store.js";
import { backupDatabase, BackupError, DATA_FILES, type DataFile, defaultBackupDir, identifyBackup, restoreDatabase, validateBackup } from "../../storage/backup.js";
import { parseCommandArgs, UsageError } from "../args.js";
import { type Command, type CommandContext, println } from "../context.js";

const SCHEMA: Record<DataFile["part"], number> = { quiz: QUIZ_SCHEMA_VERSION, feedback: FEEDBACK_SCHEMA_VERSION };
const isDbFile = (p: string) => /\.(sqlite3?|db)$/i.test(p);

function only(command: string, raw: string | undefined): DataFile[] {
  if (raw === undefined) return [...DATA_FILES];
  const file = DATA_FILES.find((d) => d.part === raw || d.name === raw);
  if (!file) throw new UsageError(`policybot ${command}: --db is one of ${DATA_FILES.map((d) => d.part).join(", ")}, got "${raw}".`);
  return [file];
}

/**
 * `policybot backup [DEST] [--db quiz|feedback]`: copies the data files with SQLite's online backup,
 * consistent while policybot runs. DEST is a folder (default DATA_DIR/backups/<time>), or with --db a
 * file name ending in .sqlite.
 */
export const backupCommand: Command = {
  name: "backup",
  usage: "policybot backup [DEST] [--db quiz|feedback]",
  summary: "copy the quiz and feedback databases (safe while running) to a folder, by default DATA_DIR/backups/<time>",
  async run(argv, ctx) {
    const { values, positionals } = parseCommandArgs("backup", argv, { db: { type: "string" } });
    if (positionals.length > 1) throw new UsageError("policybot backup: give at most one destination.");
    const files = only("backup", values.db);
    const dest = positionals[0];
    if (dest && isDbFile(dest) && files.length > 1) throw new UsageError(`policybot backup: ${dest} names one file but there are ${files.length} databases; give a folder, or choose one with --db quiz|feedback.`);
    const target = (f: DataFile) => (dest && isDbFile(dest) ? dest : join(dest ?? defaultBackupDir(ctx.config.DATA_DIR), f.name));
    let copied = 0;
    let failed = 0;
    // One damaged database does not stop the backup of the others.
    for (const f of files) {
      const src = join(ctx.config.DATA_DIR, f.name);
      if (!existsSync(src)) {
        println(ctx.stdout, `${f.name}: none yet in ${ctx.config.DATA_DIR}/ (nothing to back up)`);
        continue;
      }
      const out = target(f);
      try {
        const { bytes } = await backupDatabase(src, out);
        println(ctx.stdout, `${f.name}: backed up to ${out} (${Math.ceil(bytes / 1024)} KB)`);
        copied++;
      } catch (err) {
        if (!(err instanceof BackupError)) throw err;
        println(ctx.stderr, `policybot ${err.message}`);
        failed++;
      }
    }
    if (copied > 0) println(ctx.stdout, `Restore with: policybot restore ${dest && isDbFile(dest) ? dest : dest ?? dirOf(target(files[0]!))}`);
    return failed > 0 ? 1 : 0;
  },
};

const dirOf = (p: string) => p.slice(0, p.lastIndexOf("/")) || ".";

/**
 * `policybot restore SRC`: puts a backup in place of a data file. SRC is one backup file (which
 * database it is comes from its tables) or a backup folder. Every page is checked first; the replaced
 * file is kept aside. Stop policybot before restoring.
 */
export const restoreCommand: Command = {
  name: "restore",
  usage: "policybot restore SRC",
  summary: "replace a data file by a checked backup (a file or a `policybot backup` folder); the old file is kept aside",
  async run(argv, ctx) {
    const { positionals } = parseCommandArgs("restore", argv, {});
    if (positionals.length !== 1) throw new UsageError("policybot restore: give one backup file or folder, e.g. policybot restore data/backups/20260101T120000");
    const src = positionals[0]!;
    if (!existsSync(src)) throw new UsageError(`policybot restore: ${src} does not exist.`);
    const sources = statSync(src).isDirectory() ? DATA_FILES.map((f) => ({ file: f, path: join(src, f.name) })).filter((s) => existsSync(s.path)) : one(src);
    if (sources.length === 0) {
      println(ctx.stderr, `policybot restore: ${src} holds no ${DATA_FILES.map((f) => f.name).join(" or ")}; nothing was changed.`);
      return 1;
    }
    return restoreAll(sources, ctx);
  },
};

function one(path: string): Array<{ file: DataFile; path: string }> {
  const byName = DATA_FILES.find((f) => path.endsWith(f.name));
  const file = identifyBackup(path) ?? byName;
  // An unrecognised file still goes through restoreDatabase, whose checks say what is wrong with it.
  return [{ file: file ?? DATA_FILES[0]!, path }];
}

function restoreAll(sources: Array<{ file: DataFile; path: string }>, ctx: CommandContext): number {
  // Every backup is checked before any file is replaced: a folder restores whole or not at all.
  try {
    for (const s of sources) validateBackup(s.path, s.file, SCHEMA[s.file.part]);
  } catch (err) {
    if (!(err instanceof BackupError)) throw err;
    println(ctx.stderr, `policybot ${err.message}`);
    return 1;
  }
  for (const s of sources) {
    try {
      const r = restoreDatabase(s.path, join(ctx.config.DATA_DIR, s.file.name), s.file, SCHEMA[s.file.part]);
      println(ctx.stdout, `${s.file.name}: restored from ${s.path}${r.aside ? `; the previous file is kept as ${r.aside}` : ""}`);
    } catch (err) {
      if (!(err instanceof BackupError)) throw err;
      println(ctx.stderr, `policybot ${err.message}`);
      return 1;
    }
  }
  println(ctx.stdout, "Start policybot again to use the restored data.");
  return 0;
}
