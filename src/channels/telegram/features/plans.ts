import { Composer, InlineKeyboard } from "grammy";
import { choosePlan, loadedPlan } from "../../../answer/plan-choice.js";
import { UnknownPlanError } from "../../../retrieve/plans.js";
import type { BotContext, BotDeps } from "../context.js";
import { escapeHtml } from "../render.js";

/** The chat's plan (a document id), when it chose one with /use and that plan is still loaded. */
export async function chatPlan(deps: BotDeps, chatId: number | string): Promise<string | undefined> {
  return loadedPlan(deps.knowledge.kb.catalog, await deps.store.chatPlan(String(chatId)));
}

/** /plans lists the loaded plans with buttons to pick one; /use <plan> keeps the chat to one plan, /use 全部 to all. */
export function plansFeature(deps: BotDeps): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const catalog = () => deps.knowledge.kb.catalog;

  const listing = async (ctx: BotContext, chatId: number) => {
    const t = ctx.t;
    const current = await chatPlan(deps, chatId);
    const lines = catalog().plans.map((p, i) => {
      const issued = [p.issuers.join(t.listSep), p.docNumber, p.date].filter(Boolean).join(" ");
      return `${p.id === current ? "✅" : `${i + 1}.`} <b>${escapeHtml(p.shortName)}</b>《${escapeHtml(p.title)}》${issued ? `\n   ${escapeHtml(issued)}` : ""}`;
    });
    const head = catalog().plans.length > 1
      ? current ? t.plansCurrent : t.plansAll
      : t.plansOne;
    const keyboard = new InlineKeyboard();
    if (catalog().plans.length > 1) {
      catalog().plans.forEach((p, i) => keyboard.text(p.shortName, `use:${i}`).row());
      keyboard.text(t.plansAllButton, "use:all");
    }
    return { text: [head, ...lines, catalog().plans.length > 1 ? `\n${escapeHtml(t.plansUseHint)}` : ""].join("\n"), keyboard };
  };

  c.command("plans", async (ctx) => {
    const { text, keyboard } = await listing(ctx, ctx.chat.id);
    return ctx.reply(text, { parse_mode: "HTML", reply_markup: keyboard });
  });

  c.command("use", async (ctx) => {
    const arg = ctx.match.trim();
    if (!arg) {
      const { text, keyboard } = await listing(ctx, ctx.chat.id);
      return ctx.reply(`${escapeHtml(ctx.t.useUsage(catalog().plans[0]?.shortName ?? ""))}\n\n${text}`, { parse_mode: "HTML", reply_markup: keyboard });
    }
    try {
      const choice = choosePlan(catalog(), arg);
      await deps.store.setChatPlan(String(ctx.chat.id), choice.all ? undefined : choice.plan.id);
      return ctx.reply(choice.all ? ctx.t.useAll : ctx.t.useSwitched(choice.plan.title));
    } catch (err) {
      if (err instanceof UnknownPlanError) return ctx.reply(err.message);
      throw err;
    }
  });

  c.callbackQuery(/^use:(\d+|all)$/, async (ctx) => {
    const chatId = ctx.chat?.id;
    const which = ctx.match[1]!;
    const plan = which === "all" ? undefined : catalog().plans[Number(which)];
    if (chatId === undefined || (which !== "all" && !plan)) {
      await ctx.answerCallbackQuery({ text: ctx.t.plansChanged }).catch((err) => ctx.log.warn({ err }, "telegram: answerCallbackQuery failed"));
      return;
    }
    await deps.store.setChatPlan(String(chatId), plan?.id);
    await ctx.answerCallbackQuery({ text: plan ? ctx.t.useSwitchedShort(plan.shortName) : ctx.t.useAllShort }).catch((err) => ctx.log.warn({ err }, "telegram: answerCallbackQuery failed"));
    await ctx.reply(plan ? ctx.t.useSwitched(plan.title) : ctx.t.useAll);
  });
  return c;
}
