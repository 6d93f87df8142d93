/**
 * Storage faults as one error type: which part of policybot is affected, which file, what went
 * wrong and what an operator does about it. Channels show {@link StorageError.userMessage} and log
 * the rest; nothing here knows about SQLite beyond the error codes it classifies.
 */
import { basename } from "node:path";

/** What is wrong with a data file. */
export type StorageFault = "not-a-database" | "damaged" | "cannot-open" | "read-only" | "full" | "locked" | "newer-schema" | "io";

/** A part of policybot that keeps data: the quiz (quiz.sqlite) or answers, votes and chat state (policybot.sqlite). */
export type StoragePart = "quiz" | "feedback";

const PART: Record<StoragePart, { en: string; zh: string }> = {
  quiz: { en: "quiz", zh: "测验" },
  feedback: { en: "answers, votes and chat state", zh: "反馈投票和对话记录" },
};

/** Per fault: the operator's fix (English, for logs and the CLI) and the user's short reason (Chinese). */
const FAULT: Record<StorageFault, { fix: string; zh: string }> = {
  "not-a-database": { fix: "is not an SQLite database. Restore a backup with `policybot restore FILE`, or move the file aside to start with an empty one", zh: "不是有效的数据库文件" },
  damaged: { fix: "has damaged pages. Restore a backup with `policybot restore FILE` (the damaged file is kept aside)", zh: "已损坏" },
  "cannot-open": { fix: "cannot be opened. Check that its folder exists and that policybot may read and write there", zh: "无法打开" },
  "read-only": { fix: "is read-only. Give policybot write access to the file and its folder (SQLite writes -wal and -shm files beside it)", zh: "是只读的，无法写入" },
  full: { fix: "cannot grow: the disk is full. Free some space; nothing already stored is lost, and writing resumes by itself", zh: "所在磁盘已满" },
  locked: { fix: "stayed locked by another process. Check for a stuck policybot or backup process", zh: "被其他进程占用" },
  "newer-schema": { fix: "was written by a newer policybot. Upgrade policybot, or restore a backup made by this version", zh: "版本比本程序新" },
  io: { fix: "could not be read or written (I/O error). Check the disk", zh: "读写出错" },
};

/**
 * A data file cannot be used. The message names the file and the fix; `userMessage` says the same
 * briefly in Chinese, with the file's name only (the full path stays in the log).
 */
export class StorageError extends Error {
  override readonly name = "StorageError";
  constructor(
    readonly part: StoragePart,
    readonly file: string,
    readonly fault: StorageFault,
    /** What SQLite or the system said, for the log. */
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(`storage: the ${PART[part].en} database ${file} ${FAULT[fault].fix}. (${detail})`, options);
  }

  /** What an operator should do, in one sentence. */
  get fix(): string {
    return FAULT[this.fault].fix;
  }

  /** For users: what is unavailable and why, and that questions still work. */
  get userMessage(): string {
    return `${PART[this.part].zh}功能暂时不可用：数据文件 ${basename(this.file)} ${FAULT[this.fault].zh}。提问和查阅条文不受影响；请联系管理员处理。`;
  }
}

/** SQLite result codes (better-sqlite3's `err.code`) that mean the file, not the query, is at fault. */
const SQLITE_FAULTS: Array<[RegExp, StorageFault]> = [
  [/^SQLITE_NOTADB/, "not-a-database"],
  [/^SQLITE_CORRUPT/, "damaged"],
  [/^SQLITE_IOERR_SHORT_READ$/, "damaged"],
  [/^SQLITE_FULL$/, "full"],
  [/^SQLITE_READONLY/, "read-only"],
  [/^SQLITE_CANTOPEN/, "cannot-open"],
  [/^SQLITE_PERM$/, "read-only"],
  [/^SQLITE_(BUSY|LOCKED)/, "locked"],
  [/^SQLITE_IOERR/, "io"],
];

/** Node's errno codes for the folder and file operations around a database. */
const ERRNO_FAULTS: Record<string, StorageFault> = {
  ENOSPC: "full", EDQUOT: "full", EROFS: "read-only", EACCES: "read-only", EPERM: "read-only",
  ENOTDIR: "cannot-open", ENOENT: "cannot-open", EEXIST: "cannot-open", EISDIR: "cannot-open", EIO: "io",
};

/**
 * The StorageError an error from a database or file call stands for, or undefined when it is not a
 * storage fault (a constraint violation, a bug): those keep their own type.
 */
export function storageErrorOf(err: unknown, part: StoragePart, file: string): StorageError | undefined {
  if (err instanceof StorageError) return err;
  const e = err as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === "string" ? e.code : "";
  const message = String(e?.message ?? err);
  const fault = SQLITE_FAULTS.find(([re]) => re.test(code))?.[1] ?? ERRNO_FAULTS[code];
  // SQLite reports ENOSPC while writing the WAL as a plain I/O error; its message still says so.
  const full = /disk is full|no space left/i.test(message);
  if (!fault && !full) return undefined;
  return new StorageError(part, file, full ? "full" : fault!, `${code || "error"}: ${message}`, { cause: err });
}
