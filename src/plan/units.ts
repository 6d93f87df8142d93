import { isHeadingLine, type HeadingKind, type ItemStyle, type Line } from "./lines.js";
import { decimalTitle } from "./decimal.js";
import { toChineseNumeral, toHalfWidth } from "./numerals.js";
import { PATH_SEPARATOR, type ParseWarning, type Repair, type Unit, type UnitKind } from "./types.js";

/** A paragraph: one or more source lines joined into one piece of text. */
export interface Para {
  text: string;
  lines: number[];
  repairs: Repair[];
  first: Line;
  /** Heading-only paragraphs (一、总体要求) and the title never take continuation lines. */
  closed: boolean;
  /** The document's own title (possibly over several lines). */
  title?: boolean;
  /** A title printed on the line under its marker (附件2 / 年度目标表), possibly over several lines. */
  markerTitle?: boolean;
}

interface Draft {
  kind: UnitKind;
  number?: number;
  heading: string;
  paras: Para[];
  parent?: Draft;
  children: Draft[];
  ref?: string;
  /** How a person cites it, qualified by its parent where numbers repeat: 五（二）1. */
  label?: string;
  /** The label as printed on its own line: （二）, 1., 第5项. */
  own?: string;
  /** How deep its heading sits: a heading closes every open unit as deep or deeper. */
  depth: number;
  /** Items, boxes, annexes and rows: the marker as printed (（1）, ①, 专栏一, 附件2, 序号3). */
  marker?: string;
  style?: ItemStyle;
  /** The annex it belongs to: an annex numbers its parts, sections and rows on its own. */
  annex?: Draft;
  /** A heading of a decimal outline: its number as printed (3.2.1), which is its whole label. */
  decimal?: string;
  /** A part printed as one paragraph of rules with no title (一、本通告所称…): cited as the document cites it, 第一条. */
  runIn?: true;
}

/**
 * How deep each kind of heading sits, outermost first: 附件 › 第一篇 › 第一章 › 第一节 › 一、 › 第一条 ›
 * （一） › 专栏 › 1. › （1） › 1） › ① › a. › table rows. A 专栏 box holds every deeper heading as
 * its own text (its entries); a table row holds nothing.
 */
const DEPTH: Record<Exclude<HeadingKind, "table-head">, number> = { annex: 0, volume: 0.5, chapter: 1, subchapter: 2, part: 3, article: 3.5, section: 5, box: 5.5, task: 6, item: 7, "table-row": 9 };
const ITEM_DEPTH: Record<ItemStyle, number> = { step: 6.5, paren: 7, half: 7.1, circled: 7.2, letter: 7.3 };
const KIND_OF: Record<Exclude<HeadingKind, "table-head">, UnitKind> = { annex: "annex", volume: "volume", chapter: "chapter", subchapter: "subchapter", part: "part", article: "article", section: "section", box: "box", task: "task", item: "item", "table-row": "row" };
/** A title printed on the line under its marker (第一章 / 总则, 专栏2 / 重点工程, 附件1 / 分工表). */
const TITLE_LINE_RE = /^[^。；;！？!?，,：:]{2,40}$/;

/** Turns paragraphs into units: preamble, parts, sections, tasks, chapters, articles, boxes, annexes and rows with refs, labels and paths. */
export function buildUnits(doc: string, paras: Para[], warnings: ParseWarning[]): Unit[] {
  const drafts: Draft[] = [];
  let preamble: Draft | undefined;
  const open: Draft[] = [];

  for (const p of paras) {
    const l = p.first;
    if (isHeadingLine(l)) {
      let box = openBox(open);
      // "27. 强化用地保障" after 【专栏5】's entries 1.–5., where the body's tasks ran to 26.: the body's next task, which
      // ends the box (a box prints no end marker).
      if (box && l.kind === "task" && continuesBody(l.number!, box, drafts)) {
        while (open.length > 0 && open.at(-1) !== box) open.pop();
        open.pop();
        box = undefined;
      }
      if (l.kind === "table-head") {
        // The column names are written into every row; the header line itself is no unit's text.
        box?.paras.push(p);
        continue;
      }
      const depth = l.kind === "item" ? ITEM_DEPTH[l.style!] : DEPTH[l.kind as Exclude<HeadingKind, "table-head">];
      if (box && depth > DEPTH.box) {
        if (l.kind === "task") {
          // A numbered entry of a 专栏 (1.五河干流治理工程。…, 01 智慧水网工程。…) is a row of the box: 专栏1第1项.
          // (A table it prints stays its text: rows of their own were measured worse, a box's indicators read better whole.)
          while (open.at(-1) !== box) open.pop();
          const d: Draft = { kind: "row", number: l.number!, heading: entryTitle(l.rest ?? ""), paras: [p], parent: box, children: [], depth: DEPTH["table-row"], marker: `第${l.number}项` };
          if (box.annex) d.annex = box.annex;
          box.children.push(d);
          drafts.push(d);
          open.push(d);
        } else {
          // Deeper items belong to the entry they follow; other lines (a table) to the box.
          (l.kind === "item" ? open.at(-1)! : box).paras.push(p);
        }
        continue;
      }
      while (open.length > 0 && open.at(-1)!.depth >= depth) open.pop();
      const parent = open.at(-1);
      const kind = KIND_OF[l.kind as Exclude<HeadingKind, "table-head">];
      const heading = kind === "row" ? (l.cells!.find((c) => !/^\d+$/.test(toHalfWidth(c))) ?? "") : l.decimal ? (decimalTitle(l.rest ?? "") ?? headingOf(l.rest ?? "")) : bracketed(l.marker) ? l.marker!.slice(1, -1) : headingOf(l.rest ?? "");
      const d: Draft = {
        kind, number: l.number!, heading, paras: [p], parent, children: [], depth,
        ...(l.marker ? { marker: l.marker } : {}),
        ...(l.decimal ? { decimal: l.decimal } : {}),
        ...(l.style ? { style: l.style } : {}),
        ...(parent ? { annex: parent.kind === "annex" ? parent : parent.annex } : {}),
      };
      if (d.annex === undefined) delete d.annex;
      parent?.children.push(d);
      drafts.push(d);
      open.push(d);
      continue;
    }
    // Text after a table belongs to the unit that holds the table, not to its last row.
    while (open.at(-1)?.kind === "row") open.pop();
    // In an article (第九条) an item （一）… is one paragraph (项) printed on its own line; a paragraph
    // without a marker after the items is the article's next paragraph (款), not more of its last item.
    while (open.length > 1 && open.at(-1)!.kind !== "article" && inArticle(open.at(-1)!) && open.at(-1)!.paras[0]!.first.rest?.trim()) open.pop();
    const owner = open.at(-1);
    if (owner) {
      // 第一章 / 总则: the title printed under its marker; 第一条 / 为了…: the rule's first sentence.
      if (!owner.heading && owner.paras.length === 1) {
        if (TITLE_LINE_RE.test(p.text)) owner.heading = tidyTitle(p.text);
        else if (owner.kind === "article" || owner.kind === "item") owner.heading = headingOf(p.text);
      }
      owner.paras.push(p);
    } else {
      if (!preamble) {
        preamble = { kind: "preamble", heading: tidyTitle(p.text), paras: [], children: [], depth: -1 };
        drafts.unshift(preamble);
      }
      preamble.paras.push(p);
    }
  }
  untitleRunInParts(drafts);
  const closing = closingOf(drafts);
  if (closing) drafts.splice(drafts.indexOf(closing.after) + 1, 0, closing.unit);
  assignRefs(drafts, warnings);
  return drafts.map((d) => toUnit(doc, d));
}

/** A first sentence this long is a rule, not a title (一、本通告所称限制燃放区域，是指…). */
const RUN_IN_SENTENCE = 25;

/**
 * A 通告 or a short 决定 prints each part as one paragraph: 一、本通告所称限制燃放区域，是指…。 Its first
 * sentence is the rule itself, not a title. When most of a document's parts open so, its parts carry no
 * title and every sentence of theirs is content, as an article's is. They are cited as such a document
 * cites them itself (本通告第四条规定的场所): 第一条, 第二条.
 */
function untitleRunInParts(drafts: Draft[]): void {
  const parts = drafts.filter((d) => d.kind === "part" && !d.annex && !d.decimal && !bracketed(d.marker));
  if (parts.length < 3) return;
  const runIn = parts.filter((d) => d.heading.length >= RUN_IN_SENTENCE);
  if (runIn.length * 2 < parts.length) return;
  for (const d of parts) {
    // …but a part that leads into its own list (六、燃放烟花爆竹应当遵守下列规定：（一）…) is titled by that lead-in.
    const lead = d.children.length >= 2 ? /^[^。；;！？]*[：:]$/.exec(d.paras[0]!.first.rest?.trim() ?? "")?.[0] : undefined;
    d.heading = lead ? lead.replace(/[：:]$/, "") : "";
    d.runIn = true;
  }
}

/** The label of the paragraphs that close a plan's body after its last numbered unit. */
export const CLOSING_LABEL = "结语";
/** A paragraph that says when the document takes effect or how it relates to others (本方案自印发之日起施行, 此前…与本方案不一致的). */
export const CLOSING_RE = /^(?:本(?:实施|行动|工作)?(?:方案|意见|办法|规划|细则|措施|计划|通知|规定|决定)(?:自|由|所称|有效期|中的)|此前|凡此前)/;
/** A paragraph that tells who is to carry the whole document out (各地区、各部门要…, 各县（市、区）要…). */
const CARRY_OUT_RE = /^各(?:地区|地方|地|省|自治区|省（区、市）|市|区|县|市县|区县|县（市、区）|部门|单位|级|有关(?:部门|单位))/;

/**
 * The paragraphs after the body's last numbered section, task or item that close the whole document, as their own
 * unit: printed without a marker, they would otherwise read as more of that unit (三（二）强化资金保障 would answer
 * 本方案有效期几年). Documents of articles close in an article of their own, and a part without sections may run
 * to several paragraphs: only sections, tasks and items outside articles give theirs up. A unit printed as one
 * paragraph ((四)强化宣传引导。面向…) ends with it, so a paragraph of 各地区各部门要… after it closes the document; a
 * unit whose text runs under its heading over several paragraphs gives up only a paragraph on the document itself.
 */
function closingOf(drafts: Draft[]): { unit: Draft; after: Draft } | undefined {
  const last = drafts.filter((d) => d.kind !== "annex" && d.kind !== "preamble" && !d.annex).at(-1);
  if (!last || !["section", "task", "item"].includes(last.kind) || inArticle(last)) return undefined;
  const inline = (last.paras[0]?.first.rest ?? "").replace(last.heading, "").replace(/[\s\p{P}]/gu, "").length > 0;
  const at = last.paras.findIndex((p, i) => i > 0 && (CLOSING_RE.test(p.text.trim()) || (inline && CARRY_OUT_RE.test(p.text.trim()))));
  if (at < 0) return undefined;
  const paras = last.paras.splice(at);
  return { unit: { kind: "closing", heading: headingOf(paras[0]!.text), paras, children: [], depth: -1 }, after: last };
}

/** Whether a numbered line in a box continues the body's tasks numbered through the document (…26. then 27.), not the box's entries. */
function continuesBody(number: number, box: Draft, drafts: Draft[]): boolean {
  const lastEntry = box.children.filter((d) => d.kind === "row").at(-1)?.number ?? 0;
  if (number === lastEntry + 1) return false;
  const lastTask = drafts.filter((d) => d.kind === "task" && !d.annex).at(-1);
  return lastTask !== undefined && lastTask.number === number - 1;
}

/** The 专栏 box being read: the innermost open unit, or the box right under an entry of it. */
function openBox(open: Draft[]): Draft | undefined {
  const top = open.at(-1);
  if (top?.kind === "box") return top;
  return top?.kind === "row" && top.parent?.kind === "box" && open.at(-2) === top.parent ? top.parent : undefined;
}

/** A box entry's title: its name before a colon (街道养老服务中心提质工程：…), else its first sentence. */
function entryTitle(rest: string): string {
  const name = /^([^。；;！？，,：:]{2,24})[：:]/.exec(rest);
  return name ? name[1]!.trim() : headingOf(rest);
}

/** Whether a unit is an item (（一）, 1., （1）) inside an article: its nearest enclosing article or box is an article. */
function inArticle(d: Draft): boolean {
  if (d.kind !== "section" && d.kind !== "task" && d.kind !== "item") return false;
  for (let p = d.parent; p; p = p.parent) {
    if (p.kind === "article") return true;
    if (p.kind !== "section" && p.kind !== "task" && p.kind !== "item") return false;
  }
  return false;
}

/** A part printed as a heading in brackets (【申请条件】), labelled as printed. */
const bracketed = (marker: string | undefined): boolean => marker?.startsWith("【") === true;
/** A part named by its marker as printed, 【支持标准】 or 问题三, not by a number and its heading. */
const markerNamed = (marker: string | undefined): boolean => bracketed(marker) || marker?.startsWith("问题") === true;

/** The title of a heading line: its first sentence, without the closing punctuation. */
function headingOf(rest: string): string {
  const first = rest.split(/[。；;！？]/)[0] ?? rest;
  return first.replace(/[,，、:：\s]+$/, "").trim();
}

/** Removes the line-break space a title keeps between two Chinese characters. */
export function tidyTitle(title: string): string {
  return title.replace(/(?<=[\u3400-\u9fff”“》《])\s+(?=[\u3400-\u9fff“”《》])/g, "").trim();
}

/** Kinds in the order their refs are made: a parent's ref and label come before its children's. */
const REF_ORDER = ["volume", "chapter", "subchapter", "part", "article", "section", "box", "task", "item", "row"] as const;

/**
 * Refs are kind:number. Numbers that repeat (sections restarting in every part) are qualified by
 * the parent: section:2.3 labelled 二（三）. Numbered items that belong to their parent rather than
 * to the document (1.–3. under one section, or restarting in every section) are qualified the same
 * way and labelled as printed: task:5.2.1 labelled 五（二）1.; tasks numbered across the document
 * keep task:N and 第N项. Deeper items （1） ① and table rows are always qualified by their parent.
 * Each annex numbers on its own: its units' refs and labels are prefixed by it (annex:1/part:2, 附件1二、…).
 */
function assignRefs(drafts: Draft[], warnings: ParseWarning[]): void {
  const annexes = drafts.filter((d) => d.kind === "annex");
  annexes.forEach((a) => {
    a.ref = `annex:${a.number}`;
    a.own = a.label = a.marker ?? `附件${a.number}`;
  });
  refsInScope(drafts.filter((d) => d.kind !== "annex" && d.kind !== "preamble" && d.kind !== "closing" && !d.annex), undefined, warnings);
  for (const a of annexes) {
    const inside = drafts.filter((d) => d.annex === a);
    refsInScope(inside, a, warnings);
    // An appendix's clauses name it already (A.1, A.2.3 of 附录A).
    for (const d of inside) [d.ref, d.label] = [`${a.ref}/${d.ref}`, d.decimal && /^[A-Z]/.test(d.decimal) ? d.label! : `${a.label}${d.label}`];
  }
  for (const d of drafts) if (d.kind === "preamble") [d.ref, d.own, d.label] = ["preamble", "前言", "前言"];
  for (const d of drafts) if (d.kind === "closing") [d.ref, d.own, d.label] = ["closing", CLOSING_LABEL, CLOSING_LABEL];
  // Refs must stay unique even in damaged documents (a part number printed twice).
  const used = new Map<string, number>();
  for (const d of drafts) {
    const seen = used.get(d.ref!) ?? 0;
    used.set(d.ref!, seen + 1);
    if (seen > 0) d.ref = `${d.ref}~${seen + 1}`;
  }
}

/** Refs and labels of one numbering scope (the body, or one annex, whose own unit is `root`). */
function refsInScope(scope: Draft[], root: Draft | undefined, warnings: ParseWarning[]): void {
  const parentOf = (d: Draft) => (d.parent === root ? undefined : d.parent);
  for (const kind of REF_ORDER) {
    const ofKind = scope.filter((d) => d.kind === kind);
    if (ofKind.length === 0) continue;
    const numbers = ofKind.map((d) => d.number!);
    const repeats = new Set(numbers).size !== numbers.length;
    // A part's bracketed paragraphs (三【申报主体】) are named by their part, however many parts there are.
    const always = kind === "item" || kind === "row" || (kind === "section" && ofKind.every((d) => bracketed(d.marker)));
    const local = always || repeats || ((kind === "task" || kind === "section") && belongToOneParent(ofKind, scope, parentOf));
    if (repeats && !always && !cleanRestarts(ofKind, parentOf)) {
      warnings.push({ line: ofKind[0]!.paras[0]!.first.no, message: `${kind} numbers repeat out of order; refs are qualified by their parent's number` });
    }
    for (const d of ofKind) {
      const n = d.number!;
      const parent = parentOf(d);
      const caption = d.paras[0]!.first.table;
      if (kind === "row" && caption) {
        // Rows of a captioned table are cited as the plan prints them: 表1序号3, or by their first
        // cell where the table has no 序号 column (表1 用水总量（亿立方米）), not by a line count.
        d.ref = qualifiedRef(kind, parent, n);
        d.own = d.label = /^第\d+行$/.test(d.marker ?? "") ? `${caption} ${d.heading}` : `${caption}${d.marker ?? n}`;
        continue;
      }
      if (kind === "row" && parent?.kind === "box") {
        // A box's numbered entries: 专栏1第2项 (ref box:1/row:2).
        d.ref = `${parent.ref}/row:${n}`;
        d.own = d.marker!;
        d.label = `${parent.label}${d.own}`;
        continue;
      }
      const qualify = local && parent !== undefined;
      const at = qualifiedRef(kind, qualify ? parent : undefined, n);
      if (d.decimal) {
        // 3.2.1 is printed whole: its number names its parents already.
        d.ref = at;
        d.own = d.label = kind === "part" ? `${d.decimal} ${d.heading}`.trim() : d.decimal;
        continue;
      }
      if (kind === "task" && !qualify) {
        d.ref = `task:${n}`;
        d.own = d.label = `第${n}项`;
        continue;
      }
      d.ref = at;
      d.own = ownLabel(d);
      d.label = qualify ? `${prefixOf(parent, kind)}${d.own}` : d.own;
    }
  }
}

/** kind:N, or kind:P.N under a parent whose ref is kind:P (section:2.3 under part:2). */
function qualifiedRef(kind: string, parent: Draft | undefined, n: number): string {
  return parent ? `${kind}:${parent.ref!.slice(parent.ref!.indexOf(":") + 1)}.${n}` : `${kind}:${n}`;
}

/** The label as printed, without its parent: 一、总体要求, （三）, 1., 第二章, 第三节, 第十二条, 专栏2, （1）, 序号3. */
function ownLabel(d: Draft): string {
  const n = d.number!;
  switch (d.kind) {
    case "part": return markerNamed(d.marker) ? d.marker! : d.runIn ? `第${toChineseNumeral(n)}条` : `${toChineseNumeral(n)}、${d.heading}`;
    case "section": return bracketed(d.marker) ? d.marker! : `（${toChineseNumeral(n)}）`;
    case "task": return printedItemNumber(d);
    case "volume": return d.marker ?? `第${toChineseNumeral(n)}篇`;
    case "chapter": return `第${toChineseNumeral(n)}章`;
    case "subchapter": return `第${toChineseNumeral(n)}节`;
    case "article": return d.marker?.includes("之") ? d.marker : `第${toChineseNumeral(n)}条`;
    case "item": return d.style === "paren" ? `（${n}）` : d.style === "half" ? `${n}）` : d.marker!;
    default: return d.marker ?? String(n);
  }
}

/** What a child's label starts with: 二 for a section of part 二 (二（三）), 二、 for an item of it, else the parent's label. */
function prefixOf(parent: Draft, kind: UnitKind): string {
  if (parent.kind !== "part" || markerNamed(parent.marker)) return parent.label!;
  // A part that is itself qualified (第二部分一、…) keeps its qualifier: 第二部分一（一）.
  const outer = parent.label!.slice(0, parent.label!.length - parent.own!.length);
  return `${outer}${toChineseNumeral(parent.number!)}${kind === "section" ? "" : "、"}`;
}

/** Numbering that starts again at 1 under every parent and runs 1, 2, 3 is a layout, not damage. */
function cleanRestarts(ofKind: Draft[], parentOf: (d: Draft) => Draft | undefined): boolean {
  const next = new Map<Draft | undefined, number>();
  for (const d of ofKind) {
    const expected = next.get(parentOf(d)) ?? 1;
    if (d.number !== expected) return false;
    next.set(parentOf(d), expected + 1);
  }
  return true;
}

/**
 * Numbered items that all sit under one parent while other units of that parent's kind hold none
 * (items 1.–3. under one section) are that parent's list, not the document's tasks.
 */
function belongToOneParent(tasks: Draft[], drafts: Draft[], parentOf: (d: Draft) => Draft | undefined): boolean {
  const parent = parentOf(tasks[0]!);
  if (!parent || tasks.some((t) => parentOf(t) !== parent)) return false;
  return drafts.some((d) => d !== parent && d.kind === parent.kind);
}

/**
 * The item number as printed: 1. or 1、, in half-width; but digits printed full-width (３．) stay as
 * printed, since a plan that numbers one part's items so sets them apart, and a reader finds them by it.
 */
function printedItemNumber(d: Draft): string {
  const text = d.paras[0]!.first.text.trimStart();
  const m = /^(\d{1,3})\s*([.、])/.exec(toHalfWidth(text));
  if (!m) return `${d.number}.`;
  // toHalfWidth keeps lengths, so the printed marker is the same stretch of the original text.
  const printed = text.slice(0, m[0].length).replace(/\s+/g, "");
  return /^[０-９]/.test(printed) ? printed : `${m[1]}${m[2]}`;
}

function pathOf(d: Draft): string {
  const chain: string[] = [];
  for (let cur: Draft | undefined = d; cur; cur = cur.parent) {
    chain.unshift(pathStep(cur));
  }
  return chain.join(PATH_SEPARATOR);
}

/** One step of a path: a section or a titled unit with its title (（三）…, 第二章 数字基础设施), others as printed. */
function pathStep(d: Draft): string {
  if (d.kind === "section") return d.decimal ? `${d.own} ${d.heading}` : `${d.own}${d.heading}`;
  if (d.decimal && d.kind !== "part" && d.heading) return `${d.own} ${d.heading}`;
  if ((d.kind === "volume" || d.kind === "chapter" || d.kind === "subchapter" || d.kind === "box" || d.kind === "annex") && d.heading) return `${d.own} ${d.heading}`;
  return d.own!;
}

function span(lineNos: number[]): Unit["source"] {
  let [startLine, endLine] = [Infinity, -Infinity];
  // A loop, not Math.min(...lines): a unit of a large plan can hold more lines than the call stack allows arguments.
  for (const n of lineNos) [startLine, endLine] = [Math.min(startLine, n), Math.max(endLine, n)];
  return { startLine, endLine, lines: lineNos };
}

function toUnit(doc: string, d: Draft): Unit {
  const parents: string[] = [];
  for (let cur = d.parent; cur; cur = cur.parent) parents.unshift(cur.ref!);
  return {
    doc,
    ref: d.ref!,
    kind: d.kind,
    ...(d.number !== undefined ? { number: d.number } : {}),
    label: d.label!,
    heading: d.heading,
    path: pathOf(d),
    parents,
    children: d.children.map((c) => c.ref!),
    text: d.paras.map((p) => p.text).join("\n"),
    source: span(d.paras.flatMap((p) => p.lines)),
    repairs: d.paras.flatMap((p) => p.repairs),
  };
}

/** The label of the unit that holds a document's own issuing marks (文号, recipients, signature, date) when no notice issues it. */
export const ISSUANCE_LABEL = "发文信息";

/**
 * The issuing notice (or, without one, the document's own issuing marks) as one citable unit, of
 * kind notice; a title printed over several lines is one line of its text.
 */
export function noticeUnit(doc: string, block: Line[], titleLines: Line[], heading: string, label = "印发通知"): Unit {
  const titleNos = new Set(titleLines.map((l) => l.no));
  const rest = block.filter((l) => !titleNos.has(l.no)).map((l) => l.text);
  const at = block.findIndex((l) => titleNos.has(l.no));
  return {
    doc,
    ref: "notice",
    kind: "notice",
    label,
    heading,
    path: label,
    parents: [],
    children: [],
    text: (at < 0 ? rest : [...rest.slice(0, at), titleLines.map((l) => l.text).join(""), ...rest.slice(at)]).join("\n"),
    source: span(block.map((l) => l.no)),
    repairs: block.flatMap((l) => l.repairs),
  };
}
