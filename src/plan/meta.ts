import { splitOutsideBrackets } from "./brackets.js";
import type { Notice } from "./frontmatter.js";
import type { InfoBox } from "./infobox.js";
import { splitOrgans, titleLead, type Issuance } from "./issuance.js";
import { parseDate } from "./lines.js";
import type { DocMeta, Unit } from "./types.js";
import { tidyTitle } from "./units.js";
import { GENRES } from "./genres.js";

/** Kinds of policy document: the compounds first (规划纲要 before 纲要, 办事指南 before 指南), then every kind a title ends with. */
const DOC_KINDS = ["规划纲要", "办事指南", "服务指南", "申报指南", ...GENRES, "规则", "标准", "清单", "政策"];
/** Words that qualify a kind without naming the topic: 实施方案, 工作要点, 行动计划, 若干措施. */
const KIND_QUALIFIERS = /(?:总体|实施|工作|行动|试点|建设|专项|三年|五年|中长期|若干|有关|配套|指导|管理|暂行|高质量发展|的)+$/;
/** Openings that name who or where rather than what: 关于, 国家组织, 2026年, 浙江省. */
const OPENINGS = [
  /^关于/,
  /^(?:\d{4}|[〇一二三四五六七八九零]{4})(?:\s*[-—–至到]\s*(?:\d{4}|[〇一二三四五六七八九零]{4}))?年度?/,
  /^(?:国家组织|国务院|国家|全国|中央|中共中央)/,
  /^[“"]?十[一二三四五六七八九]五[”"]?(?:时期|期间)?/,
  /^(?!节省|反省)[\u4e00-\u9fff]{1,4}?(?:省|自治区|特别行政区)/,
  // A city only before a year or 关于: 市场, 城市 and 推进城市 are not places.
  /^[\u4e00-\u9fff]{1,3}[市县区](?=\d{4}|[〇一二三四五六七八九零]{4}|关于)/,
  // 加快发展乡村托育服务: 发展 is the how, not the topic (发展改革 is a topic).
  /^(?:进一步|全面|加快|加强|深化|推进|推动|促进|做好|完善|支持|开展|发展(?!改革))/,
];
/** Common shortenings in policy names (职业教育 → 职教, 集中采购 → 集采). */
const SHORTENINGS: Array<[RegExp, string]> = [
  [/职业教育/g, "职教"],
  [/集中采购/g, "集采"],
  [/医疗保障/g, "医保"],
  [/(?:基本)?医疗保险/g, "医保"],
  [/国有企业/g, "国企"],
  [/科学技术/g, "科技"],
  [/共同富裕/g, "共富"],
  // 充电基础设施 → 充电设施 (a qualified 基础设施; 新型基础设施 is 新基建).
  [/新型基础设施/g, "新基建"],
  [/(?<=[\u4e00-\u9fff]{2})基础设施/g, "设施"],
];
/** A short name longer than this drops a trailing coordinated object (和使用, 及管理). */
const MAX_CORE = 6;
/** Quoted terms that name a period, not a topic (“十四五”). */
const PERIOD_RE = /^十[一二三四五六七八九]五$|^\d/;

const CJK_RE = /[\u3400-\u9fff]/;

/** A title without the issuers printed before its 关于: 国务院关于加快发展…的意见 → 关于加快发展…的意见. */
export function withoutIssuers(title: string): string {
  const lead = titleLead(title);
  return lead ? title.slice(lead.lead.length) : title;
}

/** Splits a title into its topic and its kind: 国家职业教育改革实施方案 → { core: 职业教育改革, kind: 方案 }. */
export function titleParts(title: string): { core: string; kind: string } {
  // A period printed under the title, （2021—2023年）, is not part of the kind or the topic.
  let t = tidyTitle(title).replace(/[《》]/g, "").replace(/[(（][^()（）]*[)）]$/, "");
  const kind = DOC_KINDS.find((k) => t.endsWith(k)) ?? "";
  t = t.slice(0, t.length - kind.length);
  // Who issues it (国家发展改革委 国家能源局关于…) is not what it is about.
  t = withoutIssuers(t);
  for (let prev = ""; prev !== t; ) {
    prev = t;
    t = t.replace(KIND_QUALIFIERS, "");
    for (const re of OPENINGS) {
      const next = t.replace(re, "");
      if (next.length >= 2) t = next;
    }
  }
  return { core: t, kind };
}

/**
 * A short name by general rules: a quoted name (“无废城市”) or the title's topic without who, when
 * and how (国家…实施…), with common shortenings, then the kind of document.
 * @example shortNameOf("国家组织药品集中采购和使用试点方案") // "药品集采方案"
 */
export function shortNameOf(title: string): string {
  const { core, kind } = titleParts(title);
  const quoted = [...core.matchAll(/[“"「『]([^”"」』]{2,12})[”"」』]/g)].map((m) => m[1]!).find((q) => !PERIOD_RE.test(q) && CJK_RE.test(q));
  if (quoted) return `${quoted}${kind}`;
  let short = core.replace(/[“”"「」『』]/g, "");
  for (const [re, to] of SHORTENINGS) short = short.replace(re, to);
  if (short.length > MAX_CORE) short = short.replace(/[和及与][\u4e00-\u9fff]{1,3}$/, "");
  return `${short || core}${kind}`;
}

/** Short forms of an issuer as people say them: 国务院办公厅 → 国办, 某省人民政府 → 某省政府. */
function issuerForms(issuer: string): string[] {
  const forms = [issuer];
  if (issuer === "国务院办公厅") forms.push("国办");
  if (issuer === "中共中央办公厅") forms.push("中办");
  if (issuer.endsWith("人民政府")) forms.push(issuer.replace(/人民政府$/, "政府"));
  return forms;
}

/** A 文号 in the bracket styles people type: 国办发〔2018〕128号, 国办发[2018]128号, 国办发(2018)128号. */
function docNumberForms(docNumber: string): string[] {
  const m = /^(.*?)[〔\[［(（【](\d{4})[〕\]］)）】](.*)$/.exec(docNumber);
  if (!m) return [docNumber];
  return [docNumber, `${m[1]}〔${m[2]}〕${m[3]}`, `${m[1]}[${m[2]}]${m[3]}`, `${m[1]}(${m[2]})${m[3]}`, `${m[1]}（${m[2]}）${m[3]}`];
}

/** The names a user may use to mean a plan: short name, title and its topic, 文号, issuer plus topic. */
export function aliasesOf(meta: Omit<DocMeta, "aliases">): string[] {
  const { core, kind } = titleParts(meta.title);
  const plainCore = core.replace(/[“”"「」『』]/g, "");
  const shortCore = meta.shortName.endsWith(kind) && kind ? meta.shortName.slice(0, -kind.length) : meta.shortName;
  const quoted = [...meta.title.matchAll(/[“"「『]([^”"」』]{2,12})[”"」』]/g)].map((m) => m[1]!).filter((q) => !PERIOD_RE.test(q));
  const names = [
    meta.shortName,
    shortCore,
    meta.title,
    tidyTitle(meta.title).replace(/^关于/, ""),
    withoutIssuers(tidyTitle(meta.title)).replace(/^关于/, ""),
    meta.title.replace(/[“”"「」『』]/g, ""),
    `${plainCore}${kind}`,
    plainCore,
    ...quoted,
    ...(meta.noticeTitle ? [meta.noticeTitle] : []),
    ...(meta.docNumber ? docNumberForms(meta.docNumber) : []),
    ...meta.issuers.flatMap(issuerForms).flatMap((i) => [`${i}${shortCore}`, ...(plainCore.length <= 10 ? [`${i}${plainCore}`] : [])]),
  ];
  return [...new Set(names.map((n) => n.trim()).filter((n) => [...n].length >= 3 && CJK_RE.test(n)))];
}

/** The plan's own name: in 《》 in the notice title, else what the notice title says it issues, else the title printed above the text. */
export function planTitle(notice: Notice | undefined, printedTitle: string | undefined, fallback: string): string {
  // An order or announcement that promulgates a regulation (…人民政府令, …常务委员会公告) prints it under itself: its
  // body names the decision that adopted it (《…关于修改〈…条例〉的决定》), the title under it the regulation.
  if (notice && printedTitle && /(?:令|公告)$/.test(notice.title.replace(/\s+/g, ""))) return tidyTitle(printedTitle);
  if (notice) {
    const quoted = /《(.+?)》/.exec(notice.title)?.[1];
    if (quoted) return tidyTitle(quoted);
    const issued = /(?:印发|转发|颁发|发布)(.+?)的?通知$/.exec(tidyTitle(notice.title))?.[1];
    if (issued && issued.length >= 4) return issued;
    const inBody = notice.body.map((l) => /《(.+?)》/.exec(l.text)?.[1]).find((t) => t && DOC_KINDS.some((k) => t.endsWith(k)));
    if (inBody) return tidyTitle(inBody);
  }
  return printedTitle ? tidyTitle(printedTitle) : fallback;
}

/** Issuers from the signature, else from the opening of the notice title (国务院办公厅关于印发… → 国务院办公厅). */
function issuersOf(notice: Notice): string[] {
  // 芜湖市人民政府令: an order is the government's, whoever signs it (市长　周立衡).
  const order = /^(.{2,30}?(?:人民政府|政府|办公厅|委员会))令$/.exec(notice.title.replace(/\s+/g, ""))?.[1];
  if (order) return [order];
  // The signer may share the date's line (某省人民政府办公厅　2026年5月6日): the date line's marker.
  const lines = [...notice.signature.map((l) => l.text), ...(notice.date?.marker ? [notice.date.marker] : [])];
  const signed = lines.flatMap((t) => t.split(/\s+/)).map((s) => s.trim()).filter((s) => s && CJK_RE.test(s));
  if (signed.length) return signed;
  const opening = /^(.*?)(?:关于)?(?:印发|转发|颁发|发布)/.exec(notice.title)?.[1]?.replace(/关于$/, "").trim() ?? "";
  return opening.split(/\s+/).filter(Boolean);
}

/** The title as printed over its lines: lines join tight, a space between two issuers before 关于 stays. */
export function issuanceTitle(issuance: Issuance): string {
  const joined = issuance.titleLines.map((l) => l.text.trim().replace(/\s+/g, " ")).join("");
  const lead = titleLead(joined);
  return lead ? `${lead.lead.trim()}${tidyTitle(joined.slice(lead.lead.length))}` : tidyTitle(joined);
}

/** 各省、自治区…人民政府，国务院各部委…： → its recipients, one per comma. */
function recipientsOf(lines: { text: string }[]): string[] {
  if (!lines.length) return [];
  return splitOutsideBrackets(lines.map((l) => l.text).join("").replace(/[:：]$/, ""), /[,，;；]/).map((x) => x.trim()).filter(Boolean);
}

/**
 * Title, short name, issuers, 文号, date and recipients, from the notice where there is one, else
 * from the document's own issuing marks (title lead, 文号, signature, date), and the names a user may use.
 */
export function readMeta(notice: Notice | undefined, printedTitle: string | undefined, units: Unit[], id: string, issuance?: Issuance, attachments: string[] = [], box?: InfoBox): DocMeta {
  const preamble = units.find((u) => u.kind === "preamble");
  const title = !notice && issuance?.titleLines.length ? issuanceTitle(issuance) : planTitle(notice, printedTitle, preamble?.heading || id);
  const date = notice ? notice.date : (issuance?.date ?? issuance?.titleDate);
  // （2024年1月1日） under a title: the date without its brackets.
  // 某县人民政府　2026年5月6日: the date without the signer printed on its line.
  const dateText = (date?.rest ?? date?.text)?.replace(/\s+/g, "").replace(/^[(（](.*)[)）]$/, "$1") ?? null;
  const signature = notice ? [] : [...(issuance?.signature ?? []).map((l) => l.text), ...(issuance?.date?.marker ? [issuance.date.marker] : [])];
  const docNumber = notice ? notice.docNumber : issuance?.docNumber ? issuance.docNumber.text.replace(/\s+/g, "") : null;
  const issuers = notice ? issuersOf(notice) : signature.length ? signature.flatMap((t) => splitOrgans(t)) : (issuance?.titleIssuers ?? []);
  const parsed = dateText ? parseDate(dateText) : null;
  const base = {
    title,
    // Spaces between two issuers stay; a line-break space inside the quoted plan name goes.
    noticeTitle: notice ? notice.title.replace(/《[^》]*》/g, (q) => tidyTitle(q)) : null,
    shortName: shortNameOf(title),
    // What the document does not print itself, the site's box of facts above it may say (发文字号, 发文机关, 成文日期).
    docNumber: docNumber ?? box?.docNumber ?? null,
    issuers: issuers.length ? issuers : (box?.issuers ?? []),
    date: parsed ?? box?.date ?? null,
    dateText: parsed ? dateText : (box?.dateText ?? dateText),
    recipients: recipientsOf(notice ? notice.recipients : issuance?.recipients ? [issuance.recipients] : []),
    attachments,
  };
  return { ...base, aliases: aliasesOf(base) };
}

/**
 * Makes short names distinct among the loaded plans: a name two plans share gets the year, then
 * the document id. Aliases follow.
 */
export function distinctShortNames(metas: Array<{ id: string; meta: DocMeta }>): void {
  const clash = (m: DocMeta) => metas.filter((x) => x.meta.shortName === m.shortName).length > 1;
  for (const step of [(x: { id: string; meta: DocMeta }) => (x.meta.date ? `${x.meta.date.slice(0, 4)}年${x.meta.shortName}` : x.meta.shortName), (x: { id: string; meta: DocMeta }) => `${x.meta.shortName}（${x.id}）`]) {
    const renamed = metas.filter((x) => clash(x.meta)).map((x) => [x, step(x)] as const);
    for (const [x, name] of renamed) {
      const { aliases: _old, ...rest } = x.meta;
      x.meta = { ...rest, shortName: name, aliases: aliasesOf({ ...rest, shortName: name }) };
    }
  }
}
