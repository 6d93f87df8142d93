import { retrievalJson } from "../../retrieve/present.js";
import { openKnowledgeBase } from "../../knowledge.js";
import { citationTag } from "../../answer/plans.js";
import { searchPlans } from "../../retrieve/router.js";
import { choosePlan } from "../plans.js";
import { parseCommandArgs, UsageError } from "../args.js";
import { type Command, println } from "../context.js";

/** `policybot search "<question>" [-k N] [--json]`: ranked units with confidence. */
export const searchCommand: Command = {
  name: "search",
  usage: 'policybot search "<question>" [-k N] [--doc PLAN] [--json]',
  summary: "rank the units that answer a question, with confidence",
  async run(argv, ctx) {
    const { values, positionals } = parseCommandArgs("search", argv, { k: { type: "string", short: "k" }, json: { type: "boolean" }, doc: { type: "string" } }, ctx.m);
    const question = positionals.join(" ").trim();
    if (!question) throw new UsageError(ctx.m.cliNeedQuestion("search"));
    const k = values.k === undefined ? 5 : Number(values.k);
    if (!Number.isInteger(k) || k < 1 || k > 50) throw new UsageError(ctx.m.cliWholeNumber("search", "-k", 50, String(values.k)));
    const kb = await openKnowledgeBase({ config: ctx.config, logger: ctx.logger });
    const doc = choosePlan("search", kb.docs, values.doc, kb.catalog);
    const r = await searchPlans({ retriever: kb.retriever, catalog: kb.catalog, docs: kb.docs }, question, { k, doc });
    if (values.json) {
      println(ctx.stdout, JSON.stringify(retrievalJson(question, r, kb.catalog), null, 2));
      return 0;
    }
    println(ctx.stdout, ctx.m.confidence(r.confidence.toFixed(2), r.lowConfidence ? r.reason : undefined));
    r.units.forEach((u, i) => {
      println(ctx.stdout, `${i + 1}. ${citationTag({ label: u.unit.label, plan: kb.catalog.citeName(u.unit.doc) })}${u.unit.heading}  ${ctx.m.score(u.score.toFixed(3), Boolean(u.structural))}`);
      println(ctx.stdout, `   ${u.unit.path}`);
      if (u.chunks[0]) println(ctx.stdout, `   “${u.chunks[0].text}”`);
    });
    return 0;
  },
};
