import { Composer } from "grammy";
import type { BotContext, BotDeps } from "../context.js";

/** /stats and /reindex, for ADMIN_IDS only. */
export function adminFeature(deps: BotDeps): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const isAdmin = (ctx: BotContext) => ctx.from !== undefined && deps.config.ADMIN_IDS.includes(ctx.from.id);
  c.command("stats", async (ctx) => {
    if (!isAdmin(ctx)) return ctx.reply(ctx.t.adminOnly);
    const s = await deps.store.stats();
    return ctx.reply(ctx.t.statsLines(s.questions, s.abstentions, s.up, s.down, s.p50ms.toFixed(1), s.p95ms.toFixed(1)));
  });
  c.command("reindex", async (ctx) => {
    if (!isAdmin(ctx)) return ctx.reply(ctx.t.adminOnly);
    await ctx.reply(ctx.t.reindexing);
    await deps.knowledge.reload();
    const m = deps.knowledge.kb.index.manifest;
    return ctx.reply(ctx.t.reindexed(deps.knowledge.kb.docs.length, m.counts.chunks));
  });
  return c;
}
