import type { Unit } from "../plan/types.js";
import { weightedOverlap } from "../retrieve/figures.js";
import { headingTopic } from "../retrieve/query.js";
import { bareHeading, headingCoverage } from "../retrieve/text.js";
import type { Figure, Retrieval, RetrievedUnit } from "../retrieve/types.js";
import { cite, dedupeCitations } from "./citations.js";
import type { DraftAnswer } from "./types.js";
import { bodySentences, bracketName, named, namedEn, tag } from "./unit-text.js";

/** Where list answers read a unit's figures. */
export interface FigureSource {
  figuresOf(unit: Unit): Figure[];
}

/** A list question that asks for figures (目标数字有哪些, 量化指标, what targets) rather than measures. */
const FIGURES_RE = /目标数字|数字|指标|量化|目标值|targets?|figures?|numbers?|indicators?/i;

/** Whether a list question asks for the figures (目标数字有哪些) rather than the measures. */
export function asksFigureList(raw: string): boolean {
  return FIGURES_RE.test(raw);
}
/** Measures shown in one grouped answer; past it, each child shows its first few (the channels page the rest). */
const MAX_MEASURES = 60;
/** A parent with more children than this lists their headings only. */
const MAX_GROUPS = 24;

/** Where list answers read units by ref: a parent's children, an annex a sentence points to. */
export interface UnitSource {
  unit(doc: string, ref: string): Unit | undefined;
}

/**
 * Complete lists for 有哪些/哪些举措/目标数字/what-measures questions: every figure that matches
 * (the named unit's, or the topic's across units), or every measure of the unit, grouped by child
 * unit when it has children. Undefined when there is nothing to list.
 */
export function listAnswer(r: Retrieval, deps: FigureSource & Partial<UnitSource>, en: boolean): DraftAnswer | undefined {
  const top = r.units[0];
  if (!top) return undefined;
  if (FIGURES_RE.test(r.query.raw)) return figuresList(r, deps, en);
  if (top.unit.children.length > 0) return undefined;
  const annexes = deps.unit ? (u: Unit) => annexesCited(u, deps as UnitSource) : undefined;
  const listed = measuresList(top.unit, en, annexes);
  const twin = nearTie(r);
  const also = twin ? measuresList(twin.unit, en, annexes) : undefined;
  if (!listed || !also) return listed;
  // Two units that answer equally well (吸引社会资本 and 探索市场化模式 for 社会资本参与加装电梯的方式): both lists.
  return { answer: `${listed.answer}\n${also.answer}`, abstained: false, citations: dedupeCitations([...listed.citations, ...also.citations]) };
}

/** A runner-up this close to the best unit answers a list question as well as it does. */
const NEAR_TIE = 0.97;

/** The second unit, when it scores nearly as the best, is a leaf of the same plan and neither holds the other. */
function nearTie(r: Retrieval): RetrievedUnit | undefined {
  const [top, second] = r.units;
  if (!top || !second || second.structural || second.unit.kind === "notice" || second.unit.kind === "preamble") return undefined;
  if (second.unit.doc !== top.unit.doc || second.unit.children.length > 0 || second.score < top.score * NEAR_TIE) return undefined;
  if (top.unit.parents.includes(second.unit.ref) || second.unit.parents.includes(top.unit.ref)) return undefined;
  return second;
}

/** Every figure of the best unit, and those of the next units that speak of the question's topic. */
function figuresList(r: Retrieval, deps: FigureSource, en: boolean): DraftAnswer | undefined {
  const top = r.units[0]!;
  const topical = new Map([...r.weights].filter(([t]) => t.length >= 2 && !FIGURES_RE.test(t)));
  const units: RetrievedUnit[] = top.structural ? [top] : r.units.filter((u) => u.unit.kind !== "notice" && u.score >= top.score * 0.6).slice(0, 4);
  const rows: Array<{ unit: Unit; quote: string }> = [];
  for (const [i, ru] of units.entries()) {
    for (const f of deps.figuresOf(ru.unit)) {
      // The best unit lists all its figures; another unit only those about the topic.
      if (i > 0 && weightedOverlap(`${f.metric} ${f.quote}`, topical) === 0) continue;
      if (!rows.some((x) => x.unit === ru.unit && x.quote.includes(f.quote))) {
        for (let j = rows.length - 1; j >= 0; j--) if (rows[j]!.unit === ru.unit && f.quote.includes(rows[j]!.quote)) rows.splice(j, 1);
        rows.push({ unit: ru.unit, quote: f.quote });
      }
    }
  }
  if (rows.length === 0) return undefined;
  // No count in the text: every number an answer shows must be one a cited unit states.
  const intro = en ? "The plan's figures on this:" : "方案中的相关目标数字：";
  return {
    answer: [intro, ...rows.map((x) => (en ? `• “${x.quote}”${tag(x.unit)}` : `• ${x.quote}${tag(x.unit)}`))].join("\n"),
    abstained: false,
    citations: dedupeCitations(rows.map((x) => cite(x.unit, x.quote))),
  };
}

/** Every measure (sentence) of a unit, each cited; then the rows of any annex it points to (目录见附件2). */
function measuresList(unit: Unit, en: boolean, annexesOf?: (u: Unit) => Unit[][]): DraftAnswer | undefined {
  const sentences = bodySentences(unit);
  if (sentences.length === 0) return undefined;
  const intro = en ? `${namedEn(unit)} sets out these measures:` : `方案${named(unit)}提出的全部举措：`;
  const lines = [intro, ...sentences.map((s) => (en ? `• “${s}”${tag(unit)}` : `• ${s}${tag(unit)}`))];
  const citations = sentences.map((s) => cite(unit, s));
  // The list a rule leaves to its annex is part of the answer: the annex's rows, each cited to itself.
  for (const [annex, ...rows] of annexesOf?.(unit) ?? []) {
    lines.push(`▸ ${annex!.label} ${annex!.heading}${tag(annex!)}`);
    citations.push(cite(annex!, annex!.heading));
    for (const row of rows) {
      const text = row.text.split("\n")[0]!.trim();
      lines.push(en ? `  • “${text}”${tag(row)}` : `  • ${text}${tag(row)}`);
      citations.push(cite(row, text));
    }
  }
  return { answer: lines.join("\n"), abstained: false, citations: dedupeCitations(citations) };
}

/** 见附件2, 详见附件1: a reference from a unit's text to an annex of its plan. */
const ANNEX_REF_RE = /见附件\s*(\d{1,2})/g;
/** Rows shown from an annex a unit points to. */
const MAX_ANNEX_ROWS = 40;

/** The annexes a unit's text points to (见附件2), each as [annex, ...its rows]; only annexes printed as rows. */
function annexesCited(unit: Unit, deps: UnitSource): Unit[][] {
  const numbers = [...new Set([...unit.text.matchAll(ANNEX_REF_RE)].map((m) => m[1]!))];
  const out: Unit[][] = [];
  for (const n of numbers) {
    const annex = deps.unit(unit.doc, `annex:${n}`);
    if (!annex || annex.ref === unit.ref) continue;
    const rows = annex.children.map((r) => deps.unit(unit.doc, r)).filter((u): u is Unit => u?.kind === "row");
    if (rows.length > 0 && rows.length <= MAX_ANNEX_ROWS) out.push([annex, ...rows]);
  }
  return out;
}

/**
 * A parent unit's measures grouped by child: its own lead sentences (建立“财政补一点、业主出一点…”的机制),
 * then each child's heading and every measure of it — or, past {@link MAX_MEASURES}, its first few.
 */
export function groupedMeasures(unit: Unit, children: Unit[], en: boolean, deps?: UnitSource): DraftAnswer | undefined {
  if (children.length === 0 || children.length > MAX_GROUPS) return undefined;
  const lines = [en ? `${named(unit)} covers:` : `${named(unit)}包括：`];
  // The intro names the parent, so it cites the parent's heading (2027年养老服务重点工程) before its children.
  const citations = [cite(unit, unit.heading)];
  for (const s of bodySentences(unit)) {
    lines.push(en ? `“${s}”${tag(unit)}` : `${s}${tag(unit)}`);
    citations.push(cite(unit, s));
  }
  const groups = childGroups(children, deps, en);
  for (const g of groups) {
    lines.push(...g.lines);
    citations.push(...g.citations);
  }
  return { answer: lines.join("\n"), abstained: false, citations: dedupeCitations(citations) };
}

/** A unit's label and heading, once when the label already ends with it (一、基本原则). */
const titled = (u: Unit) => {
  // A measure titled by a name in brackets (1.【降低融资成本】对小微企业…) is named by that name; its sentence follows.
  const lead = bracketName(u.heading);
  if (lead) return `${u.label} ${lead}`;
  return u.label.endsWith(u.heading) ? u.label : `${u.label} ${u.heading}`;
};

/** One child of a listed parent: its heading line and the lines of its measures, with their citations. */
export interface ChildGroup {
  lines: string[];
  citations: Array<ReturnType<typeof cite>>;
}

/**
 * Each child's heading, then its measures and its own children's headings, so that items spread over
 * sub-units all appear. Past {@link MAX_MEASURES} in all, each child shows
 * an even share and says how many more it has.
 */
export function childGroups(children: Unit[], deps: UnitSource | undefined, en: boolean): ChildGroup[] {
  const contents = children.map((c) => {
    const body: Array<{ unit: Unit; text: string; label?: string }> = bodySentences(c).map((s) => ({ unit: c, text: s }));
    const grand = deps ? c.children.map((r) => deps.unit(c.doc, r)).filter((u): u is Unit => Boolean(u)) : [];
    return { c, items: [...body, ...grand.map((g) => ({ unit: g, text: g.heading, label: g.label.endsWith(g.heading) ? g.label.slice(0, -g.heading.length) : g.label }))] };
  });
  const total = contents.reduce((a, x) => a + x.items.length, 0);
  const share = total <= MAX_MEASURES ? Infinity : Math.max(1, Math.floor(MAX_MEASURES / Math.max(1, children.length)));
  return contents.map(({ c, items }) => {
    const lines = [`▸ ${titled(c)}${tag(c)}`];
    const citations = [cite(c, c.heading)];
    for (const it of items.slice(0, share)) {
      const label = it.label ? (it.label.endsWith("、") ? it.label : `${it.label} `) : "";
      lines.push(en ? `  • ${label}“${it.text}”${tag(it.unit)}` : `  • ${label}${it.text}${tag(it.unit)}`);
      citations.push(cite(it.unit, it.text));
    }
    if (items.length > share) lines.push(en ? `  • … and more in ${c.label}` : `  • ……（${c.label}还有更多举措）`);
    return { lines, citations };
  });
}


/** A question that names a unit's heading in its own word order: nearly all the heading's character pairs. */
const NAMED_HEADING = 0.75;
/** Headings shorter than this (规划, 目标) name nothing in particular. */
const MIN_NAMED_HEADING = 4;

/** Whether a question names a heading, in any word order (供排水和供电设施改造 for 改造供排水和供电设施). */
export function headingNamed(raw: string, heading: string): boolean {
  return bareHeading(heading).length >= MIN_NAMED_HEADING && headingCoverage(raw, heading) >= NAMED_HEADING;
}

/** An enclosing unit is listed instead of the best one only if it scores at least this share of it. */
const ANCESTOR_SCORE = 0.6;
/** …and the question holds at least this share of its heading. */
const ANCESTOR_COVERAGE = 0.6;

/**
 * The unit a list question asks to enumerate: the best one, or a retrieved unit enclosing it whose heading
 * the question names better (家庭养老支持方面有哪些举措 → （十）强化家庭养老支持, not its 3.落实家庭养老支持政策),
 * so that the items spread over the enclosing unit's children all appear.
 */
export function listedUnit(r: Retrieval, unitOf: (ref: string) => Unit | undefined): Unit {
  const top = r.units[0]!;
  // 这个方案的基本原则有哪几条: the unit headed 基本原则, though its part (第一部分 总体要求) ranks above it.
  const topic = headingTopic(r.query.raw);
  const headed = topic ? r.units.find((u) => u.unit.doc === top.unit.doc && bareHeading(u.unit.heading) === topic) : undefined;
  if (headed) return headed.unit;
  const own = headingCoverage(r.query.raw, top.unit.heading);
  let best: Unit = top.unit;
  let bestCoverage = own;
  for (const ru of r.units.slice(1)) {
    if (ru.unit.doc !== top.unit.doc || !top.unit.parents.includes(ru.unit.ref) || ru.score < top.score * ANCESTOR_SCORE) continue;
    const coverage = headingCoverage(r.query.raw, ru.unit.heading);
    if (coverage >= ANCESTOR_COVERAGE && coverage > bestCoverage) {
      best = unitOf(ru.unit.ref) ?? ru.unit;
      bestCoverage = coverage;
    }
  }
  return best;
}
