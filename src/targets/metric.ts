/**
 * The phrase a figure measures when the plan's list wording (phrases.ts) has none: the shortest
 * noun phrase before it (顶岗实习时间一般为6个月 → 顶岗实习时间), or the noun it counts
 * (建立100个“双师型”教师培养培训基地 → “双师型”教师培养培训基地), or the action it times
 * (确保1年内完成合同用量 → 完成合同用量). Cut at clause ends, so it never takes in a neighbouring figure.
 */

/** Openers that are not part of what is measured: connectors, hedges, prepositions, dates. */
const LEAD_RE = /^(?:[（(][一二三四五六七八九十\d]+[)）]|\d+[.．、]|其中|同时|并且|并|且|力争|争取|确保|继续|基本|要|应|可|在|从|按照|按|将|对|把|由|向|自|于|通过|根据|到|至|(?:19|20)\d{2}年(?:底|末|初|起|前|以来)?|[，,、\s])+/;
/** Adverbs and hedges between a metric and its value (顶岗实习时间一般为6个月). */
const TRAIL_RE = /(?:原则上|一般|基本上|基本|大体|总体|均|都|也|要|应当|应|须|需|可|将|再|分别|力争|争取|确保|并|仍|在|按照|按)+$/;
/** Verbs after which the rest of a long phrase is what is measured (巩固落实好…拨款水平 → …拨款水平). */
const LAST_VERB_RE = /(?:落实好|巩固|推动|推进|实现|确保|保证|继续|选择|建立|形成|使|让)/g;
/** Where the noun a figure counts ends: the next verb or adverb. */
const NOUN_STOP_RE = /大力|积极|全面|开展|进行|实施|推广|推行|推动|参与|组成|负责|用于|共同|带动|提供|开始|纳入|并|等(?=[，。；、]|$)|，|。|；/;
const MAX = 24;

/** A metric without asides in brackets (（同时具备…的教师）) or adverbs before its value. */
export function tidyMetric(s: string): string {
  return s
    .replace(/[（(][^（()）]{6,}[)）]/g, "")
    .replace(/^(?:于|到|至|从|自)?(?:19|20)\d{2}年(?:底|末|初|起|前|以来)?[，,]?/, "")
    .replace(TRAIL_RE, "")
    .replace(/[、和及与，,]+$/g, "")
    .trim();
}

/** Trims openers, trailing adverbs and dangling connectors. */
export function stripLead(s: string): string {
  return s.trim().replace(LEAD_RE, "").replace(TRAIL_RE, "").replace(/^[、和及与的]+|[、和及与的，,]+$/g, "").trim();
}

/**
 * The shortest readable phrase before a figure.
 * @example phraseBefore("各地在继续巩固落实好高等职业教育生均财政拨款水平") // "高等职业教育生均财政拨款水平"
 */
export function phraseBefore(raw: string): string {
  let s = stripLead(tidyMetric(raw));
  if ([...s].length > 14) {
    const verbs = [...s.matchAll(LAST_VERB_RE)];
    for (let i = verbs.length - 1; i >= 0; i--) {
      const rest = stripLead(s.slice(verbs[i]!.index + verbs[i]![0].length));
      if ([...rest].length >= 4) {
        s = rest;
        break;
      }
    }
  }
  return clip(s);
}

/**
 * The noun a count counts (after its measure word), or with `action` the action a figure times.
 * @example nounAfter("具有辐射引领作用的高水平专业化产教融合实训基地") // "高水平专业化产教融合实训基地"
 */
export function nounAfter(tail: string, action = false): string {
  let s = tail.trim().replace(/^(?:左右|以上|以内|以下|之内)/, "");
  if (!action && /^[在从以为由对于用]/.test(s)) return "";
  const stop = NOUN_STOP_RE.exec(s.slice(1));
  if (stop) s = s.slice(0, stop.index + 1);
  if (!action) {
    const de = s.lastIndexOf("的");
    if (de >= 0 && [...s.slice(de + 1)].length >= 4) s = s.slice(de + 1);
  }
  return clip(s.replace(/^[的]+|[、和及与的]+$/g, ""), true);
}

/** At most MAX characters: the end of a phrase before a figure, the start of one after it. */
function clip(s: string, keepStart = false): string {
  const chars = [...s];
  if (chars.length <= MAX) return s;
  return (keepStart ? chars.slice(0, MAX) : chars.slice(chars.length - MAX)).join("");
}
