import { Composer } from "grammy";
import type { BotContext, BotDeps } from "../context.js";
import { escapeHtml } from "../render.js";
import type { TelegramMessages } from "../../../answer/messages-telegram.js";
import { telegramText } from "../lang.js";

/** /start, /help and /about: what the bot knows and how to ask. */
export function helpFeature(deps: BotDeps): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const intro = (t: TelegramMessages) => {
    const docs = deps.knowledge.kb.docs;
    const d = docs[0]!;
    const issued = d.meta.issuers.length ? t.issuedBy(d.meta.issuers.join(t.listSep), d.meta.dateText ?? "") : "";
    const colon = t === telegramText("en") ? ": " : "：";
    return [
      `<b>${escapeHtml(t.helpTitle)}</b>`,
      escapeHtml(t.helpIntro(d.meta.title, issued, docs.length)),
      "",
      `<b>${escapeHtml(t.helpOfficials)}</b>${colon}${escapeHtml(t.helpOfficialsExamples)}`,
      `<b>${escapeHtml(t.helpResidents)}</b>${colon}${escapeHtml(t.helpResidentsExamples)}`,
      `<b>${escapeHtml(t.helpTraining)}</b>${colon}${escapeHtml(t.helpTrainingCommands)}`,
      "",
      escapeHtml(t.helpLookup),
      escapeHtml(t.helpReset),
      ...(docs.length > 1 ? [escapeHtml(t.helpPlans)] : []),
      escapeHtml(t.helpGroups),
    ].join("\n");
  };
  c.command(["start", "help"], (ctx) => ctx.reply(intro(ctx.t), { parse_mode: "HTML", link_preview_options: { is_disabled: true } }));
  c.command("about", (ctx) => {
    const lines = deps.knowledge.kb.docs.map((d) => {
      const count = (k: string) => d.units.filter((u) => u.kind === k).length;
      return [
        `<b>${escapeHtml(d.meta.title)}</b>`,
        d.meta.issuers.length ? escapeHtml(ctx.t.aboutIssued(d.meta.issuers.join(ctx.t.listSep), d.meta.dateText ?? "")) : "",
        d.meta.recipients.length ? escapeHtml(ctx.t.aboutRecipients(d.meta.recipients.join(ctx.t.recipientSep))) : "",
        escapeHtml(ctx.t.aboutContents(count("part"), count("section"), count("task"), d.id)),
      ].filter(Boolean).join("\n");
    });
    return ctx.reply(lines.join("\n\n"), { parse_mode: "HTML" });
  });
  return c;
}
