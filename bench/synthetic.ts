import { toChineseNumeral } from "../src/plan/numerals.js";
import { mulberry32 } from "../src/quiz/generate.js";

export { mulberry32 };
import type { PlanDocument } from "../src/plan/types.js";

const PLACES = ["杭州", "宁波", "温州", "嘉兴", "湖州", "绍兴", "金华", "衢州", "舟山", "台州", "丽水", "义乌", "余姚", "瑞安", "诸暨"];

/**
 * Plan-shaped documents made from the seed's own sentences: a title and opening, parts, sections
 * and numbered tasks, with the sentences reshuffled and the figures changed, written as plain text
 * that goes through the real parser.
 */
export function syntheticPlans(seed: PlanDocument, count: number, tasksPerDoc = 10): Array<{ name: string; text: string }> {
  const rand = mulberry32(7);
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
  const sentences = seed.units
    .filter((u) => u.kind === "task" || (u.kind === "section" && u.text.length > 60))
    .flatMap((u) => u.text.split(/(?<=。)/).slice(1))
    .filter((s) => s.length > 8);
  const headings = seed.units.filter((u) => u.kind === "task").map((u) => u.heading);
  const sectionHeadings = seed.units.filter((u) => u.kind === "section").map((u) => u.heading);
  const docs: Array<{ name: string; text: string }> = [];
  for (let d = 0; d < count; d++) {
    const place = pick(PLACES);
    const lines = [`${place}市2026年城乡融合发展工作方案（${d + 1}）`, "", `为推进${place}城乡融合发展，制定本方案。`, "", "一、总体要求", "", `到2026年底，${pick(sentences)}`, "", "二、重点任务", ""];
    let task = 0;
    for (let s = 1; task < tasksPerDoc; s++) {
      lines.push(`（${toChineseNumeral(s)}）${pick(sectionHeadings)}`, "");
      for (let k = 0; k < 3 && task < tasksPerDoc; k++) {
        task++;
        const body = Array.from({ length: 3 + Math.floor(rand() * 3) }, () => pick(sentences))
          .join("")
          .replace(/\d+(\.\d+)?/g, (n) => String(Math.max(1, Math.round(Number(n) * (0.5 + rand()) * 10) / 10)));
        lines.push(`${task}.${pick(headings)}。${body}`, "");
      }
    }
    docs.push({ name: `synthetic-${String(d + 1).padStart(4, "0")}.txt`, text: lines.join("\n") });
  }
  return docs;
}
