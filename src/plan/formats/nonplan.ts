import { basename, extname } from "node:path";

/**
 * Names of files that sit beside plans but are not plans: README.md, SOURCES.md, LICENSE, notes,
 * lists of links (also README.zh.md, notes-2026.txt).
 */
const NON_PLAN_NAME_RE = /^(readme|sources|licen[cs]e|copying|changelog|changes|notes?|todo|contributing|authors|links|说明|读我|来源|出处|备注|笔记|链接)([._\s-].*)?$/i;
const CJK_RE = /[\u3400-\u9fff\uf900-\ufaff]/g;
const URL_RE = /(https?:\/\/|www\.)\S+/gi;
const HAS_URL_RE = /(https?:\/\/|www\.)\S+/i;
/** A title ends by naming its kind of document, maybe followed by a period in brackets: …实施方案（2027—2029年）. */
const TITLE_END_RE = /(方案|规划|意见|通知|计划|办法|纲要|要点|决定|条例|细则|规定|措施|指引|清单)\s*([(（][^()（）]{0,20}[)）])?$/;

/** Why a file in the seeds folder is not a plan, judged from its name; undefined when it may be one. */
export function nonPlanByName(file: string): string | undefined {
  const name = basename(file, extname(file));
  return NON_PLAN_NAME_RE.test(name) || NON_PLAN_NAME_RE.test(basename(file)) ? "文件名表明这是说明或附属文件，不是方案（a README, sources, licence or notes file）" : undefined;
}

/**
 * Why a text is not a plan, judged from its content; undefined when it may be one. A plan is
 * Chinese prose: a text with almost no Chinese, mostly Latin letters, or mostly links is not.
 */
export function nonPlanByContent(text: string): string | undefined {
  const withoutUrls = text.replace(URL_RE, " ");
  const cjk = withoutUrls.match(CJK_RE)?.length ?? 0;
  const latin = withoutUrls.match(/[A-Za-z]/g)?.length ?? 0;
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "");
  const links = lines.filter((l) => HAS_URL_RE.test(l)).length;
  if (lines.length > 0 && links / lines.length >= 0.5) return "主要是网址链接，不是方案（mostly a list of links）";
  if (latin > cjk) return "主要是英文等拉丁字母内容，不是方案（mostly Latin text）";
  if (cjk < 20) return "几乎没有中文内容，不是方案（almost no Chinese text）";
  return undefined;
}

/** Whether one of the opening lines is a document title: short, no sentence punctuation, ending in 方案, 规划, 通知… */
export function hasPlanTitle(text: string): boolean {
  const head = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== "").slice(0, 8);
  return head.some((l) => l.length <= 60 && !/[。，,；;！？!?]/.test(l) && TITLE_END_RE.test(l));
}
