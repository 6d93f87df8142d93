import { Composer } from "grammy";
import { filterTargets } from "../../../quiz/generate.js";
import type { BotContext, BotDeps } from "../context.js";
import { paginate, type Block } from "../render.js";

/** /targets [keyword or label]: the plan's quantitative targets, grouped by unit. */
export function targetsFeature(deps: BotDeps): Composer<BotContext> {
  const c = new Composer<BotContext>();
  c.command("targets", async (ctx) => {
    const topic = ctx.match.trim() || undefined;
    const units = deps.knowledge.kb.docs.flatMap((d) => d.units);
    const targets = filterTargets(deps.knowledge.engine.targets, units, topic);
    if (targets.length === 0) return ctx.reply(ctx.t.targetsNone(topic ?? ""));
    const blocks: Block[] = [{ text: ctx.t.targetsHead(topic, targets.length), tag: "b" }];
    let current = "";
    for (const t of targets) {
      const key = `${t.doc}|${t.ref}`;
      if (key !== current) {
        current = key;
        const unit = units.find((u) => u.doc === t.doc && u.ref === t.ref);
        blocks.push({ text: `〔${t.label}〕${unit?.heading ?? ""}`, tag: "b" });
      }
      blocks.push({ text: `• ${t.metric}：${t.value}${t.unit}${t.qualifier ? `（${t.qualifier}）` : ""}` });
    }
    for (const page of paginate(blocks)) await ctx.reply(page, { parse_mode: "HTML" });
  });
  return c;
}
