import type { PlanDocument, Unit } from "../plan/types.js";
import type { AnalyzedQuery } from "../retrieve/query.js";
import { weightedOverlap } from "../retrieve/figures.js";
import type { Figure, FigureMatch, HybridRetriever, Retrieval, RetrievedUnit } from "../retrieve/retriever.js";
import { normalizeText, splitSentences } from "../retrieve/text.js";
import { cite, dedupeCitations } from "./citations.js";
import { declineAnswer } from "./decline.js";
import { englishFigureParts, figuresForParts } from "./figure-parts.js";
import { asksFigureList, childGroups, groupedMeasures, headingNamed, listAnswer, listedUnit } from "./lists.js";
import type { Citation, DraftAnswer } from "./types.js";
import { bodySentences, named, namedEn, tag, withoutMarker } from "./unit-text.js";

/** What the extractive answerer reads. */
export interface ExtractiveDeps {
  docs: PlanDocument[];
  retriever: HybridRetriever;
}

export type { DraftAnswer } from "./types.js";


/**
 * Answers from the plan's own words, without a model: the target itself for "how much" questions,
 * the unit or its children for references, the best sentences otherwise; abstains when retrieval
 * is not confident or the plan gives no figure for what is asked.
 */
export function extractiveAnswer(retrieval: Retrieval, deps: ExtractiveDeps): DraftAnswer {
  const { query } = retrieval;
  const en = query.language === "en";
  const top = retrieval.units[0];
  const { weights } = retrieval;
  if (!top || retrieval.grade === "declined") return abstain(retrieval, en, deps.docs);
  if (retrieval.grade === "closest") return closestAnswer(retrieval, weights, en, deps.docs, deps.retriever);

  if (top.unit.kind === "notice" && (query.intent.meta || top.structural)) return metaAnswer(top.unit, deps, en);
  if (top.structural && query.structural.length > 0 && !(query.intent.quantity && hasTargets(top.unit, deps))) {
    return referenceAnswer(top.unit, deps, en);
  }
  // "有哪些硬指标": every figure, not the best three.
  if (query.intent.list && asksFigureList(query.raw)) {
    const listed = listAnswer(retrieval, deps.retriever, en);
    if (listed) return listed;
  }
  // "哪些行为会被记分？各记几分": the list asked, each with its figure, is the unit's measures, not its best figures.
  const eachOfList = query.intent.list && /哪些|哪几/.test(query.raw) && /各[^，,。？?]{0,6}(?:几|多少)/.test(query.raw);
  if ((query.intent.quantity || query.intent.temporal) && retrieval.figures.length > 0 && !eachOfList) {
    // An English question's parts are read into the plans' terms first.
    const asked = en ? englishFigureParts(query.raw, (part) => deps.retriever.englishTerms(part)) ?? "" : query.raw;
    const figures = quantityAnswer(retrieval, en, figuresForParts(asked, retrieval.units.slice(0, 3).map((u) => u.unit), (u) => deps.retriever.figuresOf(u), (u) => deps.retriever.datesOf(u)));
    if (figures) return figures;
  }
  // "哪些任务提到了山区海岛县": every unit that speaks of it, with its sentence.
  // …unless the best unit's own heading is the topic (基本原则有哪几条, 重大改革支撑部分有哪几项): its contents are asked.
  if (WHICH_UNITS_RE.test(query.raw) && !(top.unit.heading.length >= 2 && (retrieval.topicInTitle && normalizeText(query.raw).includes(normalizeText(top.unit.heading)) || headingNamed(query.raw, top.unit.heading)))) {
    const listed = whichUnitsAnswer(retrieval, weights, en);
    if (listed) return listed;
  }
  // 有哪些举措 / 目标数字有哪些 / what measures: the whole list, not two sentences of it.
  if (query.intent.list) {
    // "支持小微企业有哪些措施" of a plan titled so: the question names the whole document, so its measures are all its
    // top-level units (a 若干措施's 1.–28., a plan's parts), not the opening or closing paragraph the title matched.
    if ((top.unit.kind === "preamble" || top.unit.kind === "closing") && retrieval.topicInTitle && MEASURES_RE.test(query.raw)) {
      const listed = documentList(top.unit.doc, deps, en);
      if (listed) return listed;
    }
    // The whole area the question names (家庭养老支持方面有哪些举措): the parent whose heading it is, not one child of it.
    const unit = listedUnit(retrieval, (ref) => deps.retriever.unit(top.unit.doc, ref));
    const children = unit.children.map((r) => deps.retriever.unit(unit.doc, r)).filter((u): u is Unit => Boolean(u));
    const listed = MEASURES_RE.test(query.raw) && children.length > 0
      ? groupedMeasures(unit, children, en, deps.retriever)
      : unit === top.unit ? listAnswer(retrieval, deps.retriever, en) : undefined;
    if (listed) return listed;
    if (children.length > 0) return referenceAnswer(unit, deps, en);
  }
  if (top.unit.children.length > 0 && (query.intent.list || top.unit.text.length < 40)) return referenceAnswer(top.unit, deps, en);
  // A broad question about what a unit is titled (就业方面有什么安排): its measures, each cited.
  if (retrieval.topicInTitle && query.words.length <= 2 && !top.structural) return measuresAnswer(top, en);
  return sentenceAnswer(retrieval, weights, en);
}


/** The units at the top of a plan's body (its parts, or its measures where it has no parts), each with its measures. */
function documentList(doc: string, deps: ExtractiveDeps, en: boolean): DraftAnswer | undefined {
  const units = deps.docs.find((d) => d.id === doc)?.units ?? [];
  const tops = units.filter((u) => u.parents.length === 0 && !["preamble", "notice", "closing", "annex"].includes(u.kind));
  if (tops.length < 2) return undefined;
  const groups = childGroups(tops, deps.retriever, en);
  const lines = [en ? `The plan sets out ${tops.length} parts:` : `方案共${tops.length}${tops.every((u) => u.kind === "task") ? "项" : "部分"}：`, ...groups.flatMap((g) => g.lines)];
  return { answer: lines.join("\n"), abstained: false, citations: dedupeCitations(groups.flatMap((g) => g.citations)) };
}

/** Whether a unit states targets, itself or in its entries (a 专栏's numbered rows, an annex's rows). */
function hasTargets(unit: Unit, deps: ExtractiveDeps): boolean {
  return deps.retriever.targetsOf(unit).length > 0 || unit.children.some((r) => deps.retriever.targetsOf({ doc: unit.doc, ref: r }).length > 0);
}


function quantityAnswer(r: Retrieval, en: boolean, parts: FigureMatch[] = []): DraftAnswer | undefined {
  const best = r.figures[0]!;
  // A figure is shown in its sentence when the question also asks its conditions or scope (…多少钱，条件是什么),
  // or when its clause is too short to say what it measures (3万元).
  // Otherwise the figure's own clause leads (新建和改造提升高标准农田78万亩).
  const wide = ALSO_ASKS_RE.test(r.query.raw);
  const inSentence = (f: FigureMatch) => ({ t: { ...f.figure, quote: wide || f.figure.quote.length < MIN_FIGURE_CLAUSE ? sentenceOf(f.unit, f.figure.quote) : f.figure.quote }, unit: f.unit, score: f.score });
  const scored = r.figures.map(inSentence);
  // A question asking several figures gets each part's figure beside the best ones.
  const chosen = [...scored.filter((s) => s.score >= best.score * 0.8).slice(0, 3), ...parts.map(inSentence)].slice(0, 4);
  const unique = [...new Map(chosen.map((c) => [`${c.unit.ref}|${c.t.quote}`, c])).values()];
  // Two targets of one sentence (…92% and …92%和74%): show the longer quote once.
  const quotes = unique.filter((c) => !unique.some((o) => o !== c && o.unit.ref === c.unit.ref && o.t.quote.length > c.t.quote.length && o.t.quote.includes(c.t.quote)));
  const citations = dedupeCitations(quotes.map((c) => cite(c.unit, c.t.quote)));
  if (citations.length === 0) return undefined;
  // A table cell prints its value bare (2030年：95) and its measure in the indicator's name (达标率（%）): the answer says both.
  // A figure of a respective list (…1亿美元、5亿美元…分别给予50万元、100万元…): the answer says which goes with the question's case.
  const reading = (f: Figure) =>
    f.condition && f.figure ? (en ? ` (${f.condition}: ${f.figure})` : `（${f.condition}：${f.figure}）`)
    : f.figure && f.unit && /^\d+(?:\.\d+)?$/.test(f.figure) && f.quote.endsWith(f.figure) ? `（${f.figure}${f.unit}）` : "";
  const lines = quotes.map((c) => (en ? `“${c.t.quote}”${reading(c.t)}${tag(c.unit)}` : `${c.t.quote}${reading(c.t)}${tag(c.unit)}。`));
  const lead = en ? `The plan's target: ${lines.join("; ")}.` : lines.join("");
  const where = quotes[0]!.unit;
  const context = en ? `(${named(where)})` : `（出自${named(where)}）`;
  return { answer: `${lead}\n${context}`, abstained: false, citations };
}

/** A question that asks, beside a figure, what goes with it: its conditions, who, how. */
const ALSO_ASKS_RE = /条件|要求|怎么|如何|谁|哪些|什么情况|分别/;
/** A clause shorter than this does not say what its figure measures. */
const MIN_FIGURE_CLAUSE = 12;
/** A sentence longer than this is quoted by the clause that holds the figure. */
const MAX_FIGURE_SENTENCE = 100;

/** The sentence of a unit that holds a quote, without its closing stop, when it is short; else the quote. */
function sentenceOf(unit: Unit, quote: string): string {
  const sentence = splitSentences(unit.text).map((x) => x.text.trim().replace(/[。；;！!]+$/, "")).find((x) => x.includes(quote));
  return sentence && sentence.length <= MAX_FIGURE_SENTENCE ? sentence : quote;
}

/**
 * Related content but no clear answer: says so, then gives what comes closest — the best unit's
 * figures of the kind asked, or (when it states none) its nearest sentence. It never says "no
 * figure" while quoting one of the kind asked.
 */
function closestAnswer(r: Retrieval, weights: Map<string, number>, en: boolean, docs: readonly PlanDocument[], retriever: HybridRetriever): DraftAnswer {
  const top = r.units[0]!;
  // A place that is the plan's own (宁波 for Ningbo's notice, 江北 for 江北区人民政府's plan) is no place apart.
  const local = r.query.localPlaces.find((p) => !retriever.ownsPlace(top.unit.doc, p));
  const date = r.reasonCode === "no-date";
  const near = date ? [] : dedupeFigures(r.nearFigures).slice(0, 4);
  if (near.length > 0) {
    const head = r.reasonCode === "unit-dates"
      ? en ? `The plan does not date this as such. The dates ${top.unit.label} states:` : `方案没有单独写明这项工作的完成时间。${top.unit.label}写明的时间：`
      : local
      ? en ? `The plan sets figures for its whole area and none for ${local} alone. The closest figures it gives:` : `方案给的是全域的目标，没有单列${local}的数字。最接近的数字：`
      : en ? "The plan does not state this exact figure. The closest figures it gives:" : "方案没有直接给出这一数字。最接近的数字：";
    return {
      answer: [head, ...near.map((f) => (en ? `• “${f.figure.quote}”${tag(f.unit)}` : `• ${f.figure.quote}${tag(f.unit)}`))].join("\n"),
      abstained: false,
      grade: "closest",
      citations: dedupeCitations(near.map((f) => cite(f.unit, f.figure.quote))),
    };
  }
  const sentence = bestSentences(top, weights, 1)[0] ?? bodySentences(top.unit)[0];
  if (!sentence) return abstain(r, en, docs);
  const what = date ? (en ? "date" : "时间") : en ? "figure" : "数字";
  const head = local && !date
    ? en ? `The plan sets targets for its whole area and gives no separate figure for ${local}. Its wording for the whole area` : `方案给的是全域的目标，没有单列${local}的数字。全域的相关表述是`
    : en ? `The plan gives no ${what} for this. The closest it says` : `方案没有给出这方面的具体${what}。最接近的表述是`;
  return {
    answer: en ? `${head}${tag(top.unit)}: “${sentence}”` : `${head}：“${sentence}”${tag(top.unit)}`,
    abstained: false,
    grade: "closest",
    citations: dedupeCitations([cite(top.unit, sentence)]),
  };
}

/** Figures whose quotes repeat (two figures of one sentence) are shown once, by the longer quote. */
function dedupeFigures(figures: Retrieval["figures"]): Retrieval["figures"] {
  const unique = [...new Map(figures.map((f) => [`${f.unit.doc}|${f.unit.ref}|${f.figure.quote}`, f])).values()];
  return unique.filter((f) => !unique.some((o) => o !== f && o.unit.ref === f.unit.ref && o.unit.doc === f.unit.doc && o.figure.quote.length > f.figure.quote.length && o.figure.quote.includes(f.figure.quote)));
}

function bestSentences(ru: RetrievedUnit, weights: Map<string, number>, n: number): string[] {
  const sentences = bodySentences(ru.unit);
  const scored = sentences.map((s, i) => ({ s, i, score: weightedOverlap(s, weights) })).filter((x) => x.score > 0);
  scored.sort((a, b) => b.score - a.score);
  return scored.slice(0, n).sort((a, b) => a.i - b.i).map((x) => x.s);
}

function sentenceAnswer(r: Retrieval, weights: Map<string, number>, en: boolean): DraftAnswer {
  const top = r.units[0]!;
  let sentences = bestSentences(top, weights, 2);
  if (sentences.length === 0) sentences = bodySentences(top.unit).slice(0, 2);
  if (sentences.length === 0) sentences = [top.unit.text.split("\n")[0]!];
  const intro = top.unit.kind === "preamble"
    ? en ? "The plan opens with:" : "方案开篇写明："
    : en ? `The plan addresses this in ${namedEn(top.unit)}:` : `方案${named(top.unit)}提出：`;
  const parts = [intro];
  const citations = [cite(top.unit, sentences[0]!), ...sentences.slice(1).map((s) => cite(top.unit, s))];
  for (const s of sentences) parts.push(en ? `“${s}”${tag(top.unit)}` : `${s}${tag(top.unit)}`);
  // A second unit that answers nearly as well is worth one line.
  const second = r.units[1];
  if (second && !second.structural && second.score >= top.score * 0.85 && second.unit.kind !== "notice") {
    const extra = bestSentences(second, weights, 1)[0];
    if (extra && weightedOverlap(extra, weights) >= weightedOverlap(sentences[0]!, weights) * 0.6) {
      parts.push(en ? `See also ${second.unit.label}: “${extra}”${tag(second.unit)}` : `另见${second.unit.label}：${extra}${tag(second.unit)}`);
      citations.push(cite(second.unit, extra));
    }
  }
  return { answer: parts.join("\n"), abstained: false, citations: dedupeCitations(citations) };
}

/** Asks for measures (举措, 措施, 要求), not for the sub-units by name (哪些任务, 下面有什么). */
const MEASURES_RE = /举措|措施|要求|要点|做法|安排|政策|measures|steps|actions|requirements/i;
const WHICH_UNITS_RE = /哪些(任务|条|项|部分|地方|条目|内容提到|章节)|哪几(项|条|个任务)|哪里提到|哪些地方提到|which (tasks|parts|sections|items)|where does the plan (mention|say)/i;

/** The retrieved units that mention the question's topic, each with its best sentence. */
function whichUnitsAnswer(r: Retrieval, weights: Map<string, number>, en: boolean): DraftAnswer | undefined {
  const rows = r.units
    .filter((u) => u.unit.kind !== "notice")
    .map((u) => ({ u, sentence: bestSentences(u, weights, 1)[0] }))
    .filter((x): x is { u: RetrievedUnit; sentence: string } => Boolean(x.sentence));
  const bestScore = Math.max(0, ...rows.map((x) => weightedOverlap(x.sentence, weights)));
  const strong = rows.filter((x) => weightedOverlap(x.sentence, weights) >= bestScore * 0.6).slice(0, 5);
  if (strong.length < 2) return undefined;
  const intro = en ? "These parts of the plan speak of it:" : "方案中涉及这一内容的条目：";
  return {
    answer: [intro, ...strong.map((x) => `• ${named(x.u.unit)}：${x.sentence}${tag(x.u.unit)}`)].join("\n"),
    abstained: false,
    citations: dedupeCitations(strong.map((x) => cite(x.u.unit, x.sentence))),
  };
}

/** The unit's measures as a short list: one line per sentence, each with its label. */
function measuresAnswer(top: RetrievedUnit, en: boolean): DraftAnswer {
  const sentences = bodySentences(top.unit).slice(0, 6);
  const intro = en ? `${namedEn(top.unit)} sets out these measures:` : `方案${named(top.unit)}的主要举措：`;
  return {
    answer: [intro, ...sentences.map((s) => `• ${s}${tag(top.unit)}`)].join("\n"),
    abstained: false,
    citations: dedupeCitations(sentences.map((s) => cite(top.unit, s))),
  };
}

/**
 * 第7项讲什么 → its heading and text; （三）下面有哪些任务 → its own lead, then its children with labels and
 * headings, each followed by its measures, so that items spread over sub-units all appear.
 */
function referenceAnswer(unit: Unit, deps: ExtractiveDeps, en: boolean): DraftAnswer {
  const children = unit.children.map((r) => deps.retriever.unit(unit.doc, r)).filter((u): u is Unit => Boolean(u));
  const headingCite = cite(unit, unit.heading) ?? cite(unit, unit.text.split("\n")[0]!);
  if (children.length > 0) {
    const own = bodySentences(unit).filter((s) => s !== unit.text.split("\n")[0]);
    // An article opens with its rule (有下列行为之一的，…罚款：), which its items complete.
    const lead = unit.kind === "article" ? bodySentences(unit)[0] : undefined;
    const intro = en
      ? `${namedEn(unit)}${tag(unit)} contains:`
      : lead ? `${unit.label}${tag(unit)}：${lead}` : `${unit.kind === "section" ? `${unit.label}${unit.heading}` : unit.kind === "part" ? unit.label : named(unit)}${tag(unit)}包括：`;
    // The parent's own sentences (建立“财政补一点、业主出一点…”的多元筹资机制) before its children.
    const ownLines = own.filter((s) => s !== lead);
    const groups = childGroups(children, deps.retriever, en);
    return {
      answer: [intro, ...ownLines.map((s) => (en ? `“${s}”${tag(unit)}` : `${s}${tag(unit)}`)), ...groups.flatMap((g) => g.lines)].join("\n"),
      abstained: false,
      citations: dedupeCitations([lead ? cite(unit, lead) : headingCite, ...ownLines.map((s) => cite(unit, s)), ...groups.flatMap((g) => g.citations)]),
    };
  }
  const text = withoutMarker(unit);
  const answer = en
    ? `${unit.label} (${unit.path}) — ${unit.heading}${tag(unit)}:\n“${text}”`
    : `${unit.label}“${unit.heading}”（${unit.path}）${tag(unit)}：\n${text}`;
  return { answer, abstained: false, citations: dedupeCitations([cite(unit, text.split("\n")[0]!.slice(0, 400)) ?? headingCite]) };
}

function metaAnswer(notice: Unit, deps: ExtractiveDeps, en: boolean): DraftAnswer {
  const doc = deps.docs.find((d) => d.id === notice.doc)!;
  const { meta } = doc;
  const lines = notice.text.split("\n");
  const citations: Array<Citation | undefined> = [];
  const parts: string[] = [];
  const issuers = meta.issuers.join("、");
  if (issuers) {
    const line = lines.find((l) => meta.issuers.every((i) => l.includes(i))) ?? meta.issuers[0]!;
    citations.push(cite(notice, line));
  }
  if (meta.dateText) citations.push(cite(notice, meta.dateText));
  const recipientsLine = lines.find((l) => /[:：]$/.test(l));
  if (recipientsLine) citations.push(cite(notice, recipientsLine));
  // The 文号 only when the notice prints it (the seed's does not); it is quoted from the notice.
  // …also over two lines, as an order prints it (芜湖市人民政府令 / 第47号): then its number's line is quoted.
  const flat = (t: string) => t.replace(/\s+/g, "");
  const docNumber = meta.docNumber && flat(notice.text).includes(flat(meta.docNumber)) ? meta.docNumber : undefined;
  if (docNumber) citations.push(cite(notice, docNumber) ?? cite(notice, lines.find((l) => /\d/.test(l) && flat(docNumber).includes(flat(l))) ?? ""));
  const title = `《${meta.title}》`;
  if (en) {
    parts.push(`${title} was issued by ${issuers || "the issuing authorities named in the notice"}${meta.dateText ? ` on ${meta.dateText}` : ""}${docNumber ? ` as ${docNumber}` : ""}${tag(notice)}.`);
    if (meta.recipients.length) parts.push(`It is addressed to ${meta.recipients.join("; ")}${tag(notice)}.`);
  } else {
    parts.push(`${title}由${issuers || "通知所列单位"}${meta.dateText ? `于${meta.dateText}` : ""}印发${docNumber ? `，文号${docNumber}` : ""}${tag(notice)}。`);
    if (meta.recipients.length) parts.push(`印发对象：${meta.recipients.join("；")}${tag(notice)}。`);
  }
  return { answer: parts.join("\n"), abstained: false, citations: dedupeCitations(citations) };
}

/** Says plainly that the plans do not cover the question, and points to the nearest units. */
function abstain(r: Retrieval, en: boolean, docs: readonly PlanDocument[] = []): DraftAnswer {
  return declineAnswer(r, docs, en);
}
