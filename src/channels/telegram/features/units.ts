import { Composer } from "grammy";
import { validateQuestion } from "../../../answer/engine.js";
import { AnswerInputError } from "../../../answer/types.js";
import { findUnit } from "../../../plan/lookup.js";
import { citationTag } from "../../../answer/plans.js";
import { searchPlans } from "../../../retrieve/router.js";
import type { BotContext, BotDeps } from "../context.js";
import { chatPlan } from "./plans.js";
import { paginate, unitBlocks, type Block } from "../render.js";


/** /task N, /section N, /part N and /search words. */
export function unitsFeature(deps: BotDeps): Composer<BotContext> {
  const c = new Composer<BotContext>();
  for (const kind of ["task", "section", "part"] as const) {
    c.command(kind, async (ctx) => {
      const { kb } = deps.knowledge;
      // The chat's plan (/use), else every plan that has the unit, each shown under its plan's name.
      const only = await chatPlan(deps, ctx.chat.id);
      const results = kb.docs.filter((d) => !only || d.id === only).map((d) => findUnit(d.units, kind, ctx.match));
      const units = results.flatMap((f) => ("unit" in f ? [f.unit] : []));
      if (units.length === 0) return ctx.reply((results[0] as { error: string } | undefined)?.error ?? ctx.t.notFound);
      for (const unit of units) for (const page of paginate(unitBlocks(unit, kb.catalog.citeName(unit.doc)))) await ctx.reply(page, { parse_mode: "HTML" });
    });
  }
  c.command("search", async (ctx) => {
    const raw = ctx.match.trim();
    if (!raw) return ctx.reply(ctx.t.searchUsage);
    let words: string;
    try {
      words = validateQuestion(raw, deps.config.MAX_QUESTION_CHARS);
    } catch (err) {
      if (err instanceof AnswerInputError) return ctx.reply(err.message);
      throw err;
    }
    const { kb } = deps.knowledge;
    const r = await searchPlans({ retriever: kb.retriever, catalog: kb.catalog, docs: kb.docs }, words, { k: 8, doc: await chatPlan(deps, ctx.chat.id) });
    if (r.units.length === 0 || r.lowConfidence) return ctx.reply(ctx.t.searchNone);
    const blocks: Block[] = [{ text: ctx.t.searchHead(words.slice(0, 60)), tag: "b" }, ...r.units.map((u) => ({ text: `${citationTag({ label: u.unit.label, plan: kb.catalog.citeName(u.unit.doc) })}${u.unit.heading}` }))];
    for (const page of paginate(blocks)) await ctx.reply(page, { parse_mode: "HTML" });
  });
  return c;
}
