import { Composer } from "grammy";
import type { BotContext, BotDeps } from "../context.js";
import { escapeHtml } from "../render.js";

/** /start, /help and /about: what the bot knows and how to ask. */
export function helpFeature(deps: BotDeps): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const intro = () => {
    const docs = deps.knowledge.kb.docs;
    const d = docs[0]!;
    const issued = d.meta.issuers.length ? `${d.meta.issuers.join("、")}${d.meta.dateText ? ` ${d.meta.dateText}` : ""}印发` : "";
    return [
      `<b>政策问答助手 policybot</b>`,
      `我能回答关于《${escapeHtml(d.meta.title)}》${issued ? `（${escapeHtml(issued)}）` : ""}${docs.length > 1 ? `等${docs.length}份文件` : ""}的问题，每个回答都注明出处（如〔第5项〕）并附原文。`,
      "",
      "<b>官员</b>：今年高标准农田要建多少？ · 城镇化率目标是多少？",
      "<b>居民</b>：我们村手机信号不好，有打算改善吗？ · 农民工孩子能上公办学校吗？",
      "<b>培训</b>：/quiz 开始测验 · /targets 目标清单 · /leaderboard 排行榜",
      "",
      "按编号查看：/task 5 · /section 三 · /part 一 · /search 关键词",
      "/reset 清空对话上下文 · /about 文件信息",
      ...(docs.length > 1 ? ["/plans 已加载的方案 · /use 方案简称 只看一份方案"] : []),
      "在群里请用 /ask 问题、@我 或回复我的消息提问。",
    ].join("\n");
  };
  c.command(["start", "help"], (ctx) => ctx.reply(intro(), { parse_mode: "HTML", link_preview_options: { is_disabled: true } }));
  c.command("about", (ctx) => {
    const lines = deps.knowledge.kb.docs.map((d) => {
      const count = (k: string) => d.units.filter((u) => u.kind === k).length;
      return [
        `<b>${escapeHtml(d.meta.title)}</b>`,
        d.meta.issuers.length ? `印发：${escapeHtml(d.meta.issuers.join("、"))}${d.meta.dateText ? `，${escapeHtml(d.meta.dateText)}` : ""}` : "",
        d.meta.recipients.length ? `发至：${escapeHtml(d.meta.recipients.join("；"))}` : "",
        `内容：${count("part")}个部分、${count("section")}节、${count("task")}项任务（文件 ${escapeHtml(d.id)}）`,
      ].filter(Boolean).join("\n");
    });
    return ctx.reply(lines.join("\n\n"), { parse_mode: "HTML" });
  });
  return c;
}
