import type { AnalyzedQuery } from "./query.js";

/** A previous turn of the conversation. */
export interface Turn {
  q: string;
  a?: string;
}

/** How a question relates to the conversation before it. */
export interface FollowUp {
  /** The question leans on earlier turns (那…呢, 它, 这项, what about …). */
  elliptical: boolean;
  /** It points back at the unit discussed before (它, 这项, 里面, it), so that unit's number carries over. */
  pointsBack?: boolean;
  /** Earlier text whose topic carries over, when elliptical. */
  context?: string;
}

const LEAD_RE = /^(那么?|那个|还有|另外|再问|再说|再就是|以及|and\b|also\b|what about|how about|and what about|then\b)/i;
const TRAIL_RE = /呢[？?。!！\s]*$/;
const PRONOUN_RE = /它|它们|这项|该项|这一项|这条|该条|这个任务|这部分|这一部分|该部分|其中|里面|上面|刚才|前面说|上述|this (task|item|section|part|one)|\bit\b|\bits\b|\bthat\b|\bthem\b|\bthose\b/i;

/**
 * Decides whether a question is a follow-up, and which earlier text supplies its topic. Rule-based,
 * so that it works offline; with an LLM the condensing prompt does this job.
 * @example resolveFollowUp("那青年创业呢？", [{ q: "就业方面有什么安排" }]).context // "就业方面有什么安排"
 */
export function resolveFollowUp(question: string, history: Turn[] = []): FollowUp {
  const last = history.at(-1);
  if (!last) return { elliptical: false };
  const q = question.trim();
  const elliptical = LEAD_RE.test(q) || TRAIL_RE.test(q) || PRONOUN_RE.test(q) || [...q.replace(/[\s\p{P}]/gu, "")].length <= 4;
  if (!elliptical) return { elliptical: false };
  // The previous answer's citation labels (〔第5项〕) tell which unit "it" is.
  const labels = (last.a ?? "").match(/第\d{1,3}项|[（(][一二三四五六七八九十]{1,3}[)）]/g) ?? [];
  return { elliptical, pointsBack: PRONOUN_RE.test(q), context: [last.q, ...new Set(labels)].join(" ") };
}

/** How much an earlier turn's words count in a follow-up that has words of its own. */
export const CONTEXT_WEIGHT = 0.4;

/**
 * Whether a follow-up names a thing of its own ("那龙头企业呢"), not only another year or place of the
 * thing asked before ("那2029年呢", "杭州呢"), whose topic and measure then carry over whole.
 */
export function namesNewThing(query: AnalyzedQuery): boolean {
  return query.words.some((w) => w.length >= 2 && !/^\d+(?:\.\d+)?年?$/.test(w) && !ORDINAL_OR_WHEN_RE.test(w) && !query.places.includes(w) && !query.localPlaces.includes(w));
}

/** 第二笔, 第一批 (one of the things asked before, by its place) and 时候 (of 什么时候): no thing of their own. */
const ORDINAL_OR_WHEN_RE = /^(?:第[一二两三四五六七八九十\d]{1,3}[\u4e00-\u9fff]?|时候|时间|多久|哪天|哪年)$/;

/** A follow-up without its own reference or intent takes them from the turn it follows. */
export function inheritContext(query: AnalyzedQuery, context: AnalyzedQuery, pointsBack: boolean): void {
  if (query.structural.length === 0 && context.structural.length > 0 && (pointsBack || query.words.length === 0)) query.structural = context.structural;
  if (!query.intent.quantity && !query.intent.list && !query.intent.meta) {
    // "那龙头企业呢" after "全产业链要建几条": still a how-many question, but not counted in 条.
    // "那2029年呢", "杭州呢": another year or place of the same thing keeps its measure.
    const { measure, ...intent } = context.intent;
    query.intent = namesNewThing(query) ? { ...intent, temporal: intent.temporal } : { ...intent, ...(measure ? { measure } : {}) };
  }
  if (query.years.length === 0) query.years = context.years;
  if (query.places.length === 0) query.places = context.places;
}

/** The follow-up's words together with the earlier topic, for measuring coverage. */
export function mergeTopic(query: AnalyzedQuery, context: AnalyzedQuery): AnalyzedQuery {
  return { ...query, words: [...query.words, ...context.words], bigrams: [...query.bigrams, ...context.bigrams], expansions: [...query.expansions, ...context.expansions] };
}
