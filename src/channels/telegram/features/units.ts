import { Composer } from "grammy";
import { validateQuestion } from "../../../answer/engine.js";
import { AnswerInputError } from "../../../answer/types.js";
import { findUnit } from "../../../plan/lookup.js";
import type { BotContext, BotDeps } from "../context.js";
import { paginate, unitBlocks, type Block } from "../render.js";


/** /task N, /section N, /part N and /search words. */
export function unitsFeature(deps: BotDeps): Composer<BotContext> {
  const c = new Composer<BotContext>();
  for (const kind of ["task", "section", "part"] as const) {
    c.command(kind, async (ctx) => {
      const found = findUnit(deps.knowledge.kb.docs.flatMap((d) => d.units), kind, ctx.match);
      if ("error" in found) return ctx.reply(found.error);
      for (const page of paginate(unitBlocks(found.unit))) await ctx.reply(page, { parse_mode: "HTML" });
    });
  }
  c.command("search", async (ctx) => {
    const raw = ctx.match.trim();
    if (!raw) return ctx.reply("用法：/search 关键词，例如 /search 养老");
    let words: string;
    try {
      words = validateQuestion(raw, deps.config.MAX_QUESTION_CHARS);
    } catch (err) {
      if (err instanceof AnswerInputError) return ctx.reply(err.message);
      throw err;
    }
    const r = await deps.knowledge.kb.retriever.retrieve(words, { k: 8 });
    if (r.units.length === 0 || r.lowConfidence) return ctx.reply("没有找到相关条目。");
    const blocks: Block[] = [{ text: `与“${words.slice(0, 60)}”相关的条目：`, tag: "b" }, ...r.units.map((u) => ({ text: `〔${u.unit.label}〕${u.unit.heading}` }))];
    for (const page of paginate(blocks)) await ctx.reply(page, { parse_mode: "HTML" });
  });
  return c;
}
