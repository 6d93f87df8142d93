import { existsSync } from "node:fs";
import { readEvalSet } from "../../eval/dataset.js";
import { evaluateAnswers, formatAnswerMisses, formatAnswerScores } from "../../eval/answers.js";
import { compareEmbedders } from "../../eval/embedders.js";
import { evaluateRetrieval, formatMisses, formatReport } from "../../eval/run.js";
import { openKnowledgeBase } from "../../knowledge.js";
import { parseCommandArgs } from "../args.js";
import { type Command, println } from "../context.js";
import { openEngine } from "../engine.js";

/** `policybot eval`: retrieval quality on the evaluation sets, beside the naive baseline. */
export const evalCommand: Command = {
  name: "eval",
  usage: "policybot eval [--set FILE] [--misses] [--embedders]",
  summary: "hit@1, hit@3, MRR and abstention on the evaluation set, beside a naive baseline",
  async run(argv, ctx) {
    const { values } = parseCommandArgs("eval", argv, { set: { type: "string", multiple: true }, misses: { type: "boolean" }, embedders: { type: "boolean" } }, ctx.m);
    const sets = values.set ?? ["test/fixtures/eval.jsonl", "test/fixtures/eval-holdout.jsonl", "test/fixtures/eval-blind.jsonl"].filter((f) => existsSync(f));
    const kb = await openKnowledgeBase({ config: ctx.config, logger: ctx.logger });
    const engine = await openEngine(ctx, kb);
    for (const file of sets) {
      const items = readEvalSet(file);
      const report = await evaluateRetrieval(kb, items);
      println(ctx.stdout, formatReport(report, `\n${file} (${items.length} questions; hit@k and MRR over answerable questions)`));
      if (values.misses) println(ctx.stdout, formatMisses(report));
      const answers = await evaluateAnswers(kb, engine, items);
      println(ctx.stdout, formatAnswerScores(answers.scores));
      if (values.misses) println(ctx.stdout, formatAnswerMisses(answers.rows));
      if (values.embedders) println(ctx.stdout, `\nlocal embedders compared (retrieval on ${file}):\n${await compareEmbedders(kb, items, ctx.logger)}`);
    }
    return 0;
  },
};
