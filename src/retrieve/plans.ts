/**
 * The loaded plans as people name them: a catalogue with each plan's title, short name, issuers and
 * 文号, resolution of a user's choice (`--doc`, `/use`, `doc=`), and detection of a plan named in a
 * question (its title or part of it, its short name or an abbreviation, its 文号, or its issuer).
 * Everything is read from `doc.meta` where the parser provides it and derived from the title
 * otherwise, so it works with any plan.
 */
import { withoutIssuers } from "../plan/meta.js";
import type { PlanDocument } from "../plan/types.js";
import { normalizeText, segmenter } from "./text.js";
import { GENRE_ALT } from "../plan/genres.js";

/** What a user sees of one loaded plan, and what its name is matched on. */
export interface PlanInfo {
  id: string;
  /** A short name for citations: 职业教育改革方案. */
  shortName: string;
  title: string;
  issuers: string[];
  /** 文号 as printed (国办发〔2018〕128号), when the plan has one. */
  docNumber?: string;
  /** ISO date of issue, when known. */
  date: string | null;
  /** Other names the plan goes by (from the metadata). */
  aliases: string[];
}

/** A plan named in a question, and the text that names it. */
export interface PlanMention {
  doc: string;
  /** The span of the (normalised) question that names the plan. */
  span: string;
  how: "title" | "short-name" | "abbreviation" | "doc-number" | "issuer";
}

/** A user's plan choice that matches no loaded plan; the message lists the plans. */
export class UnknownPlanError extends Error {
  override readonly name = "UnknownPlanError";
}

/** Words that make a title a plan rather than name its subject. */
const TYPE_WORDS = /(实施方案|工作方案|行动方案|试点方案|方案|行动计划|计划|实施意见|指导意见|意见|规划|工作要点|要点|办法|通知|通告|条例|纲要)$/;
/** Words in a title that say nothing about which plan it is. */
const GENERIC = new Set("国家 全国 关于 组织 实施 工作 试点 建设 开展 推进 推动 进一步 加快 加强 深化 全面 和 及 与 的 以 使用 印发 有关 做好 年度 若干 专项 行动".split(" "));
/** A question word that refers to a plan as a document, with the words that qualify its kind (实施方案, 工作要点). */
const PLAN_WORD = new RegExp(`^[的里中之]?(?:实施|工作|行动|专项|管理|暂行)?(${GENRE_ALT}|文件|试点|这份|这个)`);
// The organ's code ends in 发, 函, 字 — or anything (发改能源规, 财建) when the year is in 〔〕.
const DOC_NUMBER = /([\u4e00-\u9fff]{0,7}(?:[发函字规]|[\u4e00-\u9fff](?=\s*[〔［\[【])))\s*[〔\[［(（【]\s*(\d{4})\s*[〕\]］)）】]\s*(\d{1,4})\s*号/;

/** Removes quotes and book-title marks, which people type or leave out at will. */
function bare(text: string): string {
  return normalizeText(text).replace(/["'《》〈〉「」『』\s]/g, "");
}

/** The 文号 in a text, as printed: 国办发〔2018〕128号 (the organ's code is at most five characters). */
function findDocNumber(text: string): { text: string; organ: string; key: string } | undefined {
  const m = DOC_NUMBER.exec(normalizeText(text));
  if (!m) return undefined;
  const organ = m[1]!.split(/通知|关于|印发/).pop()!.slice(-5);
  const start = m[0].indexOf(organ, m[0].length - m[0].slice(m[1]!.length).length - organ.length);
  return { text: m[0].slice(Math.max(0, start)), organ, key: `${m[2]}|${Number(m[3])}` };
}

/** Whether two 文号 are the same: same year and number, and one organ code ends the other (国办发, 发). */
function sameDocNumber(a: string, b: string): boolean {
  const x = findDocNumber(a);
  const y = findDocNumber(b);
  return Boolean(x && y && x.key === y.key && (x.organ.endsWith(y.organ) || y.organ.endsWith(x.organ)));
}

/** The plan's own title: the metadata's, or — when that is the notice's first line — the 《…》 it issues. */
function planTitle(doc: PlanDocument): string {
  const raw = doc.meta.title.replace(/\s+/g, "");
  const issued = /关于印发(.+?)(?:的通知)?$/.exec(raw)?.[1];
  if (!issued) return raw;
  // The notice names the plan it issues in 《》: the whole title even when the notice title was cut.
  for (const u of doc.units.slice(0, 3)) {
    for (const m of u.text.matchAll(/《([^《》]{4,80})》/g)) if (TYPE_WORDS.test(m[1]!) && m[1]!.includes(issued.replace(/[“”"]/g, "").slice(0, 4))) return m[1]!;
  }
  return issued.replace(/^《|》$/g, "");
}

/** The title without its type word, leading year and wrapper: 国家职业教育改革. */
function coreOf(title: string): string {
  let core = withoutIssuers(bare(title)).replace(/^关于/, "").replace(/(19|20)\d{2}年(度)?/g, "");
  for (let i = 0; i < 3 && TYPE_WORDS.test(core); i++) core = core.replace(TYPE_WORDS, "");
  return core;
}

/** The words of a title that say which plan it is (国家, 实施, 方案 say nothing). */
function contentWords(core: string): string[] {
  return segmenter().cut(core, false).filter((w) => !GENERIC.has(w) && /[\u4e00-\u9fff]/.test(w));
}

/** A short name: the title's quoted term or its first content words, then its type (方案). */
function deriveShortName(title: string): string {
  const type = /(方案|计划|意见|规划|要点|办法|纲要|通知)$/.exec(title.replace(/[》\s]/g, ""))?.[1] ?? "方案";
  const quoted = /[“"]([^”"]{2,10})[”"]/.exec(title)?.[1];
  if (quoted) return `${quoted}${type}`;
  let name = "";
  for (const w of contentWords(coreOf(title))) {
    if (name.length >= 6) break;
    name += w;
  }
  return `${name || coreOf(title).slice(0, 8)}${type}`;
}

/** Issuers from the metadata, or the title's lead (国务院办公厅关于印发… → 国务院办公厅). */
function issuersOf(doc: PlanDocument): string[] {
  if (doc.meta.issuers.length) return doc.meta.issuers;
  const lead = /^(.{2,20}?)关于/.exec(doc.meta.title.replace(/\s+/g, ""))?.[1];
  return lead && !/\d/.test(lead) ? [lead] : [];
}

/** The 文号: from any metadata field that holds one, else from the opening units' text. */
function docNumberOf(doc: PlanDocument): string | undefined {
  for (const v of Object.values(doc.meta as Record<string, unknown>)) if (typeof v === "string" && DOC_NUMBER.test(v)) return findDocNumber(v)!.text;
  for (const u of doc.units.filter((x) => x.kind === "notice" || x.kind === "preamble")) {
    const m = findDocNumber(u.text.slice(0, 400));
    if (m) return m.text;
  }
  return undefined;
}

/** Abbreviations of consecutive content words (职业教育 → 职教, 集中采购 → 集采, 职教改革). */
function abbreviations(words: string[]): string[] {
  const out = new Set<string>();
  for (let i = 0; i < words.length; i++) {
    for (let j = i + 2; j <= Math.min(words.length, i + 4); j++) {
      const window = words.slice(i, j);
      // Each two-character word may shrink to its first character; at least two must, or it is not an abbreviation.
      const forms = window.reduce<Array<{ s: string; cut: number }>>((acc, w) => acc.flatMap((a) => [{ s: a.s + w, cut: a.cut }, ...(w.length === 2 ? [{ s: a.s + w[0], cut: a.cut + 1 }] : [])]), [{ s: "", cut: 0 }]);
      for (const f of forms) if (f.cut >= 2) out.add(f.s);
    }
  }
  return [...out];
}

interface Names {
  info: PlanInfo;
  core: string;
  words: string[];
  /** Whole names: the short name, aliases and the title's quoted terms. */
  whole: string[];
  abbrevs: string[];
  /** How many sections, articles or tasks the plan numbers straight through (职教 plan: 20 sections), for nicknames like 职教20条. */
  counts: number[];
}

const HAN_NUMBER: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** 20, 二十, 十, 三十五 as a number. */
function countValue(text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  const m = /^([二三四五六七八九])?(十)?([一二三四五六七八九])?$/.exec(text);
  if (!m || (!m[2] && (m[1] || !m[3]))) return m && !m[2] && m[3] ? HAN_NUMBER[m[3]] : undefined;
  return (m[1] ? HAN_NUMBER[m[1]]! : 1) * 10 + (m[3] ? HAN_NUMBER[m[3]]! : 0);
}

/** The counts of the kinds of units a plan numbers straight through, 1 to N with no restart. */
function straightCounts(doc: PlanDocument): number[] {
  const out: number[] = [];
  for (const kind of ["section", "article", "task"] as const) {
    const numbers = doc.units.filter((u) => u.kind === kind && !u.ref.startsWith("annex")).map((u) => u.number ?? 0);
    if (numbers.length >= 3 && numbers.every((n, i) => n === i + 1)) out.push(numbers.length);
  }
  return out;
}

/** A nickname that counts the plan's articles: 职教20条, 国十条 (a name, not 第20条). */
const COUNT_NICKNAME = /(?<!第)([\u4e00-\u9fff]{1,4}?)(\d{1,3}|[一二三四五六七八九十]{1,3})条/g;

/**
 * The catalogue of loaded plans.
 * @example const plans = new PlanCatalog(docs); plans.named("职教改革方案第五部分讲什么") // [{ doc: "…zhijiao…", … }]
 */
export class PlanCatalog {
  readonly plans: PlanInfo[];
  private readonly names: Names[];

  constructor(docs: readonly PlanDocument[]) {
    this.names = docs.map((d) => {
      const meta = d.meta as PlanDocument["meta"] & { shortName?: unknown; aliases?: unknown };
      const title = planTitle(d);
      const shortName = typeof meta.shortName === "string" && meta.shortName ? meta.shortName : deriveShortName(title);
      const aliases = Array.isArray(meta.aliases) ? meta.aliases.filter((a): a is string => typeof a === "string" && a.length >= 2) : [];
      const docNumber = docNumberOf(d);
      const info: PlanInfo = { id: d.id, shortName, title, issuers: issuersOf(d), ...(docNumber ? { docNumber } : {}), date: d.meta.date, aliases };
      const core = coreOf(title);
      const words = contentWords(core);
      const quoted = [...title.matchAll(/[“"]([^”"]{2,12})[”"]/g)].map((m) => bare(m[1]!));
      const whole = [...new Set([bare(shortName), ...aliases.map(bare), ...quoted, bare(title), core].filter((s) => s.length >= 2))];
      return { info, core, words, whole, abbrevs: abbreviations(words), counts: straightCounts(d) };
    });
    this.plans = this.names.map((n) => n.info);
  }

  /** A plan by id. */
  get(id: string): PlanInfo | undefined {
    return this.plans.find((p) => p.id === id);
  }

  /** The short name to cite a plan by, once more than one plan is loaded; undefined with one plan. */
  citeName(doc: string): string | undefined {
    return this.plans.length > 1 ? this.get(doc)?.shortName : undefined;
  }

  /**
   * A user's choice of plan: its id, short name, an alias, its 文号, a unique part of its id or title,
   * or a name as a question would give it. Throws {@link UnknownPlanError} listing the plans.
   */
  resolve(choice: string): PlanInfo {
    const c = choice.trim();
    const b = bare(c);
    const exact = this.names.filter((n) => n.info.id === c || n.whole.includes(b) || n.abbrevs.includes(b) || (n.info.docNumber && sameDocNumber(n.info.docNumber, c)));
    if (exact.length === 1) return exact[0]!.info;
    const partial = b.length >= 2 ? this.names.filter((n) => n.info.id.toLowerCase().includes(c.toLowerCase()) || bare(n.info.title).includes(b) || bare(n.info.shortName).includes(b)) : [];
    if (partial.length === 1) return partial[0]!.info;
    const named = [...new Set(this.named(c).map((m) => m.doc))];
    if (named.length === 1) return this.get(named[0]!)!;
    throw new UnknownPlanError(`${partial.length > 1 ? `“${c}”对应多份方案` : `没有找到方案“${c}”`}。可选的方案 / loaded plans:\n${this.list()}`);
  }

  /** One line per plan: id, short name and title. */
  list(): string {
    return this.plans.map((p) => `  ${p.id}  ${p.shortName}  《${p.title}》`).join("\n");
  }

  /**
   * The plans a question names, strongest evidence first. A title (or most of it), a short name, an
   * abbreviation (职教方案, 药品集采) or a 文号 names a plan; an issuer names one only when it issued
   * just one of the loaded plans. With one plan loaded, nothing needs naming: empty.
   */
  named(question: string): PlanMention[] {
    if (this.plans.length < 2) return [];
    const q = bare(question);
    const found: Array<PlanMention & { strong: boolean }> = [];
    const asked = findDocNumber(question);
    if (asked) for (const n of this.names) if (n.info.docNumber && sameDocNumber(n.info.docNumber, asked.text)) found.push({ doc: n.info.id, span: asked.text, how: "doc-number", strong: true });
    const plannish = (s: string) => PLAN_WORD.test(q.slice(q.indexOf(s) + s.length).replace(/^(那个|这个|那份|这份|的)/, ""));
    for (const n of this.names) {
      const span = this.titleSpan(q, n);
      if (span) found.push({ doc: n.info.id, span: span.text, how: span.how, strong: span.how === "short-name" || plannish(span.text) });
    }
    // 职教20条, 国十条: the plan's own count of articles after a piece of its name or its issuer's.
    for (const m of q.matchAll(COUNT_NICKNAME)) {
      const n = countValue(m[2]!);
      const prefix = m[1]!;
      const tails = [...prefix].map((_, i) => prefix.slice(i));
      const fits = this.names.filter((x) => n !== undefined && x.counts.includes(n) && tails.some((t) => (t.length >= 2 ? x.abbrevs.includes(t) || isSubsequence(t, x.core) : x.info.issuers.some((iss) => bare(iss).startsWith(t)))));
      if (fits.length === 1) found.push({ doc: fits[0]!.info.id, span: m[0].slice(m[0].indexOf(prefix)), how: "abbreviation", strong: true });
    }
    // "浙江那个方案": an issuer's place or body followed by 方案 names that issuer's plan.
    for (const [core, docs] of this.issuerCores()) {
      if (docs.length === 1 && q.includes(core) && plannish(core)) found.push({ doc: docs[0]!, span: core, how: "issuer", strong: true });
    }
    // Where one plan is named as a plan (…方案) and another's title words only appear, the first is meant.
    const strongest = found.some((m) => m.strong) ? found.filter((m) => m.strong) : found;
    // A longer name wins where one plan's name is part of another's.
    const kept: PlanMention[] = strongest
      .filter((m) => !strongest.some((o) => o !== m && o.doc !== m.doc && o.span.length > m.span.length && o.span.includes(m.span)))
      .map(({ strong: _s, ...m }) => m);
    if (kept.length === 0) {
      const byIssuer = this.byIssuer(question);
      if (byIssuer.plans.length === 1) kept.push({ doc: byIssuer.plans[0]!, span: byIssuer.issuer!, how: "issuer" });
    }
    return kept;
  }

  /** The plans issued by an issuer the question names (longest name first: 国务院办公厅 before 国务院). */
  byIssuer(question: string): { issuer?: string; plans: string[] } {
    let q = bare(question);
    const issuers = [...new Set(this.plans.flatMap((p) => p.issuers.map(bare)))].sort((a, b) => b.length - a.length);
    for (const issuer of issuers) {
      if (!q.includes(issuer)) continue;
      const plans = this.plans.filter((p) => p.issuers.map(bare).includes(issuer)).map((p) => p.id);
      if (plans.length) return { issuer, plans };
      q = q.replaceAll(issuer, " ");
    }
    return { plans: [] };
  }

  /** Issuers' places and bodies (浙江, 国务院) and the plans each issued. */
  private issuerCores(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const p of this.plans) {
      for (const issuer of p.issuers) {
        const core = bare(issuer).replace(/^中共/, "").replace(/(省|市|自治区|县|区)?(委员会|委|人民政府|政府|办公厅|办公室)+$/, "");
        if (core.length < 2) continue;
        const list = out.get(core) ?? [];
        if (!list.includes(p.id)) list.push(p.id);
        out.set(core, list);
      }
    }
    return out;
  }

  /** Removes the words that name a plan, so that they do not count as the question's topic. */
  stripNames(question: string, mentions: PlanMention[]): string {
    let q = bare(question);
    for (const m of mentions) {
      const i = q.indexOf(bare(m.span));
      if (i < 0) continue;
      const rest = q.slice(i + bare(m.span).length).replace(PLAN_WORD, "").replace(/^[的里中]/, "");
      q = `${q.slice(0, i)} ${rest}`;
    }
    return q.replace(/^[\s,，、的里中]+/, "").trim();
  }

  /** The question's span that names this plan by its title, short name or an abbreviation. */
  private titleSpan(q: string, n: Names): { text: string; how: PlanMention["how"] } | undefined {
    const others = this.names.filter((o) => o !== n);
    const distinctive = (s: string) => !others.some((o) => o.whole.some((w) => w.includes(s)) || o.core.includes(s));
    for (const w of [...n.whole].sort((a, b) => b.length - a.length)) {
      if (w.length >= 2 && q.includes(w) && distinctive(w)) return { text: w, how: w === bare(n.info.shortName) ? "short-name" : "title" };
    }
    const plannish = (s: string) => PLAN_WORD.test(q.slice(q.indexOf(s) + s.length));
    // Every way the question may name the plan; the longest wins.
    const spans: Array<{ text: string; how: PlanMention["how"] }> = [];
    // Most of the title (职业教育改革), or part of it followed by 方案 (教育改革方案).
    const common = longestCommon(q, n.core);
    const content = n.words.join("").length;
    const covered = n.words.filter((w) => common.includes(w)).join("").length;
    if (common.length >= 4 && distinctive(common) && (covered >= 0.75 * content || plannish(common))) spans.push({ text: common, how: "title" });
    // One word of the title that no other plan's title has, as the name of a plan: 书屋方案, 养老方案.
    for (const w of n.words) if (w.length >= 2 && q.includes(w) && plannish(w) && distinctive(w)) spans.push({ text: w, how: "title" });
    // The title shortened by leaving words out, before 方案: 清水河流域治理方案, 药品采购方案.
    for (const m of q.matchAll(/([\u4e00-\u9fff]{3,14}?)(?:的)?(?:方案|计划|文件|意见|规划|预案|指南|细则|措施|纲要|办法|要点|通告|条例)/g)) {
      const run = m[1]!;
      const s = [...run].map((_, i) => run.slice(i)).find((x) => x.length >= 3 && isSubsequence(x, n.core) && !others.some((o) => isSubsequence(x, o.core)));
      if (s) spans.push({ text: s, how: "abbreviation" });
    }
    // A two-character abbreviation (职教, 集采) is a common word too: only with 方案 after it.
    for (const a of n.abbrevs) if (q.includes(a) && distinctive(a) && (plannish(a) || a.length >= 3)) spans.push({ text: a, how: "abbreviation" });
    return spans.sort((a, b) => b.text.length - a.text.length)[0];
  }
}

/** Whether the characters of `s` appear in `text` in order. */
function isSubsequence(s: string, text: string): boolean {
  let j = 0;
  for (const c of text) if (c === s[j]) j++;
  return j === s.length;
}

/** The longest common substring of two short strings. */
function longestCommon(a: string, b: string): string {
  let best = "";
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < b.length; j++) {
      let k = 0;
      while (i + k < a.length && j + k < b.length && a[i + k] === b[j + k]) k++;
      if (k > best.length) best = a.slice(i, i + k);
    }
  }
  return best;
}
