import { Composer } from "grammy";
import { parseNumberToken } from "../../../plan/numerals.js";
import type { BotContext, BotDeps } from "../context.js";
import { escapeHtml, paginate, unitBlocks } from "../render.js";

const NAMES = { task: "项", section: "节", part: "部分" } as const;

/** /task N, /section N, /part N and /search words. */
export function unitsFeature(deps: BotDeps): Composer<BotContext> {
  const c = new Composer<BotContext>();
  for (const kind of ["task", "section", "part"] as const) {
    c.command(kind, async (ctx) => {
      const arg = ctx.match.trim().replace(/^第|[项条节部分]+$/g, "").replace(/^[(（]|[)）]$/g, "");
      const n = parseNumberToken(arg);
      if (n === undefined) return ctx.reply(`请给出编号，例如 /${kind} 5 或 /${kind} 五。`);
      const unit = deps.knowledge.kb.docs.flatMap((d) => d.units).find((u) => u.kind === kind && u.number === n);
      if (!unit) return ctx.reply(`没有找到第${n}${NAMES[kind]}。`);
      for (const page of paginate(unitBlocks(unit))) await ctx.reply(page, { parse_mode: "HTML" });
    });
  }
  c.command("search", async (ctx) => {
    const words = ctx.match.trim();
    if (!words) return ctx.reply("用法：/search 关键词，例如 /search 养老");
    const r = await deps.knowledge.kb.retriever.retrieve(words, { k: 8 });
    if (r.units.length === 0 || r.lowConfidence) return ctx.reply("没有找到相关条目。");
    const lines = r.units.map((u) => `〔${escapeHtml(u.unit.label)}〕${escapeHtml(u.unit.heading)}`);
    return ctx.reply(`<b>与“${escapeHtml(words)}”相关的条目：</b>\n${lines.join("\n")}`, { parse_mode: "HTML" });
  });
  return c;
}
