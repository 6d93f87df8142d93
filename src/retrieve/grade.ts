import type { Unit } from "../plan/types.js";
import { isTimeOfDay } from "../targets/quantities.js";
import { abbreviates, FIGURE_STRONG_SHARE, figureMinScore, matchFigures, nearFigures, statedFigures, tellingWords } from "./figures.js";
import { askingClause, storyClauses, isListedCity, isProvince, namesPlace, type AnalyzedQuery } from "./query.js";
import { enumeratedOfKind, enumerations } from "./enumeration.js";
import { asksAddress, asksAdvice, asksMarketPrice, asksPerson, CONTACT_NUMBER_RE, printsContact, asksContact, asksDay, asksForecast, asksOutcome, asksPrice, legalRemedy, namesFigureInEnglish, ordinalsOf, ownsPlace, placeInScope, relativeYearOf, type PlanScope } from "./scope.js";
import { bareHeading, headingCoverage, normalizeText, splitSentences } from "./text.js";
import type { Figure, Grade, GradeReason, Ranking, Retrieval, RetrievedUnit } from "./types.js";

/** What grading reads about the corpus, beside the ranking itself. */
export interface GradeDeps {
  /** Confidence below this declines (half of it always; below it when little informative text matched). */
  threshold: number;
  /** Largest idf of the corpus: the weight of a word the plans never use. */
  maxIdf: number;
  /** Every figure stated in a unit (not only the targets). */
  figuresOf(unit: Unit): Figure[];
  /** A unit's direct children (a table box's rows). */
  childrenOf(unit: Unit): Unit[];
  /** The dates a unit states (2019年6月底前, 年底), as figures. */
  datesOf(unit: Unit): Figure[];
  /** Whether the unit's own heading names the question's topic. */
  titleNamesTopic(q: AnalyzedQuery, unit: Unit): boolean;
  /** Weight of the informative question tokens the unit contains. */
  matchedMass(unit: Unit, weights: Map<string, number>): number;
  /** A unit's normalised searchable text (its own text, context and children's headings). */
  unitText(unit: Unit): string;
  /** The title a numbered entry stands under (（一）发放就业安家补贴 for its 2.硕士研究生每人3万元), normalised; "" for other units. */
  leadOf(unit: Unit): string;
  /** Whether normalised text occurs anywhere in the plans. */
  corpusHas(text: string): boolean;
  /** What the unit's plan covers (its years, region and text). */
  scopeOf(unit: Unit): PlanScope | undefined;
  /** Today, for relative years (明年). */
  now(): Date;
}

/** Below the confidence threshold, a unit must still match this much informative text. */
const MIN_MATCHED_MASS = 3;
/** A figure or date question with no figure is `closest` only when the unit covers this share of the question. */
const CLOSEST_MIN_COVERAGE = 0.25;
/** A unit scoring this many times the next one is about the question when it covers this share of it. */
const DOMINANT_MARGIN = 1.6;
const DOMINANT_MIN_COVERAGE = 0.15;
/** Share of a question a unit printing a time of day must cover to answer a 几点 question. */
const CLOCK_MIN_COVERAGE = 0.1;

/**
 * The one grading step: from a ranking and the units' figures, decides whether the plans answer
 * the question (`answered`), only come close (`closest`: related content, no figure or date of
 * the kind asked), or do not speak of it (`declined`).
 * @example gradeRanking(ranking, deps).grade // "answered"
 */
export function gradeRanking(ranking: Ranking, deps: GradeDeps): Retrieval {
  const { query: q, units: top, weights } = ranking;
  const topicWeights = new Map([...weights].filter(([t]) => t.length >= 2));
  const best = top[0];
  const topicInTitle = best !== undefined && deps.titleNamesTopic(q, best.unit);
  // "什么时候建立" asks for a date: the dates of the units answer it, whatever figures the question also names (指标体系).
  const asksDate = q.intent.temporal && !q.intent.meta && !isDuration(q);
  // 几毛钱一个, what is the minimum wage: a figure is asked without 多少.
  const quantity = q.intent.quantity || asksPrice(q.raw) || (q.language === "en" && namesFigureInEnglish(q.raw));
  // "几点开门": a time of day answers, not the date a unit states.
  const datesOf = q.intent.clock ? (u: Unit) => deps.datesOf(u).filter((f) => isTimeOfDay(f.figure)) : deps.datesOf;
  const figures = asksDate
    ? matchFigures(q, top, { weights, figuresOf: datesOf, maxIdf: deps.maxIdf, anyMeasure: true })
    : quantity ? matchFigures(q, top, { weights, figuresOf: deps.figuresOf, maxIdf: deps.maxIdf, corpusHas: deps.corpusHas, ownPlace: (u, p) => ownsPlace(deps.scopeOf(u), p), leadOf: deps.leadOf }) : [];
  // "热线号码是多少": a number to call or write to, printed as such, not an amount.
  // (Of the units that print a number, or whose rows do (a table of contacts): the best three of them.)
  const callable = (r: RetrievedUnit): RetrievedUnit[] => [r, ...deps.childrenOf(r.unit).map((c) => ({ ...r, unit: c }))].filter((x) => printsContact(x.unit.text));
  const contact = asksContact(q.raw) ? contactNumbers(q, [...new Map(top.flatMap(callable).map((r) => [r.unit.ref + r.unit.doc, r] as const)).values()].slice(0, CONTACT_UNITS)) : undefined;
  const base = { ...ranking, figures: contact ?? figures, nearFigures: [] as Retrieval["figures"], topicInTitle };
  const make = (grade: Grade, confidence: number, reasonCode?: GradeReason, reason?: string): Retrieval => ({
    ...base,
    grade,
    confidence,
    lowConfidence: grade === "declined",
    ...(reasonCode ? { reasonCode, reason: reason ?? REASONS[reasonCode] } : {}),
  });

  if (!best) return make("declined", 0, "no-match");
  const byNumber = best.structural && q.structural.length > 0;
  if (byNumber && !(q.intent.quantity && deps.figuresOf(best.unit).length > 0)) return make("answered", 0.99);
  const outside = byNumber ? undefined : outOfScope(q, deps, deps.scopeOf(best.unit));
  if (outside) return make("declined", 0.05, outside.code, outside.reason);
  // "我该不该辞职回老家开农家乐": a plan states policy, it does not make one person's choice.
  // The nearest unit is still worth pointing to (第23项 speaks of 农家乐), hence a confidence that shows it.
  if (!byNumber && asksAdvice(q.raw)) return make("declined", Math.min(scoreConfidence(q, best), 0.1), "advice");
  // "能去申请行政复议吗": only a plan that provides the remedy speaks of it.
  const remedy = byNumber ? undefined : legalRemedy(q.raw);
  if (remedy && !(deps.scopeOf(best.unit)?.text.includes(remedy) ?? false)) return make("declined", Math.min(scoreConfidence(q, best), 0.1), "advice");
  // "实际建成了多少", "目标完成了吗": the plan sets the target (pointed to), it does not report the result.
  if (!byNumber && asksOutcome(q.raw)) return make("declined", Math.min(scoreConfidence(q, best), 0.1), "outcome");
  if (!byNumber && asksForecast(q.raw)) return make("declined", Math.min(scoreConfidence(q, best), 0.1), "forecast");
  // "省立中山图书馆的地址在哪里": the plan names the library, not where it stands.
  if (!byNumber && asksAddress(q.raw, best.unit.text)) return make("declined", Math.min(scoreConfidence(q, best), 0.1), "no-match", "the plans give no addresses");
  // "58个重点县具体是哪些县": the plan counts them (58个) or leaves the list to be published; it names none of them.
  const members = byNumber ? undefined : namedMembersAsked(q.raw);
  if (members && !top.some((r) => r.unit.doc === best.unit.doc && enumeratedOfKind(r.unit.text, members, placeName) >= MIN_MEMBERS)) {
    return make("declined", Math.min(scoreConfidence(q, best), 0.1), "no-match", `the plans do not list the ${members} by name`);
  }
  // "雁塔区具体要新建哪几所学校", "有哪几条地铁新线开通": a plan that counts them (新建中小学45所) names none of them.
  const institutions = byNumber ? undefined : namedInstitutionsAsked(q.raw);
  if (institutions && !top.some((r) => r.unit.doc === best.unit.doc && namedOfKind(r.unit.text, institutions.names) >= MIN_MEMBERS)) {
    return make("declined", Math.min(scoreConfidence(q, best), 0.1), "no-match", `the plans do not list the ${institutions.kind} by name`);
  }
  // "农业农村局的局长是谁": the plan names the bureau, not who heads it.
  if (!byNumber && asksPerson(q.raw, best.unit.text)) return make("declined", Math.min(scoreConfidence(q, best), 0.1), "no-match", "the plans name offices, not the people in them");
  // "民办托育机构全日托的市场价一般多少": a plan may cap a fee; it does not state what the market charges.
  if (!byNumber && asksMarketPrice(q.raw, best.unit.text)) return make("declined", Math.min(scoreConfidence(q, best), 0.1), "no-match", "the plans state no market prices");
  if (best.structural && (q.intent.meta || q.intent.purpose)) return make("answered", 0.95);

  const confidence = byNumber ? 0.99 : scoreConfidence(q, best);
  if (contact) {
    if (contact.length > 0 && (confidence >= deps.threshold / 2 || topicInTitle)) return make("answered", Math.max(confidence, deps.threshold));
    return make("declined", Math.min(confidence, 0.1), "no-figure", "the plans print no number to call for this");
  }
  // Low coverage alone is common for chatty questions; decline when nothing informative matched either.
  // A unit whose own title names the question's topic (就业 → 促进高质量充分就业) is a match however short the question.
  // "养老院突然说下个月涨价…规定要提前多少天告诉我们": a chatty question covers little of any unit, but a figure of the best unit
  // that answers its asking clause is a match.
  const figureFits = figures[0] !== undefined && figures[0].unit === best.unit && figures[0].score >= figureMinScore(deps.maxIdf);
  // "几点开门": a time of day is printed in few places; the best unit printing one, about the question at all, answers it.
  const clockFits = q.intent.clock === true && best.coverage >= CLOCK_MIN_COVERAGE && datesOf(best.unit).length > 0;
  const declined = !byNumber && !topicInTitle && !clockFits && (confidence < deps.threshold / 2 || (confidence < deps.threshold && deps.matchedMass(best.unit, topicWeights) < MIN_MATCHED_MASS));
  if (declined) return make("declined", confidence, "no-match");
  // "杭州地铁票价多少钱", "生二胎补贴多少钱": the question's most telling word is nowhere in the unit found.
  // Every unit of a plan is about what its title names (居住证 in 居住证办理服务指南 › 【办理时限】).
  const missing = byNumber || best.structural ? undefined : missingTopic(q, `${deps.unitText(best.unit)}\n${deps.scopeOf(best.unit)?.home ?? ""}`, weights);

  // "第四部分有几块内容" counts children: a reference, not a figure.
  const asksFigure = quantity && !asksDate && !q.intent.meta && !(byNumber && best.unit.children.length > 0);
  // Closest needs a unit that is about the question: without a figure, a thin match is no answer at all.
  // …or a unit far ahead of every other, which covers less of a chatty question (菜市场要改造关门，要关多长时间啊？这段时间去哪买菜？).
  const dominant = best.coverage >= DOMINANT_MIN_COVERAGE && best.score >= DOMINANT_MARGIN * (top[1]?.score ?? 0);
  const about = byNumber || ((best.coverage >= CLOSEST_MIN_COVERAGE || dominant) && !missing);
  // "养老方面的目标数字有哪些": a list of the unit's figures answers, whichever one matches best.
  // …or of its rows: "主要指标有哪些" of a box that is a table of indicators.
  const listsFigures = q.intent.list && (deps.figuresOf(best.unit).length > 0 || deps.childrenOf(best.unit).some((c) => deps.figuresOf(c).length > 0)) && !missing;
  // "“无废城市”建设试点要选多少个城市", asked of that plan: its title's words weigh little inside it, so a figure that covers
  // most of the question answers even below the usual score.
  const strongFigure = figures[0] !== undefined && figures[0].unit === best.unit && (figures[0].share ?? 0) >= FIGURE_STRONG_SHARE;
  if (asksFigure && !listsFigures && (figures[0]?.score ?? 0) < figureMinScore(deps.maxIdf) && !strongFigure) {
    if (!about) return make("declined", Math.min(confidence, 0.1), "no-match", missing ? `the plans do not speak of ${missing}` : undefined);
    // "最多能取多少": a bound the plan states in words (提取总额不超过个人实际出资额) answers a question that asks the bound.
    if (boundInWords(q, best.unit.text, weights)) return make("answered", Math.max(confidence, deps.threshold));
    // Where the plans speak of the topic they state no figure of the kind asked: that figure is not in the plans.
    // …but a clause test misses figures (两次, a figure two clauses from its topic): when the best unit
    // itself states figures of the kind asked, they are shown as the closest, never refused.
    const stated = statedFigures(q, top, { weights, figuresOf: deps.figuresOf });
    if (stated.length === 0) {
      const own = nearFigures(q, top, { weights, figuresOf: deps.figuresOf });
      if (own.length === 0) return make("declined", Math.min(confidence, 0.1), "no-figure");
      return { ...make("closest", Math.min(confidence, 0.3), "no-figure"), nearFigures: own };
    }
    return { ...make("closest", Math.min(confidence, 0.3), "no-figure"), nearFigures: stated };
  }
  if (asksDate && (figures[0]?.score ?? 0) < figureMinScore(deps.maxIdf)) {
    // A date where the plans speak of the topic, not clearly its own: the sentences answer; none there: the plans do not say when.
    const dated = statedFigures(q, top.filter((r) => r.unit.kind !== "notice"), { weights, figuresOf: datesOf, anyMeasure: true }).length > 0;
    // "加快大功率充电技术推广应用什么时候完成": asked of a unit by its heading, the dates that unit states (到2028年底…)
    // are the closest answer, shown as such, when they are few.
    const heading = bareHeading(best.unit.heading);
    const namesUnit = heading.length >= 4 && q.normalized.replace(/[\s\p{P}\p{S}]/gu, "").includes(heading);
    const unitDates = !dated && about && namesUnit ? datesOf(best.unit).filter((f) => f.index !== undefined) : [];
    // "智慧监管平台这项任务什么时候完成": a task table's row states its deadline in a column of its own (完成时限：2027年12月底前),
    // which is that row's date whatever else its sentences date.
    // …where the question names that row's task (智慧监管平台 of 建设智慧监管平台), not only words of its cells.
    const namesRow = heading.length >= 3 && headingCoverage(q.raw, heading) >= ROW_NAMED_SHARE;
    const deadline = !dated && about && namesRow && best.unit.kind === "row" ? datesOf(best.unit).filter((f) => DEADLINE_CELL_RE.test(f.metric)) : [];
    // "几点开门": the times of day the best unit prints are its answer, each with its sentence.
    if (clockFits && !dated) return { ...make("answered", Math.max(confidence, deps.threshold)), figures: datesOf(best.unit).slice(0, MAX_CLOCK_TIMES).map((figure) => ({ figure, unit: best.unit, score: 1 })) };
    if (deadline.length === 1) return { ...make("answered", Math.max(confidence, deps.threshold)), figures: [{ figure: { ...deadline[0]!, quote: deadline[0]!.quote.replace(/^[，,\s]+/, "") }, unit: best.unit, score: 1 }] };
    if (unitDates.length > 0 && unitDates.length <= MAX_UNIT_DATES) return { ...make("closest", Math.min(confidence, 0.3), "unit-dates"), nearFigures: unitDates.map((figure) => ({ figure, unit: best.unit, score: 1 })) };
    // "学籍注册有什么时间要求": a time limit the unit sets (1个月内完成, 提前3个工作日报告) answers when, as a date would.
    const limited = about && !q.intent.clock && deps.figuresOf(best.unit).some(setsTimeLimit);
    if (!dated && !limited) return make("declined", Math.min(confidence, 0.1), about ? "no-date" : "no-match");
  }
  return make("answered", confidence);
}

/** The numbers to call that the top units print, each quoted with its sentence (verbatim). */
function contactNumbers(q: AnalyzedQuery, top: RetrievedUnit[]): Retrieval["figures"] {
  const out: Retrieval["figures"] = [];
  // "我在洲口镇…镇里找谁？电话多少": of a table of contacts, the line that names what the asker names comes first.
  // A place the asker names (西城区, 洲口镇) tells the line more surely than a topic word (补贴).
  const places = [...q.localPlaces, ...q.places, ...q.words.filter((w) => /^[\u4e00-\u9fff]{1,5}(?:区|镇|乡|街道|县|村|社区)$/.test(w))];
  const named = q.words.filter((w) => w.length >= 2 && !CONTACT_WORD_RE.test(w) && !places.some((p) => p.includes(w) || w.includes(p)));
  top.forEach((ru, rank) => {
    for (const { text, start } of splitSentences(ru.unit.text)) {
      // The sentence without its closing mark: the answer adds its own after the citation.
      const sentence = text.replace(/[。；;！？!?]+$/, "");
      const line = normalizeText(sentence);
      const bonus = (places.some((p) => line.includes(p)) ? NAMED_LINE_BONUS : 0) + (named.some((w) => line.includes(w)) ? NAMED_LINE_BONUS / 2 : 0);
      for (const m of sentence.matchAll(CONTACT_NUMBER_RE)) out.push({ figure: { metric: "", unit: "", quote: sentence, index: start, figure: m[0] }, unit: ru.unit, score: 1 - rank * 0.15 + bonus });
    }
  });
  return out.sort((a, b) => b.score - a.score);
}

/** How many units (or rows) printing numbers a contact answer chooses from. */
const CONTACT_UNITS = 5;
/** Words of a contact question that ask for the contact itself, not whose. */
const CONTACT_WORD_RE = /^(电话|号码|热线|联系|联系方式|联系电话|咨询|找谁|多少|哪个|什么|邮箱|传真|打|问问|想问|申报|项目|事)$/;
/** How far a line naming what the question names moves up among contact lines. */
const NAMED_LINE_BONUS = 1;

/** How many of a unit's times of day answer a 几点 question (开放时间 8:30—12:00, 13:30—17:00 …). */
const MAX_CLOCK_TIMES = 4;
/** A unit named by its heading shows its own dates as the closest answer to "when", when it states at most this many. */
const MAX_UNIT_DATES = 3;
/** Share of a row's title's character pairs a question must hold to name that row. */
const ROW_NAMED_SHARE = 0.6;
/** A table row's deadline column, as the row's text names its cells (…，完成时限：2027年12月底前). */
const DEADLINE_CELL_RE = /[，,]\s*(?:完成|办结|截止|实施)?(?:时限|时间|期限|时间节点)[：:][^，,；;。]*$/;

const REASONS: Record<GradeReason, string> = {
  "no-match": "the plans do not clearly cover this question",
  "other-year": "the plans do not cover that year",
  "other-day": "the plans cover their own year, not a particular day",
  "other-place": "the plans do not cover that place",
  "no-figure": "the plan gives no figure for this",
  "no-date": "the plan gives no date for this",
  "unit-dates": "the plan gives no date for this as such; the part it is in states these",
  advice: "the plans state policy; they do not weigh a personal choice",
  "other-batch": "the plan does not mention that batch or round",
  outcome: "the plans set targets, not what was achieved",
  forecast: "the plans do not forecast markets or prices",
};

/** The last word of the question before its bound word, in the asking clause (保育人员技能培训补贴最高多少钱 → 补贴). */
function boundHead(q: AnalyzedQuery, asking: string): string | undefined {
  const at = asking.search(ASKS_BOUND_RE);
  const before = at > 0 ? asking.slice(0, at) : "";
  const words = q.words.filter((w) => w.length >= 2 && before.includes(w) && !ASKS_BOUND_RE.test(w));
  return words.sort((a, b) => before.lastIndexOf(b) + b.length - (before.lastIndexOf(a) + a.length))[0];
}

/** A question that asks for a bound (最多, 上限, 至少…) rather than for an amount. */
const ASKS_BOUND_RE = /最多|最高|上限|封顶|顶格|至少|最少|最低|下限|不超过|不低于/;
/** A bound stated in words, not in figures, to the end of its clause: 不超过个人实际出资额, 不低于当地最低工资标准. */
const BOUND_IN_WORDS_RE = /(?:不得?超过|不高于|不得高于|不低于|不得低于|不少于)([^，,。；;！？!?\n]{2,})/g;
const NUMBER_RE = /[\d一二两三四五六七八九十百千万亿半]/;

/**
 * Whether a question asks a bound and the unit states one in words (the plan's answer has no number to show),
 * in a sentence about what the question asks (not a wage floor beside the 补贴 asked about).
 */
function boundInWords(q: AnalyzedQuery, text: string, weights: Map<string, number>): boolean {
  const asking = askingClause(q) ?? q.normalized;
  if (!ASKS_BOUND_RE.test(asking)) return false;
  // The thing whose bound is asked is in the sentence: the word just before the bound word (…培训补贴最高多少 → 补贴),
  // else a noun of the question when its asking clause names nothing (…能行吗？最多能取多少？).
  const head = boundHead(q, asking);
  const things = head !== undefined ? [head] : q.words.filter((t) => t.length >= 2 && q.nouns.includes(t) && (weights.get(t) ?? 0) > 0);
  return splitSentences(text).some(({ text: sentence }) => {
    if (![...sentence.matchAll(BOUND_IN_WORDS_RE)].some((m) => !NUMBER_RE.test(m[1]!))) return false;
    const norm = normalizeText(sentence);
    return things.some((t) => norm.includes(t));
  });
}

/** Measures of a span of time (1个月, 3个工作日, 24小时). */
const TIME_SPAN_UNIT_RE = /^(?:个?月|天|日|个?工作日|小时|分钟|年|周|个?星期)$/;

/** Whether a figure is a time limit: a span within which, or ahead of which, something is done (1个月内, 提前3个工作日). */
function setsTimeLimit(f: Figure): boolean {
  const printed = f.figure;
  if (!printed || !TIME_SPAN_UNIT_RE.test(f.unit)) return false;
  return /(?:内|以内|之内)$/.test(printed) || [`${printed}内`, `${printed}以内`, `提前${printed}`, `${printed}前`].some((s) => f.quote.includes(s));
}

/** "多长时间", "几年内": a how-long question asks for a duration (a figure), not a date. */
function isDuration(q: AnalyzedQuery): boolean {
  return (q.intent.quantity && q.intent.measure !== undefined && /[年月天日]/.test(q.intent.measure)) || q.intent.duration === true;
}

/** Calibrated confidence that the best unit answers: how much of the question it covers, and how close its vector is. */
function scoreConfidence(q: AnalyzedQuery, best: RetrievedUnit): number {
  const unknownPenalty = q.language === "en" ? Math.min(0.3, 0.06 * q.unknownEnglish.length) : 0;
  return Math.max(0, Math.min(1, 0.75 * best.coverage + 0.5 * best.vector - unknownPenalty));
}

/** "具体是哪些县", "名单有哪些城市": the members of a kind of place, by name. */
const MEMBERS_RE = /(?:具体|分别|名单|都)[^，,。？?]{0,6}(?:哪些|哪几个|哪几|哪)\s*(城市|县市区|区县|县区|县|市|区|省份|省|地区|乡镇|街道|村)/;
/** A plan names the members when it enumerates at least this many. */
const MIN_MEMBERS = 3;

/**
 * Institutions asked by name: 具体/分别/名单…哪些学校, or 哪几所学校, 哪几家医院, 哪几条线 (a count word asks for the ones
 * meant, not for kinds of them). Each kind with the endings of its members' names.
 */
const INSTITUTION_KINDS: Array<[RegExp, string[]]> = [
  [/^(?:学校|小学|中学|幼儿园|学院|高校)$/, ["学校", "小学", "中学", "幼儿园", "学院", "大学"]],
  [/^(?:医院|卫生院)$/, ["医院", "卫生院"]],
  [/^(?:线|线路|地铁线|新线|地铁线路)$/, ["线", "号线", "线路"]],
  [/^(?:企业|公司)$/, ["公司", "集团", "企业", "厂"]],
  [/^(?:景区|园区|公园)$/, ["景区", "园区", "公园"]],
  [/^(?:小区|社区)$/, ["小区", "社区", "花园", "苑"]],
];
const INSTITUTIONS_RE = /(?:(?:具体|分别|名单|名称)[^，,。？?]{0,8}哪(?:几|些)[所家条座个]?|哪几[所家条座])\s*(?:新建的?|新|地铁)?(学校|小学|中学|幼儿园|学院|高校|医院|卫生院|地铁线路|地铁线|线路|新线|线|企业|公司|景区|园区|公园|小区|社区)/;

/** The kind of institution a question asks for by name, with the endings of such names. */
function namedInstitutionsAsked(raw: string): { kind: string; names: string[] } | undefined {
  const m = INSTITUTIONS_RE.exec(normalizeText(raw).replace(/\s+/g, ""));
  const kind = m?.[1];
  const names = kind ? INSTITUTION_KINDS.find(([re]) => re.test(kind))?.[1] : undefined;
  return kind && names ? { kind, names } : undefined;
}

/** The most names (two characters at least, then one of the endings) one enumeration of the text holds (A、B和C). */
function namedOfKind(text: string, endings: string[]): number {
  let best = 0;
  for (const { pieces } of enumerations(text)) {
    const items = pieces.map((s) => s.trim().replace(/[（(][^）)]*[）)]$/, ""));
    // The last name runs on into what the sentence says of them all (…和竹韵文化公司扩大产能).
    const named = (item: string, i: number) => endings.some((e) => (item.endsWith(e) && item.length >= e.length + 2) || (i === items.length - 1 && item.indexOf(e) >= 2));
    best = Math.max(best, items.filter(named).length);
  }
  return best;
}

/** A place by name: one the place list knows, or any short name with a place's ending (东湖县, 桃源镇, 在西山村). */
const placeName = (word: string) => namesPlace(word) || /^(?:在|于|到)?[\u4e00-\u9fff]{1,6}(?:省|市|县|区|镇|乡|村|街道)$/.test(word);

/** The kind of place whose members a question asks for by name, if it does. */
function namedMembersAsked(raw: string): string | undefined {
  const m = MEMBERS_RE.exec(normalizeText(raw).replace(/\s+/g, ""));
  return m ? (m[1] === "县市区" || m[1] === "区县" || m[1] === "县区" ? "县" : m[1]) : undefined;
}

/** A year, then what follows it in a title or a question: 2027年度县域商业体系建设… → [2027, 县域商业体系建设…]. */
const YEAR_THEN_RE = /(?<!\d)((?:19|20)\d{2})\s*(?:年度|年)(?![\d底初末内前后])([\u3400-\u9fff]{4,})/g;

/**
 * The year of another edition the question asks of: a year outside the plan's own (those of its title), followed by
 * the words that follow the year in the plan's title (2026年度县域商业… of 2027年度县域商业体系建设专项资金项目的通知).
 */
function otherEdition(q: AnalyzedQuery, scope: PlanScope, asked: (text: string) => boolean): number | undefined {
  if (scope.ownYears.size === 0) return undefined;
  const own = [...scope.ownYears];
  const titled = [...scope.home.matchAll(YEAR_THEN_RE)].map((m) => m[2]!);
  if (titled.length === 0) return undefined;
  for (const m of normalizeText(q.raw).matchAll(YEAR_THEN_RE)) {
    const y = Number(m[1]);
    if (!asked(m[1]!) || (y >= Math.min(...own) && y <= Math.max(...own))) continue;
    if (titled.some((t) => t.includes(m[2]!.slice(0, EDITION_WORDS)))) return y;
  }
  return undefined;
}
/** How many characters after the year must be the title's to name the same programme. */
const EDITION_WORDS = 4;

/** A year or place the plans never mention makes the question one they cannot answer. */
function outOfScope(q: AnalyzedQuery, deps: GradeDeps, scope: PlanScope | undefined): { reason: string; code: GradeReason } | undefined {
  // "我2019年来杭州打工，我是安徽人…": in a resident's own story a year or a home province is background,
  // not what is asked; it only rules the question out when a figure or a date is asked for.
  // …but a day it asks about (我在青岛，明天会下雨吗) is the question's own.
  if (q.narrative && !q.intent.quantity && !q.intent.temporal) {
    const asked = q.askingText ?? normalizeText(q.raw).split(/[，,。；;]/).at(-1) ?? "";
    const day = q.relativeYears.find((r) => relativeYearOf(r, deps.now()) === undefined && asked.includes(r));
    return asksDay(asked) || day ? { reason: "the plans cover their own years, not a particular day", code: "other-day" } : undefined;
  }
  // A year the plan found never names is not its year (2020 is in another plan, not in this year's work plan).
  // In a question of several clauses, a year or a day in the asker's story (去年夏天自来水停了…, 今天被狗抓了…) is background:
  // only the asking clause's count.
  const asking = askingClause(q);
  const asked = (text: string) => asking === undefined || asking.includes(text);
  const missingYear = q.years.find((y) => asked(String(y)) && (!deps.corpusHas(String(y)) || (scope !== undefined && !scope.years.has(y))));
  if (missingYear) return { reason: `the plans do not cover ${missingYear}`, code: "other-year" };
  // "2026年度县域商业体系建设项目什么时候申报" of the 2027年度 notice: another year's edition of what the plan's title
  // runs for its own years, though the plan names 2026 elsewhere (2026年度财务报表).
  const edition = scope ? otherEdition(q, scope, asked) : undefined;
  if (edition) return { reason: `the plan is for ${[...scope!.ownYears].join("—")}, not ${edition}`, code: "other-year" };
  // 去年, 明年: another year than the plan's own, unless (counted from today) it is the year the plan is for.
  const relative = q.relativeYears.find((r) => { const y = relativeYearOf(r, deps.now()); return asked(r) && (y === undefined || !scope?.ownYears.has(y)); });
  if (relative) {
    const day = /天|日|周|day|tomorrow|yesterday/i.test(relative);
    return { reason: `the plans cover their own year, not ${relative}`, code: day ? "other-day" : "other-year" };
  }
  // "第九批集采", "第一批试点城市名单": a batch, round or session the plan never names is another one than it covers.
  const ordinal = scope ? ordinalsOf(q.normalized).find((o) => !scope.text.includes(o)) : undefined;
  if (ordinal) return { reason: `the plan does not mention ${ordinal}`, code: "other-batch" };
  if (asksDay(asking ?? q.raw)) return { reason: "the plans cover their own years, not a particular day", code: "other-day" };
  // "GDP增长目标", "ETC怎么办": a Latin abbreviation in a Chinese question that no plan prints names a topic none of them covers.
  const acronym = q.language === "zh" ? /(?<![A-Za-z])[A-Z]{2,6}(?![A-Za-z])/.exec(q.raw)?.[0] : undefined;
  if (acronym && !deps.corpusHas(acronym) && !deps.corpusHas(acronym.toLowerCase())) return { reason: `the plans do not speak of ${acronym}`, code: "no-match" };
  // A province or country the plan found neither names nor governs (上海 is in the drug plan, not in Zhejiang's);
  // a national plan governs 北京 too, but its national figures are not 北京's own.
  const figure = q.intent.quantity || q.intent.temporal;
  const place = q.places.find((p) => (scope ? !placeInScope(p, scope, figure) : !deps.corpusHas(normalizeText(p))));
  if (place) return { reason: `the plans do not cover ${place}`, code: "other-place" };
  // "长沙的二孩育儿补贴" asked of 株洲's plan: a city's plan sets no figure for another large city, whatever it says of it.
  // (A plan with no issuer printed is its title's city: 《株洲市…若干措施》政策解读.)
  const own = scope?.region ?? (scope ? CITY_TITLE_RE.exec(scope.home)?.[1] : undefined);
  const city = figure && scope && own && !isProvince(own) ? q.places.find((p) => isListedCity(p) && p !== own && !scope.home.includes(p)) : undefined;
  if (city) return { reason: `the plan is ${own}'s, not ${city}'s`, code: "other-place" };
  // "温州市防汛防台风应急预案中…" asked where 青溪's plan is loaded: a document named by a place the plan never names is
  // another document (a national plan's pilot city, 北京 in the drug plan, is named in it).
  const elsewhere = scope ? documentPlaces(q).find((p) => !scope.home.includes(p) && !scope.text.includes(p)) : undefined;
  if (elsewhere) return { reason: `the plans loaded are not ${elsewhere}'s`, code: "other-place" };
  // "北海区2027年小学报名是哪几天", asked of 东海区's plan: a local plan answers for its own city, district or county,
  // not for one the question opens with that the plan never names.
  // (A city's plan covers its districts and counties: only another city is another place's there.)
  const home = scope ? LOCAL_HOME_RE.exec(scope.home)?.[1] : undefined;
  const opening = scope && home ? openingPlace(q.normalized) : undefined;
  const coveredLevel = home?.endsWith("市") === true && opening !== undefined && !opening.endsWith("市");
  if (scope && opening && !coveredLevel && !scope.home.includes(opening) && !scope.text.includes(opening)) return { reason: `the plan is not ${opening}'s`, code: "other-place" };
  return undefined;
}

/** A plan whose issuer or title names a city, district or county of its own (东海区教育局, 南湖市人民政府). */
const LOCAL_HOME_RE = /([\u4e00-\u9fff]{2,3}?[市区县])(?:人民政府|政府|[\u4e00-\u9fff]{0,8}?(?:局|委员会|办公室|管理处)|\d{4}|关于)/;
/** A city, district or county that opens a question, before a year, 的 or a comma (北海区2027年…, 我住北湖市，…), not 限放区内. */
const OPENING_PLACE_RE = /^(?:我(?:们|家)?(?:住)?在?|在)?(?![我在住])([\u4e00-\u9fff]{2,3}?[市区县])(?=\d{4}|今年|明年|去年|[，,的])/;
/** Words before 市, 区 or 县 that make no place name (本市, 城区, 开发区, 自治区). */
const NOT_PLACE_RE = /^(?:本|全|各|该|城|市|郊|社|小|景|园|辖|山|老|新|矿|片|街|校|港|超|都|夜|股|楼|农|开发|高新|新城|老城|主城|中心城|市辖|自治|示范|试验|保护|功能|风景|经济|工业|产业|城市|县城|乡村|农村|我们|我家)$/;

/** The city, district or county a question opens with, as printed with its 市/区/县 (北海区). */
function openingPlace(normalized: string): string | undefined {
  const m = OPENING_PLACE_RE.exec(normalized.replace(/\s+/g, ""));
  if (!m) return undefined;
  const name = m[1]!;
  // 绵阳城市低保: 城市 is a word, not a 市 named 绵阳城.
  return NOT_PLACE_RE.test(name.slice(0, -1)) || name.endsWith("城市") ? undefined : name;
}

/** A document's name in a question: a place, its topic, then its kind (温州市防汛防台风应急预案, 长沙市育儿补贴实施办法). */
const DOC_NAME_RE = /([\u4e00-\u9fff“”]{4,30}?)(?:应急预案|预案|实施方案|工作方案|行动方案|方案|规划|纲要|实施办法|办法|细则|指南|实施意见|意见|条例|通告)/g;

/** The places that open the names of documents a question names (温州 in 温州市防汛防台风应急预案). */
function documentPlaces(q: AnalyzedQuery): string[] {
  const places = [...new Set([...q.places, ...q.localPlaces])];
  const out: string[] = [];
  for (const m of q.normalized.matchAll(DOC_NAME_RE)) {
    const name = m[1]!;
    for (const p of places) {
      const at = name.indexOf(p);
      // The place is in the name with a topic of its own after it (温州市 + 防汛防台风), not the whole name before its kind.
      if (at >= 0 && name.slice(at + p.length).replace(/^[省市县区]/, "").length >= 2) out.push(p);
    }
  }
  return out;
}

/** A title that opens with its city (株洲市…若干措施, 《绵阳市…》). */
const CITY_TITLE_RE = /^[《“"]?([\u4e00-\u9fff]{2,4}?)市(?!场|民|区)/;

/** Words for the people in a resident's family (孩子, 老婆, 奶奶): who is asking about, which a plan names in its own terms. */
const KIN_RE = /^(小孩|孩子|娃|娃娃|宝宝|儿子|女儿|闺女|老婆|老公|媳妇|丈夫|妻子|爱人|两口子|爸爸?|妈妈?|父亲|母亲|爹|娘|爷爷|奶奶|外公|外婆|姥姥|姥爷|老人|老人家|家人|家里人)$/;

/**
 * The question's most telling word when the unit lacks it (see {@link tellingWords}). Only the word
 * itself counts: an everyday phrase mapped to a plan term ("地铁" → 铁路) finds related units, but
 * a figure about the plan term is not a figure about the word.
 */
function missingTopic(q: AnalyzedQuery, unitText: string, weights: Map<string, number>): string | undefined {
  const found = tellingWords(q, weights);
  // In a question of several clauses, the clause that asks (…政府给补多少钱) holds its topic; the others tell
  // the asker's situation (家里老人腿脚不好), which no plan needs to word as they do.
  const asking = askingClause(q);
  // …and where several clauses ask, the clauses in which the asker only tells their own situation still hold no topic.
  const story = asking === undefined ? storyClauses(q) : [];
  const asked = story.length > 0 ? story.reduce((t, c) => t.replace(c, " "), q.normalized) : undefined;
  const inAsk = (w: string) => (asking !== undefined ? asking.includes(w) : asked === undefined || asked.includes(w));
  const unseen = found.unseen.filter(inAsk);
  const rarest = found.rarest !== undefined && inAsk(found.rarest) ? found.rarest : undefined;
  const telling = unseen.length > 0 ? unseen : rarest ? [rarest] : [];
  // A compound the plans do not print as one word (总体目标) is present when its two halves are (总体…目标).
  // An abbreviation the plans spell out (保额 → 保险金额, 集采 → 集中采购) is present when its characters are, in order and close.
  // …or the plans' own spelling of it (液化气 → 液化石油气).
  const spelled = (w: string) => q.expansions.some((e) => e.spelled === true && e.phrase === w && e.terms.some((t) => unitText.includes(normalizeText(t))));
  // …or, for a word that says who (老婆, 孩子), a formal word for those people (夫妻, 婴幼儿): the plans name people otherwise.
  const named = (w: string) => KIN_RE.test(w) && q.expansions.some((e) => e.phrase === w && (e.cover ?? 0) >= 1 && e.terms.some((t) => unitText.includes(normalizeText(t))));
  const present = (w: string) => unitText.includes(w) || (w.length >= 4 && unitText.includes(w.slice(0, 2)) && unitText.includes(w.slice(-2))) || abbreviates(w, unitText) || spelled(w) || named(w) || paidAs(w, unitText);
  return telling.length > 0 && telling.every((w) => !present(w)) ? telling[0] : undefined;
}

/** Words for money paid out, which people use for one another (生活费 for 生活补助, 安家费 for 安家补贴). */
const PAYMENT = "费用|补贴|补助|津贴|奖励|奖金|资金|费|钱|款|金";
const PAYMENT_WORD_RE = new RegExp(`^([\\u4e00-\\u9fff]{2,4}?)(?:${PAYMENT})$`);

/** Whether a word for a payment (生活费) is in the text under another payment word after the same stem (生活补助). */
function paidAs(w: string, text: string): boolean {
  const stem = PAYMENT_WORD_RE.exec(w)?.[1];
  return stem !== undefined && new RegExp(`${stem}.{0,2}?(?:${PAYMENT})`).test(text);
}
