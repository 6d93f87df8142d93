import { Composer } from "grammy";
import type { BotContext, BotDeps } from "../context.js";

/** /stats and /reindex, for ADMIN_IDS only. */
export function adminFeature(deps: BotDeps): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const isAdmin = (ctx: BotContext) => ctx.from !== undefined && deps.config.ADMIN_IDS.includes(ctx.from.id);
  c.command("stats", async (ctx) => {
    if (!isAdmin(ctx)) return ctx.reply("这个命令仅限管理员使用。");
    const s = await deps.store.stats();
    return ctx.reply(
      [`问题：${s.questions}`, `未能回答（弃答）：${s.abstentions}`, `反馈：👍 ${s.up} · 👎 ${s.down}`, `延迟：p50 ${s.p50ms.toFixed(1)} ms · p95 ${s.p95ms.toFixed(1)} ms`].join("\n"),
    );
  });
  c.command("reindex", async (ctx) => {
    if (!isAdmin(ctx)) return ctx.reply("这个命令仅限管理员使用。");
    await ctx.reply("正在重建索引…");
    await deps.knowledge.reload();
    const m = deps.knowledge.kb.index.manifest;
    return ctx.reply(`索引已重建：${deps.knowledge.kb.docs.length} 份文件，${m.counts.chunks} 个片段。`);
  });
  return c;
}
