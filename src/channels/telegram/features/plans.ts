import { Composer, InlineKeyboard } from "grammy";
import { choosePlan, loadedPlan, planChosenText, plansHeading } from "../../../answer/plan-choice.js";
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

  const listing = async (chatId: number) => {
    const current = await chatPlan(deps, chatId);
    const lines = catalog().plans.map((p, i) => {
      const issued = [p.issuers.join("、"), p.docNumber, p.date].filter(Boolean).join(" ");
      return `${p.id === current ? "✅" : `${i + 1}.`} <b>${escapeHtml(p.shortName)}</b>《${escapeHtml(p.title)}》${issued ? `\n   ${escapeHtml(issued)}` : ""}`;
    });
    const head = plansHeading(catalog(), current);
    const keyboard = new InlineKeyboard();
    if (catalog().plans.length > 1) {
      catalog().plans.forEach((p, i) => keyboard.text(p.shortName, `use:${i}`).row());
      keyboard.text("全部方案", "use:all");
    }
    return { text: [head, ...lines, catalog().plans.length > 1 ? "\n发送 /use 方案简称 只看一份方案，/use 全部 恢复。" : ""].join("\n"), keyboard };
  };

  c.command("plans", async (ctx) => {
    const { text, keyboard } = await listing(ctx.chat.id);
    return ctx.reply(text, { parse_mode: "HTML", reply_markup: keyboard });
  });

  c.command("use", async (ctx) => {
    const arg = ctx.match.trim();
    if (!arg) {
      const { text, keyboard } = await listing(ctx.chat.id);
      return ctx.reply(`用法：/use 方案简称（或编号），例如 /use ${escapeHtml(catalog().plans[0]?.shortName ?? "")}\n\n${text}`, { parse_mode: "HTML", reply_markup: keyboard });
    }
    try {
      const choice = choosePlan(catalog(), arg);
      await deps.store.setChatPlan(String(ctx.chat.id), choice.all ? undefined : choice.plan.id);
      return ctx.reply(planChosenText(choice));
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
      await ctx.answerCallbackQuery({ text: "方案列表已更新，请重新发送 /plans。" }).catch((err) => ctx.log.warn({ err }, "telegram: answerCallbackQuery failed"));
      return;
    }
    await deps.store.setChatPlan(String(chatId), plan?.id);
    await ctx.answerCallbackQuery({ text: plan ? `已切换到${plan.shortName}` : "已恢复全部方案" }).catch((err) => ctx.log.warn({ err }, "telegram: answerCallbackQuery failed"));
    await ctx.reply(planChosenText(plan ? { all: false, plan } : { all: true }));
  });
  return c;
}
