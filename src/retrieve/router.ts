/**
 * Keeps several plans apart. A question is answered from one plan: the one chosen (`--doc`, `/use`),
 * the one it names, the one the conversation is about, or else the one that answers it best. A
 * reference by number (第五部分, （十二）) that several plans have, with no plan named, is answered
 * for each of them.
 */
import type { PlanDocument } from "../plan/types.js";
import { matchesRef, refLayout, type NumberRef } from "../plan/lookup.js";
import { isAskingWord } from "./figures.js";
import { resolveFollowUp, type Turn } from "./followup.js";
import type { PlanCatalog } from "./plans.js";
import type { HybridRetriever, Retrieval } from "./retriever.js";
import { parseStructuralRefs } from "./structural.js";
import { headingTopic } from "./query.js";
import { bareHeading, normalizeText } from "./text.js";
import { GENRE_ALT } from "../plan/genres.js";

/** How the plan of an answer was chosen. */
export type RouteReason = "only" | "chosen" | "named" | "conversation" | "reference" | "best";

/** One plan's retrieval. */
export interface PlanRetrieval {
  doc: string;
  retrieval: Retrieval;
}

/** Where a question is answered from. */
export interface Routed {
  /** The retrieval the answer is built on: the chosen plan's, or the first of `each`. */
  retrieval: Retrieval;
  /** The plan it comes from (undefined when nothing was found). */
  doc?: string;
  by: RouteReason;
  /** Two or more plans when a reference by number, or a question about "the plan" itself, fits each of them; else empty. */
  each: PlanRetrieval[];
}

/** Options for {@link routeRetrieval}. */
export interface RouteOptions {
  k?: number;
  history?: Turn[];
  /** Only this plan (a user's explicit choice: --doc, doc=). */
  doc?: string;
  /** This plan unless the question names another (a chat's /use). */
  defaultDoc?: string;
}

/** What routing reads. */
export interface RouterDeps {
  retriever: HybridRetriever;
  catalog: PlanCatalog;
  docs: readonly PlanDocument[];
}

/** At most this many plans are compared for a topical question (those with units in the global top results). */
const MAX_CANDIDATES = 3;
/** Plan strengths closer than this share are a near tie, which the newer plan wins. */
const TIE = 0.1;
/** The words beside a reference pick one plan when its lexical score is this many times the next plan's. */
const CLEAR_WIN = 2;
/** A plan that answers beats the best-matching plan that does not when it matches at least this share as strongly. */
const ANSWERING_SHARE = 0.5;
/** How sharply a plan's share of the question's words (its affinity against the best plan's) scales its strength. */
const AFFINITY_POWER = 3;
/** A year or a place routes to the plans that name it only when their best unit covers this share of what the best unit overall covers. */
const NARROW_TOPIC_SHARE = 0.6;
const THIS_YEAR = /今年|本年度?|当年|this year/i;

/**
 * The years a plan is for: the first year or span of years in its title (四川省2027年…, issued in 2026;
 * 三年行动方案（2027—2029年） is for 2027 to 2029), else its date's year.
 */
function planYears(catalog: PlanCatalog, doc: string): { from: number; to: number } | undefined {
  const p = catalog.get(doc);
  const m = /((?:19|20)\d{2})(?:年?\s*[—–\-－~～至到]\s*((?:19|20)\d{2}))?年/.exec(p?.title ?? "");
  if (m) return { from: Number(m[1]), to: Number(m[2] ?? m[1]) };
  const y = p?.date?.slice(0, 4);
  return y ? { from: Number(y), to: Number(y) } : undefined;
}

/** The year a plan starts from (see {@link planYears}). */
function planYear(catalog: PlanCatalog, doc: string): number | undefined {
  return planYears(catalog, doc)?.from;
}

/** Of some plans, those for this calendar year, else those starting latest (none when no plan's year is known). */
function currentPlans(catalog: PlanCatalog, docs: string[], thisYear: number): string[] {
  const spans = docs.map((d) => planYears(catalog, d));
  const current = docs.filter((_, i) => spans[i] !== undefined && spans[i]!.from <= thisYear && thisYear <= spans[i]!.to);
  if (current.length > 0) return current;
  const max = Math.max(...spans.filter((y) => y !== undefined).map((y) => y!.from));
  return Number.isFinite(max) ? docs.filter((_, i) => spans[i]?.from === max) : [];
}

/**
 * Retrieves for a question over several plans without mixing them.
 * @example const routed = await routeRetrieval({ retriever, catalog, docs }, "职教方案第五部分讲什么"); routed.doc // "…zhijiao…"
 */
export async function routeRetrieval(deps: RouterDeps, question: string, opts: RouteOptions = {}): Promise<Routed> {
  const { retriever, catalog } = deps;
  const k = opts.k ?? 5;
  const history = opts.history;
  // Once a plan is chosen, its own title's words no longer point to one of its units.
  const scoped = async (doc: string, q = question, withinPlan = true) => retriever.retrieve(q, { k, history, docs: [doc], withinPlan });
  if (catalog.plans.length < 2) {
    const only = catalog.plans[0]?.id;
    const retrieval = await retriever.retrieve(question, { k, history, ...(only ? { docs: [only], withinPlan: true } : {}) });
    return { retrieval, doc: retrieval.units[0]?.unit.doc ?? catalog.plans[0]?.id, by: "only", each: [] };
  }
  const mentions = catalog.named(question);
  const namedDocs = [...new Set(mentions.map((m) => m.doc))];
  // The plan's name is not what a reference asks about: "职教方案第五部分讲什么" asks about 第五部分.
  const stripped = namedDocs.length > 0 ? topicOf(catalog.stripNames(question, mentions), question) : question;
  const refs = parseStructuralRefs(normalizeText(stripped));
  const searched = refs.length > 0 ? stripped : question;
  if (opts.doc) return { retrieval: await scoped(opts.doc, namedDocs.includes(opts.doc) ? searched : question), doc: opts.doc, by: "chosen", each: [] };
  // Inside the plan it names, a name that is not words of its title (a short name, 文号) is no topic: "集采试点几个城市"
  // asks 试点几个城市 of the 集采 plan. Words of the title stay: searched within the plan, they weigh little and are covered.
  if (namedDocs.length === 1) {
    const doc = namedDocs[0]!;
    const title = (catalog.get(doc)?.title ?? "").replace(/["'“”《》\s]/g, "");
    const foreign = mentions.filter((m) => !title.includes(m.span.replace(/["'“”《》\s]/g, "")));
    const within = refs.length > 0 ? searched : foreign.length > 0 ? topicOf(catalog.stripNames(question, foreign), question) : question;
    return { retrieval: await scoped(doc, within), doc, by: "named", each: [] };
  }
  if (namedDocs.length === 0 && opts.defaultDoc && catalog.get(opts.defaultDoc)) return { retrieval: await scoped(opts.defaultDoc), doc: opts.defaultDoc, by: "chosen", each: [] };

  let candidates = namedDocs.length > 1 ? namedDocs : catalog.plans.map((p) => p.id);
  const byIssuer = namedDocs.length === 0 ? catalog.byIssuer(question) : { plans: [] };
  if (byIssuer.plans.length > 1) candidates = byIssuer.plans;
  const earlier = conversationPlan(catalog, history, question);

  if (refs.length > 0) {
    let holders = referenceHolders(deps.docs, candidates, refs);
    // "这份通知的第五部分": the kind of document the question calls it picks among the plans that have the reference.
    const ofKind = holders.length > 1 ? plansOfGenre(catalog, holders, question) : undefined;
    if (ofKind) holders = ofKind;
    if (earlier && holders.includes(earlier)) return { retrieval: await scoped(earlier, searched), doc: earlier, by: "conversation", each: [] };
    if (holders.length === 1) return { retrieval: await scoped(holders[0]!, searched), doc: holders[0]!, by: "reference", each: [] };
    if (holders.length > 1) {
      // "药品采购方案里第三部分": the words beside the reference may pick the plan.
      const topic = refs.reduce((t, r) => t.replace(r.match, " "), normalizeText(searched)).replace(byIssuer.issuer ?? "\u0000", " ").replace(/方案|文件|计划/g, " ");
      const fit = await retriever.retrieve(topic, { k: 8, docs: holders });
      const byDoc = bestLexicalByDoc(fit);
      const [first, second] = [...byDoc].sort((a, b) => b[1] - a[1]);
      if (!fit.lowConfidence && first && first[1] >= CLEAR_WIN * (second?.[1] ?? 0)) return { retrieval: await scoped(first[0], searched), doc: first[0], by: "reference", each: [] };
      return eachPlan(deps, holders, (d) => scoped(d, searched));
    }
  }
  if (earlier && candidates.includes(earlier) && resolveFollowUp(question, history).elliptical) {
    return { retrieval: await scoped(earlier), doc: earlier, by: "conversation", each: [] };
  }

  const restricted = candidates.length < catalog.plans.length ? candidates : undefined;
  let global = await retriever.retrieve(searched, { k: Math.max(k, 8), history, ...(restricted ? { docs: restricted } : {}) });
  // Keeps to some of the candidates when they are all the question can mean (always), or when their best unit
  // covers the question nearly as well as the best unit of all: a year or a place must not pull a question
  // away from the plan whose topic it is.
  const narrowTo = async (subset: string[], always = false) => {
    if (subset.length === 0 || subset.length === candidates.length) return;
    const within = await retriever.retrieve(searched, { k: Math.max(k, 8), history, docs: subset });
    if (!always && (within.units[0]?.coverage ?? 0) < NARROW_TOPIC_SHARE * (global.units[0]?.coverage ?? 0)) return;
    candidates = subset;
    global = within;
  };
  // "2028年底…", "by the end of 2028": a year only some plans speak of points to those plans; a year in a plan's
  // own title (东岭县2026年…方案) makes it the plan of that year. "2025年某某试点目标" about a plan of 2019 stays
  // that plan's question (about another year), not one for a plan that happens to name 2025.
  const thisYear = retriever.today().getFullYear();
  const years = [...global.query.years, ...retriever.relativeYears(global.query.relativeYears)];
  if (years.length > 0) {
    const covering = candidates.filter((d) => years.every((y) => retriever.planYears(d)?.has(y)));
    await narrowTo(covering, covering.every((d) => years.some((y) => catalog.get(d)?.title.includes(`${y}年`))));
  }
  // "四川这边高龄补贴…": a place that is one loaded plan's region points to that plan, where it speaks of the topic too
  // (a Sichuan resident asking about drug prices is still asking the national drug plan).
  // …and so does the place a plan is for, a city, county or district the place list does not know (在株洲厂里上班, 东海区).
  const places = global.query.places;
  const named = candidates.filter((d) => { const p = retriever.planPlace(d); return p !== undefined && !places.includes(p) && global.query.normalized.includes(p); });
  if (places.length > 0 || named.length > 0) await narrowTo(candidates.filter((d) => places.includes(retriever.planRegion(d) ?? "\u0000") || named.includes(d)));
  // An English question names its plan in English ("the vocational education reform plan"): its mapped terms may name it.
  // …read as a phrase of several words (the zero-waste city pilot plan → 无废城市), not as one word's guesses (city → 城市).
  if (namedDocs.length === 0 && global.query.language === "en") {
    // Each phrase on its own (terms of two phrases never join into a title), and not a phrase about the document
    // itself (work plan, full title → the seed's 工作方案), nor an issuer's name the glossary guessed (which department → 浙江省人民政府).
    const phrases = global.query.expansions.filter((e) => /[\s-]/.test(e.phrase.trim()) && !DOCUMENT_PHRASE_RE.test(e.phrase.trim()));
    const byPhrase = phrases.flatMap((e) => e.terms.flatMap((t) => catalog.named(t))).filter((m) => m.how !== "issuer");
    const mapped = [...new Set([...catalog.named(global.query.normalized), ...byPhrase].map((m) => m.doc))].filter((d) => candidates.includes(d));
    if (mapped.length === 1) return { retrieval: await scoped(mapped[0]!), doc: mapped[0]!, by: "named", each: [] };
  }
  // "这个通知是哪天发的", "这个行动方案的基本原则": the kind of document the question calls it points to the plans of that kind.
  const ofGenre = plansOfGenre(catalog, candidates, question);
  if (ofGenre) await narrowTo(ofGenre);
  // "这个方案是谁印发的", "为什么出这个方案": about each plan alike, unless one is named.
  const top = global.units[0];
  if (top?.structural && (global.query.intent.meta || global.query.intent.purpose) && global.query.structural.length === 0 && candidates.length > 1) {
    const kind = top.unit.kind;
    const all = candidates.filter((d) => deps.docs.find((x) => x.id === d)?.units.some((u) => u.kind === kind));
    const holders = ofGenre?.some((d) => all.includes(d)) ? all.filter((d) => ofGenre.includes(d)) : all;
    if (holders.length === 1) return { retrieval: await scoped(holders[0]!, searched), doc: holders[0]!, by: "named", each: [] };
    if (holders.length > 1) return eachPlan(deps, holders, (d) => scoped(d, searched));
  }
  // "保障措施有哪几条", "这个方案的基本原则有哪些": a list question whose whole topic is a heading asks for that
  // unit's contents, in the plans that have it — not for a unit of another plan that shares a word of it.
  const heading = global.query.intent.list && namedDocs.length === 0 ? headingTopic(searched) : undefined;
  if (heading) {
    const holders = candidates.filter((d) => deps.docs.find((x) => x.id === d)?.units.some((u) => u.kind !== "notice" && u.kind !== "preamble" && bareHeading(u.heading) === heading));
    if (holders.length === 1) return { retrieval: await scoped(holders[0]!, searched), doc: holders[0]!, by: "best", each: [] };
    if (holders.length > 1) return eachPlan(deps, holders, (d) => scoped(d, searched));
  }
  const order = [...new Set(global.units.map((u) => u.unit.doc))].slice(0, MAX_CANDIDATES);
  // The plan most about the question's words as a whole is always a candidate.
  const affinity = retriever.planAffinity(topicalWeights(global));
  const topAffinity = [...affinity].filter(([d]) => candidates.includes(d)).sort((a, b) => b[1] - a[1])[0];
  if (topAffinity && !order.includes(topAffinity[0])) order.push(topAffinity[0]);
  // "今年…" may mean the current plan even when other plans' words rank higher.
  if (THIS_YEAR.test(question)) for (const d of currentPlans(catalog, candidates, thisYear)) if (!order.includes(d)) order.push(d);
  if (order.length <= 1) {
    const doc = order[0];
    return { retrieval: doc ? await scoped(doc, searched) : global, ...(doc ? { doc } : {}), by: "best", each: [] };
  }
  // Each plan is asked on its own, so that one plan's scores do not scale another's; BM25 over the
  // whole corpus keeps their raw lexical scores comparable (one idf for every plan).
  const tries = await Promise.all(order.map(async (doc) => ({ doc, retrieval: await scoped(doc, searched, false) })));
  // "今年…": a yearly plan of the current year is the one meant.
  // …among the plans that speak of the topic about as well as the best: "今年托育工作分哪几个阶段" is the 托育 plan's question, whatever year it is for.
  const bestCoverage = Math.max(0, ...tries.map((t) => t.retrieval.units[0]?.coverage ?? 0));
  // …and that are about it as a whole, nearly as much as the plan most about it (not a plan that shares the question's verbs).
  const topAffinityOf = Math.max(1e-9, ...tries.map((t) => affinity.get(t.doc) ?? 0));
  const onTopic = tries.filter((t) => (t.retrieval.units[0]?.coverage ?? 0) > 0 && (t.retrieval.units[0]?.coverage ?? 0) >= NARROW_TOPIC_SHARE * bestCoverage && (affinity.get(t.doc) ?? 0) >= NARROW_TOPIC_SHARE * topAffinityOf);
  const current = THIS_YEAR.test(question) ? currentPlans(catalog, onTopic.map((t) => t.doc), thisYear) : [];
  const ranked = current.length > 0 ? tries.filter((t) => current.includes(t.doc)) : tries;
  // Raw BM25 (how strongly a unit matches) times coverage (how much of the question it covers):
  // a plan that matches a few words often does not beat one that covers the question.
  // Scaled by how much the plan as a whole is about the question: a plan that mentions a topic once
  // does not beat the plan written about it.
  const maxAffinity = Math.max(1e-9, ...ranked.map((t) => affinity.get(t.doc) ?? 0));
  const planShare = new Map(ranked.map((t) => [t.doc, ((affinity.get(t.doc) ?? 0) / maxAffinity) ** AFFINITY_POWER]));
  const strength = (r: Retrieval) => (r.units[0]?.lexicalRaw ?? 0) * (r.units[0]?.coverage ?? 0) * (planShare.get(r.units[0]?.unit.doc ?? "") ?? 0);
  // Near ties go to the newer plan: the current plan is the likelier subject.
  const newer = (a: string, b: string) => `${planYear(catalog, a) ?? ""}${catalog.get(a)?.date ?? ""}` > `${planYear(catalog, b) ?? ""}${catalog.get(b)?.date ?? ""}`;
  let best = ranked[0]!;
  for (const t of ranked.slice(1)) {
    const [s, b] = [strength(t.retrieval), strength(best.retrieval)];
    if (s > b * (1 + TIE) || (s >= b / (1 + TIE) && newer(t.doc, best.doc))) best = t;
  }
  // The plan the question is most about may still not answer it; another that answers and matches
  // nearly as well is the better answer.
  if (best.retrieval.lowConfidence) {
    const alternative = ranked.filter((t) => !t.retrieval.lowConfidence && strength(t.retrieval) >= ANSWERING_SHARE * strength(best.retrieval)).sort((x, y) => strength(y.retrieval) - strength(x.retrieval))[0];
    if (alternative) best = alternative;
  }
  return { retrieval: await scoped(best.doc, searched), doc: best.doc, by: "best", each: [] };
}

/** An English phrase that speaks of the document, not of its subject (work plan, full title, issuing notice). */
const DOCUMENT_PHRASE_RE = /^(?:(?:the|this|that|full|whole|work|working|action|implementation|issuing|official|document|plan|plans|title|notice|circular|programme|program|scheme|opinions?|measures|policy|policies|document number|issued|issue|date)[\s-]*)+$/i;

/** How little a question's verbs and other non-naming words (保持, 提高, 要求) say about which plan it is about. */
const NON_TOPIC_WEIGHT = 0.3;

/**
 * The question's token weights for plan affinity: words that name things (nouns, and pieces of them)
 * keep their weight; the question's other own words weigh less, since a plan is about its subjects,
 * not about the verbs every plan uses. Plan terms added for everyday words keep theirs.
 */
export function topicalWeights(r: Retrieval): Map<string, number> {
  const q = r.query;
  // An English question's own words are the reviewed glossary's readings, written against one plan: for which plan
  // it is about, the domain-general readings (register, dictionary) weigh fully and those weigh less.
  if (q.language === "en") {
    const general = [...new Set(q.expansions.flatMap((e) => e.terms))];
    return new Map([...r.weights].map(([t, w]) => [t, general.some((g) => g.includes(t) || t.includes(g)) ? w : w * NON_TOPIC_WEIGHT] as const));
  }
  // A piece of a longer word of the question (天然, 然气 of 天然气) is that word again, not more evidence for a plan.
  // …when the plans print that word: a compound they never print (家政公司) speaks only through its pieces (家政).
  const own = new Set(q.words);
  const whole = q.words.filter((w) => w.length >= 3 && r.weights.has(w));
  const weights = new Map([...r.weights].filter(([t]) => own.has(t) || !q.bigrams.includes(t) || !whole.some((w) => w.includes(t))));
  if (q.nouns.length === 0) return weights;
  const added = new Set(q.expansions.flatMap((e) => e.terms));
  const nouns = q.nouns.filter((n) => !isAskingWord(n));
  const naming = (t: string) => added.has(t) || nouns.some((n) => n.includes(t) || t.includes(n));
  return new Map([...weights].map(([t, w]) => [t, naming(t) ? w : w * NON_TOPIC_WEIGHT] as const));
}

/**
 * The plans that hold a unit a reference names. A reference written 第N部分 goes to the plans that print
 * 第N部分 headings when any holds it: it is how those plans name their parts, while in a plan of 一、 parts
 * it is only a way of speaking (第三部分 of a plan that prints 三、).
 */
function referenceHolders(docs: readonly PlanDocument[], candidates: string[], refs: NumberRef[]): string[] {
  const layouts = new Map(candidates.map((d) => [d, refLayout(docs.find((x) => x.id === d)?.units ?? [])]));
  const holders = candidates.filter((d) => docs.find((x) => x.id === d)?.units.some((u) => refs.some((r) => matchesRef(u, r, layouts.get(d)))));
  if (!refs.some((r) => r.partWord || r.within?.partWord)) return holders;
  const printing = holders.filter((d) => layouts.get(d)!.printsParts);
  return printing.length > 0 ? printing : holders;
}

/** The kind of document a title ends with: …工作方案, …的通知, …实施意见 (a bracketed span of years after it aside). */
const TITLE_GENRE_RE = new RegExp(`(${GENRE_ALT})$`);
/** A question calling the document by its kind: 这个通知, 这份托育通知, 本行动方案, 该意见. */
const GENRE_REF_RE = new RegExp(`(?<![应活])(?:这|本|该)(?![来些样么])(?:个|份|篇|项)?([\\u4e00-\\u9fff]{0,4}?)(${GENRE_ALT})`);

/**
 * The plans a question refers to by the kind of document it calls it (这个通知 → the plans that are
 * notices), and of those the ones whose title has the words it puts before the kind (这个行动方案 → …行动方案)
 * when any has them; undefined when it calls it nothing, or no candidate is of that kind.
 */
export function plansOfGenre(catalog: PlanCatalog, docs: string[], question: string): string[] | undefined {
  const m = GENRE_REF_RE.exec(question);
  // "这个方案", "这个文件" is how people speak of any plan; only a more particular kind (通知, 细则, 行动方案) picks plans.
  // …and words between that say how (按什么办法) are no kind of document.
  if (!m || (m[2] === "方案" && !m[1]) || /按|什么|怎么/.test(m[1]!)) return undefined;
  const titleOf = (d: string) => (catalog.get(d)?.title ?? "").replace(/[\s“”"]/g, "").replace(/[（(][^（）()]*[)）]$/, "");
  const same = docs.filter((d) => TITLE_GENRE_RE.exec(titleOf(d))?.[1] === m[2]);
  const closer = m[1] ? same.filter((d) => titleOf(d).includes(`${m[1]}${m[2]}`)) : [];
  const out = closer.length > 0 ? closer : same;
  return out.length > 0 ? out : undefined;
}

/** Each plan's best raw lexical score in a retrieval. */
function bestLexicalByDoc(r: Retrieval): Map<string, number> {
  const out = new Map<string, number>();
  for (const u of r.units) out.set(u.unit.doc, Math.max(out.get(u.unit.doc) ?? 0, u.lexicalRaw));
  return out;
}

/** A reference several plans have: each plan's retrieval, newest plan first. */
async function eachPlan(deps: RouterDeps, docs: string[], run: (doc: string) => Promise<Retrieval>): Promise<Routed> {
  const order = [...docs].sort((a, b) => (deps.catalog.get(b)?.date ?? "").localeCompare(deps.catalog.get(a)?.date ?? "") || docs.indexOf(a) - docs.indexOf(b));
  const each = await Promise.all(order.map(async (doc) => ({ doc, retrieval: await run(doc) })));
  return { retrieval: each[0]!.retrieval, doc: each[0]!.doc, by: "reference", each };
}

/** The plan the conversation was about: named in the last question, or the only plan its answer cited. */
function conversationPlan(catalog: PlanCatalog, history: Turn[] | undefined, question: string): string | undefined {
  const last = history?.at(-1);
  if (!last || catalog.named(question).length > 0) return undefined;
  const named = [...new Set(catalog.named(last.q).map((m) => m.doc))];
  if (named.length === 1) return named[0];
  const cited = catalog.plans.filter((p) => (last.a ?? "").includes(`〔${p.shortName}·`)).map((p) => p.id);
  return cited.length === 1 ? cited[0] : undefined;
}


/** The question without the plan's name, unless too little is left to search on. */
function topicOf(stripped: string, question: string): string {
  const left = stripped.replace(/[\s\p{P}]/gu, "").replace(/^(讲|说|是)?(的)?(什么|啥|哪些)/, "");
  return left.length >= 2 ? stripped : question;
}

/**
 * A ranked search: over every plan, or one plan when it is chosen or the question names it.
 * @example await searchPlans(deps, "集采方案 医保预付", { k: 5 })
 */
export async function searchPlans(deps: RouterDeps, question: string, opts: { k?: number; doc?: string } = {}): Promise<Retrieval> {
  const named = [...new Set(deps.catalog.named(question).map((m) => m.doc))];
  const doc = opts.doc ?? (named.length === 1 ? named[0] : undefined);
  return deps.retriever.retrieve(question, { k: opts.k ?? 5, ...(doc ? { docs: [doc] } : {}) });
}
