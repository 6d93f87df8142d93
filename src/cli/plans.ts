import { messages, type Messages } from "../answer/messages.js";
import { loadPlans, type LoadResult } from "../plan/load.js";
import type { PlanDocument } from "../plan/types.js";
import { PlanCatalog, UnknownPlanError } from "../retrieve/plans.js";
import { UsageError } from "./args.js";
import { type CommandContext, println } from "./context.js";

/** Loads the seeds, telling the user on stderr about every file that did not load. */
export function loadPlansReported(ctx: Pick<CommandContext, "config" | "stderr"> & { m?: Messages }): LoadResult {
  const m = ctx.m ?? messages();
  const result = loadPlans(ctx.config.SEEDS_DIR);
  for (const s of result.skipped) println(ctx.stderr, s.message);
  for (const err of result.errors) println(ctx.stderr, m.planSkipped(err.message));
  for (const d of result.docs) for (const w of d.warnings) println(ctx.stderr, m.planWarning(`${d.file}:${w.line}`, w.message));
  if (result.docs.length === 0) println(ctx.stderr, m.noPlans(ctx.config.SEEDS_DIR));
  return result;
}

/**
 * The plan a `--doc` value names (an id, short name, alias, 文号 or a unique part of the title);
 * undefined without --doc. A value that names no loaded plan is a UsageError listing the plans.
 */
export function choosePlan(command: string, docs: readonly PlanDocument[], value: string | undefined, catalog = new PlanCatalog(docs)): string | undefined {
  if (value === undefined) return undefined;
  try {
    return catalog.resolve(value).id;
  } catch (err) {
    if (err instanceof UnknownPlanError) throw new UsageError(`policybot ${command}: --doc ${err.message}`);
    throw err;
  }
}
