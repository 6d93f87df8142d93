import type { PlanDocument } from "../../plan/types.js";
import { extractTargets } from "../../targets/extract.js";
import { parseCommandArgs } from "../args.js";
import { type Command, println } from "../context.js";
import { loadPlansReported } from "../plans.js";

/** One loaded plan as `plans --json` prints it. */
export interface PlanSummary {
  id: string;
  file: string;
  /** The format the plan was read from: txt, md, html, docx or pdf. */
  format: string;
  shortName: string;
  title: string;
  noticeTitle: string | null;
  issuers: string[];
  docNumber: string | null;
  date: string | null;
  dateText: string | null;
  recipients: string[];
  /** Titles from the list of attachments printed under the text. */
  attachments: string[];
  aliases: string[];
  units: number;
  targets: number;
}

/** The facts `plans` shows for one document. */
export function summarizePlan(doc: PlanDocument): PlanSummary {
  const { meta } = doc;
  return {
    id: doc.id,
    file: doc.file,
    format: doc.format ?? "txt",
    shortName: meta.shortName,
    title: meta.title,
    noticeTitle: meta.noticeTitle,
    issuers: meta.issuers,
    docNumber: meta.docNumber,
    date: meta.date,
    dateText: meta.dateText,
    recipients: meta.recipients,
    attachments: meta.attachments ?? [],
    aliases: meta.aliases,
    units: doc.units.length,
    targets: extractTargets(doc).length,
  };
}

/** `policybot plans [--json]`: the loaded plans with their titles, issuers, 文号, dates and counts. */
export const plansCommand: Command = {
  name: "plans",
  usage: "policybot plans [--json]",
  summary: "list the loaded plans: short name, title, source format, issuers, 文号, date, unit and target counts",
  async run(argv, ctx) {
    const { values } = parseCommandArgs("plans", argv, { json: { type: "boolean" } }, ctx.m);
    const { docs } = loadPlansReported(ctx);
    const plans = docs.map(summarizePlan);
    if (values.json) {
      println(ctx.stdout, JSON.stringify(plans, null, 2));
      return docs.length ? 0 : 1;
    }
    for (const p of plans) {
      println(ctx.stdout, `# ${p.id} · ${p.shortName}`);
      println(ctx.stdout, `  标题：${p.title}`);
      println(ctx.stdout, `  格式：${p.format}（${p.file}）`);
      if (p.noticeTitle) println(ctx.stdout, `  印发通知：${p.noticeTitle}`);
      const issued = [p.issuers.join("、"), p.docNumber, p.dateText && p.date ? `${p.dateText}（${p.date}）` : p.dateText].filter(Boolean);
      if (issued.length) println(ctx.stdout, `  印发：${issued.join("  ")}`);
      if (p.attachments.length) println(ctx.stdout, `  附件：${p.attachments.join("；")}`);
      println(ctx.stdout, `  单元：${p.units}  目标：${p.targets}`);
    }
    if (plans.length) println(ctx.stdout, `共${plans.length}份方案。`);
    return docs.length ? 0 : 1;
  },
};
