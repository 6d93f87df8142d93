import type { Unit } from "../plan/types.js";
import { splitSentences } from "../retrieve/text.js";

/** The citation tag after a quoted sentence: 〔第5项〕. */
export const tag = (u: Unit) => `〔${u.label}〕`;

/** A unit's label with its heading, unless the label already says it (一、总体要求). */
export const named = (u: Unit) => (u.label.endsWith(u.heading) ? u.label : `${u.label}“${u.heading}”`);
/** The same in English: 二、 (Reform goals), or the label alone for a unit without a title (第二条). */
export const namedEn = (u: Unit) => (u.heading && !u.label.endsWith(u.heading) ? `${u.label} (${u.heading})` : u.label);

const NUMBERING_RE = /^\s*(【[^】]{2,16}】|\d{1,2}(?:\s?[.．]\s?\d{1,2})+[.．]?(?=\s|[\u3400-\u9fff])|\d{1,3}\s*[.．、]|[（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、|第[一二三四五六七八九十百零〇\d]+[章节]|专栏\s*\S{1,3}|附件\s*\S{0,2})\s*/;
/** The name in brackets a measure's first sentence opens with (1.【降低融资成本】对小微企业… → 降低融资成本), if it says more. */
export function bracketName(heading: string): string | undefined {
  return /^【([^【】]{2,20})】./.exec(heading)?.[1];
}
/** The printed marker a sentence of a rule starts with: 第十二条, （三）, （1）, ①, a. */
const RULE_MARKER_RE = /^\s*(第[一二三四五六七八九十百零〇\d]+条|[（(][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}\s*[)）]|[\u2460-\u2487]|[a-zA-Z]\s*[.、)）])[\s\u3000]*/;

/** A unit's text without the marker its heading line is printed with (3.2.1, 1., （三）, or a decimal outline's bare 3). */
export function withoutMarker(unit: Unit): string {
  const decimal = /^(\d{1,2}(?:\.\d{1,2})*)(?:\s|$)/.exec(unit.label)?.[1];
  if (decimal) {
    const printed = decimal.split(".").join("\\s?[.．]\\s?");
    return unit.text.replace(new RegExp(`^\\s*${printed}[.．]?\\s*`), "");
  }
  return unit.text.replace(/^\s*(\d{1,3}\s*[.．、]|[（(][一二三四五六七八九十]+[)）])\s*/, "");
}

/** Units whose every sentence is a rule, the first included: articles, their 项 and deeper items, table rows. */
function isRule(unit: Unit): boolean {
  return unit.kind === "article" || unit.kind === "item" || unit.kind === "row" || (unit.kind === "section" && /(^|\/)article:/.test(unit.parents.at(-1) ?? ""));
}

/**
 * The sentences of a unit that say something: its numbered heading sentence (一、…, （十二）….,
 * a task's first sentence) and a preamble's title line are left out. In an article, an item or a
 * table row every sentence counts, the first without its marker (第十二条　…).
 */
export function bodySentences(unit: Unit): string[] {
  const all = splitSentences(unit.text).map((s) => s.text);
  if (isRule(unit)) {
    // An item printed as a short title then its text ((1)智慧农业。建设…): the title is not a measure.
    const first = all[0]?.replace(RULE_MARKER_RE, "");
    if (unit.kind === "item" && all.length > 1 && first && first.replace(/[。.]$/, "").length <= 12) return all.slice(1);
    return first ? [first, ...all.slice(1)] : all.slice(1);
  }
  // The first sentence of a task or inline section is its heading; the first line of a preamble is the title.
  // …unless it is all the task says (3. 每50平方米至少配置2具灭火器。): then that sentence is its measure.
  // The same for an entry of a list printed as one clause (（一）在室外空旷地点燃放，与建筑物…保持不少于10米的安全距离；).
  if ((unit.kind === "task" || unit.kind === "section") && all.length === 1 && unit.children.length === 0) return [all[0]!.replace(NUMBERING_RE, "")];
  // A line titled by a name in brackets (1.【降低融资成本】对小微企业新增贷款给予贴息…。): its first sentence, past the
  // name, is the measure.
  const lead = all[0]?.replace(NUMBERING_RE, "");
  if ((unit.kind === "task" || unit.kind === "section") && lead && /^【[^】]+】/.test(lead) && `【${unit.heading}】` !== lead.replace(/[。.]$/, "")) {
    return [lead.replace(NUMBERING_RE, ""), ...all.slice(1)];
  }
  if (unit.kind === "task" || unit.kind === "preamble" || (unit.kind === "section" && !unit.text.includes("\n"))) return all.slice(1);
  // A box or an annex opens with its marker and title (专栏1　重点工程 / 附件1, 分工表).
  if (unit.kind === "box" || unit.kind === "annex") return all.filter((s, i) => !(i <= 1 && (NUMBERING_RE.test(s) || s === unit.heading)));
  // A heading printed on its own line ("（十二）多措并举打造…。" then the body): not a measure.
  const first = all[0];
  if (first && NUMBERING_RE.test(first) && first.replace(NUMBERING_RE, "").replace(/[。.]$/, "").length <= unit.heading.length + 2) return all.slice(1);
  return all;
}
