import { basename } from "node:path";
import type { StorageError, StorageFault, StoragePart } from "./errors.js";

/** One data file's state as /healthz shows it. */
export interface StorageStatus {
  part: StoragePart;
  /** The file's name (the full path is in the log). */
  file: string;
  ok: boolean;
  fault?: StorageFault;
  /** What is wrong and what to do, in English. */
  reason?: string;
  /** Chinese, for users. */
  message?: string;
  /** When the fault was first seen (ISO time). */
  since?: string;
}

/**
 * What every data file is doing, for /healthz: `degraded` while any part cannot be opened or its
 * last write failed. Question answering needs none of them, so a fault here never stops it.
 */
export class StorageHealth {
  private readonly parts = new Map<StoragePart, StorageStatus>();
  /** Failing operations per part: a part recovers when each has succeeded again. */
  private readonly failing = new Map<StoragePart, Set<string>>();

  /** A part opened fine. */
  opened(part: StoragePart, file: string): void {
    this.parts.set(part, { part, file: basename(file), ok: true });
    this.failing.delete(part);
  }

  /** A part failed: at open (operation "open") or in one operation. */
  failed(err: StorageError, operation = "open"): void {
    const previous = this.parts.get(err.part);
    const ops = this.failing.get(err.part) ?? new Set<string>();
    ops.add(operation);
    this.failing.set(err.part, ops);
    this.parts.set(err.part, {
      // /healthz is public: the file's name is enough there; its full path is in the log.
      part: err.part, file: basename(err.file), ok: false, fault: err.fault, reason: err.message.replaceAll(err.file, basename(err.file)), message: err.userMessage,
      since: previous && !previous.ok ? previous.since : new Date().toISOString(),
    });
  }

  /** An operation that failed before has succeeded. */
  succeeded(part: StoragePart, operation: string): void {
    const ops = this.failing.get(part);
    if (!ops?.delete(operation) || ops.size > 0) return;
    const s = this.parts.get(part);
    if (s) this.parts.set(part, { part, file: s.file, ok: true });
  }

  /** Whether the part has a failing operation. */
  isFailing(part: StoragePart): boolean {
    return (this.failing.get(part)?.size ?? 0) > 0;
  }

  /** "ok", or "degraded" while any part is failing. */
  get status(): "ok" | "degraded" {
    return [...this.parts.values()].every((s) => s.ok) ? "ok" : "degraded";
  }

  /** Every part's state. */
  report(): StorageStatus[] {
    return [...this.parts.values()].map((s) => ({ ...s }));
  }
}
