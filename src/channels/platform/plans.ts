import { choosePlan, loadedPlan, planChosenText, plansHeading } from "../../answer/plan-choice.js";
import { citationTag } from "../../answer/plans.js";
import { findUnit } from "../../plan/lookup.js";
import { UnknownPlanError } from "../../retrieve/plans.js";
import type { FeedbackStore } from "../../feedback/store.js";
import type { Knowledge } from "../telegram/context.js";
import type { Reply } from "./types.js";

/** Units and plans on the chat platforms: /task N, /section N, /part N, /plans and /use <plan>. */
export interface PlatformPlans {
  /** The chat's plan (/use), while that plan is still loaded. */
  chatPlan(chatId: string): Promise<string | undefined>;
  /** The replies to one of the commands; undefined for other commands. */
  command(chatId: string, name: string, arg: string): Promise<Reply[] | undefined>;
  /** A /plans button (use:N, use:all); undefined for other buttons. */
  button(chatId: string, value: string): Promise<Reply[] | undefined>;
}

/**
 * The same unit lookup and plan choice as Telegram's /task and /use, rendered as platform replies.
 * @example const plans = createPlatformPlans(knowledge, store); await plans.command("dingtalk:cid", "task", "5");
 */
export function createPlatformPlans(knowledge: Knowledge, store: FeedbackStore): PlatformPlans {
  const catalog = () => knowledge.kb.catalog;
  const chatPlan = async (chatId: string) => loadedPlan(catalog(), await store.chatPlan(chatId));

  async function listing(chatId: string): Promise<Reply> {
    const current = await chatPlan(chatId);
    const several = catalog().plans.length > 1;
    const lines = catalog().plans.map((p, i) => {
      const issued = [p.issuers.join("、"), p.docNumber, p.date].filter(Boolean).join(" ");
      return `${p.id === current ? "✅" : `${i + 1}.`} **${p.shortName}**《${p.title}》${issued ? `\n   ${issued}` : ""}`;
    });
    return {
      body: [plansHeading(catalog(), current), ...lines].join("\n"),
      ...(several ? {
        buttons: [...catalog().plans.map((p, i) => ({ text: p.shortName, value: `use:${i}` })), { text: "全部方案", value: "use:all" }],
        hint: "发送 /use 方案简称（或编号）只看一份方案，/use 全部 恢复。",
      } : {}),
    };
  }

  return {
    chatPlan,

    async command(chatId, name, arg) {
      switch (name) {
        case "task":
        case "section":
        case "part": {
          const { kb } = knowledge;
          // The chat's plan (/use), else every plan that has the unit, each under its plan's name.
          const only = await chatPlan(chatId);
          const results = kb.docs.filter((d) => !only || d.id === only).map((d) => findUnit(d.units, name, arg));
          const units = results.flatMap((f) => ("unit" in f ? [f.unit] : []));
          if (units.length === 0) return [{ body: (results[0] as { error: string } | undefined)?.error ?? "没有找到。" }];
          // A part's label already holds its heading (二、控源截污): do not say it twice.
          return units.map((u) => ({ title: `${citationTag({ label: u.label, plan: kb.catalog.citeName(u.doc) })}${u.label.includes(u.heading) ? "" : u.heading}`, body: [u.path, u.text].filter(Boolean).join("\n") }));
        }
        case "plans":
          return [await listing(chatId)];
        case "use": {
          if (!arg) {
            const list = await listing(chatId);
            return [{ ...list, body: `用法：/use 方案简称（或编号），例如 /use ${catalog().plans[0]?.shortName ?? ""}\n\n${list.body}` }];
          }
          try {
            const choice = choosePlan(catalog(), arg);
            await store.setChatPlan(chatId, choice.all ? undefined : choice.plan.id);
            return [{ body: planChosenText(choice) }];
          } catch (err) {
            if (err instanceof UnknownPlanError) return [{ body: err.message }];
            throw err;
          }
        }
        default:
          return undefined;
      }
    },

    async button(chatId, value) {
      const m = /^use:(\d+|all)$/.exec(value);
      if (!m) return undefined;
      const plan = m[1] === "all" ? undefined : catalog().plans[Number(m[1])];
      if (m[1] !== "all" && !plan) return [{ body: "方案列表已更新，请重新发送 /plans。", toast: "方案列表已更新" }];
      await store.setChatPlan(chatId, plan?.id);
      const text = planChosenText(plan ? { all: false, plan } : { all: true });
      return [{ body: text, toast: plan ? `已切换到${plan.shortName}` : "已恢复全部方案" }];
    },
  };
}
