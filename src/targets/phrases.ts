/**
 * How a goal is worded: the metric a value measures, in the plan's own words, and the hedge words
 * around it (78万亩 → 新建和改造提升高标准农田; 76.5%左右 → 全省常住人口城镇化率, 达到、左右).
 *
 * A clause's figures (see scan.ts) that are joined only by 、/和 form a run (1530万亩以上和125亿斤以上).
 * What follows a run decides its role:
 * - 的 → a threshold qualifying a noun (产值超10亿元的全产业链), not a target;
 * - 提高到/下降到… → a baseline (由60%提高到75%), not a target;
 * - a connector or the clause end → the value of the words before it (suffix form: 高标准农田78万亩);
 * - a noun → a count of that noun (prefix form: 为1万名退役军人提供就业帮扶), worded only after a verb.
 */
import { splitOutsideBrackets } from "../plan/brackets.js";
import type { Target } from "./types.js";
import { CLOSE_QUOTES, type Tok } from "./scan.js";

const BASELINE_RE = /^(?:提高|提升|增加|增长|下降|降低|缩小|扩大|减少)(?:到|至)/;
/** Hedges that open a clause; they are qualifiers, not part of what is measured. */
const LEAD_HEDGE_RE = /^(?:力争|争取|确保|继续)/;
/** Direction words kept in the metric (新增改善灌溉面积) but also reported as qualifiers. */
const INNER_WORD_RE = /累计|新增|分别/g;
/** Verbs that open a list and apply to every item of it: 新建A 25个、B 300个. */
const LEAD_VERB_RE = /^(?:累计|新增|新建|建成|建设|培育|打造|创建|完成|选派|引进|改造|更新改造|认定)+/;
/** A number counting the noun after it (7个灌区) is a target only after one of these verbs. */
const PREFIX_VERB_RE = /新增|新建|建成|建设|培育|打造|创建|完成|推进|带动|为|提供|实施|支持|帮扶|选派|培训|引进|扶持|改造|整治|覆盖|惠及/;
/** Verbs before an object in a clause that names the thing a short metric is about (实施闲置农房盘活行动). */
const ACTION_VERB_RE = /(?:实施|开展|推进|推动|深化|加快|加强|启动|组织)/g;
/** Words that name what a subject is measured by, so a list can share them (粮食播种面积、产量 → 粮食产量). */
const MEASURES = "比例|比重|占比|面积|产量|产值|数量|总量|规模|人数|保有量";
const ACTIVITY = "(?:种植|播种|养殖|收获)?";
const MEASURE_WORD = `${ACTIVITY}(?:${MEASURES}|[\\u4e00-\\u9fff]{0,2}率)`;
/** A measure ending a subject; a rate keeps a two-character stem (覆盖率, not 率) so it can be lent whole. */
const MEASURE_TAIL_RE = new RegExp(`(?:${ACTIVITY}(?:${MEASURES})|[\\u4e00-\\u9fff]{2}率)$`);
const BARE_MEASURE_RE = new RegExp(`^${MEASURE_WORD}$`);
const MEASURE_END_RE = new RegExp(`${MEASURE_WORD}$`);

type Role = "suffix" | "prefix" | "modifier" | "baseline";
interface Run {
  toks: Tok[];
  role: Role;
}

/** The wording of one figure: its metric, hedges and a short verbatim quote starting at index; `at` is the figure's start. */
export type Found = Pick<Target, "metric" | "value" | "unit" | "qualifier" | "quote"> & { index: number; at: number };

/** The worded targets of one clause [cs, ce), given its figures in text order. */
export function readClause(text: string, cs: number, ce: number, toks: Tok[], prevClause: string): Found[] {
  const runs = groupRuns(text, toks, ce);
  const out: Found[] = [];
  let itemStart = cs;
  /** The first item's opening verb and hedges, shared by the items that follow it (新增培育A 200人、B 2000人). */
  let shared: { verb: string; words: string[] } | undefined;
  for (const run of runs) {
    if (run.role === "modifier" || run.role === "baseline") continue;
    const quoteStart = skipSpace(text, itemStart);
    if (run.role === "prefix") {
      let tok = run.toks[0]!;
      if (!isCountTarget(text, cs, ce, tok)) continue;
      // 为1万名退役军人提供…: here 为 is "for", part of the phrase, not a hedge.
      if (tok.pre === "为") tok = { ...tok, pre: "", preStart: tok.start };
      const region = readRegion(text.slice(itemStart, tok.preStart));
      // The counted noun ends where the next figure's words begin: 建设50所…学校和150个…专业 holds two counts.
      const next = runs[runs.indexOf(run) + 1]?.toks[0];
      let stop = next ? next.preStart : ce;
      while (stop > tok.end && /[\s、和及与，]/.test(text[stop - 1]!)) stop--;
      const metric = region.metric + text.slice(tok.end, stop).trim();
      out.push(found(metric, tok, qualifier(region.words, tok.pre, tok.post), text, quoteStart, stop));
      itemStart = next ? next.preStart : ce;
      continue;
    }
    const end = metricEnd(text, itemStart, run, runs);
    const region = readRegion(text.slice(itemStart, end));
    const metrics = runMetrics(text, itemStart, end, run, runs);
    if (!shared) shared = { verb: LEAD_VERB_RE.exec(region.metric)?.[0] ?? "", words: region.words };
    else if (!LEAD_VERB_RE.test(region.metric)) {
      for (let i = 0; i < metrics.length; i++) metrics[i] = shared.verb + metrics[i];
      region.words = [...shared.words.filter((w) => !region.words.includes(w)), ...region.words];
    }
    const last = run.toks.at(-1)!;
    run.toks.forEach((tok, i) => {
      let metric = metrics[i] ?? region.metric;
      if (run.toks.length === 1) metric = withContext(metric, prevClause);
      const q = qualifier(region.words, tok.pre || run.toks[0]!.pre, tok.post || last.post);
      out.push(found(metric, tok, q, text, quoteStart, tok.end));
    });
    itemStart = last.end + (/[、和及与]/.test(text[last.end] ?? "") ? 1 : 0);
  }
  return out;
}

function found(metric: string, tok: Tok, qualifier: string, text: string, from: number, to: number): Found {
  return { metric: tidy(metric), value: tok.value, unit: tok.unit, qualifier, quote: text.slice(from, to).trimEnd(), index: from, at: tok.start };
}

/** Groups tokens joined only by 、/和 into runs and decides each run's role from what follows it. */
function groupRuns(text: string, toks: Tok[], ce: number): Run[] {
  const runs: Run[] = [];
  let cur: Tok[] = [];
  const close = () => {
    if (cur.length === 0) return;
    const tail = text.slice(cur.at(-1)!.end, ce);
    const role: Role =
      cur.length === 1 && BASELINE_RE.test(tail) ? "baseline"
      : tail.startsWith("的") ? "modifier"
      : tail === "" || /^[、和及与]/.test(tail) ? "suffix"
      : "prefix";
    runs.push({ toks: cur, role });
  };
  for (const t of toks) {
    const prev = cur.at(-1);
    // Only a connector joins values: 由60%提高到75% is a baseline and a target, not a list.
    if (prev && /^[、和及与]$/.test(text.slice(prev.end, t.preStart))) cur.push(t);
    else {
      close();
      cur = [t];
    }
  }
  close();
  return runs;
}

/** A count before its noun (7个灌区) is a target after a verb, unless it counts quoted names or N-minute circles. */
function isCountTarget(text: string, cs: number, ce: number, tok: Tok): boolean {
  const before = text[tok.preStart - 1];
  if (before && CLOSE_QUOTES.includes(before)) return false; // “强城”“兴村”“融合”三篇文章
  if (/^[“"]?[^，,。；”]*?(?:分钟|小时)/.test(text.slice(tok.end, ce))) return false; // 3个“半小时交通圈”
  return PREFIX_VERB_RE.test(text.slice(cs, tok.start));
}

/** Where the words naming a run's metric end: before its value, or before a baseline (占比由60%提高到75% → 占比). */
function metricEnd(text: string, itemStart: number, run: Run, runs: Run[]): number {
  const end = run.toks[0]!.preStart;
  const base = runs.find((r) => r.role === "baseline" && r.toks[0]!.preStart >= itemStart && r.toks[0]!.end <= end);
  if (!base) return end;
  const at = base.toks[0]!.preStart;
  return /[由从]/.test(text[at - 1] ?? "") ? at - 1 : at;
}

/** One metric per value of a run: pairs 分别-lists and thresholds (超10亿元、超100亿元的…145条、15条). */
function runMetrics(text: string, s: number, e: number, run: Run, runs: Run[]): string[] {
  const n = run.toks.length;
  const raw = text.slice(s, e);
  if (n === 1) return [readRegion(raw).metric];
  const mod = runs.find((r) => r.role === "modifier" && r.toks.length === n && r.toks[0]!.preStart >= s && r.toks.at(-1)!.end <= e);
  if (mod) {
    const head = text.slice(s, mod.toks[0]!.preStart);
    const tail = text.slice(mod.toks.at(-1)!.end, e);
    return mod.toks.map((t) => readRegion(head + text.slice(t.preStart, t.end) + tail).metric);
  }
  const split = raw.indexOf("分别");
  const subjects = readRegion(split >= 0 ? raw.slice(0, split) : raw).metric;
  const rest = split >= 0 ? readRegion(raw.slice(split + 2)).metric : "";
  const parts = splitList(subjects, n);
  return parts ? distribute(parts).map((p) => p + rest) : Array(n).fill(subjects + rest);
}

/** Splits 粮食播种面积、产量 into n subjects: on 、 first, then on 、 and 和 (和 also starts words such as 和美). */
function splitList(s: string, n: number): string[] | undefined {
  for (const sep of [/[、]/, /[、和]/]) {
    const parts = splitOutsideBrackets(s, sep).filter(Boolean);
    if (parts.length === n) return parts;
  }
  return undefined;
}

/** Shares a subject's head or tail across a list: 粮食播种面积、产量 → 粮食产量; A县和B县比例 → A县比例. */
function distribute(parts: string[]): string[] {
  const last = parts.at(-1)!;
  const tail = MEASURE_TAIL_RE.exec(last)?.[0];
  const head = parts[0]!.replace(MEASURE_END_RE, "");
  return parts.map((p, i) => {
    if (i > 0 && BARE_MEASURE_RE.test(p) && head && head !== parts[0]) return head + p;
    if (i < parts.length - 1 && tail && tail !== last && !MEASURE_TAIL_RE.test(p)) return p + tail;
    return p;
  });
}

/**
 * The words before a value: drops heading numbers, dates and opening hedges, and reports the
 * hedges and direction words (力争, 累计, 新增, 分别) it saw, in text order.
 */
function readRegion(raw: string): { metric: string; words: string[] } {
  const words: string[] = [];
  let s = raw.trim().replace(/^(?:\d+[.．、]|[（(][一二三四五六七八九十]+[)）])/, "");
  for (let prevLen = -1; prevLen !== s.length; ) {
    prevLen = s.length;
    s = s.replace(/^(?:到|至)?\d{4}年(?:底|末)?(?!度)[，,]?|^(?:其中|同时|并且|并|且)/, "").trim();
    const h = LEAD_HEDGE_RE.exec(s);
    if (h) (words.push(h[0]), (s = s.slice(h[0].length)));
  }
  for (const m of s.matchAll(INNER_WORD_RE)) if (!words.includes(m[0])) words.push(m[0]);
  return { metric: s.replace(/分别/g, ""), words };
}

/** A metric that is only a verb (新增盘活) takes its object from the clause before (实施闲置农房盘活行动 → 新增盘活闲置农房). */
function withContext(metric: string, prevClause: string): string {
  const core = metric.replace(/累计|新增|新建/g, "");
  if (core.length >= 3 || !prevClause) return metric;
  const prev = prevClause.trim();
  const verb = [...prev.matchAll(ACTION_VERB_RE)].at(-1);
  const object = verb ? prev.slice(verb.index + verb[0].length) : prev;
  const at = core ? object.indexOf(core) : -1;
  return at > 0 ? metric + object.slice(0, at) : (object || prev) + metric;
}

function qualifier(words: string[], pre: string, post: string): string {
  const all = [...words, pre, post].filter(Boolean);
  return all.filter((w, i) => all.indexOf(w) === i).join("、");
}

/** Trims punctuation, spaces and a dangling 的 or connector from a metric (a leading 和 may start a word: 和美乡村). */
function tidy(metric: string): string {
  return metric.replace(/\s+/g, "").replace(/^[、,，]+|[、和及与,，的]+$/g, "");
}

/** The year a paragraph sets before the target (2026年,… / 到2026年底,…). */
export function yearOf(text: string, index: number): { year?: number } {
  const para = text.slice(text.lastIndexOf("\n", index) + 1, index);
  const all = [...para.matchAll(/(?:到|至)?(\d{4})年(?:底|末)?[，,]/g)];
  const y = all.at(-1)?.[1];
  return y ? { year: Number(y) } : {};
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && /\s/.test(text[i]!)) i++;
  return i;
}
