import { existsSync } from "node:fs";
import { isSealedSet, readEvalSet, type EvalItem } from "../../eval/dataset.js";
import { evaluateAnswers, formatAnswerMisses, formatAnswerScores } from "../../eval/answers.js";
import { compareEmbedders } from "../../eval/embedders.js";
import { unresolved } from "../../eval/expected.js";
import { evaluateRetrieval, formatMisses, formatReport } from "../../eval/run.js";
import { formatSweep, sweepPlans } from "../../eval/sweep.js";
import { openKnowledgeBase, type KnowledgeBase } from "../../knowledge.js";
import { parseCommandArgs } from "../args.js";
import { type Command, type CommandContext, println } from "../context.js";
import { openEngine } from "../engine.js";

const SEED_SETS = ["test/fixtures/eval.jsonl", "test/fixtures/eval-holdout.jsonl", "test/fixtures/eval-blind.jsonl", "test/fixtures/eval-sealed.jsonl", "test/fixtures/eval-sealed2.jsonl"];
const PLAN_SETS = ["test/fixtures/eval-dev-plans.jsonl", "test/fixtures/eval-dev2.jsonl", "test/fixtures/eval-dev3.jsonl", "test/fixtures/eval-sealed.jsonl", "test/fixtures/eval-sealed2.jsonl", "test/fixtures/eval-sealed3.jsonl"];

/**
 * `policybot eval`: retrieval and answer quality on the evaluation sets, beside a naive baseline.
 * `--plans DIR` adds the plans of a folder beside the seeds (multi-plan mode) and reports each plan,
 * and the seed's questions both alone and beside the other plans. Sealed sets never print misses.
 */
export const evalCommand: Command = {
  name: "eval",
  usage: "policybot eval [--set FILE]… [--plans DIR] [--misses] [--embedders] [--answers-only] [--sweep]",
  summary: "hit@1, first citation, figures, refusals and declines on the evaluation sets, beside a naive baseline",
  async run(argv, ctx) {
    const { values } = parseCommandArgs("eval", argv, {
      set: { type: "string", multiple: true },
      plans: { type: "string", multiple: true },
      misses: { type: "boolean" },
      embedders: { type: "boolean" },
      "answers-only": { type: "boolean" },
      sweep: { type: "boolean" },
    }, ctx.m);
    const plansDirs = values.plans ?? [];
    const sets = (values.set ?? (plansDirs.length ? PLAN_SETS : SEED_SETS)).filter((f) => existsSync(f));
    const seedKb = await openKnowledgeBase({ config: ctx.config, logger: ctx.logger, persist: plansDirs.length === 0 });
    const seedDocs = seedKb.docs.map((d) => d.id);
    const kb = plansDirs.length ? await openKnowledgeBase({ config: ctx.config, logger: ctx.logger, persist: false, extraDirs: plansDirs }) : seedKb;
    if (plansDirs.length) println(ctx.stdout, `plans loaded: ${kb.docs.map((d) => d.id).join(", ")}`);
    // --sweep: every loaded plan asked its own labels, headings, goal figures, dates and facts (no question set).
    if (values.sweep) {
      println(ctx.stdout, formatSweep(await sweepPlans(kb, await openEngine(ctx, kb))));
      if (!values.set) return 0;
    }
    for (const file of sets) {
      const all = readEvalSet(file);
      const loaded = new Set(kb.docs.map((d) => d.id));
      const items = all.filter((x) => !x.doc || loaded.has(x.doc));
      const sealed = isSealedSet(file);
      const showMisses = Boolean(values.misses) && !sealed;
      const broken = items.map((x) => [x.id, unresolved(x, kb.docs, seedDocs)] as const).filter(([, u]) => u.length);
      println(ctx.stdout, `\n══ ${file}: ${items.length} questions${all.length > items.length ? ` (${all.length - items.length} skipped: their plan is not loaded)` : ""}${sealed ? " — SEALED: aggregate figures only" : ""}`);
      if (broken.length) println(ctx.stdout, `   unresolvable expected units: ${broken.map(([id, u]) => `${id} ${u.join(",")}`).join("; ")}`);
      await report(ctx, kb, items, seedDocs, { showMisses, answersOnly: Boolean(values["answers-only"]), title: plansDirs.length ? "all plans loaded" : "seed" });
      // The seed's own questions, beside the other plans and alone: loading more plans must not hurt them.
      const seedItems = items.filter((x) => !x.doc || seedDocs.includes(x.doc));
      if (plansDirs.length && seedItems.length) {
        const alone = await evaluateAnswers(seedKb, await openEngine(ctx, seedKb), seedItems, seedDocs);
        println(ctx.stdout, formatAnswerScores(new Map([["seed questions, seed alone", alone.scores.get("all")!]]), "seed alone"));
      }
      if (values.embedders) println(ctx.stdout, `\nlocal embedders compared (retrieval on ${file}):\n${await compareEmbedders(kb, items, ctx.logger, seedDocs)}`);
    }
    return 0;
  },
};

async function report(ctx: CommandContext, kb: KnowledgeBase, items: EvalItem[], seedDocs: string[], opts: { showMisses: boolean; answersOnly: boolean; title: string }): Promise<void> {
  if (!opts.answersOnly) {
    const retrieval = await evaluateRetrieval(kb, items, seedDocs);
    println(ctx.stdout, formatReport(retrieval, `retrieval (${opts.title}; hit@k and MRR over answerable questions)`));
    if (opts.showMisses) println(ctx.stdout, formatMisses(retrieval));
  }
  const answers = await evaluateAnswers(kb, await openEngine(ctx, kb), items, seedDocs);
  println(ctx.stdout, formatAnswerScores(answers.scores, `answers by category (${opts.title})`));
  if (answers.byDoc.size > 1) println(ctx.stdout, formatAnswerScores(answers.byDoc, "answers by plan"));
  if (opts.showMisses) println(ctx.stdout, formatAnswerMisses(answers.rows));
}
