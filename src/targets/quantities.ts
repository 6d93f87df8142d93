/**
 * Every quantity in a unit's text — goals, conditions, dates, document numbers, numbering —
 * each with its verbatim figure, value(s), measure, bound, the phrase it measures and a verbatim
 * quote. The targets ledger is the goals among them (see extract.ts). General rules only: nothing
 * here knows any particular plan.
 */
import { z } from "zod";
import { parseChineseNumeral } from "../plan/numerals.js";
import type { Unit } from "../plan/types.js";
import { nounAfter, phraseBefore, stripLead, tidyMetric } from "./metric.js";
import { type Found, readClause } from "./phrases.js";
import { CLOSE_QUOTES, clauses, quoteMask, scanClause, type Tok } from "./scan.js";

/** What a quantity is in the plan. */
export const QuantityRole = z.enum(["goal", "condition", "date", "docnumber", "numbering", "other"]);
export type QuantityRole = z.infer<typeof QuantityRole>;

/** One quantity of a unit, with where it is and what it measures. */
export const Quantity = z.object({
  doc: z.string(),
  ref: z.string(),
  label: z.string(),
  /** The figure as printed: 60%—70%, 6个月, 10个左右, 国办发〔2018〕128号, 2019年6月. */
  figure: z.string().min(1),
  /** Offsets of the figure in the unit's text (0-based, UTF-16, end exclusive). */
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  /** The value at the plan's scale (13 for 13万个); the low end of a range. */
  value: z.number().finite(),
  /** The high end of a range; equal to value otherwise. */
  high: z.number().finite(),
  /** The measure as written, magnitude included (万亩, 个月, 亿元, %, 家); "" for a bare ratio. */
  unit: z.string(),
  kind: z.enum(["percent", "money", "duration", "count", "area", "length", "weight", "volume", "energy", "multiple", "age", "ratio", "date", "number"]),
  /** = exact, >= at least (不低于, 以上, 达到), > more than (超过), <= at most (以内), < less than, ~ about (左右), range (60%—70%). */
  bound: z.enum(["=", ">=", ">", "<=", "<", "~", "range"]),
  /** The plan's hedge and direction words around the figure (力争、达到、以上); "" when none. */
  qualifier: z.string(),
  /** The phrase the figure measures, in the plan's words (顶岗实习时间, “双师型”教师培养培训基地). */
  metric: z.string(),
  /** What a share is taken of (不低于采购金额的30% → 采购金额), when the plan says. */
  base: z.string().optional(),
  /** A verbatim substring of the unit's text holding the figure, at quoteStart. */
  quote: z.string().min(1),
  quoteStart: z.number().int().nonnegative(),
  role: QuantityRole,
  /** Why the role was given, in a few words (for the ledger's readers and for debugging). */
  reason: z.string(),
  /** The year the paragraph sets before the figure (到2020年，…), when it names one. */
  year: z.number().int().optional(),
});
export type Quantity = z.infer<typeof Quantity>;

const DOCNO_RE = /[\u4e00-\u9fff]{1,5}[〔［【[(（]\s*(?:19|20)\d{2}\s*[〕］】\])）]\s*第?\s*\d+\s*号/g;
const HEADING_NO_RE = /(?:^|\n)[ \t\u3000]*(?:[（(]([一二三四五六七八九十]+|\d+)[)）]|([一二三四五六七八九十]+)、|(\d+)[.．、](?![0-9０-９]))/g;
/** A time of day, or a span of them, with the day it falls on: 17:00, 6:30—9:00, 22时至次日7时, 2月6日1时, 2月5日（农历除夕）0时至2月12日24时 (not 24小时, not 8学时, not a ratio: 师生比1:20). */
export const CLOCK_RE = /(?<![0-9０-９.．:：年月])(?<!比[^，,。；;\n]{0,6})(?:(?:(?:19|20)\d{2}年)?(?:1[0-2]|0?[1-9])月(?:[12]\d|3[01]|0?[1-9])日(?:（[^）\n]{1,12}）)?)?(?:(?:[01]?\d|2[0-4])[:：][0-5]\d|(?:[01]?\d|2[0-4])时(?:[0-5]?\d分)?|(?:早上|晚上|上午|下午|中午|凌晨|夜间|傍晚|早|晚)(?:[01]?\d|2[0-4]|[一二三四五六七八九十]{1,3})点(?:半|[0-5]?\d分)?|(?:[01]?\d|2[0-4])点(?:钟|半))(?:\s*(?:——|—|–|-|～|~|至|到)\s*(?:次日)?(?:(?:(?:19|20)\d{2}年)?(?:1[0-2]|0?[1-9])月(?:[12]\d|3[01]|0?[1-9])日(?:（[^）\n]{1,12}）)?)?(?:(?:[01]?\d|2[0-4])[:：][0-5]\d|(?:[01]?\d|2[0-4])时(?:[0-5]?\d分)?|(?:早上|晚上|上午|下午|中午|凌晨|夜间|傍晚|早|晚)(?:[01]?\d|2[0-4]|[一二三四五六七八九十]{1,3})点(?:半|[0-5]?\d分)?|(?:[01]?\d|2[0-4])点(?:钟|半)))?(?![0-9０-９])/g;
const CLOCK_TEST_RE = new RegExp(CLOCK_RE.source);
/** Whether a date figure is a time of day (17:00, 22时至次日7时, 2月6日1时), which a 几点 question asks. */
export const isTimeOfDay = (figure: string | undefined): boolean => figure !== undefined && CLOCK_TEST_RE.test(figure);
const DATE_RE = /(?<![0-9０-９.．])(?:(?:19|20)\d{2}(?:\s*(?:——|—|–|-|～|~|至|到)\s*(?:19|20)\d{2})?年(?:度|底|末|初(?!步))?(?:(?:1[0-2]|0?[1-9])月(?:(?:[12]\d|3[01]|0?[1-9])日)?(?:底|初|末|上旬|中旬|下旬)?)?|[〇零一二三四五六七八九]{4}年|(?<!个)(?:1[0-2]|0?[1-9])月(?:(?:[12]\d|3[01]|0?[1-9])日|底|初|末|上旬|中旬|下旬))/g;
/** Words before a figure in its clause that make it a criterion to meet, not a goal (具有3年以上…经历). */
const CRITERION_RE = /(?:具有|具备|年满|满足|持有|符合|不满|未满)[^的，,。；]{0,20}$/;
/** Words that make a figure a state already reached, not a goal. */
const REPORTED_RE = /已(?:经|达|有|建|完成|超)|截至|截止|目前|现有/;
const BASELINE_RE = /^(?:提高|提升|增加|增长|下降|降低|缩小|扩大|减少)(?:到|至)/;
/** Bound words that may stand before the base of a share: 不低于采购金额的30%. */

/**
 * Every quantity of a unit, in text order.
 * @example extractQuantities(unit).find((q) => q.figure === "60%—70%") // { value: 60, high: 70, unit: "%", bound: "range", role: "goal", … }
 */
export function extractQuantities(unit: Unit): Quantity[] {
  const text = unit.text;
  const masked = quoteMask(text);
  const out: Quantity[] = [];
  /** Characters already read as a 文号, a heading number or a date. */
  const claimed = new Uint8Array(text.length + 1);
  const isClaimed = (s: number, e: number) => claimed[s] === 1 || claimed[Math.max(s, e - 1)] === 1;
  const base = { doc: unit.doc, ref: unit.ref, label: unit.label };
  const spans = clauses(text, masked);
  const yearAt = yearFinder(text);
  const special = (re: RegExp, role: QuantityRole, reason: string, kind: Quantity["kind"], valueOf: (m: RegExpExecArray) => number) => {
    for (const m of text.matchAll(re)) {
      // Leading spaces of a heading, and words glued before a 文号 (…的通知国办发〔2018〕128号).
      const lead = role === "docnumber" ? (/^.*(?:通知|关于|印发|的|知)/.exec(m[0])?.[0].length ?? 0) : /^\n?[ \t\u3000]*/.exec(m[0])![0].length;
      const start = m.index + lead;
      const end = m.index + m[0].length;
      if (isClaimed(start, end)) continue;
      claimed.fill(1, start, end);
      // A line's numbering sits before its first clause (clauses leave it out): quote it with that clause.
      const [qs, qe] = clauseAround(spans, start) ?? [start, Math.max(end, clauseAround(spans, end)?.[1] ?? end)];
      out.push({ ...base, figure: text.slice(start, end), start, end, value: valueOf(m as RegExpExecArray), high: valueOf(m as RegExpExecArray), unit: "", kind, bound: "=", qualifier: "", metric: "", quote: text.slice(qs, qe), quoteStart: qs, role, reason });
    }
  };
  special(DOCNO_RE, "docnumber", "document number (文号)", "number", (m) => Number(/(\d+)\s*号$/.exec(m[0])![1]));
  special(HEADING_NO_RE, "numbering", "heading number", "number", (m) => Number(m[3] ?? parseChineseNumeral(m[1] ?? m[2] ?? "") ?? m[1]));
  // A time of day (17:00, 6:30—9:00, 22时至次日7时): the when of a 几点 question.
  special(CLOCK_RE, "date", "a time of day", "date", (m) => Number(/\d+/.exec(m[0])![0]));
  special(DATE_RE, "date", "a date or year", "date", (m) => Number(/\d{4}/.exec(m[0])?.[0] ?? /\d+/.exec(m[0])?.[0] ?? parseChineseNumeral(m[0].slice(0, 4)) ?? 0));

  let prevClause = "";
  for (const [cs, ce] of spans) {
    const toks = scanClause(text, cs, ce).filter((t) => !isClaimed(t.start, t.end));
    const judged = toks.map((t, i) => ({ tok: t, ...judge(text, cs, ce, t, toks[i + 1], masked) })).filter((j) => j.role !== undefined);
    // A list of thresholds shares the role of its last item: 超10亿元、超100亿元的全产业链.
    for (let i = judged.length - 2; i >= 0; i--) {
      const [a, b] = [judged[i]!, judged[i + 1]!];
      if (b.role === "condition" && a.role === "goal" && /^[、和及与]$/.test(text.slice(a.tok.end, b.tok.preStart))) Object.assign(a, { role: b.role, reason: b.reason });
    }
    // The plan's own wording for goals, conditions and baselines; other figures (names, groupings) stay out of it.
    const worded = new Map<number, Found>();
    const feed = judged.filter((j) => j.role === "goal" || j.role === "condition" || j.reason === "baseline").map((j) => j.tok);
    for (const f of readClause(text, cs, ce, feed, prevClause)) worded.set(f.at, f);
    judged.forEach((j, i) => {
      const t = j.tok;
      const w = worded.get(t.start);
      const prevEnd = i > 0 ? judged[i - 1]!.tok.end : cs;
      const share = shareOf(text, prevEnd, t);
      // The list wording wins unless the figure is a share or the wording runs long (…至少建设一所符合…的中等职业学校).
      const phrase = tidyMetric(w && !share && [...w.metric].length <= 24 ? w.metric : metricOf(text, cs, ce, prevEnd, t, prevClause, share?.from));
      const [qs, qe] = w ? [w.index, w.index + w.quote.length] : quoteSpan(text, cs, ce, t);
      out.push({
        ...base,
        figure: text.slice(t.start, t.end),
        start: t.start,
        end: t.end,
        value: t.value,
        high: t.high,
        unit: t.unit,
        kind: t.kind,
        bound: share?.bound && t.bound === "=" ? share.bound : t.bound,
        qualifier: w ? [share?.word, ...w.qualifier.split("、")].filter(Boolean).join("、") : [share?.word, t.pre, t.post].filter(Boolean).join("、"),
        metric: phrase,
        ...(share ? { base: share.base } : {}),
        quote: text.slice(qs, qe),
        quoteStart: qs,
        role: j.role!,
        reason: j.reason,
        ...yearAt(t.start),
      });
    });
    prevClause = /[。；;！？!?\n]/.test(text[ce] ?? "。") ? "" : text.slice(cs, ce);
  }
  if (unit.kind === "row") out.push(...indicatorCells(unit, out), ...measuredCells(unit, out));
  else out.push(...tableLines(unit, out));
  return out.sort((a, b) => a.start - b.start);
}

/**
 * An indicator table printed inside a box (专栏1 主要指标: 接待游客总人次，单位：亿人次，2025年：11.2，…): each of its lines
 * is read as a row of its own, its figures placed in the box's text and quoted from the line.
 */
function tableLines(unit: Unit, found: Quantity[]): Quantity[] {
  const out: Quantity[] = [];
  let offset = 0;
  for (const line of unit.text.split("\n")) {
    if (offset > 0 && (INDICATOR_RE.test(line) || UNIT_COLUMN_RE.test(line))) {
      const row: Unit = { ...unit, kind: "row", text: line };
      const shifted = found.filter((q) => q.start >= offset && q.end <= offset + line.length).map((q) => ({ ...q, start: q.start - offset, end: q.end - offset }));
      for (const q of indicatorCells(row, shifted)) out.push({ ...q, start: q.start + offset, end: q.end + offset, quoteStart: q.quoteStart + offset });
    }
    offset += line.length + 1;
  }
  return out;
}

/** An indicator named with its measure in brackets, as indicator tables print it: 城市更新项目数（个）, 指标：堤防达标率（%）. */
const INDICATOR_RE = /^(?:(?:指标|指标名称|项目|名称)[：:])?([^，,：:]{2,40}?)[（(]([^（）()]{1,6})[)）]，/;
/** An indicator whose measure is a column of its own, as year-by-year target tables print it: 县域内就诊率，单位：%，2027年：88. */
const UNIT_COLUMN_RE = /^(?:(?:指标|指标名称|项目|名称)[：:])?([^，,：:]{2,40}?)，(?:计量)?单位[：:]([^，,：:\d]{1,6})，/;
/** A column named by a year alone (2027年, 2028年底): in an indicator table, that year's target. */
const YEAR_COLUMN_RE = /^(?:19|20)\d{2}年(?:底|末)?$/;
/**
 * A value cell after its column name: 2027年目标值：300以上; in brackets, a total over the whole period
 * (five-year plans print cumulative indicators so: 2030年：〔15〕).
 */
const VALUE_CELL_RE = /([^，,：:]{1,16})：([〔［[]?)(\d+(?:\.\d+)?)([〕］\]]?)(以上|左右|以内|以下)?(?=，|$)/g;

/**
 * The figures of an indicator table's row (城市更新项目数（个），2026年基期值：268，2027年目标值：300以上):
 * a bare number in a value column takes the measure the indicator names, and a target column makes it a goal.
 */
function indicatorCells(unit: Unit, found: Quantity[]): Quantity[] {
  const head = INDICATOR_RE.exec(unit.text) ?? UNIT_COLUMN_RE.exec(unit.text);
  if (!head) return [];
  const [, name, measure] = head as unknown as [string, string, string];
  const kind: Quantity["kind"] = measure === "%" ? "percent" : /元$/.test(measure) ? "money" : /亩|平方/.test(measure) ? "area" : /公里|米$/.test(measure) ? "length" : /年|月|天/.test(measure) ? "duration" : "count";
  const out: Quantity[] = [];
  // Year columns are the years' targets; without a column named for the base (基期值, 现状值), the first is the base year's value (2025年：20，2030年：80).
  const cells = [...unit.text.matchAll(VALUE_CELL_RE)];
  const hasBase = cells.some((m) => /基期|现状|基数|基准/.test(m[1]!));
  const firstYear = cells.find((m) => YEAR_COLUMN_RE.test(m[1]!))?.[1];
  const yearCount = cells.filter((m) => YEAR_COLUMN_RE.test(m[1]!)).length;
  const target = (column: string) => /目标|预期|规划/.test(column) || (YEAR_COLUMN_RE.test(column) && (hasBase || yearCount < 2 || column !== firstYear));
  for (const m of cells) {
    const [, column, open, digits, close, post = ""] = m as unknown as [string, string, string, string, string, string?];
    // An opened bracket that is not closed is no cell of this form.
    if (Boolean(open) !== Boolean(close)) continue;
    const start = m.index + column.length + 1;
    const end = start + open.length + digits.length + close.length + post.length;
    if (found.some((q) => q.start < end && q.end > start && q.role !== "date")) continue;
    const value = Number(digits);
    out.push({
      doc: unit.doc, ref: unit.ref, label: unit.label,
      figure: unit.text.slice(start, end), start, end, value, high: value,
      unit: measure === "%" ? "%" : measure, kind,
      bound: post === "以上" ? ">=" : post === "左右" ? "~" : post === "以内" || post === "以下" ? "<=" : "=",
      qualifier: [open ? "累计" : "", post].filter(Boolean).join("、"), metric: `${name}（${column}）`,
      quote: unit.text.slice(0, end), quoteStart: 0,
      role: target(column) ? "goal" : "other",
      reason: target(column) ? "an indicator table's target column" : "an indicator table's other column",
      ...(/(?:19|20)\d{2}/.test(column) ? { year: Number(/((?:19|20)\d{2})/.exec(column)![1]) } : {}),
    });
  }
  return out;
}

/** A figure cell after a column that names its measure: 新增托位（个）：720, 新建公办托育机构（家）：3. */
const MEASURED_CELL_RE = /(?<=^|，)([^，,：:（）()]{1,20})[（(]([^（）()]{1,6})[)）]：(\d+(?:\.\d+)?)(以上|左右|以内|以下)?(?=，|$)/g;

/**
 * The figures of a table row that is not an indicator's (鄞州区，新增托位（个）：720，新建公办托育机构（家）：3):
 * each figure cell counts what its column names, in the column's measure, for the row's subject.
 */
function measuredCells(unit: Unit, found: Quantity[]): Quantity[] {
  if (INDICATOR_RE.test(unit.text)) return [];
  const out: Quantity[] = [];
  for (const m of unit.text.matchAll(MEASURED_CELL_RE)) {
    const [, column, measure, digits, post = ""] = m as unknown as [string, string, string, string, string?];
    const start = m.index + m[0].length - digits.length - post.length;
    const end = start + digits.length + post.length;
    if (found.some((q) => q.start < end && q.end > start)) continue;
    const value = Number(digits);
    const kind: Quantity["kind"] = measure === "%" ? "percent" : /元$/.test(measure) ? "money" : /亩|平方/.test(measure) ? "area" : /公里|米$/.test(measure) ? "length" : "count";
    out.push({
      doc: unit.doc, ref: unit.ref, label: unit.label,
      figure: unit.text.slice(start, end), start, end, value, high: value,
      unit: measure, kind,
      bound: post === "以上" ? ">=" : post === "左右" ? "~" : post === "以内" || post === "以下" ? "<=" : "=",
      qualifier: post, metric: `${unit.heading}${column}`,
      quote: unit.text.slice(m.index, end), quoteStart: m.index,
      role: "goal",
      reason: "a table cell under a column that names its measure",
    });
  }
  return out;
}

/** Why a figure after 每 (每10万人口, 每3年) is no amount of its own. */
export const RATE_BASE = "the base of a rate (每…)";

/** The role of one figure and why; role undefined for an idiom that is no quantity (一户一档, 一批). */
function judge(text: string, cs: number, ce: number, t: Tok, next: Tok | undefined, masked: boolean[]): { role: QuantityRole | undefined; reason: string } {
  const before = text.slice(cs, t.preStart);
  const tail = text.slice(t.end, ce);
  const prevChar = text[t.start - 1] ?? "";
  if (t.chinese && t.value === 1 && /^(?:批|种|类|轮|起|道)$/.test(t.unit)) return { role: undefined, reason: "" }; // 一批, 新一轮: not a count
  if (t.chinese && /^[〇零一二两三四五六七八九十]/.test(tail)) return { role: undefined, reason: "" }; // 五位一体, 一户一档
  if (prevChar === "第") return { role: "numbering", reason: "an ordinal (第…)" };
  // Counting says 两: 二次污染, 二级 are labels, not two of anything.
  if (t.chinese && text[t.start] === "二" && t.end - t.start <= 1 + t.unit.length && !/[十百千]/.test(text[t.start + 1] ?? "")) return { role: undefined, reason: "" };
  if (masked[t.start]) return { role: "other", reason: "part of a quoted name" };
  if (/每$/.test(text.slice(cs, t.start))) return { role: "other", reason: RATE_BASE };
  if (next && /^(?:共|计|共计|合计)?$/.test(text.slice(t.end, next.start))) return { role: "other", reason: "groups the figure after it" };
  if (t.kind === "duration" && t.unit === "年" && t.value >= 1900 && t.value <= 2100) return { role: "date", reason: "a year" };
  const quoteBefore = t.preStart > 0 && CLOSE_QUOTES.includes(text[t.preStart - 1]!);
  if (quoteBefore && /^[\u4e00-\u9fff]/.test(tail)) return { role: "other", reason: "counts the quoted names before it" };
  if (/^[“"]?[^，,。；”]*?(?:分钟|小时)/.test(tail) && t.kind === "count") return { role: "other", reason: "counts named time circles" };
  // 15分钟生活圈, 三年行动: a span naming a thing, not an amount of time to meet.
  if (t.kind === "duration" && !t.pre && !t.post && /^[\u4e00-\u9fff“"]/.test(tail) && !/^[在从到内后前起以为由对于的一]/.test(tail)) return { role: "other", reason: "a span naming what follows" };
  if (t.pre === "" && BASELINE_RE.test(tail)) return { role: "other", reason: "baseline" };
  if (/^的?$/.test(tail.trim()) && /^的/.test(tail) && text[ce] !== "。") return { role: "condition", reason: "a condition (…的，)" };
  if (/是$/.test(before) && !t.pre) return { role: "other", reason: "a description (是…)" };
  if (/^的/.test(tail) && !/^的(?:基础上|前提下|水平|目标|要求|规模)/.test(tail)) return { role: "condition", reason: `a threshold qualifying ${nounAfter(tail.slice(1)) || "what follows"}` };
  if (/的$/.test(tail.trim()) && text[ce] !== "。") return { role: "condition", reason: "a condition (…的，)" };
  if (CRITERION_RE.test(before)) return { role: "condition", reason: "a criterion to meet" };
  if (REPORTED_RE.test(before)) return { role: "other", reason: "a figure already reached" };
  return { role: "goal", reason: "a figure the plan sets" };
}

/**
 * What a share is taken of, when the plan says: 不低于采购金额的30% (base 采购金额, bound >=),
 * 年度药品总用量的60%—70%, 占总课时一半以上 (base 总课时). `from` is where that phrase starts.
 */
function shareOf(text: string, from: number, t: Tok): { word: string; bound?: Quantity["bound"]; base: string; from: number } | undefined {
  if (t.kind !== "percent" && t.kind !== "multiple") return undefined;
  const before = text.slice(from, t.preStart);
  const words = [...before.matchAll(SHARE_WORD_RE)];
  const last = words.at(-1);
  const hasDe = before.endsWith("的");
  if (!hasDe && last?.[0] !== "占") return undefined;
  const at = last ? last.index + last[0].length : 0;
  const base = stripLead(before.slice(at).replace(/的$/, ""));
  if ([...base].length < 2 || [...base].length > 24 || /\d/.test(base)) return undefined;
  // Without a bound word, …的60% is a share only when something is done with it (…的60%估算采购总量).
  if (!last && (t.pre || !/^[\u4e00-\u9fff]/.test(text.slice(t.end, t.end + 1)))) return undefined;
  const word = last && !/^(?:占|按|为)/.test(last[0]) ? last[0] : "";
  const bound = word ? SHARE_BOUND[word] : undefined;
  return { word, ...(bound ? { bound } : {}), base, from: from + (last ? last.index : 0) };
}
const SHARE_WORD_RE = /不低于|不少于|不超过|不高于|低于|高于|超过|达到|至少|控制在|保持在|稳定在|按照|按|占|为/g;
const SHARE_BOUND: Record<string, Quantity["bound"]> = { 不低于: ">=", 不少于: ">=", 至少: ">=", 达到: ">=", 不超过: "<=", 不高于: "<=", 低于: "<", 高于: ">", 超过: ">" };

/** The phrase a figure measures when the plan's wording rules found none. */
function metricOf(text: string, cs: number, ce: number, prevEnd: number, t: Tok, prevClause: string, cut?: number): string {
  const itemStart = prevEnd > cs ? prevEnd + (/[、和及与]/.test(text[prevEnd] ?? "") ? 1 : 0) : cs;
  const before = phraseBefore(text.slice(itemStart, cut ?? t.preStart)).replace(/^(?:共计|合计|共)$/, "");
  const tail = text.slice(t.end, ce);
  // A count before its noun counts that noun (选择…11个城市, 建立100个…基地).
  if (t.kind === "count") {
    const noun = nounAfter(tail);
    // A short noun takes the short verb before it: 每年召开两次会议 → 每年召开会议.
    if (noun) return [...noun].length <= 3 && [...before].length <= 6 ? before + noun : noun;
  }
  const action = nounAfter(tail.replace(/^[内后前]/, ""), true);
  // 经过三年左右时间，基本建成…: the span times what the next clause says.
  if (t.kind === "duration" && /^(?:的)?时间$/.test(tail.trim()) && /[，,]/.test(text[ce] ?? "")) {
    const next = text.slice(ce + 1).split(/[，,。；;\n]/)[0] ?? "";
    const what = nounAfter(stripLead(next), true);
    if (what) return what;
  }
  let metric = before;
  if ((t.kind === "duration" || cut !== undefined) && action) metric = before + action;
  else if (before.length < 2) metric = action || before;
  if ([...before].length < 2 && [...metric].length <= 4 && prevClause) metric = `${stripLead(prevClause)}，${metric}`;
  return metric;
}

/** The clause holding a figure, widened to the clause before when it is too short to read alone. */
function quoteSpan(text: string, cs: number, ce: number, t: Tok): [number, number] {
  let s = cs;
  while (/\s/.test(text[s] ?? "")) s++;
  if (ce - s < 12 && s > 0 && !/[。；;\n]/.test(text[cs - 1] ?? "。")) {
    // Back to the previous clause's start, one clause only (a lastIndexOf could run to the unit's start).
    let p = cs - 2;
    while (p >= 0 && !/[，,。；;\n]/.test(text[p]!)) p--;
    s = p + 1;
  }
  return [s, Math.max(ce, t.end)];
}

/** The clause holding offset at (binary search over the unit's clauses); undefined between clauses. */
function clauseAround(spans: Array<[number, number]>, at: number): [number, number] | undefined {
  let [lo, hi] = [0, spans.length - 1];
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [s, e] = spans[mid]!;
    if (at < s) hi = mid - 1;
    else if (at >= e) lo = mid + 1;
    else return [s, e];
  }
  return undefined;
}

/** 到2026年， / 2020年初步建成…: a year opening a clause sets the year of what follows in its paragraph. */
const YEAR_SET_RE = /(?:^|[\n，,。；;：:])[ \t]*(?:到|至)?(\d{4})年(?:底|末)?(?:[，,]|(?![度起以开中内前后至到—\-]|初(?!步)|\d))/g;

/** Looks up, for offsets asked in increasing order, the year their paragraph set before them: linear over the unit. */
function yearFinder(text: string): (at: number) => { year?: number } {
  const marks = [...text.matchAll(YEAR_SET_RE)].map((m) => ({ at: m.index + m[0].length, year: Number(m[1]) }));
  const breaks = [...text.matchAll(/\n/g)].map((m) => m.index);
  let [i, j, para] = [0, 0, -1];
  let last: { at: number; year: number } | undefined;
  return (at) => {
    if (at < (last?.at ?? -1) || (j > 0 && at < breaks[j - 1]!)) [i, j, para, last] = [0, 0, -1, undefined];
    while (j < breaks.length && breaks[j]! < at) para = breaks[j++]!;
    while (i < marks.length && marks[i]!.at <= at) last = marks[i++];
    return last && last.at > para ? { year: last.year } : {};
  };
}

